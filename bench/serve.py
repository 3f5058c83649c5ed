"""A bounded load test of ``autokg serve`` on loopback: mixed pages and queries, p50/p99, errors.

    python bench/serve.py                          # the bundled graph: 2,000 requests, 8 clients
    python bench/serve.py --triples 1000000        # a generated graph (bench/generate.py) as --data
    python bench/serve.py --write                  # and write bench/SERVE-RESULTS.md

The server runs in its own process on 127.0.0.1; the clients are threads of this process, each
with its own keep-alive connection. First, every address of the mix is asked once ("cold":
the server computes and caches each page), then the measured run sends ``--requests`` requests
drawn from the mix in a fixed order, stopping early at ``--max-seconds``: a quarter of them from
one client (latency), then all of them from ``--clients`` clients (throughput). Every request must
answer 200 (a search 303, to the page it found): any other status is an error. Targets (issue 11): an entity page p50 < 30 ms and
p99 < 100 ms on the bundled graph; the rivals query through /sparql < 5 ms at 1M triples; at
least 200 requests/s on 2 cores.
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
from collections import defaultdict
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent / "tests"))
from web_server import running_server  # noqa: E402

#: The named query ``rivals`` (queries/rivals.rq), with ?model bound as ``autokg query --bind`` does.
RIVALS = (HERE.parent / "queries" / "rivals.rq").read_text(encoding="utf-8")


def _get(conn: http.client.HTTPConnection, path: str, accept: str = "text/html") -> tuple[int, float]:
    start = time.perf_counter()
    conn.request("GET", path, headers={"Accept": accept})
    response = conn.getresponse()
    response.read()
    return response.status, time.perf_counter() - start


def mix(base: str) -> list[tuple[str, str, str]]:
    """(category, path, accept) for the pages and queries of the load: every maker and model page
    of the graph, found through the endpoint itself."""
    host = urllib.parse.urlsplit(base)
    conn = http.client.HTTPConnection(host.hostname, host.port, timeout=30)
    query = ("SELECT ?e ?kind WHERE { ?e a ?c . VALUES (?c ?kind) { (akg:Manufacturer 'maker') "
             "(akg:VehicleModel 'model') } FILTER(STRSTARTS(STR(?e), STR(id:))) } ORDER BY ?e LIMIT 400")
    conn.request("GET", "/sparql?" + urllib.parse.urlencode({"query": query}),
                 headers={"Accept": "application/sparql-results+json"})
    rows = json.loads(conn.getresponse().read())["results"]["bindings"]
    conn.close()
    out: list[tuple[str, str, str]] = []
    for r in rows:
        local = r["e"]["value"].rsplit("/id/", 1)[1]
        out.append((f"{r['kind']['value']} page", f"/{r['kind']['value']}/{urllib.parse.quote(local)}", "text/html"))
        out.append(("entity data (ttl)", f"/data/{urllib.parse.quote(local)}.ttl", "text/turtle"))
    sparql = "/sparql?" + urllib.parse.urlencode({"query": RIVALS, "bind": "model=id:tesla-model-y"})
    out += [("rivals via /sparql", sparql, "application/sparql-results+json")] * max(10, len(out) // 4)
    out += [("home", "/", "text/html"), ("search", "/search?q=Model+Y", "text/html")] * 5
    return out


def warm(base: str) -> tuple[list[tuple[str, str, str]], dict, int]:
    """Ask every address of the mix once: the cold timings, and the server's caches filled."""
    host = urllib.parse.urlsplit(base)
    addresses = mix(base)
    cold: dict[str, list[float]] = defaultdict(list)
    conn = http.client.HTTPConnection(host.hostname, host.port, timeout=120)
    errors_cold = 0
    for category, path, accept in dict.fromkeys(addresses):
        status, took = _get(conn, path, accept)
        cold[category].append(took)
        errors_cold += status != (303 if category == "search" else 200)
    conn.close()
    return addresses, {k: _summary(v) for k, v in sorted(cold.items())}, errors_cold


