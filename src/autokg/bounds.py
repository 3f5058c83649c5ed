"""Figures as bounded values: rows, intervals, display, conflicts, growth, targets against actuals.

A figure's value is read with its bound: "more than 410,000" is the interval [410,000, inf),
never 410,000. Every computation here works on such intervals, so a lower bound stays a lower
bound in every answer (growth from an exact figure to a lower bound is "at least +x%").
Figures on which sources disagree (intervals that cannot both hold) are marked, each with its
own source; none is silently picked. These are pure functions of :class:`FigureRow` lists.
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import asdict, dataclass, field
from typing import Any

__all__ = ["FigureRow", "interval", "format_value", "mark_conflicts", "growth", "judge", "targets_vs_actual"]

# A source's "about" is taken as within 5 %: wide enough not to call rounding a conflict.
ABOUT_TOLERANCE = 0.05



@dataclass
class FigureRow:
    """One figure or target, with what it covers, its bound, period and source."""

    claim: str
    type: str  # "figure" or "target"
    subject: str
    covers: str
    measure: str | None
    value: float | None
    min_value: float | None
    max_value: float | None
    bound: str | None
    unit: str | None
    display: str
    period_start: str | None
    period_end: str | None
    period_kind: str | None
    period: str | None
    claim_kind: str | None
    stated_on: str | None
    publisher: str | None
    url: str | None
    published: str | None
    note: str | None
    market: str | None = None
    revision_of: str | None = None
    conflict: bool = False
    conflicts_with: list[str] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


def interval(value: float | None, bound: str | None, low: float | None = None,
             high: float | None = None) -> tuple[float, float] | None:
    """The values a figure allows, by its bound.

    >>> interval(410000, "at-least")
    (410000, inf)
    >>> interval(None, "range", 560000, 640000)
    (560000, 640000)
    >>> interval(100, "about")
    (95.0, 105.0)
    """
    if bound == "range":
        return (low, high) if low is not None and high is not None else None
    if value is None:
        return None
    if bound == "at-least":
        return (value, math.inf)
    if bound == "at-most":
        return (0, value)
    if bound == "about":
        return (value * (1 - ABOUT_TOLERANCE), value * (1 + ABOUT_TOLERANCE))
    return (value, value)


def _num(x: float) -> str:
    if x >= 1e9 and x % 1e7 == 0:
        return f"{x / 1e9:,.2f}".rstrip("0").rstrip(".") + " bn"
    if float(x).is_integer():
        return f"{int(x):,}"
    return f"{x:,.2f}"


def format_value(value: float | None, bound: str | None, unit: str | None = None, low: float | None = None,
                 high: float | None = None) -> str:
    """A value as people read it, keeping its bound.

    >>> format_value(410000, "at-least", "vehicles")
    '410,000+ vehicles'
    >>> format_value(68900000000, "exact", "CNY")
    '68.9 bn CNY'
    >>> format_value(None, "range", "vehicles", 560000, 640000)
    '560,000-640,000 vehicles'
    """
    suffix = f" {unit}" if unit else ""
    if bound == "range" and low is not None and high is not None:
        return f"{_num(low)}-{_num(high)}{suffix}"
    if value is None:
        return ""
    text = _num(value)
    return {"at-least": f"{text}+", "at-most": f"at most {text}", "about": f"about {text}"}.get(bound or "", text) + suffix


def _key(row: FigureRow) -> tuple:
    return (row.type, row.subject, row.measure, row.unit, row.period_start, row.period_end, row.market)


def mark_conflicts(rows: Sequence[FigureRow]) -> None:
    """Mark figures of one subject, measure, unit and period whose values cannot both hold.

    >>> a = FigureRow("a", "figure", "s", "S", "sales", 26000, None, None, "exact", "vehicles", "", "2025-10-01",
    ...               "2025-10-31", None, None, None, None, None, None, None, None)
    >>> b = FigureRow("b", "figure", "s", "S", "sales", 19488, None, None, "exact", "vehicles", "", "2025-10-01",
    ...               "2025-10-31", None, None, None, None, None, None, None, None)
    >>> mark_conflicts([a, b]); a.conflict, a.conflicts_with
    (True, ['b'])
    """
    groups: dict[tuple, list[FigureRow]] = defaultdict(list)
    for row in rows:
        if row.type == "figure" and row.period_end:
            groups[_key(row)].append(row)
    for group in groups.values():
        for i, a in enumerate(group):
            for b in group[i + 1:]:
                ia = interval(a.value, a.bound, a.min_value, a.max_value)
                ib = interval(b.value, b.bound, b.min_value, b.max_value)
                if ia and ib and (ia[1] < ib[0] or ib[1] < ia[0]):
                    a.conflict = b.conflict = True
                    a.conflicts_with.append(b.claim)
                    b.conflicts_with.append(a.claim)


def _consensus(rows: Iterable[FigureRow]) -> tuple[float, float] | None:
    """The values all sources' figures allow together, or None when they disagree."""
    low, high = -math.inf, math.inf
    for row in rows:
        iv = interval(row.value, row.bound, row.min_value, row.max_value)
        if iv is None:
            continue
        low, high = max(low, iv[0]), min(high, iv[1])
    return (low, high) if low <= high and low > -math.inf else None


