"""``autokg store``: make, fill, inspect, validate and dump a persistent or remote store.

The store is named by ``--store PATH|URL`` (before or after the subcommand) or ``AUTOKG_STORE``:
a folder for an on-disk pyoxigraph store (:mod:`autokg.store`), or the URL of a SPARQL 1.1
endpoint (:mod:`autokg.remote`). Every other autokg command answers from the store when
``--store`` is given.
"""

from __future__ import annotations

import sys
import time
from collections.abc import Callable
from typing import Any

import click

from .common import Context, exit_negative, pass_context, store_option

__all__ = ["store", "register"]


def _load_with_progress(kg: Any, paths: list[Any], *, progress: bool | None, label: str, verbose: bool = False,
                        check: Callable[[Any], None] | None = None) -> int:
    show = sys.stderr.isatty() if progress is None else progress
    if not show:
        if verbose:
            return kg.load(paths, check=check, on_phase=lambda phase: click.echo(
                f"{label}: {'reading' if phase == 'parse' else 'writing'}", err=True))
        return kg.load(paths, check=check)
    from rich.console import Console
    from rich.progress import BarColumn, DownloadColumn, Progress, TextColumn, TimeRemainingColumn

    from ..rdfio import expand_paths

    total = sum(p.stat().st_size for p in expand_paths(paths))
    with Progress(TextColumn("{task.description}"), BarColumn(), DownloadColumn(), TimeRemainingColumn(),
                  transient=True, console=Console(stderr=True)) as bar:
        task = bar.add_task(f"{label}: reading", total=total)

        def on_phase(phase: str) -> None:
            if phase == "write":
                bar.update(task, description=f"{label}: writing", completed=total)

        return kg.load(paths, check=check, on_bytes=lambda n: bar.advance(task, n), on_phase=on_phase)


def _say_skipped(paths: Any) -> None:
    """Name the files a folder load left out (not RDF by their suffix), so that none is dropped unseen."""
    from ..rdfio import skipped_files

    skipped = skipped_files(paths)
    if skipped:
        click.echo(f"Skipped {len(skipped)} file(s), not RDF by their suffix or not regular files: "
                   + ", ".join(map(str, skipped)), err=True)


#: The --progress option of the commands that load files.
progress_option = click.option("--progress/--no-progress", default=None,
                               help="Show a progress bar (default: on a terminal).")


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
@store_option()
@click.option("--no-bundled", is_flag=True, help="Make an empty store (without the bundled ontology and data).")
@progress_option
@click.argument("paths", nargs=-1, type=click.Path())
@pass_context
def init_cmd(ctx: Context, no_bundled: bool, progress: bool | None, paths: tuple[str, ...]) -> None:
    """Make a store and seed it with the bundled graph (ontology, concepts, curated data) and PATHS.

    Running it on a store that has data adds the bundled graph again (a no-op for triples it holds).

    Example: autokg store init --store ./kg.db
    """
    from ..store import init_paths

    kg = ctx.store_graph(create=True)
    start = time.perf_counter()
    if no_bundled and not paths:
        click.echo(f"Made an empty store at {kg.location}", err=True)
        return
    n = _load_with_progress(kg, init_paths(bundled=not no_bundled, data=paths), progress=progress, label="init")
    click.echo(f"Seeded {kg.location}: {n} triples read in {time.perf_counter() - start:.1f} s; "
               f"the store holds {len(kg)} triples.", err=True)
    _say_skipped(paths)


@store.command("load")
@store_option()
@click.option("--validate/--no-validate", "validate", default=False,
              help="Validate the nodes the load touches before committing it: on violations, exit 1 and load nothing.")
@progress_option
@click.option("-v", "--verbose", is_flag=True, help="Say when reading ends and writing starts (without a progress bar).")
@click.argument("paths", nargs=-1, required=True, type=click.Path())
@pass_context
def load_cmd(ctx: Context, validate: bool, progress: bool | None, verbose: bool, paths: tuple[str, ...]) -> None:
    """Load files or folders of Turtle, TriG, N-Triples, N-Quads or JSON-LD into the store.

    All or nothing: every file is parsed first, and a malformed one (reported with its line)
    leaves the store exactly as it was; so do violations with --validate, and Ctrl-C (exit 130).
    The load takes the store's writer lock (a second writer is refused); questions keep reading
    the last committed state meanwhile. Named graphs in TriG and N-Quads are merged into the
    store's graph. A missing store folder is made (empty: see `autokg store init`).

    Example: autokg store load data/ sales-2025.nt --store ./kg.db
    """
    kg = ctx.store_graph(create=True)
    start = time.perf_counter()
    check = _touched_nodes_conform(paths) if validate else None
    n = _load_with_progress(kg, list(paths), progress=progress, label="load", verbose=verbose, check=check)
    elapsed = time.perf_counter() - start
    rate = f" ({n / elapsed:,.0f} triples/s)" if elapsed > 0 and n else ""
    click.echo(f"Loaded {n} triples from {len(kg.sources)} file(s) into {kg.location} in {elapsed:.1f} s{rate}.",
               err=True)
    _say_skipped(paths)


