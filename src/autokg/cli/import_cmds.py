"""``autokg import``: turn datasets and spreadsheets into sourced, validated Turtle.

Each subcommand parses its options, calls one importer of :mod:`autokg.importers`, writes the
result atomically to ``-o FILE.ttl`` and prints the report. Exit codes: 0 written (or a dry run
without invalid rows), 1 rows invalid and nothing written, 2 an input error (missing file,
unknown column, unknown market ...).
"""

from __future__ import annotations

import json
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import click

from ..errors import InputError
from ..outputs import check_output, writes_through
from .common import Context, exit_negative, pass_context

__all__ = ["import_group", "register"]


@click.group("import")
def import_group() -> None:
    """Import public datasets and spreadsheets into graph data (-o FILE.ttl).

    Names are resolved against the graph (the bundled data plus --data); unresolved makers and
    models are listed, or made new entities with --create. The result is checked with the SHACL
    shapes; with an invalid row nothing is written unless --skip-invalid drops such rows.
    """


def _common(func: Callable) -> Callable:
    options = [
        click.option("-o", "--output", type=click.Path(dir_okay=False), default=None, metavar="FILE.ttl",
                     help="Where to write the imported triples (Turtle). Without it, they go into the --store given before `import`."),
        click.option("--create", is_flag=True, help="Make unresolved makers and models new entities."),
        click.option("--skip-invalid", is_flag=True, help="Drop invalid rows (listed) and write the rest."),
        click.option("--dry-run", is_flag=True, help="Report what would be imported; write nothing."),
        click.option("--no-validate", is_flag=True, help="Skip the SHACL check (faster; not recommended)."),
        click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True,
                     help="Report format."),
    ]
    for option in reversed(options):
        func = option(func)
    return func


@contextmanager
def _progress(total: int | None) -> Iterator[Callable[[int], None] | None]:
    """A progress bar on a terminal for a long input, else nothing."""
    if total is not None and total > 2000 and sys.stderr.isatty():
        with click.progressbar(length=total, label="importing", file=sys.stderr) as bar:
            yield bar.update
    else:
        yield None


def _write_streamed(output: str, stream: Any) -> int | None:
    """Stream an import's triples into the atomic writer's temporary file; the triples written, or
    None when rows were invalid (the writer then discards the file: all or nothing)."""
    from ..importers.stream import IncompleteImport, write_stream
    from ..outputs import write_atomically

    def write(handle: Any) -> None:
        write_stream(handle, stream.triples)
        if not stream.ok:
            raise IncompleteImport

    try:
        write_atomically(output, write)
    except IncompleteImport:
        return None
    return stream.report.triples


def _run(obj: Context, call: Callable[..., Any], total: int | None, output: str | None, dry_run: bool,
         fmt: str, *, stream: Callable[..., Any] | None = None) -> None:
    """Run an import and write it. ``stream``, where an importer has one, makes the triples as they
    are written (memory flat in the rows) when they go to a new ``-o`` file or nowhere (--dry-run)."""
    into_store = bool(obj.store) and not output
    if not dry_run and not output and not into_store:
        raise InputError("give -o FILE.ttl, or a store with --store (or --dry-run)")
    if output and Path(output).suffix.lower() not in (".ttl", ".turtle") and not writes_through(output):
        raise InputError(f"{output}: the output must be a Turtle file (.ttl)")
    if output and not dry_run:
        check_output(output)  # before the import's work
    kg = obj.graph()
    loaded = {str(Path(p).resolve()) for p in obj.data}
    keep = bool(output) and str(Path(output).resolve()) in loaded
    written = None
    with _progress(total) as progress:
        if stream is not None and (dry_run or (output and not keep)):
            result = stream(kg, progress=progress)
            if dry_run:
                for _ in result.triples:
                    pass
            else:
                written = _write_streamed(output, result)
        else:
            result = call(kg, progress=progress)
    report = result.report
    if result.ok and not dry_run and written is None and into_store:
        output = obj.store
        kg.add(result.triples)  # all or nothing: one transaction, or one request to an endpoint
        written = len(result.triples)
    elif result.ok and not dry_run and written is None:
        from ..importers import write_turtle

        written = write_turtle(output, result.triples, keep_existing=keep)
    if fmt == "json":
        data = report.as_dict() | {"written": output if written is not None else None, "dry_run": dry_run}
        click.echo(json.dumps(data, indent=2))
    else:
        for line in report.lines():
            click.echo(line)
        if written is not None:
            click.echo(f"wrote {written} triples to {output}")
        elif dry_run:
            click.echo("dry run: nothing written")
    if report.invalid and result.ok:
        click.echo(f"dropped {len(report.invalid)} invalid rows (--skip-invalid)", err=True)
    if not result.ok:
        click.echo(f"Error: {len(report.invalid)} invalid rows; nothing written"
                   " (fix them, or give --skip-invalid to drop them)", err=True)
        exit_negative()


@import_group.command("sales")
@click.argument("csv_path", metavar="CSV", type=click.Path())
@click.option("--kind", type=click.Choice(["sales-estimate", "registrations", "sales", "deliveries"]),
              default="sales-estimate", show_default=True,
              help="What the numbers are: sales-estimate (measure sales, third-party estimate), registrations "
                   "(third-party), sales or deliveries (company-reported).")
