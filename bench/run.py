"""Benchmark autokg against a plain rdflib in-memory baseline on one generated graph.

    python bench/run.py --triples 100000              # prints a table
    python bench/run.py --triples 1000000 --write     # and writes bench/RESULTS.md
    python bench/run.py --triples 100000 --remote     # also over HTTP (needs `pip install oxigraph`)

One run generates the graph (bench/generate.py) and then, each side in its own process (so
that peak memory is each side's own), times the same work:

- load: the bundled graph plus the synthetic file (autokg: in-memory, and into an on-disk store)
- export to Turtle
- direct rivals of one model (the claims query of ``autokg competitors``)
- same-segment rivals (models of the same body style and segment as one model)
- lineage of one model (its variants, bases, predecessors and successors, transitively)
- a GROUP BY roll-up of deliveries per maker and year
- full validation (focus nodes per second), and incremental validation of one changed model
- the CLI's cold start: ``autokg competitors "Model Y"`` against ``python -c "import rdflib"``

Query times are the median of several runs after one warm-up. pyshacl on an rdflib graph parses
each SHACL-SPARQL query once per focus node, so the baseline's full validation is timed on a
sample of focus nodes (``--baseline-sample``) and reported as a rate.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
sys.path.insert(1, str(HERE.parent / "src"))

AKG = "https://w3id.org/autokg/ns#"
SYN = "https://w3id.org/autokg/id/synthetic/"
MODEL = SYN + "model-0000-004"  # a model in the middle of a successor chain, with a variant and claims

PREFIXES = """PREFIX akg: <https://w3id.org/autokg/ns#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
"""

# autokg's named query (queries/same-segment-rivals.rq), run as is by both engines.
SAME_SEGMENT = PREFIXES + (HERE.parent / "queries" / "same-segment-rivals.rq").read_text(
    encoding="utf-8")

LINEAGE = PREFIXES + """SELECT DISTINCT ?focus ?relative WHERE {
  { ?focus (akg:variantOf|akg:successorOf)+ ?relative }
  UNION { ?relative (akg:variantOf|akg:successorOf)+ ?focus }
  UNION { ?focus (akg:variantOf|akg:successorOf)* ?root . ?relative (akg:variantOf|akg:successorOf)+ ?root }
  FILTER (?relative != ?focus)
}"""

ROLLUP = PREFIXES + """SELECT ?maker ?year (SUM(?value) AS ?deliveries) WHERE {
  ?f a akg:Figure ; akg:subject ?model ; akg:measure <https://w3id.org/autokg/concept/measure/deliveries> ;
     akg:value ?value ; akg:periodStart ?start .
  ?model akg:manufacturer ?maker .
  BIND (YEAR(?start) AS ?year)
} GROUP BY ?maker ?year ORDER BY ?maker ?year"""


def _median_time(func: Callable[[], Any], repeat: int) -> tuple[float, Any]:
    result = func()  # warm-up
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        result = func()
        times.append(time.perf_counter() - start)
    return statistics.median(times), result


def _peak_mib() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _changed_model() -> str:
    """Turtle for one changed model: a new market and its first delivery date (a typical edit)."""
    return f"""@prefix akg: <{AKG}> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
<{MODEL}> akg:market <https://w3id.org/autokg/concept/market/FR> ;
    akg:firstDeliveryDate "2024-05"^^xsd:gYearMonth .
