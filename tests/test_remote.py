"""autokg on a SPARQL 1.1 endpoint: a real Oxigraph server (skipped if it is not installed)."""

from __future__ import annotations

import http.server
import socket
import sys
import threading
import urllib.parse
import urllib.request
from pathlib import Path

import pyoxigraph as ox
import pytest
from click.testing import CliRunner

sys.path.insert(0, str(Path(__file__).parent))
from oxigraph_server import remote_url, sparql_endpoint  # noqa: E402,F401  (fixtures)
from test_store import QUESTIONS, normalise  # noqa: E402  (the same questions as the embedded store)

sys.path.remove(str(Path(__file__).parent))

from autokg.cli import cli  # noqa: E402
from autokg.errors import EndpointError  # noqa: E402
from autokg.graph import open_graph  # noqa: E402
from autokg.remote import RemoteStore  # noqa: E402



def run(*args: str, env=None):
    return CliRunner().invoke(cli, list(args), catch_exceptions=False, env=env)


@pytest.fixture(scope="module")
def seeded_remote(sparql_endpoint):  # noqa: F811
    url = f"{sparql_endpoint}#graph=urn:autokg:test:seeded"
    RemoteStore(url).clear()
    result = run("store", "init", "--store", url, "--no-progress")
    assert result.exit_code == 0, result.output
    return url


@pytest.fixture(scope="module")
def seeded_embedded(tmp_path_factory):
    path = tmp_path_factory.mktemp("store") / "kg"
    assert run("store", "init", "--store", str(path), "--no-progress").exit_code == 0
    return path


@pytest.mark.parametrize("args", QUESTIONS, ids=lambda a: " ".join(a[:2]))
def test_same_answers_as_the_embedded_store(seeded_remote, seeded_embedded, args):
    embedded = run("--store", str(seeded_embedded), *args)
    remote = run("--store", seeded_remote, *args)
    assert remote.exit_code == embedded.exit_code, remote.output
    assert normalise(remote.output) == normalise(embedded.output)


def test_data_goes_to_the_named_graph_and_nowhere_else(remote_url, tmp_path):
    (tmp_path / "a.ttl").write_text('<http://e/s> <http://e/p> "o" .\n<http://e/s> <http://e/p> "o2" .\n')
    (tmp_path / "b.trig").write_text('<http://e/g> { <http://e/s> <http://e/q> "o3" . }\n')
    result = run("store", "load", str(tmp_path / "a.ttl"), str(tmp_path / "b.trig"), "--store", remote_url,
                 "--no-progress")
    assert result.exit_code == 0, result.output
    store = RemoteStore(remote_url)
    graph = store.graph
    base = remote_url.split("#")[0]
    # Ask the server directly, over the whole dataset: every triple is in autokg's named graph.
    query = "SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { <http://e/s> ?p ?o } } GROUP BY ?g"
    with urllib.request.urlopen(f"{base}/query?" + urllib.parse.urlencode({"query": query}), timeout=10) as r:
        rows = list(ox.parse_query_results(r.read(), format=ox.QueryResultsFormat.JSON))
    assert [(row["g"].value, int(row["n"].value)) for row in rows] == [(graph, 3)]
    ask = "ASK { <http://e/s> ?p ?o }"  # not in the server's default graph
    with urllib.request.urlopen(f"{base}/query?" + urllib.parse.urlencode({"query": ask}), timeout=10) as r:
        assert not bool(ox.parse_query_results(r.read(), format=ox.QueryResultsFormat.JSON))
    kg = open_graph(store=remote_url)
    assert len(kg) == 3
    assert kg.select("SELECT ?s ?o WHERE { ?s ?p ?o } ORDER BY ?o", s="http://e/s") == \
        [{"o": "o", "s": "http://e/s"}, {"o": "o2", "s": "http://e/s"}, {"o": "o3", "s": "http://e/s"}]


def test_a_malformed_file_leaves_the_endpoint_as_it_was(remote_url, tmp_path):
    (tmp_path / "good.nt").write_text('<http://e/s> <http://e/p> "o" .\n')
    (tmp_path / "bad.ttl").write_text('<http://e/s> <http://e/p> .\n')
    assert run("store", "load", str(tmp_path / "good.nt"), "--store", remote_url, "--no-progress").exit_code == 0
    result = run("store", "load", str(tmp_path / "good.nt"), str(tmp_path / "bad.ttl"), "--store", remote_url)
    assert result.exit_code == 2 and "bad.ttl:1:" in result.output
    assert len(open_graph(store=remote_url)) == 1


def test_dump_from_the_endpoint(seeded_remote, seeded_embedded):
    remote = run("store", "dump", "--store", seeded_remote, "--format", "nt")
    embedded = run("store", "dump", "--store", str(seeded_embedded), "--format", "nt")
    assert sorted(remote.output.splitlines()) == sorted(embedded.output.splitlines())


# Faults -----------------------------------------------------------------------------------------

def _one_line_error(result) -> str:
    assert result.exit_code == 2, result.output
    lines = result.output.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("Error: ")
    return lines[0]


def test_connection_refused():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]  # nothing listens on it once closed
    line = _one_line_error(run("--store", f"http://127.0.0.1:{port}", "stats"))
    assert "cannot reach" in line and "refused" in line.lower()


def test_timeout():
    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen(5)  # accepts connections, never answers
    try:
        url = f"http://127.0.0.1:{server.getsockname()[1]}"
        line = _one_line_error(run("--store", url, "stats", env={"AUTOKG_TIMEOUT": "0.3"}))
        assert "did not answer" in line
    finally:
        server.close()


class _Failing(http.server.BaseHTTPRequestHandler):
    def _fail(self):
        body = b"Internal Server Error\nstack trace line\n"
        self.send_response(500)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    do_GET = do_POST = _fail

    def log_message(self, *args):
        pass


def test_http_500_and_nothing_written(tmp_path):
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _Failing)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        url = f"http://127.0.0.1:{server.server_address[1]}"
        line = _one_line_error(run("--store", url, "competitors", "YU7"))
        assert "HTTP 500" in line
        (tmp_path / "a.nt").write_text('<http://e/s> <http://e/p> "o" .\n')
        line = _one_line_error(run("store", "load", str(tmp_path / "a.nt"), "--store", url, "--no-progress"))
        assert "HTTP 500" in line
    finally:
        server.shutdown()


def test_remote_store_errors_are_input_errors():
    store = RemoteStore("http://127.0.0.1:9", timeout=0.5)
    with pytest.raises(EndpointError):
        store.ping()
