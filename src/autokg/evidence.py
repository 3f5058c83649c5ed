"""Weighing claims: how strong a kind of claim is, how credible its source, which sources are
independent of each other, how recent a claim is, and what had been said by a given date.

These are the rules every ranking and every best estimate of autokg uses, in one place:

- **Claim kind**, strongest first: company statement, dataset record, media report,
  third-party estimate, analyst view (a kind not known ranks last).
- **Source credibility**, from the publisher's tier where the graph has one (``akg:publisher``
  an ``akg:Publisher`` with ``akg:credibilityTier``): primary, established, secondary; a
  source without a tier ranks after secondary.
- **Independence**: copies of one article are one source. A copy names its origin with
  ``akg:syndicatedFrom``; sources are then told apart by their origin's (or their own)
  publisher, and failing that by their URL's domain.
- **Dates** keep their precision (``2025``, ``2025-05``, ``2025-05-22``). A claim counts "as of"
  a day only if it was surely stated by then: the last day its date can mean is on or before it.
"""

from __future__ import annotations

import calendar
import datetime as _dt
import re
from collections.abc import Iterable
from typing import Any

from .errors import InputError
from .fit import domain

__all__ = [
    "CLAIM_KIND_ORDER", "TIER_ORDER", "kind_rank", "tier_rank", "independent_key", "latest_date",
    "date_end", "date_start", "parse_day", "with_precision", "keep_as_of", "stated_by", "claim_date",
]

#: Claim kinds by notation or label, strongest first.
CLAIM_KIND_ORDER = ("company statement", "dataset record", "media report", "third-party estimate", "analyst view")
#: Publisher credibility tiers, most credible first.
TIER_ORDER = ("primary", "established", "secondary")


def _word(text: str | None) -> str:
    """A concept's notation or label, or the last part of its IRI, as lower-case words."""
    if not text:
        return ""
    text = text.rsplit("/", 1)[-1].rsplit("#", 1)[-1]
    return text.replace("-", " ").replace("_", " ").strip().lower()


def kind_rank(kind: str | None) -> int:
    """0 for the strongest kind of claim; higher is weaker.

    >>> kind_rank("company statement"), kind_rank("https://w3id.org/autokg/concept/claim-kind/media-report")
    (0, 2)
    >>> kind_rank("analyst view") < kind_rank(None)
    True
    """
    word = _word(kind)
    return CLAIM_KIND_ORDER.index(word) if word in CLAIM_KIND_ORDER else len(CLAIM_KIND_ORDER)


def tier_rank(tier: str | None) -> int:
    """0 for a primary source, 1 established, 2 secondary, 3 for a source with no tier.

    >>> tier_rank("https://w3id.org/autokg/concept/tier/established"), tier_rank(None)
    (1, 3)
    """
    word = _word(tier)
    return TIER_ORDER.index(word) if word in TIER_ORDER else len(TIER_ORDER)


def _fold(text: str) -> str:
    return re.sub(r"[^0-9a-z]+", "", text.casefold())


def independent_key(*, publisher: str | None = None, origin: str | None = None, url: str | None = None,
                    source: str | None = None) -> str:
    """What tells one independent source from another: the origin a copy names, else the
    publisher, else the URL's domain, else the source node itself.

    >>> independent_key(publisher="Sowetan Live", origin="Reuters") == independent_key(publisher="Reuters")
    True
    >>> independent_key(url="https://www.scmp.com/a") == independent_key(url="https://scmp.com/b")
    True
    """
    for value in (origin, publisher):
        if value:
            return "pub:" + _fold(value.rsplit("/", 1)[-1] if value.startswith("http") else value)
    if url:
        return "site:" + domain(url)
    return "src:" + (source or "")


_DATE = re.compile(r"^(\d{4})(?:-(\d{2}))?(?:-(\d{2}))?")


