"""Import a monthly sales, registrations or deliveries table (one row per model and month).

Each row becomes an ``akg:Figure`` about the model (or maker, when the model cell is empty), for
the month, citing the row's own source URL as an ``akg:NewsArticle``
(``src:<first 10 hex of sha1(url)>``, reused when the graph already has a source with that URL)
and naming the row in ``akg:sourceRecord`` (``<file name> line N``).

What the numbers are is said by ``kind`` (see :data:`KINDS`):

=================  =====================  ==========================
kind               akg:measure            akg:claimKind
=================  =====================  ==========================
sales-estimate     measure:sales          ck:third-party-estimate
registrations      measure:registrations  ck:third-party-estimate
sales              measure:sales          ck:company-statement
deliveries         measure:deliveries     ck:company-statement
=================  =====================  ==========================

The default, ``sales-estimate``, fits ``cn-bev-sales-monthly.csv``: its numbers are a third
party's monthly sales estimates (compiled from registrations by trackers), so they stay apart
from a maker's own figures.

Totals and buckets are kept as what they are, as ``akg:MarketFigure`` nodes, never as a model:
a total row (a ``dataset`` cell containing "total", or maker/model "total") is
``akg:coverage "all-cars"`` for the market; an "other" row (maker "other" and no model, or model
"other") is ``akg:coverage "other-models"``, with ``akg:subject`` the maker where one is named.

Figure IRIs come from the row's identity, so re-importing gives the same triples:
``id:figure-<subject>-<measure>-<yyyy-mm>-<source tag>``.
"""

from __future__ import annotations

import calendar
import csv
import os
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urlparse

import pyoxigraph as ox

from ..errors import InputError
from ..graph import KnowledgeGraph
from ..vocab import ID
from .common import (
    RDF_TYPE, RDFS_LABEL, SRC, Builder, Progress, akg, any_uri, concept, date, integer, iri, label, lit,
    sha10, slug, url_host, without_credentials,
)
from .csvrows import data_rows, open_csv, pick_column, pick_columns, read_header
from .entities import Entities, Resolver, publisher
from .result import ImportReport, ImportResult, RowProblem
from . import stream as streaming
from .stream import ImportStream, RowChunks, SeenIndex

__all__ = ["import_sales", "stream_sales", "KINDS", "resolve_market"]

#: kind -> (measure notation, claim kind notation, words)
KINDS: dict[str, tuple[str, str, str]] = {
    "sales-estimate": ("sales", "third-party-estimate", "sales"),
    "registrations": ("registrations", "third-party-estimate", "registrations"),
    "sales": ("sales", "company-statement", "sales"),
    "deliveries": ("deliveries", "company-statement", "deliveries"),
}

MONTH_COLUMNS = ("month", "period", "date")
MAKER_COLUMNS = ("maker", "make", "brand", "manufacturer")
MODEL_COLUMNS = ("model",)
UNITS_COLUMNS = ("units", "sales", "value", "volume", "deliveries", "registrations")
SOURCE_COLUMNS = ("source_url", "source", "url")
DATASET_COLUMNS = ("dataset", "series")

_OTHER = {"other", "others", "rest", "misc"}
_TOTAL = {"total", "all", "allcars", "totals"}
_MONTH = re.compile(r"^\s*(\d{4})[-/](\d{1,2})\s*$")


def resolve_market(kg: KnowledgeGraph, market: str) -> tuple[str, str]:
    """(IRI, label) of a market concept, by code ("CN"), notation ("europe") or label ("China")."""
    rows = kg.select(
        """SELECT ?m ?label ?n WHERE { ?m skos:inScheme akg:MarketScheme ; skos:prefLabel ?label .
             OPTIONAL { ?m skos:notation ?n } }""")
    key = market.strip().casefold()
    for row in rows:
        if key in {(row["n"] or "").casefold(), row["label"].casefold(), row["m"].rsplit("/", 1)[-1].casefold()}:
            return row["m"], row["label"]
    raise InputError(f"unknown market {market!r}: give an ISO 3166 code (CN, US, DE ...), 'europe' or 'world'")


def import_sales(kg: KnowledgeGraph, csv_path: str | os.PathLike[str], **options: Any) -> ImportResult:
    """Import a monthly sales table into new triples, resolved against ``kg``; see the module doc.

    The triples are collected and sorted (for a library caller or a store); ``autokg import sales
    -o`` streams them instead (:func:`stream_sales`). Options are those of :func:`stream_sales`.
    """
    stream = stream_sales(kg, csv_path, **options)
    triples = sorted(stream.triples, key=lambda t: (t.subject.value, t.predicate.value, str(t.object)))
    known = set(kg.triples_about_all({t.subject.value for t in triples}))
    return ImportResult(triples, stream.report, [t for t in triples if t not in known], stream.skip_invalid)


