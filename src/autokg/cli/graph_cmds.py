"""Commands over the graph as a whole: query, validate, export and stats."""

from __future__ import annotations

import sys
from typing import Any

import click

from ..errors import InputError, QueryError
from ..export import ExportFormat
from ..outputs import check_output, write_atomically
from .common import MAKER_KINDS, MODEL_KINDS, Context, exit_negative, format_option, pass_context, resolve
from .render import echo_answer, echo_json

# query ---------------------------------------------------------------------------------------

@click.command()
@click.argument("file", required=False, type=click.Path(dir_okay=False, allow_dash=True))
@click.option("-e", "--expression", "text", metavar="TEXT", help="The SPARQL query itself.")
@click.option("--name", "name", metavar="NAME", help="A named query from the bundled queries/ (see --list).")
@click.option("--bind", "binds", multiple=True, metavar="VAR=VALUE",
              help="Bind a variable (IRI, id:CURIE, number or text); the value is never pasted into the query.")
@click.option("--list", "list_", is_flag=True, help="List the named queries.")
@click.option("--prefixes", "prefixes", is_flag=True, help="List the prefixes every query may use undeclared.")
@click.option("--format", "fmt", type=click.Choice(["table", "json", "csv", "tsv", "xml", "ttl", "nt"]), default=None,
              help="SELECT/ASK: table, json, csv, tsv, xml (SPARQL 1.1 result formats). CONSTRUCT/DESCRIBE: ttl, nt.")
@click.option("--allow-service", "allow_service", is_flag=True,
              help="Let SERVICE clauses fetch from other servers (off by default).")
@pass_context
def query(ctx: Context, file: str | None, text: str | None, name: str | None, binds: tuple[str, ...],
          list_: bool, prefixes: bool, fmt: str | None, allow_service: bool) -> None:
    """Run SPARQL (SELECT, ASK, CONSTRUCT, DESCRIBE) from a file, -e TEXT or --name NAME.

    ASK answers exit 0 for true and 1 for false. A --bind value that names a maker or model
    ("Li Auto") is bound to its IRI; put it in double quotes to bind the text itself.
    SERVICE is refused unless --allow-service; a query nested over 200 levels deep is refused.
    csv, tsv, json and xml results are written as they come; Ctrl-C stops a query at once (exit 130).

    Example: autokg query --name rivals --bind model=id:tesla-model-y
    """
    from ..queries import named_queries, named_query, parse_binding, resolve_binding
    from ..sparql_check import check_sparql

    if prefixes:
        from ..vocab import PREFIXES

        echo_answer([{"prefix": f"{p}:", "namespace": ns} for p, ns in PREFIXES.items()],
                    fmt if fmt in ("json", "csv") else "table", columns=["prefix", "namespace"])
        return
    if list_:
        echo_answer([{"name": q.name, "description": q.description} for q in named_queries().values()],
                    fmt if fmt in ("json", "csv") else "table", columns=["name", "description"])
        return
    given = [x for x in (file, text, name) if x]
    if len(given) != 1:
        raise InputError("give exactly one of FILE, -e TEXT or --name NAME")
    if name:
        sparql = named_query(name).text
    elif text:
        sparql = text
    elif file == "-":
        sparql = sys.stdin.read()
    else:
        try:
            with open(file, encoding="utf-8") as handle:  # type: ignore[arg-type]
                sparql = handle.read()
        except OSError as err:
            raise InputError(f"{file}: {err.strerror}") from None
    check_sparql(sparql, allow_service=allow_service)  # before any name is resolved or data read
    bindings = {}
    for var, value in (parse_binding(b) for b in binds):
        quoted = any(b.split("=", 1)[1].startswith('"') for b in binds if b.split("=", 1)[0].strip().lstrip("?$") == var)
        if not quoted:
            value, note = resolve_binding(value, lambda n: resolve(ctx, n).iri)
            if note:
                click.echo(f"Note: --bind {var}: {note}", err=True)
        bindings[var] = value
    from .interrupt import run_stoppably

    if run_stoppably(lambda: _answer_query(ctx, sparql, bindings, fmt, allow_service)):
        exit_negative()  # ASK answered no


