"""Dated figures and targets of a maker or model, and ``autokg figures``' answer.

Which measures there are comes from the measure scheme (``akg:MeasureScheme`` in
``ontology/concepts.ttl``), not from this module: ``--kind`` is the notation of any measure of the
scheme, or ``target`` for delivery targets, and a measure covers its narrower measures
(``skos:broader``: sales covers registrations). Bounds, conflicts, growth and targets against
actuals are the pure functions of :mod:`autokg.bounds`.
"""

from __future__ import annotations

import difflib
from typing import Any

from .bounds import FigureRow, format_value, growth, interval, mark_conflicts, targets_vs_actual
from .errors import NameNotFound
from .graph import KnowledgeGraph
from .sparql_lib import lib_query

__all__ = ["FigureRow", "figure_kinds", "figure_kind", "kind_measures", "figures", "figures_answer", "interval", "format_value",
           "mark_conflicts", "growth", "targets_vs_actual", "TARGET"]

#: The kind that selects delivery targets rather than figures of a measure.
TARGET = "target"

def figure_kinds(kg: KnowledgeGraph) -> dict[str, dict[str, Any]]:
    """What ``--kind`` accepts: each measure's notation -> its title and the measures it covers
    (itself and its narrower measures, as IRIs); and ``target``.
    """
    kinds: dict[str, dict[str, Any]] = {}
    for r in kg.select(lib_query("figure-kinds")):
        kind = kinds.setdefault(r["notation"], {"measure": r["measure"], "label": r["label"] or r["notation"],
                                                "covers": set()})
        kind["covers"].add(r["covered"])
    kinds[TARGET] = {"measure": None, "label": "target", "covers": set()}
    return dict(sorted(kinds.items()))


def kind_measures(kg: KnowledgeGraph) -> dict[str, tuple[str, ...]]:
    """Each kind's notation -> the notations of the measures it covers (``target``: none).

    >>> from autokg.graph import load
    >>> kind_measures(load())["sales"]
    ('registrations', 'sales')
    """
    return {k: tuple(sorted(iri.rsplit("/", 1)[-1] for iri in v["covers"])) for k, v in figure_kinds(kg).items()}


def figure_kind(kg: KnowledgeGraph, kind: str) -> dict[str, Any]:
    """One kind of :func:`figure_kinds`; an unknown one is a NameNotFound with the closest kinds."""
    kinds = figure_kinds(kg)
    if kind not in kinds:
        raise NameNotFound(kind, difflib.get_close_matches(kind, list(kinds), n=3, cutoff=0.5) or list(kinds),
                           what="figure kind")
    return kinds[kind]


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


def covers_text(label: str, role: str | None) -> str:
    """What a figure covers, as a table shows it: the label and, for a part, its role, unless the
    label already says it (the brand "NIO (brand)" stays one "(brand)").

    >>> covers_text("Onvo", "brand"), covers_text("NIO (brand)", "brand"), covers_text("NIO", None)
    ('Onvo (brand)', 'NIO (brand)', 'NIO')
    """
    return f"{label} ({role})" if role and not label.endswith(f"({role})") else label


def _subjects(kg: KnowledgeGraph, entity: str) -> dict[str, str]:
    """The entity and what it covers (segments, brands, models, variants) -> "what it covers"."""
    out: dict[str, str] = {}
    for r in kg.select(lib_query("covered-subjects"), focus=entity):
        label = r["label"] or r["s"]
        out.setdefault(r["s"], covers_text(label, r["role"]))
    return out


def figures(kg: KnowledgeGraph, entity: str, *, kind: str | None = None) -> list[FigureRow]:
    """Figures and targets about ``entity`` (an IRI) and, for a maker, its segments, brands and models.

    ``kind`` is the notation of a measure of the measure scheme (its narrower measures included)
    or ``target`` (delivery targets); an unknown kind is a NameNotFound with the closest kinds.
    Rows are sorted by subject, measure and period, and carry ``conflict`` where another source's
    figure for the same subject, measure, unit and period cannot hold together with it.
    """
    covered = figure_kind(kg, kind)["covers"] if kind is not None else None
    subjects = _subjects(kg, entity)
    rows: list[FigureRow] = []
    for r in kg.select(lib_query("figure-rows"), focus=entity):
        if r["subject"] not in subjects:
            continue
        is_target = r["class"].endswith("DeliveryTarget")
        if kind == TARGET and not is_target:
            continue
        if kind not in (None, TARGET) and (is_target or r["m"] not in covered):
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


def figures_answer(kg: KnowledgeGraph, entity: str, *, kind: str | None = None) -> dict[str, Any]:
    """The answer of ``autokg figures``: the figures and targets of ``entity`` (an IRI), their
    year-on-year growth and the targets against actual figures.

    ``"kind"`` says what was asked for: its notation and title (the measure's ``skos:prefLabel``).
    """
    rows = figures(kg, entity, kind=kind)
    document: dict[str, Any] = {"entity": {"iri": entity, "label": kg.label(entity)},
                                "figures": [r.to_dict() for r in rows], "growth": growth(rows),
                                "targets_vs_actual": targets_vs_actual(rows)}
    if kind is not None:
        document["kind"] = {"notation": kind, "label": figure_kind(kg, kind)["label"]}
    return document
