"""Validation results and reports: SHACL results, the report graph, and the report as text or JSON.

:class:`ValidationReport` is what every validation engine returns (the compiled SPARQL of
:mod:`autokg.validation.compiled`, pyshacl in :mod:`autokg.validation.fallback`), the same
either way; :class:`Validation` adds the quality checks; :func:`document` and :func:`text` are
the answer of ``autokg validate`` as a JSON document and for people.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

import pyoxigraph as ox
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.namespace import RDF, SH, XSD
from rdflib.term import Node

from ..vocab import curie

__all__ = ["ValidationResult", "ValidationReport", "Validation", "results_from_graph", "add_to_report",
           "to_oxigraph", "from_oxigraph", "document", "text"]


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
class Validation:
    """The answer of :func:`autokg.validation.validate`: the SHACL report and the quality checks.

    Quality checks of severity ERROR count as violations; WARN and INFO rows are reported only.
    """

    shacl: ValidationReport
    checks: list[Any] = field(default_factory=list)
    qc: bool = False
    #: How to count the graph's triples: counting a store is a scan (a second at 10M triples), so
    #: it is done only when the text asks for it, not on every validation of a few nodes.
    count: Callable[[], int] | None = field(default=None, repr=False, compare=False)

    @cached_property
    def triples(self) -> int:
        """The number of triples of the graph validated."""
        return self.count() if self.count is not None else 0

    @property
    def failed_checks(self) -> list[Any]:
        return [c for c in self.checks if c.rows and c.severity == "ERROR"]

    @property
    def conforms(self) -> bool:
        return self.shacl.conforms and not self.failed_checks

    @property
    def results(self) -> list[ValidationResult]:
        return self.shacl.results


def results_from_graph(report_graph: Graph) -> list[ValidationResult]:
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



def to_oxigraph(term: Node) -> Any:
    """An rdflib term as a pyoxigraph term."""
    if isinstance(term, URIRef):
        return ox.NamedNode(str(term))
    if isinstance(term, BNode):
        return ox.BlankNode(str(term))
    if term.language:
        return ox.Literal(str(term), language=term.language)
    if term.datatype:
        return ox.Literal(str(term), datatype=ox.NamedNode(str(term.datatype)))
    return ox.Literal(str(term))


def from_oxigraph(term: Any) -> Node | None:
    """A pyoxigraph term as rdflib parses it: a plain literal has no datatype (not xsd:string)."""
    if term is None:
        return None
    if isinstance(term, ox.NamedNode):
        return URIRef(term.value)
    if isinstance(term, ox.BlankNode):
        return BNode(term.value)
    if term.language:
        return Literal(term.value, lang=term.language)
    if term.datatype.value == str(XSD.string):
        return Literal(term.value)
    # As written: rdflib would otherwise canonicalise some lexical forms ("01" to "1").
    return Literal(term.value, datatype=URIRef(term.datatype.value), normalize=False)


def add_to_report(report: Graph, results: list[ValidationResult]) -> None:
    from rdflib import BNode

    top = next(report.subjects(RDF.type, SH.ValidationReport), None)
    if top is None:
        top = BNode()
        report.add((top, RDF.type, SH.ValidationReport))
        report.add((top, SH.conforms, Literal(not results)))
    if results:
        report.set((top, SH.conforms, Literal(False)))
    for r in results:
        node = BNode()
        report.add((top, SH.result, node))
        report.add((node, RDF.type, SH.ValidationResult))
        for predicate, value in ((SH.focusNode, r.focus_node), (SH.resultPath, r.result_path), (SH.value, r.value),
                                 (SH.sourceShape, r.source_shape), (SH.sourceConstraintComponent, r.constraint_component),
                                 (SH.resultSeverity, r.severity)):
            if value is not None:
                report.add((node, predicate, value))
        if r.message:
            report.add((node, SH.resultMessage, Literal(r.message)))



def _short(node: Any) -> str:
    return "" if node is None else curie(str(node))


def _str(node: Any) -> str | None:
    return None if node is None else str(node)


def document(validation: Validation) -> dict[str, Any]:
    """The validation as the JSON document of ``autokg validate --format json``."""
    report, checks = validation.shacl, validation.checks
    return {
        "conforms": validation.conforms,
        "shacl": {
            "conforms": report.conforms,
            "results": [{
                "focus_node": str(r.focus_node), "path": _str(r.result_path), "value": _str(r.value),
                "source_shape": _str(r.source_shape), "constraint": _str(r.constraint_component),
                "severity": _str(r.severity), "message": r.message,
            } for r in report.results],
        },
        "qc": [{"check": c.name, "severity": c.severity, "problem": c.problem, "solution": c.solution,
                "rows": [{k: _str(v) for k, v in row.items()} for row in c.rows]} for c in checks],
    }


def text(validation: Validation) -> str:
    """The validation for people: SHACL results grouped by focus node, then the quality checks."""
    report, checks = validation.shacl, validation.checks
    lines: list[str] = []
    groups = report.by_focus_node()
    if report.conforms:
        lines.append(f"SHACL: conforms ({validation.triples} triples checked)")
    else:
        lines.append(f"SHACL: {len(report.results)} violations on {len(groups)} nodes")
        for focus, results in groups.items():
            lines.append(f"  {_short(focus)}")
            for r in results:
                path = f"{_short(r.result_path)}: " if r.result_path is not None else ""
                message = re.sub(r"https?://[^\s,;()]+", lambda m: _short(m.group(0)),
                                 r.message or _short(r.constraint_component))
                lines.append(f"    - {path}{message}"
                             f"{f' (value: {_short(r.value)})' if r.value is not None else ''}")
    for check in checks:
        if not check.rows:
            continue
        lines.append(f"QC {check.severity} {check.name}: {len(check.rows)} rows. {check.problem}")
        for row in check.rows[:20]:
            lines.append("    " + ", ".join(f"{k}={_short(v)}" for k, v in row.items() if v is not None))
        if len(check.rows) > 20:
            lines.append(f"    ... {len(check.rows) - 20} more (--format json lists all)")
        if check.solution:
            lines.append(f"    Solution: {check.solution}")
    if validation.qc and not any(c.rows for c in checks):
        lines.append(f"QC: {len(checks)} checks, nothing found")
    lines.append("Conforms." if validation.conforms else "Does not conform.")
    return "\n".join(lines)
