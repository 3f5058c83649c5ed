"""Benchmark the analyst answers (one line per command) on the generated graph.

    python bench/answers.py --triples 1000000            # prints a table
    python bench/answers.py --triples 1000000 --write    # and writes bench/ANSWERS.md

The graph is the bundled graph, the synthetic graph of bench/generate.py and, when
``../shared/data/cn-bev-sales-monthly.csv`` is there, that sales table imported (for ``share``).
Each line times the library call the command makes (the command's whole answer document,
ranking included), the median of ``--repeat`` runs after a warm-up, against the raw
pyoxigraph query at its core (the limit: what the store alone takes to find the same claims).
The target is under 0.5 s for every answer.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
sys.path.insert(1, str(HERE.parent / "src"))

ID = "https://w3id.org/autokg/id/"
SYN = ID + "synthetic/"
MARKET = "https://w3id.org/autokg/concept/market/"
TARGET_S = 0.5
SALES_TABLE = HERE.parent.parent / "shared" / "data" / "cn-bev-sales-monthly.csv"


def _median(func: Callable[[], Any], repeat: int) -> float:
    func()
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        func()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def _lines(kg: Any, repeat: int) -> list[tuple[str, float, float | None]]:
    from autokg import changes, compare, finder, launches, rivals, series, share, targets
    from autokg.concepts import ConceptIndex
    from autokg.figures import kind_measures
    from autokg.markets import MarketIndex
    from autokg.sparql_lib import lib_query

    markets = MarketIndex(kg)
    suv = ConceptIndex(kg, "BodyStyleScheme").resolve("SUV")
    maker = [{"iri": SYN + "maker-0000", "label": "Synth Maker 0000"}]
    work = [
        ('competitors "Model Y"', lambda: rivals.competitors_document(kg, ID + "tesla-model-y"),
         lambda: kg.select(lib_query("rival-claims"), focus=ID + "tesla-model-y")),
        ("competitors (synthetic model, --max-price)",
         lambda: rivals.competitors_document(kg, SYN + "model-0000-004", max_price=300000, currency="CNY"),
         lambda: kg.select(lib_query("rival-claims"), focus=SYN + "model-0000-004")),
        ("figures (synthetic maker, 720 figures) --by year",
         lambda: series.figures_document(kg, maker, kinds=kind_measures(kg), by="year"),
         lambda: kg.select(lib_query("figures-of"), focus=maker[0]["iri"])),
        ("figures BYD Leapmotor --by quarter",
         lambda: series.figures_document(kg, [{"iri": ID + "byd", "label": "BYD"},
                                              {"iri": ID + "leapmotor", "label": "Leapmotor"}], kinds=kind_measures(kg),
                                         by="quarter"),
         lambda: kg.select(lib_query("figures-of"), focus=ID + "byd")),
        ("targets --year 2025", lambda: targets.targets_document(kg, year=2025, markets=markets),
         lambda: kg.select(lib_query("targets-all"))),
        ("launches --year 2026", lambda: launches.launches_document(kg, year=2026),
         lambda: kg.select(lib_query("plans-all"))),
        ("entries --market Europe",
         lambda: launches.entries_document(kg, market=MARKET + "europe", markets=markets),
         lambda: kg.select(lib_query("plans-all"))),
        ("models --body suv", lambda: finder.find_models(kg, finder.ModelQuery(body=suv), markets=markets),
         lambda: kg.select(lib_query("model-facts"))),
        ('compare "Model Y" YU7', lambda: compare.compare_document(kg, [ID + "tesla-model-y", ID + "xiaomi-yu7"]),
         lambda: kg.select(lib_query("figures-of"), focus=ID + "tesla-model-y")),
        ("share Tesla --market CN --year 2025",
         lambda: share.share_document(kg, ID + "tesla", market=MARKET + "CN", year=2025),
         lambda: kg.select(lib_query("market-figures"), market=MARKET + "CN")),
        ("changes --since 2026-01-02", lambda: changes.changes_document(kg, "2026-01-02"),
         lambda: kg.select(lib_query("claims-since"), since="2026-01-02")),
    ]
    return [(name, _median(answer, repeat), _median(raw, repeat)) for name, answer, raw in work]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--triples", type=int, default=100_000)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--graph", help="use this generated graph instead of generating one")
    parser.add_argument("--write", action="store_true", help="write bench/ANSWERS.md")
    parser.add_argument("--sales", type=Path, default=SALES_TABLE, help="a sales table to import for share")
    args = parser.parse_args(argv)

    from generate import generate

    from autokg.graph import load

    with tempfile.TemporaryDirectory(prefix="autokg-answers-") as tmp:
        graph = Path(args.graph) if args.graph else Path(tmp) / "synthetic.nt"
        if not args.graph:
            generate(graph, args.triples)
        files = [graph]
        if args.sales and args.sales.is_file():
            from autokg.importers import import_sales

            sales = Path(tmp) / "cn-sales.ttl"
            result = import_sales(load(), args.sales, market="CN", create=True)
            sales.write_bytes(result.to_turtle())
            files.append(sales)
        kg = load(data=files)
        lines = _lines(kg, args.repeat)
    table = ["| command | answer | raw pyoxigraph (core query) | target | |", "|---|---:|---:|---:|---|"]
    for name, answer, raw in lines:
        met = "met" if answer < TARGET_S else "**missed**"
        table.append(f"| `{name}` | {answer * 1000:.1f} ms | {raw * 1000:.1f} ms | < {TARGET_S * 1000:.0f} ms | {met} |")
    head = f"{len(kg):,} triples (bundled + synthetic{' + China sales table' if len(files) > 1 else ''})"
    print(head)
    print("\n".join(table))
    if args.write:
        text = ["# Benchmark: the analyst answers", "", f"Produced by `python bench/answers.py --triples {args.triples} "
                "--write` (see its docstring).", "", f"## {head} ({time.strftime('%Y-%m-%d')})", "", *table, ""]
        (HERE / "ANSWERS.md").write_text("\n".join(text), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