def run(base: str, addresses: list[tuple[str, str, str]], requests: int, clients: int, max_seconds: float) -> dict:
    host = urllib.parse.urlsplit(base)
    order = [addresses[(i * 7919) % len(addresses)] for i in range(requests)]
    times: dict[str, list[float]] = defaultdict(list)
    errors: list[str] = []
    lock = threading.Lock()
    next_index = 0
    deadline = time.monotonic() + max_seconds

    def client() -> None:
        nonlocal next_index
        c = http.client.HTTPConnection(host.hostname, host.port, timeout=30)
        while time.monotonic() < deadline:
            with lock:
                if next_index >= len(order):
                    break
                category, path, accept = order[next_index]
                next_index += 1
            try:
                status, took = _get(c, path, accept)
            except (OSError, http.client.HTTPException) as err:
                with lock:
                    errors.append(f"{path}: {err}")
                c.close()
                c = http.client.HTTPConnection(host.hostname, host.port, timeout=30)
                continue
            with lock:
                times[category].append(took)
                if status != (303 if category == "search" else 200):
                    errors.append(f"{path}: HTTP {status}")
        c.close()

    threads = [threading.Thread(target=client) for _ in range(clients)]
    start = time.monotonic()
    for t in threads:
        t.start()
    for t in threads:
        t.join(max_seconds + 60)
    elapsed = time.monotonic() - start
    every = [x for xs in times.values() for x in xs]
    return {"requests": len(every), "seconds": elapsed, "rate": len(every) / elapsed, "errors": errors,
            "clients": clients, "overall": _summary(every),
            "by_category": {k: _summary(v) for k, v in sorted(times.items())}}


def _summary(xs: list[float]) -> dict:
    xs = sorted(xs)
    if not xs:
        return {"n": 0}
    p = lambda q: xs[min(len(xs) - 1, int(q * len(xs)))] * 1000  # noqa: E731
    return {"n": len(xs), "p50_ms": round(statistics.median(xs) * 1000, 2), "p99_ms": round(p(0.99), 2),
            "max_ms": round(xs[-1] * 1000, 2)}


def report(results: list[dict], cold: dict, errors_cold: int, label: str) -> str:
    lines = [f"## {label}", ""]
    for result in results:
        lines.append(f"- {result['clients']} client(s): {result['requests']} requests in {result['seconds']:.1f} s, "
                     f"{result['rate']:.0f} requests/s, {len(result['errors'])} errors")
    lines += [f"- the cold pass (every address once, caches empty): {errors_cold} errors", "",
              "| what | " + " | ".join(f"{r['clients']} client(s) p50 ms | p99 ms" for r in results)
              + " | cold p50 ms | cold max ms |",
              "|---|" + "---:|---:|" * len(results) + "---:|---:|"]
    for k in results[0]["by_category"]:
        cells = []
        for r in results:
            s = r["by_category"].get(k, {})
            cells += [str(s.get("p50_ms", "")), str(s.get("p99_ms", ""))]
        c = cold.get(k, {})
        lines.append(f"| {k} | " + " | ".join(cells) + f" | {c.get('p50_ms', '')} | {c.get('max_ms', '')} |")
    cells = []
    for r in results:
        cells += [str(r["overall"]["p50_ms"]), str(r["overall"]["p99_ms"])]
    lines.append("| all | " + " | ".join(cells) + " | | |")
    return "\n".join(lines)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--requests", type=int, default=2000)
    parser.add_argument("--clients", type=int, default=8)
    parser.add_argument("--max-seconds", type=float, default=30.0)
    parser.add_argument("--triples", type=int, default=0, help="serve a generated graph of this size instead")
    parser.add_argument("--write", action="store_true", help="write bench/SERVE-RESULTS.md")
    args = parser.parse_args()
    extra: list[str] = []
    label = "bundled graph"
    with tempfile.TemporaryDirectory() as tmp:
        if args.triples:
            data = Path(tmp) / "big.nt"
            subprocess.run([sys.executable, str(HERE / "generate.py"), "--triples", str(args.triples), "-o", str(data)],
                           check=True, stdout=subprocess.DEVNULL)
            extra = [f"--data={data}"]
            label = f"bundled graph + {args.triples:,} generated triples"
        with running_server(*extra, "--timeout", "10", timeout=600) as base:
            addresses, cold, errors_cold = warm(base)
            results = [run(base, addresses, args.requests // 4, 1, args.max_seconds),  # latency, one at a time
                       run(base, addresses, args.requests, args.clients, args.max_seconds)]  # throughput
    text = report(results, cold, errors_cold, label)
    machine = f"{platform.platform()}, Python {platform.python_version()}, {os.cpu_count()} CPUs"
    print(text)
    print(f"\n{machine}")
    errors = [e for r in results for e in r["errors"]]
    for e in errors[:10]:
        print("error:", e)
    if args.write:
        target = HERE / "SERVE-RESULTS.md"
        target.write_text(f"# autokg serve: load test\n\n`python bench/serve.py{' --triples ' + str(args.triples) if args.triples else ''}`"
                          f" on {machine}; client threads in one process, each with a keep-alive connection, "
                          "on loopback; the caches are warm after the cold pass.\n\n"
                          f"{text}\n", encoding="utf-8")
    return 1 if errors or errors_cold else 0


if __name__ == "__main__":
    sys.exit(main())
