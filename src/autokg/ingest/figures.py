"""Rules for figures (deliveries, sales, orders, production, revenue) and targets with revisions.

A number becomes a figure only when it counts vehicles or orders, or is revenue in a currency,
and some word says what it measures. Percentages, prices, battery sizes and other units, years,
counts of stores or stations, capacities and analysts' expectations are left out.
"""

from __future__ import annotations

import re

from .cues import cue
from .context import SentenceContext, claim_kind
from .figure_subjects import figure_subject
from .model import Candidate, Period
from .periods import BACKWARD, FORWARD, PeriodMention
from .quantities import Quantity

__all__ = ["figure_candidates", "usable_period"]

_PERCENT = re.compile(r"^\s?(?:%|per ?cent|percent|pct|percentage)", re.I)
_UNIT = re.compile(r"^\s?-?(?:kwh|kw|gwh|mwh|km|kilomet\w*|miles?|mph|km/h|hp|bhp|ps|nm|kg|tonnes?|tons?|mm|cm|"
                   r"metres?|meters?|m|sec|seconds?|s|minutes?|mins?|hours?|days?|weeks?|months?|years?|-?seats?|"
                   r"-?seater|-?inch|inches|litres?|liters?|l|v|volts?|c|x|g|generation|gen|times)\b", re.I)
_COUNT = re.compile(r"^\s?(?:[\w-]+\s){0,3}?(?:stores?|stations?|showrooms?|outlets?|dealerships?|dealers?|retailers?|"
                    r"chargers?|charging|connectors?|points?|piles?|employees?|staff|workers|people|engineers|offices?|"
                    r"plants?|factories|countries|markets|cities|models|patents|locations|centres|centers|sites|"
                    r"shares?|yuan|euros?|dollars?|stalls|superchargers?|swap)\b", re.I)
_VEHICLES = re.compile(r"^\s?(?:[\w-]+\s){0,3}?(?P<noun>vehicles?|units?|cars?|EVs?|SUVs?|autos?|deliveries|orders|buyers|"
                       r"bookings|reservations|pre-orders|sedans?|saloons?|examples|trucks|NEVs|copies|[A-Z][\w-]*\d\w*s)\b")
_CAPACITY = re.compile(r"^\s?(?:[\w-]+\s){0,2}?(?:cars?|vehicles|units)\s(?:(?:a|per|each)\s(?:year|month|annum)|annually)|"
                       r"\bcapacity\b", re.I)
_CAN_BUILD = re.compile(r"\b(?:can|could|able to) (?:build|produce|make|turn out|assemble)\s+(?:[a-z]+\s+){0,2}$|"
                        r"\bcapacity\b[^.]*$", re.I)
_ANALYSTS = re.compile(r"\banalysts?\b[^.;]{0,40}\b(?:expect|forecast|estimat|predict|poll|surveyed|consensus|see)|"
                       r"\bconsensus\b|\bestimates? (?:of|by|from) analysts\b", re.I)
_PRICE = re.compile(r"(?:priced|price[sd]?|costs?|costing|starts? at|starting (?:at|from)|sticker|msrp|retails? (?:for|at)|"
                    r"tag of|fee|subsidy|subsidies|loss|lost|profit|net income|net)\b[^.;]{0,25}$|\bfrom\s+$|"
                    r"(?<!came in )(?<!stood )(?<!come in )\bat\s+$", re.I)
_REVENUE = re.compile(r"\b(?:revenues?|turnover|sales revenue|income)\b", re.I)
_MEASURES = [
    ("deliveries", re.compile(r"\b(?:deliver\w*|handed over|hand(?:s|ing)? over|handovers?)\b", re.I)),
    ("orders", re.compile(r"\b(?:orders?|bookings?|reservations?|pre-orders?)\b", re.I)),
    ("production", re.compile(r"\b(?:produc(?:ed|tion|e|es|ing)|built|output|manufactured|rolled off)\b", re.I)),
    ("sales", re.compile(r"\b(?:sold|sells?|selling|sales|shipped|shipments?|wholesale|retail(?:ed)?)\b", re.I)),
    ("registrations", re.compile(r"\b(?:registered|registrations?|registering)\b", re.I)),
    ("exports", re.compile(r"\b(?:exports?|exported|imports?|imported)\b", re.I)),  # not a measure: left out
]
_TARGET = re.compile(r"\b(?:(?:will|would|shall|is going to|are going to|is set to) (?:\w+ )?(?:deliver|sell|produce|hand over|"
                     r"ship)|guid(?:ed|ing|ance)|expects?\b(?=[^.;]{0,40}\bto\b)|expects?\s(?:[\w-]+\s){0,3}?(?:deliveries|sales|shipments)\b|aims?|aiming|aimed|target(?:s|ed|ing)?(?!\s+(?:[a-z-]+\s+){0,3}?[a-z-]+\s*,)|goals?|project(?:s|ed|ing)\b(?=[^.;]{0,40}\d)|plans? to|planned|expects? to|expected to "
                     r"(?:deliver|sell)|wants? to|forecast|guidance|outlook|intends? to|hopes? to|objective|ambition|"
                     r"on track to|seeks? to)\b", re.I)
