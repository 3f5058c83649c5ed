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

    from autokg import competition
    from autokg.graph import KnowledgeGraph, bundled_paths
    from autokg.resources import shapes_files

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
    claims = prologue + (getattr(competition, "_CLAIMS_OF_QUERY", None)
                         or competition._CLAIMS_QUERY % "FILTER(?subject = ?focus || ?other = ?focus)")
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


def side_remote(graph: Path, repeat: int, workdir: Path) -> dict[str, Any]:
    sys.path.insert(0, str(HERE.parent / "tests"))
    from oxigraph_server import oxigraph_binary, start_server

    from autokg.competition import direct_rivals
    from autokg.graph import bundled_paths
    from autokg.graph import open_graph

    binary = oxigraph_binary()
    if binary is None:
        return {"skipped": "oxigraph server not installed (pip install oxigraph)"}
    proc, url = start_server(binary, location=str(workdir / "server"))
    try:
        kg = open_graph(store=url)
        start = time.perf_counter()
        kg.load([*bundled_paths(), graph])
        out: dict[str, Any] = {"load_s": time.perf_counter() - start, "triples": len(kg)}
        out["direct_rivals_s"], rows = _median_time(lambda: direct_rivals(kg, MODEL), repeat)
        out["direct_rivals_rows"] = len(rows)
        out["same_segment_s"], _ = _median_time(lambda: kg.select(SAME_SEGMENT, focus=MODEL), repeat)
        out["rollup_s"], _ = _median_time(lambda: kg.select(ROLLUP), max(1, repeat // 4))
        return out
    finally:
        proc.terminate()
        proc.wait(timeout=30)


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
    a, r, h, c = results["autokg"], results["rdflib"], results.get("remote", {}), results["cold_start"]
    n = a.get("triples") or r.get("triples")
    rows: list[tuple[str, str, str, str, str, str]] = []

    def rate(count: float | None, seconds: float | None) -> float | None:
        return count / seconds if count and seconds else None

    def line(name, ours, theirs, *, target="", met=None, unit="s", higher_better=False):
        if unit == "s":
            ours_s, theirs_s = _fmt_s(ours), _fmt_s(theirs)
            ratio = f"{theirs / ours:.1f}x faster" if ours and theirs else "-"
        else:
            ours_s = f"{ours:,.0f} {unit}" if ours else "-"
            theirs_s = f"{theirs:,.0f} {unit}" if theirs else "-"
            ratio = (f"{ours / theirs:.1f}x" if higher_better else f"{theirs / ours:.1f}x") if ours and theirs else "-"
        verdict = "" if met is None else ("met" if met else "**missed**")
        rows.append((name, ours_s, theirs_s, ratio, target, verdict))

    la, lr = rate(n, a.get("load_s")), rate(n, r.get("load_s"))
    line("load (in memory), triples/s", la, lr, unit="t/s", higher_better=True, target=">= 250,000",
         met=la is not None and la >= 250_000)
    ld = rate(n, a.get("load_disk_s"))
    line("load (on-disk store), triples/s", ld, lr, unit="t/s", higher_better=True, target=">= 250,000",
         met=ld is not None and ld >= 250_000)
    ea, er = rate(n, a.get("export_s")), rate(n, r.get("export_s"))
    line("export to Turtle, triples/s", ea, er, unit="t/s", higher_better=True, target=">= 1,000,000",
         met=ea is not None and ea >= 1_000_000)
    line("direct rivals of one model", a.get("direct_rivals_s"), r.get("direct_rivals_s"), target="< 1 ms",
         met=a.get("direct_rivals_s") is not None and a["direct_rivals_s"] < 0.001)
    line("  (on-disk store)", a.get("direct_rivals_disk_s"), r.get("direct_rivals_s"))
    if h.get("direct_rivals_s") is not None:
        line("  (over HTTP, Oxigraph server)", h.get("direct_rivals_s"), r.get("direct_rivals_s"), target="< 5 ms",
             met=h["direct_rivals_s"] < 0.005)
    line("same-segment rivals", a.get("same_segment_s"), r.get("same_segment_s"), target="< 10 ms",
         met=a.get("same_segment_s") is not None and a["same_segment_s"] < 0.010)
    line("  (on-disk store)", a.get("same_segment_disk_s"), r.get("same_segment_s"))
    line("lineage of one model", a.get("lineage_s"), r.get("lineage_s"))
    line("  (on-disk store)", a.get("lineage_disk_s"), r.get("lineage_s"))
    line("roll-up: deliveries per maker and year", a.get("rollup_s"), r.get("rollup_s"), target="< 0.5 s",
         met=a.get("rollup_s") is not None and a["rollup_s"] < 0.5)
    line("  (on-disk store)", a.get("rollup_disk_s"), r.get("rollup_s"))
    va = rate(a.get("focus_nodes"), a.get("validate_full_s"))
    vr = rate(r.get("validate_sample_nodes"), r.get("validate_sample_s"))
    line("full validation, focus nodes/s", va, vr, unit="n/s", higher_better=True, target=">= 4,000",
         met=va is not None and va >= 4000)
    line("validation of one changed model", a.get("validate_one_s"), r.get("validate_one_s"), target="< 0.5 s",
         met=a.get("validate_one_s") is not None and a["validate_one_s"] < 0.5)
    rows.append(("peak memory, in-memory store loaded and queried (MiB)", f"{a.get('peak_store_mib', 0):,.0f}",
                 f"{r.get('peak_mib', 0):,.0f} (all of its work)",
                 f"{r['peak_mib'] / a['peak_store_mib']:.1f}x less" if a.get("peak_store_mib") and r.get("peak_mib")
                 else "-", "< 1,024", "met" if a.get("peak_store_mib", 1e9) < 1024 else "**missed**"))
    rows.append(("peak memory, with on-disk store and validation (MiB)", f"{a.get('peak_mib', 0):,.0f}",
                 f"{r.get('peak_mib', 0):,.0f}", "-", "", ""))
    ratio = c["autokg_s"] / c["import_rdflib_s"]
    rows.append(("CLI cold start (`autokg competitors \"Model Y\"`)", _fmt_s(c["autokg_s"]),
                 _fmt_s(c["import_rdflib_s"]) + " (import rdflib)", f"{ratio:.2f}x import rdflib", "<= 1.5x",
                 "met" if ratio <= 1.5 else "**missed**"))
    out = ["| work | autokg | rdflib baseline | ratio | target | |", "|---|---:|---:|---:|---:|---|"]
    out += ["| " + " | ".join(row) + " |" for row in rows]
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--triples", type=int, default=100_000)
    parser.add_argument("--repeat", type=int, default=20, help="runs of each query (median)")
    parser.add_argument("--baseline-sample", type=int, default=200,
                        help="focus nodes for the rdflib baseline's validation rate")
    parser.add_argument("--remote", action="store_true", help="also time an Oxigraph server over HTTP")
    parser.add_argument("--write", action="store_true", help="write bench/RESULTS.md")
    parser.add_argument("--keep", metavar="FILE", help="generate the graph into FILE (and keep it)")
    parser.add_argument("--side", choices=["autokg", "rdflib", "remote"], help=argparse.SUPPRESS)
    parser.add_argument("--graph", help=argparse.SUPPRESS)
    parser.add_argument("--workdir", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)

    if args.side:
        graph, workdir = Path(args.graph), Path(args.workdir)
        if args.side == "autokg":
            result = side_autokg(graph, args.repeat, workdir)
        elif args.side == "rdflib":
            result = side_rdflib(graph, args.repeat, workdir, args.baseline_sample)
        else:
            result = side_remote(graph, args.repeat, workdir)
        print(json.dumps(result))
        return 0

    from generate import generate

    tmp = tempfile.mkdtemp(prefix="autokg-bench-")
    try:
        graph = Path(args.keep) if args.keep else Path(tmp) / f"synthetic-{args.triples}.nt"
        start = time.perf_counter()
        n = generate(graph, args.triples)
        print(f"generated {n:,} triples in {time.perf_counter() - start:.1f} s: {graph}", file=sys.stderr)
        results: dict[str, Any] = {"generated": n}
        for side in ("autokg", "rdflib", *(("remote",) if args.remote else ())):
            print(f"running {side} ...", file=sys.stderr)
            results[side] = _child(side, graph, args.repeat, args.baseline_sample)
            print(json.dumps(results[side]), file=sys.stderr)
        results["cold_start"] = cold_start(5)
        table = _table(results)
        machine = _machine()
        print("\n".join([f"{n:,} synthetic triples (+ bundled graph: {results['autokg'].get('triples', 0):,} in all); "
                         f"{machine}", "", *table]))
        if args.write:
            _write_results(results, table, machine, args)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    return 0


def _write_results(results: dict[str, Any], table: list[str], machine: str, args: argparse.Namespace) -> None:
    path = HERE / "RESULTS.md"
    section = [f"## {results['generated']:,} synthetic triples ({time.strftime('%Y-%m-%d')})", "",
               f"Machine: {machine}.", "",
               f"Command: `python bench/run.py --triples {args.triples}{' --remote' if args.remote else ''} --write`; "
               f"all {results['autokg'].get('triples', 0):,} triples (bundled graph + synthetic) loaded.", "",
               *table, "", "<details><summary>raw figures</summary>", "", "```json",
               json.dumps(results, indent=1), "```", "", "</details>", ""]
    text = path.read_text() if path.exists() else "# Benchmark results\n\n"
    marker = f"## {results['generated']:,} synthetic triples"
    if marker in text:  # replace the earlier run of the same size
        head, _, rest = text.partition(marker)
        tail = rest.split("\n## ", 1)
        text = head + "\n".join(section) + ("\n## " + tail[1] if len(tail) > 1 else "")
    else:
        text = text.rstrip("\n") + "\n\n" + "\n".join(section)
    path.write_text(text)
    print(f"wrote {path}", file=sys.stderr)


if __name__ == "__main__":
    sys.exit(main())
