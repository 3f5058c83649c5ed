"""Delivery and sales targets across makers: each chain from first stated through every
revision, and each revision against what was achieved.

A **chain** is every target of one subject, measure, unit, scope and period. Targets of the same
value are one **revision** with all their sources; revisions are ordered by their place in the
``akg:revisionOf`` links, then by the day they were stated. Each revision says whether it
raised or cut the one before, by how much, when and who said it.

The **outcome** compares a revision with the best estimate (:mod:`autokg.estimates`) of the
same subject, measure, unit, scope and period, bounds kept: a range is met by anything inside it,
"about" allows 5 %, "400,000+" is met by anything from 400,000. It is ``exceeded``, ``met``,
``missed``, ``unclear`` (the actual figure is a bound that allows both) or ``no actual figure``;
the gap is the actual figure minus the target (its nearest end, for a range).
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Sequence
from typing import Any

from .estimates import best_estimates, pivot, read_figures
from .evidence import claim_date, date_start, kind_rank, stated_by
from .bounds import format_value, interval, judge
from .graph import KnowledgeGraph
from .markets import MarketIndex

__all__ = ["target_chains", "outcome", "targets_document", "OUTCOME_RULE"]

OUTCOME_RULE = ("a target is compared with the best estimate of the same subject, measure, scope and period; "
                "a range is met inside it, 'about' allows 5%, a lower bound is met from its value; "
                "the gap is actual minus target (its nearest end for a range)")


def _interval_of(row: dict[str, Any]) -> tuple[float, float] | None:
    return interval(row.get("value"), row.get("bound"), row.get("min_value"), row.get("max_value"))


def _depths(targets: Sequence[dict[str, Any]]) -> dict[str, int]:
    by_claim = {t["claim"]: t for t in targets}
    depth: dict[str, int] = {}

    def of(claim: str, seen: frozenset = frozenset()) -> int:
        if claim in depth:
            return depth[claim]
        parent = by_claim[claim].get("revision_of")
        d = of(parent, seen | {claim}) + 1 if parent in by_claim and parent not in seen else 0
        depth[claim] = d
        return d

    for t in targets:
        of(t["claim"])
    return depth


def target_chains(targets: Sequence[dict[str, Any]]) -> list[dict[str, Any]]:
    """Targets grouped into chains of revisions (targets of one value are one revision).

    >>> t = lambda claim, value, stated, revises=None: {"claim": claim, "subject": "x", "covers": "X",
    ...     "measure": "deliveries", "unit": "vehicles", "scope": "", "period_start": "2025-01-01",
    ...     "period_end": "2025-12-31", "period": "2025", "value": value, "min_value": None, "max_value": None,
    ...     "bound": "exact", "display": f"{value:,}", "stated_on": stated, "published": None,
    ...     "revision_of": revises, "claim_kind": "company statement", "stated_by": None, "publisher": claim,
    ...     "url": None}
    >>> [chain] = target_chains([t("a", 300000, None), t("b", 350000, "2025-03-18", "a"), t("c", 300000, "2025-01-02")])
    >>> [(r["target"], r["change"], len(r["sources"])) for r in chain["revisions"]]
    [('300,000', None, 2), ('350,000', 'raised by 50,000 (+16.7%)', 1)]
    """
    groups: dict[tuple, list[dict[str, Any]]] = defaultdict(list)
    for t in targets:
        groups[(t["subject"], t["measure"], t["unit"], t["scope"], t["period_start"], t["period_end"])].append(t)
    chains = []
    for key, group in groups.items():
        depth = _depths(group)
        revisions: dict[tuple, list[dict[str, Any]]] = defaultdict(list)
        for t in group:
            revisions[(t["value"], t["bound"], t["min_value"], t["max_value"])].append(t)
        ordered = sorted(revisions.values(), key=lambda ts: (min(depth[t["claim"]] for t in ts),
                                                               min(date_start(claim_date(t)) or "9999" for t in ts)))
        first = group[0]
        chain = {"chain": min(t["claim"] for t in ordered[0]), "subject": key[0], "covers": first["covers"],
                 "measure": key[1], "unit": key[2], "scope": key[3], "period_start": key[4], "period_end": key[5],
                 "period": first["period"], "revisions": []}
        previous = None
        for i, members in enumerate(ordered):
            members.sort(key=lambda t: (date_start(t.get("stated_on")) or "9999", t["claim"]))
            head = members[0]
            stated = [t["stated_on"] for t in members if t.get("stated_on")]
            revision = {
                "revision": i, "revision_label": "first stated" if i == 0 else f"revision {i}",
                "target": head["display"], "value": head["value"], "min_value": head["min_value"],
                "max_value": head["max_value"], "bound": head["bound"],
                "stated_on": min(stated, key=date_start) if stated else None,
                "stated_by": sorted({t["stated_by"] for t in members if t.get("stated_by")}),
                "claim_kind": min((t["claim_kind"] for t in members), key=kind_rank),
                "sources": [{"publisher": t["publisher"], "url": t["url"], "published": t.get("published"),
                             "claim": t["claim"]} for t in members],
                "claims": [t["claim"] for t in members], "change": None, "change_by": None, "change_pct": None,
            }
            if previous is not None:
                revision.update(_change(previous, head))
            chain["revisions"].append(revision)
            previous = head
        chains.append(chain)
    return sorted(chains, key=lambda c: (c["period_start"] or "", c["covers"], c["measure"] or "", c["scope"]))


def _middle(row: dict[str, Any]) -> float | None:
    iv = _interval_of(row)
    if iv is None:
        return None
    return iv[0] if math.isinf(iv[1]) else (iv[0] + iv[1]) / 2


def _change(before: dict[str, Any], after: dict[str, Any]) -> dict[str, Any]:
    a, b = _middle(before), _middle(after)
    if a is None or b is None or a <= 0:
        return {"change": "revised"}
    delta = b - a
    word = "raised" if delta > 0 else "cut" if delta < 0 else "restated"
    text = word if delta == 0 else f"{word} by {abs(delta):,.0f} ({delta / a * 100:+.1f}%)"
    return {"change": text, "change_by": delta, "change_pct": round(delta / a, 4)}


def outcome(target: dict[str, Any], actual: dict[str, Any] | None) -> dict[str, Any]:
    """A target against an actual figure (both with ``value``, ``bound``, ``min_value``, ``max_value``).

    >>> rng = {"value": None, "bound": "range", "min_value": 580000, "max_value": 650000}
    >>> outcome(rng, {"value": 597000, "bound": "about"})["outcome"]
    'met'
    >>> o = outcome({"value": 350000, "bound": "exact"}, {"value": 410000, "bound": "at-least"})
    >>> o["outcome"], o["gap"], o["gap_text"]
    ('exceeded', 60000, 'at least +60,000 (+17.1%)')
    """
    if actual is None:
        return {"outcome": "no actual figure", "gap": None, "gap_pct": None, "gap_text": None}
    # An actual "about 597,000" is a rounded count, not a range: it is compared as the number.
    a_bound = "exact" if actual.get("bound") == "about" else actual.get("bound")
    t, a = _interval_of(target), interval(actual.get("value"), a_bound, actual.get("min_value"), actual.get("max_value"))
    if t is None or a is None:
        return {"outcome": "unclear", "gap": None, "gap_pct": None, "gap_text": None}
    result = judge(t, a)  # an open-ended target (410,000+) is met by any actual at or above it
    point = actual.get("value") if actual.get("value") is not None else (a[0] if math.isinf(a[1]) else (a[0] + a[1]) / 2)
    # The gap to the nearest end of the target: a lower bound's value, a range's nearer end.
    goal = t[0] if math.isinf(t[1]) or point < t[0] else t[1] if point > t[1] else point
    gap = point - goal
    pct = gap / goal if goal else None
    prefix = "at least " if math.isinf(a[1]) and gap >= 0 else "about " if actual.get("bound") == "about" else ""
    text = "within the range" if gap == 0 and point != t[0] else f"{prefix}{gap:+,.0f}" + (
        f" ({pct * 100:+.1f}%)" if pct is not None else "")
    return {"outcome": result, "gap": gap, "gap_pct": None if pct is None else round(pct, 4), "gap_text": text}


def targets_document(kg: KnowledgeGraph, *, year: int | None = None, maker: str | None = None,
                     as_of: str | None = None, markets: MarketIndex | None = None) -> dict[str, Any]:
    """Every target chain (of one maker and its parts, or of all makers; of one year), each
    revision with its change, sources and outcome."""
    markets = markets or MarketIndex(kg)
    if maker:
        rows = [r for r in read_figures(kg, maker, markets=markets) if r["type"] == "target"]
    else:
        rows = read_figures(kg, targets_only=True, markets=markets)
    targets = [r for r in rows if r["type"] == "target" and stated_by(r, as_of)
               and (year is None or (r["period_start"] or r["period_end"] or "")[:4] == str(year))]
    # The actual figures of each target's subject (and its parts), of the target's year only.
    figures_by_subject: dict[tuple[str, int | None], list[dict[str, Any]]] = {}
    for subject, start in sorted({(t["subject"], (t["period_start"] or "")[:4]) for t in targets}):
        figures_by_subject[(subject, start)] = read_figures(kg, subject, markets=markets,
                                                            year=int(start) if start.isdigit() else None)
    actuals: dict[tuple, dict[str, Any]] = {}
    for (focus, _year), subject_rows in figures_by_subject.items():
        estimates = best_estimates(subject_rows, as_of=as_of)
        for e in estimates:
            actuals.setdefault((e["subject"], e["measure"], e["unit"], e["scope"], e["period_start"], e["period_end"]),
                               {**e, "basis": "figure"})
        parents = {r["subject"]: r["parent"] for r in subject_rows}
        table = pivot(estimates, by="year", focus=focus, parents=parents)
        for row in table["rows"]:
            for column, cell in row["cells"].items():
                key = (row["subject"], row["measure"], row["unit"], row["scope"], f"{column}-01-01", f"{column}-12-31")
                if key not in actuals:
                    actuals[key] = {"value": cell["value"], "bound": cell["bound"], "min_value": None,
                                    "max_value": None, "display": format_value(cell["value"], cell["bound"], row["unit"]),
                                    "claims": cell["claims"], "basis": cell["basis"]}
    chains = target_chains(targets)
    for chain in chains:
        actual = actuals.get((chain["subject"], chain["measure"], chain["unit"], chain["scope"], chain["period_start"],
                              chain["period_end"]))
        chain["actual"] = None if actual is None else {
            "display": actual["display"], "value": actual["value"], "bound": actual["bound"], "basis": actual["basis"],
            "claims": actual.get("claims") or [actual.get("claim")], "publisher": actual.get("publisher"),
            "url": actual.get("url")}
        for revision in chain["revisions"]:
            revision.update(outcome(revision, actual))
        final = chain["revisions"][-1]
        chain["outcome"], chain["gap_text"] = final["outcome"], final["gap_text"]
    summary = defaultdict(int)
    for chain in chains:
        summary[chain["outcome"]] += 1
    return {"year": year, "maker": maker, "as_of": as_of, "rule": OUTCOME_RULE, "chains": chains,
            "summary": dict(summary),
            "revisions": sum(len(c["revisions"]) for c in chains)}
