"""The answer documents: each command's whole answer is one library call on a small made-up graph."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from autokg.cli import cli
from autokg.competition import clusters, competitors
from autokg.describe import describe, stats
from autokg.errors import NameNotFound
from autokg.figures import figure_kinds, figures_answer
from autokg.graph import load
from autokg.lineage import family, lineage
from autokg.plans import plans

ACME = Path(__file__).parent / "data" / "cli" / "acme.ttl"
ID = "https://w3id.org/autokg/id/"


@pytest.fixture(scope="module")
def kg():
    return load(data=[ACME], bundled=False)


def test_competitors_document(kg):
    doc = competitors(kg, ID + "acme-roadrunner", depth=2, to=ID + "cobalt-one", inferred=True)
    assert doc["model"] == {"iri": ID + "acme-roadrunner", "label": "Acme Roadrunner"}
    assert [(r["rival"], r["relation"]) for r in doc["claimed"]] == [("Bolt Spark", "positioned against")]
    assert {r["rival"]: r["distance"] for r in doc["within"]} == {"Bolt Spark": 1, "Cobalt One": 2}
    assert doc["within"][1]["via"] == "Acme Roadrunner > Bolt Spark > Cobalt One"
    assert doc["target"]["label"] == "Cobalt One"
    assert [(hop["from"], hop["to"]) for hop in doc["chain"]] == [
        ("Acme Roadrunner", "Bolt Spark"), ("Bolt Spark", "Cobalt One")]
    assert doc["chain"][0]["claims"][0].startswith("positioning: ")
    assert "Bolt Zap" in {r["rival"] for r in doc["inferred"]}


def test_competitors_document_has_only_what_was_asked(kg):
    doc = competitors(kg, ID + "acme-roadrunner")
    assert set(doc) == {"model", "claimed"}


def test_competitors_chain_to_an_unlinked_model_is_none(kg):
    doc = competitors(kg, ID + "acme-roadrunner", to=ID + "bolt-zap")
    assert doc["chain"] is None


def test_clusters_document(kg):
    rows = clusters(kg)
    assert rows[0]["cluster"] == 1 and rows[0]["size"] == len(rows[0]["models"])
    assert "Bolt Spark" in {m for r in rows for m in r["models"]}


def test_lineage_document(kg):
    doc = lineage(kg, ID + "acme-roadrunner-l")
    assert [a["label"] for a in doc["ancestors"]] == ["Acme Roadrunner"]
    assert doc["generations"] == [["Acme Roadrunner"], ["Acme Roadrunner II"]]
    assert doc["tree"][0] == "Acme Roadrunner"
    assert {(e["from"], e["relation"], e["to"]) for e in doc["edges"]} >= {
        ("Acme Roadrunner", "variant", "Acme Roadrunner L")}


def test_family_document(kg):
    doc = family(kg, ID + "acme")
    assert doc["maker"]["label"] == "Acme Motors" and len(doc["models"]) == 4
    assert {m["model"]: m["variant_of"] for m in doc["models"]}["Acme Roadrunner L"] == "Acme Roadrunner"
    assert "Acme Roadrunner" in doc["tree"] and "└── Acme Roadrunner L  (variant: long wheelbase; announced)" in doc["tree"]


def test_figures_document(kg):
    doc = figures_answer(kg, ID + "acme")
    assert set(doc) == {"entity", "figures", "growth", "targets_vs_actual"}
    assert any(f["display"] == "150,000+ vehicles" for f in doc["figures"])
    assert [g["growth"] for g in doc["growth"]] == ["at least +50.0%"]
    revenue = figures_answer(kg, ID + "acme", kind="revenue")
    assert revenue["kind"] == {"notation": "revenue", "label": "revenue"}
    assert [f["display"] for f in revenue["figures"]] == ["1.2 bn CNY"]


def test_figure_kinds_come_from_the_measure_scheme(kg):
    kinds = figure_kinds(kg)
    assert {"deliveries", "sales", "registrations", "revenue", "price", "target"} <= set(kinds)
    assert {iri.rsplit("/", 1)[1] for iri in kinds["sales"]["covers"]} == {"sales", "registrations"}
    with pytest.raises(NameNotFound, match="did you mean: revenue"):
        figures_answer(kg, ID + "acme", kind="revenu")


NEW_MEASURE = """@prefix akg: <https://w3id.org/autokg/ns#> .
@prefix id: <https://w3id.org/autokg/id/> .
@prefix skos: <http://www.w3.org/2004/02/skos/core#> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
<https://w3id.org/autokg/concept/measure/charging-sessions> a skos:Concept ;
    skos:inScheme akg:MeasureScheme ; skos:notation "charging-sessions" ; skos:prefLabel "charging sessions"@en .
id:figure-acme-charging-2025 a akg:Figure ;
    akg:subject id:acme ;
    akg:measure <https://w3id.org/autokg/concept/measure/charging-sessions> ;
    akg:value 42000 ;
    akg:bound <https://w3id.org/autokg/concept/bound/exact> ;
    akg:periodStart "2025-01-01"^^xsd:date ; akg:periodEnd "2025-12-31"^^xsd:date ;
    akg:source <https://w3id.org/autokg/id/source/acme-news> .
"""


def test_a_measure_the_code_never_names_answers_figures_kind(tmp_path):
    # Adding a measure is a concept in the measure scheme plus data: no Python changes.
    extra = tmp_path / "measure.ttl"
    extra.write_text(NEW_MEASURE)
    args = ["--no-bundled", "--data", str(ACME), "--data", str(extra), "figures", "Acme", "--kind", "charging-sessions"]
    result = CliRunner().invoke(cli, args)
    assert result.exit_code == 0, result.output
    assert result.output.startswith("Charging sessions of Acme Motors")
    assert "42,000" in result.output
    doc = json.loads(CliRunner().invoke(cli, [*args, "--format", "json"]).output)
    assert [f["measure"] for f in doc["figures"]] == ["charging-sessions"]
    typo = CliRunner().invoke(cli, [*args[:-1], "charging-sesions"])
    assert typo.exit_code == 2 and "did you mean: charging-sessions" in typo.output


def test_show_plans_and_stats_documents(kg):
    show = describe(kg, ID + "acme-roadrunner")
    assert show["facts"]["manufacturer"] == ["Acme Motors"]
    doc = plans(kg, ID + "acme")
    assert doc["maker"] == {"iri": ID + "acme", "label": "Acme Motors"}
    assert {"targets", "launches", "market_entries", "strategies"} <= set(doc)
    assert stats(kg)["makers"] >= 1
