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


def defuse_csv(data: bytes, *, lineterminator: str = "\r\n") -> bytes:
    """CSV (as SPARQL results are written: a header, CRLF lines) with every data cell through :func:`csv_cell`."""
    rows = csv.reader(io.StringIO(data.decode("utf-8"), newline=""))
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer, lineterminator=lineterminator)
    for i, row in enumerate(rows):
        writer.writerow(row if i == 0 else [csv_cell(cell) for cell in row])
    return buffer.getvalue().encode("utf-8")


def write_csv_results(solutions: Any, out: IO[bytes]) -> None:
    """SPARQL 1.1 CSV results (a header of variable names, CRLF lines; IRIs and literals by their
    text, blank nodes as ``_:label``) written row by row as the engine yields them, every data cell
    through :func:`csv_cell`, so that a result is never held whole."""
    from pyoxigraph import BlankNode

    names = [v.value for v in solutions.variables]
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer, lineterminator="\r\n")

    def flush() -> None:
        out.write(buffer.getvalue().encode("utf-8"))
        buffer.seek(0)
        buffer.truncate()

    writer.writerow(names)
    flush()
    for solution in solutions:
        terms = (solution[name] for name in names)
        writer.writerow([csv_cell("" if t is None else f"_:{t.value}" if isinstance(t, BlankNode) else t.value)
                         for t in terms])
        flush()


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
