"""User queries run in worker processes, so that a query past its time can be stopped.

pyoxigraph cannot interrupt a query once it runs (a sort or an aggregate over a large join
computes for as long as it takes), and a parser fed a pathological query can crash the
interpreter. So the endpoint's queries run in a small pool of processes that each open the same
graph (a :class:`~autokg.web.data.GraphRecipe`); a query that outlives the timeout has its
process killed and replaced, and a crash ends one worker, not the server. Each worker's memory
is capped (``RLIMIT_DATA``) a fixed margin above what its graph takes.

Workers serialise the answer themselves, cut at the row cap: the parent only passes bytes on.
"""

from __future__ import annotations

import json
import logging
import multiprocessing
import queue
import threading
import time
from dataclasses import dataclass
from itertools import islice
from typing import Any

from .data import GraphRecipe

__all__ = ["QueryPool", "Answer", "RESULT_TYPES", "GRAPH_TYPES"]

#: Seconds more a query waits for a free worker while one is being restarted.
RESTART_GRACE = 30.0

log = logging.getLogger("autokg.web")

#: SELECT and ASK formats: short name -> media type.
RESULT_TYPES = {
    "json": "application/sparql-results+json",
    "xml": "application/sparql-results+xml",
    "csv": "text/csv",
    "tsv": "text/tab-separated-values",
}
#: CONSTRUCT and DESCRIBE formats: short name -> media type.
GRAPH_TYPES = {
    "ttl": "text/turtle",
    "nt": "application/n-triples",
    "jsonld": "application/ld+json",
}


@dataclass
class Answer:
    """What a worker sends back: an HTTP status, a media type, the body, and whether it was cut."""

    status: int
    media_type: str
    body: bytes
    truncated: bool = False
    rows: int = 0


# In the worker ----------------------------------------------------------------------------------

def _term_json(term: Any) -> dict[str, Any]:
    import pyoxigraph as ox

    if isinstance(term, ox.NamedNode):
        return {"type": "uri", "value": term.value}
    if isinstance(term, ox.BlankNode):
        return {"type": "bnode", "value": term.value}
    if isinstance(term, ox.Literal):
        out = {"type": "literal", "value": term.value}
        if term.language:
            out["xml:lang"] = term.language
        elif term.datatype.value != "http://www.w3.org/2001/XMLSchema#string":
            out["datatype"] = term.datatype.value
        return out
    if isinstance(term, ox.Triple):
        return {"type": "triple", "value": {k: _term_json(getattr(term, k)) for k in ("subject", "predicate", "object")}}
    return {"type": "literal", "value": str(term)}


def _select_json(solutions: Any, max_rows: int) -> tuple[bytes, int, bool]:
    """SPARQL JSON results of at most ``max_rows`` rows. pyoxigraph serialises a whole result
    only, so the capped rows are written here and converted to the other formats by pyoxigraph."""
    names = [v.value for v in solutions.variables]
    rows = list(islice(solutions, max_rows + 1))
    truncated = len(rows) > max_rows
    bindings = [{n: _term_json(row[n]) for n in names if row[n] is not None} for row in rows[:max_rows]]
    doc = {"head": {"vars": names}, "results": {"bindings": bindings}}
    return json.dumps(doc, ensure_ascii=False).encode("utf-8"), len(bindings), truncated


