"""A maker's plans: delivery targets with their revision chains, launches, market entries, strategies."""

from __future__ import annotations

from typing import Any

from .figures import figures
from .graph import KnowledgeGraph
from .sparql_lib import lib_query

__all__ = ["plans", "revision_chains"]

_KIND = {"LaunchPlan": "launch", "MarketEntryPlan": "market entry", "Strategy": "strategy"}


def revision_chains(targets: list[dict[str, Any]]) -> list[list[dict[str, Any]]]:
    """Group targets into chains of revisions, earliest first, following ``revision_of``.

    >>> ts = [{"claim": "b", "revision_of": "a"}, {"claim": "a", "revision_of": None}, {"claim": "c", "revision_of": None}]
    >>> [[t["claim"] for t in chain] for chain in revision_chains(ts)]
    [['a', 'b'], ['c']]
    """
    by_claim = {t["claim"]: t for t in targets}
    revised_by: dict[str, list[str]] = {}
    for t in targets:
        if t.get("revision_of") in by_claim:
            revised_by.setdefault(t["revision_of"], []).append(t["claim"])
    chains = []
    for t in targets:
        if t.get("revision_of") in by_claim:
            continue  # not the start of a chain
        chain, todo, seen = [], [t["claim"]], set()
        while todo:
            claim = todo.pop(0)
            if claim in seen:
                continue
            seen.add(claim)
            chain.append(by_claim[claim])
            todo.extend(sorted(revised_by.get(claim, [])))
        chains.append(chain)
    return chains


def plans(kg: KnowledgeGraph, maker: str) -> dict[str, Any]:
    """The answer of ``autokg plans``: everything a maker plans, as the sources say: targets (in
    revision chains), launches, market entries and strategies. ``maker`` is an IRI."""
    target_rows = []
    chains = revision_chains([r.to_dict() for r in figures(kg, maker, kind="target")])
    for chain in sorted(chains, key=lambda c: (c[0]["covers"], c[0]["period_start"] or "", c[0]["stated_on"] or "")):
        for i, t in enumerate(chain):
            t["revision"] = i  # 0 = first stated, 1 = first revision ...
            t["chain"] = chain[0]["claim"]
            target_rows.append(t)
    other: dict[str, list[dict[str, Any]]] = {"launches": [], "market_entries": [], "strategies": []}
    seen = set()
    for r in kg.select(lib_query("plan-rows"), focus=maker):
        if r["claim"] in seen:
            continue
        seen.add(r["claim"])
        kind = _KIND[r["class"].rsplit("#", 1)[1]]
        market = r["marketIn"]
        if market and r["marketOut"]:
            market = f"{market} except {r['marketOut']}"
        row = {"plan": r["claim"], "kind": kind, "label": r["label"], "model": r["modelLabel"],
               "model_iri": r["model"], "date": r["date"], "stated_on": r["statedOn"], "market": market,
               "claim_kind": r["claimKind"], "note": r["note"], "publisher": r["publisher"], "url": r["url"],
               "published": r["published"]}
        key = {"launch": "launches", "market entry": "market_entries", "strategy": "strategies"}[kind]
        other[key].append(row)
    return {"maker": {"iri": maker, "label": kg.label(maker)}, "targets": target_rows, **other}
