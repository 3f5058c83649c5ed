"""Validation: the one entry point, :func:`validate`, for the CLI, the store commands and the importers.

A graph is checked against the SHACL shapes (``shapes/*.ttl``) and, unless ``qc=False``, the
quality-check queries (``queries/qc/``, :mod:`autokg.validation.qc`). The whole graph is checked
by the shapes compiled to SPARQL and run in the graph's own store (:mod:`~autokg.validation.compiled`;
SHACL-SPARQL constraints once each, :mod:`~autokg.validation.sparql`; pyshacl only for shapes the
compiler leaves, :mod:`~autokg.validation.fallback`); a few focus nodes are checked by pyshacl on
the store in place. Every way gives the same :class:`~autokg.validation.report.ValidationReport`.
"""

from __future__ import annotations

from collections.abc import Iterable

import pyoxigraph as ox
from rdflib import Graph
from rdflib.namespace import RDF, RDFS, SH
from rdflib.term import Node

from ..resources import shapes_files
from ..vocab import RDF_TYPE
from . import lexical
from .compiled import CompiledQuery, Compiler, compile_shapes
from .fallback import load_turtle, validate_focus, validate_graph, validate_uncompiled
from .qc import QCResult, run_qc
from .report import Validation, ValidationReport, ValidationResult, add_to_report, from_oxigraph
from .sparql import sparql_constraint_results, split_sparql_constraints

__all__ = ["validate", "touched_nodes", "Validation", "ValidationReport", "ValidationResult", "QCResult",
           "validate_graph", "bundled_shapes"]

_TARGETS = (SH.targetClass, SH.targetNode, SH.targetSubjectsOf, SH.targetObjectsOf)

#: Up to this many focus nodes, pyshacl checks them in place; above, checking the whole store by
#: the compiled shapes and keeping the focus nodes' results is faster (pyshacl's cost is per node:
#: 92k touched triples took 113 s one way, 2 s the other).
FOCUS_IN_PLACE_MAX = 200


def _focus_iri(text: str) -> str:
    """A focus node as an IRI (``id:x`` CURIEs expanded); anything else is one InputError.

    >>> _focus_iri("id:x"), _focus_iri("not an iri")
    Traceback (most recent call last):
    ...
    autokg.errors.InputError: focus 'not an iri' is not an IRI (give https://... or a CURIE such as id:xiaomi-su7)
    """
    import pyoxigraph as ox

    from ..errors import InputError
    from ..vocab import expand

    try:
        return ox.NamedNode(expand(text) or text.removeprefix("<").removesuffix(">")).value
    except ValueError:
        raise InputError(f"focus {text!r} is not an IRI (give https://... or a CURIE such as id:xiaomi-su7)") from None


def bundled_shapes() -> Graph:
    """The bundled SHACL shapes, parsed."""
    return load_turtle(shapes_files())


def validate(kg, *, focus: Iterable[str] | None = None, qc: bool = True, inference: str = "rdfs",
             shapes: Graph | None = None, as_written: bool = False) -> Validation:
    """Validate the graph ``kg`` (or only the ``focus`` nodes, IRIs) against the shapes and quality checks.

    ``inference="rdfs"`` checks what RDFS inference over the ontology would add (types from
    domains and ranges, sub-properties), as pyshacl's RDFS inference does; ``"none"`` checks the
    triples as they are (a store seeded with the ontology: SHACL follows ``rdfs:subClassOf`` for
    targets and ``sh:class`` on its own). ``focus`` validates those nodes only, without
    inference (the incremental check after a load). A remote store is copied into memory once.

    ``as_written`` checks the literals of the files an in-memory graph was loaded from
    (``kg.written_sources``) as they are written: where the store keeps some of them in another form
    (:mod:`~autokg.validation.lexical`), the shapes that look at literals are checked by pyshacl
    on the files parsed anew, and the other shapes still run compiled in the store.
    """
    shapes = bundled_shapes() if shapes is None else shapes
    if focus is not None:
        focus = [_focus_iri(f) for f in focus]  # before the store is copied or read
    store = kg.local_store()
    if focus is not None:
        focus = set(focus)
        if len(focus) <= FOCUS_IN_PLACE_MAX:
            report = validate_focus(store, focus, shapes=shapes)
        else:  # at the speed of a whole-store check, keeping the focus nodes' results
            report = _validate_store(store, shapes, "none", keep=focus)
    else:
        written = None
        sources = kg.written_sources if as_written else []
        if sources and lexical.rewritten(sources):
            written = lexical.read_graph(sources)
        report = _validate_store(store, shapes, inference, written)
    checks = run_qc(kg) if qc else []
    return Validation(report, checks, qc, count=kg.__len__)