@click.option("--market", default=None, metavar="CODE", help="The market the table covers (CN, US, europe ...).")
@click.option("--month-col", default=None, help="Month column (YYYY-MM). Default: month, period or date.")
@click.option("--maker-col", default=None, help="Maker column. Default: maker, make, brand or manufacturer.")
@click.option("--model-col", default=None, help="Model column. Default: model.")
@click.option("--units-col", default=None, help="Units column. Default: units, sales, value, volume ...")
@click.option("--source-col", default=None, help="Source URL column. Default: source_url, source or url.")
@click.option("--dataset-col", default=None, help="Column marking total rows (a value containing 'total'). Default: dataset, if present.")
@_common
@pass_context
def sales_command(obj: Context, csv_path: str, kind: str, market: str | None, month_col: str | None,
                  maker_col: str | None, model_col: str | None, units_col: str | None, source_col: str | None,
                  dataset_col: str | None, output: str | None, create: bool, skip_invalid: bool, dry_run: bool,
                  no_validate: bool, fmt: str) -> None:
    """Import a monthly sales / registrations / deliveries table: one row per model and month.

    Example: autokg import sales cn-bev-sales-monthly.csv --market CN --create -o cn-sales.ttl
    """
    from ..importers import import_sales
    from ..importers.csvrows import count_lines
    from ..importers.sales import stream_sales

    if not Path(csv_path).is_file():
        raise InputError(f"{csv_path}: no such file")
    options = dict(kind=kind, market=market, month_col=month_col, maker_col=maker_col, model_col=model_col,
                   units_col=units_col, source_col=source_col, dataset_col=dataset_col, create=create,
                   skip_invalid=skip_invalid, validate=not no_validate)
    _run(obj, lambda kg, progress: import_sales(kg, csv_path, progress=progress, **options),
         count_lines(csv_path), output, dry_run, fmt,
         stream=lambda kg, progress: stream_sales(kg, csv_path, progress=progress, **options))


@import_group.command("catalog")
@click.argument("csv_path", metavar="CSV", type=click.Path())
@click.option("--make-col", default=None, help="Make column. Default: make, maker, brand or manufacturer.")
@click.option("--model-col", default=None, help="Model column. Default: model.")
@click.option("--year-col", default=None, help="Model year column. Default: year, model_year.")
@click.option("--dataset-name", default=None, help="The catalogue's name (its source node). Default: the file name.")
@click.option("--dataset-version", default=None, help="The catalogue's version. Default: sha1 of the file's content.")
@click.option("--license", "license_", default=None, metavar="SPDX", help="The catalogue's licence (SPDX id).")
@click.option("--url", default=None, help="Where the catalogue is published.")
@_common
@pass_context
def catalog_command(obj: Context, csv_path: str, make_col: str | None, model_col: str | None, year_col: str | None,
                    dataset_name: str | None, dataset_version: str | None, license_: str | None, url: str | None,
                    output: str | None, create: bool, skip_invalid: bool, dry_run: bool, no_validate: bool,
                    fmt: str) -> None:
    """Import a model catalogue (make, model, year, attributes): one model per make and name.

    Example: autokg import catalog epa-vehicles-1984-2015.csv --create --license CC0-1.0 -o epa.ttl
    """
    from ..importers import import_catalog
    from ..importers.csvrows import count_lines

    if not Path(csv_path).is_file():
        raise InputError(f"{csv_path}: no such file")
    _run(obj, lambda kg, progress: import_catalog(
        kg, csv_path, make_col=make_col, model_col=model_col, year_col=year_col, dataset_name=dataset_name,
        dataset_version=dataset_version, license=license_, url=url, create=create, skip_invalid=skip_invalid,
        validate=not no_validate, progress=progress),
        count_lines(csv_path), output, dry_run, fmt)


@import_group.command("open-ev-data")
@click.argument("directory", metavar="DIR", type=click.Path())
@click.option("--dataset-version", default=None,
              help="The dataset's version, where the folder does not state it (e.g. 1.24.0).")
@click.option("--no-schema", is_flag=True, help="Do not check records against the dataset's schema.json.")
@_common
@pass_context
def open_ev_data_command(obj: Context, directory: str, dataset_version: str | None, no_schema: bool,
                         output: str | None, create: bool, skip_invalid: bool, dry_run: bool, no_validate: bool,
                         fmt: str) -> None:
    """Import the Open EV Data dataset (src/<make>/<model>/base.json and <year>/<variant>.json).

    Example: autokg import open-ev-data ../shared/data/open-ev-data --create -o open-ev.ttl
    """
    from ..importers import import_open_ev_data

    if not Path(directory).is_dir():
        raise InputError(f"{directory}: no such folder")
    _run(obj, lambda kg, progress: import_open_ev_data(
        kg, directory, dataset_version=dataset_version, check_schema=not no_schema, create=create,
        skip_invalid=skip_invalid, validate=not no_validate, progress=progress),
        None, output, dry_run, fmt)


def register(cli: click.Group) -> None:
    """Add the ``import`` group to the CLI."""
    cli.add_command(import_group, name="import")
