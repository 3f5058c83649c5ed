"""The SPARQL quality checks of queries/qc: headers, silence on good data, and each check firing
on a tiny hand-made graph."""

from __future__ import annotations

from pathlib import Path

import pytest
from rdflib import Graph, URIRef

from autokg.validation.qc import QCResult, parse_qc_header, qc_queries, run_qc

TEST_DATA = Path(__file__).parent / "data"
ID = "https://w3id.org/autokg/id/"
QUERIES = qc_queries()
VIOLATIONS = [q for q in QUERIES if q.name.endswith("-violation.rq")]
REPORTS = [q for q in QUERIES if q.name.endswith("-report.rq")]

PREFIXES = """
@prefix akg: <https://w3id.org/autokg/ns#> .
@prefix id: <https://w3id.org/autokg/id/> .
@prefix src: <https://w3id.org/autokg/id/source/> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
@prefix pub: <https://w3id.org/autokg/id/publisher/> .
@prefix tier: <https://w3id.org/autokg/concept/credibility-tier/> .
@prefix ck: <https://w3id.org/autokg/concept/claim-kind/> .
pub:p a akg:Publisher ; rdfs:label "P"@en ; akg:credibilityTier tier:established .
src:a a akg:NewsArticle ; rdfs:label "A"@en ; akg:url "https://example.org/a"^^xsd:anyURI ;
    akg:publisher pub:p ; akg:publishedOn "2025-01-02"^^xsd:date .
id:maker a akg:Manufacturer ; rdfs:label "Maker"@en ; akg:source src:a .
"""

#: check name -> (a tiny graph on which it must fire, an IRI its rows must mention)
FIRING: dict[str, tuple[str, str]] = {
    "model-without-maker": ("id:m a akg:Variant ; rdfs:label \"M\"@en .", "m"),
    "claim-without-source": ("id:f a akg:Figure ; rdfs:label \"F\"@en ; akg:value 1 .", "f"),
    "missing-label": ("id:m a akg:VehicleModel ; akg:manufacturer id:maker .", "m"),
    "source-without-url-or-dataset-version": ("src:d a akg:Dataset ; rdfs:label \"D\"@en .", "source/d"),
    "competition-shortcut-without-claim": (
        """id:m a akg:VehicleModel ; rdfs:label "M"@en ; akg:manufacturer id:maker ; akg:rivalOf id:n .
           id:n a akg:VehicleModel ; rdfs:label "N"@en ; akg:manufacturer id:maker .""", "m"),
    "competition-claim-without-shortcut": (
        """id:m a akg:VehicleModel ; rdfs:label "M"@en ; akg:manufacturer id:maker ; akg:qualifiedCompetition id:c .
           id:n a akg:VehicleModel ; rdfs:label "N"@en ; akg:manufacturer id:maker .
           id:c a akg:PositioningClaim ; rdfs:label "C"@en ; akg:competitor id:n ; akg:source src:a .""", "c"),
    "dangling-reference": ("id:m a akg:VehicleModel ; rdfs:label \"M\"@en ; akg:manufacturer id:nobody .", "nobody"),
    "duplicate-label": (
        """id:m1 a akg:VehicleModel ; rdfs:label "Alpha"@en ; akg:manufacturer id:maker .
           id:m2 a akg:VehicleModel ; rdfs:label "ALPHA"@en ; akg:manufacturer id:maker .""", "m1"),
    "figure-conflict": (
        """src:b a akg:NewsArticle ; rdfs:label "B"@en ; akg:url "https://example.org/b"^^xsd:anyURI .
           id:f1 a akg:Figure ; akg:subject id:maker ; akg:measure id:sales ; akg:unit id:vehicles ;
               akg:periodStart "2025-10-01"^^xsd:date ; akg:periodEnd "2025-10-31"^^xsd:date ;
               akg:value 61497 ; akg:source src:a .
           id:f2 a akg:Figure ; akg:subject id:maker ; akg:measure id:sales ; akg:unit id:vehicles ;
               akg:periodStart "2025-10-01"^^xsd:date ; akg:periodEnd "2025-10-31"^^xsd:date ;
               akg:value 59100 ; akg:source src:b .""", "f1"),
    "source-without-credibility-tier": (
        """src:b a akg:NewsArticle ; rdfs:label "B"@en ; akg:url "https://example.org/b"^^xsd:anyURI ;
               akg:publishedOn "2025-01-02"^^xsd:date .""", "source/b"),
    "undated-source": (
        """src:b a akg:NewsArticle ; rdfs:label "B"@en ; akg:url "https://example.org/b"^^xsd:anyURI ;
               akg:publisher pub:p .""", "source/b"),
    "untitled-source": (
        """src:b a akg:NewsArticle ; rdfs:label "Article by P (undated)"@en ;
               akg:url "https://example.org/b"^^xsd:anyURI ; akg:publisher pub:p ;
               akg:publishedOn "2025-01-02"^^xsd:date .""", "source/b"),
    "secondary-only-claim": (
        """pub:blog a akg:Publisher ; rdfs:label "Blog"@en ; akg:credibilityTier tier:secondary .
           src:b a akg:NewsArticle ; rdfs:label "B"@en ; akg:url "https://example.org/b"^^xsd:anyURI ;
               akg:publisher pub:blog ; akg:publishedOn "2025-01-02"^^xsd:date .
           id:f a akg:Figure ; rdfs:label "F"@en ; akg:value 1 ; akg:source src:b .""", "f"),
    "mixed-date-datatype": (
        """id:f a akg:Figure ; rdfs:label "F"@en ; akg:value 1 ; akg:source src:a ;
               akg:statedOn "2025-03"^^xsd:gYearMonth .""", "f"),
    "figure-differs-from-primary": (
        """src:b a akg:NewsArticle ; rdfs:label "B"@en ; akg:url "https://example.org/b"^^xsd:anyURI ;
               akg:publisher pub:p ; akg:publishedOn "2025-01-02"^^xsd:date .
           id:own a akg:Figure ; akg:subject id:maker ; akg:measure id:sales ; akg:unit id:vehicles ;
               akg:periodEnd "2024-12-31"^^xsd:date ; akg:value 221970 ;
               akg:claimKind ck:company-statement ; akg:source src:a .
           id:f a akg:Figure ; akg:subject id:maker ; akg:measure id:sales ; akg:unit id:vehicles ;
               akg:periodEnd "2024-12-31"^^xsd:date ; akg:value 167000 ;
               akg:claimKind ck:media-report ; akg:source src:b .""", "f"),
}