# The verbs that revise a figure: one list for both patterns below.
_REVISING_VERB = (r"\b(?:raised|raises|lifted|increased|upped|lowered|lowers|cut|cuts|trimmed|reduced|revised|"
                  r"downgraded|upgraded|scaled back)\b")
_REVISION = re.compile(_REVISING_VERB, re.I)
# A revising verb applied to a target: "raised to 350,000", "lowered that figure to", "cut its goal".
_REVISES = re.compile(_REVISING_VERB + r"(?=[^.;]{0,30}?(?:\bto\s+(?:[a-z]+\s+){0,2}\d|"
                      r"\b(?:target|goal|forecast|guidance|outlook|figure|objective)s?\b))|"
                      r"\b(?:target|goal|forecast|guidance|outlook)s?\b[^.;]{0,30}\b(?:was|were|is|has been|had been|been)\s+"
                      r"(?:already\s+)?(?:raised|lifted|increased|lowered|cut|trimmed|reduced|revised)\b", re.I)
# A capitalised name right before a small number makes the number part of a model name.
_NAME_BEFORE = re.compile(r"\b[A-Z][A-Za-z]+\s$")
_COUNTED_NOUN = re.compile(r"^\s?(?:[\w-]+\s){0,2}?(?:vehicles|units|cars|EVs|orders)\b", re.I)
# "missing an estimate for 135,633 units": someone else's number, not the company's.
_ESTIMATE_BEFORE = re.compile(r"\b(?:estimates?|consensus|expectations?) (?:of|for|at)\s+(?:[a-z]+\s+){0,2}$", re.I)
# "over 10,000 units for three consecutive months": each month's figure, for no one period.
_PER_MONTH_RUN = re.compile(r"^\s?(?:[\w-]+\s){0,2}?(?:a month |each month |per month |monthly )?for (?:\w+ )?"
                            r"(?:consecutive|straight|successive|running) months\b", re.I)
# "combined November and December deliveries of X, considering its October delivery of Y": a
# period right before a measure noun and the next number is that number's.
_PERIOD_OF_NEXT = re.compile(r"\s?(?:vehicle\s)?(?:deliver(?:y|ies)|sales|shipments|orders)\s(?:of|at|were|was|came to)\s",
                             re.I)
_INITIAL = re.compile(r"\b(?:initially|originally|previously|first|earlier|had set|had aimed)\b", re.I)
_COMPARISON_BEFORE = re.compile(r"(?:\b(?:up|down|rising|falling|compared)\s(?:from|with|to)|\b(?:versus|vs\.?|against))"
                                r"\s+(?:[a-z]+\s+){0,2}$", re.I)
_ACTUAL_BEFORE = re.compile(r"\b(?:its|their|the) (?:[A-Z][a-z]+|(?:first|second|third|fourth)[- ]quarter|Q[1-4]) "
                            r"(?:deliver(?:y|ies)|sales) (?:of|at|were|was|came to|stood at)\s+$|"
                            r"\b(?:delivered|sold|shipped|handed over|produced|built|achieved|recorded|posted|topped|registered|"
                            r"exceeded|surpassed)\s+"
                            r"(?:[a-z]+\s+){0,2}$", re.I)
_MEASURE_VERB_BEFORE = re.compile(r"\b(?:delivered|sold|shipped|handed over|produced|built|registered|deliver|sell|hand over|of which|"
                                  r"totall?ed|came to|reached|hit|added|contributed|chipped in|stood at|amounted to)\s+"
                                  r"(?:[a-z]+\s+){0,2}$", re.I)
