"""Streaming an import: rows become triples chunk by chunk, so that memory stays flat in the rows.

An importer whose rows each make their own node (a sales table: a figure per row) hands those
nodes to :class:`RowChunks`. Every :data:`CHUNK_ROWS` rows the chunk's row nodes are checked with
the SHACL shapes (beside what the import made so far: makers, models, sources), handed on and
forgotten. What rows share (makers, models, sources, publishers) grows with the distinct names
and URLs only; it is kept, with one input line per node, and checked and handed on at the end.
A duplicate row is found with :class:`SeenIndex`, an index on disk.

Writing stays all or nothing: the triples stream into the one atomic writer's temporary file
(:func:`write_stream`), and an invalid row without ``--skip-invalid`` stops the output, so that
the writer discards it.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import IO

import pyoxigraph as ox

from ..graph import KnowledgeGraph
from ..rdfio import prefixes_for
from .common import Builder, finish, validate_result
from .result import ImportReport

__all__ = ["CHUNK_ROWS", "RowChunks", "SeenIndex", "ImportStream", "IncompleteImport", "write_stream"]

#: Rows per chunk: large enough that the SHACL run per chunk is a small share of the time.
CHUNK_ROWS = 5000


class RowChunks:
    """The row nodes of the current chunk, and what the import's shared nodes are vouched by."""

    def __init__(self, kg: KnowledgeGraph, builder: Builder, report: ImportReport, *, validate: bool,
                 skip_invalid: bool, chunk_rows: int = CHUNK_ROWS):
        self.kg, self.b, self.report = kg, builder, report
        self.validate, self.skip_invalid, self.chunk_rows = validate, skip_invalid, chunk_rows
        self.row_nodes: list[str] = []
        self.invalid_lines: set[int] = set()
        self._seen_invalid = 0  # report.invalid entries already counted in invalid_lines
        self.vouched: set[str] = set()  # shared nodes used by at least one valid row
        self.triples = self.new_triples = 0
        self.flushed = False  # a chunk was handed on before the last

    @property
    def stopped(self) -> bool:
        """True once an invalid row means nothing is written (without --skip-invalid)."""
        return bool(self.report.invalid) and not self.skip_invalid

    def row_node(self, node: ox.NamedNode) -> None:
        self.row_nodes.append(node.value)

    def due(self) -> bool:
        return len(self.row_nodes) >= self.chunk_rows

    def _new_invalid_lines(self) -> None:
        self.invalid_lines.update(p.line for p in self.report.invalid[self._seen_invalid:])
        self._seen_invalid = len(self.report.invalid)

    def flush(self) -> Iterator[ox.Triple]:
        """Check the chunk's row nodes, hand on the valid ones (unless stopped) and forget them."""
        b, report = self.b, self.report
        chunk = set(self.row_nodes)
        self.row_nodes = []
        self.flushed = True
        if self.validate and chunk:
            report.invalid.extend(validate_result(self.kg, b, only=chunk))
            report.validated = True
        self._new_invalid_lines()
        invalid = self.invalid_lines
        # A shared node keeps one line: the first valid row using it, else the first row, so that
        # the last check drops (with --skip-invalid) what only invalid rows used.
        for node, lines in b.node_lines.items():
            if node in chunk or not lines:
                continue
            valid = lines - invalid
            if valid:
                self.vouched.add(node)
                b.node_lines[node] = {min(valid)}
            else:
                b.node_lines[node] = {min(lines)}
        kept = {n for n in chunk if not (b.node_lines.get(n) or {0}) <= invalid}
        out = [t for k, t in b.triples.items() if k[0] in chunk]
        for key in [k for k in b.triples if k[0] in chunk]:
            del b.triples[key]
        for node in chunk:
            b.node_lines.pop(node, None)
        out = sorted((t for t in out if t.subject.value in kept), key=_key)
        known = set(self.kg.triples_about_all(kept))
        self.triples += len(out)
        self.new_triples += sum(1 for t in out if t not in known)
        if not self.stopped:
            yield from out

    def finish(self) -> Iterator[ox.Triple]:
        """The last chunk, then the shared nodes, checked together; completes the report's counts.

        An import of one chunk is written wholly sorted, as a collected import is (same bytes).
        """
        single = not self.flushed
        last = list(self.flush())
        if not single:
            yield from last
        result = finish(self.kg, self.b, self.report, validate=self.validate, skip_invalid=self.skip_invalid)
        self.report.invalid.sort(key=lambda p: p.line)
        self.report.triples += self.triples
        self.report.new_triples += self.new_triples
        if not self.stopped:
            yield from sorted([*last, *result.triples], key=_key) if single else result.triples


def _key(t: ox.Triple) -> tuple[str, str, str]:
    return t.subject.value, t.predicate.value, str(t.object)


class SeenIndex:
    """The first line and value of each row key, kept on disk (a temporary SQLite file) so that
    finding duplicate rows does not grow memory with the rows."""

    def __init__(self) -> None:
        self.db = sqlite3.connect("")  # "": a private temporary database on disk, removed on close
        self.db.execute("PRAGMA cache_size = -4096")  # KiB: the page cache stays small
        self.db.execute("CREATE TABLE seen (key TEXT PRIMARY KEY, line INTEGER, value INTEGER) WITHOUT ROWID")

    def first(self, key: str, line: int, value: int) -> tuple[int, int] | None:
        """(line, value) of the earlier row with this key, or None (and this row is recorded)."""
        row = self.db.execute("SELECT line, value FROM seen WHERE key = ?", (key,)).fetchone()
        if row is None:
            self.db.execute("INSERT INTO seen VALUES (?, ?, ?)", (key, line, value))
            return None
        return row[0], row[1]

    def close(self) -> None:
        self.db.close()


@dataclass
class ImportStream:
    """An import whose triples are read as they are made; the report is complete once they are."""

    triples: Iterator[ox.Triple]
    report: ImportReport
    skip_invalid: bool = False

    @property
    def ok(self) -> bool:
        """True if what streamed may be kept: no row is invalid, or invalid rows were dropped."""
        return self.skip_invalid or not self.report.invalid


class IncompleteImport(Exception):
    """Raised inside the atomic writer when rows were invalid: the writer discards its temporary file."""


def write_stream(handle: IO[bytes], triples: Iterable[ox.Triple]) -> None:
    """Serialise triples as Turtle to a binary file as they come (the prefixes of :mod:`autokg.rdfio`)."""
    ox.serialize(triples, handle, format=ox.RdfFormat.TURTLE, prefixes=prefixes_for(ox.RdfFormat.TURTLE))
