"""``autokg ingest``: news articles in, candidate claims out for review; ``--accept`` and ``--reject``
review them. The library is :mod:`autokg.ingest`."""

from __future__ import annotations

import json
from typing import Any

import click

from ..errors import InputError
from .common import Context, pass_context

__all__ = ["ingest", "register", "review_rows"]

_COLUMNS = ["#", "kind", "subject", "value", "period", "claim kind", "conf", "sentence"]


def _short(text: str, width: int) -> str:
    text = " ".join(text.split())
    return text if len(text) <= width else text[: max(1, width - 1)] + "…"


def _amount(value: float, money: bool) -> str:
    """410,000 for a count; 68.9 bn for money.

    >>> _amount(68900000000, True), _amount(410000, False), _amount(250000000, True)
    ('68.9 bn', '410,000', '250 m')
    """
    if money and value >= 1e9:
        return f"{value / 1e9:,.2f}".rstrip("0").rstrip(".") + " bn"
    if money and value >= 1e6:
        return f"{value / 1e6:,.2f}".rstrip("0").rstrip(".") + " m"
    return f"{value:,}"


def _value_text(c: dict[str, Any]) -> str:
    value = c["value"]
    if c["kind"] in ("figure", "target"):
        money = c["unit"] not in ("vehicles", "orders")
        amount = "–".join(_amount(v, money) for v in value) if isinstance(value, list) else _amount(value, money)
        bound = {"at-least": "> ", "about": "~ ", "at-most": "< "}.get(c["bound"] or "", "")
        unit = "" if c["unit"] == "vehicles" else f" {c['unit']}"
        text = f"{c['measure']} {bound}{amount}{unit}"
        if c.get("conversion"):
            text += f" (~{_amount(c['conversion']['value'], True)} {c['conversion']['unit']})"
        if c.get("revision_of") is not None:
            text += f" (revises #{c['revision_of'] + 1})"
        return text
    if c["kind"] == "market-entry":
        return " ".join(m.replace("market:", "").replace("-", "not ", 1) if m.startswith("-") else m.replace("market:", "")
                        for m in str(value).split())
    label = (c.get("value_label") or str(value).replace("new:", "")) + (" (new)" if str(value).startswith("new:") else "")
    return f"{c['bound']}: {label}" if c["kind"] in ("competition", "variant") else label


def review_rows(extraction: dict[str, Any], width: int = 100) -> list[dict[str, Any]]:
    """One row per candidate for the review table, the sentence shortened to fit ``width``."""
    rows = []
    for i, c in enumerate(extraction["candidates"], 1):
        rows.append({"#": i, "kind": c["kind"], "subject": c["subject_label"] or str(c["subject"]).replace("new:", ""),
                     "value": _value_text(c), "period": c["period_label"] or "", "claim kind": c["claim_kind"],
                     "conf": f"{c['confidence']:.2f}", "sentence": c["sentence"]})
    if rows:
        fixed = max(40, width - sum(max(len(str(r[k])) for r in rows) + 2 for k in _COLUMNS[:-1]) - 2)
        for r in rows:
            r["sentence"] = _short(r["sentence"], fixed)
    return rows


@click.command("ingest")
@click.argument("articles", nargs=-1, type=click.Path(dir_okay=False), metavar="ARTICLE...")
@click.option("-o", "--output", metavar="FILE.ttl", help="Write the candidate claims as Turtle (atomically).")
@click.option("--url", help="The article's URL (overrides its header; one ARTICLE only).")
@click.option("--publisher", help="The article's publisher (overrides its header; one ARTICLE only).")
@click.option("--published", metavar="YYYY-MM-DD", help="The publication date, for dates like 'last month'.")
@click.option("--title", help="The article's title (overrides its header; one ARTICLE only).")
@click.option("--min-confidence", type=click.FloatRange(0, 1), default=None,
              help="Keep only candidates this sure or surer (0-1); with --accept, accept only those.")
@click.option("--format", "fmt", type=click.Choice(["table", "json", "turtle"]), default="table",
              show_default=True, help="What to print: the review table, JSON, or the Turtle itself.")
@click.option("--accept", "accept", metavar="FILE.ttl", default=None,
              help="Accept the unreviewed claims of a candidates file (all, or those named by --claim).")
@click.option("--reject", "reject", metavar="FILE.ttl", default=None,
              help="Reject the claims named by --claim in a candidates file.")
@click.option("--claim", "claims", multiple=True, metavar="IRI",
              help="With --accept or --reject: a claim to review (id:... or its IRI). Repeatable.")