_TO_FROM_BEFORE = cue("to_from_before")
_PAST_TARGET = cue("past_target")
_THE_PERIOD = cue("the_period")
_EXPORTS = cue("exports")
_FROM_BEFORE = cue("from_before")
_BOUNDS = [
    ("at-least", re.compile(r"\b(?:more than|(?<!handed )(?<!hand )(?<!hands )over|above|in excess of|upwards of|at least|no fewer than|no less than|"
                            r"north of|exceeding|exceeded|surpassing|surpassed|beyond|a minimum of|minimum of|topped|"
                            r"topping|passed|some \d+ plus)\s+(?:the\s+)?$", re.I)),
    ("about", re.compile(r"(?:\b(?:about|around|approximately|approx\.?|roughly|nearly|almost|close to|some|"
                         r"an estimated|estimated|circa|just under|just over|just shy of|c\.)|~)\s*$", re.I)),
    ("at-most", re.compile(r"\b(?:less than|under|fewer than|below|up to|at most|no more than|a maximum of)\s+$", re.I)),
]
_PERIOD_EXCLUDED = re.compile(r"\b(?:compared (?:to|with)|than|versus|vs\.?|since|against|same period|"
                              r"(?:increase|rise|growth|gain|jump|climb|drop|decline|fall|up|down|higher|lower)\b[^.;]{0,30}\b(?:over|from)|"
                              r"year earlier|a year ago|on)\s+(?:the\s+)?(?:same\s+)?(?:period\s+)?(?:of\s+)?(?:in\s+)?$", re.I)


def figure_candidates(ctx: SentenceContext) -> list[Candidate]:
    """The figures and targets of one sentence, targets of a revision chained."""
    text = ctx.text
    taken = [(p.start, p.end) for p in ctx.periods] + [(m.start, m.end) for m in ctx.mentions if m.kind != "new"]
    numbers = [q for q in ctx.quantities if not any(a <= q.start < b for a, b in taken)]
    found: list[tuple[Quantity, Candidate]] = []
    skip_next = False
    for i, q in enumerate(numbers):
        if skip_next:
            skip_next = False
            continue
        nxt = numbers[i + 1] if i + 1 < len(numbers) else None
        high = _range_end(text, q, nxt)
        cand = _figure(ctx, q, high, nxt if not high else (numbers[i + 2] if i + 2 < len(numbers) else None), found)
        if cand is None:
            continue
        skip_next = bool(high) or bool(cand.conversion)
        found.append((q, cand))
    _chain_revisions(ctx, found)
    return [c for _, c in found]


def _range_end(text: str, q: Quantity, nxt: Quantity | None) -> Quantity | None:
    if nxt is None or bool(q.money) != bool(nxt.money):
        return None
    between = text[q.end:nxt.start]
    if re.fullmatch(r"\s?(?:-|–|to)\s?", between) or (
            re.fullmatch(r"\s(?:and)\s", between) and re.search(r"\bbetween\s+$", text[:q.start], re.I)):
        return nxt
    return None