def date_end(text: str | None) -> str | None:
    """The last day a date of any precision can mean, as ``YYYY-MM-DD``.

    >>> date_end("2025"), date_end("2024-02"), date_end("2025-05-22"), date_end(None)
    ('2025-12-31', '2024-02-29', '2025-05-22', None)
    """
    if not text:
        return None
    m = _DATE.match(text)
    if not m:
        return None
    year, month, day = m.group(1), m.group(2), m.group(3)
    if day:
        return f"{year}-{month}-{day}"
    if month:
        return f"{year}-{month}-{calendar.monthrange(int(year), int(month))[1]:02d}"
    return f"{year}-12-31"


def with_precision(date: str | None, precision: str | None) -> str | None:
    """A date as precise as it is known: the graph stores ``2025-05-01`` with ``akg:datePrecision``
    month for "May 2025", which reads ``2025-05`` here (and a year, ``2025``).

    >>> with_precision("2025-05-01", "https://w3id.org/autokg/concept/date-precision/month")
    '2025-05'
    >>> with_precision("2025-01-01", "year"), with_precision("2025-05-22", None)
    ('2025', '2025-05-22')
    """
    if not date or not precision:
        return date
    word = precision.rsplit("/", 1)[-1]
    return date[:7] if word == "month" else date[:4] if word == "year" else date


def parse_day(text: str, option: str = "--as-of") -> str:
    """A day typed by a user (``2025-06-30``, ``2025-06`` or ``2025``) as ``YYYY-MM-DD`` (the
    last day it can mean); anything else is an input error.

    >>> parse_day("2025-06")
    '2025-06-30'
    """
    day = date_end(text.strip())
    try:
        _dt.date.fromisoformat(day or "")
    except ValueError:
        raise InputError(f"{option}: {text!r} is not a date (YYYY-MM-DD, YYYY-MM or YYYY)") from None
    if not re.fullmatch(r"\d{4}(-\d{2}(-\d{2})?)?", text.strip()):
        raise InputError(f"{option}: {text!r} is not a date (YYYY-MM-DD, YYYY-MM or YYYY)")
    return day  # type: ignore[return-value]


def claim_date(row: dict[str, Any]) -> str | None:
    """When a claim was made: its ``stated_on``, else its source's ``published``."""
    return row.get("stated_on") or row.get("published")


def stated_by(row: dict[str, Any], as_of: str | None) -> bool:
    """Whether a claim had surely been stated or published by ``as_of`` (always, without a day).

    >>> stated_by({"published": "2025-05"}, "2025-05-15"), stated_by({"published": "2025-05"}, "2025-05-31")
    (False, True)
    >>> stated_by({}, "2025-01-01"), stated_by({}, None)
    (False, True)
    """
    if as_of is None:
        return True
    end = date_end(claim_date(row))
    return end is not None and end <= as_of


def latest_date(dates: Iterable[str | None]) -> str | None:
    """The latest of dates of mixed precision, each read as its first day (``2025`` is before
    ``2025-05-22``: only the latter is surely in May).

    >>> latest_date(["2025", "2025-05-22", None, "2024-12-31"])
    '2025-05-22'
    """
    known = [d for d in dates if d]
    return max(known, key=date_start) if known else None


def date_start(text: str | None) -> str:
    """The first day a date of any precision can mean (``""`` for none), for sorting by recency.

    >>> date_start("2025"), date_start("2025-05"), date_start(None)
    ('2025-01-01', '2025-05-01', '')
    """
    if not text or not _DATE.match(text):
        return ""
    m = _DATE.match(text)
    return f"{m.group(1)}-{m.group(2) or '01'}-{m.group(3) or '01'}"


def keep_as_of(document: dict[str, Any], as_of: str | None) -> dict[str, Any]:
    """A document of lists of claim rows (``stated_on``/``published``) with only the rows stated
    by ``as_of``; other values are kept as they are.

    >>> keep_as_of({"maker": "x", "targets": [{"stated_on": "2024-01-02"}, {"stated_on": "2026-01-02"}]}, "2025-01-01")
    {'maker': 'x', 'targets': [{'stated_on': '2024-01-02'}]}
    """
    if as_of is None:
        return document
    return {k: [r for r in v if stated_by(r, as_of)] if isinstance(v, list) and all(isinstance(r, dict) for r in v)
            else v for k, v in document.items()}