def _graph(turtle: str) -> Graph:
    return Graph().parse(data=PREFIXES + turtle, format="turtle")


def _by_name(results: list[QCResult]) -> dict[str, QCResult]:
    return {r.name: r for r in results}


def test_there_are_checks() -> None:
    assert len(VIOLATIONS) >= 7
    assert [q.name for q in REPORTS] == ["figure-conflict-report.rq", "figure-differs-from-primary-report.rq"]


@pytest.mark.parametrize("path", QUERIES, ids=[q.name for q in QUERIES])
def test_query_has_robot_header(path: Path) -> None:
    header = parse_qc_header(path.read_text(encoding="utf-8"))
    assert header.get("Problem"), f"{path.name}: no '# Problem:'"
    assert header.get("Solution"), f"{path.name}: no '# Solution:'"
    severity = header.get("Severity", "")
    if path.name.endswith("-report.rq"):
        assert severity == "INFO"
    else:
        assert severity in {"ERROR", "WARN"}, f"{path.name}: severity {severity!r}"


def test_every_check_has_a_firing_example() -> None:
    names = {r.name for r in run_qc(Graph())}
    assert names == set(FIRING), "add a tiny graph to FIRING for each new check"


def test_checks_are_silent_on_the_bundled_graph(bundled_graph: Graph) -> None:
    # WARN checks (secondary-only claims, undated or untitled sources) list curation still to do.
    results = run_qc(bundled_graph)
    failing = {r.name: r.rows[:10] for r in results if r.rows and r.severity == "ERROR"}
    assert not failing, failing


def test_checks_are_silent_on_the_valid_examples(ontology_graph: Graph) -> None:
    for path in sorted((TEST_DATA / "valid").glob("*.ttl")):
        graph = ontology_graph + Graph().parse(str(path), format="turtle")
        noisy = {r.name: r.rows for r in run_qc(graph) if r.rows}
        assert not noisy, f"{path.name}: {noisy}"


