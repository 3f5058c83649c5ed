"""The answering commands: competitors, clusters, lineage, family, show, figures and plans.

Each parses its options, calls the library, renders.
"""

from __future__ import annotations

import json
from typing import Any

import click

from .common import MAKER_KINDS, MODEL_KINDS, Context, format_option, pass_context, resolve
from .render import echo_answer

# competitors ---------------------------------------------------------------------------------

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
    from .. import competition as comp

    kg = ctx.graph()
    model = resolve(ctx, name, MODEL_KINDS, "model")
    answer: dict[str, Any] = {"model": {"iri": model.iri, "label": model.label},
                              "claimed": comp.direct_rivals(kg, model.iri)}
    G = None
    if depth > 1 or to:
        G = comp.competition_graph(comp.competition_claims(kg))
    if depth > 1:
        assert G is not None
        answer["within"] = [
            {"rival": G.nodes[n].get("label", n), "rival_iri": n, "distance": d,
             "via": " > ".join(G.nodes[x].get("label", x) for x in comp.rival_chain(G, model.iri, n) or [])}
            for n, d in comp.rivals_within(G, model.iri, depth).items()
        ]
    if to:
        assert G is not None
        target = resolve(ctx, to, MODEL_KINDS, "model")
        chain = comp.rival_chain(G, model.iri, target.iri)
        answer["chain"] = None if chain is None else [
            {"from": G.nodes[a].get("label", a), "to": G.nodes[b].get("label", b),
             "claims": [f"{c['kind'].replace('Claim', '').lower()}: {c['publisher'] or ''} {c['url'] or ''}".strip()
                        for c in G.edges[a, b]["claims"]]}
            for a, b in zip(chain, chain[1:])
        ]
    if inferred:
        answer["inferred"] = [
            {"rival": r.label, "rival_iri": r.model, "maker": r.maker, "score": r.score, "reasons": r.reasons}
            for r in comp.inferred_rivals(kg, model.iri)
        ]
    if fmt == "json":
        click.echo(json.dumps(answer, indent=2, ensure_ascii=False))
        return
    if fmt == "csv":
        rows = [{"kind": "claimed", **r} for r in answer["claimed"]]
        rows += [{"kind": "inferred", "rival": r["rival"], "rival_iri": r["rival_iri"], "relation": "inferred",
                  "note": "; ".join(r["reasons"])} for r in answer.get("inferred", [])]
        rows += [{"kind": f"distance {r['distance']}", "rival": r["rival"], "rival_iri": r["rival_iri"],
                  "note": r["via"]} for r in answer.get("within", [])]
        echo_answer(rows, "csv", columns=["kind", "rival", "relation", "basis", "claim_kind", "publisher",
                                          "published", "url", "note", "rival_iri"])
        return
    echo_answer(answer["claimed"], "table",
                columns=["rival", "relation", "basis", "claim_kind", "publisher", "published", "url"],
                title=f"Claimed rivals of {model.label} ({len(answer['claimed'])} claims)",
                empty=f"No source claims a rival of {model.label}.")
    if "within" in answer:
        click.echo()
        echo_answer(answer["within"], "table", columns=["rival", "distance", "via"],
                    title=f"Rivals within {depth} steps", empty=f"Nothing within {depth} steps.")
    if "chain" in answer:
        click.echo()
        if answer["chain"] is None:
            click.echo(f"No chain of competition claims links {model.label} to {target.label}.")
        else:
            echo_answer(answer["chain"], "table", columns=["from", "to", "claims"],
                        title=f"Chain from {model.label} to {target.label}")
    if "inferred" in answer:
        click.echo()
        rows = [{**r, "reasons": "; ".join(r["reasons"])} for r in answer["inferred"]]
        echo_answer(rows, "table", columns=["rival", "maker", "score", "reasons"],
                    title="Inferred rivals (no source claims these; shown by shared attributes)",
                    empty="No inferred rivals (the model's body style, segment or markets are not known).")


@click.command()
@format_option()
@pass_context
def clusters(ctx: Context, fmt: str) -> None:
    """Clusters of models that compete among themselves, by the claims that link them.

    Example: autokg clusters
    """
    from ..competition import competition_claims, competition_graph, rival_clusters

    G = competition_graph(competition_claims(ctx.graph()))
    rows = [{"cluster": i + 1, "size": len(c), "models": sorted(G.nodes[n].get("label", n) for n in c)}
            for i, c in enumerate(rival_clusters(G))]
    echo_answer(rows, fmt, columns=["cluster", "size", "models"], empty="No competition claims.")


# lineage and family --------------------------------------------------------------------------

