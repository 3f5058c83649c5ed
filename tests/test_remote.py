"""autokg on SPARQL 1.1 endpoints: real Oxigraph and Virtuoso servers (each skipped if not installed)."""

from __future__ import annotations

import base64
import http.server
import re
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
from sparql_endpoints import oxigraph_endpoint, remote_url, sparql_endpoint, virtuoso_endpoint  # noqa: E402,F401
from test_store import QUESTIONS, normalise  # noqa: E402  (the same questions as the embedded store)

sys.path.remove(str(Path(__file__).parent))

from autokg.cli import cli  # noqa: E402
from autokg.errors import EndpointError  # noqa: E402
from autokg.graph import open_graph  # noqa: E402
from autokg.remote import RemoteStore  # noqa: E402



def _plain_select(query_url: str, query: str) -> list:
    """Ask an endpoint directly, as any SPARQL client would (no autokg, no default-graph-uri)."""
    request = urllib.request.Request(query_url + "?" + urllib.parse.urlencode({"query": query}),
                                     headers={"Accept": "application/sparql-results+json"})
    with urllib.request.urlopen(request, timeout=10) as response:
        return list(ox.parse_query_results(response.read(), format=ox.QueryResultsFormat.JSON))


def run(*args: str, env=None):
    return CliRunner().invoke(cli, list(args), catch_exceptions=False, env=env)


@pytest.fixture(scope="module")
def seeded_remote(sparql_endpoint):  # noqa: F811
    url = sparql_endpoint.url("urn:autokg:test:seeded")
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


def test_data_goes_to_the_named_graph_and_nowhere_else(sparql_endpoint, remote_url, tmp_path):
    (tmp_path / "a.ttl").write_text('<http://e/s> <http://e/p> "o" .\n<http://e/s> <http://e/p> "o2" .\n')
    (tmp_path / "b.trig").write_text('<http://e/g> { <http://e/s> <http://e/q> "o3" . }\n')
    result = run("store", "load", str(tmp_path / "a.ttl"), str(tmp_path / "b.trig"), "--store", remote_url,
                 "--no-progress")
    assert result.exit_code == 0, result.output
    store = RemoteStore(remote_url)
    graph = store.graph
    query_url = sparql_endpoint.query_url
    # Ask the server directly, over the whole dataset: every triple is in autokg's named graph.
    query = "SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { <http://e/s> ?p ?o } } GROUP BY ?g"
    rows = _plain_select(query_url, query)
    assert [(row["g"].value, int(row["n"].value)) for row in rows] == [(graph, 3)]
    if sparql_endpoint.engine == "oxigraph":  # Virtuoso's default graph is the union of all graphs
        rows = _plain_select(query_url, "SELECT * WHERE { <http://e/s> ?p ?o }")
        assert rows == []  # not in the server's default graph
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


def test_dump_from_the_endpoint(sparql_endpoint, seeded_remote, seeded_embedded):
    remote = run("store", "dump", "--store", seeded_remote, "--format", "nt").output.splitlines()
    embedded = run("store", "dump", "--store", str(seeded_embedded), "--format", "nt").output.splitlines()
    if sparql_endpoint.engine == "virtuoso":
        # Virtuoso's Graph Store loader keeps an xsd:integer beyond 32 bits as an xsd:decimal of the
        # same value (documented in the README); autokg's answers compare numbers by value.
        big = re.compile(r'"(-?\d{10,})"\^\^<http://www.w3.org/2001/XMLSchema#decimal>')
        remote = [big.sub(r'"\1"^^<http://www.w3.org/2001/XMLSchema#integer>', line) for line in remote]
    assert sorted(remote) == sorted(embedded)


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


# Credentials and where the data goes ----------------------------------------------------------

def _with_password(url: str, password: str | None) -> str:
    parts = urllib.parse.urlsplit(url)
    host = parts.netloc.rpartition("@")[2]
    netloc = host if password is None else f"{parts.username}:{password}@{host}"
    return urllib.parse.urlunsplit(parts._replace(netloc=netloc))


def test_credentials_are_never_shown(virtuoso_endpoint, tmp_path):  # noqa: F811
    url = virtuoso_endpoint.url("urn:autokg:test:secret")
    (tmp_path / "a.nt").write_text('<http://e/s> <http://e/p> "o" .\n')
    outputs = [run("store", "load", str(tmp_path / "a.nt"), "--store", url, "--no-progress"),
               run("store", "info", "--store", url),
               run("--store", url, "query", "-e", "SELECT ?x WHERE {"),
               run("store", "load", str(tmp_path / "a.nt"), "--store", _with_password(url, "wrong"))]
    assert [r.exit_code for r in outputs] == [0, 0, 2, 2]
    for result in outputs:
        assert virtuoso_endpoint.password not in result.output
        assert "wrong" not in result.output.replace("wrong user", "")
    info = outputs[1].output.splitlines()
    assert "user: dba" in info and "triples: 1" in info and "@" not in outputs[1].output
    assert "HTTP 401" in outputs[3].output and "wrong user or password" in outputs[3].output


