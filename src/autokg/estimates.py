"""Best estimates of figures, pivots by month, quarter or year, roll-ups that never count twice,
and growth between comparable periods.

**The best estimate** of a subject's measure for a period (and a scope: BEV only, outside
China ...) is chosen from the figures of every source by this rule, in order (a figure a
primary source disputes, ``akg:disputedBy``, comes after every undisputed one):

1. a company statement over a dataset record, a media report, a third-party estimate or an
   analyst view;
2. an exact figure over an "about", a range, or a bound ("more than 410,000");
3. the most recent statement (stated on, else published);
4. the more credible source (publisher tier: primary, established, secondary).

The other figures are kept (``alternatives``), and where two cannot both hold the estimate is
flagged (``conflict``).

**Roll-ups** never count one vehicle twice: a period's cell is the subject's own figure where
there is one; only where there is none is it the sum of its quarters or months (all of them:
otherwise a lower bound, "n of 12 months"), and for a maker the sum of its brands, models and
segments (each counted once, through its nearest part that has a figure), which is a lower bound,
since the graph may not hold every model. Two sources of one month are one cell, never a sum.
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Iterable, Sequence
from typing import Any

from .evidence import claim_date, date_start, independent_key, kind_rank, stated_by, tier_rank
from .figure_claims import period_of, read_figures
from .figures import format_value, interval

__all__ = [
    "BEST_ESTIMATE_RULE", "read_figures", "period_of", "best_estimates", "pivot", "pivot_growth", "GRAINS",
]

BEST_ESTIMATE_RULE = ("undisputed over disputed, company statement over media report (and estimates), exact over a "
                      "bound, the most recent statement, then the more credible source")

GRAINS = ("month", "quarter", "year")
#: Measures that are levels, not counts: never summed over months or parts, never pivoted.
LEVEL_MEASURES = frozenset({"price"})
_BOUND_RANK = {"exact": 0, "about": 1, "range": 2, "at-least": 3, "at-most": 3}


# Best estimates ----------------------------------------------------------------------------------

def _preference(row: dict[str, Any]) -> tuple:
    day = date_start(claim_date(row))
    recency = tuple(-int(x) for x in day.split("-")) if day else (1,)
    return (bool(row.get("disputed_by")), kind_rank(row["claim_kind"]), _BOUND_RANK.get(row["bound"] or "", 1), recency,
            tier_rank(row.get("tier")), row["claim"])


def _why(best: dict[str, Any], runner_up: dict[str, Any] | None) -> str:
    if runner_up is None:
        return "the only figure"
    a, b = _preference(best), _preference(runner_up)
    if a[0] != b[0]:
        return "undisputed over a disputed figure"
    if a[1] != b[1]:
        return f"{best['claim_kind']} over {runner_up['claim_kind'] or 'a claim of unknown kind'}"
    if a[2] != b[2]:
        return "exact over a bound" if best["bound"] == "exact" else "the tighter figure"
    if a[3] != b[3]:
        return "the most recent statement"
    if a[4] != b[4]:
        return "the more credible source"
    return "the first by claim name (sources tie)"


def _estimate_key(row: dict[str, Any]) -> tuple:
    return (row["subject"], row["measure"], row["unit"], row["scope"], row["period_start"], row["period_end"])


def best_estimates(rows: Iterable[dict[str, Any]], *, as_of: str | None = None) -> list[dict[str, Any]]:
    """One estimate per subject, measure, unit, scope and period, by :data:`BEST_ESTIMATE_RULE`.

    >>> f = lambda claim, value, kind, bound="exact", date=None: {"claim": claim, "type": "figure", "subject": "s",
    ...     "covers": "S", "measure": "deliveries", "unit": "vehicles", "scope": "", "period_start": "2025-01-01",
    ...     "period_end": "2025-12-31", "grain": "year", "period_key": "2025", "period": "2025", "value": value,
    ...     "min_value": None, "max_value": None, "bound": bound, "display": str(value), "claim_kind": kind,
    ...     "published": date, "stated_on": None, "publisher": claim, "url": None, "tier": None}
    >>> [e] = best_estimates([f("a", 410000, "media report", "at-least"), f("b", 411837, "company statement"),
    ...                       f("c", 400000, "media report", date="2026-01-02")])
    >>> e["value"], e["why"], e["conflict"], [x["claim"] for x in e["alternatives"]]
    (411837, 'company statement over media report', True, ['c', 'a'])
    """
    groups: dict[tuple, list[dict[str, Any]]] = defaultdict(list)
    for row in rows:
        if row["type"] == "figure" and row["period_end"] and stated_by(row, as_of):
            groups[_estimate_key(row)].append(row)
    out = []
    for group in groups.values():
        group.sort(key=_preference)
        best = group[0]
        intervals = [iv for iv in (interval(g["value"], g["bound"], g["min_value"], g["max_value"]) for g in group) if iv]
        conflict = bool(intervals) and max(iv[0] for iv in intervals) > min(iv[1] for iv in intervals)
        out.append({
            "subject": best["subject"], "covers": best["covers"], "measure": best["measure"], "unit": best["unit"],
            "scope": best["scope"], "grain": best["grain"], "period_key": best["period_key"], "period": best["period"],
            "period_start": best["period_start"], "period_end": best["period_end"], "value": best["value"],
            "min_value": best["min_value"], "max_value": best["max_value"], "bound": best["bound"],
            "display": best["display"], "claim": best["claim"], "claim_kind": best["claim_kind"],
            "publisher": best["publisher"], "url": best["url"], "published": best["published"],
            "stated_on": best["stated_on"], "tier": best.get("tier"),
            "sources": len({independent_key(publisher=g["publisher"], origin=g.get("origin"), url=g["url"],
                                            source=g.get("source") or g["claim"]) for g in group}),
            "why": _why(best, group[1] if len(group) > 1 else None), "conflict": conflict,
            "disputed": bool(best.get("disputed_by")), "disputed_by": best.get("disputed_by") or [],
            "alternatives": [{"claim": g["claim"], "display": g["display"], "claim_kind": g["claim_kind"],
                              "publisher": g["publisher"], "url": g["url"], "published": g["published"],
                              "disputed": bool(g.get("disputed_by"))}
                             for g in group[1:]],
        })
    return sorted(out, key=lambda e: (e["covers"], e["measure"] or "", e["scope"], e["period_start"] or "",
                                      e["period_end"] or ""))


# Pivots and roll-ups -----------------------------------------------------------------------------

def _cell(value: float, bound: str, basis: str, claims: list[str], unit: str | None, *,
          partial: bool = False) -> dict[str, Any]:
    """A pivot cell; ``partial`` when it sums only some of the months or parts (not comparable)."""
    return {"value": value, "bound": bound, "display": format_value(value, bound, None), "basis": basis,
            "claims": claims, "unit": unit, "partial": partial}


def _parts_of(grain: str, key: str) -> tuple[str, list[str]]:
    """The finer periods that make up a pivot column: a year's quarters and months, a quarter's months."""
    if grain == "year":
        return "month", [f"{key}-{m:02d}" for m in range(1, 13)]
    if grain == "quarter":
        y, q = key.split("-Q")
        return "month", [f"{y}-{m:02d}" for m in range(3 * int(q) - 2, 3 * int(q) + 1)]
    return grain, []


def _quarters(key: str) -> list[str]:
    return [f"{key}-Q{q}" for q in range(1, 5)]


def _column(grain: str, period_key: str, by: str) -> str | None:
    """The pivot column a period falls in, or None where it spans more than one."""
    if grain == by:
        return period_key
    if by == "year" and grain in ("quarter", "month"):
        return period_key[:4]
    if by == "quarter" and grain == "month":
        return f"{period_key[:4]}-Q{(int(period_key[5:7]) - 1) // 3 + 1}"
    return None


def pivot(estimates: Sequence[dict[str, Any]], *, by: str = "year", focus: str | None = None,
          parents: dict[str, str | None] | None = None) -> dict[str, Any]:
    """Best estimates as a table of subjects (with measure, unit and scope) by period.

    A cell is the subject's own figure for the period; else the sum of the finer periods it has
    (a year's four quarters or its months; a quarter's months), a lower bound unless all are
    there; else, for ``focus`` and the parts in ``parents`` (part -> parent), the sum of its
    parts' cells, a lower bound. Nothing is counted twice.

    >>> e = lambda subject, key, value, grain="month": {"subject": subject, "covers": subject, "measure": "deliveries",
    ...     "unit": "vehicles", "scope": "", "grain": grain, "period_key": key, "value": value, "min_value": None,
    ...     "max_value": None, "bound": "exact", "claim": f"{subject}-{key}"}
    >>> p = pivot([e("m1", "2025-11", 10), e("m1", "2025-12", 20), e("m2", "2025-12", 5), e("m1", "2025", 400, "year")],
    ...           by="year", focus="mk", parents={"m1": "mk", "m2": "mk"})
    >>> {r["subject"]: r["cells"]["2025"]["display"] for r in p["rows"]}
    {'mk': '405+', 'm1': '400', 'm2': '5+'}
    """
    if by not in GRAINS:
        raise ValueError(f"by must be one of {GRAINS}")
    own: dict[tuple, dict[str, dict[str, Any]]] = defaultdict(dict)
    finer: dict[tuple, dict[str, dict[str, dict[str, Any]]]] = defaultdict(lambda: defaultdict(dict))
    meta: dict[tuple, dict[str, Any]] = {}
    for e in estimates:
        column = _column(e["grain"], e["period_key"], by)
        if column is None or e["measure"] in LEVEL_MEASURES or (e["value"] is None and e["min_value"] is None):
            continue
        key = (e["subject"], e["measure"], e["unit"], e["scope"])
        meta.setdefault(key, {"subject": e["subject"], "covers": e["covers"], "measure": e["measure"],
                              "unit": e["unit"], "scope": e["scope"]})
        value = e["value"] if e["value"] is not None else e["min_value"]
        bound = e["bound"] or "exact"
        if e["grain"] == by:
            own[key][column] = _cell(value, bound, "figure", [e["claim"]], e["unit"])
            if e.get("disputed"):
                own[key][column].update(disputed=True, display=own[key][column]["display"] + " (disputed)")
        else:
            finer[key][column][f"{e['grain']}:{e['period_key']}"] = {"value": value, "bound": bound, "claim": e["claim"]}
    cells: dict[tuple, dict[str, dict[str, Any]]] = defaultdict(dict)
    for key in meta:
        for column in set(own[key]) | set(finer[key]):
            cells[key][column] = own[key].get(column) or _from_finer(finer[key][column], by, column, key[2])
    _roll_up(cells, meta, focus, parents or {})
    columns = sorted({c for row in cells.values() for c in row})
    rows = [{**meta[k], "cells": cells[k]} for k in sorted(meta, key=lambda k: (k[0] != focus, meta[k]["covers"], k[1] or "", k[3]))]
    return {"by": by, "periods": columns, "rows": rows}


def _from_finer(parts: dict[str, dict[str, Any]], by: str, column: str, unit: str | None) -> dict[str, Any]:
    """A column's cell from the quarters or months inside it (the quarters if all four are there)."""
    quarters = {k.split(":", 1)[1]: v for k, v in parts.items() if k.startswith("quarter:")}
    months = {k.split(":", 1)[1]: v for k, v in parts.items() if k.startswith("month:")}
    if by == "year" and set(_quarters(column)) <= set(quarters):
        use, basis = [quarters[q] for q in _quarters(column)], "sum of 4 quarters"
    else:
        wanted = _parts_of(by, column)[1]
        use = [months[m] for m in wanted if m in months]
        basis = f"sum of {len(use)} of {len(wanted)} months"
        if not use:  # only quarters, not all four: their sum is a lower bound
            use, basis = list(quarters.values()), f"sum of {len(quarters)} of 4 quarters"
    complete = basis in ("sum of 4 quarters", "sum of 12 of 12 months", "sum of 3 of 3 months")
    exact = complete and all(p["bound"] == "exact" for p in use)
    return _cell(sum(p["value"] for p in use), "exact" if exact else "at-least", basis,
                 [p["claim"] for p in use], unit, partial=not complete)


