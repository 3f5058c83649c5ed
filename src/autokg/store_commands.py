"""``autokg store``: make, fill, inspect, validate and dump a persistent or remote store.

The store is named by ``--store PATH|URL`` (before or after the subcommand) or ``AUTOKG_STORE``:
a folder for an on-disk pyoxigraph store, or the URL of a SPARQL 1.1 endpoint (see
:mod:`autokg.store`). Every other autokg command answers from the store when ``--store`` is given.
"""

from __future__ import annotations

import contextlib
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import click

from .cli import Context, handle_errors
from .errors import EXIT_NEGATIVE, InputError

__all__ = ["store"]

_STORE_HELP = "The store: a folder (on-disk pyoxigraph) or a SPARQL endpoint URL. Default: the group's --store / AUTOKG_STORE."


def _location(ctx: click.Context, store: str | None) -> str:
    location = store or (ctx.obj.store if isinstance(ctx.obj, Context) else None)
    if not location:
        raise InputError("no store given: use --store PATH|URL or set AUTOKG_STORE")
    return location


def _store_option(func):
    return click.option("--store", "store_location", default=None, metavar="PATH|URL", help=_STORE_HELP)(func)


def _files_size(paths: list[str]) -> int:
    from .graph import _expand

    return sum(p.stat().st_size for p in _expand(paths))


def _load_with_progress(kg, paths: list[str], *, progress: bool | None, label: str, init: bool = False,
                        verbose: bool = False) -> int:
    from .store import init_store, load_into

    show = sys.stderr.isatty() if progress is None else progress
    run = init_store if init else load_into
    args = () if init else (paths,)
    kwargs = {"data": paths} if init else {}
    if not show:
        if verbose:
            kwargs["on_phase"] = lambda phase: click.echo(f"{label}: {'reading' if phase == 'parse' else 'writing'}",
                                                          err=True)
        return run(kg, *args, **kwargs)
    from rich.progress import BarColumn, DownloadColumn, Progress, TextColumn, TimeRemainingColumn

    from .graph import bundled_paths

    total = _files_size([*(map(str, bundled_paths()) if init else ()), *paths])
    with Progress(TextColumn("{task.description}"), BarColumn(), DownloadColumn(), TimeRemainingColumn(),
                  transient=True, console=_stderr_console()) as bar:
        task = bar.add_task(f"{label}: reading", total=total)

        def on_phase(phase: str) -> None:
            if phase == "write":
                bar.update(task, description=f"{label}: writing", completed=total)

        return run(kg, *args, on_bytes=lambda n: bar.advance(task, n), on_phase=on_phase, **kwargs)


@contextlib.contextmanager
def _opened(location: str, *, create: bool = False) -> Iterator[Any]:
    """Open a store for one command, and close it (releasing its lock) when the command ends."""
    from .store import open_store

    kg = open_store(location, create=create)
    try:
        yield kg
    finally:
        kg.close()


def _stderr_console():
    from rich.console import Console

    return Console(stderr=True)


@click.group("store")
def store() -> None:
    """Make, fill, inspect, validate and dump a persistent store (a folder) or SPARQL endpoint.

    \b
    Examples:
      autokg store init --store ./kg.db
      autokg store load data/ more.nt --store ./kg.db
      autokg --store ./kg.db competitors "Model Y"
      autokg store dump -o graph.ttl --store ./kg.db
      autokg store load big.nt --store http://127.0.0.1:7878
    """


@store.command("init")
@_store_option
@click.option("--no-bundled", is_flag=True, help="Make an empty store (without the bundled ontology and data).")
@click.option("--progress/--no-progress", default=None, help="Show a progress bar (default: on a terminal).")
@click.argument("paths", nargs=-1, type=click.Path())
@click.pass_context
@handle_errors
def init_cmd(ctx: click.Context, store_location: str | None, no_bundled: bool, progress: bool | None,
             paths: tuple[str, ...]) -> None:
    """Make a store and seed it with the bundled graph (ontology, concepts, curated data) and PATHS.

    Running it on a store that has data adds the bundled graph again (a no-op for triples it holds).

    Example: autokg store init --store ./kg.db
    """
    location = _location(ctx, store_location)
    with _opened(location, create=True) as kg:
        start = time.perf_counter()
        if no_bundled and not paths:
            click.echo(f"Made an empty store at {location}", err=True)
            return
        n = _load_with_progress(kg, list(paths), progress=progress, label="init", init=not no_bundled)
        click.echo(f"Seeded {location}: {n} triples read in {time.perf_counter() - start:.1f} s; "
                   f"the store holds {len(kg.store)} triples.", err=True)


@store.command("load")
@_store_option
@click.option("--validate/--no-validate", "validate", default=False,
              help="After loading, validate the nodes the load touched (exit 1 on violations).")
