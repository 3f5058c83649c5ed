"""Answers across makers: targets, launches, market entries, share of a market, comparisons, the
model finder and what changed since a day. Each command resolves names, makes one library call
(an answer document) and renders it."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import click

from ..errors import InputError
from .common import (MODEL_KINDS, Context, as_of_option, format_option, limit_option, pass_context,
                     resolve)
from .render import echo_document, echo_table

__all__ = ["register"]


def _count(n: int, word: str, plural: str | None = None) -> str:
    """``1 target``, ``2 targets``; ``1 planned launch``, ``2 planned launches``."""
    return f"{n} {word}" if n == 1 else f"{n} {plural or word + 's'}"


def _maker(ctx: Context, name: str | None) -> str | None:
    return resolve(ctx, name, ("maker", "brand", "segment"), "maker").iri if name else None


def _market(ctx: Context, name: str | None) -> str | None:
    if not name:
        return None
    from ..markets import MarketIndex

    return MarketIndex(ctx.graph()).resolve(name).iri


def _concept(ctx: Context, scheme: str, name: str | None) -> str | None:
    if not name:
        return None
    from ..concepts import ConceptIndex

    return ConceptIndex(ctx.graph(), scheme).resolve(name)


def _amount(text: str | None, option: str) -> tuple[float | None, str | None]:
    """``300000``, ``300000 CNY``, ``300k CNY`` or ``1.2m`` as (amount, currency)."""
    if text is None:
        return None, None
    parts = text.replace(",", "").replace("_", "").split()
    if not parts or len(parts) > 2:
        raise InputError(f"{option}: {text!r} is not AMOUNT [CURRENCY] (300000 CNY)")
    number, currency = parts[0].lower(), parts[1].upper() if len(parts) == 2 else None
    scale = {"k": 1e3, "m": 1e6}.get(number[-1:], 1)
    try:
        amount = float(number[:-1] if scale != 1 else number) * scale
    except ValueError:
        raise InputError(f"{option}: {text!r} is not AMOUNT [CURRENCY] (300000 CNY)") from None
    return amount, currency


def _plans_options(year_help: str, maker_holds: str = "with its brands") -> Callable:
    """The options every plans-across-makers command shares: --year, --maker, --as-of, --limit, --format."""
    def apply(command: Callable) -> Callable:
        for option in reversed((click.option("--year", type=int, help=year_help),
                                click.option("--maker", metavar="NAME", help=f"Only this maker ({maker_holds})."),
                                as_of_option(), limit_option(), format_option())):
            command = option(command)
        return command
    return apply


# targets -------------------------------------------------------------------------------------

def _signed(revision: dict[str, Any]) -> str | None:
    """A revision's change as a table shows it: +50,000 (+16.7%)."""
    if revision["change_by"] is None:
        return revision["change"]
    if revision["change_by"] == 0:
        return "restated"
    return f"{revision['change_by']:+,.0f}"


def _short(text: str | None) -> str | None:
    """A value as a narrow table shows it: "about 597,000" as "~597,000"."""
    return text.replace("about ", "~").replace("at most ", "<=") if text else text


