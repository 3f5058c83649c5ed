"""Fuzz autokg's readers with hypothesis, at length: cases, crashes and distinct refusals per target.

    python bench/fuzz.py                          # 20,000 cases in all, at most 10 minutes
    python bench/fuzz.py --cases 100000 --seconds 1800
    python bench/fuzz.py --target turtle --cases 5000

The targets and strategies are tests/fuzzing.py's (the suite runs a few hundred of the same
examples). Each target runs in a child process, so that a crash of the interpreter (a signal)
is counted as a crash rather than ending the run. An input is *accepted*, *refused* (an
AutokgError with a one-line message) or a *crash* (any other exception, a refusal of more than
one line, or a signal). The exit code is 1 if anything crashed.
"""

from __future__ import annotations

import argparse
import collections
import json
import re
import signal
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
TESTS = HERE.parent / "tests"


def _shape(message: str) -> str:
    """A refusal's message without its particulars (paths, numbers, quoted text), to count kinds."""
    message = re.sub(r"/[^\s:]+", "PATH", message)
    message = re.sub(r"'[^']*'|\"[^\"]*\"", "'…'", message)
    return re.sub(r"\d+", "N", message)[:160]


def child(name: str, cases: int, seconds: float, seed: int) -> dict:
    """Run one target in this process; the counts as a dict (printed as JSON by ``--child``)."""
    sys.path.insert(0, str(TESTS))
    from fuzzing import TARGETS, run_target
    from hypothesis import HealthCheck, Phase, given, seed as hypothesis_seed, settings

    deadline = time.monotonic() + seconds
    counts = collections.Counter()
    messages: collections.Counter[str] = collections.Counter()
    crashes: list[dict] = []

    @hypothesis_seed(seed)
    @settings(max_examples=cases, deadline=None, database=None, phases=[Phase.generate],
              suppress_health_check=list(HealthCheck))
    @given(TARGETS[name][1])
    def run(value):
        if time.monotonic() > deadline:
            counts["skipped (time limit)"] += 1
            return
        counts["cases"] += 1
        try:
            message = run_target(name, value)
        except Exception as err:  # noqa: BLE001 - counting every crash is the point
            counts["crashes"] += 1
            if len(crashes) < 10:
                crashes.append({"input": repr(value)[:300], "error": f"{type(err).__name__}: {str(err)[:300]}"})
            return
        if message is None:
            counts["accepted"] += 1
        else:
            counts["refused"] += 1
            messages[_shape(message)] += 1

    run()
    return {"target": name, **counts, "distinct_messages": len(messages),
            "top_messages": messages.most_common(5), "crash_examples": crashes}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--cases", type=int, default=20_000, help="Cases in all, split over the targets.")
    parser.add_argument("--seconds", type=float, default=600, help="Time limit in all, split over the targets.")
    parser.add_argument("--target", action="append", help="Only these targets (repeatable).")
    parser.add_argument("--seed", type=int, default=14)
    parser.add_argument("--json", action="store_true", help="Print the report as JSON.")
    parser.add_argument("--child", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        print(json.dumps(child(args.child, args.cases, args.seconds, args.seed)))
        return 0

    sys.path.insert(0, str(TESTS))
    from fuzzing import TARGETS

    names = args.target or list(TARGETS)
    per_cases, per_seconds = max(1, args.cases // len(names)), args.seconds / len(names)
    reports = []
    for name in names:
        cmd = [sys.executable, __file__, "--child", name, "--cases", str(per_cases), "--seconds", str(per_seconds),
               "--seed", str(args.seed)]
        proc = subprocess.run(cmd, capture_output=True, text=True, timeout=per_seconds + 120)
        if proc.returncode < 0:
            reports.append({"target": name, "cases": None, "crashes": 1, "distinct_messages": 0,
                            "crash_examples": [{"error": f"killed by {signal.Signals(-proc.returncode).name}"}]})
            continue
        try:
            reports.append(json.loads(proc.stdout.strip().splitlines()[-1]))
        except (IndexError, ValueError):
            reports.append({"target": name, "cases": None, "crashes": 1, "distinct_messages": 0,
                            "crash_examples": [{"error": proc.stderr.strip()[-500:]}]})
    total = {k: sum(r.get(k) or 0 for r in reports) for k in ("cases", "accepted", "refused", "crashes",
                                                              "distinct_messages")}
    if args.json:
        print(json.dumps({"total": total, "targets": reports}, indent=2))
    else:
        print(f"{'target':<20}{'cases':>8}{'accepted':>10}{'refused':>9}{'crashes':>9}{'messages':>10}")
        for r in reports:
            print(f"{r['target']:<20}{r.get('cases') or 0:>8}{r.get('accepted', 0):>10}{r.get('refused', 0):>9}"
                  f"{r.get('crashes', 0):>9}{r.get('distinct_messages', 0):>10}")
        print(f"{'total':<20}{total['cases']:>8}{total['accepted']:>10}{total['refused']:>9}{total['crashes']:>9}"
              f"{total['distinct_messages']:>10}")
        for r in reports:
            for example in r.get("crash_examples") or []:
                print(f"crash in {r['target']}: {example.get('error')}  input: {example.get('input', '')}")
    return 1 if total["crashes"] else 0


if __name__ == "__main__":
    sys.exit(main())
