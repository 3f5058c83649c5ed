"""Validate an autokg graph: SHACL shapes (with pyshacl) and SPARQL quality checks.

:func:`validate_graph` runs the bundled shapes (``shapes/*.ttl``) over a data graph, with the
ontology (``ontology/*.ttl``) both as pyshacl's ``ont_graph`` and mixed into the data (pyshacl
only copies the RDFS/OWL axioms of ``ont_graph``; the concepts of ``concepts.ttl`` must be there
too, so that ``skos:inScheme`` can be checked). RDFS inference is on by default, so that a
variant is checked as a vehicle model too.

:func:`run_qc` runs the named quality-check queries of ``queries/qc/``: every
``*-violation.rq`` must return no rows on good data; ``*-report.rq`` lists things worth a look
(severity INFO), such as figures on which sources disagree.

>>> from rdflib import Graph, Literal, URIRef
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
from typing import Any

import pyshacl
from rdflib import Graph, Literal, URIRef
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


def _split_sparql_constraints(shapes: Graph) -> tuple[Graph, list[tuple[Node, Node]]]:
    """The shapes without their SHACL-SPARQL constraints, and the (shape, constraint) pairs taken out.

    pyshacl runs a SPARQL constraint once per focus node, parsing its query each time: on the
    bundled graph that is 90 % of a validation. autokg runs each one once instead, over all its
    focus nodes together (:func:`_run_sparql_constraints`).
    """
    pairs = [(shape, constraint) for shape, constraint in shapes.subject_objects(SH.sparql)
             if (constraint, SH.deactivated, Literal(True)) not in shapes]
    core = Graph()
    for prefix, namespace in shapes.namespaces():
        core.bind(prefix, namespace)
    for triple in shapes.triples((None, None, None)):
        if triple[1] != SH.sparql:
            core.add(triple)
    return core, pairs


def _prefix_declarations(shapes: Graph, constraint: Node) -> str:
    lines = []
    for ontology in shapes.objects(constraint, SH.prefixes):
        for declaration in shapes.objects(ontology, SH.declare):
            prefix = shapes.value(declaration, SH.prefix)
            namespace = shapes.value(declaration, SH.namespace)
            if prefix is not None and namespace is not None:
                lines.append(f"PREFIX {prefix}: <{namespace}>")
    return "\n".join(lines) + "\n"


def _focus_nodes(shape: Node, shapes: Graph, data: Graph) -> set[Node]:
    """The focus nodes of a shape: its targets, with rdfs:subClassOf followed in the data graph."""
    from rdflib.namespace import RDFS

    nodes: set[Node] = set(shapes.objects(shape, SH.targetNode))
    classes = set(shapes.objects(shape, SH.targetClass))
    if (shape, RDF.type, RDFS.Class) in shapes:  # an implicit class target
        classes.add(shape)
    for cls in classes:
        for sub in data.transitive_subjects(RDFS.subClassOf, cls):
            nodes.update(data.subjects(RDF.type, sub))
    for predicate in shapes.objects(shape, SH.targetSubjectsOf):
        nodes.update(data.subjects(predicate, None))
    for predicate in shapes.objects(shape, SH.targetObjectsOf):
        nodes.update(data.objects(None, predicate))
    return nodes


def _to_oxigraph(term: Node):
    import pyoxigraph as ox
    from rdflib import BNode, URIRef

    if isinstance(term, URIRef):
        return ox.NamedNode(str(term))
    if isinstance(term, BNode):
        return ox.BlankNode(str(term))
    if term.language:
        return ox.Literal(str(term), language=term.language)
    if term.datatype:
        return ox.Literal(str(term), datatype=ox.NamedNode(str(term.datatype)))
    return ox.Literal(str(term))


def _from_oxigraph(term) -> Node | None:
    import pyoxigraph as ox
    from rdflib import BNode, URIRef

    if term is None:
        return None
    if isinstance(term, ox.NamedNode):
        return URIRef(term.value)
    if isinstance(term, ox.BlankNode):
        return BNode(term.value)
    if term.language:
        return Literal(term.value, lang=term.language)
    return Literal(term.value, datatype=URIRef(term.datatype.value))


def _message(template: str | None, row: dict[str, Node | None]) -> str | None:
    if template is None:
        return None
    return re.sub(r"\{[?$](\w+)\}", lambda m: "" if row.get(m.group(1)) is None else str(row[m.group(1)]), template)


def _run_sparql_constraints(data: Graph, shapes: Graph, pairs: list[tuple[Node, Node]]) -> list[ValidationResult]:
    """Run each SPARQL constraint once, over all its focus nodes (bound with VALUES), in pyoxigraph."""
    import pyoxigraph as ox

    store = ox.Store()
    # RDFS inference (in place) may have added generalised triples, with a literal subject: skip those.
    store.extend(ox.Quad(_to_oxigraph(s), _to_oxigraph(p), _to_oxigraph(o)) for s, p, o in data
                 if not isinstance(s, Literal) and isinstance(p, URIRef))
    results: list[ValidationResult] = []
    for shape, constraint in pairs:
        focus = _focus_nodes(shape, shapes, data)
        if focus:
            values = " ".join(str(_to_oxigraph(n)) for n in focus)
            results.extend(sparql_constraint_results(store, shapes, shape, constraint, f"VALUES ?this {{ {values} }}"))
    return results


def sparql_constraint_results(store, shapes: Graph, shape: Node, constraint: Node, focus_clause: str) -> list[ValidationResult]:
    """Run one SHACL-SPARQL constraint once over all its focus nodes in a pyoxigraph store.

    ``focus_clause`` is SPARQL that binds ``?this`` to the focus nodes (a VALUES block, or a
    sub-select of the targets); it is put first in the query's WHERE group, where SHACL would
    pre-bind ``$this`` one node at a time.
    """
    select = shapes.value(constraint, SH.select)
    if select is None:
        return []
    query = str(select).replace("$this", "?this")
    where = re.search(r"\bWHERE\s*\{", query, re.IGNORECASE) or re.search(r"\{", query)
    assert where is not None, f"no WHERE in the SPARQL constraint of {shape}"
    query = query[:where.end()] + f" {focus_clause} " + query[where.end():]
    solutions = store.query(_prefix_declarations(shapes, constraint) + query)
    names = [v.value for v in solutions.variables]
    template = shapes.value(constraint, SH.message) or shapes.value(shape, SH.message)
    severity = shapes.value(shape, SH.severity) or SH.Violation
    results = []
    for solution in solutions:
        row = {n: _from_oxigraph(solution[n]) for n in names}
        results.append(ValidationResult(
            focus_node=row.get("this"), result_path=row.get("path"), value=row.get("value"),
            source_shape=shape, constraint_component=SH.SPARQLConstraintComponent,
            severity=severity, message=_message(None if template is None else str(template), row),
        ))
    return results


def _add_to_report(report: Graph, results: list[ValidationResult]) -> None:
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
    The core constraints run in pyshacl; each SHACL-SPARQL constraint runs once over all its
    focus nodes in pyoxigraph, which gives the same results many times faster.
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
    core, sparql_pairs = _split_sparql_constraints(shapes)
    conforms, report_graph, text = pyshacl.validate(
        data,
        shacl_graph=core,
        ont_graph=ontology,
        inference=inference,
        inplace=True,
        abort_on_first=False,
        allow_warnings=False,
    )
    sparql_results = _run_sparql_constraints(data, shapes, sparql_pairs)
    _add_to_report(report_graph, sparql_results)
    results = _results(report_graph)
    if sparql_results:
        text = str(text) + "".join(f"\nConstraint Violation in SPARQLConstraintComponent: {r}" for r in sparql_results)
    return ValidationReport(
        conforms=bool(conforms) and not sparql_results,
        results=results,
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
            rows = [{n: _from_oxigraph(s[n]) for n in names} for s in solutions]
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