@click.command()
@_plans_options("Only targets for this year.", "with its brands and models")
@pass_context
def targets(ctx: Context, year: int | None, maker: str | None, as_of: str | None, limit: int | None, fmt: str) -> None:
    """Delivery and sales targets across makers: every revision, and the outcome.

    One row per revision (first stated, revision 1 ...): the target, raised or cut and by how
    much, when and by whom, how many sources; then the best estimate of what was achieved (the
    same subject, measure, scope and period) and the gap. A range is met inside it; "about"
    allows 5%.

    Example: autokg targets --year 2025
    """
    from ..targets import targets_document

    doc = targets_document(ctx.graph(), year=year, maker=_maker(ctx, maker), as_of=as_of)
    if fmt == "json":
        echo_document(doc)
        return
    from ..figures import format_value

    rows = []
    for chain in doc["chains"]:
        actual = chain["actual"]
        for r in chain["revisions"]:
            rows.append({
                "covers": chain["covers"] + (f" ({chain['scope']})" if chain["scope"] else ""), "period": chain["period"],
                "measure": chain["measure"], "revision": "first" if r["revision"] == 0 else f"rev {r['revision']}",
                "target": _short(format_value(r["value"], r["bound"], None, r["min_value"], r["max_value"])),
                "value": r["value"], "min_value": r["min_value"], "max_value": r["max_value"], "bound": r["bound"],
                "unit": chain["unit"],
                "change": _signed(r), "stated": r["stated_on"], "by": "; ".join(r["stated_by"]) or None,
                "sources": len(r["sources"]), "publishers": [s["publisher"] for s in r["sources"]],
                "urls": [s["url"] for s in r["sources"]],
                "actual": _short(format_value(actual["value"], actual["bound"])) if actual else None,
                "outcome": r["outcome"], "gap_text": r["gap_text"], "claims": r["claims"],
                "gap": "in range" if r["gap_text"] == "within the range" else
                       None if r["gap_pct"] is None else f"{r['gap_pct'] * 100:+.1f}%"})
    summary = ", ".join(f"{n} {k}" for k, n in sorted(doc["summary"].items()))
    what = f"for {year}" if year else "of every year"
    echo_table(rows, fmt, limit=limit,
               columns=["covers", "period", "revision", "target", "change", "stated", "actual", "outcome", "gap"],
               csv_columns=["covers", "period", "measure", "revision", "target", "value", "min_value", "max_value",
                            "bound", "unit", "change", "stated", "by",
                            "sources", "publishers", "urls", "actual", "outcome", "gap_text", "claims"],
               title=f"{_count(len(doc['chains']), 'target')} {what} in {_count(doc['revisions'], 'revision')} ({summary})",
               empty="No targets are known.")


# launches and entries --------------------------------------------------------------------------

@click.command()
@_plans_options("Only launches dated in this year.")
@pass_context
def launches(ctx: Context, year: int | None, maker: str | None, as_of: str | None, limit: int | None, fmt: str) -> None:
    """Planned launches across makers, by date: one row per model, with every date sources give.

    Example: autokg launches --year 2026
    """
    from ..launches import launches_document

    doc = launches_document(ctx.graph(), year=year, maker=_maker(ctx, maker), as_of=as_of)
    if fmt == "json":
        echo_document(doc)
        return
    rows = [{**r, "what": r["model"] or r["label"], "who": r["maker"], "sources": len(r["sources"]),
             "publishers": [s["publisher"] for s in r["sources"]], "urls": [s["url"] for s in r["sources"]]}
            for r in doc["launches"]]
    echo_table(rows, fmt, limit=limit, columns=["date", "who", "what", "dates", "claim_kind", "sources", "publishers"],
               csv_columns=["date", "who", "what", "model_iri", "dates", "claim_kind", "sources", "publishers", "urls"],
               title=_count(len(rows), "planned launch", "planned launches") + (f" in {year}" if year else ""),
               empty="No planned launches are known" + (f" for {year}." if year else "."))


@click.command()
@click.option("--market", metavar="MARKET", help="A country or region (Germany, DE, Europe, outside China).")
@_plans_options("Only entries dated in this year.")
@pass_context
def entries(ctx: Context, market: str | None, year: int | None, maker: str | None, as_of: str | None,
            limit: int | None, fmt: str) -> None:
    """Planned market entries across makers. A region holds its countries (Europe holds Germany);
    plans for a wider market that covers it (the world, outside China) are listed apart.

    Example: autokg entries --market Europe
    """
    from ..launches import entries_document

    doc = entries_document(ctx.graph(), market=_market(ctx, market), year=year, maker=_maker(ctx, maker), as_of=as_of)
    if fmt == "json":
        echo_document(doc)
        return
    rows = [{**r, "who": r["maker"], "sources": len(r["sources"]), "publishers": [s["publisher"] for s in r["sources"]],
             "urls": [s["url"] for s in r["sources"]]} for r in doc["entries"] + doc["covering"]]
    where = f" into {doc['market_label']}" if market else ""
    echo_table(rows, fmt, limit=limit,
               columns=["date", "who", "market", "match", "claim_kind", "sources", "publishers"],
               csv_columns=["date", "who", "market", "match", "dates", "claim_kind", "sources", "publishers", "urls"],
               title=_count(len(doc["entries"]), "planned market entry", "planned market entries") + where
                     + (f", and {len(doc['covering'])} wider plans that cover it" if market and doc["covering"] else ""),
               empty=f"No planned market entries{where} are known.")


