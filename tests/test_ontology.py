"""The ontology: every term named or used is declared and documented, domains and ranges hold in
the data, the graph is consistent under OWL RL, concepts are well formed, and a second parser
(pyoxigraph) reads every Turtle file to the same triples as rdflib."""

from __future__ import annotations

import re
from pathlib import Path

import owlrl
import pyoxigraph
import pytest
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.compare import isomorphic
from rdflib.namespace import OWL, RDF, RDFS, SKOS, XSD

from autokg.vocab import AKG
from autokg.resources import data_files, resource_dir, shapes_files

TEST_DATA = Path(__file__).parent / "data"
ROOT = Path(__file__).parent.parent
NS = AKG
DECLARING_TYPES = {OWL.Class, OWL.ObjectProperty, OWL.DatatypeProperty, OWL.AnnotationProperty, SKOS.ConceptScheme}
ERRNS_ERROR = URIRef("http://www.daml.org/2002/03/agents/agent-ont#ErrorMessage")
PROV = "http://www.w3.org/ns/prov#"
# Subclass axioms of PROV-O that the ontology relies on (statedBy's range is prov:Agent).
EXTERNAL_SUBCLASSES = {
    URIRef(PROV + "Person"): {URIRef(PROV + "Agent")},
    URIRef(PROV + "Organization"): {URIRef(PROV + "Agent")},
}


def declared_terms(ontology: Graph) -> set[URIRef]:
    return {s for t in DECLARING_TYPES for s in ontology.subjects(RDF.type, t)
            if isinstance(s, URIRef) and str(s).startswith(NS)}


def code_terms() -> list[str]:
    """The akg: terms the library and its queries name (``akg:x`` in SPARQL, ``AKG + "x"`` in Python)."""
    root = Path(__file__).resolve().parent.parent
    names: set[str] = set()
    for path in [*(root / "src" / "autokg").rglob("*.py"), *(root / "queries").rglob("*.rq")]:
        text = path.read_text(encoding="utf-8")
        names.update(re.findall(r"\bakg:([A-Za-z_][A-Za-z0-9_]*)", text))
        names.update(re.findall(r"\bAKG \+ \"([A-Za-z_][A-Za-z0-9_]*)\"", text))
    assert names, "the code names no akg: term"
    return sorted(names)


@pytest.mark.parametrize("name", code_terms())
def test_term_named_in_code_is_declared(name: str, ontology_graph: Graph) -> None:
    term = URIRef(NS + name)
    types = set(ontology_graph.objects(term, RDF.type))
    assert types & DECLARING_TYPES, f"akg:{name} is named in src/ or queries/ but not declared in the ontology"


def _used_terms(paths: list[Path]) -> dict[URIRef, str]:
    used: dict[URIRef, str] = {}
    for path in paths:
        graph = Graph().parse(str(path), format="turtle")
        for triple in graph:
            for node in triple:
                if isinstance(node, URIRef) and str(node).startswith(NS):
                    used.setdefault(node, path.name)
                elif isinstance(node, Literal):  # SPARQL text in shapes: akg:term
                    for local in re.findall(r"\bakg:([A-Za-z_][A-Za-z0-9_]*)", str(node)):
                        used.setdefault(URIRef(NS + local), path.name)
    return used


def test_terms_used_in_data_and_shapes_are_declared(ontology_graph: Graph) -> None:
    files = data_files() + shapes_files() + sorted((TEST_DATA / "valid").glob("*.ttl"))
    used = _used_terms(files)
    assert used
    declared = declared_terms(ontology_graph)
    undeclared = {f"{term} (in {where})" for term, where in used.items() if term not in declared}
    assert not undeclared, f"akg: terms used but not declared: {sorted(undeclared)}"


def test_terms_used_in_queries_are_declared(ontology_graph: Graph) -> None:
    declared = declared_terms(ontology_graph)
    for path in sorted(resource_dir("queries").rglob("*.rq")):
        for local in re.findall(r"\bakg:([A-Za-z_][A-Za-z0-9_]*)", path.read_text(encoding="utf-8")):
            assert URIRef(NS + local) in declared, f"{path.name}: akg:{local} is not declared"