def _figure(ctx: SentenceContext, q: Quantity, high: Quantity | None, nxt: Quantity | None,
            found: list[tuple[Quantity, Candidate]]) -> Candidate | None:
    text = ctx.text
    last = high or q
    tail, head = text[last.end:last.end + 60], text[max(0, q.start - 60):q.start]
    a, b = ctx.clause_of(q.start)
    clause = text[a:b]
    if _PERCENT.match(tail) or _UNIT.match(tail) or _CAPACITY.match(tail) or _CAN_BUILD.search(head):
        return None
    if _ANALYSTS.search(clause) or _ESTIMATE_BEFORE.search(head) or _PER_MONTH_RUN.match(tail):
        return None
    if q.integer_text and 1900 <= q.value <= 2100 and not _VEHICLES.match(tail):
        return None  # a year read as a number
    if q.integer_text and q.value < 1000 and _NAME_BEFORE.search(head) and not _COUNTED_NOUN.match(tail):
        return None  # a model's number ("its Avatr 12 sedan", "the Zeekr 001"), not a count
    vehicles = _VEHICLES.match(tail)
    previous = found[-1][1] if found else None
    conversion = None
    if q.money:
        if q.currency is None or not _REVENUE.search(clause) or _PRICE.search(head[-30:]):
            return None
        measure, unit = "revenue", q.currency
        if nxt is not None and nxt.money and nxt.currency and re.fullmatch(
                r"\s?\(\s?(?:that'?s|that is|which is|i\.e\.,?)?\s?(?:approximately|approx\.?|about|around|roughly|some|or|c\.|ca\.|~|equivalent to|nearly)?\s?",
                text[last.end:nxt.start], re.I):
            conversion = {"value": nxt.number, "unit": nxt.currency, "bound": _bound(text[:nxt.start]) or "about"}
    else:
        count = _COUNT.match(tail)
        if count and not (q.value >= 100000 and re.search(r"models?\b", count.group(0))):
            return None  # a count of stores, stations, models; "1.76 million ... models" are cars
        measure = _measure(text, a, b, q, vehicles)
        if measure == "exports" or (measure is None and _EXPORTS.search(clause)):
            return None  # exports are not a measure of the scheme
        bare_ok = _MEASURE_VERB_BEFORE.search(head) or (
            _TO_FROM_BEFORE.search(head) and (_COMPARISON_BEFORE.search(head) or _REVISES.search(clause))) or (
            previous is not None and re.search(r"(?:\b(?:and|or|then)|,)\s+(?:[a-z]+\s+){0,2}$", head))
        if not vehicles and not (bare_ok and (measure or previous)):
            return None
        if measure is None:
            if previous is not None and previous.measure != "revenue":
                measure = previous.measure
            elif ctx.discourse.last_figure and ctx.discourse.last_figure[0] >= ctx.index - 2 and (
                    ctx.discourse.last_figure[1] != "revenue"):
                measure = ctx.discourse.last_figure[1]
        unit = "orders" if measure == "orders" else "vehicles"
    comparison = bool(_COMPARISON_BEFORE.search(head))
    revision = bool(_REVISES.search(clause)) and bool(_TARGET.search(text)) and not comparison
    actual = bool(_ACTUAL_BEFORE.search(head)) and not revision
    target = not comparison and not actual and (bool(_TARGET.search(text[a:q.start])) or revision or (
        previous is not None and previous.kind == "target" and re.search(r"\band\s+(?:[a-z]+\s+){0,2}$", head)))
    if measure is None:
        if not target:
            return None
        measure = "deliveries"
    if target and measure == "revenue":
        return None  # revenue guidance is left for a person to read
    stated_on, stated_span = _stated_on(ctx, a, b) if revision else (None, None)
    period, inherited = _period(ctx, q, last, nxt, a, b, target, stated_span, previous, measure)
    subject, from_discourse = figure_subject(ctx, q, last, a)
    if subject is None:
        return None
    kind, stated_by = claim_kind(text, ctx, default="company-statement" if target else "media-report",
                                 plans_are_statements=target)
    confidence = 0.9 - 0.15 * from_discourse - 0.1 * inherited - 0.1 * (not vehicles and not q.money)
    if period is None and measure != "orders":
        confidence -= 0.2
    value = (q.number, high.number) if high else q.number
    cand = Candidate(
        kind="target" if target else "figure", subject=subject, value=value, sentence=text,
        start=ctx.sentence.start, end=ctx.sentence.end,
        rule=("target" if target else "figure") + ("-revision" if revision else "") + f"/{measure}",
        confidence=max(0.1, round(confidence, 2)), claim_kind=kind, stated_by=stated_by,
        bound="range" if high else (_bound(text[:q.start]) or "exact"), measure=measure, unit=unit,
        period=period, stated_on=stated_on, conversion=conversion)
    if inherited:
        cand.notes.append("period taken from the sentence before")
    return cand


def _measure(text: str, a: int, b: int, q: Quantity, vehicles: re.Match | None) -> str | None:
    if vehicles:
        noun = vehicles.group("noun").lower()
        if noun == "deliveries":
            return "deliveries"
        if noun in ("orders", "bookings", "reservations", "pre-orders"):
            return "orders"
        if noun == "buyers":
            return "sales"
    best, distance = None, None
    for measure, pattern in _MEASURES:
        for m in pattern.finditer(text, a, b):
            d = (q.start - m.end()) if m.end() <= q.start else (m.start() - q.end) * 1.5 + 5
            if d < 0:
                continue
            if distance is None or d < distance:
                best, distance = measure, d
    return best


def _bound(before: str) -> str | None:
    for bound, pattern in _BOUNDS:
        if pattern.search(before[-40:]):
            return bound
    return None


def usable_period(p: PeriodMention, text: str) -> bool:
    """Whether a period of the sentence can be a figure's: not one a comparison names ("up 40%
    from Q2", "compared with the same period of 2024")."""
    return not _PERIOD_EXCLUDED.search(text[max(0, p.start - 40):p.start])


def _usable(p: PeriodMention, text: str, stated_span: tuple[int, int] | None) -> bool:
    if stated_span and p.start >= stated_span[0] and p.end <= stated_span[1]:
        return False
    return usable_period(p, text)


