"""Printing answers: tables for people, JSON and CSV that keep every field."""

from __future__ import annotations

import json
from typing import Any

import click

__all__ = ["echo_answer", "echo_json"]


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
    """Print an answer document as indented JSON."""
    click.echo(json.dumps(document, indent=2, ensure_ascii=False))
