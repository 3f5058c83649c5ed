"""Render answers as a table, JSON or CSV. Plain text tables, without rich, to keep start-up short."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Sequence
from typing import Any

__all__ = ["render", "render_table"]


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
        return json.dumps(rows, indent=2, ensure_ascii=False, default=str)
    if isinstance(rows, dict):
        rows = [rows]
    columns = list(columns or (rows[0].keys() if rows else []))
    if fmt == "csv":
        buffer = io.StringIO()
        writer = csv.DictWriter(buffer, fieldnames=columns, extrasaction="ignore", lineterminator="\n")
        writer.writeheader()
        for row in rows:
            writer.writerow({c: ("; ".join(map(str, v)) if isinstance(v, (list, tuple)) else v)
                             for c, v in row.items() if c in columns})
        return buffer.getvalue().rstrip("\n")
    return render_table(rows, columns, title=title)
