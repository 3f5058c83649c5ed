"""The ``autokg`` command line: a thin layer of click over the library.

Every command parses its options, makes one call into the library and renders the answer.
Library errors (:class:`autokg.errors.AutokgError`) become a one-line message and exit 2 (or
the error's own exit code); ``--debug`` shows the traceback instead.

Adding commands: write a module in this package that defines its commands with plain
``@click.command()`` (shared options, :class:`~autokg.cli.common.Context` and the exits come
from :mod:`autokg.cli.common`, printing from :mod:`autokg.cli.render`) and ends with::

    def register(cli: click.Group) -> None:
        cli.add_command(my_command)

then add the module to ``COMMAND_MODULES`` below. A command module never imports this module:
it receives the group (the datasette way), so there is no import cycle.
"""

from __future__ import annotations

import click

from . import analyst, answers, figures_cmd, graph_cmds, import_cmds, ingest_cmds, serve_cmd, store_cmds
from .common import AutokgGroup, Context, store_option

__all__ = ["cli", "main", "COMMAND_MODULES"]

#: The modules whose ``register(cli)`` adds their commands to the group.
COMMAND_MODULES = (answers, figures_cmd, analyst, graph_cmds, store_cmds, import_cmds, ingest_cmds, serve_cmd)


@click.group(cls=AutokgGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="autokg")
@click.option("--data", "data", multiple=True, type=click.Path(), metavar="PATH",
              help="Add RDF data: a file or folder of Turtle, TriG, N-Triples, N-Quads or JSON-LD. Repeatable.")
@click.option("--no-bundled", is_flag=True, help="Leave out the bundled data and use the --data given (the ontology is always loaded).")
@store_option(envvar="AUTOKG_STORE")
@click.option("--include-unreviewed", is_flag=True,
              help="Answer with claims `autokg ingest` extracted that no person has reviewed yet (left out otherwise).")
@click.option("--debug", is_flag=True, help="Show tracebacks for errors.")
@click.pass_context
def cli(ctx: click.Context, data: tuple[str, ...], no_bundled: bool, include_unreviewed: bool, debug: bool) -> None:
    """autokg: a sourced knowledge graph of automakers, their models, rivals, figures and plans.

    Exit codes: 0 success; 1 a negative answer (violations found, ASK false, invalid import
    rows); 2 a usage or input error (unknown name, malformed file, bad SPARQL, unwritable output).

    Example: autokg competitors "Model Y"
    """
    obj = ctx.ensure_object(Context)
    obj.data, obj.bundled, obj.debug, obj.include_unreviewed = data, not no_bundled, debug, include_unreviewed
    ctx.call_on_close(obj.close)


for _module in COMMAND_MODULES:
    _module.register(cli)


def main() -> None:
    """Console entry point."""
    cli(prog_name="autokg")
