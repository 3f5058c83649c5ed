"""The explorer's pages, rendered on the server: home, search, maker, model, entity, query, errors.

Each page is also data: ``/data/<name>.ttl`` (or .nt, .jsonld, .json), or the page's own
address asked for with an RDF or JSON Accept header.
"""

from __future__ import annotations

import json
from typing import Any
from urllib.parse import quote, urlencode

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response

from .data import AmbiguousName, Explorer, NameNotFound
from .urls import DATA_TYPES, PAGE_KINDS, iri_of, local_name, page_path

__all__ = ["home", "search", "maker", "model", "entity", "resolve_id", "data", "query_page", "error_page"]


def _render(request: Request, template: str, status_code: int = 200, **context: Any) -> Response:
    return request.app.state.templates.TemplateResponse(request, template, context, status_code=status_code)


def _render_cached(request: Request, template: str, iri: str, view: Any) -> Response:
    """An entity page, rendered once per entity: big makers' tables cost more to render than to answer."""
    from starlette.responses import HTMLResponse

    def render() -> str:
        return request.app.state.templates.get_template(template).render(request=request, **view())
    return HTMLResponse(_explorer(request)._cached(("html", template, iri), render))


def error_page(request: Request, status: int, title: str, message: str, *,
               suggestions: list[dict[str, str]] | None = None) -> Response:
    return _render(request, "error.html", status, title=title, message=message, suggestions=suggestions or [],
                   status=status)


def _explorer(request: Request) -> Explorer:
    return request.app.state.explorer


def _wants_data(request: Request) -> str | None:
    """The data format the Accept header prefers over HTML, if any."""
    from .sparql import _accepted

    by_type = {v: k for k, v in DATA_TYPES.items()}
    for media, _ in _accepted(request.headers.get("accept", "")):
        if media in ("text/html", "application/xhtml+xml", "*/*"):
            return None
        if media in by_type:
            return by_type[media]
    return None


# Home and search --------------------------------------------------------------------------------

async def home(request: Request) -> Response:
    explorer = _explorer(request)
    counts, makers = await run_in_threadpool(lambda: (explorer.counts(), explorer.makers()))
    return _render(request, "home.html", counts=counts, makers=makers)


async def search(request: Request) -> Response:
    text = request.query_params.get("q", "").strip()
    if not text:
        return RedirectResponse("/", status_code=303)
    explorer = _explorer(request)
    try:
        found = await run_in_threadpool(explorer.resolve, text)
    except AmbiguousName:
        matches = await run_in_threadpool(lambda: explorer.names().lookup(text))
        return _render(request, "search.html", query=text,
                       matches=[{"label": e.label, "kind": e.kind, "href": page_path(e.iri, e.kind)} for e in matches])
    except NameNotFound:
        suggestions = await run_in_threadpool(explorer.suggest, text)
        return _not_found(request, f"No maker or model is called “{text}”.", suggestions)
    return RedirectResponse(page_path(found.iri, found.kind), status_code=303)


def _not_found(request: Request, message: str, suggestions: list[dict[str, str]]) -> Response:
    explorer = _explorer(request)
    links = []
    for s in suggestions:
        entity = explorer.entity(s["iri"])
        links.append({"label": s["label"], "href": page_path(s["iri"], entity.kind if entity else None)})
    return error_page(request, 404, "Not found", message, suggestions=links)


# Entities ---------------------------------------------------------------------------------------

async def _entity_or_404(request: Request, kinds: tuple[str, ...] | None) -> Any:
    local = request.path_params["local"]
    explorer = _explorer(request)
    found = await run_in_threadpool(explorer.entity, iri_of(local))
    if found is None or (kinds and found.kind not in kinds):
        suggestions = await run_in_threadpool(explorer.suggest, local.replace("-", " "))
        what = " or ".join(kinds) if kinds else "entity"
        return None, _not_found(request, f"No {what} has the name “{local}”.", suggestions)
    if found.kind in PAGE_KINDS and kinds is None and PAGE_KINDS[found.kind] != "entity":
        return None, RedirectResponse(page_path(found.iri, found.kind), status_code=301)
    fmt = _wants_data(request)
    if fmt:
        return None, await _data_response(request, found.iri, fmt)
    return found, None


async def maker(request: Request) -> Response:
    found, response = await _entity_or_404(request, ("maker", "brand"))
    if response is not None:
        return response
    from .views import maker_view

    return await run_in_threadpool(_render_cached, request, "maker.html", found.iri,
                                   lambda: maker_view(_explorer(request), found))


async def model(request: Request) -> Response:
    found, response = await _entity_or_404(request, ("model",))
    if response is not None:
        return response
    from .views import model_view

    return await run_in_threadpool(_render_cached, request, "model.html", found.iri,
                                   lambda: model_view(_explorer(request), found))


