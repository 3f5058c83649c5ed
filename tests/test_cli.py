"""Every command of the CLI, in-process with click's CliRunner, including its error paths."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from autokg.cli import cli

ACME = str(Path(__file__).parent / "data" / "cli" / "acme.ttl")


@pytest.fixture()
def run():
    """Run autokg on the small made-up graph (without the bundled data)."""

    def invoke(*args: str, bundled: bool = False, input: str | None = None):
        base = [] if bundled else ["--no-bundled", "--data", ACME]
        return CliRunner().invoke(cli, [*base, *args], input=input, catch_exceptions=False)

    return invoke


# competitors ---------------------------------------------------------------------------------

def test_competitors_lists_claims_with_their_source(run):
    result = run("competitors", "roadrunner")
    assert result.exit_code == 0, result.output
    assert "Claimed rivals of Acme Roadrunner: 1 rival from 1 claim" in result.output
    assert "Bolt Spark" in result.output and "positioned against" in result.output
    assert "Bolt Zap" not in result.output  # inferred rivals only with --inferred
    claims = run("competitors", "roadrunner", "--claims").output
    assert "example.org" in claims and "https://" not in claims  # a table shows a URL as its domain


def test_competitors_reads_a_claim_from_the_other_side(run):
    result = run("competitors", "Bolt Spark", "--format", "json")
    doc = json.loads(result.output)
    relations = {(r["rival"], r["relation"]) for r in doc["claimed"]}
    assert relations == {("Acme Roadrunner", "positioned against it"), ("Cobalt One", "rival of")}


def test_competitors_inferred_are_apart_and_give_reasons(run):
    doc = json.loads(run("competitors", "Roadrunner", "--inferred", "--format", "json").output)
    inferred = {r["rival"]: r for r in doc["inferred"]}
    assert "Bolt Zap" in inferred
    assert any("same segment" in reason for reason in inferred["Bolt Zap"]["reasons"])
    # claimed rivals and the model's own family are not inferred rivals
    assert "Bolt Spark" not in inferred and "Acme Roadrunner L" not in inferred
    assert "Bolt Zap" not in {r["rival"] for r in doc["claimed"]}


def test_competitors_depth_and_chain(run):
    doc = json.loads(run("competitors", "Roadrunner", "--depth", "2", "--to", "Cobalt One", "--format", "json").output)
    assert {r["rival"]: r["distance"] for r in doc["within"]} == {"Bolt Spark": 1, "Cobalt One": 2}
    assert [(hop["from"], hop["to"]) for hop in doc["chain"]] == [
        ("Acme Roadrunner", "Bolt Spark"), ("Bolt Spark", "Cobalt One")]


def test_competitors_csv(run):
    rows = list(csv.DictReader(io.StringIO(run("competitors", "Roadrunner", "--format", "csv").output)))
    assert rows[0]["rival"] == "Bolt Spark" and rows[0]["kind"] == "claimed"


def test_unknown_name_suggests_and_exits_2(run):
    result = CliRunner().invoke(cli, ["--no-bundled", "--data", ACME, "competitors", "Roadrunnr"])
    assert result.exit_code == 2
    assert "did you mean: Acme Roadrunner" in result.output
    assert "Traceback" not in result.output


def test_a_maker_is_not_a_model(run):
    result = CliRunner().invoke(cli, ["--no-bundled", "--data", ACME, "competitors", "Acme"])
    assert result.exit_code == 2 and "no model is named 'Acme'" in result.output


def test_names_ignore_case_spaces_and_punctuation(run):
    for name in ("acme roadrunner", "ROADRUNNER", "road-runner", "id:acme-roadrunner",
                 "https://w3id.org/autokg/id/acme-roadrunner"):
        assert "Claimed rivals of Acme Roadrunner" in run("competitors", name).output, name


def test_ambiguous_name_lists_candidates(tmp_path):
    extra = tmp_path / "twin.ttl"
    extra.write_text(Path(ACME).read_text().split("\nsrc:acme-news")[0] + """
<https://w3id.org/autokg/id/other-roadrunner> a akg:VehicleModel ; rdfs:label "Other Roadrunner"@en ;
    skos:altLabel "Roadrunner"@en .
