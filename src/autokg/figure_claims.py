"""Figures and targets read from the graph, one record per claim: what it covers (the subject
and its role), the measure, the value with its bound, the period (and its grain: month, quarter,
year), the scope (BEV only, outside China ...), the claim kind, who stated it and the source
(publisher, tier, a copy's origin).
"""

from __future__ import annotations

import calendar
from typing import Any

from .claimrows import assemble, concept_names, subject_facts
from .evidence import with_precision
from .figures import covers_text, format_value
from .graph import KnowledgeGraph
from .vocab import AKG
from .markets import MarketIndex
from .sparql_lib import lib_query

__all__ = ["read_figures", "period_of"]


def _scope(v: dict[str, list[Any]], names: dict[str, tuple], markets: MarketIndex) -> tuple[str, str | None]:
    """A figure's scope in words ("" for its subject's whole total: powertrain, market, note)
    and its market (the world but China is "outside China")."""
    market, excluded = _one(v, "market"), _one(v, "excludedMarket")
    scoped = markets.scope(market, excluded)
    where = markets.label(scoped) if scoped else None
    if excluded and scoped == market:
        where = f"{where or 'World'} except {markets.label(excluded)}"
    powertrain = _label(names, _one(v, "powertrainScope"))
    parts = [f"{powertrain} in {where}" if powertrain and where else powertrain or where or ""]
    if _one(v, "scopeNote"):
        parts.append(_one(v, "scopeNote"))
    return "; ".join(p for p in parts if p), scoped


def _one(values: dict[str, list[Any]], key: str) -> Any:
    found = values.get(key)
    return found[0] if found else None


def _label(names: dict[str, tuple], iri: str | None, *, notation: bool = False) -> str | None:
    if iri is None:
        return None
    label, code = names.get(iri, (None, None))
    return (code or label if notation else label or code) or iri.rsplit("/", 1)[-1]


def read_figures(kg: KnowledgeGraph, focus: str | None = None, *, markets: MarketIndex | None = None,
                 targets_only: bool = False, year: int | None = None) -> list[dict[str, Any]]:
    """Figures and targets about ``focus`` and its parts (brands, segments, models, variants),
    or of the whole graph: one row per claim, with the fields of ``autokg figures --format json``
    and ``scope``, ``grain``, ``period_key``, ``tier``, ``origin``, ``stated_by`` and ``parent``.
    ``year`` (with ``focus``) keeps the periods that start in that year."""
    markets = markets or MarketIndex(kg)
    names = concept_names(kg)
    if focus and year is not None:
        rows = kg.select(lib_query("figures-of-year"), focus=focus, year=str(year))
    elif focus:
        rows = kg.select(lib_query("figures-of"), focus=focus)
    else:
        rows = kg.select(lib_query("targets-all" if targets_only else "figures-all"))
    records = [c for c in assemble(kg, rows)
               if {AKG + "Figure", AKG + "DeliveryTarget"} & set(c["values"].get("type", []))]
    if targets_only:
        records = [c for c in records if AKG + "DeliveryTarget" in c["values"]["type"]]
    subjects = subject_facts(kg, sorted({c["subject"] for c in records}))
    out = [_row(c, names, markets, focus, subjects[c["subject"]]) for c in records]
    present = set(subjects)
    for row in out:
        row["parent"] = next((p for p in row.pop("_parents") if p in present or p == focus), None)
    return out


def _row(c: dict[str, Any], names: dict[str, tuple], markets: MarketIndex, focus: str | None,
         subject: dict[str, Any]) -> dict[str, Any]:
    v, src = c["values"], c["source"] or {}
    is_target = AKG + "DeliveryTarget" in v["type"]
    label, role = subject["label"] or c["subject"], subject["role"]
    value, low, high = _one(v, "value"), _one(v, "minValue"), _one(v, "maxValue")
    bound, unit = _local(_one(v, "bound")), _label(names, _one(v, "unit"), notation=True)
    start, end = _one(v, "periodStart"), _one(v, "periodEnd")
    grain, key = period_of(start, end, _local(_one(v, "periodKind")))
    scope, market = _scope(v, names, markets)
    return {
        "claim": c["claim"], "type": "target" if is_target else "figure", "subject": c["subject"],
        "covers": label if (c["subject"] == focus or focus is None) else covers_text(label, role),
        "subject_label": label, "role": role, "measure": _local(_one(v, "measure")), "value": value,
        "min_value": low, "max_value": high, "bound": bound, "unit": unit,
        "display": format_value(value, bound, unit, low, high), "period_start": start, "period_end": end,
        "period_kind": _label(names, _one(v, "periodKind")), "period": _one(v, "periodLabel") or key,
        "claim_kind": _label(names, _one(v, "claimKind")),
        "stated_on": with_precision(_one(v, "statedOn"), _one(v, "datePrecision")),
        "stated_by": ", ".join(c["stated_by"]) or None, "publisher": src.get("publisher"),
        "origin": src.get("origin"), "tier": src.get("tier"), "url": src.get("url"),
        "published": src.get("published"), "note": _one(v, "note"), "market": scope or None, "scope": scope,
        "market_iri": market, "powertrain_scope": _label(names, _one(v, "powertrainScope")),
        "revision_of": _one(v, "revisionOf"), "disputed_by": v.get("disputedBy", []),
        "dispute_reason": _one(v, "disputeReason"), "grain": grain, "period_key": key, "source": src.get("source"),
        "_parents": subject["parents"],
    }


def _local(iri: str | None) -> str | None:
    return iri.rsplit("/", 1)[-1] if iri else None


def period_of(start: str | None, end: str | None, kind: str | None = None) -> tuple[str, str]:
    """A period's grain and key: ``("month", "2025-11")``, ``("quarter", "2025-Q3")``,
    ``("year", "2025")``, or a span or cumulative total that no pivot column holds.

    >>> period_of("2025-07-01", "2025-09-30"), period_of("2025-01-01", "2025-12-31"), period_of("2025-02-01", "2025-02-28")
    (('quarter', '2025-Q3'), ('year', '2025'), ('month', '2025-02'))
    >>> period_of("2025-01-01", "2025-11-30"), period_of(None, "2025-08-31", "cumulative")
    (('span', '2025-01-01 to 2025-11-30'), ('cumulative', 'to 2025-08-31'))
    """
    if not end or kind == "cumulative" or not start:
        return ("cumulative" if kind == "cumulative" or (end and not start) else "other", f"to {end}" if end else "")
    y, m, d = start[:4], start[5:7], start[8:10]
    if len(start) == 10 and len(end) == 10 and d == "01" and end[:4] == y:
        last = lambda month: f"{y}-{month:02d}-{calendar.monthrange(int(y), month)[1]:02d}"  # noqa: E731
        if m == "01" and end == f"{y}-12-31":
            return ("year", y)
        if end == last(int(m)):
            return ("month", f"{y}-{m}")
        if m in ("01", "04", "07", "10") and end == last(int(m) + 2):
            return ("quarter", f"{y}-Q{(int(m) - 1) // 3 + 1}")
    return ("span", f"{start} to {end}")