# share ---------------------------------------------------------------------------------------

@click.command()
@click.argument("name")
@click.option("--market", required=True, metavar="MARKET", help="The market (China, CN ...).")
@click.option("--year", type=int, help="Only this year's months (default: every month both sides have).")
@click.option("--measure", default="sales", show_default=True, help="The measure counted (sales, registrations ...).")
@format_option()
@pass_context
def share(ctx: Context, name: str, market: str, year: int | None, measure: str, fmt: str) -> None:
    """A maker's or model's share of a market, from market totals such as imported sales tables.

    Shows the numerator, each denominator (all cars; every row of the table) and their sources,
    over the months both sides have.

    Example: autokg share Tesla --market China --year 2025
    """
    from ..share import share_document

    entity = resolve(ctx, name)
    doc = share_document(ctx.graph(), entity.iri, market=_market(ctx, market), year=year, measure=measure)
    doc["label"] = entity.label
    if fmt == "json":
        echo_document(doc)
        return
    rows = [{**s, "share": s["share_text"], "of": s["denominator_is"], "months": f"{s['months']} ({s['first_month']} to "
             f"{s['last_month']})", "sources": s["sources"]} for s in doc["shares"]]
    echo_table(rows, fmt, columns=["share", "numerator", "denominator", "of", "months", "table"],
               csv_columns=["share", "numerator", "denominator", "of", "months", "table", "sources"],
               title=f"Share of {entity.label} in {market}" + (f", {year}" if year else "") + f" ({measure})",
               empty=f"No market totals for {market} hold {measure} of {entity.label}"
                     + (f" in {year}" if year else "") + " (import a sales table: autokg import sales).")


# compare -------------------------------------------------------------------------------------

@click.command()
@click.argument("names", nargs=-1, required=True)
@format_option()
@pass_context
def compare(ctx: Context, names: tuple[str, ...], fmt: str) -> None:
    """Two or more models side by side: maker, body, segment, powertrain, status, launch, price,
    range per test cycle, battery, latest yearly volume and rivals. JSON gives each cell's source.

    Example: autokg compare "Model Y" YU7 "XPeng G7"
    """
    if len(names) < 2:
        raise InputError("compare takes two or more models")
    from ..compare import compare_document

    models = [resolve(ctx, n, MODEL_KINDS, "model") for n in names]
    doc = compare_document(ctx.graph(), [m.iri for m in models])
    if fmt == "json":
        echo_document(doc)
        return
    labels = [m["label"] for m in doc["models"]]
    rows = [{"field": r["field"], **{labels[i]: c["display"] for i, c in enumerate(r["cells"])}} for r in doc["rows"]]
    echo_table(rows, fmt, columns=["field", *labels], title=None)


# models --------------------------------------------------------------------------------------