def _roll_up(cells: dict[tuple, dict[str, dict[str, Any]]], meta: dict[tuple, dict[str, Any]], focus: str | None,
             parents: dict[str, str | None]) -> None:
    """Fill the focus's (and each part's) missing cells from its parts' cells of the same measure and
    scope (its China sales from its models' China sales), each part counted once."""
    if not focus:
        return
    children: dict[str, list[str]] = defaultdict(list)
    for part, parent in parents.items():
        if parent and part != parent:
            children[parent].append(part)
    groups = {(k[1], k[2], k[3]) for k in meta}

    def total(node: str, measure: str, unit: str, scope: str, column: str, seen: frozenset) -> dict[str, Any] | None:
        mine = cells.get((node, measure, unit, scope), {}).get(column)
        if mine is not None and mine["basis"] == "figure":
            return mine
        found = [c for c in (total(ch, measure, unit, scope, column, seen | {node}) for ch in sorted(children[node])
                             if ch not in seen) if c]
        if not found:
            return mine
        summed = sum(c["value"] for c in found)
        if mine is not None and mine["value"] >= summed:
            return mine  # its own months say more than its parts do
        return _cell(summed, "at-least", f"sum of {len(found)} parts", [x for c in found for x in c["claims"]], unit,
                     partial=True)

    for measure, unit, scope in groups:
        columns = {c for k, row in cells.items() if k[1:] == (measure, unit, scope) for c in row}
        for node in [focus, *sorted(children)]:
            for column in columns:
                cell = total(node, measure, unit, scope, column, frozenset())
                key = (node, measure, unit, scope)
                have = cells.get(key, {}).get(column)
                # A partial cell (some of its months) gives way to a larger sum of its parts.
                if cell is not None and (have is None or (have.get("partial") and cell["value"] > have["value"])):
                    cells[key][column] = cell
                    meta.setdefault(key, {"subject": node, "covers": next(
                        (m["covers"] for k, m in meta.items() if k[0] == node), node), "measure": measure,
                        "unit": unit, "scope": scope})


