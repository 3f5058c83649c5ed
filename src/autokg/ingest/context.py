"""What the rules see of a sentence (its names, periods, numbers, clauses) and of the article so far
(the company and model it is about), plus the cues of who states a claim."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field

from .gazetteer import Gazetteer, Mention
from .model import Period
from .periods import PeriodMention
from .quantities import Quantity
from .text import Sentence

__all__ = ["Discourse", "SentenceContext", "claim_kind", "ORG_ANAPHOR", "MODEL_ANAPHOR"]

# "the company", "the Hangzhou-based carmaker", "it": a company the article named before.
ORG_ANAPHOR = re.compile(
    r"\b(?:the|its) (?:company|group|carmaker|automaker|car maker|manufacturer|firm|brand|start-up|startup|"
    r"maker|alliance|EV maker|EV brand|newcomer|[A-Z][a-z]+-based (?:company|carmaker|automaker|firm|group|start-up))\b"
    r"|\b(?:it|its|they|their)\b", re.IGNORECASE)
# "the car", "this SUV", "it": a model the article named before.
MODEL_ANAPHOR = re.compile(
    r"\b(?:the|this) (?:[\w-]+ ){0,2}?(?:car|model|SUV|saloon|sedan|crossover|vehicle|hatchback|coupe|MPV|EV|pickup)\b"
    r"|\b(?:it|its)\b",
    re.IGNORECASE)

# Cues of a media report: the claim is not the company's own word.
_MEDIA = re.compile(
    r"\breportedly\b|\baccording to (?:[\w-]+ ){0,3}(?:media|reports?|press|sources|insiders|people)\b|"
    r"\bpeople (?:familiar|close|briefed)\b|\bsources? (?:said|say|close|familiar|told)\b|\bis said to\b|"
    r"\brumou?r|\binsiders?\b|\bmedia reports?\b|\bit is understood\b|\bleaked\b|\bunconfirmed\b", re.IGNORECASE)
_OUTLET_SAYS = re.compile(r"(?:,\s(?=(?:[A-Z][\w.&'-]*\s){1,4}(?:reported|reports|wrote|said|says|cited)\b)|"
                          r"\baccording to\s)(?P<name>[A-Z][\w.&'-]*(?:\s[A-Z][\w.&'-]*){0,3})")
# Registration data and industry bodies: a third party's count.
_THIRD = re.compile(
    r"\b(?:China Passenger Car Association|CPCA|China Association of Automobile Manufacturers|CAAM|"
    r"insurance registrations?|registration (?:data|figures)|registrations data|JATO|Dataforce|Kraftfahrt-Bundesamt|"
    r"KBA|SMMT|ACEA|Cox Automotive|Counterpoint|Rho Motion|EV Volumes|Motor Intelligence|compiled by)\b",
    re.IGNORECASE)
# A verb of stating: with the company as its subject, a company statement.
_SAYS = re.compile(
    r"\b(?:said|says|announced|announces|disclosed|discloses|confirmed|confirms|told|stated|revealed|posted|"
    r"reported|reports|in a (?:statement|filing|press release|post|letter)|filing|on a call|earnings call|"
    r"spokes(?:person|man|woman))\b", re.IGNORECASE)
# ... unless analysts, media or sources are the ones who say it.
_OTHERS_SAY = re.compile(r"\b(?:analysts?|reviewers?|observers?|experts?|critics|commentators|people|sources|"
                         r"media|reports?|dealers|insiders)\b(?:\s+\w+){0,3}\s+(?:said|say|says|told|reported)",
                         re.IGNORECASE)
# Plans and targets are the company's own word unless a cue says otherwise.
_PLANS = re.compile(r"\b(?:aims?|plans?|targets?|wants?|expects?|intends?|set|sets|raised|lowered|cut|trimmed)\b",
                    re.IGNORECASE)


@dataclass
class Discourse:
    """What the article is about so far: the company and model last named as a subject."""

    published: dt.date | None
    org: str | None = None
    model: str | None = None
    makers: set[str] = field(default_factory=set)
    last_figure: tuple[int, str, Period | None] | None = None  # sentence index, measure, period
    last_year: tuple[int, Period] | None = None  # the last calendar year a sentence named
    last_period: tuple[int, Period] | None = None  # the last period a sentence named (backwards)


@dataclass
class SentenceContext:
    """A sentence with its names, periods, numbers and clauses, and the article's discourse."""

    index: int
    sentence: Sentence
    mentions: list[Mention]
    periods: list[PeriodMention]
    quantities: list[Quantity]
    clauses: list[tuple[int, int]]
    gaz: Gazetteer
    discourse: Discourse

    @property
    def text(self) -> str:
        return self.sentence.text

    def clause_of(self, pos: int) -> tuple[int, int]:
        for a, b in self.clauses:
            if a <= pos < b:
                return a, b
        return 0, len(self.text)

    def appositives(self) -> list[tuple[int, int]]:
        """Spans set off by commas after a name ("the Onvo L90, a three-row SUV priced ..., takes")."""
        spans = []
        for m in self.mentions:
            lead = re.match(r"(?:\s[\w-]+){0,2},\s", self.text[m.end:])  # "the HIMA alliance, which ..."
            if lead:
                close = self.text.find(",", m.end + lead.end())
                if 0 < close - m.end < 120:
                    spans.append((m.end, close + 1))
        for m in re.finditer(r",\s(?:an?|the) [^,]{3,100},", self.text):  # ", a long-wheelbase version of the Model Y,"
            spans.append((m.start(), m.end()))
        return spans

    def nearest_before(self, pos: int, *, kinds: tuple[str, ...], floor: int = 0) -> Mention | None:
        """The name nearest before ``pos`` (and after ``floor``) of the given kinds, skipping
        names inside appositives that close before ``pos``."""
        skip = [(a, b) for a, b in self.appositives() if b <= pos]
        best = None
        for m in self.mentions:
            if m.end > pos or m.start < floor or m.kind not in kinds:
                continue
            if any(a <= m.start < b for a, b in skip):
                continue
            best = m
        return best

    def after(self, pos: int, *, kinds: tuple[str, ...], limit: int | None = None) -> list[Mention]:
        limit = len(self.text) if limit is None else limit
        return [m for m in self.mentions if pos <= m.start < limit and m.kind in kinds]


def claim_kind(text: str, ctx: SentenceContext, *, default: str, plans_are_statements: bool = True
               ) -> tuple[str, str | None]:
    """The kind of claim a sentence makes, and the person who states it if the graph knows them.

    Media cues ("reportedly", "according to Chinese media reports", "people familiar with the
    matter") win over a third party's data, which wins over the company's own words.
    """
    if _MEDIA.search(text):
        return "media-report", None
    for outlet in _OUTLET_SAYS.finditer(text):
        # "..., CarScoops reported", "according to Bloomberg": a name the graph does not know as a
        # company is a news outlet (the company's own "NIO reported" stays a statement).
        if not any(m.is_org and m.start <= outlet.start("name") < m.end for m in ctx.mentions):
            return "media-report", None
    if _THIRD.search(text):
        return "third-party-estimate", None
    person = next((m.iri for m in ctx.mentions if m.kind == "person"), None)
    says = _SAYS.search(text) and not _OTHERS_SAY.search(text)
    if says or (person and _PLANS.search(text)) or (plans_are_statements and _PLANS.search(text)):
        return "company-statement", person
    return default, None