@pytest.mark.parametrize("name", sorted(FIRING))
def test_check_fires_on_a_tiny_graph(name: str) -> None:
    turtle, local = FIRING[name]
    result = _by_name(run_qc(_graph(turtle)))[name]
    assert result.rows, f"{name} found nothing"
    mentioned = {value for row in result.rows for value in row.values()}
    assert URIRef(ID + local) in mentioned, result.rows
    # the base graph alone is clean for this check
    assert not _by_name(run_qc(_graph("")))[name].rows


def test_conflict_report_gives_both_values_and_urls() -> None:
    result = _by_name(run_qc(_graph(FIRING["figure-conflict"][0])))["figure-conflict"]
    assert result.severity == "INFO"
    assert len(result.rows) == 1
    (row,) = result.rows
    assert {row["value"].toPython(), row["otherValue"].toPython()} == {61497, 59100}
    assert {str(row["url"]), str(row["otherUrl"])} == {"https://example.org/a", "https://example.org/b"}


def test_conflict_report_ignores_agreement_and_other_periods() -> None:
    same_value = FIRING["figure-conflict"][0].replace("59100", "61497")
    assert not _by_name(run_qc(_graph(same_value)))["figure-conflict"].rows
    other_month = FIRING["figure-conflict"][0].replace(
        'akg:periodEnd "2025-10-31"^^xsd:date ;\n               akg:value 59100',
        'akg:periodEnd "2025-11-30"^^xsd:date ;\n               akg:value 59100',
    )
    assert other_month != FIRING["figure-conflict"][0]
    assert not _by_name(run_qc(_graph(other_month)))["figure-conflict"].rows
    one_source = FIRING["figure-conflict"][0].replace("akg:source src:b", "akg:source src:a")
    assert not _by_name(run_qc(_graph(one_source)))["figure-conflict"].rows


def test_conflict_report_on_the_bundled_graph(bundled_graph: Graph) -> None:
    report = _by_name(run_qc(bundled_graph))["figure-conflict"]
    for row in report.rows:
        assert row["value"] != row["otherValue"]
        assert row["source"] != row["otherSource"]


@pytest.mark.parametrize("other,conflict", [
    ('akg:value 411082 ; akg:bound bound:exact', False),        # within "more than 410,000"
    ('akg:value 400000 ; akg:bound bound:exact', True),         # below it
    ('akg:value 400000 ; akg:powertrainScope pt:bev', False),   # another scope: BEV only
    ('akg:value 400000 ; akg:excludedMarket market:CN', False), # another scope: overseas
    ('akg:minValue 300000 ; akg:maxValue 420000 ; akg:bound bound:range', False),
])
def test_conflict_report_reads_bounds_and_scopes(other: str, conflict: bool) -> None:
    turtle = f"""
        @prefix bound: <https://w3id.org/autokg/concept/bound/> .
        @prefix pt: <https://w3id.org/autokg/concept/powertrain/> .
        @prefix market: <https://w3id.org/autokg/concept/market/> .
        src:b a akg:NewsArticle ; rdfs:label "B"@en ; akg:url "https://example.org/b"^^xsd:anyURI .
        id:f1 a akg:Figure ; akg:subject id:maker ; akg:measure id:sales ; akg:unit id:vehicles ;
            akg:periodStart "2025-01-01"^^xsd:date ; akg:periodEnd "2025-12-31"^^xsd:date ;
            akg:value 410000 ; akg:bound bound:at-least ; akg:source src:a .
        id:f2 a akg:Figure ; akg:subject id:maker ; akg:measure id:sales ; akg:unit id:vehicles ;
            akg:periodStart "2025-01-01"^^xsd:date ; akg:periodEnd "2025-12-31"^^xsd:date ;
            {other} ; akg:source src:b ."""
    result = _by_name(run_qc(_graph(turtle)))["figure-conflict"]
    assert bool(result.rows) is conflict


def test_checks_give_the_same_rows_in_pyoxigraph_as_in_rdflib() -> None:
    from autokg.graph import load

    kg = load()
    by_rdflib = {r.name: sorted(map(sorted, (row.items() for row in r.rows))) for r in run_qc(kg.to_rdflib())}
    by_store = {r.name: sorted(map(sorted, (row.items() for row in r.rows))) for r in run_qc(kg)}
    assert by_store == by_rdflib
    assert by_store["figure-conflict"], "the bundled graph has known conflicts; the report must list them"