def _period(ctx: SentenceContext, q: Quantity, last: Quantity, nxt: Quantity | None, a: int, b: int, target: bool,
            stated_span: tuple[int, int] | None, previous: Candidate | None, measure: str) -> tuple[Period | None, bool]:
    text = ctx.text
    past = _PAST_TARGET.search(text[a:b])  # "the 100,000 it had guided for the second quarter"
    direction = FORWARD if target and not past else BACKWARD
    usable = [p for p in ctx.periods if _usable(p, text, stated_span)]
    if not target:
        # A running total's period wins: anywhere in the sentence for a cumulative one ("as of
        # November 30, NIO had delivered a cumulative ..."), when it is the period nearest the
        # number for a year-to-date one ("... in October, with year-to-date deliveries reaching ...").
        def distance(p: PeriodMention) -> int:
            return p.start - last.end if p.start >= last.end else q.start - p.end
        nearest = min(usable, key=distance, default=None)
        for p in usable:
            if p.cumulative:
                period = p.resolve(direction)
                if period is None or period.start is None or p is nearest:
                    return period, False
    limit = nxt.start if nxt else len(text)
    if nxt is not None:
        usable = [p for p in usable if not (last.end <= p.start and _PERIOD_OF_NEXT.fullmatch(text, p.end, nxt.start))]
    ordered = ([p for p in usable if last.end <= p.start < min(limit, b)]
               + sorted((p for p in usable if a <= p.end <= q.start), key=lambda p: -p.end)
               + [p for p in usable if last.end <= p.start < b]
               + sorted((p for p in usable if p.end <= q.start), key=lambda p: -p.end))
    ordered = [p for p in ordered if (not p.cumulative or not target) and (target or not p.for_plans)]
    for p in ordered:
        period = p.resolve(direction)
        if period is not None:
            return period, False
    if previous is not None and previous.period is not None and previous.kind == ("target" if target else "figure"):
        return previous.period, False
    d = ctx.discourse
    if target and d.last_year and d.last_year[0] >= ctx.index - 1:
        return d.last_year[1], True
    # The last figure's period carries over two sentences, or four while no sentence in between
    # named a period of its own ("... 87,071 units in Q3. ... Breaking it down, NIO brand 36,928").
    window = 0 if d.last_figure is None else 2 if d.last_period is not None and d.last_period[0] > d.last_figure[0] else 4
    if not target and d.last_figure and d.last_figure[2] is not None and (
            _THE_PERIOD.search(text) or (d.last_figure[0] >= ctx.index - window and measure != "orders")):
        return d.last_figure[2], not _THE_PERIOD.search(text)
    if not target and d.last_period and d.last_period[0] == ctx.index - 1 and measure != "orders":
        return d.last_period[1], True
    return None, False


def _stated_on(ctx: SentenceContext, a: int, b: int) -> tuple[str | None, tuple[int, int] | None]:
    """When a revision was made: a month or date next to the revising verb ("by March 2025, it had been raised")."""
    verb = _REVISES.search(ctx.text, a, b)
    for p in ctx.periods:
        if p.cumulative or not (a <= p.start < b) or abs(p.start - verb.start()) > 45:
            continue
        if not re.search(r"\b(?:by|in|on|since)\s+$", ctx.text[max(0, p.start - 8):p.start], re.I):
            continue
        period = p.resolve(BACKWARD)
        if period is None or period.kind not in ("month", "year"):
            continue
        return (period.start[:7] if period.kind == "month" else period.start[:4]), (p.start, p.end)
    return None, None


def _chain_revisions(ctx: SentenceContext, found: list[tuple[Quantity, Candidate]]) -> None:
    """In a sentence that revises a target, the revised target points to the one it replaces."""
    targets = [(q, c) for q, c in found if c.kind == "target"]
    if len(targets) < 2 or not _REVISES.search(ctx.text):
        return
    text = ctx.text
    old = [(q, c) for q, c in targets if _FROM_BEFORE.search(text[max(0, q.start - 12):q.start])]
    if old:
        new = [(q, c) for q, c in targets if (q, c) not in old]
    elif _INITIAL.search(text[:targets[0][0].start]) or _REVISION.search(text, targets[0][0].end, targets[1][0].start):
        old, new = targets[:1], targets[1:2]
    else:
        return
    for _, c in new:
        c.revision_of = id(old[0][1])  # replaced by a list index when the article is assembled
        c.rule = c.rule.replace("target/", "target-revision/")
    for _, c in old:
        c.stated_on = None
        c.rule = c.rule.replace("-revision", "")