def execute(kg: Any, text: str, fmt: str, max_rows: int, bindings: dict[str, Any] | None = None) -> Answer:
    """Run one query, with values bound (never pasted), and serialise its answer in ``fmt`` (a key
    of RESULT_TYPES or GRAPH_TYPES)."""
    import pyoxigraph as ox

    result = kg.query(text, bindings=bindings)
    if isinstance(result, ox.QueryBoolean):
        fmt = fmt if fmt in RESULT_TYPES else "json"
        return Answer(200, RESULT_TYPES[fmt], result.serialize(format=_results_format(fmt)), rows=1)
    if isinstance(result, ox.QuerySolutions):
        fmt = fmt if fmt in RESULT_TYPES else "json"
        body, rows, truncated = _select_json(result, max_rows)
        if fmt != "json":
            body = ox.parse_query_results(body, format=ox.QueryResultsFormat.JSON).serialize(format=_results_format(fmt))
        return Answer(200, RESULT_TYPES[fmt], body, truncated, rows)
    fmt = fmt if fmt in GRAPH_TYPES else "ttl"
    triples = list(islice(result, max_rows + 1))
    rdf_format = {"ttl": ox.RdfFormat.TURTLE, "nt": ox.RdfFormat.N_TRIPLES, "jsonld": ox.RdfFormat.JSON_LD}[fmt]
    from .data import PREFIXES

    body = ox.serialize(triples[:max_rows], format=rdf_format, prefixes=PREFIXES if fmt == "ttl" else None)
    return Answer(200, GRAPH_TYPES[fmt], body, len(triples) > max_rows, min(len(triples), max_rows))


def _results_format(fmt: str) -> Any:
    import pyoxigraph as ox

    return {"json": ox.QueryResultsFormat.JSON, "xml": ox.QueryResultsFormat.XML,
            "csv": ox.QueryResultsFormat.CSV, "tsv": ox.QueryResultsFormat.TSV}[fmt]


def _cap_memory(margin: int) -> None:
    """Let the worker's data segment grow at most ``margin`` bytes beyond what it holds now."""
    import resource

    try:
        with open("/proc/self/status", encoding="ascii") as status:
            used = next(int(line.split()[1]) * 1024 for line in status if line.startswith("VmData:"))
        resource.setrlimit(resource.RLIMIT_DATA, (used + margin, used + margin))
    except (OSError, ValueError, StopIteration):  # not Linux: no cap rather than no server
        pass


def _worker_main(recipe: GraphRecipe, conn: Any, memory_margin: int) -> None:
    """Open the graph, then answer queries until the pipe closes. Nothing is printed: every
    failure goes back to the server as an answer, credentials removed."""
    import signal

    from ..stoppable import ENGINE_STACK, run_on_thread
    from .data import AutokgError, is_unreachable, open_graph, redact

    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C stops the server, which stops the workers
    try:
        kg = open_graph(recipe)
    except Exception as err:  # noqa: BLE001  (any failure to open is reported, never printed)
        conn.send(("failed", redact(str(err), recipe.secrets)))
        return
    _cap_memory(memory_margin)
    conn.send(("ready", None))
    while True:
        try:
            text, fmt, max_rows, bindings = conn.recv()
        except (EOFError, OSError):
            return
        try:
            kg.refresh()  # each query reads the store's last committed state
            # on a thread with a large stack: a long flat query must not overflow this process's
            answer = run_on_thread(lambda: execute(kg, text, fmt, max_rows, bindings), stack_size=ENGINE_STACK,
                                   name="autokg-query")
        except AutokgError as err:
            message = redact(str(err), recipe.secrets)
            answer = Answer(503 if is_unreachable(err) else 400, "text/plain", message.encode("utf-8"))
        except MemoryError:
            answer = Answer(507, "text/plain", b"the query needs more memory than this endpoint allows")
        except Exception as err:  # noqa: BLE001  (a bug must not take the worker down silently)
            answer = Answer(500, "text/plain", redact(f"the query failed: {type(err).__name__}: {err}",
                                                      recipe.secrets).encode("utf-8"))
        conn.send(answer)


# In the server ----------------------------------------------------------------------------------