def test_writes_without_credentials_say_what_is_missing(virtuoso_endpoint, tmp_path):  # noqa: F811
    (tmp_path / "a.nt").write_text('<http://e/s> <http://e/p> "o" .\n')
    url = _with_password(virtuoso_endpoint.url("urn:autokg:test:anonymous"), None)
    line = _one_line_error(run("store", "load", str(tmp_path / "a.nt"), "--store", url, "--no-progress",
                               env={"AUTOKG_SPARQL_USER": None, "AUTOKG_SPARQL_PASSWORD": None}))
    assert "HTTP 401" in line and "AUTOKG_SPARQL_USER" in line
    # The same credentials from the environment instead of the URL.
    result = run("store", "load", str(tmp_path / "a.nt"), "--store", url, "--no-progress",
                 env={"AUTOKG_SPARQL_USER": "dba", "AUTOKG_SPARQL_PASSWORD": virtuoso_endpoint.password})
    assert result.exit_code == 0, result.output
    assert len(open_graph(store=url)) == 1


class _BasicAuthStore(http.server.BaseHTTPRequestHandler):
    """A Graph Store that wants HTTP basic authentication (user ``u``, password ``p@ss``)."""

    received: list = []
    expected = "Basic " + base64.b64encode(b"u:p@ss").decode()

    def do_POST(self):
        body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
        if self.headers.get("Authorization") != self.expected:
            self.send_response(401)
            self.send_header("WWW-Authenticate", 'Basic realm="test"')
            self.send_header("Content-Length", "0")
            self.end_headers()
            return
        type(self).received.append((self.path, body))
        self.send_response(204)
        self.end_headers()

    def log_message(self, *args):
        pass


@pytest.mark.parametrize("where", ["url", "environment"])
def test_basic_authentication(where, tmp_path, monkeypatch):
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _BasicAuthStore)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    _BasicAuthStore.received = []
    try:
        host = f"127.0.0.1:{server.server_address[1]}"
        if where == "url":
            url = f"http://u:p%40ss@{host}/ds#graph=urn:g"
        else:
            url = f"http://{host}/ds#graph=urn:g"
            monkeypatch.setenv("AUTOKG_SPARQL_USER", "u")
            monkeypatch.setenv("AUTOKG_SPARQL_PASSWORD", "p@ss")
        data = tmp_path / "a.nt"
        data.write_bytes(b'<http://e/s> <http://e/p> "o" .\n')
        store = RemoteStore(url)
        with data.open("rb") as body:
            store.write_ntriples(body)
        assert _BasicAuthStore.received == [("/ds?graph=urn%3Ag", data.read_bytes())]
        assert "p@ss" not in repr(store) and "p%40ss" not in repr(store)
    finally:
        server.shutdown()


def test_data_can_go_to_the_default_graph(oxigraph_endpoint, tmp_path):  # noqa: F811
    url = oxigraph_endpoint.url()
    RemoteStore(url, graph="default").clear()
    (tmp_path / "a.nt").write_text('<http://e/default> <http://e/p> "o" .\n')
    result = run("store", "load", str(tmp_path / "a.nt"), "--store", url, "--graph", "default", "--no-progress")
    assert result.exit_code == 0, result.output
    # A plain SPARQL client, which reads the default graph, sees the data.
    rows = _plain_select(oxigraph_endpoint.query_url, "SELECT ?o WHERE { <http://e/default> ?p ?o }")
    assert [row["o"].value for row in rows] == ["o"]
    # The same from the URL's fragment, and from the group's option.
    info = run("store", "info", "--store", oxigraph_endpoint.url("default")).output.splitlines()
    assert "graph: default" in info and "triples: 1" in info
    assert run("--store", url, "--graph", "default", "stats").exit_code == 0
    assert "triples: 0" in run("store", "info", "--store", url).output.splitlines()  # autokg's own graph
    RemoteStore(url, graph="default").clear()
    assert _plain_select(oxigraph_endpoint.query_url, "SELECT * WHERE { ?s ?p ?o }") == []


def test_graph_is_for_endpoints(tmp_path):
    line = _one_line_error(run("store", "init", "--store", str(tmp_path / "kg"), "--graph", "urn:x:g"))
    assert "--graph urn:x:g" in line and "SPARQL endpoint" in line


