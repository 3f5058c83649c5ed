"""Render answers as a table, JSON or CSV. Plain text tables, without rich, to keep start-up short.

CSV is meant for spreadsheets: a text cell a spreadsheet would run as a formula (one that starts
with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return) is written with a leading ``'``, which
spreadsheets show as text (the OWASP advice); numbers, ``-5`` or ``+3.2``, stay numbers. Control
characters are dropped from cells (:func:`autokg.terminal.printable`).
"""

from __future__ import annotations

import csv
import io
import json
import re
from collections.abc import Sequence
from typing import IO, Any

from .terminal import json_escaped, printable

__all__ = ["render", "render_table", "csv_cell", "defuse_csv"]

_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
_NUMBER = re.compile(r"^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$")


def csv_cell(value: Any) -> Any:
    """A value as a spreadsheet-safe CSV cell: numbers as they are, formulas defused.

    >>> csv_cell("=1+2"), csv_cell("-5"), csv_cell(-5), csv_cell("+3.2"), csv_cell("@x"), csv_cell("-note")
    ("'=1+2", '-5', -5, '+3.2', "'@x", "'-note")
    """
    if not isinstance(value, str):
        return value
    value = printable(value)
    if value.startswith(_FORMULA_START) and not _NUMBER.match(value):
        value = "'" + value
    return value


def defuse_csv(data: bytes, *, lineterminator: str = "\r\n", header: bool = True) -> bytes:
    """CSV (as SPARQL results are written: a header, CRLF lines) with every data cell through
    :func:`csv_cell` (``header``: the first row is the header, left as it is)."""
    rows = csv.reader(io.StringIO(data.decode("utf-8", "surrogateescape"), newline=""))
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer, lineterminator=lineterminator)
    for i, row in enumerate(rows):
        writer.writerow(row if header and i == 0 else [csv_cell(cell) for cell in row])
    return buffer.getvalue().encode("utf-8", "surrogateescape")


#: Byte sequences where a CSV cell starts like a formula: after a comma or a line end, quoted or not.
_FORMULA_CELLS = tuple(sep + quote + start for sep in (b",", b"\n") for quote in (b"", b'"')
                       for start in (b"=", b"+", b"-", b"@", b"\t"))
_C0_AND_DEL = bytes([*range(0x00, 0x09), 0x0b, 0x0c, *range(0x0e, 0x20), 0x7f])
_WIDE_CONTROL = re.compile(rb"\xc2[\x80-\x9f]|\xe2\x80[\xaa-\xae]|\xe2\x81[\xa6-\xa9]")  # C1, bidi (UTF-8)


def _needs_care(chunk: bytes) -> bool:
    """Whether a chunk of CSV may hold a cell to defuse or a control character. Substring tests
    (at memory speed) rather than one regular expression, which would cost more than the engine's
    own serialiser; a false alarm only sends the chunk through the exact, slower path."""
    return (any(cell in chunk for cell in _FORMULA_CELLS) or chunk.startswith(_FORMULA_CELLS_AT_START)
            or chunk.count(b"\r") != chunk.count(b"\r\n")
            or len(chunk.translate(None, _C0_AND_DEL)) != len(chunk)
            or ((b"\xc2" in chunk or b"\xe2" in chunk) and _WIDE_CONTROL.search(chunk) is not None))


_FORMULA_CELLS_AT_START = tuple(quote + start for quote in (b"", b'"') for start in (b"=", b"+", b"-", b"@", b"\t"))


class _DefusingCsv:
    """A binary stream that passes CSV through, defusing cells (:func:`csv_cell`) record by record.

    Records are taken whole (up to a line end outside quotes); a chunk with nothing to defuse is
    written as it is, so the cost over the engine's own serialiser is one regular-expression scan.
    """

    _CHUNK = 1 << 16

    def __init__(self, out: IO[bytes]):
        self._out, self._pending, self._first = out, bytearray(), True

    def write(self, data: bytes) -> int:
        self._pending += data
        if len(self._pending) >= self._CHUNK:
            end = self._records_end()
            if end:
                self._emit(bytes(self._pending[:end]))
                del self._pending[:end]
        return len(data)

    def _records_end(self) -> int:
        end = self._pending.rfind(b"\n")
        while end >= 0:
            if self._pending.count(b'"', 0, end) % 2 == 0:  # the line end is outside quotes
                return end + 1
            end = self._pending.rfind(b"\n", 0, end)
        return 0

    def _emit(self, chunk: bytes) -> None:
        if _needs_care(chunk):
            chunk = defuse_csv(chunk, header=self._first)
        self._first = False
        self._out.write(chunk)

    def flush(self) -> None:
        if self._pending:
            self._emit(bytes(self._pending))
            self._pending.clear()
        self._out.flush()


def write_csv_results(solutions: Any, out: IO[bytes]) -> None:
    """SPARQL 1.1 CSV results, as the engine writes them row by row, with every data cell a
    spreadsheet would run as a formula defused (:func:`csv_cell`): never held whole."""
    from pyoxigraph import QueryResultsFormat

    stream = _DefusingCsv(out)
    solutions.serialize(stream, format=QueryResultsFormat.CSV)
    stream.flush()


def render_table(rows: Sequence[dict[str, Any]], columns: Sequence[str], *, title: str | None = None,
                 width: int | None = None) -> str:
    """A plain text table with a header row that fits the terminal (see :mod:`autokg.fit`).

    >>> print(render_table([{"model": "Tesla Model Y", "n": 1200, "year": 2025}], ["model", "n", "year"]))
    model          n      year
    -------------  -----  ----
    Tesla Model Y  1,200  2025
    """
    from .fit import fit_table

    return fit_table(rows, columns, title=title, width=width)


def render(rows: Sequence[dict[str, Any]] | dict[str, Any], fmt: str, *, columns: Sequence[str] | None = None,
           title: str | None = None) -> str:
    """Render rows (or one JSON document) as ``table``, ``json`` or ``csv``."""
    if fmt == "json":
        return json_escaped(json.dumps(rows, indent=2, ensure_ascii=False, default=str))
    if isinstance(rows, dict):
        rows = [rows]
    columns = list(columns or (rows[0].keys() if rows else []))
    if fmt == "csv":
        buffer = io.StringIO()
        writer = csv.DictWriter(buffer, fieldnames=columns, extrasaction="ignore", lineterminator="\n")
        writer.writeheader()
        for row in rows:
            writer.writerow({c: csv_cell("; ".join(map(str, v)) if isinstance(v, (list, tuple)) else v)
                             for c, v in row.items() if c in columns})
        return buffer.getvalue().rstrip("\n")
    return render_table(rows, columns, title=title)
