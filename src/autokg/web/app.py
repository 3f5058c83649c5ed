"""The explorer's ASGI application (Starlette): routes, limits, error pages.

:func:`create_app` builds it for a :class:`~autokg.web.data.GraphRecipe`. The graph is opened
once in the server process for the pages, and once in each query worker for ``/sparql``.
"""

from __future__ import annotations

import contextlib
import logging
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from starlette.applications import Starlette
from starlette.exceptions import HTTPException
from starlette.middleware import Middleware
from starlette.middleware.cors import CORSMiddleware
from starlette.requests import Request
from starlette.responses import PlainTextResponse, Response
from starlette.routing import Mount, Route
from starlette.staticfiles import StaticFiles
from starlette.templating import Jinja2Templates

from .data import AutokgError, Explorer, GraphRecipe, is_unreachable, open_graph

__all__ = ["create_app", "open_explorer", "ServerOptions", "BodyLimit"]

log = logging.getLogger("autokg.web")
_HERE = Path(__file__).resolve().parent


@dataclass(frozen=True)
class ServerOptions:
    """The limits of a server: query timeout (s), row cap, request body size (bytes), workers."""

    timeout: float = 10.0
    max_rows: int = 10_000
    max_body: int = 256 * 1024
    workers: int = 2


class BodyLimit:
    """Refuse a request body over ``max_body`` bytes with 413, by its Content-Length or as it arrives."""

    def __init__(self, app: Any, max_body: int):
        self.app, self.max_body = app, max_body

    async def __call__(self, scope: dict, receive: Any, send: Any) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        length = dict(scope.get("headers") or []).get(b"content-length")
        if length is not None and (not length.isdigit() or int(length) > self.max_body):
            await self._refuse(scope, receive, send)
            return
        seen = 0

        async def counted() -> dict:
            nonlocal seen
            message = await receive()
            seen += len(message.get("body", b""))
            if seen > self.max_body:
                raise _TooLarge
            return message

        try:
            await self.app(scope, counted, send)
        except _TooLarge:
            await self._refuse(scope, receive, send)

    async def _refuse(self, scope: dict, receive: Any, send: Any) -> None:
        text = f"request body too large: the limit is {self.max_body:,} bytes\n"
        await PlainTextResponse(text, status_code=413, headers={"Connection": "close"})(scope, receive, send)


class _TooLarge(Exception):
    pass


class SecurityHeaders:
    """No script runs, nothing loads from elsewhere: the pages need neither."""

    POLICY = ("default-src 'self'; script-src 'none'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; "
              "object-src 'none'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'")

    def __init__(self, app: Any):
        self.app = app

    async def __call__(self, scope: dict, receive: Any, send: Any) -> None:
        async def with_headers(message: dict) -> None:
            if message["type"] == "http.response.start":
                headers = list(message.get("headers", []))
                headers += [(b"content-security-policy", self.POLICY.encode()), (b"x-content-type-options", b"nosniff"),
                            (b"referrer-policy", b"no-referrer")]
                message = {**message, "headers": headers}
            await send(message)

        await self.app(scope, receive, with_headers if scope["type"] == "http" else send)


def create_app(recipe: GraphRecipe, options: ServerOptions | None = None, *, explorer: Explorer | None = None,
               pool: Any = None) -> Starlette:
    """The explorer for the graph ``recipe`` names. A caller may pass the ``explorer`` (the graph
    opened for the pages) and the started query ``pool``; the app makes what is not given when it
    starts, and closes the pool when it stops."""
    from . import pages, sparql
    from .worker import QueryPool

    options = options or ServerOptions()
    templates = Jinja2Templates(directory=str(_HERE / "templates"))
    templates.env.globals.update(colour=_colour, page=_page)
    templates.env.filters["safe_url"] = safe_url

    @contextlib.asynccontextmanager
    async def lifespan(app: Starlette):
        from starlette.concurrency import run_in_threadpool

        app.state.explorer = explorer or await run_in_threadpool(open_explorer, recipe)
        app.state.pool = pool or await run_in_threadpool(
            QueryPool(recipe, workers=options.workers, timeout=options.timeout, max_rows=options.max_rows).start)
        log.info("autokg serve: %s, %d query workers, timeout %g s, row cap %d", recipe.describe(),
                 options.workers, options.timeout, options.max_rows)
        try:
            yield
        finally:
            app.state.pool.close()

    routes = [
        Route("/", pages.home),
        Route("/search", pages.search),
        Route("/maker/{local:path}", pages.maker),
        Route("/model/{local:path}", pages.model),
        Route("/entity/{local:path}", pages.entity),
        Route("/id/{local:path}", pages.resolve_id),
        Route("/data/{local:path}", pages.data),
        Route("/query", pages.query_page, methods=["GET", "POST"]),
        Route("/sparql", sparql.sparql_endpoint, methods=["GET", "POST"]),
        Route("/void", sparql.void_endpoint),
        Route("/favicon.ico", lambda request: Response(status_code=204)),
        Mount("/static", StaticFiles(directory=str(_HERE / "static")), name="static"),
    ]
    middleware = [
        Middleware(SecurityHeaders),
        Middleware(CORSMiddleware, allow_origins=["*"], allow_methods=["GET", "POST", "OPTIONS"],
                   allow_headers=["Accept", "Content-Type"], expose_headers=["Autokg-Truncated", "Warning"], max_age=86400),
        Middleware(BodyLimit, max_body=options.max_body),
    ]

    async def not_found(request: Request, exc: HTTPException) -> Response:
        if exc.status_code != 404:
            return PlainTextResponse(str(exc.detail), status_code=exc.status_code)
        return pages.error_page(request, 404, "Not found", f"Nothing is at {request.url.path}.")

    async def failure(request: Request, exc: Exception) -> Response:
        if isinstance(exc, AutokgError) and is_unreachable(exc):
            log.warning("store unreachable: %s", exc)
            return pages.error_page(request, 503, "The graph's store cannot be reached",
                                    "The store behind this explorer does not answer. Try again in a moment.")
        log.exception("error answering %s", request.url.path)
        return pages.error_page(request, 500, "Something went wrong", "The page could not be made; the error is logged.")

    app = Starlette(routes=routes, middleware=middleware, lifespan=lifespan,
                    exception_handlers={HTTPException: not_found, AutokgError: failure, Exception: failure})
    app.state.templates = templates
    app.state.options = options
    app.state.prefixes = _prefixes()
    return app


def open_explorer(recipe: GraphRecipe) -> Explorer:
    """The pages' view of the graph: a remote endpoint's answers are cached for 30 s only."""
    from .data import is_remote_recipe

    return Explorer(open_graph(recipe), ttl=30.0 if is_remote_recipe(recipe) else None)


def _prefixes() -> dict[str, str]:
    from .data import PREFIXES

    return PREFIXES


def safe_url(url: str | None) -> str:
    """A link from the data, if it is http(s); anything else (javascript:, data:) becomes no link.

    >>> safe_url("https://www.reuters.com/x"), safe_url("javascript:alert(1)")
    ('https://www.reuters.com/x', '')
    """
    return url if isinstance(url, str) and url.lower().startswith(("http://", "https://")) else ""


def _colour(maker: str | None) -> str:
    from ..pictures import maker_colour

    return maker_colour(maker)


def _page(iri: str, kind: str | None = None) -> str:
    from .urls import page_path

    return page_path(iri, kind)
