"""``autokg figures``: the figures of makers or models, their best estimates, growth and targets."""

from __future__ import annotations

from typing import Any

import click

from ..errors import InputError
from .common import Context, as_of_option, format_option, limit_option, pass_context, resolve
from .render import echo_answer, echo_json, echo_table

__all__ = ["register"]


def _figure_row(f: dict[str, Any]) -> dict[str, Any]:
    return {**f, "value": f["display"], "scope": f["market"], "disagrees": "sources disagree" if f["conflict"] else ""}


_FIGURE_CSV = ["covers", "type", "measure", "value", "min_value", "max_value", "bound", "unit", "period_start",
               "period_end", "period", "market", "claim_kind", "stated_on", "publisher", "published", "url", "conflict",
               "claim"]


#: Claim kinds as a narrow table column names them.
_KIND_SHORT = {"company statement": "company", "media report": "media", "third-party estimate": "estimate",
               "analyst view": "analyst", "dataset record": "dataset"}


def _value_cell(row: dict[str, Any]) -> str:
    """A figure's value for a table: its unit only where it is not a count of vehicles."""
    from ..figures import format_value

    unit = None if row["unit"] in ("vehicles", None) else row["unit"]
    return format_value(row["value"], row["bound"], unit, row["min_value"], row["max_value"])


def _pivot_columns(table: dict[str, Any], rows: list[dict[str, Any]], width: int) -> list[str]:
    """The latest periods of a pivot that fit the terminal beside its label columns."""
    from ..fit import cell_text

    label = sum(max([len(c)] + [len(cell_text(r.get(c))) for r in rows]) + 2 for c in ("covers", "measure", "scope"))
    room, chosen = max(width - min(label, width // 2), 0), []
    for period in reversed(table["periods"]):
        need = max([len(period)] + [len(r.get(period) or "") for r in rows]) + 2
        if room < need and chosen:
            break
        room -= need
        chosen.insert(0, period)
    return chosen


@click.command()
@click.argument("names", nargs=-1)
@click.option("--all", "all_", is_flag=True, help="Every figure of the graph (with --format csv: all of them, as a table).")
@click.option("--kind", metavar="KIND",
              help="Only figures of this kind: a measure of the measure scheme (deliveries, sales, revenue, orders, "
                   "production, price ...; a measure covers its narrower ones: sales covers registrations), "
                   "or target.")
@click.option("--by", type=click.Choice(["month", "quarter", "year"]),
              help="A pivot of the best estimates by period (roll-ups never count twice).")
@click.option("--claims", "show_claims", is_flag=True, help="List every figure and target with its source.")
@as_of_option()
@limit_option()
@format_option()
@pass_context
def figures(ctx: Context, names: tuple[str, ...], all_: bool, kind: str | None, by: str | None, show_claims: bool,
            as_of: str | None, limit: int | None, fmt: str) -> None:
    """Dated figures of makers (with their segments, brands and models) or models: the best
    estimate of each subject, measure, scope and period, growth, and targets against it.

    The best estimate prefers an undisputed figure, a company statement over a media report,
    an exact figure over a bound, the most recent statement, then the more credible source; the
    others are kept (--claims lists them) and disagreements are flagged. --by month|quarter|year
    pivots the estimates; a maker's cell is its own figure, else the sum of its months or of its
    models (a lower bound, 410,000+), never both.

    Example: autokg figures BYD Leapmotor --by year
    """
    from ..figures import figure_kind, kind_measures
    from ..fit import terminal_width
    from ..series import figures_document

    if not names and not all_:
        raise InputError("give one or more NAMEs, or --all")
    if names and all_:
        raise InputError("give NAMEs or --all, not both")
    entities = None if all_ else [resolve(ctx, n) for n in names]
    what = f"{figure_kind(ctx.graph(), kind)['label']} " if kind else ""  # an unknown kind gets suggestions
    doc = figures_document(ctx.graph(), None if entities is None else [{"iri": e.iri, "label": e.label} for e in entities],
                           kinds=kind_measures(ctx.graph()), kind=kind, by=by, as_of=as_of)
    if fmt == "json":
        echo_json(doc)
        return
    if fmt == "csv":
        if by:
            table = doc["pivot"]
            echo_answer([{**r, **{p: (r["cells"].get(p) or {}).get("value") for p in table["periods"]}}
                         for r in table["rows"]], "csv", columns=["covers", "measure", "unit", "scope", *table["periods"]])
        else:
            echo_answer(doc["figures"], "csv", columns=_FIGURE_CSV)
        return
    who = "the graph" if all_ else ", ".join(e.label for e in entities)
    title = f"{what.capitalize() or 'Figures '}of {who}".replace("  ", " ") + (f", as of {as_of}" if as_of else "")
    empty = f"No {what}figures of {who} are known."
    if show_claims:
        echo_table([_figure_row(d) for d in doc["figures"]], "table", limit=limit,
                   columns=["covers", "type", "measure", "value", "period", "scope", "claim_kind", "publisher",
                            "published", "url", "disagrees"], title=title, empty=empty)
    elif by:
        table = doc["pivot"]
        rows = [{"covers": r["covers"], "measure": r["measure"], "scope": r["scope"],
                 **{p: (r["cells"][p]["display"] if p in r["cells"] else "") for p in table["periods"]}}
                for r in table["rows"]]
        periods = _pivot_columns(table, rows, terminal_width())
        hidden = len(table["periods"]) - len(periods)
        rows = [r for r in rows if any(r[p] for p in periods)]
        echo_table(rows, "table", limit=limit, columns=["covers", "measure", "scope", *periods],
                   title=f"{title}, by {by}" + (f" (latest {len(periods)} of {len(table['periods'])} periods; "
                                                "--format csv has all)" if hidden else ""), empty=empty)
        click.echo("n+ is a lower bound: a source's \"more than\", or a sum of some months or of the models.")
        doc = {**doc, "growth": [g for g in doc["growth"] if g["to"] in periods]}
    else:
        rows = [{**e, "value": _value_cell(e), "kind": _KIND_SHORT.get(e["claim_kind"], e["claim_kind"]),
                 "source": e["publisher"],
                 "others": len(e["alternatives"]) or "",
                 "why": ("disputed; " if e["disputed"] else "") + ("sources disagree; " if e["conflict"] else "")
                        + (e["why"] if e["alternatives"] else "")}
                for e in doc["estimates"]]
        echo_table(rows, "table", limit=limit,
                   columns=["covers", "measure", "period", "scope", "value", "kind", "source", "others", "why"],
                   title=f"{title}: {len(doc['estimates'])} best estimates from {len(doc['figures'])} figures and targets",
                   empty=empty)
    if doc["growth"]:
        click.echo()
        echo_table(doc["growth"], "table", limit=limit, columns=["covers", "measure", "scope", "from", "to", "growth"],
                   title="Growth against the same period a year before")
    if doc["targets_vs_actual"]:
        click.echo()
        rows = [{**t, "target": t["target"].removesuffix(" vehicles"), "actual": (t["actual"] or "").removesuffix(" vehicles"),
                 "gap": t["gap_text"]} for t in doc["targets_vs_actual"]]
        echo_table(rows, "table", limit=limit,
                   columns=["covers", "period", "revision", "target", "stated_on", "actual", "outcome", "gap"],
                   title="Targets against the best estimates")


def register(cli: click.Group) -> None:
    """Add ``figures`` to the group."""
    cli.add_command(figures)
