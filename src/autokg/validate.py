"""Validate an autokg graph: SHACL shapes (with pyshacl) and SPARQL quality checks.

:func:`validate_graph` runs the bundled shapes (``shapes/*.ttl``) over a data graph, with the
ontology (``ontology/*.ttl``) both as pyshacl's ``ont_graph`` and mixed into the data (pyshacl
only copies the RDFS/OWL axioms of ``ont_graph``; the concepts of ``concepts.ttl`` must be there
too, so that ``skos:inScheme`` can be checked). RDFS inference is on by default, so that a
variant is checked as a vehicle model too.

:func:`run_qc` runs the named quality-check queries of ``queries/qc/``: every
``*-violation.rq`` must return no rows on good data; ``*-report.rq`` lists things worth a look
(severity INFO), such as figures on which sources disagree.

>>> from rdflib import Graph
>>> ttl = '''
... @prefix akg: <https://w3id.org/autokg/ns#> .
... @prefix id:  <https://w3id.org/autokg/id/> .
... id:acme a akg:Manufacturer .
... '''
>>> report = validate_graph(Graph().parse(data=ttl, format="turtle"))
>>> report.conforms
False
>>> sorted(str(r.result_path).split("#")[-1] for r in report.results)
['label', 'source']
>>> list(report.by_focus_node())
[rdflib.term.URIRef('https://w3id.org/autokg/id/acme')]
>>> [(qc.name, qc.severity, len(qc.rows)) for qc in run_qc(Graph().parse(data=ttl, format="turtle"))
...  if qc.rows]
[('missing-label', 'ERROR', 1)]
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path

import pyshacl
from rdflib import Graph
from rdflib.namespace import RDF, SH
from rdflib.term import Node

from autokg.resources import ontology_files, query_dir, shapes_files

__all__ = [
    "ValidationResult",
    "ValidationReport",
    "QCResult",
    "load_turtle",
    "validate_graph",
    "run_qc",
    "qc_queries",
    "parse_qc_header",
]

_SEVERITIES = ("ERROR", "WARN", "INFO")


def load_turtle(paths: Iterable[Path | str]) -> Graph:
    """Parse Turtle files into one new :class:`rdflib.Graph`."""
    graph = Graph()
    for path in paths:
        graph.parse(str(path), format="turtle")
    return graph


@dataclass(frozen=True)
class ValidationResult:
    """One ``sh:ValidationResult`` of a SHACL report."""

    focus_node: Node
    result_path: Node | None
    value: Node | None
    source_shape: Node | None
    constraint_component: Node | None
    severity: Node | None
    message: str | None

    def __str__(self) -> str:
        path = f" {self.result_path}" if self.result_path is not None else ""
        return f"{self.focus_node}{path}: {self.message or self.constraint_component}"


@dataclass(frozen=True)
class ValidationReport:
    """The outcome of :func:`validate_graph`."""

    conforms: bool
    results: list[ValidationResult]
    report_graph: Graph = field(repr=False)
    text: str = field(repr=False)

    def by_focus_node(self) -> dict[Node, list[ValidationResult]]:
        """The results grouped by focus node, in order of first appearance."""
        groups: dict[Node, list[ValidationResult]] = {}
        for result in self.results:
            groups.setdefault(result.focus_node, []).append(result)
        return groups


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


def _default_graph(files: list[Path]) -> Graph:
    return load_turtle(files)


def _results(report_graph: Graph) -> list[ValidationResult]:
    # Only the results of the report itself: pyshacl also types the nested results of sh:node
    # (reached by sh:detail) as sh:ValidationResult.
    results: list[ValidationResult] = []
    nodes = {
        node
        for report in report_graph.subjects(RDF.type, SH.ValidationReport)
        for node in report_graph.objects(report, SH.result)
    }
    for node in nodes:
        message = report_graph.value(node, SH.resultMessage)
        results.append(
            ValidationResult(
                focus_node=report_graph.value(node, SH.focusNode),
                result_path=report_graph.value(node, SH.resultPath),
                value=report_graph.value(node, SH.value),
                source_shape=report_graph.value(node, SH.sourceShape),
                constraint_component=report_graph.value(node, SH.sourceConstraintComponent),
                severity=report_graph.value(node, SH.resultSeverity),
                message=None if message is None else str(message),
            )
        )
    results.sort(key=lambda r: (str(r.focus_node), str(r.source_shape), str(r.result_path)))
    return results


def validate_graph(
    data_graph: Graph,
    *,
    shapes: Graph | None = None,
    ontology: Graph | None = None,
    inference: str = "rdfs",
) -> ValidationReport:
    """Validate ``data_graph`` against the SHACL shapes; the data graph is not changed.

    ``shapes`` and ``ontology`` default to the bundled ``shapes/*.ttl`` and ``ontology/*.ttl``.
    The ontology is mixed into a copy of the data (for the concept schemes) and passed to
    pyshacl as ``ont_graph``; ``inference`` is pyshacl's option ("rdfs", "owlrl", "none" ...).
    """
    if shapes is None:
        shapes = _default_graph(shapes_files())
    if ontology is None:
        ontology = _default_graph(ontology_files())
    data = Graph()
    for triple in data_graph:
        data.add(triple)
    for triple in ontology:
        data.add(triple)
    conforms, report_graph, text = pyshacl.validate(
        data,
        shacl_graph=shapes,
        ont_graph=ontology,
        inference=inference,
        inplace=True,
        abort_on_first=False,
        allow_warnings=False,
    )
    return ValidationReport(
        conforms=bool(conforms),
        results=_results(report_graph),
        report_graph=report_graph,
        text=str(text),
    )


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


def run_qc(graph: Graph, *, queries_dir: Path | None = None) -> list[QCResult]:
    """Run every quality-check query on ``graph`` (with rdflib) and return their rows.

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
        result = graph.query(text)
        rows = [{str(var): row[var] for var in result.vars} for row in result]
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
