"""What an import gives back: its triples and a row-by-row report (counts, reasons, line numbers)."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

import pyoxigraph as ox

from ..rdfio import serialize

__all__ = ["RowProblem", "ImportReport", "ImportResult"]


@dataclass(frozen=True)
class RowProblem:
    """Why one row of the input cannot be imported: its line number and the reason."""

    line: int
    message: str
    record: str = ""  # for inputs without lines (a JSON file of a dataset tree): its path

    def __str__(self) -> str:
        return f"{self.record or f'line {self.line}'}: {self.message}"


@dataclass
class ImportReport:
    """How an import went, row by row: counts, reasons and line numbers."""

    source: str
    rows: int = 0
    matched: int = 0
    created: int = 0
    market: int = 0
    skipped: dict[str, list[int]] = field(default_factory=lambda: defaultdict(list))
    invalid: list[RowProblem] = field(default_factory=list)
    unresolved: dict[str, dict[str, Any]] = field(default_factory=dict)
    new_entities: list[tuple[str, str, str]] = field(default_factory=list)
    triples: int = 0
    new_triples: int = 0
    validated: bool = False

    @property
    def skipped_count(self) -> int:
        return sum(len(v) for v in self.skipped.values())

    def skip(self, line: int, reason: str) -> None:
        self.skipped[reason].append(line)

    def unresolved_name(self, name: str, line: int, suggestions: list[str], what: str) -> None:
        entry = self.unresolved.setdefault(name, {"what": what, "lines": [], "suggestions": suggestions})
        entry["lines"].append(line)

    def as_dict(self) -> dict[str, Any]:
        return {
            "source": self.source, "rows": self.rows, "matched": self.matched, "created": self.created,
            "market": self.market, "skipped": {k: len(v) for k, v in self.skipped.items()},
            "invalid": [str(p) for p in self.invalid],
            "unresolved": {k: {"what": v["what"], "rows": len(v["lines"]), "first_line": v["lines"][0],
                               "suggestions": v["suggestions"]} for k, v in self.unresolved.items()},
            "new_entities": len(self.new_entities), "triples": self.triples, "new_triples": self.new_triples,
        }

    def lines(self, *, limit: int = 20) -> list[str]:
        """The report as lines of text for people."""
        out = [f"{self.source}: {self.rows} rows: {self.matched} matched, {self.created} created"
               + (f", {self.market} market totals" if self.market else "")
               + f", {self.skipped_count} skipped, {len(self.invalid)} invalid"]
        for reason, lines in sorted(self.skipped.items()):
            out.append(f"  skipped {len(lines)}: {reason} (lines {_span(lines)})")
        if self.unresolved:
            out.append(f"  unresolved names ({len(self.unresolved)}; --create makes them new entities):")
            for name, entry in list(sorted(self.unresolved.items()))[:limit]:
                hint = f"; did you mean: {', '.join(entry['suggestions'])}?" if entry["suggestions"] else ""
                out.append(f"    {entry['what']} {name!r}: {len(entry['lines'])} rows, first line {entry['lines'][0]}{hint}")
            if len(self.unresolved) > limit:
                out.append(f"    ... and {len(self.unresolved) - limit} more")
        if self.new_entities:
            shown = ", ".join(f"{lab} ({kind})" for _, lab, kind in self.new_entities[:limit])
            more = f", ... ({len(self.new_entities)} in all)" if len(self.new_entities) > limit else ""
            out.append(f"  new entities: {shown}{more}")
        for problem in self.invalid[:limit]:
            out.append(f"  invalid {problem}")
        if len(self.invalid) > limit:
            out.append(f"  ... and {len(self.invalid) - limit} more invalid rows")
        out.append(f"  triples: {self.triples} ({self.new_triples} new to the graph)")
        return out


def _span(lines: list[int], n: int = 8) -> str:
    shown = ", ".join(str(x) for x in lines[:n])
    return shown + (f", ... ({len(lines)} in all)" if len(lines) > n else "")


@dataclass
class ImportResult:
    """The triples an import asserts (sorted, deterministic) and its report."""

    triples: list[ox.Triple]
    report: ImportReport
    new_triples: list[ox.Triple] = field(default_factory=list)
    skip_invalid: bool = False

    @property
    def ok(self) -> bool:
        """True if the result may be written: no row is invalid, or invalid rows were dropped."""
        return self.skip_invalid or not self.report.invalid

    def to_turtle(self) -> bytes:
        return serialize(self.triples, ox.RdfFormat.TURTLE)
