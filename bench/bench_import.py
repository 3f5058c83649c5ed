"""Benchmark the importers end to end on the shared real datasets.

For each file: parse, resolve, build, validate (SHACL) and write, as ``autokg import`` does,
reporting rows per second and the peak memory (max RSS) of the process doing it; beside it, in
the same run, plain ``csv`` parsing of the same file (for Open EV Data: reading every JSON
file) as the baseline. Each import runs in a fresh subprocess so that its peak memory is its own.

    python bench/bench_import.py                 # all three, the shared folder beside the repo
    python bench/bench_import.py --data DIR --only catalog
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


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA, help="the shared data folder")
    parser.add_argument("--only", choices=list(FILES), action="append")
    parser.add_argument("--one", choices=list(FILES), help=argparse.SUPPRESS)
    args = parser.parse_args()
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
