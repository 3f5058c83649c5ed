"""Quality and speed of `autokg ingest` on labelled articles.

Every article under the folder (default tests/data/articles) with a NAME.gold.json beside it is
read, its candidates are compared with the gold facts, and precision, recall and F1 are reported
per kind of fact, for the seed article and for the rest apart. A fact matches on kind, subject,
value, bound and period (a rivalry in either direction). Speed is articles per second of the
extractor (reading included, graph loading not), with reading and sentence splitting alone as the
baseline measured in the same run.

    python bench/ingest_eval.py [FOLDER] [--verbose] [--repeat N] [--json]
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from collections import Counter
from pathlib import Path

from autokg.graph import load
from autokg.vocab import ID
from autokg.ingest.extract import Extractor
from autokg.ingest.model import KINDS
from autokg.ingest.reader import read_article
from autokg.ingest.text import sentences
from autokg.names import normalize

HERE = Path(__file__).resolve().parent
DEFAULT = HERE.parent / "tests" / "data" / "articles"
SEED_PREFIX = "seed-"


def _entity(x):
    if not isinstance(x, str):
        return x
    if x.startswith("id:"):
        return str(ID) + x[3:]
    if x.startswith("new:"):
        return "new:" + normalize(x[4:])
    return x


def _value(kind: str, value):
    if kind in ("figure", "target"):
        if isinstance(value, (list, tuple)):
            return tuple(float(v) for v in value)
        return float(value) if value is not None else None
    if kind == "market-entry":
        return frozenset(str(value).split())
    return _entity(value)


def fact_key(fact: dict) -> tuple:
    """What a fact is matched on: kind, subject, value, bound, period."""
    kind = fact["kind"]
    subject, value = _entity(fact["subject"]), _value(kind, fact.get("value"))
    bound = fact.get("bound") if kind in ("figure", "target", "competition", "variant") else None
    if kind == "competition" and bound == "rivalry":
        subject, value = sorted([subject, value])
    period = fact.get("period")
    return (kind, subject, value, bound, tuple(period) if period else None)


def articles(folder: Path) -> list[tuple[Path, Path]]:
    pairs = []
    for gold in sorted(folder.glob("*.gold.json")):
        stem = gold.name[: -len(".gold.json")]
        for ext in (".txt", ".html", ".htm"):
            if (folder / (stem + ext)).exists():
                pairs.append((folder / (stem + ext), gold))
                break
    return pairs


def score(pairs, extractor: Extractor, *, verbose: bool = False) -> dict[str, Counter]:
    """True positives, false positives and false negatives per kind."""
    counts = {k: Counter() for k in KINDS}
    for article_path, gold_path in pairs:
        gold = Counter(fact_key(f) for f in json.loads(gold_path.read_text(encoding="utf-8")))
        got = Counter(fact_key(c.to_dict()) for c in extractor.extract(read_article(article_path)).candidates)
        for key in gold | got:
            tp = min(gold[key], got[key])
            counts[key[0]]["tp"] += tp
            counts[key[0]]["fn"] += gold[key] - tp
            counts[key[0]]["fp"] += got[key] - tp
            if verbose and gold[key] != got[key]:
                print(f"  {article_path.name}: {'missed' if gold[key] > got[key] else 'extra '} {_show(key)}")
    return counts


def _show(key) -> str:
    short = lambda x: x.rsplit("/", 1)[-1] if isinstance(x, str) else (sorted(x) if isinstance(x, frozenset) else x)
    return " ".join(str(short(x)) for x in key)


def prf(c: Counter) -> tuple[float, float, float]:
    p = c["tp"] / (c["tp"] + c["fp"]) if c["tp"] + c["fp"] else 1.0
    r = c["tp"] / (c["tp"] + c["fn"]) if c["tp"] + c["fn"] else 1.0
    f = 2 * p * r / (p + r) if p + r else 0.0
    return p, r, f


def report(name: str, counts: dict[str, Counter]) -> dict:
    total = sum(counts.values(), Counter())
    rows = {k: prf(c) + (c["tp"] + c["fn"],) for k, c in counts.items() if c["tp"] + c["fn"] + c["fp"]}
    print(f"\n{name}")
    print(f"  {'kind':<14}{'precision':>10}{'recall':>8}{'F1':>7}{'gold':>6}")
    for k, (p, r, f, n) in rows.items():
        print(f"  {k:<14}{p:>10.2f}{r:>8.2f}{f:>7.2f}{n:>6}")
    p, r, f = prf(total)
    print(f"  {'all':<14}{p:>10.2f}{r:>8.2f}{f:>7.2f}{total['tp'] + total['fn']:>6}")
    return {"precision": p, "recall": r, "f1": f, "per_kind": {k: dict(zip(("precision", "recall", "f1", "gold"), v))
                                                              for k, v in rows.items()}}


def speed(paths: list[Path], extractor: Extractor, repeat: int) -> dict:
    start = time.perf_counter()
    for _ in range(repeat):
        for path in paths:
            sentences(read_article(path).text)
    baseline = time.perf_counter() - start
    start = time.perf_counter()
    for _ in range(repeat):
        for path in paths:
            extractor.extract(read_article(path))
    full = time.perf_counter() - start
    n = len(paths) * repeat
    return {"articles": n, "articles_per_second": n / full, "read_and_split_per_second": n / baseline,
            "ratio_to_reading": full / baseline, "cores_available": os.cpu_count(), "processes": 1}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("folder", nargs="?", type=Path, default=DEFAULT)
    parser.add_argument("--verbose", action="store_true", help="list every missed and extra fact")
    parser.add_argument("--repeat", type=int, default=20, help="passes over the articles for the speed figure")
    parser.add_argument("--json", action="store_true", help="print the results as JSON at the end")
    args = parser.parse_args(argv)
    pairs = articles(args.folder)
    if not pairs:
        print(f"no NAME.gold.json with its article in {args.folder}", file=sys.stderr)
        return 2
    t0 = time.perf_counter()
    extractor = Extractor(load())
    setup = time.perf_counter() - t0
    results = {}
    seed = [p for p in pairs if p[0].name.startswith(SEED_PREFIX)]
    own = [p for p in pairs if not p[0].name.startswith(SEED_PREFIX)]
    for name, group in (("seed", seed), ("own set", own)):
        if group:
            results[name] = report(f"{name} ({len(group)} articles)", score(group, extractor, verbose=args.verbose))
    results["speed"] = speed([p for p, _ in pairs], extractor, args.repeat)
    s = results["speed"]
    print(f"\nspeed: {s['articles_per_second']:.0f} articles/s in one process "
          f"(reading and sentence splitting alone: {s['read_and_split_per_second']:.0f}/s, "
          f"ratio {s['ratio_to_reading']:.1f}x; {s['cores_available']} cores available); "
          f"loading the graph and gazetteer once: {setup:.2f} s")
    if args.json:
        print(json.dumps(results, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