@click.command()
@click.option("--maker", metavar="NAME", help="Made by this maker or brand.")
@click.option("--body", metavar="STYLE", help="Body style (SUV, sedan, MPV ...).")
@click.option("--segment", metavar="SEGMENT", help="Segment (C, D, mid-size ...).")
@click.option("--powertrain", metavar="TYPE", help="Powertrain (BEV, PHEV, EREV ...).")
@click.option("--market", metavar="MARKET", help="Sold in this market or region (a region holds its countries).")
@click.option("--status", metavar="STATUS", help="Status (on sale, announced, rumoured, discontinued).")
@click.option("--min-price", metavar="AMOUNT [CUR]", help="Latest price at least this (300000 CNY).")
@click.option("--max-price", metavar="AMOUNT [CUR]", help="Latest price at most this (300k CNY).")
@click.option("--min-range", type=float, metavar="KM", help="Rated range at least this many km.")
@click.option("--cycle", metavar="CYCLE", help="The test cycle of --min-range (CLTC, WLTP, EPA).")
@click.option("--min-battery", type=float, metavar="KWH", help="Battery at least this many kWh.")
@click.option("--max-battery", type=float, metavar="KWH", help="Battery at most this many kWh.")
@click.option("--variants", is_flag=True, help="List variants too.")
@limit_option()
@format_option()
@pass_context
def models(ctx: Context, maker: str | None, body: str | None, segment: str | None, powertrain: str | None,
           market: str | None, status: str | None, min_price: str | None, max_price: str | None,
           min_range: float | None, cycle: str | None, min_battery: float | None, max_battery: float | None,
           variants: bool, limit: int | None, fmt: str) -> None:
    """Find models by what they are. Range and battery come from spec records (autokg import
    open-ev-data); a filter on a fact a model lacks leaves it out, and the answer says how many.

    Example: autokg models --body SUV --min-range 600 --cycle CLTC
    """
    from ..finder import ModelQuery, find_models

    low, low_cur = _amount(min_price, "--min-price")
    high, high_cur = _amount(max_price, "--max-price")
    if low_cur and high_cur and low_cur != high_cur:
        raise InputError("--min-price and --max-price must be in one currency")
    query = ModelQuery(
        maker=_maker(ctx, maker), body=_concept(ctx, "BodyStyleScheme", body),
        segment=_concept(ctx, "SegmentScheme", segment), powertrain=_concept(ctx, "PowertrainScheme", powertrain),
        market=_market(ctx, market), status=_concept(ctx, "ModelStatusScheme", status), min_price=low, max_price=high,
        currency=low_cur or high_cur or ("CNY" if low is not None or high is not None else None), min_range=min_range,
        cycle=cycle, min_battery=min_battery, max_battery=max_battery, variants=variants)
    doc = find_models(ctx.graph(), query)
    if fmt == "json":
        echo_document(doc)
        return
    unknown = "; ".join(f"{n} without a known {k}" for k, n in doc["left_out_unknown"].items())
    echo_table(doc["models"], fmt, limit=limit,
               columns=["model", "maker", "body", "segment", "powertrain", "status", "price", "currency", "range_km",
                        "cycle", "battery_kwh"],
               csv_columns=["model", "iri", "kind", "maker", "body", "segment", "powertrain", "status", "launch",
                            "markets", "price", "currency", "price_claim", "range_km", "cycle", "battery_kwh"],
               title=_count(doc["count"], "model") + (f" ({unknown} left out)" if unknown else ""),
               empty="No model meets every filter." + (f" ({unknown} left out.)" if unknown else ""))


# changes -------------------------------------------------------------------------------------

@click.command()
@click.option("--since", required=True, metavar="DATE", help="A day (2026-01-01), month (2026-01) or year.")
@limit_option()
@format_option()
@pass_context
def changes(ctx: Context, since: str, limit: int | None, fmt: str) -> None:
    """Claims stated, or published by their source, on or after a day; newest first.

    Example: autokg changes --since 2026-01-01
    """
    from ..changes import changes_document
    from ..evidence import date_start, parse_day

    parse_day(since, "--since")  # a clear error for anything but a day, month or year
    day = date_start(since.strip())
    doc = changes_document(ctx.graph(), day)
    if fmt == "json":
        echo_document(doc)
        return
    counts = ", ".join(f"{n} {k}" for k, n in sorted(doc["by_kind"].items()))
    echo_table(doc["changes"], fmt, limit=limit, columns=["date", "kind", "what", "publisher", "url"],
               csv_columns=["date", "how", "kind", "what", "subject_label", "publisher", "url", "claim"],
               title=f"{_count(doc['count'], 'claim')} since {day}" + (f" ({counts})" if counts else ""),
               empty=f"No claim is dated on or after {day}.")


def register(cli: click.Group) -> None:
    for command in (targets, launches, entries, share, compare, models, changes):
        cli.add_command(command)