async def entity(request: Request) -> Response:
    found, response = await _entity_or_404(request, None)
    if response is not None:
        return response
    from .views import entity_view

    return await run_in_threadpool(_render_cached, request, "entity.html", found.iri,
                                   lambda: entity_view(_explorer(request), found))


async def resolve_id(request: Request) -> Response:
    """``/id/<name>``, the entity's own IRI path: 303 to its data or to its page, as w3id would."""
    local = request.path_params["local"]
    found = await run_in_threadpool(_explorer(request).entity, iri_of(local))
    if found is None:
        suggestions = await run_in_threadpool(_explorer(request).suggest, local.replace("-", " "))
        return _not_found(request, f"Nothing has the IRI {iri_of(local)}.", suggestions)
    fmt = _wants_data(request)
    target = f"/data/{quote(local, safe='')}.{fmt}" if fmt else page_path(found.iri, found.kind)
    return RedirectResponse(target, status_code=303, headers={"Vary": "Accept"})


async def data(request: Request) -> Response:
    """``/data/<name>.<ttl|nt|jsonld|json>``: the entity as data."""
    local, _, fmt = request.path_params["local"].rpartition(".")
    if fmt not in DATA_TYPES or not local:
        return error_page(request, 404, "Not found", "Data is served as .ttl, .nt, .jsonld or .json.")
    found = await run_in_threadpool(_explorer(request).entity, iri_of(local))
    if found is None:
        suggestions = await run_in_threadpool(_explorer(request).suggest, local.replace("-", " "))
        return _not_found(request, f"Nothing has the IRI {iri_of(local)}.", suggestions)
    return await _data_response(request, found.iri, fmt)


async def _data_response(request: Request, iri: str, fmt: str) -> Response:
    explorer = _explorer(request)
    if fmt == "json":
        from .views import entity_json

        doc = await run_in_threadpool(entity_json, explorer, iri)
        body = json.dumps(doc, indent=2, ensure_ascii=False).encode("utf-8")
    else:
        body = await run_in_threadpool(explorer.as_rdf, iri, fmt)
    return Response(body, media_type=DATA_TYPES[fmt], headers={"Vary": "Accept",
                                                                "Link": f'<{iri}>; rel="describes"'})


# The query page ---------------------------------------------------------------------------------

async def query_page(request: Request) -> Response:
    from .guard import Refused, check_query
    from .sparql import bindings_of, run_query

    explorer = _explorer(request)
    named = await run_in_threadpool(explorer.named_queries)
    params = dict(request.query_params)
    if request.method == "POST":
        params.update({k: v for k, v in (await request.form()).items() if isinstance(v, str)})
    text, binds = params.get("query", ""), params.get("bind", "")
    if not text and params.get("name"):
        chosen = next((q for q in named if q["name"] == params["name"]), None)
        text, binds = (chosen["text"], chosen["bindings"]) if chosen else ("", "")
    context: dict[str, Any] = {"named": named, "query": text, "bind": binds, "error": None, "table": None,
                               "graph": None, "downloads": [], "limits": request.app.state.options}
    if params.get("query"):
        try:
            form = check_query(text)
            bindings = bindings_of(binds.split())  # one field of space-separated NAME=VALUE pairs
        except Refused as refused:
            context["error"] = refused.message
            return _render(request, "query.html", refused.status, **context)
        fmt = "json" if form in ("SELECT", "ASK") else "ttl"
        answer = await run_query(request, text, fmt, bindings)
        if answer.status != 200:
            context["error"] = answer.body.decode("utf-8", "replace")
            return _render(request, "query.html", answer.status, **context)
        context["truncated"] = answer.truncated
        if fmt == "json":
            context["table"] = _table(json.loads(answer.body))
            formats = ("json", "xml", "csv", "tsv")
        else:
            context["graph"] = answer.body.decode("utf-8")
            formats = ("ttl", "nt", "jsonld")
        bind_params = [("bind", b) for b in binds.split()]
        context["downloads"] = [{"format": f, "href": "/sparql?" + urlencode([("query", text), ("format", f), *bind_params])}
                                for f in formats]
    return _render(request, "query.html", **context)


def _table(doc: dict[str, Any]) -> dict[str, Any]:
    """SPARQL JSON results as a table: columns and cells (with links for autokg IRIs)."""
    if "boolean" in doc:
        return {"columns": ["answer"], "rows": [[{"text": "yes" if doc["boolean"] else "no"}]]}
    columns = doc["head"]["vars"]
    rows = []
    for binding in doc["results"]["bindings"]:
        row = []
        for c in columns:
            cell = binding.get(c)
            if cell is None:
                row.append({"text": ""})
            elif cell["type"] == "uri" and local_name(cell["value"]):
                row.append({"text": cell["value"], "href": f"/id/{quote(local_name(cell['value']), safe='')}"})
            else:
                row.append({"text": cell["value"]})
        rows.append(row)
    return {"columns": columns, "rows": rows}