""")
    result = CliRunner().invoke(cli, ["--no-bundled", "--data", ACME, "--data", str(extra), "competitors", "Roadrunner"])
    assert result.exit_code == 2
    assert "ambiguous" in result.output and "Acme Roadrunner" in result.output and "Other Roadrunner" in result.output


# lineage and family --------------------------------------------------------------------------

def test_lineage_draws_the_family_tree(run):
    result = run("lineage", "Roadrunner L")
    assert result.exit_code == 0
    assert result.output.splitlines()[0] == "Acme Roadrunner"
    assert "Acme Roadrunner II  (successor; announced)" in result.output
    assert "Acme Roadrunner L  (variant: long wheelbase; announced)" in result.output


def test_lineage_json(run):
    doc = json.loads(run("lineage", "Roadrunner L", "--format", "json").output)
    assert [a["label"] for a in doc["ancestors"]] == ["Acme Roadrunner"]
    assert doc["generations"] == [["Acme Roadrunner"], ["Acme Roadrunner II"]]


def test_lineage_of_a_model_without_family_shows_its_platform(run):
    output = run("lineage", "Coyote").output
    assert "has no known variants" in output
    assert "Platform: Skyway platform (shared with: Bolt Zap)" in output
    doc = json.loads(run("lineage", "Coyote", "--format", "json").output)
    assert [m["label"] for m in doc["platform_mates"]] == ["Bolt Zap"]


def test_a_lineage_cycle_in_the_data_is_one_line_and_exit_2(tmp_path):
    # Regression (issue 8): a successor cycle in --data ended in a traceback and exit 1.
    cycle = tmp_path / "cycle.ttl"
    cycle.write_text("""@prefix akg: <https://w3id.org/autokg/ns#> .
