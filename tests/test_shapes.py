"""The SHACL shapes: valid examples conform, each invalid example fails exactly as its header says,
the shapes are themselves valid SHACL, and the bundled graph conforms."""

from __future__ import annotations

import re
from pathlib import Path

import pyshacl
import pytest
from rdflib import Graph, Namespace, URIRef
from rdflib.namespace import RDF, RDFS, SH

from autokg.validation import ValidationReport, validate_graph

TEST_DATA = Path(__file__).parent / "data"
VALID = sorted((TEST_DATA / "valid").glob("*.ttl"))
INVALID = sorted((TEST_DATA / "invalid").glob("*.ttl"))
AKG = Namespace("https://w3id.org/autokg/ns#")
AKGSH = Namespace("https://w3id.org/autokg/shapes#")
_EXPECT = re.compile(r"^#\s*expect-(focus|shape|component|path):\s*(\S+)")


def expectations(path: Path) -> dict[str, URIRef]:
    """The ``# expect-...:`` lines at the top of an invalid example."""
    found: dict[str, URIRef] = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        if not line.startswith("#"):
            break
        match = _EXPECT.match(line)
        if match:
            found[match.group(1)] = URIRef(match.group(2))
    return found


def _validate(path: Path, shapes: Graph, ontology: Graph) -> ValidationReport:
    return validate_graph(Graph().parse(str(path), format="turtle"), shapes=shapes, ontology=ontology)


def test_examples_exist() -> None:
    assert len(VALID) >= 2
    assert len(INVALID) >= 20


@pytest.mark.parametrize("path", VALID, ids=[p.name for p in VALID])
def test_valid_example_conforms(path: Path, shapes_graph: Graph, ontology_graph: Graph) -> None:
    report = _validate(path, shapes_graph, ontology_graph)
    assert report.conforms, report.text
    assert report.results == []


@pytest.mark.parametrize("path", INVALID, ids=[p.name for p in INVALID])
def test_invalid_example_fails_once_as_expected(path: Path, shapes_graph: Graph, ontology_graph: Graph) -> None:
    expect = expectations(path)
    assert "focus" in expect, f"{path.name}: no '# expect-focus:' header"
    assert "shape" in expect or ("component" in expect and "path" in expect), (
        f"{path.name}: needs '# expect-shape:' or '# expect-component:' with '# expect-path:'"
    )
    report = _validate(path, shapes_graph, ontology_graph)
    assert not report.conforms
    assert len(report.results) == 1, report.text
    (result,) = report.results
    assert result.focus_node == expect["focus"], report.text
    assert result.severity == SH.Violation
    assert result.message, "every result should carry a message"
    if "shape" in expect:
        assert result.source_shape == expect["shape"], report.text
    if "component" in expect:
        assert result.constraint_component == expect["component"], report.text
    if "path" in expect:
        assert result.result_path == expect["path"], report.text


def test_expected_shapes_are_declared(shapes_graph: Graph) -> None:
    for path in INVALID:
        shape = expectations(path).get("shape")
        if shape is not None:
            assert (shape, RDF.type, None) in shapes_graph, f"{path.name}: {shape} is not a shape"


def test_every_sparql_shape_has_a_failing_example(shapes_graph: Graph) -> None:
    sparql_shapes = set(shapes_graph.subjects(SH.sparql, None))
    assert sparql_shapes, "no SHACL-SPARQL constraints"
    expected = {expectations(p).get("shape") for p in INVALID}
    missing = {s for s in sparql_shapes if s not in expected}
    assert not missing, f"SPARQL shapes without an invalid example: {sorted(missing)}"


def test_shapes_pass_meta_shacl(shapes_graph: Graph, ontology_graph: Graph) -> None:
    conforms, _, text = pyshacl.validate(
        Graph(), shacl_graph=shapes_graph, ont_graph=ontology_graph, meta_shacl=True
    )
    assert conforms, text


def test_meta_shacl_rejects_a_broken_shape() -> None:
    broken = Graph().parse(
        data="""
        @prefix sh: <http://www.w3.org/ns/shacl#> .
        @prefix ex: <http://example.org/> .
        ex:S a sh:NodeShape ; sh:targetClass ex:C ;
            sh:property [ sh:path ex:p ; sh:minCount "one" ] .
        """,
        format="turtle",
    )
    with pytest.raises(pyshacl.errors.ReportableRuntimeError):
        pyshacl.validate(Graph(), shacl_graph=broken, meta_shacl=True)


def test_every_class_has_a_node_shape(shapes_graph: Graph, ontology_graph: Graph) -> None:
    classes = {c for c in ontology_graph.subjects(RDF.type, URIRef("http://www.w3.org/2002/07/owl#Class"))
               if str(c).startswith(str(AKG))}
    targeted = set(shapes_graph.objects(None, SH.targetClass))
    assert classes - targeted == set(), f"classes without a node shape: {sorted(classes - targeted)}"


def test_every_property_shape_explains_itself(shapes_graph: Graph) -> None:
    property_shapes = set(shapes_graph.subjects(SH.path, None))
    for shape in property_shapes:
        described = any(
            (shape, p, None) in shapes_graph for p in (SH.message, SH.name, SH.description)
        )
        assert described, f"property shape {shape} has no sh:message, sh:name or sh:description"
    for constraint in shapes_graph.objects(None, SH.sparql):
        assert (constraint, SH.message, None) in shapes_graph, "SPARQL constraint without sh:message"
    for shape in shapes_graph.subjects(SH.targetClass, None):
        assert (shape, RDFS.label, None) in shapes_graph, f"node shape {shape} has no rdfs:label"


def test_bundled_graph_conforms(data_graph: Graph, shapes_graph: Graph, ontology_graph: Graph) -> None:
    report = validate_graph(data_graph, shapes=shapes_graph, ontology=ontology_graph)
    if not report.conforms:
        print(report.text)
    assert report.conforms, "\n".join(
        f"{focus}: " + "; ".join(r.message or str(r.constraint_component) for r in results)
        for focus, results in report.by_focus_node().items()
    )


def test_validate_graph_defaults_and_grouping() -> None:
    data = Graph().parse(
        data="""
        @prefix akg: <https://w3id.org/autokg/ns#> .
        @prefix id: <https://w3id.org/autokg/id/> .
        id:m a akg:VehicleModel .
        """,
        format="turtle",
    )
    before = len(data)
    report = validate_graph(data)
    assert len(data) == before, "validate_graph must not change its input"
    assert not report.conforms
    groups = report.by_focus_node()
    assert list(groups) == [URIRef("https://w3id.org/autokg/id/m")]
    paths = {r.result_path for r in groups[URIRef("https://w3id.org/autokg/id/m")]}
    assert paths == {RDFS.label, AKG.source, AKG.manufacturer}
    assert all(r.source_shape is not None and str(r.source_shape).startswith(str(AKGSH)) for r in report.results)
