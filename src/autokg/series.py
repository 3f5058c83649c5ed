"""The figures answer: every figure and target of one or more makers or models (or of the whole
graph), the best estimate per subject, measure, scope and period, a pivot by month, quarter
or year, growth against the same period a year before, and targets against the best estimates.

The document keeps the fields ``autokg figures --format json`` always had (``entity``,
``figures``, ``growth``, ``targets_vs_actual``) and adds ``entities``, ``estimates``, ``rule``
and ``pivot``.
"""

from __future__ import annotations

from typing import Any

from .estimates import BEST_ESTIMATE_RULE, best_estimates, pivot, pivot_growth
from .evidence import stated_by
from .figure_claims import read_figures
from .graph import KnowledgeGraph
from .markets import MarketIndex
from .targets import target_chains, outcome

__all__ = ["figures_document", "measure_filter"]


def measure_filter(kind: str | None, kinds: dict[str, tuple[str, ...]]) -> Any:
    """A test of a figure row for ``--kind`` (``target`` keeps targets; a measure keeps figures
    of the measures it covers)."""
    if kind is None:
        return lambda row: True
    if kind == "target":
        return lambda row: row["type"] == "target"
    measures = kinds.get(kind, (kind,))
    return lambda row: row["type"] == "figure" and row["measure"] in measures


def _versus(rows: list[dict[str, Any]], estimates: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Each target against the best estimate of its subject, measure, unit, scope and period."""
    actual = {(e["subject"], e["measure"], e["unit"], e["scope"], e["period_start"], e["period_end"]): e
              for e in estimates}
    out = []
    for chain in target_chains([r for r in rows if r["type"] == "target"]):
        found = actual.get((chain["subject"], chain["measure"], chain["unit"], chain["scope"], chain["period_start"],
                            chain["period_end"]))
        for revision in chain["revisions"]:
            result = outcome(revision, found)
            out.append({"target": revision["target"], "covers": chain["covers"], "period": chain["period"],
                        "scope": chain["scope"], "revision": revision["revision_label"],
                        "stated_on": revision["stated_on"], "actual": found["display"] if found else None,
                        "outcome": result["outcome"], "gap": result["gap"], "gap_text": result["gap_text"],
                        "target_claim": revision["claims"][0], "target_claims": revision["claims"],
                        "actual_claims": ([found["claim"]] + [a["claim"] for a in found["alternatives"]]) if found else []})
    return out


def figures_document(kg: KnowledgeGraph, entities: list[dict[str, str]] | None, *, kinds: dict[str, tuple[str, ...]],
                     kind: str | None = None, by: str | None = None, as_of: str | None = None) -> dict[str, Any]:
    """The figures answer for ``entities`` (``[{"iri", "label"}]``), or for every subject of the
    graph when ``entities`` is None. ``by`` (month, quarter or year) adds a pivot; growth is
    computed on it (on years by default)."""
    markets = MarketIndex(kg)
    keep = measure_filter(kind, kinds)
    groups = []
    if entities is None:
        rows = read_figures(kg, markets=markets) + read_figures(kg, targets_only=True, markets=markets)
        groups.append((None, rows))
    else:
        seen: set[str] = set()
        for entity in entities:
            rows = [r for r in read_figures(kg, entity["iri"], markets=markets) if r["claim"] not in seen]
            seen.update(r["claim"] for r in rows)
            groups.append((entity["iri"], rows))
    figures, estimates, pivots, growth, versus = [], [], [], [], []
    for focus, rows in groups:
        rows = [r for r in rows if keep(r) and stated_by(r, as_of)]
        rows.sort(key=lambda f: (f["subject"] != focus, f["covers"], f["type"], f["measure"] or "",
                                 f["period_start"] or "", f["period_end"] or "", f["published"] or "", f["claim"]))
        group_estimates = best_estimates(rows)
        parents = {r["subject"]: r["parent"] for r in rows}
        table = pivot(group_estimates, by=by or "year", focus=focus, parents=parents)
        figures += rows
        estimates += group_estimates
        growth += pivot_growth(table)
        versus += _versus(rows, group_estimates)
        if by:
            pivots.append(table)
    _mark_conflicts(figures, estimates)
    document: dict[str, Any] = {
        "entity": entities[0] if entities else None, "entities": entities, "as_of": as_of, "kind": kind,
        "figures": figures, "estimates": estimates, "rule": BEST_ESTIMATE_RULE, "growth": growth,
        "targets_vs_actual": versus,
    }
    if by:
        document["pivot"] = _merge_pivots(pivots, by)
    return document


def _mark_conflicts(figures: list[dict[str, Any]], estimates: list[dict[str, Any]]) -> None:
    """Each figure row says whether its estimate's sources disagree, and with which claims."""
    by_claim = {}
    for e in estimates:
        members = [e["claim"]] + [a["claim"] for a in e["alternatives"]]
        for claim in members:
            by_claim[claim] = (e["conflict"], [m for m in members if m != claim])
    for f in figures:
        conflict, others = by_claim.get(f["claim"], (False, []))
        f["conflict"], f["conflicts_with"] = conflict, others if conflict else []


def _merge_pivots(pivots: list[dict[str, Any]], by: str) -> dict[str, Any]:
    rows = [row for p in pivots for row in p["rows"]]
    return {"by": by, "periods": sorted({c for p in pivots for c in p["periods"]}), "rows": rows}