class _Worker:
    def __init__(self, context: Any, recipe: GraphRecipe, memory_margin: int):
        self.conn, child = context.Pipe()
        self.process = context.Process(target=_worker_main, args=(recipe, child, memory_margin), daemon=True,
                                       name="autokg-query-worker")
        self.process.start()
        child.close()

    def wait_ready(self, timeout: float) -> None:
        if not self.conn.poll(timeout):
            self.kill()
            raise RuntimeError("a query worker did not start in time")
        try:
            kind, detail = self.conn.recv()
        except (EOFError, OSError):
            kind, detail = "failed", "a query worker stopped while opening the graph"
        if kind != "ready":
            self.kill()
            raise RuntimeError(detail)

    def kill(self) -> None:
        if self.process.is_alive():
            self.process.kill()
        self.process.join(timeout=5)
        self.conn.close()


class QueryPool:
    """A pool of query worker processes over one graph.

    :meth:`run` blocks (call it from a thread); it never takes longer than about ``timeout``.
    """

    def __init__(self, recipe: GraphRecipe, *, workers: int = 2, timeout: float = 10.0, max_rows: int = 10_000,
                 memory_margin: int = 1 << 30, start_timeout: float = 300.0):
        self.recipe, self.timeout, self.max_rows = recipe, timeout, max_rows
        self.size, self.memory_margin, self.start_timeout = workers, memory_margin, start_timeout
        self._context = multiprocessing.get_context("spawn")
        self._idle: queue.Queue[_Worker] = queue.Queue()
        self._all: set[_Worker] = set()
        self._lock = threading.Lock()
        self._closed = False
        self._restarting = 0  # workers being replaced after a timeout or a crash

    def start(self) -> QueryPool:
        """Start the workers and wait until each has opened the graph; raise RuntimeError if one cannot."""
        workers = [self._spawn() for _ in range(self.size)]
        try:
            for w in workers:
                w.wait_ready(self.start_timeout)
                self._idle.put(w)
        except RuntimeError:
            self.close()
            raise
        return self

    def _spawn(self) -> _Worker:
        w = _Worker(self._context, self.recipe, self.memory_margin)
        with self._lock:
            self._all.add(w)
        return w

    def _replace(self, dead: _Worker) -> None:
        dead.kill()
        with self._lock:
            self._all.discard(dead)
        if self._closed:
            return

        def start() -> None:
            try:
                w = self._spawn()
                w.wait_ready(self.start_timeout)
                self._idle.put(w)
            except RuntimeError as err:
                log.error("cannot restart a query worker: %s", err)
            finally:
                with self._lock:
                    self._restarting -= 1
        with self._lock:
            self._restarting += 1
        threading.Thread(target=start, daemon=True).start()

    def run(self, text: str, fmt: str, bindings: dict[str, Any] | None = None) -> Answer:
        """Answer a query (already checked by the guard) in ``fmt``, within the timeout."""
        # While a worker is being replaced, a query waits for it too (a restart takes a moment).
        wait = self.timeout + (RESTART_GRACE if self._restarting else 0.0)
        try:
            worker = self._idle.get(timeout=wait)
        except queue.Empty:
            return Answer(503, "text/plain", f"the endpoint is busy: no query slot freed within {wait:g} s; "
                                             "try again".encode())
        deadline = time.monotonic() + self.timeout
        try:
            worker.conn.send((text, fmt, self.max_rows, bindings or None))
            if not worker.conn.poll(max(0.0, deadline - time.monotonic())):
                self._replace(worker)
                worker = None
                return Answer(503, "text/plain", f"the query ran longer than {self.timeout:g} s, this endpoint's "
                                                 "limit, and was stopped".encode())
            answer = worker.conn.recv()
        except (EOFError, OSError, BrokenPipeError):
            self._replace(worker)
            worker = None
            return Answer(500, "text/plain", b"the query stopped its worker process (too large or too deep); "
                                             b"the endpoint carries on")
        finally:
            if worker is not None:
                self._idle.put(worker)
        return answer

    def close(self) -> None:
        self._closed = True
        with self._lock:
            workers = list(self._all)
            self._all.clear()
        for w in workers:
            w.kill()