@click.option("--progress/--no-progress", default=None, help="Show a progress bar (default: on a terminal).")
@click.option("-v", "--verbose", is_flag=True, help="Say when reading ends and writing starts (without a progress bar).")
@click.argument("paths", nargs=-1, required=True, type=click.Path())
@click.pass_context
@handle_errors
def load_cmd(ctx: click.Context, store_location: str | None, validate: bool, progress: bool | None, verbose: bool,
             paths: tuple[str, ...]) -> None:
    """Load files or folders of Turtle, TriG, N-Triples, N-Quads or JSON-LD into the store.

    All or nothing: every file is parsed first, and a malformed one (reported with its line)
    leaves the store exactly as it was. Named graphs in TriG and N-Quads are merged into the
    store's graph. A missing store folder is made (empty: see `autokg store init`).

    Example: autokg store load data/ sales-2025.nt --store ./kg.db
    """
    location = _location(ctx, store_location)
    with _opened(location, create=True) as kg:
        start = time.perf_counter()
        n = _load_with_progress(kg, list(paths), progress=progress, label="load", verbose=verbose)
        elapsed = time.perf_counter() - start
        rate = f" ({n / elapsed:,.0f} triples/s)" if elapsed > 0 and n else ""
        click.echo(f"Loaded {n} triples from {len(kg.sources)} file(s) into {location} in {elapsed:.1f} s{rate}.",
                   err=True)
        if validate:
            _validate_touched(kg, list(paths))


def _validate_touched(kg, paths: list[str]) -> None:
    from .graph import _expand
    from .store import _parse_stream, touched_nodes, validate_store

    nodes: set[str] = set()
    for path in _expand(paths):
        nodes |= touched_nodes(_parse_stream(Path(path)))
    start = time.perf_counter()
    report = validate_store(kg, focus_nodes=nodes)
    _print_report(report, f"{len(nodes)} touched node(s)", time.perf_counter() - start)
    if not report.conforms:
        click.get_current_context().exit(EXIT_NEGATIVE)


def _print_report(report, what: str, elapsed: float) -> None:
    if report.conforms:
        click.echo(f"Valid: {what} conform to the shapes ({elapsed:.2f} s).", err=True)
        return
    for result in report.results:
        click.echo(str(result))
    click.echo(f"Invalid: {len(report.results)} violation(s) in {what} ({elapsed:.2f} s).", err=True)


@store.command("validate")
@_store_option
@click.option("--focus", "focus", multiple=True, metavar="IRI", help="Validate only these nodes. Repeatable.")
@click.pass_context
@handle_errors
def validate_cmd(ctx: click.Context, store_location: str | None, focus: tuple[str, ...]) -> None:
    """Validate the store against the shapes, without RDFS inference (exit 1 on violations).

    The ontology must be in the store (`autokg store init` puts it there).

    Example: autokg store validate --store ./kg.db --focus https://w3id.org/autokg/id/xiaomi-su7
    """
    from .store import validate_store

    with _opened(_location(ctx, store_location)) as kg:
        start = time.perf_counter()
        report = validate_store(kg, focus_nodes=list(focus) if focus else None)
    _print_report(report, f"{len(focus)} node(s)" if focus else "all nodes", time.perf_counter() - start)
    if not report.conforms:
        ctx.exit(EXIT_NEGATIVE)


@store.command("dump")
@_store_option
@click.option("-o", "--output", type=click.Path(dir_okay=False, writable=True), default=None,
              help="File to write (default: standard output).")
@click.option("--format", "fmt", type=click.Choice(["ttl", "nt", "nq", "trig", "jsonld", "rdf"]), default=None,
              help="Format (default: by the suffix of --output, else ttl).")
@click.pass_context
@handle_errors
def dump_cmd(ctx: click.Context, store_location: str | None, output: str | None, fmt: str | None) -> None:
    """Write the store's triples out (Turtle by default).

    Example: autokg store dump -o graph.ttl --store ./kg.db
    """
    from .errors import OutputError
    from .store import dump_format, dump_store

    rdf_format = dump_format(fmt or (output if output and "." in Path(output).name else "ttl"))
    with _opened(_location(ctx, store_location)) as kg:
        if output is None:
            stream = sys.stdout.buffer
            dump_store(kg, stream, rdf_format)
            stream.flush()
            return
        try:
            dump_store(kg, output, rdf_format)
        except OSError as err:
            raise OutputError(f"{output}: cannot write: {err.strerror or err}") from None
    click.echo(f"Wrote {output}.", err=True)


@store.command("info")
@_store_option
@click.pass_context
@handle_errors
def info_cmd(ctx: click.Context, store_location: str | None) -> None:
    """Say what the store is and how much it holds.

    Example: autokg store info --store http://127.0.0.1:7878
    """
    from .store import store_info

    with _opened(_location(ctx, store_location)) as kg:
        info = store_info(kg)
    for key, value in info.items():
        if isinstance(value, list):
            value = ", ".join(value) or "-"
        click.echo(f"{key}: {value}")
