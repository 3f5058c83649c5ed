"""The embedded persistent store: `autokg store ...`, --store PATH, all-or-nothing loads, faults."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pyoxigraph as ox
import pytest
from click.testing import CliRunner

from autokg.cli import cli
from autokg.errors import DataFileError
from autokg.errors import StoreError
from autokg.graph import open_graph
from autokg.remote import bind_values
from autokg.validation import touched_nodes, validate

#: Questions asked of the bundled graph and of a store seeded with it: the answers must match.
QUESTIONS = [
    ["competitors", "YU7", "--format", "json"],
    ["competitors", "YU7", "--inferred", "--format", "json"],
    ["lineage", "SU7", "--format", "json"],
    ["family", "Xiaomi", "--format", "json"],
    ["show", "Xiaomi YU7", "--format", "json"],
    ["figures", "Xiaomi", "--format", "json"],
    ["plans", "Xiaomi", "--format", "json"],
    ["stats", "--format", "json"],
    ["query", "-e", "SELECT ?m ?l WHERE { ?m a akg:VehicleModel ; rdfs:label ?l } ORDER BY ?m", "--format", "json"],
    ["export", "--model", "SU7", "--format", "nt", "-o", "-"],
    ["competitors", "Modle Q"],  # an error: the same message and exit code
]

TTL = """@prefix akg: <https://w3id.org/autokg/ns#> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
<https://w3id.org/autokg/id/synthetic/acme> a akg:Manufacturer ; rdfs:label "Acme"@en .
"""
BAD = """@prefix akg: <https://w3id.org/autokg/ns#> .
<https://w3id.org/autokg/id/synthetic/a> akg:p <https://w3id.org/autokg/id/synthetic/b> .
<https://w3id.org/autokg/id/synthetic/c> akg:p .
"""


def run(*args: str):
    return CliRunner().invoke(cli, list(args), catch_exceptions=False)


def normalise(output: str) -> str:
    """Output in a stable order: N-Triples as a set of lines; rows that tie in a query's ORDER BY
    may come in either order from two stores, so JSON lists are compared as multisets."""
    lines = output.splitlines()
    if lines and all(line.endswith(" .") for line in lines if line):
        return "\n".join(sorted(lines))
    try:
        data = json.loads(output)
    except ValueError:
        return output

    def canon(value):
        if isinstance(value, dict):
            return {k: canon(v) for k, v in value.items()}
        if isinstance(value, list):
            return sorted((canon(v) for v in value), key=lambda v: json.dumps(v, sort_keys=True))
        return value

    return json.dumps(canon(data), sort_keys=True)


@pytest.fixture(scope="module")
def seeded(tmp_path_factory) -> Path:
    """A store seeded with the bundled graph (shared by the read-only tests of this module)."""
    path = tmp_path_factory.mktemp("store") / "kg"
    result = run("store", "init", "--store", str(path), "--no-progress")
    assert result.exit_code == 0, result.output
    return path


def store_triples(path: Path) -> set[ox.Quad]:
    kg = open_graph(store=path)
    try:
        return set(kg.triples())
    finally:
        kg.close()


@pytest.mark.parametrize("args", QUESTIONS, ids=lambda a: " ".join(a[:2]))
def test_every_question_has_the_same_answer_from_the_store(seeded, args):
    memory = run(*args)
    stored = run("--store", str(seeded), *args)
    assert stored.exit_code == memory.exit_code
    assert normalise(stored.output) == normalise(memory.output)


def test_the_store_option_can_come_from_the_environment(seeded):
    result = CliRunner().invoke(cli, ["stats", "--format", "json"], env={"AUTOKG_STORE": str(seeded)})
    assert result.exit_code == 0
    assert json.loads(result.output) == json.loads(run("stats", "--format", "json").output)


def test_store_info_and_data_with_store(seeded):
    info = run("store", "info", "--store", str(seeded))
    assert info.exit_code == 0 and "kind: embedded" in info.output
    mixed = run("--store", str(seeded), "--data", "x.ttl", "stats")
    assert mixed.exit_code == 2 and "--data cannot be combined with --store" in mixed.output


def test_load_adds_files_and_folders_and_merges_named_graphs(tmp_path):
    store = tmp_path / "kg"
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "a.ttl").write_text(TTL)
    (folder / "b.nq").write_text('<http://e/s> <http://e/p> "o" <http://e/g> .\n')
    (tmp_path / "c.nt").write_text('<http://e/s2> <http://e/p> "o2" .\n')
    result = run("store", "load", str(folder), str(tmp_path / "c.nt"), "--store", str(store), "--no-progress")
    assert result.exit_code == 0, result.output
    quads = store_triples(store)
    assert len(quads) == 4
    assert "named_graphs: -" in run("store", "info", "--store", str(store)).output


def test_a_malformed_file_leaves_the_store_exactly_as_it_was(tmp_path):
    store = tmp_path / "kg"
    (tmp_path / "good.ttl").write_text(TTL)
    (tmp_path / "bad.ttl").write_text(BAD)
    assert run("store", "load", str(tmp_path / "good.ttl"), "--store", str(store), "--no-progress").exit_code == 0
    before = store_triples(store)
    (tmp_path / "more.nt").write_text('<http://e/s> <http://e/p> "o" .\n')
    result = run("store", "load", str(tmp_path / "more.nt"), str(tmp_path / "bad.ttl"), "--store", str(store))
    assert result.exit_code == 2
    assert f"{tmp_path / 'bad.ttl'}:3:" in result.output
    assert len(result.output.strip().splitlines()) == 1
    assert store_triples(store) == before


def test_dump_round_trips(seeded, tmp_path):
    out = tmp_path / "dump.ttl"
    result = run("store", "dump", "--store", str(seeded), "-o", str(out))
    assert result.exit_code == 0, result.output
    copy = tmp_path / "copy"
    assert run("store", "load", str(out), "--store", str(copy), "--no-progress").exit_code == 0
    assert store_triples(copy) == store_triples(seeded)
    nt = run("store", "dump", "--store", str(seeded), "--format", "nt")
    assert len(nt.output.splitlines()) == len(store_triples(seeded))


# Bad stores -------------------------------------------------------------------------------------

def test_a_folder_that_is_not_a_store_is_refused_and_left_alone(tmp_path):
    folder = tmp_path / "notes"
    folder.mkdir()
    (folder / "todo.txt").write_text("hello")
    for args in (["--store", str(folder), "stats"], ["store", "init", "--store", str(folder)],
                 ["store", "load", str(folder / "todo.txt"), "--store", str(folder)]):
        result = run(*args)
        assert result.exit_code == 2
        assert len(result.output.strip().splitlines()) == 1
    assert sorted(p.name for p in folder.iterdir()) == ["todo.txt"]


def test_a_file_or_a_missing_folder_is_not_a_store(tmp_path):
    file = tmp_path / "file.ttl"
    file.write_text(TTL)
    result = run("--store", str(file), "stats")
    assert result.exit_code == 2 and "not a store" in result.output
    missing = tmp_path / "missing"
    result = run("--store", str(missing), "stats")
    assert result.exit_code == 2 and "no store here" in result.output
    assert not missing.exists()


def test_a_locked_store_is_a_clear_error(tmp_path):
    store = tmp_path / "kg"
    open_graph(store=store, create=True).close()
    holder = subprocess.Popen(
        [sys.executable, "-c", "import sys, pyoxigraph; s = pyoxigraph.Store(sys.argv[1]); print('open', flush=True); "
                               "sys.stdin.read()", str(store)],
        stdin=subprocess.PIPE, stdout=subprocess.PIPE)
    try:
        assert holder.stdout.readline().strip() == b"open"
        result = run("--store", str(store), "stats")
        assert result.exit_code == 2
        assert "locked" in result.output and len(result.output.strip().splitlines()) == 1
    finally:
        holder.stdin.close()
        holder.wait(timeout=10)


def test_a_load_goes_through_a_copy_swapped_into_place(tmp_path):
    store = tmp_path / "kg"
    (tmp_path / "seed.ttl").write_text(TTL)
    (tmp_path / "more.trig").write_text('<http://e/g> { <http://e/s> <http://e/p> "o" . }\n')
    assert run("store", "load", str(tmp_path / "seed.ttl"), "--store", str(store), "--no-progress").exit_code == 0
    before = store_triples(store)
    # A copy that a killed load left behind (its process is gone) is removed, and changes nothing.
    stale = tmp_path / ".kg.autokg-load-999999999"
    stale.mkdir()
    (stale / "CURRENT").write_text("junk")
    result = run("store", "load", str(tmp_path / "more.trig"), "--store", str(store), "--no-progress")
    assert result.exit_code == 0, result.output
    after = store_triples(store)
    assert len(after) == len(before) + 1 and before < after
    assert sorted(p.name for p in tmp_path.iterdir()) == ["kg", "more.trig", "seed.ttl"]


def test_a_load_killed_half_way_leaves_the_previous_content(tmp_path):
    bench = Path(__file__).resolve().parent.parent / "bench"
    sys.path.insert(0, str(bench))
    try:
        from generate import generate
    finally:
        sys.path.remove(str(bench))
    big = tmp_path / "big.nt"
    added = generate(big, 120_000)
    store = tmp_path / "kg"
    (tmp_path / "seed.ttl").write_text(TTL)
    assert run("store", "load", str(tmp_path / "seed.ttl"), "--store", str(store), "--no-progress").exit_code == 0
    before = store_triples(store)
    env = dict(os.environ, PYTHONPATH=os.pathsep.join(sys.path))
    kills = 0
    for delay in (0.0, 0.05, 0.2, 0.5):
        proc = subprocess.Popen([sys.executable, "-m", "autokg", "store", "load", str(big), "--store", str(store),
                                 "--no-progress", "--verbose"], env=env, stdout=subprocess.DEVNULL,
                                stderr=subprocess.PIPE)
        while proc.stderr.readline() not in (b"load: writing\n", b""):
            pass  # wait until it is writing
        time.sleep(delay)
        proc.send_signal(signal.SIGKILL)
        proc.wait(timeout=30)
        proc.stderr.close()
        after = store_triples(store)  # it opens: the store is not damaged
        if proc.returncode == -signal.SIGKILL and len(after) != len(before) + added:
            kills += 1
            assert after == before  # nothing of the killed load is there
            if kills == 2:
                break
        else:  # the load finished before the kill: all of it is there
            assert len(after) == len(before) + added
            break
    assert kills >= 1


# Library ----------------------------------------------------------------------------------------

def test_load_into_reports_the_file_and_line(tmp_path):
    kg = open_graph(store=tmp_path / "kg", create=True)
    (tmp_path / "bad.ttl").write_text(BAD)
    with pytest.raises(DataFileError) as err:
        kg.load([tmp_path / "bad.ttl"])
    assert err.value.line == 3
    assert len(kg) == 0


def test_readers_share_a_store_and_a_second_writer_is_locked(tmp_path):
    # Issue 14: readers open a store read-only, without a lock; writers take the one exclusive lock.
    from autokg.store_commit import writer_lock

    (tmp_path / "seed.ttl").write_text(TTL)
    writer = open_graph(store=tmp_path / "kg", create=True)
    reader = open_graph(store=tmp_path / "kg")
    with writer_lock(tmp_path / "kg"):  # a load in progress
        with pytest.raises(StoreError, match="locked"):
            writer.load([tmp_path / "seed.ttl"])
        assert len(reader) == 0
    writer.load([tmp_path / "seed.ttl"])
    assert len(writer) > 0 and len(reader) == 0  # the reader keeps the state it opened
    assert len(open_graph(store=tmp_path / "kg")) == len(writer)  # a new reader sees the committed state


def test_bind_values_puts_values_at_the_start_of_the_where_group():
    node = ox.NamedNode("http://e/m")
    q = 'PREFIX a: <http://e/{x}> SELECT ?m WHERE { ?m a:p "{ WHERE }" # {\n }'
    assert bind_values(q, {ox.Variable("m"): node}) == \
        'PREFIX a: <http://e/{x}> SELECT ?m WHERE { VALUES ?m { <http://e/m> } ?m a:p "{ WHERE }" # {\n }'
    assert bind_values("ASK { ?m ?p ?o }", {"m": node, "o": ox.Literal(3)}).startswith(
        'ASK { VALUES (?m ?o) { (<http://e/m> "3"^^<http://www.w3.org/2001/XMLSchema#integer>) }')
    construct = "CONSTRUCT { ?m ?p ?o } WHERE { ?m ?p ?o }"
    assert bind_values(construct, {"m": node}) == \
        "CONSTRUCT { ?m ?p ?o } WHERE { VALUES ?m { <http://e/m> } ?m ?p ?o }"


def test_validate_store_full_and_incremental(seeded, tmp_path):
    import shutil

    copy = tmp_path / "kg"
    shutil.copytree(seeded, copy)
    kg = open_graph(store=copy)
    report = validate(kg, qc=False, inference="none")
    assert report.conforms, report.shacl.text[:2000]
    change = """@prefix akg: <https://w3id.org/autokg/ns#> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