def test_every_term_is_documented(ontology_graph: Graph) -> None:
    terms = declared_terms(ontology_graph)
    assert len(terms) > 50
    for term in terms:
        assert (term, RDFS.label, None) in ontology_graph, f"{term} has no rdfs:label"
        assert (term, SKOS.definition, None) in ontology_graph or (term, RDFS.comment, None) in ontology_graph, (
            f"{term} has no skos:definition or rdfs:comment"
        )


def test_every_property_has_a_domain_or_range(ontology_graph: Graph) -> None:
    for kind in (OWL.ObjectProperty, OWL.DatatypeProperty):
        for prop in ontology_graph.subjects(RDF.type, kind):
            assert (prop, RDFS.domain, None) in ontology_graph or (prop, RDFS.range, None) in ontology_graph, (
                f"{prop} has neither rdfs:domain nor rdfs:range"
            )


def _superclasses(ontology: Graph, cls: URIRef) -> set[URIRef]:
    seen: set[URIRef] = set()
    todo = [cls]
    while todo:
        c = todo.pop()
        if c in seen:
            continue
        seen.add(c)
        todo.extend(o for o in ontology.objects(c, RDFS.subClassOf) if isinstance(o, URIRef))
        todo.extend(EXTERNAL_SUBCLASSES.get(c, ()))
    return seen


_NUMERIC = {XSD.integer, XSD.decimal, XSD.nonNegativeInteger, XSD.positiveInteger, XSD.int, XSD.long}


def _literal_fits(value: Literal, datatype: URIRef) -> bool:
    actual = value.datatype or (RDF.langString if value.language else XSD.string)
    if datatype == XSD.decimal:
        return actual in _NUMERIC
    if datatype == XSD.string:
        return actual == XSD.string
    return actual == datatype


def domain_range_problems(ontology: Graph, data: Graph) -> list[str]:
    """Triples of ``data`` whose subject (object) is not asserted a member of the property's
    declared domain (range), through rdfs:subClassOf; literals must have the range datatype."""
    types: dict[object, set[URIRef]] = {}
    for s, c in (ontology + data).subject_objects(RDF.type):
        if isinstance(c, URIRef):
            types.setdefault(s, set()).update(_superclasses(ontology, c))
    problems: list[str] = []
    for prop in set(data.predicates()):
        domains = set(ontology.objects(prop, RDFS.domain))
        ranges = set(ontology.objects(prop, RDFS.range))
        for s, o in data.subject_objects(prop):
            for d in domains:
                if d not in types.get(s, set()):
                    problems.append(f"{s} {prop} ...: subject is not a {d}")
            for r in ranges:
                if str(r).startswith(str(XSD)):
                    if not (isinstance(o, Literal) and _literal_fits(o, r)):
                        problems.append(f"{s} {prop} {o!r}: not a {r}")
                elif r not in types.get(o, set()):
                    problems.append(f"{s} {prop} {o}: object is not a {r}")
    return problems


def test_domains_and_ranges_hold_in_the_data(ontology_graph: Graph, data_graph: Graph) -> None:
    valid = Graph()
    for path in sorted((TEST_DATA / "valid").glob("*.ttl")):
        valid.parse(str(path), format="turtle")
    problems = domain_range_problems(ontology_graph, data_graph + valid)
    assert not problems, "\n".join(sorted(problems)[:50])


def test_domain_range_check_can_fail(ontology_graph: Graph) -> None:
    bad = Graph().parse(
        data="""
        @prefix akg: <https://w3id.org/autokg/ns#> .
        @prefix id: <https://w3id.org/autokg/id/> .
        id:m a akg:VehicleModel ; akg:manufacturer id:p .
        id:p a akg:Person .
        id:f a akg:Figure ; akg:value "ten" .
        """,
        format="turtle",
    )
    problems = domain_range_problems(ontology_graph, bad)
    assert any("akg:manufacturer" in p or "#manufacturer" in p for p in problems)
    assert any("#value" in p for p in problems)


def owl_rl_errors(graph: Graph) -> list[str]:
    """Expand ``graph`` (a copy) with owlrl's OWL RL closure; return the inconsistencies it found:
    owlrl adds an ``err:ErrorMessage`` node per violated rule, and members of owl:Nothing."""
    closure = Graph()
    for triple in graph:
        closure.add(triple)
    owlrl.DeductiveClosure(owlrl.OWLRL_Semantics).expand(closure)
    errors = [str(closure.value(node, URIRef("http://www.daml.org/2002/03/agents/agent-ont#error")))
              for node in closure.subjects(RDF.type, ERRNS_ERROR)]
    errors += [f"{s} is a member of owl:Nothing" for s in closure.subjects(RDF.type, OWL.Nothing)]
    return errors