@pass_context
def ingest(ctx: Context, articles: tuple[str, ...], output: str | None, url: str | None,
           publisher: str | None, published: str | None, title: str | None, min_confidence: float | None,
           fmt: str, accept: str | None, reject: str | None, claims: tuple[str, ...]) -> None:
    """Read news articles and list the claims they make, resolved against the graph, for review.

    ARTICLE is plain text (an optional header block of Title:, Publisher:, Published: and
    URL: lines, then a blank line) or a saved HTML page (its title, og:/article: meta tags and
    JSON-LD NewsArticle give the header). Candidates are marked "extracted, not reviewed";
    answers leave them out until accepted (or unless --include-unreviewed is given).

    Example: autokg ingest article.txt -o candidates.ttl && autokg ingest --accept candidates.ttl
    """
    if accept or reject:
        if articles:
            raise InputError("give either ARTICLE... to read or --accept/--reject FILE to review, not both")
        if accept and reject:
            raise InputError("give --accept or --reject, not both")
        if reject and not claims:
            raise InputError("--reject needs the claims to reject: --claim IRI (repeatable)")
        _review(accept or reject, bool(reject), list(claims), min_confidence, fmt)
        return
    if claims:
        raise InputError("--claim only goes with --accept or --reject")
    if not articles:
        raise InputError("no ARTICLE given (or --accept FILE to accept candidates); see `autokg ingest --help`")
    overrides = {"url": url, "publisher": publisher, "published": published, "title": title}
    if len(articles) > 1 and any(v for k, v in overrides.items() if k != "published"):
        raise InputError("--url, --publisher and --title describe one article: give one ARTICLE with them")
    _ingest(ctx.graph(), articles, overrides, output, min_confidence, fmt)


def _ingest(kg, articles, overrides, output, min_confidence, fmt) -> None:
    from ..ingest.extract import Extractor
    from ..ingest.reader import read_article
    from ..ingest.turtle import to_turtle
    from ..outputs import write_atomically

    extractor = Extractor(kg)
    # Every article is read and extracted before anything is written: one bad file, no output.
    extractions = [extractor.extract(read_article(path, **overrides)) for path in articles]
    if min_confidence is not None:
        for ex in extractions:
            ex.candidates = [c for c in ex.candidates if c.confidence >= min_confidence]
    turtle = to_turtle(kg, extractions) if (output or fmt == "turtle") and any(ex.candidates for ex in extractions) else None
    if output and turtle is not None:
        write_atomically(output, turtle.encode("utf-8"))
    if fmt == "turtle":
        click.echo(turtle or "# no candidate claims", nl=False)
    elif fmt == "json":
        click.echo(json.dumps([ex.to_dict() for ex in extractions], indent=2, ensure_ascii=False))
    else:
        _print_tables(extractions)
    if output:
        n = sum(len([c for c in ex.candidates if not c.new_names()]) for ex in extractions)
        if turtle is None:
            click.echo(f"Nothing written to {output}: no candidate claims.", err=True)
        else:
            click.echo(f"Wrote {n} candidate claims to {output}, each 'extracted, not reviewed'; "
                       f"accept them with `autokg ingest --accept {output}`.", err=True)


def _print_tables(extractions) -> None:
    from ..fit import terminal_width
    from ..output import render_table

    width = terminal_width()
    for ex in extractions:
        d = ex.to_dict()
        art = d["article"]
        head = f"{art['path']}: {art['title'] or '(no title)'}"
        head += f" ({', '.join(x for x in (art['publisher'], art['published']) if x)})" if art["publisher"] or art["published"] else ""
        if not d["candidates"]:
            click.echo(f"{head}\nNo candidate claims found." + "".join(f"\nNote: {n}" for n in d["notes"]))
            continue
        click.echo(render_table(review_rows(d, width), _COLUMNS, title=f"{head}: {len(d['candidates'])} candidate claims",
                                width=width))
        if d["new_entities"]:
            click.echo("Names the graph does not know (not created; add them, then ingest again): " + "; ".join(
                f"{e['name']} ({e['kind']})" for e in d["new_entities"]))
        for note in d["notes"]:
            click.echo(f"Note: {note}")
        click.echo("")


def _review(path, reject, claims, min_confidence, fmt) -> None:
    from ..ingest.review import review

    result = review(path, reject=reject, claims=claims or None, min_confidence=min_confidence)
    if fmt == "json":
        click.echo(json.dumps({"path": result.path, "status": result.status, "changed": result.changed,
                               "left": result.left}, indent=2))
        return
    click.echo(f"{result.status.capitalize()} {len(result.changed)} claims in {result.path}; "
               f"{len(result.left)} left unreviewed." + (
                   f" Load them with `autokg --data {result.path} ...` or `autokg store load {result.path}`."
                   if result.changed and not reject else ""))


def register(cli: click.Group) -> None:
    """Add the ``ingest`` command to the CLI."""
    cli.add_command(ingest)