# Growth ----------------------------------------------------------------------------------------

def _previous(column: str, by: str) -> str:
    """The comparable period a year before: 2024 for 2025, 2024-Q3 for 2025-Q3, 2024-11 for 2025-11."""
    return f"{int(column[:4]) - 1}{column[4:]}"


def _pct(x: float) -> str:
    return f"{x * 100:+.1f}%"


def pivot_growth(table: dict[str, Any]) -> list[dict[str, Any]]:
    """Growth of every row of a pivot against the same period a year before, bounds kept;
    cells that sum only some months or parts are not compared.

    >>> t = {"by": "year", "rows": [{"subject": "s", "covers": "S", "measure": "deliveries", "unit": "vehicles",
    ...      "scope": "", "cells": {"2024": {"value": 100, "bound": "exact"}, "2025": {"value": 150, "bound": "at-least"}}}]}
    >>> [(g["from"], g["to"], g["growth"]) for g in pivot_growth(t)]
    [('2024', '2025', 'at least +50.0%')]
    """
    out = []
    for row in table["rows"]:
        for column, cell in sorted(row["cells"].items()):
            before = row["cells"].get(_previous(column, table["by"]))
            if not before or before.get("partial") or cell.get("partial") or before.get("disputed") or cell.get("disputed"):
                continue  # a sum of some months or parts, or a disputed figure, is not comparable
            # "about 4,602,400" is a rounded count: growth from it is "about" the number's, not a range.
            approx = "about" in (cell["bound"], before["bound"])
            now_iv = interval(cell["value"], "exact" if cell["bound"] == "about" else cell["bound"])
            was_iv = interval(before["value"], "exact" if before["bound"] == "about" else before["bound"])
            if not now_iv or not was_iv or was_iv[0] <= 0:
                continue
            low = now_iv[0] / was_iv[1] - 1 if not math.isinf(was_iv[1]) else None
            high = now_iv[1] / was_iv[0] - 1 if not math.isinf(now_iv[1]) else None
            if low is None and high is None:
                continue  # two lower bounds say nothing of the growth between them
            if high is None:
                text = f"at least {_pct(low)}"
            elif low is None:
                text = f"at most {_pct(high)}"
            elif abs(high - low) < 1e-9:
                text = _pct(low)
            else:
                text = f"{_pct(low)} to {_pct(high)}"
            if approx and not text.startswith("at "):
                text = "about " + text
            out.append({"subject": row["subject"], "covers": row["covers"], "measure": row["measure"],
                        "unit": row["unit"], "scope": row["scope"], "from": _previous(column, table["by"]),
                        "to": column, "growth": text, "growth_low": None if low is None else round(low, 4),
                        "growth_high": None if high is None else round(high, 4)})
    return out