@prefix id: <https://w3id.org/autokg/id/> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
id:acme-roadrunner akg:successorOf id:acme-roadrunner-2 .
""")
    result = CliRunner().invoke(cli, ["--no-bundled", "--data", ACME, "--data", str(cycle), "lineage", "Roadrunner"])
    assert result.exit_code == 2, result.output
    assert result.output.count("\n") == 1 and result.output.startswith("Error: ")
    assert "cycle" in result.output and "Acme Roadrunner II" in result.output


def test_family(run):
    result = run("family", "Acme")
    assert result.exit_code == 0 and "Acme Motors: 4 models" in result.output
    doc = json.loads(run("family", "acme", "--format", "json").output)
    assert {m["model"]: m["variant_of"] for m in doc["models"]}["Acme Roadrunner L"] == "Acme Roadrunner"


# show, figures, plans ------------------------------------------------------------------------

def test_show(run):
    result = run("show", "Roadrunner")
    assert result.exit_code == 0
    assert "body style" in result.output and "SUV" in result.output
    assert "Acme Roadrunner L" in result.output  # its variant
    doc = json.loads(run("show", "Roadrunner", "--format", "json").output)
    assert doc["facts"]["manufacturer"] == ["Acme Motors"]
    assert {s["url"] for s in doc["sources"]} >= {"https://example.org/acme/raises-target"}


def test_figures_keep_lower_bounds_and_mark_disagreement(run):
    result = run("figures", "Acme")
    assert result.exit_code == 0
    assert "150,000+" in result.output  # a lower bound stays a bound (a table gives counts without "vehicles")
    assert "sources disagree" in result.output
    assert "at least +50.0%" in result.output  # growth from an exact figure to a lower bound
    doc = json.loads(run("figures", "Acme", "--format", "json").output)
    conflicted = {f["claim"].rsplit("/", 1)[1] for f in doc["figures"] if f["conflict"]}
    assert conflicted == {"figure-acme-roadrunner-sales-2025-10-acme", "figure-acme-roadrunner-sales-2025-10-blog-2"}
    delivered = [f for f in doc["figures"] if f["period"] == "2025" and f["type"] == "figure"]
    assert delivered[0]["bound"] == "at-least" and delivered[0]["value"] == 150000


def test_figures_of_a_maker_include_its_business_segment(run):
    doc = json.loads(run("figures", "Acme", "--kind", "revenue", "--format", "json").output)
    assert [f["covers"] for f in doc["figures"]] == ["Acme EV business (business segment)"]
    assert doc["figures"][0]["display"] == "1.2 bn CNY"


def test_figures_kind_sales_covers_registrations(run):
    doc = json.loads(run("figures", "Roadrunner", "--kind", "sales", "--format", "json").output)
    assert sorted(f["measure"] for f in doc["figures"]) == ["registrations", "sales", "sales"]


def test_figures_targets_against_actual(run):
    doc = json.loads(run("figures", "Acme", "--kind", "target", "--format", "json").output)
    assert {f["type"] for f in doc["figures"]} == {"target"}
    full = json.loads(run("figures", "Acme", "--format", "json").output)
    outcomes = {v["target"]: v["outcome"] for v in full["targets_vs_actual"]}
    assert outcomes == {"120,000 vehicles": "exceeded", "140,000 vehicles": "exceeded"}


def test_figures_csv(run):
    rows = list(csv.DictReader(io.StringIO(run("figures", "Acme", "--format", "csv").output)))
    assert {"bound", "period_start", "url"} <= set(rows[0])


def test_plans(run):
    result = run("plans", "Acme")
    assert result.exit_code == 0
    assert "first stated" in result.output and "revision 1" in result.output
    doc = json.loads(run("plans", "Acme", "--format", "json").output)
    assert [t["value"] for t in doc["targets"]] == [120000, 140000]
    assert doc["launches"][0]["model"] == "Acme Roadrunner L"
    assert doc["market_entries"][0]["market"] == "World except China"


# query ---------------------------------------------------------------------------------------

def test_query_named_with_binding(run):
    result = run("query", "--name", "rivals", "--bind", "model=id:cobalt-one", "--format", "json")
    assert result.exit_code == 0
    doc = json.loads(result.output)
    assert {b["otherLabel"]["value"] for b in doc["results"]["bindings"]} == {"Bolt Spark", "Acme Coyote"}


def test_query_binding_is_not_pasted_into_the_query(run):
    hostile = 'x" } UNION { ?s ?p ?o } #'
    result = run("query", "-e", "SELECT ?l WHERE { ?m rdfs:label ?l }", "--bind", f"l={hostile}", "--format", "csv")
    assert result.exit_code == 0
    assert result.output.strip() == "l"  # no label equals the hostile text: no rows


def test_query_from_file_and_stdin(run, tmp_path):
    rq = tmp_path / "makers.rq"
    rq.write_text("SELECT ?m WHERE { ?m a akg:Manufacturer } ORDER BY ?m")
    assert "id:acme" in run("query", str(rq)).output  # a table shows graph IRIs as CURIEs
    assert "id:bolt" in run("query", "-", input=rq.read_text()).output
    assert "https://w3id.org/autokg/id/acme" in run("query", str(rq), "--format", "csv").output


@pytest.mark.parametrize("fmt,marker", [("csv", b"m\r\n"), ("tsv", b"?m"), ("xml", b"<sparql"), ("json", b'"bindings"')])
def test_query_result_formats(run, fmt, marker):
    result = run("query", "-e", "SELECT ?m WHERE { ?m a akg:Manufacturer }", "--format", fmt)
    assert marker in result.stdout_bytes


def test_query_ask_exit_codes(run):
    assert run("query", "-e", "ASK { ?m a akg:Manufacturer }").exit_code == 0
    result = CliRunner().invoke(cli, ["--no-bundled", "--data", ACME, "query", "-e", "ASK { ?m a akg:Strategy }"])
    assert result.exit_code == 1 and result.output.strip() == "no"


def test_query_construct_gives_turtle(run):
    result = run("query", "-e", "CONSTRUCT { ?m a akg:Manufacturer } WHERE { ?m a akg:Manufacturer }")
    import rdflib

    assert len(rdflib.Graph().parse(data=result.output, format="turtle")) == 3


def test_bad_sparql_says_where(run):
    result = CliRunner().invoke(cli, ["--no-bundled", "--data", ACME, "query", "-e", "SELECT * WHERE { ?s ?p }"])
    assert result.exit_code == 2
    assert "bad SPARQL: line 1, column" in result.output
    assert "Traceback" not in result.output


def test_query_needs_exactly_one_source(run):
    result = CliRunner().invoke(cli, ["--no-bundled", "--data", ACME, "query"])
    assert result.exit_code == 2 and "exactly one of" in result.output


def test_query_list_and_unknown_name(run):
    assert "models-by-maker" in run("query", "--list").output
    result = CliRunner().invoke(cli, ["query", "--name", "rival"])
    assert result.exit_code == 2 and "did you mean: rivals" in result.output


# validate ------------------------------------------------------------------------------------

def test_validate_conforming(run):
    result = run("validate")
    assert result.exit_code == 0 and "Conforms." in result.output


def test_validate_violations_exit_1_grouped_by_focus_node(run, tmp_path):
    bad = tmp_path / "bad.ttl"
    bad.write_text("""
