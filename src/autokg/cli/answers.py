"""The answering commands: competitors, clusters, lineage, family, show, figures and plans.

Each resolves the names it is given, makes one library call that returns the whole answer as a
document (the JSON of ``--format json``), and renders it.
"""

from __future__ import annotations

from typing import Any

import click

from .common import MAKER_KINDS, MODEL_KINDS, Context, format_option, pass_context, resolve
from .render import echo_answer, echo_json

__all__ = ["register"]


# competitors ---------------------------------------------------------------------------------

def _competitors_csv(answer: dict[str, Any]) -> None:
    rows = [{"kind": "claimed", **r} for r in answer["claimed"]]
    rows += [{"kind": "inferred", "rival": r["rival"], "rival_iri": r["rival_iri"], "relation": "inferred",
              "note": "; ".join(r["reasons"])} for r in answer.get("inferred", [])]
    rows += [{"kind": f"distance {r['distance']}", "rival": r["rival"], "rival_iri": r["rival_iri"],
              "note": r["via"]} for r in answer.get("within", [])]
    echo_answer(rows, "csv", columns=["kind", "rival", "relation", "basis", "claim_kind", "publisher",
                                      "published", "url", "note", "rival_iri"])


def _competitors_table(answer: dict[str, Any], depth: int) -> None:
    model = answer["model"]["label"]
    echo_answer(answer["claimed"], "table",
                columns=["rival", "relation", "basis", "claim_kind", "publisher", "published", "url"],
                title=f"Claimed rivals of {model} ({len(answer['claimed'])} claims)",
                empty=f"No source claims a rival of {model}.")
    if "within" in answer:
        click.echo()
        echo_answer(answer["within"], "table", columns=["rival", "distance", "via"],
                    title=f"Rivals within {depth} steps", empty=f"Nothing within {depth} steps.")
    if "chain" in answer:
        click.echo()
        target = answer["target"]["label"]
        if answer["chain"] is None:
            click.echo(f"No chain of competition claims links {model} to {target}.")
        else:
            echo_answer(answer["chain"], "table", columns=["from", "to", "claims"], title=f"Chain from {model} to {target}")
    if "inferred" in answer:
        click.echo()
        rows = [{**r, "reasons": "; ".join(r["reasons"])} for r in answer["inferred"]]
        echo_answer(rows, "table", columns=["rival", "maker", "score", "reasons"],
                    title="Inferred rivals (no source claims these; shown by shared attributes)",
                    empty="No inferred rivals (the model's body style, segment or markets are not known).")


@click.command()
@click.argument("name")
@click.option("--inferred", is_flag=True, help="Also list inferred rivals (same body style, segment, market), apart.")
@click.option("--depth", type=click.IntRange(min=1), default=1, show_default=True,
              help="Follow competition claims this many steps (rivals of rivals ...).")
@click.option("--to", "to", metavar="NAME", help="Show the shortest chain of competition claims to this model.")
@format_option()
@pass_context
def competitors(ctx: Context, name: str, inferred: bool, depth: int, to: str | None, fmt: str) -> None:
    """Rivals of a model, each with the claim's basis and source.

    Example: autokg competitors "Model Y" --inferred
    """
    from ..competition import competitors as answer_for

    model = resolve(ctx, name, MODEL_KINDS, "model")
    target = resolve(ctx, to, MODEL_KINDS, "model").iri if to else None
    answer = answer_for(ctx.graph(), model.iri, depth=depth, to=target, inferred=inferred)
    if fmt == "json":
        echo_json(answer)
    elif fmt == "csv":
        _competitors_csv(answer)
    else:
        _competitors_table(answer, depth)


@click.command()
@format_option()
@pass_context
def clusters(ctx: Context, fmt: str) -> None:
    """Clusters of models that compete among themselves, by the claims that link them.

    Example: autokg clusters
    """
    from ..competition import clusters as answer_for

    echo_answer(answer_for(ctx.graph()), fmt, columns=["cluster", "size", "models"], empty="No competition claims.")


