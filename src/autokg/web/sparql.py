"""The SPARQL 1.1 Protocol at ``/sparql``: queries by GET or POST, results by Accept or ``format=``.

An autokg addition: ``bind=NAME=VALUE`` parameters bind values to the query's variables (as
``autokg query --bind`` does), never pasting them into its text. Read-only by construction: the ``update`` parameter, ``application/sparql-update`` bodies and
update text sent as a query are refused with 403 before anything runs, and so is SERVICE (the
endpoint never fetches from other servers). Queries run in worker processes with a timeout and
a row cap (see :mod:`autokg.web.worker`). With no query, ``/sparql`` answers with its service
description; ``/void`` describes the dataset (counts by class and property).
"""

from __future__ import annotations

from typing import Any

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import PlainTextResponse, RedirectResponse, Response

from ..sparql_check import clean_parse_error
from .guard import Refused, check_query
from .worker import GRAPH_TYPES, RESULT_TYPES, Answer

__all__ = ["sparql_endpoint", "void_endpoint", "choose_format", "clean_parse_error", "run_query"]

_ALIASES = {"turtle": "ttl", "ntriples": "nt", "n-triples": "nt", "json-ld": "jsonld", "srj": "json", "srx": "xml",
            "application/json": "json", "n3": "ttl", "text/n3": "ttl", "text/rdf+n3": "ttl", "text/xml": "xml", "application/xml": "xml", "text/plain": "nt"}
_BY_TYPE = {**{v: k for k, v in RESULT_TYPES.items()}, **{v: k for k, v in GRAPH_TYPES.items()}}


def _accepted(accept: str) -> list[tuple[str, float]]:
    """Media types of an Accept header, best first."""
    out = []
    for i, part in enumerate(accept.split(",")):
        fields = [f.strip() for f in part.split(";")]
        q = 1.0
        for f in fields[1:]:
            if f.startswith("q="):
                try:
                    q = float(f[2:])
                except ValueError:
                    q = 0.0
        if fields[0]:
            out.append((fields[0].lower(), q, -i))
    return [(t, q) for t, q, _ in sorted(out, key=lambda x: (-x[1], -x[2])) if q > 0]


def choose_format(form: str, fmt: str | None, accept: str | None) -> str:
    """The result format of a query of ``form`` from ``format=`` or the Accept header.

    >>> choose_format("SELECT", None, "text/csv;q=0.9, application/sparql-results+xml")
    'xml'
    >>> choose_format("CONSTRUCT", "json-ld", None)
    'jsonld'
    >>> choose_format("SELECT", "ttl", None)
    Traceback (most recent call last):
    ...
    autokg.web.guard.Refused: format ttl is for CONSTRUCT and DESCRIBE; a SELECT gives json, xml, csv, tsv
    """
    allowed = RESULT_TYPES if form in ("SELECT", "ASK") else GRAPH_TYPES
    if fmt and "/" in fmt:  # media types (SPARQLWrapper sends them in format=): read as an Accept header
        accept, fmt = fmt, None
    if fmt:
        key = _ALIASES.get(fmt.lower(), _BY_TYPE.get(fmt.lower(), fmt.lower()))
        if key not in allowed:
            kinds = "SELECT and ASK" if key in RESULT_TYPES else "CONSTRUCT and DESCRIBE"
            if key not in RESULT_TYPES and key not in GRAPH_TYPES:
                raise Refused(400, f"unknown format {fmt!r}; a {form} gives {', '.join(allowed)}")
            raise Refused(400, f"format {fmt} is for {kinds}; a {form} gives {', '.join(allowed)}")
        return key
    for media, _ in _accepted(accept or ""):
        key = _BY_TYPE.get(media) or _ALIASES.get(media)
        if key in allowed:
            return key
    return "json" if allowed is RESULT_TYPES else "ttl"


async def run_query(request: Request, text: str, fmt: str, bindings: dict[str, Any] | None = None) -> Answer:
    """Run a checked query in the worker pool, with ``bindings`` bound to its variables."""
    pool = request.app.state.pool
    answer = await run_in_threadpool(pool.run, text, fmt, bindings)
    if answer.status == 400:
        answer.body = clean_parse_error(answer.body.decode("utf-8", "replace")).encode("utf-8")
    return answer


async def _query_text(request: Request) -> tuple[str | None, str | None, list[str]]:
    """The query, the format asked for and any ``bind`` values; raises Refused for an update."""
    params = request.query_params
    if "update" in params:
        raise Refused(403, "this endpoint is read-only: SPARQL updates are refused")
    text, fmt, binds = params.get("query"), params.get("format"), params.getlist("bind")
    if request.method == "POST":
        ctype = request.headers.get("content-type", "").split(";")[0].strip().lower()
        if ctype == "application/sparql-update":
            raise Refused(403, "this endpoint is read-only: SPARQL updates are refused")
        if ctype == "application/sparql-query":
            text = (await request.body()).decode("utf-8", "replace")
        elif ctype in ("application/x-www-form-urlencoded", "multipart/form-data"):
            form = await request.form()
            if "update" in form:
                raise Refused(403, "this endpoint is read-only: SPARQL updates are refused")
            text = form.get("query", text)  # type: ignore[assignment]
            fmt = form.get("format", fmt)  # type: ignore[assignment]
            binds += [b for b in form.getlist("bind") if isinstance(b, str)]
        else:
            raise Refused(415, "POST a query as application/sparql-query or as a form "
                               "(application/x-www-form-urlencoded) with a query field")
    return text, fmt, binds


