"""The answering commands: competitors, clusters, lineage, family, show and plans (figures: figures_cmd).

Each parses its options, calls the library, renders.
"""

from __future__ import annotations

from typing import Any

import click

from .common import MAKER_KINDS, MODEL_KINDS, Context, as_of_option, format_option, limit_option, pass_context, resolve
from .render import echo_answer, echo_json, echo_table

# competitors ---------------------------------------------------------------------------------

def _plural(n: int, word: str) -> str:
    return f"{n} {word}" if n == 1 else f"{n} {word}s"


@click.command()
@click.argument("name")
@click.option("--claims", "show_claims", is_flag=True, help="List every claim with its source, not one row per rival.")
@click.option("--market", metavar="MARKET", help="Only rivals sold in this market or region (Europe holds Germany).")
@click.option("--maker", metavar="NAME", help="Only rivals made by this maker or brand.")
@click.option("--body", metavar="STYLE", help="Only rivals of this body style (SUV, sedan ...).")
@click.option("--max-price", metavar="AMOUNT [CUR]",
              help="Only rivals whose latest price is at most this (300000, or 300k CNY; the model's currency by default).")
@click.option("--inferred", is_flag=True,
              help="Also list inferred rivals (same body style, segment, market, price band), apart.")
@click.option("--depth", type=click.IntRange(min=1), default=1, show_default=True,
              help="Follow competition claims this many steps (rivals of rivals ...).")
