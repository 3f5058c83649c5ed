"""SHACL with pyshacl: whole rdflib graphs, a few focus nodes of a store, and the shapes the compiler leaves.

:func:`validate_graph` runs the bundled shapes (``shapes/*.ttl``) over a data graph, with the
ontology (``ontology/*.ttl``) both as pyshacl's ``ont_graph`` and mixed into the data (pyshacl
only copies the RDFS/OWL axioms of ``ont_graph``; the concepts of ``concepts.ttl`` must be there
too, so that ``skos:inScheme`` can be checked). RDFS inference is on by default, so that a
variant is checked as a vehicle model too. :func:`validate_focus` validates some nodes of a
pyoxigraph store in place (through oxrdflib), without inference.

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
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

import pyoxigraph as ox
import pyshacl
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import RDF, RDFS, SH
from rdflib.term import Node

from ..errors import InputError
from ..resources import ontology_files, shapes_files
from .report import ValidationReport, ValidationResult, add_to_report, results_from_graph, to_oxigraph
from .sparql import sparql_constraint_results, split_sparql_constraints

__all__ = ["load_turtle", "validate_graph", "validate_focus", "validate_uncompiled"]


def load_turtle(paths: Iterable[Path | str]) -> Graph:
    """Parse Turtle files into one new :class:`rdflib.Graph`."""
    graph = Graph()
    for path in paths:
        graph.parse(str(path), format="turtle")
    return graph


def _focus_nodes(shape: Node, shapes: Graph, data: Graph) -> set[Node]:
    """The focus nodes of a shape: its targets, with rdfs:subClassOf followed in the data graph."""
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


def _run_sparql_constraints(data: Graph, shapes: Graph, pairs: list[tuple[Node, Node]]) -> list[ValidationResult]:
    """Run each SPARQL constraint once, over all its focus nodes (bound with VALUES), in pyoxigraph."""
    store = ox.Store()
    # RDFS inference (in place) may have added generalised triples, with a literal subject: skip those.
    store.extend(ox.Quad(to_oxigraph(s), to_oxigraph(p), to_oxigraph(o)) for s, p, o in data
                 if not isinstance(s, Literal) and isinstance(p, URIRef))
    results: list[ValidationResult] = []
    for shape, constraint in pairs:
        focus = _focus_nodes(shape, shapes, data)
        if focus:
            values = " ".join(str(to_oxigraph(n)) for n in focus)
            results.extend(sparql_constraint_results(store, shapes, shape, constraint, f"VALUES ?this {{ {values} }}"))
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
    The core constraints run in pyshacl; each SHACL-SPARQL constraint runs once over all its
    focus nodes in pyoxigraph, which gives the same results many times faster.
    """
    if shapes is None:
        shapes = load_turtle(shapes_files())
    if ontology is None:
        ontology = load_turtle(ontology_files())
    data = Graph()
    for triple in data_graph:
        data.add(triple)
    for triple in ontology:
        data.add(triple)
    core, sparql_pairs = split_sparql_constraints(shapes)
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
    add_to_report(report_graph, sparql_results)
    results = results_from_graph(report_graph)
    if sparql_results:
        text = str(text) + "".join(f"\nConstraint Violation in SPARQLConstraintComponent: {r}" for r in sparql_results)
    return ValidationReport(
        conforms=bool(conforms) and not sparql_results,
        results=results,
        report_graph=report_graph,
        text=str(text),
    )




def _rdflib_view(store: ox.Store, focus: list[URIRef]) -> Graph:
    """An rdflib Graph over a pyoxigraph store (no copy): SPARQL goes to pyoxigraph.

    The store must not change while the view is in use. Its size is not counted: pyshacl asks for
    it only as the truth of the graph (``if impl`` in its graph abstraction), and counting a store
    is a scan of every triple (a second at 10M), so the view answers 1 for a store that holds
    anything, 0 for an empty one.
    """
    try:
        from oxrdflib.store import OxigraphStore
    except ImportError:
        raise InputError("validating a store needs oxrdflib: pip install 'autokg[store]'") from None
    from rdflib.graph import DATASET_DEFAULT_GRAPH_ID

    class _FrozenOxigraphStore(OxigraphStore):
        _size: int | None = None

        def __len__(self, context: Any = None) -> int:  # type: ignore[override]
            if self._size is None:
                self._size = int(next(iter(self._inner), None) is not None)  # one quad read, not a count
            return self._size

        def triples(self, triple_pattern: Any, context: Any = None) -> Iterator[Any]:  # type: ignore[override]
            s, p, o = triple_pattern
            if s is None and p == RDF.type and o is not None:
                # The instances of a class: pyshacl asks for all of them to find a shape's targets,
                # and then keeps the focus nodes; ask for the focus nodes alone.
                find = OxigraphStore.triples
                return (t for f in focus for t in find(self, (f, p, o), context))
            return super().triples(triple_pattern, context)

    return Graph(store=_FrozenOxigraphStore(store=store), identifier=DATASET_DEFAULT_GRAPH_ID)


def validate_focus(store: ox.Store, focus_nodes: Iterable[str], *, shapes: Graph) -> ValidationReport:
    """Validate some nodes of a pyoxigraph store (with the ontology in it) in place, without inference."""
    focus = [URIRef(n) for n in sorted(focus_nodes)]
    if not focus:
        return ValidationReport(conforms=True, results=[], report_graph=Graph(), text="Conforms: True (no focus node)")
    conforms, report_graph, text = pyshacl.validate(
        _rdflib_view(store, focus), shacl_graph=shapes, inference="none", inplace=True, abort_on_first=False,
        allow_warnings=False, focus_nodes=focus,
    )
    return ValidationReport(conforms=bool(conforms), results=results_from_graph(report_graph),
                            report_graph=report_graph, text=str(text))


def validate_uncompiled(store: ox.Store, shapes: Graph, compiled: set[Node], inference: str,
                        data: Graph | None = None) -> list[ValidationResult]:
    """pyshacl, for the top-level shapes the compiler left: the ``compiled`` ones keep no target.

    ``data`` is the graph to check (default: the store's triples), e.g. the files as written.
    """
    from .report import from_oxigraph

    reduced = Graph()
    for prefix, namespace in shapes.namespaces():
        reduced.bind(prefix, namespace)
    targets = {SH.targetClass, SH.targetNode, SH.targetSubjectsOf, SH.targetObjectsOf}
    for s, p, o in shapes:
        if s in compiled and (p in targets or (p == RDF.type and o == RDFS.Class)):
            continue
        reduced.add((s, p, o))
    if data is None:
        data = Graph()
        for q in store:  # the loader puts everything in the default graph
            data.add((from_oxigraph(q.subject), from_oxigraph(q.predicate), from_oxigraph(q.object)))
    return validate_graph(data, shapes=reduced, ontology=Graph(), inference=inference).results
