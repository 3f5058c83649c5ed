"""What every command module of the CLI shares: the Context, the shared options, errors and exits.

- :class:`Context` is what the group's options say (``--data``, ``--no-bundled``, ``--store``,
  ``--debug``); :meth:`Context.graph` opens the graph on first use.
- :func:`store_option` is THE ``--store`` option (with ``--graph``, where on an endpoint the data
  goes): given to the group and to the ``store`` subcommands, it sets :attr:`Context.store` and
  :attr:`Context.graph_name` wherever it is typed.
- Errors: a library error (:class:`~autokg.errors.AutokgError`) raised by a command becomes one
  line on stderr and its exit code (2 for input errors) in :class:`AutokgGroup`; the one way to
  exit 2 is to raise one. Standard output goes through :func:`autokg.terminal.printable` and an
  error line through :func:`autokg.terminal.escaped`; a closed standard output ends quietly. The one way to exit 1 (a negative answer) is :func:`exit_negative`.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Callable
from typing import Any

import click

from ..errors import EXIT_INPUT, EXIT_NEGATIVE, AutokgError, InputError
from ..stoppable import engine_work_running

__all__ = ["Context", "AutokgGroup", "pass_context", "store_option", "format_option", "exit_negative", "resolve",
           "limit_option", "as_of_option",
           "MODEL_KINDS", "MAKER_KINDS"]

#: The exit code of a command stopped by Ctrl-C (128 + SIGINT, as shells report it).
EXIT_INTERRUPTED = 130

MODEL_KINDS = ("model",)
MAKER_KINDS = ("maker", "brand")


class Context:
    """What the group's options say: where the graph comes from, and how to report errors."""

    def __init__(self) -> None:
        self.data: tuple[str, ...] = ()
        self.bundled = True
        self.debug = False
        self.store: str | None = None
        self.include_unreviewed = False
        self.graph_name: str | None = None
        self._kg: Any = None

    def graph(self, *, create: bool = False) -> Any:
        """The graph, opened on first use (so --help and errors in options cost nothing).

        ``create`` lets a missing store folder be made (for ``store init`` and ``store load``).
        """
        if self._kg is None:
            from ..graph import open_graph

            self._kg = open_graph(store=self.store, data=self.data, bundled=self.bundled, create=create,
                                  graph=self.graph_name)
            self._kg.include_unreviewed = self.include_unreviewed
        return self._kg

    def store_graph(self, *, create: bool = False) -> Any:
        """The graph of the store given with ``--store``; an InputError without one."""
        if not self.store:
            raise InputError("no store given: use --store PATH|URL or set AUTOKG_STORE")
        return self.graph(create=create)

    def close(self) -> None:
        """Close the graph's store."""
        if self._kg is not None:
            self._kg.close()
            self._kg = None


pass_context = click.make_pass_decorator(Context, ensure=True)


class AutokgGroup(click.Group):
    """A click group that turns library errors into one line on stderr and the error's exit code.

    ``--debug`` shows the traceback instead.
    """

    def invoke(self, ctx: click.Context) -> Any:
        from ..terminal import escaped, printable_stdout

        try:
            with printable_stdout():  # labels from data never reach a terminal raw
                return super().invoke(ctx)
        except BrokenPipeError:
            # The reader went away (`autokg ... | head`): click's main ends quietly, as Unix tools do.
            raise
        except click.ClickException as err:  # a subcommand's usage error: click prints it, on one line
            err.message = escaped(err.message)
            raise
        except (AutokgError, OSError, UnicodeError) as err:
            obj = ctx.find_object(Context)
            if obj is not None and obj.debug:
                raise
            # One line, whatever a file name or a value in the message holds.
            click.echo(f"Error: {escaped(str(err))}", err=True)
            ctx.exit(err.exit_code if isinstance(err, AutokgError) else EXIT_INPUT)
        except KeyboardInterrupt:
            # Every write commits at its end (a store load swaps its copy in), so a stop leaves the old state.
            click.echo("Interrupted: nothing more is committed after Ctrl-C; a store keeps its last committed state.", err=True)
            if engine_work_running():
                # A load's thread is still writing its copy, which is never committed: end at once, as
                # after kill -9, rather than tear the engine down under it (that aborts, signal 6).
                sys.stdout.flush()
                sys.stderr.flush()
                os._exit(EXIT_INTERRUPTED)
            ctx.exit(EXIT_INTERRUPTED)


def exit_negative() -> None:
    """End the command with exit 1: a negative answer (violations, ASK false, invalid rows)."""
    click.get_current_context().exit(EXIT_NEGATIVE)


def _set_store(ctx: click.Context, _param: click.Parameter, value: str | None) -> None:
    if value:
        ctx.ensure_object(Context).store = value


def _set_graph(ctx: click.Context, _param: click.Parameter, value: str | None) -> None:
    if value:
        ctx.ensure_object(Context).graph_name = value


def store_option(*, envvar: str | None = None) -> Callable:
    """The ``--store PATH|URL`` option (the group's reads AUTOKG_STORE too), and ``--graph``."""
    store = click.option(
        "--store", envvar=envvar, default=None, metavar="PATH|URL", expose_value=False, callback=_set_store,
        help="Use a persistent store (a folder, on-disk pyoxigraph) or a SPARQL endpoint URL instead of the "
             "in-memory graph." + (f" Default: ${envvar}." if envvar else ""),
    )
    graph = click.option(
        "--graph", default=None, metavar="IRI|default", expose_value=False, callback=_set_graph,
        help="On a SPARQL endpoint, the graph autokg's data is in: a named graph (default: "
             "https://w3id.org/autokg/graph, or #graph=IRI in the URL), or 'default' for the endpoint's own "
             "default graph, which plain SPARQL clients read.",
    )
    return lambda func: store(graph(func))


def format_option(*choices: str, default: str | None = "table") -> Callable:
    """The shared ``--format`` option of answering commands."""
    choices = choices or ("table", "json", "csv")
    return click.option("--format", "fmt", type=click.Choice(choices), default=default, show_default=default is not None,
                        help="Output format.")


def resolve(ctx: Context, name: str, kinds: tuple[str, ...] | None = None, what: str | None = None) -> Any:
    """The one entity ``name`` names in the graph (NameNotFound with suggestions, or AmbiguousName)."""
    from ..names import NameIndex

    return NameIndex(ctx.graph()).resolve(name, kinds=kinds, what=what)


def limit_option() -> Callable:
    """The shared ``--limit N`` option: at most N rows in a table (JSON and CSV keep every row)."""
    return click.option("--limit", type=click.IntRange(min=1), default=None, metavar="N",
                        help="Show at most N rows in the table (JSON and CSV keep all).")


def _as_of(_ctx: click.Context, _param: click.Parameter, value: str | None) -> str | None:
    from ..evidence import parse_day

    return parse_day(value, "--as-of") if value else None


def as_of_option() -> Callable:
    """The shared ``--as-of DATE`` option: only what had been stated or published by that day."""
    return click.option("--as-of", "as_of", metavar="DATE", callback=_as_of,
                        help="Only claims stated or published by this day (YYYY-MM-DD, YYYY-MM or YYYY).")