def _answer_query(ctx: Context, sparql: str, bindings: dict, fmt: str | None, allow_service: bool) -> bool:
    """Run the query and write its answer (the query command's work, on its own thread); True
    for a negative answer (ASK false)."""
    from ..queries import run_sparql

    answer = run_sparql(ctx.graph(), sparql, bindings=bindings, allow_service=allow_service)
    try:
        return _write_answer(ctx, answer, fmt)
    except (click.exceptions.Exit, click.exceptions.Abort):
        raise  # click's own exits are RuntimeErrors too
    except (RuntimeError, ValueError, SyntaxError) as err:
        # Results are lazy: the engine (or a SERVICE reply) can fail while they are written.
        raise QueryError(f"SPARQL failed: {' '.join(str(err).split())}") from None


def _write_answer(ctx: Context, answer: Any, fmt: str | None) -> bool:
    """Write a query's answer in ``fmt`` (csv, tsv, json and xml streamed as the rows come);
    True for ASK false."""
    from ..queries import RESULT_FORMATS

    if answer.kind == "graph":
        import pyoxigraph as ox

        from ..rdfio import serialize

        if fmt not in (None, "ttl", "nt"):
            raise InputError(f"--format {fmt} is for SELECT and ASK; CONSTRUCT and DESCRIBE give ttl or nt")
        data = serialize(answer.result, ox.RdfFormat.N_TRIPLES if fmt == "nt" else ox.RdfFormat.TURTLE)
        click.echo(data.decode("utf-8"), nl=False)
        return False
    fmt = fmt or "table"
    if fmt in ("ttl", "nt"):
        raise InputError(f"--format {fmt} is for CONSTRUCT and DESCRIBE; SELECT and ASK give table, json, csv, tsv or xml")
    if answer.kind == "ask":
        if fmt == "table":
            click.echo("yes" if answer.result else "no")
        else:
            click.echo(answer.result.serialize(format=RESULT_FORMATS[fmt]).decode("utf-8"))
        return not answer.result
    if fmt == "table":
        from ..claimrows import concept_names

        # A table shows a concept by its label (China, SUV); csv, tsv, json and xml keep the IRI.
        names = concept_names(ctx.graph())
        rows = [{k: (names[v][0] or v) if isinstance(v, str) and v in names else v for k, v in row.items()}
                for row in answer.rows()]
        columns = [v.value for v in answer.result.variables]
        echo_answer(rows, "table", columns=columns, empty="No rows.")
        return False
    # Streamed, as bytes: rows are written as the engine yields them (never held whole), and
    # SPARQL CSV lines end in CRLF, which text mode would change. CSV, which spreadsheets open,
    # has its formula-like cells defused.
    out = click.get_binary_stream("stdout")
    if fmt == "csv":
        from ..output import write_csv_results

        write_csv_results(answer.result, out)
    else:
        answer.result.serialize(out, format=RESULT_FORMATS[fmt])
    out.flush()
    return False


# validate ------------------------------------------------------------------------------------

@click.command()
@click.argument("paths", nargs=-1, type=click.Path())
@click.option("--shapes", "shapes", multiple=True, type=click.Path(), metavar="SHAPES",
              help="Check against these SHACL shapes (files or folders; repeatable) instead of autokg's, "
                   "without inference and without the QC queries.")
@click.option("--no-bundled", "no_bundled", is_flag=True,
              help="Check the PATHs alone, without the bundled ontology and data.")
@click.option("--format", "fmt", type=click.Choice(["text", "json", "ttl"]), default="text", show_default=True,
              help="text: a report grouped by focus node; json or ttl: the full SHACL report.")