# lineage and family --------------------------------------------------------------------------

@click.command()
@click.argument("name")
@format_option()
@pass_context
def lineage(ctx: Context, name: str, fmt: str) -> None:
    """The family tree of a model: its bases and predecessors, variants and successors.

    Example: autokg lineage "SU7 L"
    """
    from ..lineage import lineage as answer_for

    model = resolve(ctx, name, MODEL_KINDS, "model")
    answer = answer_for(ctx.graph(), model.iri)
    if fmt == "json":
        echo_json(answer)
    elif fmt == "csv":
        echo_answer(answer["edges"], "csv", columns=["from", "relation", "to"])
    else:
        if not answer["tree"]:
            click.echo(f"{model.label} has no known variants, successors or predecessors.")
        else:
            click.echo("\n".join(answer["tree"]))
        if answer["platform"]:
            mates = ", ".join(m["label"] for m in answer["platform_mates"]) or "no other model known"
            click.echo(f"Platform: {answer['platform']} (shared with: {mates})")


@click.command()
@click.argument("maker")
@format_option()
@pass_context
def family(ctx: Context, maker: str, fmt: str) -> None:
    """Every model of a maker as a family tree of variants and successors.

    Example: autokg family Xiaomi
    """
    from ..lineage import family as answer_for

    entity = resolve(ctx, maker, MAKER_KINDS, "maker or brand")
    answer = answer_for(ctx.graph(), entity.iri)
    if fmt == "table":
        if not answer["models"]:
            click.echo(f"No models of {entity.label} are known.")
            return
        click.echo(f"{entity.label}: {len(answer['models'])} models")
        click.echo("\n".join(answer["tree"]))
    else:
        echo_answer(answer["models"] if fmt == "csv" else answer, fmt,
                    columns=["model", "variant_of", "successor_of", "status", "variant_kind", "iri"])


# show ----------------------------------------------------------------------------------------

@click.command()
@click.argument("name")
@format_option()
@pass_context
def show(ctx: Context, name: str, fmt: str) -> None:
    """Everything known about a maker, brand or model, with its sources.

    Example: autokg show "Xiaomi SU7"
    """
    from ..describe import describe

    answer = describe(ctx.graph(), resolve(ctx, name).iri)
    if fmt == "json":
        echo_json(answer)
        return
    rows = [{"property": k, "value": v} for k, vs in answer["facts"].items() for v in vs]
    rows += [{"property": k, "value": v} for k, vs in answer["related"].items() for v in vs]
    rows += [{"property": "claims", "value": f"{answer['claims']['figures_and_plans']} figures and plans, "
                                             f"{answer['claims']['competition']} competition claims"}]
    rows += [{"property": "source", "value": " ".join(str(s[k]) for k in ("publisher", "published", "url", "version") if s.get(k))}
             for s in answer["sources"]]
    echo_answer(rows, fmt, columns=["property", "value"], title=None if fmt == "csv" else f"{answer['label']} <{answer['iri']}>")


# figures and plans ---------------------------------------------------------------------------

def _figure_row(f: dict[str, Any]) -> dict[str, Any]:
    return {**f, "value": f["display"], "scope": f["market"], "disagrees": "sources disagree" if f["conflict"] else ""}


@click.command()
@click.argument("name")
@click.option("--kind", metavar="KIND",
              help="Only figures of this kind: a measure of the measure scheme (deliveries, sales, revenue, orders, "
                   "production, price ...; a measure covers its narrower ones: sales covers registrations), "
                   "or target.")
