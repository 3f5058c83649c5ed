"""The ``autokg`` command line: a thin layer of click over the library.

Every command parses its options, makes one call into the library and renders the answer.
Library errors (:class:`autokg.errors.AutokgError`) become a one-line message and exit 2 (or
the error's own exit code); ``--debug`` shows the traceback instead.
"""

from __future__ import annotations

import functools
import sys
from collections.abc import Callable
from typing import Any

import click

from .errors import EXIT_INPUT, AutokgError

__all__ = ["cli", "main"]


class Context:
    """What the group's options say: where the graph comes from, and how to report errors."""

    def __init__(self, data: tuple[str, ...], bundled: bool, debug: bool, store: str | None):
        self.data, self.bundled, self.debug, self.store = data, bundled, debug, store
        self._kg = None

    def graph(self):
        """The graph, loaded on first use (so --help and errors in options cost nothing)."""
        if self._kg is None:
            if self.store:
                # A store holds what it holds: --no-bundled changes nothing, and --data would
                # have to change the store, which a question must not do.
                from .errors import InputError
                from .store import open_store

                if self.data:
                    raise InputError("--data cannot be combined with --store: add the files to the store "
                                     "with `autokg store load FILE --store STORE`")
                self._kg = open_store(self.store)
            else:
                from .graph import load

                self._kg = load(data=self.data, bundled=self.bundled)
        return self._kg

    def close(self) -> None:
        """Close the graph's store (an on-disk store keeps a lock while open)."""
        if self._kg is not None:
            self._kg.close()
            self._kg = None


def format_option(*choices: str, default_table: bool = True) -> Callable:
    """The shared ``--format`` option of answering commands."""
    choices = choices or ("table", "json", "csv")
    return click.option(
        "--format", "fmt", type=click.Choice(choices), default=choices[0] if default_table else None,
        show_default=True, help="Output format.",
    )


def handle_errors(func: Callable) -> Callable:
    """Turn library errors into one line on stderr and the error's exit code."""

    @functools.wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        ctx = click.get_current_context()
        debug = isinstance(ctx.obj, Context) and ctx.obj.debug
        try:
            return func(*args, **kwargs)
        except AutokgError as err:
            if debug:
                raise
            click.echo(f"Error: {err}", err=True)
            ctx.exit(err.exit_code)
        except (OSError, UnicodeError) as err:
            if debug:
                raise
            click.echo(f"Error: {err}", err=True)
            ctx.exit(EXIT_INPUT)

    return wrapper


def echo_answer(rows: Any, fmt: str, *, columns: list[str] | None = None, title: str | None = None,
                empty: str | None = None) -> None:
    from .output import render

    if not rows and fmt == "table" and empty:
        click.echo(empty)
        return
    click.echo(render(rows, fmt, columns=columns, title=title))


pass_context = click.make_pass_decorator(Context)


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="autokg")
@click.option("--data", "data", multiple=True, type=click.Path(), metavar="PATH",
              help="Add RDF data: a file or folder of Turtle, TriG, N-Triples, N-Quads or JSON-LD. Repeatable.")
@click.option("--no-bundled", is_flag=True, help="Leave out the bundled data and use the --data given (the ontology is always loaded).")
@click.option("--store", envvar="AUTOKG_STORE", default=None, metavar="PATH|URL",
              help="Use a persistent store (a folder) or a SPARQL endpoint instead of the in-memory graph.")
@click.option("--debug", is_flag=True, help="Show tracebacks for errors.")
@click.pass_context
def cli(ctx: click.Context, data: tuple[str, ...], no_bundled: bool, store: str | None, debug: bool) -> None:
    """autokg: a sourced knowledge graph of automakers, their models, rivals, figures and plans.

    Exit codes: 0 success; 1 a negative answer (violations found, ASK false, invalid import
    rows); 2 a usage or input error (unknown name, malformed file, bad SPARQL, unwritable output).

    Example: autokg competitors "Model Y"
    """
    ctx.obj = Context(data, not no_bundled, debug, store)
    ctx.call_on_close(ctx.obj.close)


def main() -> None:
    """Console entry point."""
    cli(prog_name="autokg")


from . import commands  # noqa: E402,F401  (registers the commands on `cli`)
from .store_commands import store as _store; cli.add_command(_store)  # noqa: E402,E702
from .import_commands import import_group as _import; cli.add_command(_import, name="import")  # noqa: E402,E702
from .web.command import register as _register_serve; _register_serve(cli)  # noqa: E402,E702

if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