def test_ontology_and_data_are_consistent_under_owl_rl(bundled_graph: Graph) -> None:
    errors = owl_rl_errors(bundled_graph)
    assert not errors, "\n".join(errors[:50])


def test_owl_rl_check_can_fail(ontology_graph: Graph) -> None:
    selfrival = Graph().parse(
        data="""
        @prefix akg: <https://w3id.org/autokg/ns#> .
        @prefix id: <https://w3id.org/autokg/id/> .
        id:m a akg:VehicleModel ; akg:rivalOf id:m .
        """,
        format="turtle",
    )
    errors = owl_rl_errors(ontology_graph + selfrival)
    assert any("rreflexive" in e for e in errors), errors


def test_concepts_are_in_exactly_one_scheme_with_a_pref_label(ontology_graph: Graph) -> None:
    concepts = set(ontology_graph.subjects(RDF.type, SKOS.Concept))
    assert len(concepts) > 50
    schemes = set(ontology_graph.subjects(RDF.type, SKOS.ConceptScheme))
    for concept in concepts:
        in_schemes = set(ontology_graph.objects(concept, SKOS.inScheme))
        assert len(in_schemes) == 1, f"{concept} is in {len(in_schemes)} schemes"
        assert in_schemes <= schemes, f"{concept}: {in_schemes} is not a declared skos:ConceptScheme"
        labels = list(ontology_graph.objects(concept, SKOS.prefLabel))
        assert labels, f"{concept} has no skos:prefLabel"
        languages = [label.language for label in labels]
        assert len(languages) == len(set(languages)), f"{concept} has two prefLabels in one language"


def turtle_files() -> list[Path]:
    files: list[Path] = []
    for name in ("ontology", "shapes", "data"):
        files += sorted(resource_dir(name).glob("*.ttl"))
    files += sorted(TEST_DATA.rglob("*.ttl"))
    return files


def _from_oxigraph(term: object) -> object:
    if isinstance(term, pyoxigraph.NamedNode):
        return URIRef(term.value)
    if isinstance(term, pyoxigraph.BlankNode):
        return BNode(term.value)
    if isinstance(term, pyoxigraph.Literal):
        if term.language:
            return Literal(term.value, lang=term.language)
        if term.datatype.value == str(XSD.string):
            return Literal(term.value)
        return Literal(term.value, datatype=URIRef(term.datatype.value))
    raise TypeError(f"unexpected term {term!r}")


@pytest.mark.parametrize("path", turtle_files(), ids=lambda p: f"{p.parent.name}/{p.name}")
def test_pyoxigraph_reads_the_same_triples(path: Path) -> None:
    by_rdflib = Graph().parse(str(path), format="turtle")
    by_oxigraph = Graph()
    for quad in pyoxigraph.parse(path=str(path), format=pyoxigraph.RdfFormat.TURTLE):
        by_oxigraph.add((_from_oxigraph(quad.subject), _from_oxigraph(quad.predicate), _from_oxigraph(quad.object)))
    assert len(by_rdflib) == len(by_oxigraph)
    if not any(isinstance(n, BNode) for t in by_rdflib for n in t):
        assert set(by_rdflib) == set(by_oxigraph), sorted(set(by_rdflib) ^ set(by_oxigraph))[:10]
    assert isomorphic(by_rdflib, by_oxigraph)


def test_concepts_ttl_is_written_from_the_concept_tables() -> None:
    """ontology/concepts.ttl is generated from ontology/concepts.csv: a row edited in the table
    and not regenerated (or an edit of the Turtle by hand) shows up here."""
    import importlib.util

    if not (ROOT / "tools" / "gen_concepts.py").exists():
        pytest.skip("the concept generator is not in this copy (it ships in the repository only)")
    spec = importlib.util.spec_from_file_location("gen_concepts", ROOT / "tools" / "gen_concepts.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    assert module.concepts_turtle() == (ROOT / "ontology" / "concepts.ttl").read_text(encoding="utf-8"), \
        "ontology/concepts.ttl differs from its tables: run python tools/gen_concepts.py"