def _touched_nodes_conform(paths: tuple[str, ...]) -> Callable[[Any], None]:
    """The check of ``store load --validate``: the nodes the files touch, in the store as it would be."""
    def check(staged: Any) -> None:
        from ..errors import NotConforming
        from ..rdfio import expand_paths, parse
        from ..validation import touched_nodes

        focus = touched_nodes(q for path in expand_paths(paths) for q in parse(path))
        violations = _validate(staged, focus, "touched node(s)", summary=False)
        if violations:
            raise NotConforming(f"{violations} violation(s) in {len(focus)} touched node(s) (listed above); "
                                "nothing was loaded")
    return check


def _validate(kg: Any, focus: set[str] | None, what: str, *, summary: bool = True) -> int:
    """Validate the store (only ``focus`` if given), print the report; return the number of violations.

    ``summary``: end a report with violations with its one line on stderr.
    """
    from ..validation import validate

    start = time.perf_counter()
    report = validate(kg, focus=focus, qc=False, inference="none")
    elapsed = time.perf_counter() - start
    what = f"{len(focus)} {what}" if focus is not None else what
    if report.conforms:
        click.echo(f"Valid: {what} conform to the shapes ({elapsed:.2f} s).", err=True)
        return 0
    for result in report.results:
        click.echo(str(result))
    if summary:
        click.echo(f"Invalid: {len(report.results)} violation(s) in {what} ({elapsed:.2f} s).", err=True)
    return len(report.results)


@store.command("validate")
@store_option()
@click.option("--focus", "focus", multiple=True, metavar="IRI", help="Validate only these nodes. Repeatable.")
@pass_context
def validate_cmd(ctx: Context, focus: tuple[str, ...]) -> None:
    """Validate the store against the shapes, without RDFS inference (exit 1 on violations).

    The ontology must be in the store (`autokg store init` puts it there).

    Example: autokg store validate --store ./kg.db --focus https://w3id.org/autokg/id/xiaomi-su7
    """
    if _validate(ctx.store_graph(), set(focus) if focus else None, "node(s)" if focus else "all nodes"):
        exit_negative()


@store.command("dump")
@store_option()
@click.option("-o", "--output", default=None, metavar="FILE",
              help="File to write; - or nothing for standard output. Written whole or not at all.")
@click.option("--format", "fmt", type=click.Choice(["ttl", "nt", "nq", "trig", "jsonld", "rdf"]), default=None,
              help="Format (default: by the suffix of --output, else ttl).")
@pass_context
def dump_cmd(ctx: Context, output: str | None, fmt: str | None) -> None:
    """Write the store's triples out (Turtle by default).

    Example: autokg store dump -o graph.ttl --store ./kg.db
    """
    from ..outputs import check_output
    from ..rdfio import dump_format

    rdf_format = dump_format(fmt or (output if output and "." in output.rsplit("/", 1)[-1] else "ttl"))
    if output is not None:
        check_output(output)  # before the store is opened: a refused output leaves it untouched
    kg = ctx.store_graph()
    kg.dump("-" if output is None else output, rdf_format)  # the one writer: "-" is standard output
    if output not in (None, "-"):
        click.echo(f"Wrote {output}.", err=True)


@store.command("info")
@store_option()
@pass_context
def info_cmd(ctx: Context) -> None:
    """Say what the store is and how much it holds.

    Example: autokg store info --store http://127.0.0.1:7878
    """
    for key, value in ctx.store_graph().info().items():
        if isinstance(value, list):
            value = ", ".join(value) or "-"
        click.echo(f"{key}: {value}")


def register(cli: click.Group) -> None:
    """Add the ``store`` group to the CLI."""
    cli.add_command(store)