"""


def _target_classes(shapes) -> list[str]:
    from rdflib.namespace import SH

    return sorted({str(o) for o in shapes.objects(None, SH.targetClass)})


def _count_focus_query(classes: list[str]) -> str:
    values = " ".join(f"<{c}>" for c in classes)
    return ("PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>\n"
            f"SELECT (COUNT(DISTINCT ?x) AS ?n) WHERE {{ VALUES ?c {{ {values} }} ?x a/rdfs:subClassOf* ?c }}")


# The sides ------------------------------------------------------------------------------------

def side_autokg(graph: Path, repeat: int, workdir: Path) -> dict[str, Any]:
    import pyoxigraph as ox
    from rdflib import Graph

    from autokg.competition import direct_rivals
    from autokg.graph import KnowledgeGraph, bundled_paths
    from autokg.resources import shapes_files
    from autokg.graph import open_graph
    from autokg.validation import touched_nodes, validate

    out: dict[str, Any] = {}
    # Load, in memory, all or nothing (KnowledgeGraph.load: a parse check, then one transactional load).
    start = time.perf_counter()
    kg = KnowledgeGraph()
    kg.load([*bundled_paths(), graph])
    out["load_s"] = time.perf_counter() - start
    out["triples"] = len(kg)
    # Export to Turtle.
    start = time.perf_counter()
    kg.dump(workdir / "export.ttl", ox.RdfFormat.TURTLE)
    out["export_s"] = time.perf_counter() - start

    def questions(store: KnowledgeGraph, name: str) -> None:
        out[f"direct_rivals{name}_s"], rows = _median_time(lambda: direct_rivals(store, MODEL), repeat)
        out["direct_rivals_rows"] = len(rows)
        out[f"same_segment{name}_s"], rows = _median_time(lambda: store.select(SAME_SEGMENT, focus=MODEL), repeat)
        out["same_segment_rows"] = len(rows)
        out[f"lineage{name}_s"], rows = _median_time(lambda: store.select(LINEAGE, focus=MODEL), repeat)
        out["lineage_rows"] = len(rows)
        out[f"rollup{name}_s"], rows = _median_time(lambda: store.select(ROLLUP), max(1, repeat // 4))
        out["rollup_rows"] = len(rows)

    questions(kg, "")
    # Peak memory of the embedded in-memory store: loaded, exported and queried.
    out["peak_store_mib"] = _peak_mib()
    # Load into an on-disk store (autokg store load: parse check, then one transaction), and ask again.
    disk = workdir / "store"
    start = time.perf_counter()
    dkg = open_graph(store=disk, create=True)
    dkg.load([*bundled_paths(), graph])
    out["load_disk_s"] = time.perf_counter() - start
    questions(dkg, "_disk")
    dkg.close()
    # Validation: full, then one changed model.
    shapes = Graph()
    for path in shapes_files():
        shapes.parse(str(path), format="turtle")
    out["focus_nodes"] = int(kg.select(_count_focus_query(_target_classes(shapes)))[0]["n"])
    start = time.perf_counter()
    report = validate(kg, shapes=shapes, qc=False, inference="none")
    out["validate_full_s"] = time.perf_counter() - start
    out["validate_full_conforms"] = report.conforms
    out["validate_full_results"] = len(report.results)
    change = _changed_model()
    start = time.perf_counter()
    kg.load_turtle(change)
    nodes = touched_nodes(ox.parse(change, format=ox.RdfFormat.TURTLE))
    report = validate(kg, shapes=shapes, focus=nodes, qc=False)
    out["validate_one_s"] = time.perf_counter() - start
    out["validate_one_nodes"] = len(nodes)
    out["validate_one_conforms"] = report.conforms
    out["peak_mib"] = _peak_mib()
    return out


def side_rdflib(graph: Path, repeat: int, workdir: Path, sample: int) -> dict[str, Any]:
    import pyshacl
    from rdflib import Graph, URIRef

    from autokg.graph import KnowledgeGraph, bundled_paths
    from autokg.resources import shapes_files
    from autokg.sparql_lib import lib_query

    out: dict[str, Any] = {}
    start = time.perf_counter()
    g = Graph()
    for path in [*bundled_paths(), graph]:
        g.parse(str(path), format="nt" if path.suffix == ".nt" else "turtle")
    out["load_s"] = time.perf_counter() - start
    out["triples"] = len(g)
    start = time.perf_counter()
    g.serialize(str(workdir / "export-rdflib.ttl"), format="turtle")
    out["export_s"] = time.perf_counter() - start
    prologue = "".join(f"PREFIX {p}: <{iri}>\n" for p, iri in KnowledgeGraph.PREFIXES.items())
    # The query autokg's direct_rivals runs, with the model bound the same way.
    claims = prologue + lib_query("competition-claims-of")
    focus = {"focus": URIRef(MODEL)}
    reps = max(1, repeat // 4)
    out["direct_rivals_s"], rows = _median_time(lambda: list(g.query(claims, initBindings=focus)), reps)
    out["direct_rivals_rows"] = len(rows)
    out["same_segment_s"], rows = _median_time(lambda: list(g.query(SAME_SEGMENT, initBindings=focus)), reps)
    out["same_segment_rows"] = len(rows)
    out["lineage_s"], rows = _median_time(lambda: list(g.query(LINEAGE, initBindings=focus)), reps)
    out["lineage_rows"] = len(rows)
    out["rollup_s"], rows = _median_time(lambda: list(g.query(ROLLUP)), 1)
    out["rollup_rows"] = len(rows)
    shapes = Graph()
    for path in shapes_files():
        shapes.parse(str(path), format="turtle")
    # Full validation on a sample of focus nodes (every kind of node in proportion: models, claims,
    # figures, sources), as a rate.
    nodes = [URIRef(MODEL)]
    for cls in ("VehicleModel", "Variant", "PositioningClaim", "RivalryClaim", "ResemblanceClaim", "Figure",
                "NewsArticle", "Manufacturer"):
        instances = [s for s in g.subjects(URIRef("http://www.w3.org/1999/02/22-rdf-syntax-ns#type"),
                                           URIRef(AKG + cls)) if str(s).startswith(SYN)]
        nodes.extend(sorted(instances)[: max(1, sample // 8)])
    start = time.perf_counter()
    pyshacl.validate(g, shacl_graph=shapes, inference="none", inplace=True, focus_nodes=nodes)
    elapsed = time.perf_counter() - start
    out["validate_sample_nodes"] = len(nodes)
    out["validate_sample_s"] = elapsed
    start = time.perf_counter()
    g.parse(data=_changed_model(), format="turtle")
    changed = [URIRef(MODEL), URIRef("https://w3id.org/autokg/concept/market/FR")]
    pyshacl.validate(g, shacl_graph=shapes, inference="none", inplace=True, focus_nodes=changed)
    out["validate_one_s"] = time.perf_counter() - start
    out["peak_mib"] = _peak_mib()
    return out


def side_raw(graph: Path, repeat: int, workdir: Path) -> dict[str, Any]:
    """The limit: the same work by raw pyoxigraph, with the same SPARQL, values read into Python."""
    import pyoxigraph as ox

    from autokg.graph import KnowledgeGraph, bundled_paths
    from autokg.sparql_lib import lib_query

    prologue = "".join(f"PREFIX {p}: <{iri}>\n" for p, iri in KnowledgeGraph.PREFIXES.items())
    files = [*bundled_paths(), graph]
    claims = prologue + lib_query("competition-claims-of")  # the query of autokg's direct_rivals

    def fmt(path: Path) -> ox.RdfFormat:
        return ox.RdfFormat.N_TRIPLES if path.suffix == ".nt" else ox.RdfFormat.TURTLE

    out: dict[str, Any] = {}
    start = time.perf_counter()
    store = ox.Store()
    for path in files:
        store.load(path=str(path), format=fmt(path), base_iri=path.resolve().as_uri())
    out["load_s"] = time.perf_counter() - start
    out["triples"] = len(store)
    focus = {ox.Variable("focus"): ox.NamedNode(MODEL)}

    def rows(query: str, bindings: dict | None = None) -> list[tuple]:
        solutions = store.query(query, substitutions=bindings or {})
        names = [v.value for v in solutions.variables]
        return [tuple(s[n].value if s[n] is not None else None for n in names) for s in solutions]

    def questions(name: str) -> None:
        out[f"direct_rivals{name}_s"], found = _median_time(lambda: rows(claims, focus), repeat)
        out["direct_rivals_rows"] = len({r[0] for r in found})  # one row per claim and source: claims
        out[f"same_segment{name}_s"], found = _median_time(lambda: rows(SAME_SEGMENT, focus), repeat)
        out["same_segment_rows"] = len(found)
        out[f"lineage{name}_s"], found = _median_time(lambda: rows(LINEAGE, focus), repeat)
        out["lineage_rows"] = len(found)
        out[f"rollup{name}_s"], found = _median_time(lambda: rows(ROLLUP), max(1, repeat // 4))
        out["rollup_rows"] = len(found)

    questions("")
    out["peak_store_mib"] = _peak_mib()
    del store
    # On disk: pyoxigraph's fastest load (bulk_load, not transactional) into a new store: the
    # bundled graph's many small files in one bulk_extend (each bulk_load call has a fixed cost of
    # writing and ingesting its own index files), the synthetic file by the native bulk_load.
    start = time.perf_counter()
    store = ox.Store(str(workdir / "raw-store"))
    store.bulk_extend(q for path in files[:-1]
                      for q in ox.parse(path=str(path), format=fmt(path), base_iri=path.resolve().as_uri()))
    store.bulk_load(path=str(graph), format=fmt(graph), base_iri=graph.resolve().as_uri(), to_graph=ox.DefaultGraph())
    store.flush()
    out["load_disk_s"] = time.perf_counter() - start
    questions("_disk")
    out["peak_mib"] = _peak_mib()
    return out


def _peer_server(engine: str, workdir: Path):
    """Start a SPARQL server of one engine in ``workdir``: (autokg store URL, stop function), or None."""
    sys.path.insert(0, str(HERE.parent / "tests"))
    if engine == "oxigraph":
        from oxigraph_server import oxigraph_binary, start_server

        binary = oxigraph_binary()
        if binary is None:
            return None
        proc, url = start_server(binary, location=str(workdir / "oxigraph"))

        def stop() -> None:
            proc.terminate()
            proc.wait(timeout=30)

        return url, stop
    import virtuoso_server

    binary = virtuoso_server.virtuoso_binary()
    if binary is None:
        return None
    # 8 KiB buffers: about 2.3 GiB for a million-triple graph and its indexes in memory.
    server = virtuoso_server.start_server(binary, workdir / "virtuoso", buffers=300_000)
    return server.store_url(), lambda: virtuoso_server.stop_server(server)


def side_remote(graph: Path, repeat: int, workdir: Path, engine: str = "oxigraph") -> dict[str, Any]:
    """autokg on a SPARQL server over HTTP: load (one Graph Store request), questions, roll-up."""
    from autokg.competition import direct_rivals
    from autokg.graph import bundled_paths, open_graph

    started = _peer_server(engine, workdir)
    if started is None:
        return {"skipped": f"{engine} is not installed"}
    url, stop = started
    try:
        kg = open_graph(store=url)
        start = time.perf_counter()
        kg.load([*bundled_paths(), graph])
        out: dict[str, Any] = {"engine": engine, "load_s": time.perf_counter() - start, "triples": len(kg)}
        out["direct_rivals_s"], rows = _median_time(lambda: direct_rivals(kg, MODEL), repeat)
        out["direct_rivals_rows"] = len(rows)
        out["same_segment_s"], _ = _median_time(lambda: kg.select(SAME_SEGMENT, focus=MODEL), repeat)
        out["rollup_s"], rows = _median_time(lambda: kg.select(ROLLUP), max(1, repeat // 4))
        out["rollup_rows"] = len(rows)
        return out
    finally:
        stop()


def cold_start(repeat: int) -> dict[str, Any]:
    env = dict(os.environ, PYTHONPATH=str(HERE.parent / "src"))
    env.pop("AUTOKG_STORE", None)

    def timed(cmd: list[str]) -> float:
        times = []
        for _ in range(repeat):
            start = time.perf_counter()
            subprocess.run(cmd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=True)
            times.append(time.perf_counter() - start)
        return statistics.median(times)

    return {"autokg_s": timed([sys.executable, "-m", "autokg", "competitors", "Model Y"]),
            "import_rdflib_s": timed([sys.executable, "-c", "import rdflib"])}


# Orchestration --------------------------------------------------------------------------------

def _child(side: str, graph: Path, repeat: int, sample: int) -> dict[str, Any]:
    with tempfile.TemporaryDirectory(prefix=f"autokg-bench-{side}-") as tmp:
        cmd = [sys.executable, __file__, "--side", side, "--graph", str(graph), "--repeat", str(repeat),
               "--baseline-sample", str(sample), "--workdir", tmp]
        done = subprocess.run(cmd, capture_output=True, text=True)
        if done.returncode != 0:
            return {"error": done.stderr.strip().splitlines()[-1] if done.stderr.strip() else f"exit {done.returncode}"}
        return json.loads(done.stdout.strip().splitlines()[-1])


def _machine() -> str:
    cpu = platform.processor() or platform.machine()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    mem = ""
    try:
        kb = int(Path("/proc/meminfo").read_text().split()[1])
        mem = f", {kb / 1024 / 1024:.0f} GiB RAM"
    except (OSError, ValueError, IndexError):
        pass
    import pyoxigraph
    import pyshacl
    import rdflib

    return (f"{platform.system()} {platform.release()}, {cpu}, {os.cpu_count()} cores{mem}; Python "
            f"{platform.python_version()}, pyoxigraph {pyoxigraph.__version__}, rdflib {rdflib.__version__}, "
            f"pyshacl {pyshacl.__version__}")


def _fmt_s(seconds: float | None) -> str:
    if seconds is None:
        return "-"
    if seconds < 0.01:
        return f"{seconds * 1000:.2f} ms"
    if seconds < 1:
        return f"{seconds * 1000:.0f} ms"
    return f"{seconds:.2f} s"


def _table(results: dict[str, Any]) -> list[str]:
    a, r, c = results["autokg"], results.get("rdflib", {}), results["cold_start"]
    w = results.get("raw", {})
    n = a.get("triples") or r.get("triples")
    rows: list[tuple[str, ...]] = []

    def rate(count: float | None, seconds: float | None) -> float | None:
        return count / seconds if count and seconds else None

    def show(value: float | None, unit: str) -> str:
        if value is None:
            return "-"
        return _fmt_s(value) if unit == "s" else f"{value:,.0f} {unit}"

    def line(name, ours, theirs=None, raw=None, *, target="", met=None, unit="s"):
        # "x raw": autokg's cost over the raw engine's for the same work (1.0 is the limit).
        if unit == "s":
            vs_rdflib = f"{theirs / ours:.1f}x faster" if ours and theirs else "-"
            vs_raw = f"{ours / raw:.2f}x" if ours and raw else "-"
        else:
            vs_rdflib = f"{ours / theirs:.1f}x" if ours and theirs else "-"
            vs_raw = f"{raw / ours:.2f}x" if ours and raw else "-"
        verdict = "" if met is None else ("met" if met else "**missed**")
        rows.append((name, show(ours, unit), show(raw, unit), vs_raw, show(theirs, unit), vs_rdflib, target, verdict))

    la, lr, lw = rate(n, a.get("load_s")), rate(n, r.get("load_s")), rate(n, w.get("load_s"))
    line("load (in memory), triples/s", la, lr, lw, unit="t/s", target=">= 250,000",
         met=la is not None and la >= 250_000)
    ld, lwd = rate(n, a.get("load_disk_s")), rate(n, w.get("load_disk_s"))
    line("load (on-disk store), triples/s", ld, lr, lwd, unit="t/s", target=">= 250,000",
         met=ld is not None and ld >= 250_000)
    ea, er = rate(n, a.get("export_s")), rate(n, r.get("export_s"))
    line("export to Turtle, triples/s", ea, er, unit="t/s", target=">= 1,000,000",
         met=ea is not None and ea >= 1_000_000)
    for key, name, target, limit in (("direct_rivals", "direct rivals of one model", "< 1 ms", 0.001),
                                     ("same_segment", "same-segment rivals", "< 10 ms", 0.010),
                                     ("lineage", "lineage of one model", "", None),
                                     ("rollup", "roll-up: deliveries per maker and year", "< 0.5 s", 0.5)):
        ours = a.get(f"{key}_s")
        line(name, ours, r.get(f"{key}_s"), w.get(f"{key}_s"), target=target,
             met=None if limit is None else ours is not None and ours < limit)
        line("  (on-disk store)", a.get(f"{key}_disk_s"), r.get(f"{key}_s"), w.get(f"{key}_disk_s"))
    h = results.get("oxigraph", results.get("remote", {}))
    if h.get("direct_rivals_s") is not None:
        line("direct rivals over HTTP (Oxigraph server)", h["direct_rivals_s"], r.get("direct_rivals_s"),
             target="< 5 ms", met=h["direct_rivals_s"] < 0.005)
    va = rate(a.get("focus_nodes"), a.get("validate_full_s"))
    vr = rate(r.get("validate_sample_nodes"), r.get("validate_sample_s"))
    line("full validation, focus nodes/s", va, vr, unit="n/s", target=">= 15,000", met=va is not None and va >= 15_000)
    line("validation of one changed model", a.get("validate_one_s"), r.get("validate_one_s"), target="< 0.2 s",
         met=a.get("validate_one_s") is not None and a["validate_one_s"] < 0.2)
    rows.append(("peak memory, in-memory store loaded and queried (MiB)", f"{a.get('peak_store_mib', 0):,.0f}",
                 f"{w['peak_store_mib']:,.0f}" if w.get("peak_store_mib") else "-", "-",
                 f"{r['peak_mib']:,.0f} (all of its work)" if r.get("peak_mib") else "-", "-", "< 1,024",
                 "met" if a.get("peak_store_mib", 1e9) < 1024 else "**missed**"))
    rows.append(("peak memory, with on-disk store and validation (MiB)", f"{a.get('peak_mib', 0):,.0f}",
                 f"{w['peak_mib']:,.0f}" if w.get("peak_mib") else "-", "-",
                 f"{r['peak_mib']:,.0f}" if r.get("peak_mib") else "-", "-", "", ""))
    ratio = c["autokg_s"] / c["import_rdflib_s"]
    rows.append(("CLI cold start (`autokg competitors \"Model Y\"`)", _fmt_s(c["autokg_s"]), "-", "-",
                 _fmt_s(c["import_rdflib_s"]) + " (import rdflib)", f"{ratio:.2f}x import rdflib", "<= 1.5x",
                 "met" if ratio <= 1.5 else "**missed**"))
    out = ["| work | autokg | raw pyoxigraph | autokg / raw | rdflib baseline | vs rdflib | target | |",
           "|---|---:|---:|---:|---:|---:|---:|---|"]
    out += ["| " + " | ".join(row) + " |" for row in rows]
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--triples", type=int, default=100_000)
    parser.add_argument("--repeat", type=int, default=20, help="runs of each query (median)")
    parser.add_argument("--baseline-sample", type=int, default=200,
                        help="focus nodes for the rdflib baseline's validation rate")
    parser.add_argument("--remote", action="store_true",
                        help="also time the SPARQL servers over HTTP: Oxigraph server and Virtuoso (if installed)")
    parser.add_argument("--sizes", metavar="N,N,...",
                        help="run at each size (e.g. 100000,1000000,10000000) and write the growth table")
    parser.add_argument("--write", action="store_true", help="write bench/RESULTS.md")
    parser.add_argument("--growth-from-results", action="store_true",
                        help="write the growth table from the raw figures of the sizes already in bench/RESULTS.md")
    parser.add_argument("--keep", metavar="FILE", help="generate the graph into FILE (and keep it)")
    parser.add_argument("--side", choices=["autokg", "rdflib", "raw", "oxigraph", "virtuoso"], help=argparse.SUPPRESS)
    parser.add_argument("--graph", help=argparse.SUPPRESS)
    parser.add_argument("--workdir", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)

    if args.side:
        graph, workdir = Path(args.graph), Path(args.workdir)
        if args.side == "autokg":
            result = side_autokg(graph, args.repeat, workdir)
        elif args.side == "rdflib":
            result = side_rdflib(graph, args.repeat, workdir, args.baseline_sample)
        elif args.side == "raw":
            result = side_raw(graph, args.repeat, workdir)
        else:
            result = side_remote(graph, args.repeat, workdir, args.side)
        print(json.dumps(result))
        return 0

    if args.growth_from_results:  # sizes run one at a time (10M on demand), tabled together
        runs = _stored_runs()
        growth = _growth_table(runs)
        print("\n".join(growth))
        args.sizes = ",".join(str(r["generated"]) for r in runs)
        _write_growth(growth, runs, args)
        return 0
    sizes = [int(s) for s in args.sizes.split(",")] if args.sizes else [args.triples]
    runs = [run_size(n, args) for n in sizes]
    if len(runs) > 1:
        growth = _growth_table(runs)
        print("\n".join(["", "Growth with size:", "", *growth]))
        if args.write:
            _write_growth(growth, runs, args)
    return 0


#: Above this size the rdflib baseline is not run (at 10M triples it needs about 13 GiB and hours).
RDFLIB_LIMIT = 2_000_000


def run_size(triples: int, args: argparse.Namespace) -> dict[str, Any]:
    """Generate a graph of ``triples`` and time every side on it; print (and maybe write) the tables."""
    from generate import generate

    tmp = tempfile.mkdtemp(prefix="autokg-bench-")
    try:
        graph = Path(args.keep) if args.keep else Path(tmp) / f"synthetic-{triples}.nt"
        start = time.perf_counter()
        n = generate(graph, triples)
        print(f"generated {n:,} triples in {time.perf_counter() - start:.1f} s: {graph}", file=sys.stderr)
        results: dict[str, Any] = {"generated": n}
        sides = ["autokg", "raw", *(["rdflib"] if triples <= RDFLIB_LIMIT else [])]
        sides += ["oxigraph", "virtuoso"] if args.remote else []
        for side in sides:
            print(f"running {side} ...", file=sys.stderr)
            results[side] = _child(side, graph, args.repeat, args.baseline_sample)
            print(json.dumps(results[side]), file=sys.stderr)
        results["cold_start"] = cold_start(5)
        table = _table(results) + ([""] + _peers_table(results) if args.remote else [])
        machine = _machine()
        print("\n".join([f"{n:,} synthetic triples (+ bundled graph: {results['autokg'].get('triples', 0):,} in all); "
                         f"{machine}", "", *table]))
        if args.write:
            _write_results(results, table, machine, args, triples)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    return results


#: The growth table's lines: (name, side, key, kind). A "rate" should stay flat with size, a
#: "look-up" should cost the same at any size, a "scan" may grow with the data.
_GROWTH = [
    ("load (in memory), triples/s", "autokg", "load_s", "rate"),
    ("load (on-disk store), triples/s", "autokg", "load_disk_s", "rate"),
    ("  raw pyoxigraph bulk_load on disk, triples/s", "raw", "load_disk_s", "rate"),
    ("direct rivals of one model", "autokg", "direct_rivals_s", "look-up"),
    ("  (on-disk store)", "autokg", "direct_rivals_disk_s", "look-up"),
    ("same-segment rivals", "autokg", "same_segment_s", "look-up"),
    ("  (on-disk store)", "autokg", "same_segment_disk_s", "look-up"),
    ("lineage of one model", "autokg", "lineage_s", "look-up"),
    ("  (on-disk store)", "autokg", "lineage_disk_s", "look-up"),
    ("roll-up: deliveries per maker and year", "autokg", "rollup_s", "scan"),
    ("  (on-disk store)", "autokg", "rollup_disk_s", "scan"),
    ("  raw pyoxigraph, on disk", "raw", "rollup_disk_s", "scan"),
    ("full validation, focus nodes/s", "autokg", "validate_full_s", "node-rate"),
    ("validation of one changed model", "autokg", "validate_one_s", "look-up"),
    ("peak memory, on-disk store and validation (MiB)", "autokg", "peak_mib", "memory"),
]


def _growth_value(run: dict[str, Any], side: str, key: str, kind: str) -> float | None:
    value = run.get(side, {}).get(key)
    if value is None:
        return None
    if kind == "rate":
        return run[side].get("triples", 0) / value if value else None
    if kind == "node-rate":
        return run[side].get("focus_nodes", 0) / value if value else None
    return value


def _growth_table(runs: list[dict[str, Any]]) -> list[str]:
    """Cost against size for each line, and whether it grows as it should."""
    sizes = [r["autokg"].get("triples") or r["generated"] for r in runs]
    out = ["| work | " + " | ".join(f"{s:,} triples" for s in sizes) + " | growth, smallest to largest | |",
           "|---|" + "---:|" * len(sizes) + "---|---|"]
    data_growth = sizes[-1] / sizes[0]
    for name, side, key, kind in _GROWTH:
        values = [_growth_value(r, side, key, kind) for r in runs]
        cells = []
        for v in values:
            if v is None:
                cells.append("-")
            elif kind in ("rate", "node-rate"):
                cells.append(f"{v:,.0f}/s")
            elif kind == "memory":
                cells.append(f"{v:,.0f}")
            else:
                cells.append(_fmt_s(v))
        verdict = ""
        first, last = values[0], values[-1]
        if first and last:
            if kind in ("rate", "node-rate"):
                change = first / last  # cost per item grows by this
                verdict = "flat" if change < 1.5 else f"**{change:.1f}x the cost per item**"
                growth = f"{last / first:.2f}x the rate"
            elif kind == "look-up":
                verdict = "flat" if last / first < 2 else "**grows with the data**"
                growth = f"{last / first:.1f}x"
            elif kind == "scan":
                verdict = "linear or better" if last / first <= data_growth * 1.5 else "**worse than linear**"
                growth = f"{last / first:.1f}x for {data_growth:.0f}x the data"
            else:
                growth = f"{last / first:.1f}x"
        else:
            growth = "-"
        out.append(f"| {name} | " + " | ".join(cells) + f" | {growth} | {verdict} |")
    return out


def _peers_table(results: dict[str, Any]) -> list[str]:
    """Oxigraph server and Virtuoso side by side, both driven by autokg over HTTP."""
    ox_, vt = results.get("oxigraph", {}), results.get("virtuoso", {})

    def cell(side: dict[str, Any], key: str, rate: bool = False) -> str:
        if "skipped" in side or "error" in side:
            return side.get("skipped") or side.get("error", "-")
        value = side.get(key)
        if value is None:
            return "-"
        return f"{side.get('triples', 0) / value:,.0f} t/s" if rate else _fmt_s(value)

    rows = [("load (one Graph Store request), triples/s", "load_s", True),
            ("direct rivals of one model", "direct_rivals_s", False),
            ("same-segment rivals", "same_segment_s", False),
            ("roll-up: deliveries per maker and year", "rollup_s", False)]
    out = ["| over HTTP (autokg as the client) | Oxigraph server | Virtuoso |", "|---|---:|---:|"]
    out += [f"| {name} | {cell(ox_, key, rate)} | {cell(vt, key, rate)} |" for name, key, rate in rows]
    return out


def _command(args: argparse.Namespace, triples: int | None = None) -> str:
    size = f"--sizes {args.sizes}" if args.sizes and triples is None else f"--triples {triples or args.triples}"
    return f"python bench/run.py {size}{' --remote' if args.remote else ''} --write"


def _stored_runs() -> list[dict[str, Any]]:
    """The raw figures of each size's section of bench/RESULTS.md, smallest first."""
    text = (HERE / "RESULTS.md").read_text()
    runs = [json.loads(block.split("```", 1)[0]) for block in text.split("```json\n")[1:]]
    return sorted((r for r in runs if "autokg" in r), key=lambda r: r["generated"])


