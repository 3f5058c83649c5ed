"""bench/generate.py: synthetic graphs of the asked size, deterministic, valid against the shapes."""

from __future__ import annotations

import sys
from pathlib import Path

import pyoxigraph as ox

BENCH = Path(__file__).resolve().parent.parent / "bench"
sys.path.insert(0, str(BENCH))
from generate import BASE, Generator, generate  # noqa: E402

sys.path.remove(str(BENCH))

from autokg.graph import load  # noqa: E402
from autokg.validation import validate  # noqa: E402


def test_size_is_close_to_the_target_and_output_is_deterministic(tmp_path):
    a, b = tmp_path / "a.nt", tmp_path / "b.nt"
    n = generate(a, 20_000, seed=7)
    assert 0.85 * 20_000 <= n <= 1.15 * 20_000
    assert generate(b, 20_000, seed=7) == n
    assert a.read_bytes() == b.read_bytes()
    assert len(list(ox.parse(path=str(a), format=ox.RdfFormat.N_TRIPLES))) == n


def test_turtle_and_ntriples_hold_the_same_triples(tmp_path):
    generate(tmp_path / "g.nt", 3_000)
    generate(tmp_path / "g.ttl", 3_000)
    nt = set(ox.parse(path=str(tmp_path / "g.nt"), format=ox.RdfFormat.N_TRIPLES))
    ttl = set(ox.parse(path=str(tmp_path / "g.ttl"), format=ox.RdfFormat.TURTLE))
    assert nt == ttl


def test_iris_are_synthetic_and_the_patterns_are_there(tmp_path):
    path = tmp_path / "g.nt"
    generate(path, 3_000)
    kg = load(data=[path])
    subjects = {r["s"] for r in kg.select("SELECT DISTINCT ?s WHERE { ?s ?p ?o }")}
    curated = {r["s"] for r in load().select("SELECT DISTINCT ?s WHERE { ?s ?p ?o }")}
    synthetic = subjects - curated
    assert synthetic and all(s.startswith(BASE) for s in synthetic)
    counts = kg.select("""SELECT (COUNT(DISTINCT ?v) AS ?variants) (COUNT(DISTINCT ?succ) AS ?successors)
                                 (COUNT(DISTINCT ?c) AS ?claims) (COUNT(DISTINCT ?f) AS ?figures) WHERE {
        { ?v akg:variantOf ?m } UNION { ?succ akg:successorOf ?m } UNION { ?m akg:qualifiedCompetition ?c }
        UNION { ?f a akg:Figure ; akg:measure <https://w3id.org/autokg/concept/measure/deliveries> }
        FILTER(STRSTARTS(STR(?m), "https://w3id.org/autokg/id/synthetic/") || BOUND(?f)) }""")[0]
    assert all(counts[k] > 0 for k in ("variants", "successors", "claims", "figures"))


def test_a_small_generated_graph_passes_the_shapes(tmp_path):
    path = tmp_path / "g.nt"
    with path.open("w") as out:
        from generate import write_ntriples

        write_ntriples(Generator(3, models_per_maker=4, months=3), out)
    kg = load(data=[path])  # with the bundled ontology and concepts
    report = validate(kg, qc=False, inference="none")
    assert report.conforms, report.text[:3000]