def _growth_text(low: float, high: float) -> str:
    def pct(x: float) -> str:
        return f"{x * 100:+.1f}%"

    if math.isinf(high):
        return f"at least {pct(low)}"
    if abs(high - low) < 1e-9:
        return pct(low)
    if low <= -1:
        return f"at most {pct(high)}"
    return f"{pct(low)} to {pct(high)}"


def growth(rows: Sequence[FigureRow]) -> list[dict[str, Any]]:
    """Year-on-year growth of calendar-year figures, computed from the data, bounds kept.

    Figures are grouped by subject, measure and unit; for each pair of consecutive years whose
    sources agree, growth is the interval of what the two years' values allow.

    >>> def f(year, value, bound="exact"):
    ...     return FigureRow(f"f{year}", "figure", "x", "X", "deliveries", value, None, None, bound, "vehicles", "",
    ...                      f"{year}-01-01", f"{year}-12-31", "calendar year", str(year), None, None, None, None,
    ...                      None, None)
    >>> [g["growth"] for g in growth([f(2024, 100000), f(2025, 150000, "at-least")])]
    ['at least +50.0%']
    """
    by_year: dict[tuple, dict[int, list[FigureRow]]] = defaultdict(lambda: defaultdict(list))
    for row in rows:
        if row.type != "figure" or not row.period_start or not row.period_end:
            continue
        start, end = row.period_start, row.period_end
        if start[5:] == "01-01" and end[5:] == "12-31" and start[:4] == end[:4]:
            by_year[(row.subject, row.covers, row.measure, row.unit)][int(start[:4])].append(row)
    out = []
    for (subject, covers, measure, unit), years in by_year.items():
        for year in sorted(years):
            if year - 1 not in years:
                continue
            now, before = _consensus(years[year]), _consensus(years[year - 1])
            if not now or not before or before[0] <= 0:
                continue
            low = now[0] / before[1] - 1 if not math.isinf(before[1]) else -1.0
            high = now[1] / before[0] - 1
            if low <= -1 and math.isinf(high):
                continue  # two lower bounds say nothing of the growth between them
            out.append({
                "subject": subject, "covers": covers, "measure": measure, "unit": unit,
                "from": str(year - 1), "to": str(year), "growth": _growth_text(low, high),
                "growth_low": None if low <= -1 else round(low, 4),
                "growth_high": None if math.isinf(high) else round(high, 4),
            })
    return out


def judge(target: tuple[float, float], actual: tuple[float, float]) -> str:
    """How an actual interval compares with a target interval: "exceeded", "missed" or "met" only
    where every value the actual allows says so; otherwise "unclear".

    >>> judge((100, 100), (120, 130)), judge((100, math.inf), (100, 100)), judge((100, 100), (90, 110))
    ('exceeded', 'met', 'unclear')
    """
    if actual[0] > target[1]:
        return "exceeded"
    if actual[1] < target[0]:
        return "missed"
    if actual[0] >= target[0] and actual[1] <= target[1]:
        return "met"
    return "unclear"


def targets_vs_actual(rows: Sequence[FigureRow]) -> list[dict[str, Any]]:
    """Each delivery target against the actual figures of the same subject, measure and period.

    Outcome is "exceeded", "missed" or "met" only where every source's actual figure allows no
    other reading; otherwise "unclear". A target with no actual figure in the graph is "no actual figure".
    """
    actuals: dict[tuple, list[FigureRow]] = defaultdict(list)
    for row in rows:
        if row.type == "figure":
            actuals[(row.subject, row.measure, row.period_start, row.period_end)].append(row)
    out = []
    for target in (r for r in rows if r.type == "target"):
        found = actuals.get((target.subject, target.measure or "deliveries", target.period_start, target.period_end), [])
        t = interval(target.value, target.bound, target.min_value, target.max_value)
        a = _consensus(found)
        if not found:
            outcome = "no actual figure"
        elif t is None or a is None:
            outcome = "unclear"
        else:
            outcome = judge(t, a)
        out.append({
            "target": target.display, "covers": target.covers, "period": target.period,
            "stated_on": target.stated_on, "actual": "; ".join(sorted({f.display for f in found})) or None,
            "outcome": outcome, "target_claim": target.claim, "actual_claims": [f.claim for f in found],
        })
    return out
