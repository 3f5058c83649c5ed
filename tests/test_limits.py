"""Long work stays bounded and stoppable; readers share a store (issue 14).

Child processes run with time limits; servers listen on 127.0.0.1 and send a bounded answer.
No assertion is about elapsed time: a limit shows as the command ending with its error while
the other side would still go on for much longer.
"""

from __future__ import annotations

import http.server
import os
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path


sys.path.insert(0, str(Path(__file__).parent))
from hostile import SRC, assert_refused, autokg_process, invoke, make_store, snapshot, store_quads  # noqa: E402

sys.path.remove(str(Path(__file__).parent))


def _triples(n: int) -> str:
    return "".join(f'<http://e/s{i}> <http://e/p{i % 7}> "v{i}" .\n' for i in range(n))


def _env() -> dict[str, str]:
    return {**os.environ, "PYTHONPATH": SRC + os.pathsep + os.environ.get("PYTHONPATH", "")}


def _spawn(*args: str, **kw) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-m", "autokg", *args], env=_env(), stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, **kw)


# Concurrent readers ---------------------------------------------------------------------------

COUNT_PAIRS = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f }"


def test_four_processes_read_one_store_at_once(tmp_path):
    store = make_store(tmp_path / "kg", _triples(1500))
    readers = [_spawn("--store", str(store), "query", "-e", COUNT_PAIRS, "--format", "csv") for _ in range(4)]
    outs = []
    for proc in readers:
        out, err = proc.communicate(timeout=120)
        outs.append((proc.returncode, out.decode(), err.decode()))
    assert [o[0] for o in outs] == [0, 0, 0, 0], outs
    assert {o[1] for o in outs} == {"n\r\n2250000\r\n"} or {o[1].replace("\r", "") for o in outs} == {"n\n2250000\n"}


def test_a_writer_is_not_blocked_by_readers_and_readers_see_committed_state(tmp_path):
    store = make_store(tmp_path / "kg", _triples(1500))
    (tmp_path / "more.nt").write_text(_triples(2000))
    readers = [_spawn("--store", str(store), "query", "-e", COUNT_PAIRS, "--format", "csv") for _ in range(2)]
    writer = invoke("store", "load", str(tmp_path / "more.nt"), "--store", str(store), "--no-progress")
    assert writer.code == 0, writer
    for proc in readers:
        out, err = proc.communicate(timeout=120)
        assert proc.returncode == 0, err
        # each reader saw the store before or after the load, never a mix
        assert out.decode().split()[-1] in ("2250000", "4000000")
    assert len(store_quads(store)) == 2000


def test_a_question_does_not_write_to_the_store(tmp_path):
    store = make_store(tmp_path / "kg")
    before = snapshot(store)  # opening a store to write rewrites its OPTIONS and MANIFEST files
    for args in (("stats",), ("query", "-e", "ASK { ?s ?p ?o }"), ("store", "info"), ("store", "validate"),
                 ("store", "dump", "--format", "nt")):
        outcome = invoke("--store", str(store), *args) if args[0] != "store" else invoke(*args, "--store", str(store))
        assert outcome.code in (0, 1), outcome
    assert snapshot(store) == before


# Ctrl-C ---------------------------------------------------------------------------------------

def _interrupt(proc: subprocess.Popen, *, after: float) -> tuple[int, str]:
    time.sleep(after)  # let it get into the long part; not an assertion about time
    proc.send_signal(signal.SIGINT)
    try:
        _, err = proc.communicate(timeout=60)
    except subprocess.TimeoutExpired:
        proc.kill()
        _, err = proc.communicate()
        return -999, err.decode()
    return proc.returncode, err.decode()


def test_ctrl_c_stops_a_long_query_at_once(tmp_path):
    store = make_store(tmp_path / "kg", _triples(600))
    before = store_quads(store)
    proc = _spawn("--store", str(store), "query", "-e",
                  "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l }")
    code, err = _interrupt(proc, after=1.5)
    assert code == 130, err
    assert "Traceback" not in err and len(err.strip().splitlines()) == 1
    assert store_quads(store) == before


def test_ctrl_c_during_a_load_leaves_the_store_as_it_was(tmp_path):
    store = make_store(tmp_path / "kg")
    before = store_quads(store)
    big = tmp_path / "big.nt"
    with big.open("w") as out:
        for start in range(0, 1_500_000, 100_000):
            out.write("".join(f'<http://e/b{i}> <http://e/p> "{i}" .\n' for i in range(start, start + 100_000)))
    proc = _spawn("store", "load", str(big), "--store", str(store), "--no-progress")
    code, err = _interrupt(proc, after=1.0)
    assert code == 130, err
    assert store_quads(store) == before


# Streaming results ----------------------------------------------------------------------------

def test_query_results_stream_in_flat_memory(tmp_path):
    data = tmp_path / "d.nt"
    data.write_text(_triples(1500))
    # 2.25 million rows of six columns: well over the memory limit if held whole.
    limit = 1 << 30
    proc = subprocess.run(
        [sys.executable, "-m", "autokg", "--no-bundled", "--data", str(data), "query", "--format", "csv", "-e",
         "SELECT * WHERE { ?a ?b ?c . ?d ?e ?f }"],
        env=_env(), stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, timeout=300,
        preexec_fn=lambda: __import__("resource").setrlimit(__import__("resource").RLIMIT_AS, (limit, limit)))
    assert proc.returncode == 0, proc.stderr.decode()[-2000:]


# The endpoint timeout covers the whole response ---------------------------------------------

class DrippingEndpoint:
    """Answers with headers at once, then one byte every half second (at most ``drips``)."""

    def __init__(self, drips: int = 120):
        class Handler(http.server.BaseHTTPRequestHandler):
            def _answer(self) -> None:
                self.rfile.read(int(self.headers.get("Content-Length") or 0))
                self.send_response(200)
                self.send_header("Content-Type", "application/sparql-results+json")
                self.send_header("Content-Length", str(drips))
                self.end_headers()
                for _ in range(drips):
                    try:
                        self.wfile.write(b" ")
                        self.wfile.flush()
                    except OSError:
                        return
                    time.sleep(0.5)

            do_GET = do_POST = _answer

            def log_message(self, *args) -> None:
                pass

        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.url = f"http://127.0.0.1:{self.server.server_port}/sparql"
        threading.Thread(target=self.server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True).start()

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


def test_the_endpoint_timeout_covers_the_whole_response():
    endpoint = DrippingEndpoint()
    try:
        # The drip lasts 60 s; the command must give up after its 2 s budget, well before.
        outcome = autokg_process("--store", endpoint.url, "stats", env={"AUTOKG_TIMEOUT": "2"}, timeout=40)
    finally:
        endpoint.close()
    assert_refused(outcome, says="2 s")
