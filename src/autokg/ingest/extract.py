"""Run the rules over an article, sentence by sentence, keeping track of what it is about."""

from __future__ import annotations

import re

from ..graph import KnowledgeGraph
from .context import Discourse, SentenceContext
from .figures import figure_candidates, usable_period
from .gazetteer import ORG_KINDS, Gazetteer
from .model import KINDS, Candidate, Extraction, NewEntity
from .periods import find_periods
from .quantities import quantities
from .reader import Article
from .relations import MARKET_WORDS, competition_candidates, launch_candidates, market_candidates, variant_candidates
from .text import clauses, sentences

__all__ = ["Extractor", "extract"]

_MARKETS_QUERY = """
SELECT ?notation ?name WHERE {
  ?c skos:inScheme akg:MarketScheme ; skos:notation ?notation .
  { ?c skos:prefLabel ?name } UNION { ?c skos:altLabel ?name }
}
"""
_CLAIM_ORDER = {"company-statement": 0, "third-party-estimate": 1, "media-report": 2, "analyst-view": 3}


class Extractor:
    """The rules with their gazetteer; build once per graph, then :meth:`extract` articles."""

    def __init__(self, kg: KnowledgeGraph, gazetteer: Gazetteer | None = None):
        self.gaz = gazetteer or Gazetteer(kg)
        self.market_names = {row["name"].lower(): row["notation"] for row in kg.select(_MARKETS_QUERY)}
        self.places = set(self.market_names) | set(MARKET_WORDS)

    def extract(self, article: Article) -> Extraction:
        result = Extraction(article)
        if article.published is None:
            result.notes.append("no publication date: relative dates (\"this year\", \"last month\") are left unresolved "
                                "(give --published YYYY-MM-DD)")
        discourse = Discourse(article.published)
        if article.title:
            # "The Chinese carmaker expects ...": the company the headline names is "the company"
            # of the first sentences, until a sentence names another.
            named = [m for m in self.gaz.mentions(article.title) if m.is_org]
            if named:
                discourse.org = named[0].iri
        proper = self.gaz.proper_words(article.text)
        found: list[Candidate] = []
        for index, sentence in enumerate(sentences(article.text)):
            mentions = self.gaz.mentions(sentence.text, discourse.makers)
            for m in mentions:
                maker = self.gaz.maker_of(m.iri)
                if maker:
                    discourse.makers.add(maker)
            periods = [p for p in find_periods(sentence.text, article.published)
                       if not any(m.start <= p.start and p.end <= m.end for m in mentions)]  # "Lei Jun" is no month
            new_names = self.gaz.new_names(sentence.text, mentions, self.places, proper, discourse.makers)
            mentions = [m for m in mentions if not any(n.start <= m.start < n.end for n in new_names)]
            mentions = sorted(mentions + new_names, key=lambda m: m.start)
            ctx = SentenceContext(index, sentence, mentions, periods,
                                  quantities(sentence.text), clauses(sentence.text), self.gaz, discourse)
            new = figure_candidates(ctx)
            new += competition_candidates(ctx)
            new += variant_candidates(ctx)
            new += launch_candidates(ctx, self.market_names)
            new += market_candidates(ctx, self.market_names)
            found.extend(new)
            self._remember(ctx, new)
        result.candidates = _merge(found)
        self._label(result)
        return result

    def _remember(self, ctx: SentenceContext, new: list[Candidate]) -> None:
        """What the next sentences may call "the company" or "it": the last company a claim was
        about, else the first company named in the subject's place (not after a preposition)."""
        d = ctx.discourse
        orgs = [c.subject for c in new if c.kind in ("figure", "target", "launch", "market-entry")
                and (self.gaz.kind(c.subject) in ORG_KINDS or c.subject.startswith("new:"))]
        named = [m for m in ctx.mentions if m.is_org and not _PREPOSITION.search(ctx.text[max(0, m.start - 12):m.start])]
        if orgs:
            # the first claim's subject is the sentence's; a division's does not make the division
            # "the company" of the next sentence
            d.org = orgs[0] if self.gaz.kind(orgs[0]) != "segment" else (self.gaz.maker_of(orgs[0]) or orgs[0])
        elif named and not _starts_with_anaphor(ctx.text):
            d.org = named[0].iri
        # A running total ("year-to-date deliveries came to ...", "cumulative ...") is not the period
        # the next sentence's breakdown counts: the figure before it still is.
        running = [p.resolve() for p in ctx.periods if p.cumulative]
        figures = [c for c in new if c.kind == "figure" and (c.period is None or c.period not in running)]
        if figures:
            d.last_figure = (ctx.index, figures[-1].measure or "", figures[-1].period)
        years = [p.resolve() for p in ctx.periods if not p.cumulative]
        years = [p for p in years if p is not None and p.kind == "year"]
        if years:
            d.last_year = (ctx.index, years[-1])
        # A period a target is for ("projecting Q4 deliveries of ...") is not what the next
        # sentence's figures count.
        target_periods = [c.period for c in new if c.kind == "target" and c.period is not None]
        # A period a comparison names ("a 20.8% climb from Q2") is not one the next sentence counts in.
        named = [p.resolve() for p in ctx.periods if not p.cumulative and not p.for_plans and usable_period(p, ctx.text)]
        named = [p for p in named if p is not None and p not in target_periods]
        if named:
            d.last_period = (ctx.index, named[-1])
        models = [m for m in ctx.mentions if m.kind == "model"]
        if models and not any(c.kind == "competition" for c in new):
            d.model = models[0].iri

    def _label(self, result: Extraction) -> None:
        seen: dict[str, NewEntity] = {}
        for c in result.candidates:
            for iri in (c.subject, c.value, *( [c.stated_by] if c.stated_by else [])):
                if isinstance(iri, str) and iri.startswith("http"):
                    c.labels[iri] = self.gaz.label(iri)
            for name in c.new_names():
                label = name[4:]
                c.labels[name] = label
                if name not in seen:
                    maker = c.subject if c.kind == "launch" and name == c.value else None
                    kind = "model" if (name == c.value and c.kind in ("launch", "competition", "variant")) or (
                        any(ch.isdigit() for ch in label)) else "company"
                    seen[name] = NewEntity(label, kind, maker, c.sentence, c.start, c.end)
        result.new_entities = list(seen.values())