@click.option("--no-qc", is_flag=True, help="Run the SHACL shapes only, not the quality-check queries.")
@pass_context
def validate(ctx: Context, paths: tuple[str, ...], shapes: tuple[str, ...], no_bundled: bool, fmt: str,
             no_qc: bool) -> None:
    """Check the graph (and any PATHs added to it) against the SHACL shapes and the QC queries.

    With --shapes, any data against any shapes: the shapes are compiled to SPARQL and run in the
    store (pyshacl only for what the compiler leaves); literals are checked as the files write
    them. Exit 0 when it conforms, 1 when there are violations, 2 when a file cannot be read.

    Example: autokg validate --shapes person-shapes.ttl people.ttl --no-bundled
    """
    from ..graph import KnowledgeGraph
    from ..validation import validate as run_validation
    from ..validation.lexical import read_graph
    from ..validation.report import document, text

    if no_bundled:
        if not paths:
            raise InputError("--no-bundled needs the files to check: autokg validate --no-bundled FILE ...")
        kg = KnowledgeGraph()
        kg.load(paths)
    else:
        kg = ctx.graph()
        if paths:
            # The files are checked with the graph, never added to it: a store is copied into memory first.
            kg = kg.copy() if ctx.store else kg
            kg.load(paths)
    if shapes:
        validation = run_validation(kg, qc=False, inference="none", shapes=read_graph(shapes), as_written=True)
    else:
        validation = run_validation(kg, qc=not no_qc, as_written=True)
    if fmt == "ttl":
        click.echo(validation.shacl.report_graph.serialize(format="turtle"))
    elif fmt == "json":
        echo_json(document(validation))
    else:
        click.echo(text(validation))
    if not validation.conforms:
        exit_negative()


# export and stats ----------------------------------------------------------------------------

@click.command()
@click.option("--family", "family_", metavar="MAKER", help="The models of a maker (or brand).")
@click.option("--model", metavar="NAME", help="One model and its variants, bases and successors.")
@click.option("--all", "all_", is_flag=True, help="Every model (graph formats) or the whole graph (RDF formats).")
@click.option("--format", "fmt", type=click.Choice([f.value for f in ExportFormat]),
              default=None, help="Output format; by default taken from the -o file's extension.")
@click.option("-o", "--output", required=True, metavar="FILE", help="Where to write; - for standard output.")
@pass_context
def export(ctx: Context, family_: str | None, model: str | None, all_: bool, fmt: str | None, output: str) -> None:
    """Export a model-family graph as RDF (ttl, nt, jsonld), a network (graphml, gexf, dot, mermaid,
    json) or a picture (svg: the family tree, as the web explorer draws it).

    The file is written whole or not at all.

    Example: autokg export --family Xiaomi --format graphml -o xiaomi.graphml
    """
    from .. import export as ex

    if sum(bool(x) for x in (family_, model, all_)) != 1:
        raise InputError("give exactly one of --family MAKER, --model NAME or --all")
    check_output(output)  # before the work
    chosen = ex.check_format(fmt) if fmt else ex.ExportFormat.from_extension(output)
    if chosen is None:
        raise InputError(f"cannot tell the format from {output!r}: give --format")
    family_iri = resolve(ctx, family_, MAKER_KINDS, "maker or brand").iri if family_ else None
    model_iri = resolve(ctx, model, MODEL_KINDS, "model").iri if model else None
    write_atomically(output, ex.export(ctx.graph(), fmt=chosen, family=family_iri, model=model_iri))
    if output != "-":
        click.echo(f"Wrote {output} ({chosen.value})", err=True)


@click.command()
@format_option()
@pass_context
def stats(ctx: Context, fmt: str) -> None:
    """Counts of makers, brands, models, variants, figures, claims, sources and triples.

    Example: autokg stats
    """
    from ..describe import stats as graph_stats

    counts = graph_stats(ctx.graph())
    if fmt == "json":
        echo_json(counts)
    else:
        echo_answer([{"what": k, "count": v} for k, v in counts.items()], fmt, columns=["what", "count"])


def register(cli: click.Group) -> None:
    """Add these commands to the group."""
    cli.add_command(query)
    cli.add_command(validate)
    cli.add_command(export)
    cli.add_command(stats)