@prefix akg: <https://w3id.org/autokg/ns#> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
<https://w3id.org/autokg/id/nameless> a akg:VehicleModel .
""")
    result = run("validate", str(bad))
    assert result.exit_code == 1
    assert "id:nameless" in result.output and "Does not conform." in result.output
    doc = json.loads(run("validate", str(bad), "--format", "json").output)
    assert doc["conforms"] is False
    assert {r["focus_node"] for r in doc["shacl"]["results"]} == {"https://w3id.org/autokg/id/nameless"}
    import rdflib

    report = rdflib.Graph().parse(data=run("validate", str(bad), "--format", "ttl").output, format="turtle")
    assert (None, rdflib.SH.conforms, rdflib.Literal(False)) in report


def test_malformed_turtle_names_file_and_line(tmp_path):
    bad = tmp_path / "broken.ttl"
    bad.write_text('@prefix ex: <http://example.org/> .\nex:a ex:b ex:c .\nex:a ex:b "open\n')
    result = CliRunner().invoke(cli, ["--data", str(bad), "stats"])
    assert result.exit_code == 2
    assert f"{bad}:3:" in result.output and "Traceback" not in result.output


def test_missing_data_path(tmp_path):
    result = CliRunner().invoke(cli, ["--data", str(tmp_path / "nope.ttl"), "stats"])
    assert result.exit_code == 2 and "no such file or folder" in result.output


def test_debug_shows_the_traceback(tmp_path):
    result = CliRunner().invoke(cli, ["--debug", "--data", str(tmp_path / "nope.ttl"), "stats"])
    assert result.exit_code != 0 and result.exception is not None


def test_no_bundled_needs_data():
    result = CliRunner().invoke(cli, ["--no-bundled", "stats"])
    assert result.exit_code == 2 and "--no-bundled needs" in result.output


# export --------------------------------------------------------------------------------------

def test_export_graphml_reads_back_with_networkx(run, tmp_path):
    import networkx as nx

    out = tmp_path / "acme.graphml"
    result = run("export", "--family", "Acme", "-o", str(out))
    assert result.exit_code == 0, result.output
    G = nx.read_graphml(out, force_multigraph=True)
    assert G.nodes["https://w3id.org/autokg/id/acme-roadrunner-l"]["label"] == "Acme Roadrunner L"
    relations = {d["relation"] for _, _, d in G.edges(data=True)}
    assert relations == {"variant of", "successor of", "positioned against", "resembles"}
    assert G.nodes["https://w3id.org/autokg/id/bolt-spark"]["in_family"] == "no"


def test_export_turtle_is_the_same_graph_as_the_store(run, tmp_path):
    import rdflib
    from rdflib.compare import isomorphic

    out = tmp_path / "all.ttl"
    assert run("export", "--all", "--format", "ttl", "-o", str(out)).exit_code == 0
    exported = rdflib.Graph().parse(out)
    from autokg.graph import load

    assert isomorphic(exported, load(data=[ACME], bundled=False).to_rdflib())


def test_export_model_family_turtle(run, tmp_path):
    import rdflib

    out = tmp_path / "rr.ttl"
    run("export", "--model", "Roadrunner II", "-o", str(out))
    g = rdflib.Graph().parse(out)
    subjects = {str(s) for s in g.subjects()}
    assert "https://w3id.org/autokg/id/acme-roadrunner-l" in subjects
    assert "https://w3id.org/autokg/id/claim-acme-roadrunner-positioned-against-bolt-spark" in subjects
    assert "https://w3id.org/autokg/id/source/acme-news" in subjects
    assert "https://w3id.org/autokg/id/acme-coyote" not in subjects


@pytest.mark.parametrize("fmt", ["nt", "jsonld", "gexf", "dot", "mermaid", "json"])
def test_export_formats(run, tmp_path, fmt):
    out = tmp_path / f"acme.{fmt}"
    assert run("export", "--family", "Acme", "--format", fmt, "-o", str(out)).exit_code == 0
    text = out.read_text()
    if fmt == "nt":
        import rdflib
        assert len(rdflib.Graph().parse(data=text, format="nt")) > 50
    elif fmt == "jsonld":
        import rdflib
        assert len(rdflib.Graph().parse(data=text, format="json-ld")) > 50
    elif fmt == "gexf":
        import networkx as nx
        assert nx.read_gexf(out).number_of_nodes() == 6
    elif fmt == "json":
        import networkx as nx
        G = nx.node_link_graph(json.loads(text), edges="links")
        assert G.number_of_nodes() == 6
    elif fmt == "dot":
        assert text.startswith("digraph autokg {") and '"acme_roadrunner_l" -> "acme_roadrunner"' in text
    else:
        assert text.startswith("flowchart LR") and 'acme_coyote -. "resembles" .-> cobalt_one' in text


def test_export_svg_is_the_family_tree_with_a_link_per_model(run, tmp_path):
    out = tmp_path / "acme.svg"
    assert run("export", "--family", "Acme", "-o", str(out)).exit_code == 0  # the format from the name
    from xml.dom import minidom

    svg = minidom.parse(str(out)).documentElement
    assert svg.tagName == "svg" and svg.getElementsByTagName("title")[0].firstChild.data.startswith("Family tree of Acme")
    links = {a.getAttribute("href") for a in svg.getElementsByTagName("a")}
    assert len(links) == 4 and "https://w3id.org/autokg/id/acme-roadrunner-l" in links  # Acme's models, by IRI
    assert len(svg.getElementsByTagName("path")) >= 2  # lineage edges drawn


def test_export_to_stdout(run):
    result = run("export", "--family", "Acme", "--format", "mermaid", "-o", "-")
    assert result.output.startswith("flowchart LR")


def test_export_failure_leaves_no_file(run, tmp_path):
    out = tmp_path / "missing-folder" / "x.ttl"
    result = CliRunner().invoke(cli, ["--no-bundled", "--data", ACME, "export", "--all", "-o", str(out)])
    assert result.exit_code == 2 and "does not exist" in result.output
    target = tmp_path / "kept.ttl"
    target.write_text("previous")
    result = CliRunner().invoke(cli, ["--no-bundled", "--data", ACME, "export", "--model", "nope", "-o", str(target)])
    assert result.exit_code == 2 and target.read_text() == "previous"
    assert [p.name for p in tmp_path.iterdir()] == ["kept.ttl"]


def test_an_export_keeps_the_mode_of_the_file_it_replaces_and_a_new_file_is_not_private(run, tmp_path):
    import os
    import stat

    mask = os.umask(0o022)
    try:
        new = tmp_path / "new.ttl"
        assert run("export", "--family", "Acme", "-o", str(new)).exit_code == 0
        assert stat.S_IMODE(new.stat().st_mode) == 0o644
        kept = tmp_path / "kept.ttl"
        kept.write_text("previous")
        kept.chmod(0o640)
        assert run("export", "--family", "Acme", "-o", str(kept)).exit_code == 0
        assert stat.S_IMODE(kept.stat().st_mode) == 0o640 and "previous" not in kept.read_text()
    finally:
        os.umask(mask)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["kept.ttl", "new.ttl"]


def test_a_closed_standard_output_ends_quietly():
    import os
    import subprocess
    import sys

    reader, writer = os.pipe()
    os.close(reader)  # as `| head` does once it has read enough
    src = str(Path(__file__).resolve().parents[1] / "src")
    env = {**os.environ, "PYTHONPATH": src + os.pathsep + os.environ.get("PYTHONPATH", "")}
    try:
        proc = subprocess.run([sys.executable, "-m", "autokg", "--no-bundled", "--data", ACME, "stats"],
                              stdout=writer, stderr=subprocess.PIPE, env=env, timeout=120)
    finally:
        os.close(writer)
    assert proc.returncode == 1 and proc.stderr == b"", proc.stderr  # click's quiet exit: no "Broken pipe"


def test_export_needs_one_selection_and_a_format(run, tmp_path):
    result = CliRunner().invoke(cli, ["export", "--all", "--family", "Xiaomi", "-o", str(tmp_path / "x.ttl")])
    assert result.exit_code == 2 and "exactly one of" in result.output
    result = CliRunner().invoke(cli, ["export", "--all", "-o", str(tmp_path / "x.unknown")])
    assert result.exit_code == 2 and "give --format" in result.output


# stats and clusters --------------------------------------------------------------------------

def test_stats(run):
    doc = json.loads(run("stats", "--format", "json").output)
    assert (doc["makers"], doc["models"], doc["variants"], doc["figures"], doc["targets"]) == (3, 6, 1, 6, 2)
    assert doc["competition_claims"] == 3 and doc["triples"] > 1000


def test_clusters(run):
    doc = json.loads(run("clusters", "--format", "json").output)
    assert sorted(m for c in doc for m in c["models"]) == sorted(
        ["Acme Coyote", "Acme Roadrunner", "Bolt Spark", "Cobalt One"])
