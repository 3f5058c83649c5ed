"""Candidate claims as Turtle, in the patterns of data/README.md, each marked extracted, not reviewed.

Every claim cites the article (a source already in the graph with the same URL is reused), and
carries its sentence, the sentence's character offsets, the rule and a confidence. Claims that
name something the graph lacks are not written; the name is written as an akg:CandidateEntity
for a person to create or map.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable

import pyoxigraph as ox

from ..errors import InputError
from ..graph import KnowledgeGraph
from ..vocab import ID, PREFIXES, PUB, SRC as SOURCE
from ..vocab import curie
from .model import Candidate, Extraction

__all__ = ["to_turtle", "source_iri", "publisher_iri", "claim_iris", "turtle_name"]

_PREFIXES = ("akg", "id", "src", "pub", "rdfs", "xsd", "measure", "bound", "unit", "period", "ck", "market", "basis",
             "vk", "review", "precision", "tier", "pubkind")
_CLASS = {"figure": "akg:Figure", "target": "akg:DeliveryTarget", "launch": "akg:LaunchPlan",
          "market-entry": "akg:MarketEntryPlan"}
_COMPETITION = {"positioning": ("akg:PositioningClaim", "akg:positionedAgainst", "basis:positioning", "positioned against"),
                "rivalry": ("akg:RivalryClaim", "akg:rivalOf", "basis:segment", "rival of"),
                "resemblance": ("akg:ResemblanceClaim", "akg:resembles", "basis:design", "resembles")}
_PUBLISHER_BY_DOMAIN = "SELECT ?p ?d WHERE { ?p akg:domain ?d } ORDER BY ?p"
_PUBLISHER_BY_NAME = ("SELECT ?p ?name WHERE { ?p a akg:Publisher ; rdfs:label ?l . "
                      "FILTER(LCASE(STR(?l)) = LCASE(STR(?name))) } ORDER BY ?p")
_SOURCE_BY_URL = "SELECT ?s ?u WHERE { ?s akg:url ?url . FILTER(STR(?url) = ?u) } ORDER BY ?s LIMIT 1"


def _lit(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n").replace("\r", "") + '"'


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")


def turtle_name(iri: str) -> str:
    """An IRI as Turtle: its prefixed name when it has a plain one, else ``<iri>``."""
    short = curie(iri)
    return short if short != iri and re.fullmatch(r"[a-z]+:[A-Za-z0-9_-]+", short) else f"<{iri}>"


def source_iri(kg: KnowledgeGraph, url: str) -> tuple[str, bool]:
    """The article's source IRI and whether the graph already has it (then it is not written again).

    A new source is ``src:`` and the first 10 hex digits of the SHA-1 of its URL (data/README.md).
    """
    rows = kg.select(_SOURCE_BY_URL, u=ox.Literal(url))  # a str that looks like an IRI would bind as one
    if rows:
        return rows[0]["s"], True
    return str(SOURCE) + hashlib.sha1(url.encode("utf-8")).hexdigest()[:10], False


def publisher_iri(kg: KnowledgeGraph, url: str, name: str | None) -> tuple[str, list[str]]:
    """The article's publisher: the graph's by the URL's host (the most specific akg:domain),
    else by its name, else a new publisher of unknown kind, tier secondary (its Turtle returned)."""
    host = (url.split("/")[2] if "//" in url else url).split("@")[-1].split(":")[0].lower().removeprefix("www.")
    for domain in (".".join(host.split(".")[i:]) for i in range(host.count("."))):
        rows = kg.select(_PUBLISHER_BY_DOMAIN, d=ox.Literal(domain))
        if rows:
            return rows[0]["p"], []
    if name:
        rows = kg.select(_PUBLISHER_BY_NAME, name=ox.Literal(name))
        if rows:
            return rows[0]["p"], []
    iri = PUB + _slug(name or host)
    return iri, [" ;\n    ".join([f"{turtle_name(iri)} a akg:Publisher", f"rdfs:label {_lit(name or host)}@en",
                                   f"akg:domain {_lit(host)}", "akg:publisherKind pubkind:unknown",
                                   "akg:credibilityTier tier:secondary"]) + " .\n"]


def _tag(extraction: Extraction, source: str) -> str:
    publisher = extraction.article.publisher
    return _slug(publisher)[:24] if publisher else source.rsplit("/", 1)[-1]


def claim_iris(kg: KnowledgeGraph, extraction: Extraction, source: str) -> list[str]:
    """An IRI per candidate, ``id:<kind>-<subject>-<detail>-<publisher>-<hash>``, none already in the graph."""
    tag = _tag(extraction, source)
    iris, used = [], set()
    for c in extraction.candidates:
        prefix = {"market-entry": "market-entry", "competition": "claim", "variant": "claim"}.get(c.kind, c.kind)
        subject = _slug(c.labels.get(c.subject, c.subject.rsplit("/", 1)[-1]))
        detail = _slug(c.measure or c.relation or "")
        if c.kind in ("launch", "competition", "variant"):
            detail = "-".join(x for x in (detail, _slug(c.labels.get(c.value, str(c.value)).rsplit("/", 1)[-1])) if x)
        elif c.kind == "market-entry":
            detail = _slug(" ".join(c.markets + tuple("not-" + m for m in c.excluded_markets)))
        if c.period:
            detail += "-" + _slug(c.period.label)
        digest = hashlib.sha1(f"{source}|{c.key()}|{c.start}".encode("utf-8")).hexdigest()[:6]
        iri = str(ID) + "-".join(x for x in (prefix, subject, detail, tag, digest) if x)
        while iri in used or kg.select("SELECT ?iri WHERE { ?iri ?p ?o } LIMIT 1", iri=iri):
            iri += "-x"
        used.add(iri)
        iris.append(iri)
    return iris


def _number(x) -> str:
    return str(int(x)) if float(x).is_integer() else repr(float(x))


def _date_literal(date: str) -> str:
    kind = {4: "gYear", 7: "gYearMonth"}.get(len(date), "date")
    return f'"{date}"^^xsd:{kind}'


def _stated_on(date: str) -> list[str]:
    """A statement date is an xsd:date; a month or year is its first day, with its precision."""
    precision = {4: "year", 7: "month"}.get(len(date))
    day = date + ("-01-01" if precision == "year" else "-01" if precision == "month" else "")
    return [f'akg:statedOn "{day}"^^xsd:date'] + ([f"akg:datePrecision precision:{precision}"] if precision else [])


def _planned_date(c: Candidate) -> str | None:
    if c.period is None or c.period.start is None:
        return None
    if c.period.kind == "year":
        return c.period.start[:4]
    if c.period.kind == "month":
        return c.period.start[:7]
    return None


def _label(c: Candidate, publisher: str, conversion: dict | None = None) -> str:
    subject = c.labels.get(c.subject, c.subject)
    value = c.labels.get(c.value, c.value) if isinstance(c.value, str) else c.value
    period = f", {c.period.label}" if c.period else ""
    if c.kind in ("figure", "target"):
        number, bound, unit = (conversion["value"], conversion["bound"], conversion["unit"]) if conversion else (
            c.value, c.bound, c.unit)
        amount = "–".join(f"{v:,}" for v in number) if isinstance(number, tuple) else f"{number:,}"
        bound = {"at-least": "more than ", "about": "about ", "at-most": "at most "}.get(bound or "", "")
        word = " target" if c.kind == "target" else ""
        return f"{subject} {c.measure}{word}{period}: {bound}{amount} {unit} ({publisher}; extracted)"
    if c.kind == "launch":
        return f"{subject} to launch the {value}{period} ({publisher}; extracted)"
    if c.kind == "market-entry":
        return f"{subject} to enter {value}{period} ({publisher}; extracted)"
    if c.kind == "competition":
        return f"{subject} {_COMPETITION[c.relation][3]} {value} ({publisher}; extracted)"
    return f"{subject} {'variant of' if c.relation == 'variant' else 'successor to'} {value} ({publisher}; extracted)"


def _claim(c: Candidate, iri: str, source: str, publisher: str, iris: list[str]) -> list[str]:
    me = turtle_name(iri)
    lines = []
    if c.kind == "competition":
        cls, shortcut, basis, _ = _COMPETITION[c.relation]
        head = [f"{me} a {cls}", f"akg:basis {basis}", f"akg:competitor {turtle_name(c.value)}"]
    elif c.kind == "variant":
        cls = "akg:VariantClaim" if c.relation == "variant" else "akg:SuccessorClaim"
        head = [f"{me} a {cls}", f"akg:subject {turtle_name(c.subject)}", f"akg:baseModel {turtle_name(c.value)}"]
        if c.variant_kind:
            head.append(f"akg:claimedVariantKind vk:{c.variant_kind}")
    else:
        head = [f"{me} a {_CLASS[c.kind]}", f"akg:subject {turtle_name(c.subject)}"]
    head.insert(1, f"rdfs:label {_lit(_label(c, publisher))}@en")
    if c.kind in ("figure", "target"):
        head.append(f"akg:measure measure:{c.measure}")
        if isinstance(c.value, tuple):
            head += [f"akg:minValue {_number(c.value[0])}", f"akg:maxValue {_number(c.value[1])}"]
        else:
            head.append(f"akg:value {_number(c.value)}")
        head += [f"akg:bound bound:{c.bound}", f"akg:unit unit:{c.unit}"]
        if c.period:
            if c.period.start:
                head.append(f'akg:periodStart "{c.period.start}"^^xsd:date')
            head += [f'akg:periodEnd "{c.period.end}"^^xsd:date', f"akg:periodKind period:{c.period.kind}",
                     f"akg:periodLabel {_lit(c.period.label)}"]
        if c.revision_of is not None and iris[c.revision_of]:
            head.append(f"akg:revisionOf {turtle_name(iris[c.revision_of])}")
    elif c.kind == "launch":
        head.append(f"akg:plannedModel {turtle_name(c.value)}")
    elif c.kind == "market-entry":
        head.append("akg:market " + ", ".join(f"market:{m}" for m in c.markets))
        if c.excluded_markets:
            head.append("akg:excludedMarket " + ", ".join(f"market:{m}" for m in c.excluded_markets))
    if c.kind in ("launch", "market-entry"):
        planned = _planned_date(c)
        if planned:
            head.append(f"akg:plannedDate {_date_literal(planned)}")
        elif c.period:
            head.append(f"akg:note {_lit('planned for ' + c.period.label)}")
    head.append(f"akg:claimKind ck:{c.claim_kind}")
    if c.stated_by:
        head.append(f"akg:statedBy {turtle_name(c.stated_by)}")
    if c.stated_on:
        head += _stated_on(c.stated_on)
    head += [f"akg:source {turtle_name(source)}", "akg:reviewStatus review:extracted", f"akg:evidence {_lit(c.sentence)}",
             f"akg:evidenceStart {c.start}", f"akg:evidenceEnd {c.end}", f"akg:extractionRule {_lit(c.rule)}",
             f"akg:confidence {c.confidence:.2f}"]
    lines.append(" ;\n    ".join(head) + " .")
    if c.kind == "competition":
        lines.append(f"{turtle_name(c.subject)} akg:qualifiedCompetition {me} ;\n    {shortcut} {turtle_name(c.value)} .")
    if c.kind == "figure" and c.conversion:
        conv = c.conversion
        other = [f"{turtle_name(iri + '-' + conv['unit'].lower())} a akg:Figure",
                 f"rdfs:label {_lit(_label(c, publisher, conv))}@en",
                 f"akg:subject {turtle_name(c.subject)}", f"akg:measure measure:{c.measure}",
                 f"akg:value {_number(conv['value'])}", f"akg:bound bound:{conv['bound']}", f"akg:unit unit:{conv['unit']}",
                 f"akg:equivalentOf {me}"]
        other += [x for x in head if x.startswith(("akg:periodStart", "akg:periodEnd", "akg:periodKind",
                                                   "akg:periodLabel", "akg:claimKind", "akg:statedBy", "akg:statedOn",
                                                   "akg:datePrecision", "akg:source",
                                                   "akg:reviewStatus", "akg:evidence", "akg:extractionRule", "akg:confidence"))]
        lines.append(" ;\n    ".join(other) + " .")
    return lines


def to_turtle(kg: KnowledgeGraph, extractions: Iterable[Extraction]) -> str:
    """Turtle of the candidates of every extraction, with their sources and candidate entities."""
    out = [f"@prefix {p}: <{PREFIXES[p]}> ." for p in _PREFIXES]
    out.append("\n# Candidate claims extracted by `autokg ingest`: every one is review:extracted (not reviewed)."
               "\n# Accept them with `autokg ingest --accept FILE`, or set akg:reviewStatus review:accepted by hand.")
    written: set[str] = set()
    for ex in extractions:
        art = ex.article
        if not art.url:
            raise InputError(f"{art.path}: no URL to cite the article by; add a 'URL:' header line or give --url")
        source, known = source_iri(kg, art.url)
        publisher = art.publisher or art.url.split("/")[2]
        out.append(f"\n########## {art.title or art.path}\n")
        if not known:
            publisher_node, publisher_turtle = publisher_iri(kg, art.url, art.publisher)
            if publisher_node not in written:
                out.extend(publisher_turtle)
                written.add(publisher_node)
            desc = [f"{turtle_name(source)} a akg:NewsArticle", f"rdfs:label {_lit(art.title or art.url)}@en",
                    f"akg:publisher {turtle_name(publisher_node)}"]
            desc.append(f"akg:url {_lit(art.url)}^^xsd:anyURI")
            if art.published:
                desc.append(f'akg:publishedOn "{art.published.isoformat()}"^^xsd:date')
            out.append(" ;\n    ".join(desc) + " .\n")
        iris = claim_iris(kg, ex, source)
        for c, iri in zip(ex.candidates, iris):
            if c.new_names():
                continue
            out.extend(_claim(c, iri, source, publisher, iris))
            out.append("")
        for e in ex.new_entities:
            # one node per name and article: two articles naming it give two candidates to review
            iri = str(ID) + "candidate-" + _slug((e.maker.rsplit("/", 1)[-1] + "-" if e.maker else "") + e.name) + \
                "-" + hashlib.sha1(source.encode("utf-8")).hexdigest()[:6]
            uses = [c for c in ex.candidates if "new:" + e.name in c.new_names()]
            note = "; ".join(f"{c.kind} of {c.labels.get(c.subject, c.subject)}" for c in uses)
            out.append(" ;\n    ".join([
                f"{turtle_name(iri)} a akg:CandidateEntity", f"rdfs:label {_lit(e.name)}@en", f"rdfs:comment {_lit('named in: ' + note)}@en",
                f"akg:mentionedIn {turtle_name(source)}", "akg:reviewStatus review:extracted", f"akg:evidence {_lit(e.sentence)}",
                f"akg:evidenceStart {e.start}", f"akg:evidenceEnd {e.end}"]) + " .\n")
    return "\n".join(out) + "\n"