@click.option("--to", "to", metavar="NAME", help="Show the shortest chain of competition claims to this model.")
@as_of_option()
@limit_option()
@format_option()
@pass_context
def competitors(ctx: Context, name: str, show_claims: bool, market: str | None, maker: str | None, body: str | None,
                max_price: str | None, inferred: bool, depth: int, to: str | None, as_of: str | None,
                limit: int | None, fmt: str) -> None:
    """Rivals of a model, ranked by the weight of the evidence: one row per rival.

    Ranked by independent sources (copies of one article count once), then the strongest kind
    of claim (company statement, media report, analyst view), then the most credible source,
    then the latest claim. --claims lists every claim with its source.

    Example: autokg competitors "Model Y" --inferred
    """
    from .. import competition as comp
    from ..rivals import competitors_document
    from .analyst import _amount, _concept, _maker, _market

    kg = ctx.graph()
    model = resolve(ctx, name, MODEL_KINDS, "model")
    amount, currency = _amount(max_price, "--max-price")
    doc = competitors_document(kg, model.iri, market=_market(ctx, market), maker=_maker(ctx, maker),
                               body=_concept(ctx, "BodyStyleScheme", body), max_price=amount, currency=currency,
                               as_of=as_of, inferred=inferred)
    kept = {c["claim"] for c in doc["claims"]}
    target = resolve(ctx, to, MODEL_KINDS, "model") if to else None
    answer = comp.competitors(kg, model.iri, depth=depth, to=target.iri if target else None)
    answer["claimed"] = [r for r in answer["claimed"] if r["claim"] in kept]
    answer.update({k: v for k, v in doc.items() if k != "claims"})
    if fmt == "json":
        echo_json(answer)
        return
    if fmt == "csv":
        rows = [{"kind": "claimed", **r} for r in answer["claimed"]]
        rows += [{"kind": "rival", **r, "relation": "; ".join(r["relations"]), "basis": "; ".join(r["bases"]),
                  "claim_kind": r["strongest"], "published": r["latest"],
                  "publisher": "; ".join(r["publishers"])} for r in answer["rivals"]]
        rows += [{"kind": "inferred", "rival": r["rival"], "rival_iri": r["rival_iri"], "relation": "inferred",
                  "note": "; ".join(r["reasons"])} for r in answer.get("inferred", [])]
        rows += [{"kind": f"distance {r['distance']}", "rival": r["rival"], "rival_iri": r["rival_iri"],
                  "note": r["via"]} for r in answer.get("within", [])]
        echo_answer(rows, "csv", columns=["kind", "rival", "relation", "basis", "claim_kind", "publisher",
                                          "published", "url", "note", "rival_iri", "rank", "sources", "claims",
                                          "tier"])
        return
    summary = doc["summary"]
    title = (f"Claimed rivals of {model.label}: {_plural(summary['rivals'], 'rival')} from "
             f"{_plural(summary['claims'], 'claim')}" + (f", as of {as_of}" if as_of else ""))
    if doc["left_out"]:
        title += " (left out: " + ", ".join(
            f"{n} of unknown {k.removesuffix('_unknown')}" if k.endswith("_unknown") else f"{n} by {k}"
            for k, n in doc["left_out"].items()) + ")"
    if show_claims:
        echo_table(answer["claimed"], "table", limit=limit,
                   columns=["rival", "relation", "basis", "claim_kind", "publisher", "published", "url"],
                   title=title, empty=f"No source claims a rival of {model.label}.")
    else:
        rows = [{**r, "relations": ", ".join(r["relations"])} for r in answer["rivals"]]
        echo_table(rows, "table", limit=limit,
                   columns=["rank", "rival", "relations", "sources", "claims", "strongest", "latest"],
                   title=title, empty=f"{title}\nNo rival meets the filters." if doc["left_out"] else
                   f"No source claims a rival of {model.label}.")
    if "within" in answer:
        click.echo()
        echo_table(answer["within"], "table", limit=limit, columns=["rival", "distance", "via"],
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
        far = len(answer["inferred_price_apart"])
        echo_table(rows, "table", limit=limit, columns=["rival", "maker", "score", "reasons"],
                   title="Inferred rivals (no source claims these; shown by shared attributes)"
                         + (f"; {far} priced more than twice apart left out" if far else ""),
                   empty="No inferred rivals (the model's body style, segment or markets are not known).")


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
    """Everything known about a maker, brand or model (with its specs and who stated its
    claims), or about one claim given by its IRI, with the sources.

    Example: autokg show "Xiaomi SU7"
    """
    from ..claims import claims_about, describe_claim
    from ..describe import describe
    from ..names import as_iri

    iri = as_iri(name)
    claim = describe_claim(ctx.graph(), iri) if iri else None
    if claim is not None:
        if fmt == "json":
            echo_json(claim)
            return
        source = claim["source"] or {}
        rows = [{"property": "kind", "value": ", ".join(claim["kind"])},
                *({"property": k, "value": v} for k, vs in claim["values"].items() for v in vs),
                {"property": "source", "value": " ".join(str(source[k]) for k in ("publisher", "published", "url")
                                                         if source.get(k))},
                *([{"property": "tier", "value": source["tier"]}] if source.get("tier") else []),
                *([{"property": "copy of", "value": source["origin"]}] if source.get("origin") else [])]
        echo_answer(rows, fmt, columns=["property", "value"],
                    title=None if fmt == "csv" else f"{claim['label'] or claim['iri']} <{claim['iri']}>")
        return
    entity = resolve(ctx, name)
    kg = ctx.graph()
    answer = describe(kg, entity.iri)
    from ..modelfacts import model_facts

    facts = model_facts(kg, [entity.iri], prices=False) if entity.kind == "model" else {}
    answer["specs"] = facts[entity.iri].specs if entity.iri in facts else []
    answer["claims_list"] = claims_about(kg, entity.iri)
    if fmt == "json":
        echo_json(answer)
        return
    rows = [{"property": k, "value": v} for k, vs in answer["facts"].items() for v in vs]
    rows += [{"property": k, "value": v} for k, vs in answer["related"].items() for v in vs]
    rows += [{"property": "spec", "value": _spec_text(s)} for s in answer["specs"]]
    rows += [{"property": "claims", "value": f"{answer['claims']['figures_and_plans']} figures and plans, "
                                             f"{answer['claims']['competition']} competition claims"}]
    stated: dict[str, int] = {}
    for c in answer["claims_list"]:
        for person in c["stated_by"]:
            stated[person] = stated.get(person, 0) + 1
    rows += [{"property": "stated by", "value": f"{p} ({n} claim{'s' if n > 1 else ''})"} for p, n in sorted(stated.items())]
    rows += [{"property": "source", "value": " ".join(str(s[k]) for k in ("publisher", "published", "url", "version") if s.get(k))}
             for s in answer["sources"]]
    echo_answer(rows, fmt, columns=["property", "value"], title=None if fmt == "csv" else f"{answer['label']} <{answer['iri']}>")
    if fmt == "table" and answer["claims_list"]:
        click.echo(f"(the {len(answer['claims_list'])} claims' IRIs: --format json; "
                   f"autokg show CLAIM-IRI describes one)")


def _spec_text(spec: dict[str, Any]) -> str:
    """A spec record in one line: year and trim, ranges per cycle, battery, power."""
    parts = [spec["label"] or str(spec.get("model_year") or "")]
    parts += [f"{r['km']:g} km {r['cycle']}" for r in spec["ranges"]]
    if spec["battery_net_kwh"] or spec["battery_gross_kwh"]:
        parts.append(f"{spec['battery_net_kwh'] or spec['battery_gross_kwh']:g} kWh")
    if spec["power_kw"]:
        parts.append(f"{spec['power_kw']:g} kW")
    return "; ".join(p for p in parts if p)


# plans ---------------------------------------------------------------------------------------

@click.command()
@click.argument("maker")
@as_of_option()
@format_option()
@pass_context
def plans(ctx: Context, maker: str, as_of: str | None, fmt: str) -> None:
    """A maker's plans: delivery targets with their revisions, launches, market entries, strategies.

    --as-of DATE keeps what had been stated or published by that day.

    Example: autokg plans Xiaomi
    """
    from ..evidence import keep_as_of
    from ..plans import plans as maker_plans

    entity = resolve(ctx, maker, ("maker", "brand", "segment"), "maker")
    answer = keep_as_of(maker_plans(ctx.graph(), entity.iri), as_of)
    if fmt == "json":
        echo_json(answer)
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
    cli.add_command(plans)
