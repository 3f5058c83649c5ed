"""Tables that fit the terminal: the width to fit, cells shortened with an ellipsis, URLs shown
as their domain, years and identifiers printed without a thousands separator.

Only tables are fitted; JSON and CSV keep every value whole. The width is the terminal's (or
``COLUMNS``), 120 where neither is known (a pipe, a test).
"""

from __future__ import annotations

import os
import re
import shutil
import sys
from collections.abc import Sequence
from typing import Any
from urllib.parse import urlsplit

from .terminal import printable

__all__ = ["terminal_width", "shorten", "domain", "cell_text", "fit_widths", "fit_table", "ELLIPSIS"]

ELLIPSIS = "…"
DEFAULT_WIDTH = 120
#: Narrowest a shortened column gets (its header is shortened too).
MIN_COLUMN = 6
GAP = 2

#: Columns whose numbers are names, not quantities: never grouped by thousands.
PLAIN_NUMBER_COLUMNS = frozenset({
    "year", "period", "from", "to", "date", "launch", "model_year", "cluster", "rank", "id", "iri",
    "distance", "size", "month", "quarter", "stated_on", "published", "planned", "since", "as_of",
})
_YEAR_LIKE = re.compile(r"^(year|.*_year|.*_id|.*period.*|.*date.*)$")


def terminal_width(default: int = DEFAULT_WIDTH) -> int:
    """The width to fit: ``COLUMNS`` if set, else the terminal's when printing to one, else
    ``default`` (a pipe, a file, a test runner: the same width wherever it runs).

    >>> os.environ["COLUMNS"] = "80"; terminal_width()
    80
    >>> del os.environ["COLUMNS"]
    """
    env = os.environ.get("COLUMNS", "").strip()
    if env.isdigit() and int(env) > 0:
        return int(env)
    stream = sys.stdout
    if stream is None or not hasattr(stream, "isatty") or not stream.isatty():
        return default
    size = shutil.get_terminal_size(fallback=(0, 0)).columns
    return size if size > 0 else default


def shorten(text: str, width: int) -> str:
    """``text`` cut to ``width`` characters, the cut shown by an ellipsis.

    >>> shorten("positioned against it", 12)
    'positioned …'
    >>> shorten("SUV", 12)
    'SUV'
    """
    if len(text) <= width:
        return text
    if width <= 1:
        return ELLIPSIS[:width]
    return text[: width - 1] + ELLIPSIS


def url_host(url: str) -> str:
    """The host of a URL, lower case, without ``www.`` and without userinfo or port ("" for none).

    >>> url_host("https://alice:pw@www.Example.org:8080/x")
    'example.org'
    """
    try:
        host = urlsplit(url).hostname or ""
    except ValueError:  # a malformed host ("[::1"): no host to tell a site by
        host = ""
    return host.removeprefix("www.")


def domain(url: str) -> str:
    """A URL as people name the site: its host without ``www.`` (never its userinfo or port).

    >>> domain("https://www.scmp.com/business/article/3242215/byd?utm_source=rss")
    'scmp.com'
    >>> domain("not a url")
    'not a url'
    """
    if urlsplit(url).scheme in ("http", "https"):
        return url_host(url) or url
    return url


def _plain_number_column(column: str) -> bool:
    return column in PLAIN_NUMBER_COLUMNS or bool(_YEAR_LIKE.match(column))


def cell_text(value: Any, column: str = "") -> str:
    """A value as a table shows it: numbers grouped by thousands (not years or identifiers),
    IRIs of the graph as CURIEs, other URLs as their domain, lists joined, None as nothing.

    >>> cell_text(1234567, "deliveries"), cell_text(2025, "year"), cell_text(2025.0, "to")
    ('1,234,567', '2025', '2025')
    >>> cell_text("https://www.electrive.com/2026/01/05/x", "url"), cell_text(["a", "b"]), cell_text(True)
    ('electrive.com', 'a; b', 'yes')
    >>> cell_text("https://w3id.org/autokg/id/xiaomi-su7", "model")
    'id:xiaomi-su7'
    """
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, int):
        return str(value) if _plain_number_column(column) else f"{value:,}"
    if isinstance(value, float):
        return f"{value:,.2f}"
    if isinstance(value, (list, tuple)):
        return "; ".join(cell_text(v, column) for v in value)
    text = str(value)
    if text.startswith(("http://", "https://")):
        from .vocab import curie

        short = curie(text)
        # A graph IRI as its CURIE (id:xiaomi-su7); a web address as its site.
        return short if short != text else domain(text)
    # One line, and no control character from the data (its width would throw the columns off).
    return printable(text).replace("\n", " ").replace("\t", " ")


def fit_widths(natural: Sequence[int], width: int) -> list[int]:
    """Column widths that fit ``width``: the widest column gives way first, one character at a
    time, none below :data:`MIN_COLUMN` (or its natural width, if narrower); if even that is
    too wide, the table is as narrow as it can be.

    >>> fit_widths([10, 60, 40], 80)
    [10, 33, 33]
    >>> fit_widths([5, 5], 80)
    [5, 5]
    """
    widths = list(natural)
    budget = width - GAP * (len(widths) - 1)
    floor = [min(n, MIN_COLUMN) for n in natural]
    excess = sum(widths) - budget
    while excess > 0:
        # One character off the widest column that can still give one.
        shrinkable = [i for i in range(len(widths)) if widths[i] > floor[i]]
        if not shrinkable:
            break
        widest = max(shrinkable, key=lambda i: (widths[i], -i))
        widths[widest] -= 1
        excess -= 1
    return widths


def fit_table(rows: Sequence[dict[str, Any]], columns: Sequence[str], *, title: str | None = None,
              width: int | None = None) -> str:
    """A plain text table of ``rows`` that fits ``width`` (the terminal's by default): columns
    with nothing in them are left out first, then the widest columns are shortened.

    >>> rows = [{"rival": "BYD Sea Lion 07", "url": "https://www.scmp.com/a/very/long/path", "year": 2025}]
    >>> print(fit_table(rows, ["rival", "url", "year"], width=30))
    rival           url       year
    --------------  --------  ----
    BYD Sea Lion …  scmp.com  2025
    """
    width = width or terminal_width()
    columns = list(columns)
    cells = [[cell_text(r.get(c), c) for c in columns] for r in rows]
    natural = [max([len(c)] + [len(row[i]) for row in cells]) for i, c in enumerate(columns)]
    if rows and sum(natural) + GAP * (len(columns) - 1) > width:
        # Too wide: a column with nothing in it gives way first.
        keep = [i for i in range(len(columns)) if any(row[i] for row in cells)] or list(range(len(columns)))
        columns = [columns[i] for i in keep]
        cells = [[row[i] for i in keep] for row in cells]
    natural = [max([len(c)] + [len(row[i]) for row in cells]) for i, c in enumerate(columns)]
    widths = fit_widths(natural, width)
    lines = [shorten(title, width)] if title else []
    lines.append("  ".join(shorten(c, w).ljust(w) for c, w in zip(columns, widths)).rstrip())
    lines.append("  ".join("-" * w for w in widths))
    for row in cells:
        lines.append("  ".join(shorten(v, w).ljust(w) for v, w in zip(row, widths)).rstrip())
    return "\n".join(lines)