@format_option()
@pass_context
def figures(ctx: Context, name: str, kind: str | None, fmt: str) -> None:
    """Dated figures and targets of a maker (with its segments, brands and models) or a model.

    Each row says what it covers, its bound (410,000+ is a lower bound), period and source;
    figures on which sources disagree are marked. Tables add year-on-year growth and targets
    against actual figures.

    Example: autokg figures Xiaomi --kind revenue
    """
    from ..figures import figures_answer

    entity = resolve(ctx, name)
    answer = figures_answer(ctx.graph(), entity.iri, kind=kind)
    if fmt == "json":
        echo_json(answer)
        return
    if fmt == "csv":
        echo_answer(answer["figures"], "csv",
                    columns=["covers", "type", "measure", "value", "min_value", "max_value", "bound", "unit",
                             "period_start", "period_end", "period", "market", "claim_kind", "stated_on", "publisher",
                             "published", "url", "conflict", "claim"])
        return
    what = f"{answer['kind']['label']} " if kind else ""
    echo_answer([_figure_row(d) for d in answer["figures"]], "table",
                columns=["covers", "type", "measure", "value", "period", "scope", "claim_kind", "publisher",
                         "published", "url", "disagrees"],
                title=f"{what.capitalize() or 'Figures and targets '}of {entity.label}".replace("  ", " "),
                empty=f"No {what}figures of {entity.label} are known.")
    if answer["growth"]:
        click.echo()
        echo_answer(answer["growth"], "table", columns=["covers", "measure", "from", "to", "growth"],
                    title="Year-on-year growth")
    if answer["targets_vs_actual"]:
        click.echo()
        echo_answer(answer["targets_vs_actual"], "table",
                    columns=["covers", "period", "target", "stated_on", "actual", "outcome"],
                    title="Targets against actual figures")


def _plans_rows(answer: dict[str, Any]) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    targets = [{**t, "target": t["display"], "revision": "first stated" if t["revision"] == 0 else f"revision {t['revision']}"}
               for t in answer["targets"]]
    others = [{**p, "what": p["model"] or p["market"] or p["label"]} for key in ("launches", "market_entries", "strategies")
              for p in answer[key]]
    return targets, others


@click.command()
@click.argument("maker")
@format_option()
@pass_context
def plans(ctx: Context, maker: str, fmt: str) -> None:
    """A maker's plans: delivery targets with their revisions, launches, market entries, strategies.

    Example: autokg plans Xiaomi
    """
    from ..plans import plans as answer_for

    entity = resolve(ctx, maker, ("maker", "brand", "segment"), "maker")
    answer = answer_for(ctx.graph(), entity.iri)
    if fmt == "json":
        echo_json(answer)
        return
    targets, others = _plans_rows(answer)
    if fmt == "csv":
        rows = [{"kind": "target", "what": f"{t['covers']} {t['period']}", "value": t["target"], "revision": t["revision"],
                 "stated_on": t["stated_on"], "claim_kind": t["claim_kind"], "publisher": t["publisher"], "url": t["url"]}
                for t in targets]
        rows += [{"kind": p["kind"], "what": p["what"], "date": p["date"], "stated_on": p["stated_on"],
                  "claim_kind": p["claim_kind"], "publisher": p["publisher"], "url": p["url"], "note": p["note"]}
                 for p in others]
        echo_answer(rows, "csv", columns=["kind", "what", "value", "revision", "date", "stated_on", "claim_kind",
                                          "publisher", "url", "note"])
        return
    echo_answer(targets, "table", columns=["covers", "period", "target", "revision", "stated_on", "claim_kind", "publisher", "url"],
                title=f"Targets of {entity.label}", empty=f"No targets of {entity.label} are known.")
    click.echo()
    echo_answer(others, "table", columns=["kind", "what", "date", "stated_on", "claim_kind", "publisher", "url"],
                title=f"Launches, market entries and strategies of {entity.label}",
                empty=f"No launches, market entries or strategies of {entity.label} are known.")


def register(cli: click.Group) -> None:
    """Add these commands to the group."""
    for command in (competitors, clusters, lineage, family, show, figures, plans):
        cli.add_command(command)