# Bounds and checks of the remote layer (issue 14) ---------------------------------------------

class _Big(http.server.BaseHTTPRequestHandler):
    """Answers every query with 2 MiB of spaces, with a Content-Length or (``chunked``) without."""

    declare_length = True

    def do_POST(self):  # noqa: N802
        self.rfile.read(int(self.headers.get("Content-Length") or 0))
        body = b" " * (2 << 20)
        self.send_response(200)
        self.send_header("Content-Type", "application/sparql-results+json")
        if self.declare_length:
            self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        try:
            self.wfile.write(body)
        except OSError:
            pass
        self.close_connection = True

    def log_message(self, *args):
        pass


@pytest.mark.parametrize("declare_length", [True, False], ids=["content-length", "until-close"])
def test_an_answer_over_the_size_limit_is_refused(declare_length, monkeypatch):
    handler = type("Handler", (_Big,), {"declare_length": declare_length})
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    monkeypatch.setenv("AUTOKG_MAX_RESPONSE_MB", "1")
    try:
        line = _one_line_error(run("--store", f"http://127.0.0.1:{server.server_address[1]}/sparql", "stats"))
    finally:
        server.shutdown()
        server.server_close()
    assert "more than 1 MiB" in line and "AUTOKG_MAX_RESPONSE_MB" in line


@pytest.mark.parametrize("fragment, says", [
    ("#update=file:///etc/passwd", "not an http"),
    ("#data=ftp://127.0.0.1/x", "not an http"),
    ("#update=http://u:pw@127.0.0.1:9/u", "credentials"),
    ("#grahp=urn:g", "unknown option 'grahp'"),
    ("#graph=relative", "not an IRI"),
])
def test_the_store_url_options_are_checked(fragment, says):
    from autokg.errors import InputError

    with pytest.raises(InputError, match=re.escape(says)) as caught:
        RemoteStore("http://alice:pw@127.0.0.1:9/sparql" + fragment)
    assert "pw" not in str(caught.value).replace("passwd", "")


class _DigestOnly(http.server.BaseHTTPRequestHandler):
    """A query endpoint that wants HTTP digest (user ``u``, password ``p@ss``) and checks the response hash."""

    seen: list = []
    silent_on_basic = False
    realm, nonce = "autokg-test", "n0nce"

    def do_POST(self):  # noqa: N802
        import hashlib

        self.rfile.read(int(self.headers.get("Content-Length") or 0))
        auth = self.headers.get("Authorization") or ""
        type(self).seen.append(auth.split(" ")[0])
        fields = dict(urllib.request.parse_keqv_list(urllib.request.parse_http_list(auth[7:]))) \
            if auth.startswith("Digest ") else {}

        def md5(text: str) -> str:
            return hashlib.md5(text.encode()).hexdigest()

        ha1, ha2 = md5(f"u:{self.realm}:p@ss"), md5(f"POST:{fields.get('uri')}")
        expected = md5(f"{ha1}:{self.nonce}:{fields.get('nc')}:{fields.get('cnonce')}:auth:{ha2}")
        if fields.get("username") != "u" or fields.get("response") != expected:
            challenge = f'Digest realm="{self.realm}", nonce="{self.nonce}", qop="auth"'
            # Virtuoso answers a Basic header with a bare 401, no challenge (``silent_on_basic``)
            silent = type(self).silent_on_basic and auth.startswith("Basic ")
            status, headers, body = 401, {} if silent else {"WWW-Authenticate": challenge}, b""
        else:
            status, headers, body = 200, {"Content-Type": "application/sparql-results+json"}, b'{"boolean":true}'
        self.send_response(status)
        for name, value in {**headers, "Content-Length": str(len(body))}.items():
            self.send_header(name, value)
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


@pytest.mark.parametrize("silent_on_basic", [False, True], ids=["challenged", "bare-401-on-basic"])
def test_url_credentials_switch_to_digest_when_the_server_asks(silent_on_basic):
    _DigestOnly.seen, _DigestOnly.silent_on_basic = [], silent_on_basic
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _DigestOnly)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        RemoteStore(f"http://u:p%40ss@127.0.0.1:{server.server_address[1]}/sparql").ping()
    finally:
        server.shutdown()
        server.server_close()
    # Basic from the first request (the URL's credentials), then digest as the challenge asks;
    # a server that refuses Basic without a challenge is asked once without credentials.
    assert _DigestOnly.seen == (["Basic", "", "Digest"] if silent_on_basic else ["Basic", "Digest"])
