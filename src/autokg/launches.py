"""Launches and market entries across makers: what is planned where and when, as sources say.

One row per planned launch (a maker's model) or per market entry (a maker's market), with every
date the sources give, the strongest kind of claim, and all the sources. ``--year`` keeps plans
dated in that year; ``--market`` keeps entries into that market or a market inside it (Europe
holds Germany), and lists apart the wider ones that cover it (a world-wide plan covers Germany).
"""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from .claimrows import assemble, concept_names
from .evidence import claim_date, date_start, kind_rank, latest_date, stated_by, with_precision
from .graph import KnowledgeGraph
from .vocab import AKG
from .markets import MarketIndex
from .sparql_lib import lib_query

__all__ = ["plan_rows", "launches_document", "entries_document"]

_KINDS = {AKG + "LaunchPlan": "launch", AKG + "MarketEntryPlan": "market entry", AKG + "Strategy": "strategy"}


def plan_rows(kg: KnowledgeGraph, *, maker: str | None = None, markets: MarketIndex | None = None,
              as_of: str | None = None) -> list[dict[str, Any]]:
    """Every launch, market-entry plan and strategy (of ``maker`` and its parts, or of all), one
    row per claim with its model, dates, markets (as IRIs and labels) and source."""
    markets = markets or MarketIndex(kg)
    names = concept_names(kg)
    rows = kg.select(lib_query("plans-of"), focus=maker) if maker else kg.select(lib_query("plans-all"))
    records = assemble(kg, rows)
    entities = {c["subject"] for c in records} | {m for c in records for m in c["values"].get("plannedModel", [])}
    labels = kg.labels(entities)
    makers = _makers(kg, {m for c in records for m in c["values"].get("plannedModel", [])})
    out = []
    for c in records:
        v, src = c["values"], c["source"] or {}
        kind = next((_KINDS[t] for t in v.get("type", []) if t in _KINDS), None)
        if kind is None:
            continue
        excluded = (v.get("excludedMarket") or [None])[0]
        scoped = [markets.scope(m, excluded) for m in v.get("market", [])]
        model = (v.get("plannedModel") or [None])[0]
        row = {
            "plan": c["claim"], "kind": kind, "subject": c["subject"], "maker": labels.get(c["subject"], c["subject"]),
            "model": labels.get(model) if model else None, "model_iri": model,
            "model_maker": makers.get(model), "label": (v.get("http://www.w3.org/2000/01/rdf-schema#label") or [None])[0],
            "date": (v.get("plannedDate") or [None])[0], "stated_on": with_precision((v.get("statedOn") or [None])[0], (v.get("datePrecision") or [None])[0]),
            "market_iris": scoped, "markets": [markets.label(m) for m in scoped],
            "market": "; ".join(markets.label(m) or "" for m in scoped) or None,
            "claim_kind": names.get((v.get("claimKind") or [""])[0], (None, None))[0],
            "note": (v.get("note") or [None])[0], "stated_by": ", ".join(c["stated_by"]) or None,
            "publisher": src.get("publisher"), "url": src.get("url"), "published": src.get("published"),
            "tier": src.get("tier"), "origin": src.get("origin"),
        }
        if stated_by(row, as_of):
            out.append(row)
    return sorted(out, key=lambda r: (r["kind"], r["maker"], r["date"] or "", r["plan"]))


def _makers(kg: KnowledgeGraph, models: set[str]) -> dict[str, str]:
    out = {}
    for m in models:
        rows = kg.select("SELECT ?label ?m WHERE { ?m akg:manufacturer/rdfs:label ?label }", m=m)
        if rows:
            out[m] = rows[0]["label"]
    return out


def _merge(rows: list[dict[str, Any]], key_of) -> list[dict[str, Any]]:
    """Plans of one thing (a model's launch, a maker's entry into a market) as one row."""
    groups: dict[tuple, list[dict[str, Any]]] = defaultdict(list)
    for r in rows:
        groups[key_of(r)].append(r)
    merged = []
    for group in groups.values():
        strongest = min(group, key=lambda r: (kind_rank(r["claim_kind"]), -len(r["date"] or "")))
        dates = sorted({r["date"] for r in group if r["date"]}, key=date_start)
        merged.append({
            **{k: strongest[k] for k in ("kind", "subject", "maker", "model", "model_iri", "model_maker", "market",
                                        "market_iris", "markets", "label")},
            "date": strongest["date"] or (dates[0] if dates else None), "dates": dates,
            "claim_kind": strongest["claim_kind"], "latest_statement": latest_date(claim_date(r) for r in group),
            "sources": [{"publisher": r["publisher"], "url": r["url"], "published": r["published"],
                         "claim_kind": r["claim_kind"], "date": r["date"], "plan": r["plan"], "note": r["note"],
                         "stated_by": r["stated_by"]} for r in group],
            "plans": [r["plan"] for r in group],
        })
    return merged


def _in_year(row: dict[str, Any], year: int | None) -> bool:
    return year is None or any((d or "").startswith(str(year)) for d in row["dates"])


def launches_document(kg: KnowledgeGraph, *, year: int | None = None, maker: str | None = None,
                      as_of: str | None = None) -> dict[str, Any]:
    """Planned launches across makers (or of ``maker``), one row per model, by date."""
    rows = [r for r in plan_rows(kg, maker=maker, as_of=as_of) if r["kind"] == "launch"]
    launches = [m for m in _merge(rows, lambda r: (r["subject"], r["model_iri"] or r["label"])) if _in_year(m, year)]
    launches.sort(key=lambda r: (date_start(r["date"]) or "9999", r["maker"], r["model"] or r["label"] or ""))
    return {"year": year, "maker": maker, "as_of": as_of, "launches": launches, "claims": sum(len(r["plans"]) for r in launches)}


def entries_document(kg: KnowledgeGraph, *, market: str | None = None, year: int | None = None,
                     maker: str | None = None, as_of: str | None = None,
                     markets: MarketIndex | None = None) -> dict[str, Any]:
    """Planned market entries across makers: into ``market`` (an IRI) or a market inside it, and
    apart (``covering``) the wider plans that include it."""
    markets = markets or MarketIndex(kg)
    rows = [r for r in plan_rows(kg, maker=maker, markets=markets, as_of=as_of) if r["kind"] == "market entry"]
    entries = [m for m in _merge(rows, lambda r: (r["subject"], tuple(sorted(r["market_iris"])))) if _in_year(m, year)]
    inside, covering = [], []
    for e in entries:
        how = {markets.overlaps(m, market) for m in e["market_iris"]} if market else {"within"}
        e["match"] = "within" if "within" in how else "covers" if "covers" in how else None
        (inside if e["match"] == "within" else covering if e["match"] == "covers" else []).append(e)
    for part in (inside, covering):
        part.sort(key=lambda r: (date_start(r["date"]) or "9999", r["maker"], r["market"] or ""))
    return {"market": market, "market_label": markets.label(market) if market else None, "year": year, "maker": maker,
            "as_of": as_of, "entries": inside, "covering": covering}
