"""The W3C SHACL Core test suite, run with autokg's validator (``autokg validate --shapes``).

The suite (98 ``sht:Validate`` tests with their manifests) is external input: it is read from
``../shared/data/w3c-shacl-core/`` (the first such folder above this file) and the tests skip when
it is absent. Each test's data graph and shapes graph are validated and the report is compared
with the expected one: ``sh:conforms``, and the results as a multiset of (focus node, path,
value, source shape, constraint component, severity), blank nodes compared by what they hold.

Known disagreements are listed in :data:`KNOWN` with the reason; they are strict xfails, so a
test that starts agreeing fails until it is taken off the list (see README, "Validating any data").
"""

from __future__ import annotations

import collections
from pathlib import Path

import pytest
from click.testing import CliRunner
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.collection import Collection
from rdflib.namespace import RDF, SH

from autokg.cli import cli

MF = "http://www.w3.org/2001/sw/DataAccess/tests/test-manifest#"
SHT = "http://www.w3.org/ns/shacl-test#"


def _suite() -> Path | None:
    for parent in Path(__file__).resolve().parents:
        candidate = parent / "shared" / "data" / "w3c-shacl-core"
        if (candidate / "manifest.ttl").is_file():
            return candidate
    return None


SUITE = _suite()

#: Tests on which autokg's report differs from the expected one, and why.
KNOWN: dict[str, str] = {}


def _entries(manifest: Path) -> list[tuple[str, Path, Path, Path]]:
    """(name, test file, data file, shapes file) of every sht:Validate entry, includes followed."""
    g = Graph()
    g.parse(manifest, format="turtle")
    found = []
    for included in sorted(g.objects(None, URIRef(MF + "include")), key=str):
        found.extend(_entries(Path(str(included).removeprefix("file://"))))
    for entries in g.objects(None, URIRef(MF + "entries")):
        for entry in Collection(g, entries):
            if (entry, RDF.type, URIRef(SHT + "Validate")) not in g:
                continue
            action = g.value(entry, URIRef(MF + "action"))
            data = Path(str(g.value(action, URIRef(SHT + "dataGraph"))).removeprefix("file://"))
            shapes = Path(str(g.value(action, URIRef(SHT + "shapesGraph"))).removeprefix("file://"))
            name = f"{manifest.parent.name}/{str(entry).rsplit('/', 1)[-1]}"
            found.append((name, manifest, data, shapes))
    return found


TESTS = _entries(SUITE / "manifest.ttl") if SUITE else []


def _is_shape_node(graph: Graph, node) -> bool:
    return (node, RDF.first, None) in graph or any(str(p).startswith(str(SH)) for p in graph.predicates(node))


def _signature(graph: Graph, node, depth: int = 0):
    """A term as compared: a blank node of the shapes (a shape, a path) by what it holds,
    recursively; a blank node of the data as just a blank node; other terms as they are."""
    if isinstance(node, BNode):
        if depth > 4 or not _is_shape_node(graph, node) and (node, RDF.first, None) not in graph:
            return ("_:",)
        items = []
        for p, o in graph.predicate_objects(node):
            if (o, RDF.first, None) in graph:
                items.append((str(p), tuple(_signature(graph, m, depth + 1) for m in Collection(graph, o))))
            else:
                items.append((str(p), _signature(graph, o, depth + 1)))
        return ("_:", tuple(sorted(items, key=repr)))
    if isinstance(node, Literal):
        return ("literal", str(node), str(node.datatype or ""), (node.language or "").lower())
    return None if node is None else str(node)


def _path(graph: Graph, node):
    """A property path as SHACL reads it (a list is a sequence path, whatever else the node holds)."""
    if not isinstance(node, BNode):
        return None if node is None else str(node)
    if (node, RDF.first, None) in graph:
        return ("sequence", tuple(_path(graph, m) for m in Collection(graph, node)))
    for kind in (SH.inversePath, SH.zeroOrMorePath, SH.oneOrMorePath, SH.zeroOrOnePath):
        inner = graph.value(node, kind)
        if inner is not None:
            return (str(kind), _path(graph, inner))
    alternatives = graph.value(node, SH.alternativePath)
    return ("alternative", tuple(_path(graph, m) for m in Collection(graph, alternatives)))


def _key(graph: Graph, focus, path, value, shape, component, severity) -> tuple:
    return (_signature(graph, focus), _path(graph, path), _signature(graph, value), _signature(graph, shape),
            _signature(graph, component), _signature(graph, severity))


def _expected(test_file: Path, name: str) -> tuple[bool, collections.Counter]:
    from autokg.validation.lexical import read_graph

    g = read_graph([test_file])  # literals as written (rdflib's own parser would canonicalise some)
    entry = next(e for e in g.subjects(RDF.type, URIRef(SHT + "Validate")) if str(e).endswith("/" + name.split("/")[1]))
    report = g.value(entry, URIRef(MF + "result"))
    conforms = bool(g.value(report, SH.conforms).toPython())
    results = collections.Counter()
    for r in g.objects(report, SH.result):
        results[_key(g, *(g.value(r, p) for p in (SH.focusNode, SH.resultPath, SH.value, SH.sourceShape,
                                                   SH.sourceConstraintComponent, SH.resultSeverity)))] += 1
    return conforms, results


def _actual(data: Path, shapes: Path) -> tuple[bool, collections.Counter]:
    from autokg.validation.lexical import read_graph

    graph = read_graph([shapes])
    report = _validate(data, graph)
    results = collections.Counter()
    for r in report.results:
        results[_key(graph, r.focus_node, r.result_path, r.value, r.source_shape, r.constraint_component,
                     r.severity)] += 1
    return report.conforms, results


def _validate(data: Path, shapes: Graph):
    from autokg.graph import KnowledgeGraph
    from autokg.validation import validate

    kg = KnowledgeGraph()
    kg.load([data])
    return validate(kg, shapes=shapes, qc=False, inference="none", as_written=True).shacl


@pytest.mark.skipif(SUITE is None, reason="the W3C SHACL test suite is not in ../shared/data/w3c-shacl-core")
def test_the_suite_is_whole():
    assert len(TESTS) == 98


@pytest.mark.skipif(SUITE is None, reason="the W3C SHACL test suite is not in ../shared/data/w3c-shacl-core")
@pytest.mark.parametrize("name,test_file,data,shapes", [
    pytest.param(*t, marks=pytest.mark.xfail(strict=True, reason=KNOWN[t[0]])) if t[0] in KNOWN else t
    for t in TESTS], ids=[t[0] for t in TESTS])
def test_w3c_shacl_core(name, test_file, data, shapes):
    conforms, expected = _expected(test_file, name)
    actual_conforms, actual = _actual(data, shapes)
    assert (actual_conforms, _without_absent_values(actual, expected)) == (conforms, expected)
    # The command does the same (its exit code says whether the data conforms).
    result = CliRunner().invoke(cli, ["validate", "--shapes", str(shapes), str(data), "--no-bundled"])
    assert result.exit_code == (0 if conforms else 1), result.output


def _without_absent_values(actual: collections.Counter, expected: collections.Counter) -> collections.Counter:
    """Actual results, with ``sh:value`` dropped where the expected result has none (SHACL lets a
    report leave it out for some components)."""
    keys_without_value = {k[:2] + k[3:] for k in expected if k[2] is None}
    out: collections.Counter = collections.Counter()
    for key, n in actual.items():
        if key[2] is not None and key[:2] + key[3:] in keys_without_value:
            key = key[:2] + (None,) + key[3:]
        out[key] += n
    return out
