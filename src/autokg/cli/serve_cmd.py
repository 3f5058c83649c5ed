"""``autokg serve``: a read-only SPARQL endpoint and the web explorer (:mod:`autokg.web`).

Starlette and uvicorn are imported when the command runs, so the rest of the CLI starts as fast
as before.
"""

from __future__ import annotations

import logging

import click

from .common import Context, pass_context, store_option

__all__ = ["register", "serve"]


@click.command()
@store_option()
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on.")
@click.option("--port", type=click.IntRange(0, 65535), default=8000, show_default=True, help="Port to listen on.")
@click.option("--timeout", type=click.FloatRange(min=0.1, max=3600), default=10.0, show_default=True,
              help="Seconds a SPARQL query may run before it is stopped.")
@click.option("--max-rows", type=click.IntRange(min=1), default=10_000, show_default=True,
              help="Most rows (or triples) a query returns; the rest is cut, and the response says so.")
@click.option("--max-body", type=click.IntRange(min=1024), default=256 * 1024, show_default=True,
              help="Largest request body accepted, in bytes (a larger one gets 413).")
@click.option("--workers", type=click.IntRange(1, 32), default=2, show_default=True,
              help="Query worker processes (each opens the graph).")
@pass_context
def serve(obj: Context, host: str, port: int, timeout: float, max_rows: int, max_body: int,
          workers: int) -> None:
    """A read-only SPARQL endpoint and a web explorer of the graph.

    /sparql speaks the SPARQL 1.1 Protocol (no updates, no SERVICE); the pages show makers
    with their family trees and figures, models with their rivals, and a query page. Every
    page works without JavaScript and nothing is fetched from elsewhere.

    Example: autokg serve --port 8000   (then open http://127.0.0.1:8000/)
    """
    import uvicorn

    from ..web.app import ServerOptions, create_app, open_explorer
    from ..web.data import GraphRecipe, InputError
    from ..web.logs import install_redaction
    from ..web.worker import QueryPool

    store = obj.store
    if store and obj.data:
        raise InputError("--data cannot be combined with --store: add the files to the store first")
    recipe = GraphRecipe(store=store, data=tuple(obj.data), bundled=obj.bundled)
    options = ServerOptions(timeout=timeout, max_rows=max_rows, max_body=max_body, workers=workers)
    logging.basicConfig(level=logging.INFO, format="%(levelname)s: %(message)s")
    install_redaction(recipe.secrets)
    if host not in ("127.0.0.1", "localhost", "::1"):
        click.echo(f"Warning: listening on {host}: the explorer is reachable from other machines", err=True)
    explorer = open_explorer(recipe)  # a store that cannot be opened is one line and exit 2, here
    try:
        pool = QueryPool(recipe, workers=workers, timeout=timeout, max_rows=max_rows).start()
    except RuntimeError as err:
        raise InputError(f"cannot start the query workers: {err}") from None
    click.echo(f"autokg serve: http://{'[' + host + ']' if ':' in host else host}:{port}/ "
               f"({recipe.describe()}); Ctrl-C stops it", err=True)
    try:
        uvicorn.run(create_app(recipe, options, explorer=explorer, pool=pool), host=host, port=port,
                    log_level="info", limit_concurrency=200, timeout_keep_alive=5, server_header=False,
                    log_config=None)
    finally:
        pool.close()


def register(cli: click.Group) -> None:
    """Add ``serve`` to the group ``cli``."""
    cli.add_command(serve)
