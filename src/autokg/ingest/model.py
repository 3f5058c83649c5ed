"""What the extractor produces: candidate claims, candidate new entities, and an extraction."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

__all__ = ["Period", "Candidate", "NewEntity", "Extraction", "KINDS"]

#: The kinds of fact, in the order the review table lists them.
KINDS = ("figure", "target", "launch", "market-entry", "competition", "variant")


@dataclass(frozen=True)
class Period:
    """A span of days, ``start`` and ``end`` as ISO dates; ``start`` is None for a cumulative figure.

    >>> Period("2025-01-01", "2025-03-31", "quarter", "Q1 2025").pair
    ('2025-01-01', '2025-03-31')
    """

    start: str | None
    end: str | None
    kind: str  # year, quarter, month, span, cumulative (the concepts of akg:PeriodKindScheme)
    label: str

    @property
    def pair(self) -> tuple[str | None, str | None]:
        return (self.start, self.end)


@dataclass
class Candidate:
    """One candidate claim, with the sentence it came from and how it was found.

    ``subject`` and ``value`` hold IRIs for entities (or ``new:Name`` for a name the graph lacks);
    ``value`` is a number for figures and targets (``(low, high)`` with bound ``range``).
    """

    kind: str
    subject: str
    value: Any
    sentence: str
    start: int  # character offsets of the sentence in the article's text
    end: int
    rule: str
    confidence: float
    claim_kind: str = "media-report"
    bound: str | None = None
    measure: str | None = None
    unit: str | None = None
    period: Period | None = None
    relation: str | None = None  # competition: positioning/rivalry/resemblance; variant: variant/successor
    variant_kind: str | None = None
    markets: tuple[str, ...] = ()
    excluded_markets: tuple[str, ...] = ()
    stated_on: str | None = None  # ISO date, YYYY-MM or YYYY
    stated_by: str | None = None
    revision_of: int | None = None  # index of the candidate this target revises
    conversion: dict[str, Any] | None = None  # a stated conversion: value, unit, bound
    labels: dict[str, str] = field(default_factory=dict)  # IRI -> label, for display
    notes: list[str] = field(default_factory=list)

    def key(self) -> tuple:
        """What two candidates must share to be one fact (the scorer matches on the same)."""
        return (self.kind, self.subject, _hashable(self.value), self.bound or self.relation,
                self.period.pair if self.period else None)

    def new_names(self) -> list[str]:
        """The names this candidate uses that the graph lacks (``new:...``)."""
        return [x for x in (self.subject, self.value) if isinstance(x, str) and x.startswith("new:")]

    def to_dict(self) -> dict[str, Any]:
        value = list(self.value) if isinstance(self.value, tuple) else self.value
        return {
            "kind": self.kind, "subject": self.subject, "subject_label": self.labels.get(self.subject),
            "value": value, "value_label": self.labels.get(value) if isinstance(value, str) else None,
            "bound": self.bound or self.relation, "measure": self.measure, "unit": self.unit,
            "period": list(self.period.pair) if self.period else None,
            "period_label": self.period.label if self.period else None,
            "period_kind": self.period.kind if self.period else None,
            "variant_kind": self.variant_kind, "markets": list(self.markets),
            "excluded_markets": list(self.excluded_markets), "claim_kind": self.claim_kind,
            "stated_on": self.stated_on, "stated_by": self.stated_by, "revision_of": self.revision_of,
            "conversion": self.conversion, "confidence": round(self.confidence, 2), "rule": self.rule,
            "sentence": self.sentence, "start": self.start, "end": self.end, "notes": self.notes,
        }


def _hashable(value: Any) -> Any:
    return tuple(value) if isinstance(value, list) else value


@dataclass
class NewEntity:
    """A name the graph does not know, used by candidates: listed apart, never created silently."""

    name: str
    kind: str  # "model" or "maker"
    maker: str | None
    sentence: str
    start: int
    end: int


@dataclass
class Extraction:
    """Everything read from one article."""

    article: Any  # autokg.ingest.reader.Article
    candidates: list[Candidate] = field(default_factory=list)
    new_entities: list[NewEntity] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        return {
            "article": self.article.to_dict(),
            "candidates": [c.to_dict() for c in self.candidates],
            "new_entities": [{"name": e.name, "kind": e.kind, "maker": e.maker, "sentence": e.sentence,
                              "start": e.start, "end": e.end} for e in self.new_entities],
            "notes": self.notes,
        }
