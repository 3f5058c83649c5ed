"""The library's own SPARQL, kept as ``queries/lib/*.rq`` files beside the user queries.

A line ``#include NAME`` in a query is replaced by the fragment ``queries/lib/NAME.rq`` (its
comment lines dropped), so that a pattern shared by several queries is written once. Lines
``#claims PATTERN`` give the patterns a fragment's ``%CLAIMS%`` stands for: a fragment line
holding it becomes one UNION branch per pattern.
"""

from __future__ import annotations

import functools
import re

from .resources import query_dir

__all__ = ["lib_query"]

_INCLUDE = re.compile(r"^(\s*)#include\s+([\w-]+)\s*$", re.M)


@functools.lru_cache(maxsize=None)
def lib_query(name: str) -> str:
    """The text of ``queries/lib/NAME.rq``, fragments included.

    >>> "akg:source ?source" in lib_query("rival-claims")
    True
    """
    text = (query_dir() / "lib" / f"{name}.rq").read_text(encoding="utf-8")

    def include(match: re.Match[str]) -> str:
        body = lib_query(match.group(2))
        return "\n".join(match.group(1) + line for line in body.splitlines() if not line.lstrip().startswith("#"))

    patterns = [p.strip() for p in re.findall(r"^#claims\s+(.*)$", text, re.M)]
    text = _INCLUDE.sub(include, text)
    if not patterns:
        return text
    lines = []
    for line in text.splitlines():
        if "%CLAIMS%" not in line:
            lines.append(line)
            continue
        indent, _, branch = line.partition("{")
        first = not indent.strip().startswith("UNION")
        branches = ["{" + branch.replace("%CLAIMS%", p) for p in patterns]
        lines.append(indent.replace("UNION", "") + ("" if first else "UNION ") + "\n  UNION ".join(branches))
    return "\n".join(lines)
