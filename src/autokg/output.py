"""Render answers as a table, JSON or CSV. Plain text tables, without rich, to keep start-up short."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Sequence
from typing import Any

__all__ = ["render", "render_table"]


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, int):
        return f"{value:,}"
    if isinstance(value, (list, tuple)):
        return "; ".join(_cell(v) for v in value)
    return str(value)


def render_table(rows: Sequence[dict[str, Any]], columns: Sequence[str], *, title: str | None = None) -> str:
    """A plain text table with a header row.

    >>> print(render_table([{"model": "Tesla Model Y", "n": 1200}], ["model", "n"]))
    model          n
    -------------  -----
    Tesla Model Y  1,200
    """
    cells = [[_cell(r.get(c)) for c in columns] for r in rows]
    widths = [max([len(c)] + [len(row[i]) for row in cells]) for i, c in enumerate(columns)]
    lines = []
    if title:
        lines.append(title)
    lines.append("  ".join(c.ljust(w) for c, w in zip(columns, widths)).rstrip())
    lines.append("  ".join("-" * w for w in widths))
    for row in cells:
        lines.append("  ".join(v.ljust(w) for v, w in zip(row, widths)).rstrip())
    return "\n".join(lines)


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