def bindings_of(binds: list[str]) -> dict[str, Any]:
    """``bind=NAME=VALUE`` parameters (an autokg addition to the protocol) as values to bind."""
    from .data import InputError, parse_bindings

    try:
        return parse_bindings(binds)
    except InputError as err:
        raise Refused(400, str(err)) from None


async def sparql_endpoint(request: Request) -> Response:
    try:
        text, fmt, binds = await _query_text(request)
        if text is None or not text.strip():
            return _service_description(request)
        form = check_query(text)
        chosen = choose_format(form, fmt, request.headers.get("accept"))
        bindings = bindings_of(binds)
    except Refused as refused:
        return PlainTextResponse(refused.message + "\n", status_code=refused.status)
    answer = await run_query(request, text, chosen, bindings)
    headers = {"Vary": "Accept"}
    if answer.truncated:
        limit = request.app.state.pool.max_rows
        headers["Autokg-Truncated"] = f"results cut at {limit} rows, this endpoint's row cap"
        headers["Warning"] = f'199 - "results cut at {limit} rows (the row cap)"'
    if answer.status != 200:
        return PlainTextResponse(answer.body.decode("utf-8", "replace") + "\n", status_code=answer.status)
    return Response(answer.body, media_type=answer.media_type, headers=headers)


# Descriptions -----------------------------------------------------------------------------------

_SD = "http://www.w3.org/ns/sparql-service-description#"
_VOID = "http://rdfs.org/ns/void#"
_RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
_XSD_INT = "http://www.w3.org/2001/XMLSchema#integer"


def _graph_response(request: Request, triples: list[Any]) -> Response:
    import pyoxigraph as ox

    fmt = choose_format("CONSTRUCT", request.query_params.get("format"), request.headers.get("accept"))
    rdf_format = {"ttl": ox.RdfFormat.TURTLE, "nt": ox.RdfFormat.N_TRIPLES, "jsonld": ox.RdfFormat.JSON_LD}[fmt]
    prefixes = {"sd": _SD, "void": _VOID, **request.app.state.prefixes} if fmt == "ttl" else None
    return Response(ox.serialize(triples, format=rdf_format, prefixes=prefixes), media_type=GRAPH_TYPES[fmt],
                    headers={"Vary": "Accept"})


def _service_description(request: Request) -> Response:
    import pyoxigraph as ox

    accept = request.headers.get("accept", "")
    if "text/html" in accept and not any(t in accept for t in (*GRAPH_TYPES.values(), "sparql-results")):
        return RedirectResponse("/query", status_code=303)  # a person with a browser: the query page
    N, L = ox.NamedNode, ox.Literal
    service, dataset, graph = ox.BlankNode(), ox.BlankNode(), ox.BlankNode()
    endpoint = N(str(request.url.replace(query="", fragment="")))
    triples = [ox.Triple(service, N(_RDF_TYPE), N(_SD + "Service")),
               ox.Triple(service, N(_SD + "endpoint"), endpoint),
               ox.Triple(service, N(_SD + "supportedLanguage"), N(_SD + "SPARQL11Query")),
               ox.Triple(service, N(_SD + "feature"), N(_SD + "UnionDefaultGraph")),
               ox.Triple(service, N(_SD + "defaultDataset"), dataset),
               ox.Triple(dataset, N(_RDF_TYPE), N(_SD + "Dataset")),
               ox.Triple(dataset, N(_SD + "defaultGraph"), graph),
               ox.Triple(graph, N(_RDF_TYPE), N(_SD + "Graph")),
               ox.Triple(graph, N(_VOID + "triples"), L(str(request.app.state.explorer.void_counts()["triples"]),
                                                        datatype=N(_XSD_INT))),
               ox.Triple(graph, N("http://www.w3.org/2000/01/rdf-schema#seeAlso"),
                         N(str(request.url.replace(path="/void", query="", fragment=""))))]
    formats = ["SPARQL_Results_JSON", "SPARQL_Results_XML", "SPARQL_Results_CSV", "SPARQL_Results_TSV", "Turtle",
               "N-Triples", "JSON-LD"]
    triples += [ox.Triple(service, N(_SD + "resultFormat"), N(f"http://www.w3.org/ns/formats/{f}")) for f in formats]
    return _graph_response(request, triples)


async def void_endpoint(request: Request) -> Response:
    """The VoID description of the dataset: triples, entities, and partitions by class and property."""
    import pyoxigraph as ox

    counts = await run_in_threadpool(request.app.state.explorer.void_counts)
    N, L = ox.NamedNode, ox.Literal
    dataset = N(str(request.url.replace(query="", fragment="")) + "#dataset")
    number = lambda n: L(str(n), datatype=N(_XSD_INT))  # noqa: E731
    triples = [ox.Triple(dataset, N(_RDF_TYPE), N(_VOID + "Dataset")),
               ox.Triple(dataset, N(_VOID + "sparqlEndpoint"), N(str(request.url.replace(path="/sparql", query="")))),
               ox.Triple(dataset, N(_VOID + "triples"), number(counts["triples"])),
               ox.Triple(dataset, N(_VOID + "entities"), number(counts["entities"])),
               ox.Triple(dataset, N(_VOID + "classes"), number(len(counts["classes"]))),
               ox.Triple(dataset, N(_VOID + "properties"), number(len(counts["properties"])))]
    for key, part_of, count in (("classes", "class", "entities"), ("properties", "property", "triples")):
        for row in counts[key]:
            part = ox.BlankNode()
            triples += [ox.Triple(dataset, N(_VOID + f"{part_of}Partition"), part),
                        ox.Triple(part, N(_VOID + part_of), N(row["c" if part_of == "class" else "p"])),
                        ox.Triple(part, N(_VOID + count), number(row["n"]))]
    return _graph_response(request, triples)
