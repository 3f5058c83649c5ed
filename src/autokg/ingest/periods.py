"""Periods in a sentence ("the first nine months of 2025", "last month", "Q3", "by the end of 2024"),
resolved to first and last days relative to the publication date.

A period without its year is resolved backwards for what happened (a figure: "in December"
of an article of January 2026 is December 2025) and forwards for what is planned (a target or a
launch "in March" of an article of January is March of the same year).
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
from collections.abc import Callable
from dataclasses import dataclass

from .model import Period

__all__ = ["PeriodMention", "find_periods", "BACKWARD", "FORWARD"]

BACKWARD, FORWARD = "backward", "forward"

_MONTHS = {name.lower(): i for i, name in enumerate(calendar.month_name) if name}
_MONTHS.update({name.lower(): i for i, name in enumerate(calendar.month_abbr) if name})
_MONTHS["sept"] = 9
_MONTH = r"(?:January|February|March|April|May|June|July|August|September|October|November|December|" \
         r"Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sept|Sep|Oct|Nov|Dec)\b\.?"
_ORD = {"first": 1, "second": 2, "third": 3, "fourth": 4, "1st": 1, "2nd": 2, "3rd": 3, "4th": 4}
_NUMBER = {"two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8, "nine": 9, "ten": 10,
           "eleven": 11, "twelve": 12}
_SEASONS = {"spring": (3, 5), "summer": (6, 8), "autumn": (9, 11), "fall": (9, 11), "winter": (12, 2)}
_YEAR = r"(?<![\d,.])(?:19|20)\d\d(?!\d|,\d)"
_YEARREF = rf"(?:{_YEAR}|this year|last year|next year|the (?:current|same|previous|past|coming) year)"


@dataclass(frozen=True)
class PeriodMention:
    """A period expression at ``start:end`` of a sentence; ``resolve(direction)`` gives the days."""

    text: str
    start: int
    end: int
    cumulative: bool
    _resolve: Callable[[str], Period | None]
    for_plans: bool = False  # "full-year goal": the period of a target, never of a figure

    def resolve(self, direction: str = BACKWARD) -> Period | None:
        return self._resolve(direction)


def _last_day(year: int, month: int) -> dt.date:
    return dt.date(year, month, calendar.monthrange(year, month)[1])


def _span(y1: int, m1: int, y2: int, m2: int, kind: str, label: str) -> Period:
    return Period(dt.date(y1, m1, 1).isoformat(), _last_day(y2, m2).isoformat(), kind, label)


def _year_of(ref: str | None, pub: dt.date | None) -> int | None:
    """The year a year reference names, or None if it is relative and there is no publication date."""
    if ref is None:
        return None
    ref = ref.lower()
    if re.fullmatch(r"\d{4}", ref):
        return int(ref)
    if pub is None:
        return None
    if "last" in ref or "previous" in ref or "past" in ref:
        return pub.year - 1
    if "next" in ref or "coming" in ref:
        return pub.year + 1
    return pub.year


def _months_resolver(m1: int, m2: int, year_ref: str | None, pub: dt.date | None, kind: str,
                     label: Callable[[int], str]) -> Callable[[str], Period | None]:
    """Months m1..m2 (m2 < m1 wraps into the next year) of a stated or inferred year."""

    def resolve(direction: str) -> Period | None:
        year = _year_of(year_ref, pub)
        if year is None:
            if pub is None:
                return None
            year = pub.year
            start, end = dt.date(year, m1, 1), _last_day(year + (m2 < m1), m2)
            if direction == BACKWARD and start > pub:
                year -= 1
            elif direction == FORWARD and end < pub:
                year += 1
        return _span(year, m1, year + (m2 < m1), m2, kind, label(year))

    return resolve


def _of_the_year(m: re.Match) -> str | None:
    """"the first half of the year": the year of the publication, not the next or last one."""
    return "this year" if m.group(0).lower().endswith("of the year") else None


def _fixed(period: Period | None) -> Callable[[str], Period | None]:
    return lambda direction: period


_RULES: list[tuple[re.Pattern, Callable[[re.Match, dt.date | None], tuple[Callable[[str], Period | None], bool]]]] = []


def _rule(pattern: str):
    def register(func):
        _RULES.append((re.compile(pattern, re.IGNORECASE), func))
        return func
    return register


@_rule(rf"\b(?:by|at|until|to|through) the end of (?P<month>{_MONTH}\s)?(?P<year>{_YEARREF}|the year)")
def _by_end(m, pub):
    year_ref = None if m.group("year").lower() == "the year" else m.group("year")
    month = _MONTHS[m.group("month").strip().rstrip(".").lower()] if m.group("month") else 12

    def resolve(direction: str) -> Period | None:
        year = _year_of(year_ref, pub) if year_ref else (pub.year if pub else None)
        if year is None:
            return None
        label = m.group(0).strip()
        return Period(None, _last_day(year, month).isoformat(), "cumulative", label[0].lower() + label[1:])
    return resolve, True


@_rule(r"\bsince (?:(?:its|the|their) )?(?:[\w-]+ ){0,4}?(?:launch(?:ed)?|went on sale|(?:deliveries )?began|started|"
       r"debut(?:ed)?|first (?:deliveries|went)|inception|founding)\b(?:[^,.;]{0,40}?\b(?:19|20)\d\d\b|[^,.;]{0,25}?"
       r"\b(?:last|this) year\b)?")
def _since(m, pub):
    """Everything up to the publication date: "since the SU7 went on sale", "to date"."""
    period = None if pub is None else Period(None, pub.isoformat(), "cumulative", f"to {pub.isoformat()}")
    return _fixed(period), True


# A dated end later in the sentence ("as of October 31, 2025", "by the end of 2024") says up to when.
_DATED_END = re.compile(r"\b(?:as of|as at|by the end of|at the end of|up to|through|until)\s", re.I)


@_rule(r"\bcumulative(?:ly)?\b(?! (?:sales|deliveries|orders|figures?) (?:of|in|for) \w)|\bin total since\b")
def _cumulative(m, pub):
    """"Cumulative deliveries have reached ...": everything up to the publication date, unless the
    sentence gives the day ("... as of October 31, 2025": that rule reads it)."""
    if _DATED_END.search(m.string, m.end()):
        return None
    return _since(m, pub)


@_rule(rf"\b(?:year[- ]to[- ]date|so far this year|YTD)\b")
def _year_to_date(m, pub):
    """"Year-to-date deliveries reached 241,618": from January to the month the sentence names, else to
    the month before publication (monthly figures come out at the start of the next month)."""
    named = [(mm.start(), mm.group(0)) for mm in re.finditer(_MONTH, m.string)]
    named = [t for _, t in sorted(named, key=lambda x: abs(x[0] - m.start()))]

    def resolve(direction: str) -> Period | None:
        if named:
            month = _MONTHS[named[0].rstrip(".").lower()]
            year = None if pub is None else pub.year - (month > pub.month)
        elif pub is not None:
            month, year = (pub.month - 1, pub.year) if pub.month > 1 else (12, pub.year - 1)
        else:
            return None
        if year is None:
            return None
        return _span(year, 1, year, month, "span", f"January-{calendar.month_name[month]} {year}")
    return resolve, True  # read first, as a cumulative figure's period is


@_rule(rf"\b(?:as of|as at|up to|through|until) (?:the end of )?(?:(?P<d1>\d{{1,2}}) (?P<m1>{_MONTH})|(?P<m2>{_MONTH}) (?P<d2>\d{{1,2}})\b|(?P<m3>{_MONTH}))(?:,? (?P<year>{_YEAR}))?")
def _as_of(m, pub):
    if re.search(rf"\b(?:from|between)\s+{_MONTH}\s*$", m.string[:m.start()], re.I):
        return None  # "from January through September" is a span, read by the month-range rule
    month = _MONTHS[(m.group("m1") or m.group("m2") or m.group("m3")).rstrip(".").lower()]
    day = m.group("d1") or m.group("d2")

    def resolve(direction: str) -> Period | None:
        year = int(m.group("year")) if m.group("year") else (
            None if pub is None else pub.year - (month > pub.month))
        if year is None:
            return None
        end = dt.date(year, month, int(day)) if day else _last_day(year, month)
        label = m.group(0).strip()
        return Period(None, end.isoformat(), "cumulative", label[0].lower() + label[1:])
    return resolve, True


@_rule(rf"\b(?:the )?(?P<ord>first|second|1st|2nd)[ -]half(?: of (?:the year|(?P<year>{_YEARREF})))?|\bH(?P<h>[12]) (?P<hyear>{_YEAR})")
def _half(m, pub):
    half = 1 if (m.group("ord") or "").lower() in ("first", "1st") or m.group("h") == "1" else 2
    year = m.group("year") or m.group("hyear") or _of_the_year(m)
    m1, m2 = (1, 6) if half == 1 else (7, 12)
    name = "first" if half == 1 else "second"
    return _months_resolver(m1, m2, year, pub, "span", lambda y: f"{name} half of {y}"), False


@_rule(rf"\b(?:the )?first (?P<n>two|three|four|five|six|seven|eight|nine|ten|eleven|\d{{1,2}}) months(?: of (?:the year|(?P<year>{_YEARREF})))?")
def _first_months(m, pub):
    n = _NUMBER.get(m.group("n").lower()) or int(m.group("n"))
    n = min(max(n, 1), 12)
    return _months_resolver(1, n, m.group("year") or _of_the_year(m), pub, "span",
                            lambda y: f"first {m.group('n')} months of {y}"), False


@_rule(rf"\b(?:the )?(?P<n>three|six|nine|twelve|\d{{1,2}}) months (?:to|ended|ending|through|until) (?:the end of )?(?P<month>{_MONTH})(?: (?P<year>{_YEARREF}))?")
def _months_to(m, pub):
    n = _NUMBER.get(m.group("n").lower()) or int(m.group("n"))
    last = _MONTHS[m.group("month").rstrip(".").lower()]
    first = (last - n) % 12 + 1
    if first > last:
        return _fixed(None), False
    return _months_resolver(first, last, m.group("year"), pub, "quarter" if n == 3 else "span",
                            lambda y: f"{n} months to {calendar.month_name[last]} {y}"), False


@_rule(rf"\b(?:the )?(?P<ord>first|second|third|fourth|1st|2nd|3rd|4th)[ -]quarter(?: of (?:the year|(?P<year>{_YEARREF})))?|\bQ(?P<q>[1-4])(?:[ /-]?(?P<qyear>{_YEAR}))?|\b(?P<q2>[1-4])Q(?P<q2year>\d\d)\b")
def _quarter(m, pub):
    q = _ORD.get((m.group("ord") or "").lower()) or int(m.group("q") or m.group("q2"))
    year = m.group("year") or m.group("qyear") or ("20" + m.group("q2year") if m.group("q2year") else None) or _of_the_year(m)
    return _months_resolver(3 * q - 2, 3 * q, year, pub, "quarter", lambda y: f"Q{q} {y}"), False


@_rule(rf"\b(?:between|from|combined|both) (?P<m1>{_MONTH}) (?:and|to|through|until) (?P<m2>{_MONTH})(?:,? (?P<year>{_YEARREF}))?|\b(?P<m3>{_MONTH})(?:\s?[-–]\s?|\s?-?to-?\s?|\sthrough\s)(?P<m4>{_MONTH})(?:,? (?P<year2>{_YEARREF}))?")
def _month_range(m, pub):
    m1 = _MONTHS[(m.group("m1") or m.group("m3")).rstrip(".").lower()]
    m2 = _MONTHS[(m.group("m2") or m.group("m4")).rstrip(".").lower()]
    if m2 < m1:
        return _fixed(None), False
    return _months_resolver(m1, m2, m.group("year") or m.group("year2"), pub, "quarter" if (m2 - m1 == 2 and m1 % 3 == 1) else "span",
                            lambda y: f"{calendar.month_name[m1]}–{calendar.month_name[m2]} {y}"), False


@_rule(rf"\b(?:the )?(?P<season>spring|summer|autumn|fall|winter)(?: of (?P<year>{_YEARREF}))?\b")
def _season(m, pub):
    m1, m2 = _SEASONS[m.group("season").lower()]
    return _months_resolver(m1, m2, m.group("year"), pub, "span", lambda y: f"{m.group('season').lower()} {y}"), False


@_rule(r"\b(?P<rel>last|this|next|previous) month\b")
def _relative_month(m, pub):
    if pub is None:
        return _fixed(None), False
    shift = {"last": -1, "previous": -1, "this": 0, "next": 1}[m.group("rel").lower()]
    month_index = pub.year * 12 + pub.month - 1 + shift
    year, month = divmod(month_index, 12)
    return _fixed(_span(year, month + 1, year, month + 1, "month", f"{calendar.month_name[month + 1]} {year}")), False


@_rule(rf"(?<!\d )(?<!\d)\b(?:(?P<day>\d{{1,2}}) )?(?P<month>{_MONTH})(?: (?P<day2>\d{{1,2}})(?!\d))?(?:,? (?P<year>{_YEAR}))?")
def _month(m, pub):
    month = _MONTHS[m.group("month").rstrip(".").lower()]
    if m.group("month").rstrip(".") in ("May", "may") and not m.group("year") and not (m.group("day") or m.group("day2")) \
            and (m.group("month") == "may" or not re.search(r"\b(?:in|of|since|until|by|from|to|during|between|and|for|"
                                                            r"early|late|mid|last|next|this)\s+$", m.string[:m.start()])):
        return _fixed(None), False  # "may" is mostly the verb
    return _months_resolver(month, month, m.group("year"), pub, "month",
                            lambda y: f"{calendar.month_name[month]} {y}"), False


@_rule(rf"\b(?:(?:the )?(?:whole|full|entire) (?:of )?|full[ -]year |fiscal (?:year )?|FY ?)?(?P<year>{_YEARREF}|FY\d\d)\b")
def _year(m, pub):
    ref = m.group("year")
    if ref.upper().startswith("FY"):
        ref = "20" + ref[2:]

    def resolve(direction: str) -> Period | None:
        year = _year_of(ref, pub)
        if year is None:
            return None
        return _span(year, 1, year, 12, "year", str(year))
    return resolve, False


@_rule(r"\b(?:later|earlier) this year\b|\bby (?:the )?year[ -]end\b|\b(?:full[- ]year|annual|yearly)\b"
       r"(?= (?:\w+ )?(?:goal|target|forecast|guidance|outlook|sales|deliveries|volume))")
def _this_year(m, pub):
    if pub is None:
        return _fixed(None), False
    return _fixed(_span(pub.year, 1, pub.year, 12, "year", str(pub.year))), False


def find_periods(sentence: str, published: dt.date | None) -> list[PeriodMention]:
    """The period expressions of a sentence, longest first where they overlap, in order.

    >>> pub = dt.date(2026, 1, 5)
    >>> [(p.text, p.resolve().pair) for p in find_periods("in the first nine months of 2025 and in December", pub)]
    [('first nine months of 2025', ('2025-01-01', '2025-09-30')), ('December', ('2025-12-01', '2025-12-31'))]
    >>> [p.resolve(FORWARD).label for p in find_periods("It will launch in March; by the end of 2024 it sold", pub)]
    ['March 2026', 'by the end of 2024']
    >>> find_periods("this year", None)[0].resolve() is None
    True
    """
    found: list[PeriodMention] = []
    taken: list[tuple[int, int]] = []
    for pattern, make in _RULES:
        for m in pattern.finditer(sentence):
            a, b = m.span()
            text = m.group(0)
            if text.lower().startswith("the "):
                a, text = a + 4, text[4:]
            if any(a < y and x < b for x, y in taken):
                continue
            made = make(m, published)
            if made is None:
                continue
            resolve, cumulative = made
            plans_only = text.lower().strip() in ("full-year", "full year", "annual", "yearly")
            found.append(PeriodMention(text.strip(), a, b, cumulative, resolve, plans_only))
            taken.append((a, b))
    return sorted(found, key=lambda p: p.start)
