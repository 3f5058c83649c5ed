"""What the rules see of a sentence (its names, periods, numbers, clauses) and of the article so far
(the company and model it is about), plus the cues of who states a claim."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field

from .cues import cue
from .gazetteer import Gazetteer, Mention
from .model import Period
from .periods import PeriodMention
from .quantities import Quantity
from .text import Sentence

__all__ = ["Discourse", "SentenceContext", "claim_kind", "ORG_ANAPHOR", "MODEL_ANAPHOR"]

ORG_ANAPHOR = cue("org_anaphor")
MODEL_ANAPHOR = cue("model_anaphor")

_MEDIA = cue("media")
_OUTLET_SAYS = cue("outlet_says")
_THIRD = cue("third")
_SAYS = cue("says")
_OTHERS_SAY = cue("others_say")
_PLANS = cue("plans")


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