def stream_sales(
    kg: KnowledgeGraph,
    csv_path: str | os.PathLike[str],
    *,
    kind: str = "sales-estimate",
    market: str | None = None,
    month_col: str | None = None,
    maker_col: str | None = None,
    model_col: str | None = None,
    units_col: str | None = None,
    source_col: str | None = None,
    dataset_col: str | None = None,
    create: bool = False, skip_invalid: bool = False, validate: bool = True, progress: Progress | None = None,
    chunk_rows: int | None = None,
) -> ImportStream:
    """Import a monthly sales table as a stream of triples (see :mod:`.stream`): memory stays flat
    in the rows. Options and columns are checked now; the rows are read as the triples are.
    ``chunk_rows``: rows per chunk (default :data:`.stream.CHUNK_ROWS`)."""
    if kind not in KINDS:
        raise InputError(f"unknown kind {kind!r}: one of {', '.join(KINDS)}")
    market_iri, market_label = resolve_market(kg, market) if market else (None, None)
    path = Path(csv_path)
    report = ImportReport(source=path.name)
    handle = open_csv(path)
    try:
        reader = csv.reader(handle)
        header = read_header(reader, path)
        columns = pick_columns(header, {
            "month": (month_col, MONTH_COLUMNS), "maker": (maker_col, MAKER_COLUMNS), "model": (model_col, MODEL_COLUMNS),
            "units": (units_col, UNITS_COLUMNS), "source URL": (source_col, SOURCE_COLUMNS)})
        columns["dataset"] = pick_column(header, dataset_col, DATASET_COLUMNS, "dataset", required=dataset_col is not None)
    except BaseException:
        handle.close()
        raise
    rows = _sales_rows(kg, path, handle, reader, columns, report, kind=kind, market=(market_iri, market_label),
                       create=create, skip_invalid=skip_invalid, validate=validate, progress=progress,
                       chunk_rows=chunk_rows or streaming.CHUNK_ROWS)
    return ImportStream(rows, report, skip_invalid)


