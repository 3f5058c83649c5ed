"""Benchmark the importers end to end on the shared real datasets.

For each file: parse, resolve, build, validate (SHACL) and write, as ``autokg import`` does,
reporting rows per second and the peak memory (max RSS) of the process doing it; beside it, in
the same run, plain ``csv`` parsing of the same file (for Open EV Data: reading every JSON
file) as the baseline. Each import runs in a fresh subprocess so that its peak memory is its own.

    python bench/bench_import.py                 # all three, the shared folder beside the repo
    python bench/bench_import.py --data DIR --only catalog
    python bench/bench_import.py --scale 100000 1000000   # sales peak memory against the rows

``--scale`` writes sales tables of N rows (the shared table's 96 maker/model pairs x 50 source
URLs x N/4800 months, so that makers, models and sources stay fixed and only rows grow) and
measures, each in a fresh process: the baseline (load the graph and parse the CSV with ``csv``),
``autokg import sales -o`` as the CLI runs it (streamed into the atomic writer), and at the
smallest N the collecting library call (``import_sales``, every triple in a list) for contrast.
"""

from __future__ import annotations

import argparse
import csv
import json
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
DEFAULT_DATA = REPO.parent / "shared" / "data"
FILES = {
    "sales": "cn-bev-sales-monthly.csv",
    "catalog": "epa-vehicles-1984-2015.csv",
    "open-ev-data": "open-ev-data",
}


def baseline(kind: str, path: Path) -> tuple[int, float]:
    """Rows read by plain parsing, and the seconds it took."""
    start = time.perf_counter()
    if kind == "open-ev-data":
        rows = sum(1 for p in (path / "src").rglob("*.json") if json.loads(p.read_text(encoding="utf-8")) is not None)
    else:
        with open(path, encoding="utf-8", newline="") as f:
            rows = sum(1 for _ in csv.reader(f)) - 1
    return rows, time.perf_counter() - start


def one(kind: str, path: Path) -> dict:
    """Import one file end to end in this process; return timings and peak memory."""
    sys.path.insert(0, str(REPO / "src"))
    from autokg.graph import load
    from autokg.importers import import_catalog, import_open_ev_data, import_sales, write_turtle

    start = time.perf_counter()
    kg = load()
    loaded = time.perf_counter()
    if kind == "sales":
        result = import_sales(kg, path, market="CN", create=True)
    elif kind == "catalog":
        result = import_catalog(kg, path, create=True, license="CC0-1.0")
    else:
        result = import_open_ev_data(kg, path, create=True)
    imported = time.perf_counter()
    with tempfile.TemporaryDirectory() as tmp:
        written = write_turtle(Path(tmp) / "out.ttl", result.triples)
    end = time.perf_counter()
    return {
        "rows": result.report.rows, "invalid": len(result.report.invalid), "triples": written,
        "load_graph_s": loaded - start, "import_s": imported - loaded, "write_s": end - imported,
        "total_s": end - start, "peak_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
    }


