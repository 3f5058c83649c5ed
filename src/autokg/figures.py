"""Dated figures and targets: lookups, bounds kept as bounds, conflicts, growth, target vs actual.

A figure's value is read with its bound: "more than 410,000" is the interval [410,000, inf),
never 410,000. Every computation here works on such intervals, so a lower bound stays a lower
bound in every answer (growth from an exact figure to a lower bound is "at least +x%").
Figures on which sources disagree (intervals that cannot both hold) are marked, each with its
own source; none is silently picked.
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import asdict, dataclass, field
from typing import Any

from .errors import InputError
from .graph import KnowledgeGraph, source_fields

__all__ = [
    "KINDS",
    "FigureRow",
    "figures",
    "interval",
    "format_value",
    "mark_conflicts",
    "growth",
    "targets_vs_actual",
]

MEASURE = "https://w3id.org/autokg/concept/measure/"

#: What `--kind` accepts, and the measures each covers. "target" selects delivery targets.
KINDS: dict[str, tuple[str, ...]] = {
    "deliveries": ("deliveries",),
    "sales": ("sales", "registrations"),
    "revenue": ("revenue",),
    "orders": ("orders",),
    "production": ("production",),
    "price": ("price",),
    "target": (),
}

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


_SUBJECTS_QUERY = """
SELECT ?s ?label ?role ?focus WHERE {
  { ?focus rdfs:label ?any . BIND(?focus AS ?s) BIND("" AS ?role) }
  UNION { ?s akg:segmentOf ?focus . BIND("business segment" AS ?role) }
  UNION { ?s akg:brandOf ?focus . BIND("brand" AS ?role) }
  UNION { ?s akg:manufacturer ?focus . BIND("model" AS ?role) }
  UNION { ?s akg:brand ?focus . BIND("model" AS ?role) }
  UNION { ?s akg:variantOf ?focus . BIND("variant" AS ?role) }
  OPTIONAL { ?s rdfs:label ?label }
}
"""

# The claims about ?focus itself, or (the parts) also about what it covers. The patterns start
# from the bound ?focus and the class is tested in an OPTIONAL, so the store answers from its
# indexes instead of reading every figure of the graph (4 s -> milliseconds at a million triples).
_OWN_CLAIMS = "{ ?claim akg:subject ?focus . BIND(?focus AS ?subject) }"
_PART_CLAIMS = " ".join(
    f"UNION {{ ?subject akg:{link} ?focus . ?claim akg:subject ?subject }}"
    for link in ("segmentOf", "brandOf", "manufacturer", "brand", "variantOf"))

_FIGURES_QUERY = """
SELECT ?claim ?class ?subject ?measure ?value ?min ?max ?boundLabel ?bound ?unit ?start ?end ?periodKind
       ?periodLabel ?claimKind ?statedOn ?publisher ?url ?published ?note ?marketIn ?marketOut ?scope ?scopeNote
       ?revisionOf ?focus WHERE {
  %s
  OPTIONAL { ?claim a ?class }
  FILTER(?class IN (akg:Figure, akg:DeliveryTarget))
  OPTIONAL { ?claim akg:measure ?m . BIND(STRAFTER(STR(?m), "/measure/") AS ?measure) }
  OPTIONAL { ?claim akg:value ?value }
  OPTIONAL { ?claim akg:minValue ?min }
  OPTIONAL { ?claim akg:maxValue ?max }
  OPTIONAL { ?claim akg:bound ?b . ?b skos:prefLabel ?boundLabel . BIND(STRAFTER(STR(?b), "/bound/") AS ?bound) }
  OPTIONAL { ?claim akg:unit/skos:notation ?unit }
  OPTIONAL { ?claim akg:periodStart ?start }
  OPTIONAL { ?claim akg:periodEnd ?end }
  OPTIONAL { ?claim akg:periodKind/skos:prefLabel ?periodKind }
  OPTIONAL { ?claim akg:periodLabel ?periodLabel }
  OPTIONAL { ?claim akg:claimKind/skos:prefLabel ?claimKind }
  OPTIONAL { ?claim akg:statedOn ?statedOn }
  OPTIONAL { ?claim akg:note ?note }
  OPTIONAL { ?claim akg:market/skos:prefLabel ?marketIn }
  OPTIONAL { ?claim akg:excludedMarket/skos:prefLabel ?marketOut }
  OPTIONAL { ?claim akg:powertrainScope/skos:prefLabel ?scope }
  OPTIONAL { ?claim akg:scopeNote ?scopeNote }
  OPTIONAL { ?claim akg:revisionOf ?revisionOf }
""" + source_fields("?claim") + """}
"""


def market_text(scope: str | None, market: str | None, excluded: str | None, note: str | None) -> str | None:
    """Where and what a figure counts, in words (composed here, not in SPARQL: Virtuoso 7 takes
    ``BOUND()`` inside ``IF()`` as true for an unbound variable).

    >>> market_text("BEV", "China", None, None), market_text(None, None, "China", "locked-in orders")
    ('BEV in China', 'World except China; locked-in orders')
    >>> market_text(None, None, None, None) is None
    True
    """
    where = (market or ("World" if excluded else "")) + (f" except {excluded}" if excluded else "")
    text = (scope or "") + (" in " if scope and where else "") + where
    if note:
        text += ("; " if text else "") + note
    return text or None


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


def _subjects(kg: KnowledgeGraph, entity: str) -> dict[str, str]:
    """The entity and what it covers (segments, brands, models, variants) -> "what it covers"."""
    out: dict[str, str] = {}
    for r in kg.select(_SUBJECTS_QUERY, focus=entity):
        label = r["label"] or r["s"]
        out.setdefault(r["s"], f"{label} ({r['role']})" if r["role"] else label)
    return out


def figures(kg: KnowledgeGraph, entity: str, *, kind: str | None = None, include_parts: bool = True) -> list[FigureRow]:
    """Figures and targets about ``entity`` (an IRI) and, for a maker, its segments, brands and models.

    ``kind`` is one of :data:`KINDS` (``target`` selects delivery targets). Rows are sorted by
    subject, measure and period, and carry ``conflict`` where another source's figure for the
    same subject, measure, unit and period cannot hold together with it.
    """
    if kind is not None and kind not in KINDS:
        raise InputError(f"unknown kind {kind!r}; choose one of: {', '.join(KINDS)}")
    subjects = _subjects(kg, entity) if include_parts else {entity: kg.label(entity)}
    rows: list[FigureRow] = []
    query = _FIGURES_QUERY % (_OWN_CLAIMS + (" " + _PART_CLAIMS if include_parts else ""))
    for r in kg.select(query, focus=entity):
        if r["subject"] not in subjects:
            continue
        is_target = r["class"].endswith("DeliveryTarget")
        if kind == "target" and not is_target:
            continue
        if kind not in (None, "target") and (is_target or r["measure"] not in KINDS[kind]):
            continue
        rows.append(FigureRow(
            claim=r["claim"], type="target" if is_target else "figure", subject=r["subject"],
            covers=subjects[r["subject"]], measure=r["measure"], value=r["value"], min_value=r["min"],
            max_value=r["max"], bound=r["bound"], unit=r["unit"],
            display=format_value(r["value"], r["bound"], r["unit"], r["min"], r["max"]),
            period_start=r["start"], period_end=r["end"], period_kind=r["periodKind"],
            period=r["periodLabel"] or _period_text(r["start"], r["end"]), claim_kind=r["claimKind"],
            stated_on=r["statedOn"], publisher=r["publisher"], url=r["url"], published=r["published"],
            note=r["note"], market=market_text(r["scope"], r["marketIn"], r["marketOut"], r["scopeNote"]),
            revision_of=r["revisionOf"],
        ))
    rows = _dedupe(rows)
    mark_conflicts(rows)
    return sorted(rows, key=lambda f: (f.subject != entity, f.covers, f.type, f.measure or "",
                                       f.period_start or "", f.period_end or "", f.published or "", f.claim))


def _dedupe(rows: list[FigureRow]) -> list[FigureRow]:
    seen: dict[str, FigureRow] = {}
    # A claim with two sources gives two query rows: keep the first by URL, the same in any store.
    for row in sorted(rows, key=lambda r: (r.claim, r.url or "", r.publisher or "")):
        seen.setdefault(row.claim, row)
    return list(seen.values())


def _period_text(start: str | None, end: str | None) -> str | None:
    if start and end:
        return f"{start} to {end}"
    if end:
        return f"to {end}"
    return start


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
        elif a[0] > t[1]:
            outcome = "exceeded"
        elif a[1] < t[0]:
            outcome = "missed"
        elif a[0] >= t[0] and a[1] <= t[1]:
            outcome = "met"
        else:
            outcome = "unclear"
        out.append({
            "target": target.display, "covers": target.covers, "period": target.period,
            "stated_on": target.stated_on, "actual": "; ".join(sorted({f.display for f in found})) or None,
            "outcome": outcome, "target_claim": target.claim, "actual_claims": [f.claim for f in found],
        })
    return out