def _sales_rows(kg: KnowledgeGraph, path: Path, handle: Any, reader: Any, columns: dict[str, int | None],
                report: ImportReport, *, kind: str, market: tuple[str | None, str | None], create: bool,
                skip_invalid: bool, validate: bool, progress: Progress | None, chunk_rows: int) -> Iterator[ox.Triple]:
    measure_name, claim_kind, words = KINDS[kind]
    measure, ckind = concept("measure", measure_name), concept("claim-kind", claim_kind)
    market_iri, market_label = market
    market_tag = market_iri.rsplit("/", 1)[-1].lower() if market_iri else "all"
    b = Builder()
    entities = Entities(kg, b, report, create=create)
    res = entities.resolver
    chunks = RowChunks(kg, b, report, validate=validate, skip_invalid=skip_invalid, chunk_rows=chunk_rows)
    seen = SeenIndex()  # figure IRI -> (line, value), on disk
    sources_done: dict[str, str] = {}  # URL -> source IRI (grows with distinct URLs, not rows)
    c_month, c_maker, c_model, c_units, c_source, c_dataset = (columns[k] for k in (
        "month", "maker", "model", "units", "source URL", "dataset"))
    width = max(i for i in columns.values() if i is not None) + 1
    try:
        for line, row in data_rows(reader, report, width, progress, every=500, path=path):
            if chunks.due():
                yield from chunks.flush()
            month, maker, model = row[c_month].strip(), row[c_maker].strip(), row[c_model].strip()
            # Credentials in a URL are dropped before anything sees it (report, IRIs, labels).
            units_text, url = row[c_units].strip(), without_credentials(row[c_source].strip())
            dataset = row[c_dataset].strip() if c_dataset is not None else ""
            # Check the cells ------------------------------------------------------------------
            m = _MONTH.match(month)
            if not m or not 1 <= int(m.group(2)) <= 12:
                report.invalid.append(RowProblem(line, f"month {month!r} is not YYYY-MM"))
                continue
            y, mo = int(m.group(1)), int(m.group(2))
            try:
                units = int(re.sub(r"[,_\s]", "", units_text))
            except ValueError:
                report.invalid.append(RowProblem(line, f"units {units_text!r} is not a whole number"))
                continue
            if not re.match(r"^https?://\S+$", url):
                report.invalid.append(RowProblem(line, f"source URL {url!r} is not an http(s) URL"))
                continue
            # Classify ---------------------------------------------------------------------------
            maker_key, model_key = _fold(maker), _fold(model)
            is_total = "total" in dataset.casefold() or maker_key in _TOTAL or model_key in _TOTAL
            is_other = not is_total and ((maker_key in _OTHER and not model) or model_key in _OTHER)
            if not is_total and not is_other and maker_key in _OTHER:
                is_other = True  # "other" maker with a model name: still not a real maker
            src = _source(b, res, url, line, sources_done)
            period = (f"{y:04d}-{mo:02d}-01", f"{y:04d}-{mo:02d}-{calendar.monthrange(y, mo)[1]:02d}")
            plabel = f"{calendar.month_name[mo]} {y}"
            tag = sha10(url)
            where = f" in {market_label}" if market_label else ""
            host = url_host(url)

            def figure_node(key: str, cls: str, subject: str | None, who: str, line: int, units: int) -> Any:
                """The row's figure node, typed, labelled and about ``subject``; None for a duplicate row."""
                node = iri(f"{ID}figure-{key}-{measure_name}-{y:04d}-{mo:02d}-{tag}")
                if _duplicate(report, seen, node.value, line, units):
                    return None
                b.add(node, RDF_TYPE, akg(cls), line=line)
                chunks.row_node(node)
                if subject:
                    b.add(node, akg("subject"), iri(subject))
                    b.touch(subject, line)
                b.add(node, RDFS_LABEL, label(f"{who} {words}{where}, {plabel}: {units:,} ({host})"))
                return node

            if is_total or is_other:
                subject = None
                if is_other and maker and maker_key not in _OTHER:
                    subject = entities.maker(maker, [line], src)
                    if subject is None:
                        continue
                coverage = "all-cars" if is_total else "other-models"
                who = res.label_of(subject) + " other models" if subject else (
                    "all cars" if is_total else "other models")
                base = slug(subject.removeprefix(ID)) if subject else market_tag
                node = figure_node(f"{base}-{coverage}", "MarketFigure", subject,
                                   f"{who.capitalize() if not subject else who}", line, units)
                if node is None:
                    continue
                b.add(node, akg("coverage"), lit(coverage))
                report.market += 1
            else:
                maker_iri = entities.maker(maker, [line], src)
                if maker_iri is None:
                    continue
                if model:
                    subject, status = entities.model(
                        maker, maker_iri, model, [line], src,
                        on_new=(lambda node: b.add(node, akg("market"), iri(market_iri))) if market_iri else None)
                    if subject is None:
                        continue
                else:
                    subject, status = maker_iri, "matched"
                node = figure_node(slug(subject.removeprefix(ID)), "Figure", subject,
                                   res.label_of(subject) if status == "matched" else res.created_label(subject), line, units)
                if node is None:
                    continue
                if status == "created":
                    report.created += 1
                else:
                    report.matched += 1
            b.add(node, akg("measure"), measure)
            b.add(node, akg("value"), integer(units))
            b.add(node, akg("bound"), concept("bound", "exact"))
            b.add(node, akg("unit"), concept("unit", "vehicles"))
            b.add(node, akg("periodStart"), date(period[0]))
            b.add(node, akg("periodEnd"), date(period[1]))
            b.add(node, akg("periodKind"), concept("period", "month"))
            b.add(node, akg("periodLabel"), lit(plabel))
            if market_iri:
                b.add(node, akg("market"), iri(market_iri))
            b.add(node, akg("claimKind"), ckind)
            b.add(node, akg("source"), iri(src))
            b.add(node, akg("sourceRecord"), lit(f"{path.name} line {line}"))
            if dataset and (is_total or is_other):
                b.add(node, akg("note"), lit(f"{dataset} row of {path.name}" + (f": {maker} {model}".rstrip() if maker or model else "")))
        yield from chunks.finish()
    finally:
        seen.close()
        handle.close()


def _fold(text: str) -> str:
    return re.sub(r"[^a-z0-9]", "", text.casefold())


def _duplicate(report: ImportReport, seen: SeenIndex, node: str, line: int, units: int) -> bool:
    earlier = seen.first(node, line, units)
    if earlier is None:
        return False
    first_line, first_units = earlier
    if first_units == units:
        report.skip(line, f"duplicate of an earlier row (same subject, month, source and units as line {first_line})")
    else:
        report.invalid.append(RowProblem(line, f"conflicts with line {first_line}: same subject, month and source, "
                                               f"units {units} against {first_units}"))
    return True


def _source(b: Builder, res: Resolver, url: str, line: int, done: dict[str, str]) -> str:
    """The source node of a URL: the graph's own, or a new akg:NewsArticle src:<sha10>."""
    if url in done:
        return done[url]
    existing = res.source_for_url(url)
    if existing:
        done[url] = existing
        return existing
    node = iri(SRC + sha10(url))
    done[url] = node.value
    parsed = urlparse(url)
    host = url_host(url)
    tail = [p for p in parsed.path.split("/") if p]
    title = re.sub(r"[-_]+", " ", re.sub(r"\.html?$", "", tail[-1])) if tail else host
    b.add(node, RDF_TYPE, akg("NewsArticle"))
    b.add(node, RDFS_LABEL, label(f"{host}: {title}" + (f" #{parsed.fragment}" if parsed.fragment else "")))
    b.add(node, akg("url"), any_uri(url))
    b.add(node, akg("publisher"), publisher(b, res, host))
    return node.value
