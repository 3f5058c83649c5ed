"""Printing answers: tables for people, JSON and CSV that keep every field."""

from __future__ import annotations

import json
from typing import Any

import click

__all__ = ["echo_answer", "echo_json", "echo_document", "echo_table"]


def echo_answer(rows: Any, fmt: str, *, columns: list[str] | None = None, title: str | None = None,
                empty: str | None = None) -> None:
    """Print rows (or one JSON document) as ``table``, ``json`` or ``csv``; ``empty`` is the table's
    line when there are no rows."""
    from ..output import render

    if not rows and fmt == "table" and empty:
        click.echo(empty)
        return
    click.echo(render(rows, fmt, columns=columns, title=title))


def echo_json(document: Any) -> None:
    """Print an answer document as indented JSON (control characters as escapes: nothing is lost)."""
    from ..terminal import json_escaped

    click.echo(json_escaped(json.dumps(document, indent=2, ensure_ascii=False)))


#: The name the answers' JSON documents are printed by (one name for every command).
echo_document = echo_json


def echo_table(rows: list[dict[str, Any]], fmt: str, *, columns: list[str], csv_columns: list[str] | None = None,
               title: str | None = None, empty: str | None = None, limit: int | None = None) -> None:
    """Print rows as a table that fits the terminal (``limit`` rows at most, saying how many more
    there are) or as CSV (every row, and the ``csv_columns``, which keep IRIs and URLs whole)."""
    if fmt == "csv":
        echo_answer(rows, "csv", columns=csv_columns or columns)
        return
    if not rows and empty:
        click.echo(empty)
        return
    shown = rows if not limit else rows[:limit]
    echo_answer(shown, "table", columns=columns, title=title)
    if len(shown) < len(rows):
        click.echo(f"... {len(rows) - len(shown)} more (--limit {len(rows)} shows them all)")