@click.command()
@click.argument("name")
@format_option()
@pass_context
def lineage(ctx: Context, name: str, fmt: str) -> None:
    """The family tree of a model: its bases and predecessors, variants and successors.

    Example: autokg lineage "SU7 L"
    """
    from .. import lineage as lin

    model = resolve(ctx, name, MODEL_KINDS, "model")
    G = lin.lineage_graph(ctx.graph())
    family = lin.family_of(G, model.iri)
    label = lambda n: G.nodes[n].get("label", n)  # noqa: E731
    answer = {
        "model": {"iri": model.iri, "label": model.label},
        "ancestors": [{"iri": n, "label": label(n)} for n in lin.ancestors(G, model.iri)],
        "descendants": [{"iri": n, "label": label(n)} for n in lin.descendants(G, model.iri)],
        "generations": [[label(n) for n in gen] for gen in lin.generations(G, model.iri)] if len(family) else [],
        "edges": [{"from": label(a), "to": label(b), "relation": rel} for a, b, rel in family.edges(data="relation")],
        "platform": G.nodes[model.iri].get("platform") if model.iri in G else None,
        "platform_mates": [{"iri": n, "label": label(n)} for n in lin.platform_mates(G, model.iri)],
    }
    if fmt == "json":
        click.echo(json.dumps(answer, indent=2, ensure_ascii=False))
    elif fmt == "csv":
        echo_answer(answer["edges"], "csv", columns=["from", "relation", "to"])
    else:
        if family.number_of_edges() == 0:
            click.echo(f"{model.label} has no known variants, successors or predecessors.")
        else:
            click.echo("\n".join(lin.family_tree_lines(family)))
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
    from .. import lineage as lin

    entity = resolve(ctx, maker, MAKER_KINDS, "maker or brand")
    kg = ctx.graph()
    G = lin.lineage_graph(kg)
    from ..export import family_models

    members = family_models(kg, entity.iri)
    sub = G.subgraph(members).copy()
    rows = [{"model": d.get("label", n), "iri": n, "variant_of": ", ".join(sub.nodes[p].get("label", p) for p in sub.predecessors(n)
                                                                           if sub.edges[p, n]["relation"] == "variant"),
             "successor_of": ", ".join(sub.nodes[p].get("label", p) for p in sub.predecessors(n)
                                       if sub.edges[p, n]["relation"] == "successor"),
             "status": d.get("status"), "variant_kind": d.get("variant_kind")}
            for n, d in sorted(sub.nodes(data=True), key=lambda nd: nd[1].get("label", nd[0]))]
    if fmt == "table":
        if not rows:
            click.echo(f"No models of {entity.label} are known.")
            return
        click.echo(f"{entity.label}: {len(rows)} models")
        click.echo("\n".join(lin.family_tree_lines(sub)))
    else:
        echo_answer(rows if fmt == "csv" else {"maker": {"iri": entity.iri, "label": entity.label}, "models": rows}, fmt,
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

    entity = resolve(ctx, name)
    answer = describe(ctx.graph(), entity.iri)
    if fmt == "json":
        click.echo(json.dumps(answer, indent=2, ensure_ascii=False))
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
@click.option("--kind", type=click.Choice(["deliveries", "sales", "revenue", "orders", "production", "price", "target"]),
              help="Only figures of this kind (sales covers sales and registrations).")
@format_option()
@pass_context
def figures(ctx: Context, name: str, kind: str | None, fmt: str) -> None:
    """Dated figures and targets of a maker (with its segments, brands and models) or a model.

    Each row says what it covers, its bound (410,000+ is a lower bound), period and source;
    figures on which sources disagree are marked. Tables add year-on-year growth and targets
    against actual figures.

    Example: autokg figures Xiaomi --kind revenue
    """
    from .. import figures as fig

    entity = resolve(ctx, name)
    rows = fig.figures(ctx.graph(), entity.iri, kind=kind)
    growth = fig.growth(rows)
    versus = fig.targets_vs_actual(rows)
    dicts = [r.to_dict() for r in rows]
    if fmt == "json":
        click.echo(json.dumps({"entity": {"iri": entity.iri, "label": entity.label}, "figures": dicts,
                               "growth": growth, "targets_vs_actual": versus}, indent=2, ensure_ascii=False))
        return
    columns = ["covers", "type", "measure", "value", "period", "scope", "claim_kind", "publisher", "published", "url",
               "disagrees"]
    if fmt == "csv":
        echo_answer([{**d, "display": d["display"]} for d in dicts], "csv",
                    columns=["covers", "type", "measure", "value", "min_value", "max_value", "bound", "unit",
                             "period_start", "period_end", "period", "market", "claim_kind", "stated_on", "publisher",
                             "published", "url", "conflict", "claim"])
        return
    what = f"{kind} " if kind else ""
    echo_answer([_figure_row(d) for d in dicts], "table", columns=columns,
                title=f"{what.capitalize() or 'Figures and targets '}of {entity.label}".replace("  ", " "),
                empty=f"No {what}figures of {entity.label} are known.")
    if growth:
        click.echo()
        echo_answer(growth, "table", columns=["covers", "measure", "from", "to", "growth"], title="Year-on-year growth")
    if versus:
        click.echo()
        echo_answer(versus, "table", columns=["covers", "period", "target", "stated_on", "actual", "outcome"],
                    title="Targets against actual figures")


@click.command()
@click.argument("maker")
@format_option()
@pass_context
def plans(ctx: Context, maker: str, fmt: str) -> None:
    """A maker's plans: delivery targets with their revisions, launches, market entries, strategies.

    Example: autokg plans Xiaomi
    """
    from ..plans import plans as maker_plans

    entity = resolve(ctx, maker, ("maker", "brand", "segment"), "maker")
    answer = maker_plans(ctx.graph(), entity.iri)
    if fmt == "json":
        click.echo(json.dumps({"maker": {"iri": entity.iri, "label": entity.label}, **answer}, indent=2, ensure_ascii=False))
        return
    targets = [{**t, "target": t["display"], "revision": "first stated" if t["revision"] == 0 else f"revision {t['revision']}"}
               for t in answer["targets"]]
    others = [{**p, "what": p["model"] or p["market"] or p["label"]} for key in ("launches", "market_entries", "strategies")
              for p in answer[key]]
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
    cli.add_command(competitors)
    cli.add_command(clusters)
    cli.add_command(lineage)
    cli.add_command(family)
    cli.add_command(show)
    cli.add_command(figures)
    cli.add_command(plans)
