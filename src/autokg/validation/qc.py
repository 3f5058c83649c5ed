"""Quality checks as SPARQL files (ROBOT-style): each ``queries/qc/*-violation.rq`` must return nothing.

``*-report.rq`` lists things worth a look (severity INFO), such as figures on which sources
disagree. A query's header says what it finds (``# Problem:``), what to do (``# Solution:``) and
how bad it is (``# Severity:``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from rdflib import Graph
from rdflib.term import Node

from ..resources import query_dir
from .report import from_oxigraph

__all__ = ["QCResult", "parse_qc_header", "qc_queries", "run_qc"]

_SEVERITIES = ("ERROR", "WARN", "INFO")


@dataclass(frozen=True)
class QCResult:
    """The rows one quality-check query returned."""

    name: str
    severity: str
    problem: str
    solution: str
    path: Path
    rows: list[Mapping[str, Node | None]]

    @property
    def passed(self) -> bool:
        """True if the query returned no rows."""
        return not self.rows



_HEADER = re.compile(r"^#\s*(Problem|Solution|Severity)\s*:\s*(.*)$")


def parse_qc_header(text: str) -> dict[str, str]:
    """Read the ROBOT-style header (``# Problem:``, ``# Solution:``, ``# Severity:``) of a query.

    A field may run on over further comment lines.

    >>> parse_qc_header("# Problem: a\\n#  b\\n# Solution: c\\n# Severity: WARN\\nSELECT ...")
    {'Problem': 'a b', 'Solution': 'c', 'Severity': 'WARN'}
    """
    header: dict[str, str] = {}
    current: str | None = None
    for line in text.splitlines():
        if not line.startswith("#"):
            if line.strip():
                break
            continue
        match = _HEADER.match(line)
        if match:
            current = match.group(1)
            header[current] = match.group(2).strip()
        elif current is not None and line.lstrip("#").strip():
            header[current] = f"{header[current]} {line.lstrip('#').strip()}"
        else:
            current = None
    return header


def qc_queries(queries_dir: Path | None = None) -> list[Path]:
    """The quality-check queries: ``*-violation.rq`` then ``*-report.rq``, each sorted by name."""
    folder = Path(queries_dir) if queries_dir is not None else query_dir() / "qc"
    return sorted(folder.glob("*-violation.rq")) + sorted(folder.glob("*-report.rq"))


def run_qc(graph: Graph | Any, *, queries_dir: Path | None = None) -> list[QCResult]:
    """Run every quality-check query on ``graph`` and return their rows.

    ``graph`` is an rdflib Graph (queried with rdflib) or an :class:`autokg.graph.KnowledgeGraph`
    (queried in its pyoxigraph store, a hundred times faster); rows hold rdflib terms either way.

    ``queries_dir`` defaults to the bundled ``queries/qc``. A query's name is its file name
    without ``-violation.rq`` / ``-report.rq``; its severity is the ``# Severity:`` of its header (``*-report.rq`` default
    to INFO, the others to ERROR).
    """
    out: list[QCResult] = []
    for path in qc_queries(queries_dir):
        text = path.read_text(encoding="utf-8")
        header = parse_qc_header(text)
        default = "INFO" if path.name.endswith("-report.rq") else "ERROR"
        severity = (header.get("Severity") or default).split()[0].upper()
        if severity not in _SEVERITIES:
            raise ValueError(f"{path.name}: unknown severity {severity!r} (use {', '.join(_SEVERITIES)})")
        if isinstance(graph, Graph):
            result = graph.query(text)
            rows = [{str(var): row[var] for var in result.vars} for row in result]
        else:
            solutions = graph.query(text)
            names = [v.value for v in solutions.variables]
            rows = [{n: from_oxigraph(s[n]) for n in names} for s in solutions]
        out.append(
            QCResult(
                name=re.sub(r"-(violation|report)$", "", path.stem),
                severity=severity,
                problem=header.get("Problem", ""),
                solution=header.get("Solution", ""),
                path=path,
                rows=rows,
            )
        )
    return out