_PREPOSITION = re.compile(r"\b(?:by|with|from|than|including|of|to|against|like|as|and)\s+(?:the\s+)?$", re.I)


def _starts_with_anaphor(text: str) -> bool:
    return text.lower().startswith(("the company", "the group", "it ", "its ", "the brand", "the carmaker"))


def _merge(found: list[Candidate]) -> list[Candidate]:
    """One candidate per fact: repeats merge, keeping the surest, the company's own word first."""
    merged: dict[tuple, Candidate] = {}
    order: list[tuple] = []
    for c in found:
        key = c.key()
        if key not in merged:
            merged[key] = c
            order.append(key)
            continue
        kept = merged[key]
        if _CLAIM_ORDER.get(c.claim_kind, 9) < _CLAIM_ORDER.get(kept.claim_kind, 9):
            kept.claim_kind, kept.stated_by = c.claim_kind, c.stated_by or kept.stated_by
        kept.confidence = min(0.99, max(kept.confidence, c.confidence) + 0.05)
        kept.stated_on = kept.stated_on or c.stated_on
        kept.conversion = kept.conversion or c.conversion
        if c.revision_of is not None and kept.revision_of is None:
            kept.revision_of = c.revision_of
        kept.notes.append(f"also stated at characters {c.start}-{c.end}")
        _replace_ref(found, id(c), id(kept))
    out = [merged[k] for k in order]
    out.sort(key=lambda c: (KINDS.index(c.kind), c.start))
    positions = {id(c): i for i, c in enumerate(out)}
    for c in out:
        if c.revision_of is not None:
            c.revision_of = positions.get(c.revision_of)
    return out


def _replace_ref(found: list[Candidate], old: int, new: int) -> None:
    for c in found:
        if c.revision_of == old:
            c.revision_of = new


def extract(kg: KnowledgeGraph, article: Article) -> Extraction:
    """Extract candidate claims from one article against a graph (builds a fresh gazetteer)."""
    return Extractor(kg).extract(article)
