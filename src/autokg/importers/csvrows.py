"""Reading CSV inputs: opening, finding columns by name, data rows with their line numbers."""

from __future__ import annotations

import csv
import os
from collections.abc import Callable, Iterator
from pathlib import Path

from ..errors import InputError
from .result import ImportReport, RowProblem

__all__ = ["open_csv", "read_header", "pick_column", "pick_columns", "data_rows", "count_lines"]

#: The csv module's limit on one cell (characters), which a cell over it breaks with ``_csv.Error``.
CELL_LIMIT = csv.field_size_limit()


def open_csv(path: str | os.PathLike[str]):
    """Open a CSV file for csv.reader (UTF-8, a BOM allowed), or raise InputError."""
    path = Path(path)
    if not path.is_file():
        raise InputError(f"{path}: no such file")
    return open(path, encoding="utf-8-sig", newline="")


def _read_errors(reader, path: str | os.PathLike[str] | None) -> Iterator[list[str]]:
    """The rows of a csv.reader, with its errors (a cell over the limit, a NUL, bad UTF-8) as one
    InputError naming the file and line."""
    where = Path(path).name if path is not None else "CSV"
    while True:
        try:
            row = next(reader)
        except StopIteration:
            return
        except csv.Error as err:
            line = reader.line_num
            if "field larger than field limit" in str(err):
                raise InputError(f"{where} line {line}: a cell is longer than the CSV cell limit of "
                                 f"{CELL_LIMIT:,} characters ({CELL_LIMIT // 1024} KB)") from None
            raise InputError(f"{where} line {line}: not readable as CSV: {err}") from None
        except UnicodeDecodeError as err:
            raise InputError(f"{where}: not UTF-8 text, near line {reader.line_num + 1} ({err.reason})") from None
        yield row


def read_header(reader, path: str | os.PathLike[str]) -> list[str]:
    """The header row of a csv.reader, or InputError for an empty file."""
    header = next(_read_errors(reader, path), None)
    if header is None:
        raise InputError(f"{path}: empty file, no header row")
    return header


def pick_columns(header: list[str], wanted: dict[str, tuple[str | None, tuple[str, ...]]]) -> dict[str, int]:
    """The index of each required column: ``{what: (the option naming it, default names)}``."""
    return {what: pick_column(header, given, candidates, what) for what, (given, candidates) in wanted.items()}


def pick_column(header: list[str], given: str | None, candidates: tuple[str, ...], what: str,
                *, required: bool = True) -> int | None:
    """The index of a column: the one named by an option, else the first default present.

    Raises InputError naming the missing column and the columns present.
    """
    folded = {h.strip().casefold(): i for i, h in enumerate(header)}
    present = ", ".join(h for h in header) or "(none)"
    if given:
        if given.strip().casefold() in folded:
            return folded[given.strip().casefold()]
        raise InputError(f"no column {given!r} for the {what} (columns present: {present})")
    for name in candidates:
        if name in folded:
            return folded[name]
    if required:
        raise InputError(f"no {what} column: expected one of {', '.join(candidates)} or an option naming it"
                         f" (columns present: {present})")
    return None


def data_rows(reader, report: ImportReport, width: int, progress: Callable[[int], None] | None = None,
              *, every: int = 1000, path: str | os.PathLike[str] | None = None):
    """The (line number, row) of each non-blank data row of a csv.reader, counted in ``report``.

    A row with fewer than ``width`` cells is recorded as invalid and not yielded; the progress
    callback hears of the rows read every ``every`` rows. A file the csv module cannot read (a
    cell over :data:`CELL_LIMIT`, a NUL) is an InputError naming ``path`` and the line.
    """
    pending = 0
    for row in _read_errors(reader, path):
        line = reader.line_num
        pending += 1
        if progress and pending >= every:
            progress(pending)
            pending = 0
        if not any(cell.strip() for cell in row):
            continue
        report.rows += 1
        if len(row) < width:
            report.invalid.append(RowProblem(line, f"{len(row)} cells, expected at least {width}"))
            continue
        yield line, row
    if progress and pending:
        progress(pending)


def count_lines(path: str | os.PathLike[str]) -> int:
    """Lines of a file (for the length of a progress bar)."""
    with open(path, "rb") as f:
        return sum(chunk.count(b"\n") for chunk in iter(lambda: f.read(1 << 20), b""))