<https://w3id.org/autokg/id/synthetic/model-x> a akg:VehicleModel ; rdfs:label "Model X2"@en ;
    akg:manufacturer <https://w3id.org/autokg/id/xiaomi> ;
    akg:bodyStyle <https://w3id.org/autokg/concept/powertrain/bev> .
"""
    (tmp_path / "change.ttl").write_text(change)
    kg.load([tmp_path / "change.ttl"])
    nodes = touched_nodes(ox.parse(change, format=ox.RdfFormat.TURTLE))
    assert "https://w3id.org/autokg/id/synthetic/model-x" in nodes
    report = validate(kg, focus=nodes, qc=False)
    assert not report.conforms
    focus = {str(r.focus_node) for r in report.results}
    assert focus == {"https://w3id.org/autokg/id/synthetic/model-x"}
    paths = {str(r.result_path).rsplit("#", 1)[-1] for r in report.results}
    assert {"source", "bodyStyle"} <= paths


def test_store_validate_command(seeded):
    result = run("store", "validate", "--store", str(seeded), "--focus", "https://w3id.org/autokg/id/xiaomi-su7")
    assert result.exit_code == 0, result.output


def test_validate_with_a_store_never_writes_the_files_into_it(seeded, tmp_path):
    # Regression (issue 8): `autokg --store DIR validate FILE` added FILE to the store for good.
    import shutil

    store = tmp_path / "kg"
    shutil.copytree(seeded, store)
    before = store_triples(store)
    (tmp_path / "extra.ttl").write_text(TTL)
    result = run("--store", str(store), "validate", "--no-qc", str(tmp_path / "extra.ttl"))
    assert result.exit_code == 1, result.output  # Acme has no source: the file is checked ...
    assert "id:synthetic/acme" in result.output
    assert store_triples(store) == before  # ... and the store is as it was


def test_load_validate_commits_valid_data_and_refuses_invalid_data(seeded, tmp_path):
    import shutil

    store = tmp_path / "kg"
    shutil.copytree(seeded, store)
    good = tmp_path / "good.ttl"
    good.write_text('<https://w3id.org/autokg/id/xiaomi-su7> <http://www.w3.org/2000/01/rdf-schema#comment> "ok" .\n')
    before = store_triples(store)
    result = run("store", "load", "--validate", str(good), "--store", str(store), "--no-progress")
    assert result.exit_code == 0, result.output
    assert "Valid" in result.output and len(store_triples(store)) == len(before) + 1
    bad = tmp_path / "bad.ttl"
    bad.write_text("<https://w3id.org/autokg/id/x> a <https://w3id.org/autokg/ns#VehicleModel> .\n")
    committed = store_triples(store)
    result = run("store", "load", "--validate", str(bad), "--store", str(store), "--no-progress")
    assert result.exit_code == 1 and "nothing was loaded" in result.output, result.output
    assert store_triples(store) == committed
    assert sorted(p.name for p in tmp_path.iterdir()) == ["bad.ttl", "good.ttl", "kg"]  # no copy, no lock left


def test_many_focus_nodes_are_checked_as_pyshacl_checks_them():
    # Above FOCUS_IN_PLACE_MAX nodes, the compiled shapes check the whole store and keep the focus
    # nodes' results: the same results as pyshacl on the focus nodes.
    from autokg.graph import open_graph as open_memory
    from autokg.rdfio import parse
    from autokg.resources import data_files
    from autokg.validation import FOCUS_IN_PLACE_MAX, bundled_shapes
    from autokg.validation.fallback import validate_focus

    kg = open_memory()
    kg.load_turtle("<https://w3id.org/autokg/id/x> a <https://w3id.org/autokg/ns#VehicleModel> .")
    nodes = sorted(touched_nodes(q for f in data_files() for q in parse(f)))[: FOCUS_IN_PLACE_MAX + 50]
    focus = {*nodes, "https://w3id.org/autokg/id/x"}
    assert len(focus) > FOCUS_IN_PLACE_MAX

    def key(r):
        return str(r.focus_node), str(r.result_path), str(r.constraint_component), str(r.value)

    compiled = validate(kg, focus=focus, qc=False, inference="none").shacl.results
    in_place = validate_focus(kg.local_store(), focus, shapes=bundled_shapes()).results
    assert sorted(map(key, compiled)) == sorted(map(key, in_place))
    assert "https://w3id.org/autokg/id/x" in {str(r.focus_node) for r in compiled}


def test_the_web_explorer_reads_what_a_load_commits(tmp_path):
    # A long-lived reader (the server) keeps reading while a load runs, then answers from the new state.
    from autokg.web.data import Explorer, GraphRecipe
    from autokg.web.data import open_graph as open_for_the_web

    store = tmp_path / "kg"
    (tmp_path / "a.ttl").write_text('<http://e/a> <http://e/p> "1" .\n')
    (tmp_path / "b.ttl").write_text('<http://e/b> <http://e/p> "2" .\n')
    assert run("store", "load", str(tmp_path / "a.ttl"), "--store", str(store), "--no-progress").exit_code == 0
    explorer = Explorer(open_for_the_web(GraphRecipe(store=str(store))))
    assert explorer.counts()["triples"] == 1
    assert run("store", "load", str(tmp_path / "b.ttl"), "--store", str(store), "--no-progress").exit_code == 0
    assert explorer.counts()["triples"] == 2