def _run_compiled(store: ox.Store, queries: list[CompiledQuery]) -> list[ValidationResult]:
    results: list[ValidationResult] = []
    for cq in queries:
        solutions = store.query(cq.query)
        has_value = "value" in [v.value for v in solutions.variables]
        for solution in solutions:
            focus = from_oxigraph(solution["this"])
            value = from_oxigraph(solution["value"]) if has_value else (focus if cq.value_is_focus else None)
            results.append(ValidationResult(
                focus_node=focus, result_path=cq.path, value=value, source_shape=cq.shape,
                constraint_component=cq.component, severity=cq.severity,
                message=cq.message or f"{str(cq.component).split('#')[-1]} violated",
            ))
    return results


def _run_sparql_constraints(store: ox.Store, c: Compiler, shapes: Graph, pairs: list[tuple[Node, Node]],
                            skip: set[Node]) -> list[ValidationResult]:
    results = []
    for shape, constraint in pairs:
        if shape in skip:
            continue
        parts = c.target_parts(shape)
        if parts:
            targets = "{ SELECT DISTINCT ?this WHERE { " + " UNION ".join(parts) + " } }"
            results.extend(sparql_constraint_results(store, shapes, shape, constraint, targets))
    return results


def _validate_store(store: ox.Store, shapes: Graph, inference: str, written: Graph | None = None, *,
                    keep: set[str] | None = None) -> ValidationReport:
    """The whole store, by compiled SPARQL (pyshacl for the shapes not compiled): as pyshacl would report.

    With ``written`` (the data as written), the shapes that look at literals are checked there.
    With ``keep`` (IRIs), the report holds only the results about those focus nodes.
    """
    _, pairs = split_sparql_constraints(shapes)
    leave = None if written is None else (lambda shape: lexical.looks_at_literals(shapes, shape))
    queries, fallback = compile_shapes(shapes, store, inference=inference, leave=leave)
    results = _run_compiled(store, queries)
    results.extend(_run_sparql_constraints(store, Compiler(shapes, store, inference), shapes, pairs, set(fallback)))
    if fallback:
        compiled: set[Node] = set()
        for predicate in _TARGETS:
            compiled.update(shapes.subjects(predicate, None))
        compiled.update(shapes.subjects(RDF.type, RDFS.Class))
        compiled -= set(fallback)
        results.extend(validate_uncompiled(store, shapes, compiled, inference, written))
    if keep is not None:
        results = [r for r in results if str(r.focus_node) in keep]
    results.sort(key=lambda r: (str(r.focus_node), str(r.source_shape), str(r.result_path)))
    report = Graph()
    add_to_report(report, results)
    conforms = not results  # as validate_graph: allow_warnings=False
    text = f"Conforms: {conforms}\n" + "".join(f"{r}\n" for r in results)
    return ValidationReport(conforms=conforms, results=results, report_graph=report, text=text)


def touched_nodes(quads: Iterable[ox.Quad | ox.Triple]) -> set[str]:
    """The nodes a change touched: its subjects and the IRIs it links to (not classes).

    These are the focus nodes to revalidate after the change: a shape on a node can look at
    the node's own triples and, through inverse paths and SPARQL, at the triples that point to it.

    >>> a, b = ox.NamedNode("http://e/a"), ox.NamedNode("http://e/b")
    >>> sorted(touched_nodes([ox.Triple(a, ox.NamedNode("http://e/p"), b)]))
    ['http://e/a', 'http://e/b']
    """
    nodes: set[str] = set()
    for q in quads:
        if isinstance(q.subject, ox.NamedNode):
            nodes.add(q.subject.value)
        if isinstance(q.object, ox.NamedNode) and q.predicate.value != RDF_TYPE:
            nodes.add(q.object.value)
    return nodes