def sales_table(path: Path, rows: int, data: Path) -> None:
    """A sales table of ``rows`` rows, each a distinct (model, month, source): fixed names and URLs."""
    with open(data / FILES["sales"], encoding="utf-8", newline="") as f:
        pairs = sorted({(r["brand"], r["model"]) for r in csv.DictReader(f) if r["brand"] != "other" and r["model"]})
    urls = [f"https://tracker.example.org/{i:02d}/china-monthly-sales.html" for i in range(50)]
    with open(path, "w", encoding="utf-8", newline="") as f:
        out = csv.writer(f)
        out.writerow(["month", "brand", "model", "units", "source_url"])
        n = 0
        for month in range(rows // (len(pairs) * len(urls)) + 1):
            y, m = 1900 + month // 12, month % 12 + 1
            for url in urls:
                for brand, model in pairs:
                    if n == rows:
                        return
                    out.writerow([f"{y:04d}-{m:02d}", brand, model, 100 + n % 9000, url])
                    n += 1


def scale_one(mode: str, path: Path) -> dict:
    """One measurement of a sales table in this process: baseline, stream (the CLI's path) or collect."""
    sys.path.insert(0, str(REPO / "src"))
    from autokg.graph import load

    start = time.perf_counter()
    kg = load()
    len(kg)  # the graph is loaded on first use: the baseline holds it too
    report = None
    if mode == "baseline":
        with open(path, encoding="utf-8", newline="") as f:
            rows = sum(1 for _ in csv.reader(f)) - 1
    else:
        from autokg.importers.sales import import_sales, stream_sales
        from autokg.importers.stream import write_stream
        from autokg.outputs import write_atomically

        with tempfile.TemporaryDirectory() as tmp:
            if mode == "stream":
                stream = stream_sales(kg, path, market="CN", create=True)
                write_atomically(Path(tmp) / "out.ttl", lambda handle: write_stream(handle, stream.triples))
                report = stream.report
            else:
                result = import_sales(kg, path, market="CN", create=True)
                write_atomically(Path(tmp) / "out.ttl", result.to_turtle())
                report = result.report
        rows = report.rows
    return {"mode": mode, "rows": rows, "seconds": time.perf_counter() - start, "cpu_s": time.process_time(),
            "invalid": len(report.invalid) if report else 0, "triples": report.triples if report else 0,
            "peak_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}


def scale(sizes: list[int], data: Path) -> None:
    print(f"{'rows':>9} {'mode':<9} {'seconds':>8} {'cpu s':>7} {'triples':>10} {'peak MB':>8} {'x baseline':>10} {'KB/row over baseline':>21}")
    results = []
    with tempfile.TemporaryDirectory() as tmp:
        for n in sizes:
            table = Path(tmp) / f"sales-{n}.csv"
            sales_table(table, n, data)
            modes = ["baseline", "stream"] + (["collect"] if n == min(sizes) else [])
            base = None
            for mode in modes:
                out = subprocess.run([sys.executable, __file__, "--scale-one", mode, str(table)],
                                     check=True, capture_output=True, text=True)
                r = json.loads(out.stdout.strip().splitlines()[-1])
                base = base or r
                over = (r["peak_rss_mb"] - base["peak_rss_mb"]) * 1024 / n
                print(f"{n:>9} {mode:<9} {r['seconds']:>8.1f} {r['cpu_s']:>7.1f} {r['triples']:>10} {r['peak_rss_mb']:>8.0f} "
                      f"{r['peak_rss_mb'] / base['peak_rss_mb']:>10.2f} {over:>21.3f}", flush=True)
                results.append(r | {"table_rows": n})
            table.unlink()
    print(json.dumps(results))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA, help="the shared data folder")
    parser.add_argument("--only", choices=list(FILES), action="append")
    parser.add_argument("--one", choices=list(FILES), help=argparse.SUPPRESS)
    parser.add_argument("--scale", type=int, nargs="+", metavar="ROWS",
                        help="sales tables of these many rows: peak memory against the rows")
    parser.add_argument("--scale-one", nargs=2, metavar=("MODE", "CSV"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.scale_one:
        print(json.dumps(scale_one(args.scale_one[0], Path(args.scale_one[1]))))
        return
    if args.scale:
        scale(args.scale, args.data)
        return
    if args.one:
        print(json.dumps(one(args.one, args.data / FILES[args.one])))
        return
    if not args.data.is_dir():
        sys.exit(f"{args.data}: no shared data folder")
    print(f"{'source':<14} {'rows':>7} {'baseline rows/s':>16} {'import rows/s':>14} {'total s':>8} "
          f"{'(import s)':>10} {'triples':>8} {'peak MB':>8}")
    for kind in args.only or list(FILES):
        path = args.data / FILES[kind]
        rows, seconds = baseline(kind, path)
        out = subprocess.run([sys.executable, __file__, "--one", kind, "--data", str(args.data)],
                             check=True, capture_output=True, text=True)
        r = json.loads(out.stdout.strip().splitlines()[-1])
        print(f"{kind:<14} {r['rows']:>7} {rows / seconds:>16,.0f} {r['rows'] / r['total_s']:>14,.0f} "
              f"{r['total_s']:>8.1f} {r['import_s']:>10.1f} {r['triples']:>8} {r['peak_rss_mb']:>8.0f}")


if __name__ == "__main__":
    main()