def _replace_section(marker: str, section: list[str]) -> None:
    """Put ``section`` into bench/RESULTS.md in place of the one under the same heading, or at the end."""
    path = HERE / "RESULTS.md"
    text = path.read_text() if path.exists() else "# Benchmark results\n\n"
    if marker in text:
        head, _, rest = text.partition(marker)
        tail = rest.split("\n## ", 1)
        text = head + "\n".join(section) + ("\n## " + tail[1] if len(tail) > 1 else "")
    else:
        text = text.rstrip("\n") + "\n\n" + "\n".join(section)
    path.write_text(text)
    print(f"wrote {path}", file=sys.stderr)


def _write_results(results: dict[str, Any], table: list[str], machine: str, args: argparse.Namespace,
                   triples: int) -> None:
    marker = f"## {results['generated']:,} synthetic triples"
    section = [f"{marker} ({time.strftime('%Y-%m-%d')})", "",
               f"Machine: {machine}.", "",
               f"Command: `{_command(args, triples)}`; "
               f"all {results['autokg'].get('triples', 0):,} triples (bundled graph + synthetic) loaded.", "",
               *table, "", "<details><summary>raw figures</summary>", "", "```json",
               json.dumps(results, indent=1), "```", "", "</details>", ""]
    _replace_section(marker, section)


def _write_growth(growth: list[str], runs: list[dict[str, Any]], args: argparse.Namespace) -> None:
    marker = "## Growth with size"
    section = [f"{marker} ({time.strftime('%Y-%m-%d')})", "", f"Command: `{_command(args)}`; machine: {_machine()}.",
               "", *growth, ""]
    _replace_section(marker, section)


if __name__ == "__main__":
    sys.exit(main())
