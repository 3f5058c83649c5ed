"""Regression tests of the security items of issue 14: each reproduces the attack and shows it refused.

Servers started here listen on 127.0.0.1 only and answer a bounded number of requests; devices
are made in the test's own folder (never /dev/null itself); child processes have a time limit.
"""

from __future__ import annotations

import csv
import http.server
import io
import json
import os
import re
import stat
import sys
import threading
import urllib.parse
import urllib.request
import uuid
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parent))
from hostile import (ACME, assert_refused, autokg_process, invoke, make_store, snapshot,  # noqa: E402
                     store_quads)
from sparql_endpoints import oxigraph_endpoint  # noqa: E402,F401  (fixture)

sys.path.remove(str(Path(__file__).parent))

ACME_ARGS = ("--no-bundled", "--data", ACME)


def not_yet(item: int):
    """Marks an attack that still works: the fix of issue 14's item flips the test to a pass."""
    return pytest.mark.xfail(strict=True, reason=f"issue 14 security item {item}: not fixed yet")


# A local HTTP server that counts the requests it gets ---------------------------------------

class CountingServer:
    """An HTTP server on 127.0.0.1 that records each request and answers with ``body``."""

    def __init__(self, body: bytes = b'{"head":{"vars":[]},"results":{"bindings":[]}}',
                 content_type: str = "application/sparql-results+json"):
        self.hits: list[str] = []
        outer = self

        class Handler(http.server.BaseHTTPRequestHandler):
            def _answer(self) -> None:
                outer.hits.append(self.path)
                length = int(self.headers.get("Content-Length") or 0)
                if length:
                    self.rfile.read(length)
                self.send_response(200)
                self.send_header("Content-Type", content_type)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            do_GET = do_POST = _answer

            def log_message(self, *args) -> None:
                pass

        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_port}"
        self.thread = threading.Thread(target=self.server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)

    def __enter__(self) -> CountingServer:
        self.thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self.server.shutdown()
        self.server.server_close()


def _sparql(endpoint: str, query: str) -> list[dict]:
    data = urllib.parse.urlencode({"query": query}).encode()
    request = urllib.request.Request(f"{endpoint}/query", data=data,
                                     headers={"Accept": "application/sparql-results+json"})
    with urllib.request.urlopen(request, timeout=10) as response:
        return json.loads(response.read())["results"]["bindings"]


def _update(endpoint: str, update: str) -> None:
    data = urllib.parse.urlencode({"update": update}).encode()
    with urllib.request.urlopen(urllib.request.Request(f"{endpoint}/update", data=data), timeout=10):
        pass


# 1. SPARQL injection through the store URL ----------------------------------------------------

INJECTION = "urn:x> { } } ; DROP ALL ; INSERT DATA { GRAPH <urn:x"


def test_a_graph_iri_that_would_inject_sparql_is_refused_before_any_request(tmp_path):
    (tmp_path / "a.ttl").write_text('<http://e/s> <http://e/p> "o" .\n')
    with CountingServer() as server:
        url = f"{server.url}#graph={urllib.parse.quote(INJECTION)}"
        outcome = invoke("store", "load", str(tmp_path / "a.ttl"), "--store", url, "--no-progress")
        assert_refused(outcome, says="graph")
        raw = invoke("store", "load", str(tmp_path / "a.ttl"), "--no-progress",
                     env={"AUTOKG_STORE": f"{server.url}#graph={INJECTION}"})
        assert_refused(raw, says="graph")
        assert server.hits == []


def test_the_injection_leaves_other_graphs_of_a_real_server_alone(oxigraph_endpoint, tmp_path):  # noqa: F811
    sparql_endpoint = oxigraph_endpoint.store  # the plain server URL: /query and /update below it
    victim = f"urn:autokg:test:victim:{uuid.uuid4().hex}"
    _update(sparql_endpoint, f'INSERT DATA {{ GRAPH <{victim}> {{ <http://e/v> <http://e/p> "keep me" }} }}')
    (tmp_path / "a.ttl").write_text('<http://e/s> <http://e/p> "o" .\n')
    # data=/no-gsp (a Graph Store URL that 404s) sends the load as INSERT DATA, where the graph was pasted
    for store in (f"{sparql_endpoint}#data=/no-gsp&graph={INJECTION}",
                  f"{sparql_endpoint}#data=/no-gsp&graph={urllib.parse.quote(INJECTION)}"):
        assert_refused(invoke("store", "load", str(tmp_path / "a.ttl"), "--store", store, "--no-progress"))
    rows = _sparql(sparql_endpoint, f"SELECT ?o WHERE {{ GRAPH <{victim}> {{ ?s ?p ?o }} }}")
    assert [r["o"]["value"] for r in rows] == ["keep me"]


def test_the_remote_store_builds_its_updates_from_checked_terms():
    from autokg.errors import InputError
    from autokg.graph import open_graph

    with pytest.raises(InputError):
        open_graph(store="http://127.0.0.1:9/", graph="urn:ok> } ; CLEAR ALL ; INSERT DATA { GRAPH <urn:ok")
    with pytest.raises(InputError):
        open_graph(store="http://127.0.0.1:9/#graph=not an iri")


# 2 and 3. Outputs write to what they are given, or refuse -------------------------------------

def _sales_csv(folder: Path) -> Path:
    path = folder / "sales.csv"
    path.write_text("month,brand,model,units,source_url\n2025-10,Acme Motors,Roadrunner,100,https://example.org/a\n")
    return path


def _export(tmp: Path, out: str) -> list[str]:
    return [*ACME_ARGS, "export", "--family", "Acme", "--format", "ttl", "-o", out]


def _import(tmp: Path, out: str) -> list[str]:
    return [*ACME_ARGS, "import", "sales", str(_sales_csv(tmp)), "--market", "CN", "-o", out]


def _dump(tmp: Path, out: str) -> list[str]:
    store = tmp / "kg"
    if not store.exists():
        make_store(store)
    return ["store", "dump", "--format", "ttl", "-o", out, "--store", str(store)]


WRITERS = {"export": _export, "import": _import, "store dump": _dump}


@pytest.mark.parametrize("writer", WRITERS)
def test_a_fifo_output_is_written_to_not_replaced(tmp_path, writer):
    fifo = tmp_path / "out.ttl"
    os.mkfifo(fifo)
    reader = os.open(fifo, os.O_RDONLY | os.O_NONBLOCK)  # a reader, so that the writer does not block
    try:
        outcome = invoke(*WRITERS[writer](tmp_path, str(fifo)))
        assert outcome.code == 0, outcome
        assert stat.S_ISFIFO(os.lstat(fifo).st_mode)
        assert os.read(reader, 1 << 16)
    finally:
        os.close(reader)


@pytest.mark.parametrize("writer", WRITERS)
def test_a_device_output_is_written_to_not_replaced(tmp_path, writer):
    device = tmp_path / "null.ttl"
    try:
        os.mknod(device, stat.S_IFCHR | 0o666, os.makedev(1, 3))  # a private /dev/null
    except (PermissionError, OSError):
        pytest.skip("cannot make a device node here")
    outcome = invoke(*WRITERS[writer](tmp_path, str(device)))
    assert outcome.code == 0, outcome
    assert stat.S_ISCHR(os.lstat(device).st_mode)


@pytest.mark.parametrize("writer", WRITERS)
def test_a_read_only_file_is_not_replaced(tmp_path, writer):
    target = tmp_path / "out.ttl"
    target.write_text("# mine\n")
    target.chmod(0o444)
    outcome = invoke(*WRITERS[writer](tmp_path, str(target)))
    assert_refused(outcome, says="read-only")
    assert target.read_text() == "# mine\n" and stat.S_IMODE(target.stat().st_mode) == 0o444


@pytest.mark.parametrize("writer", WRITERS)
@pytest.mark.parametrize("dangling", [False, True], ids=["to-a-file", "dangling"])
def test_a_symlink_output_is_refused(tmp_path, writer, dangling):
    target = tmp_path / "elsewhere.ttl"
    if not dangling:
        target.write_text("# mine\n")
    link = tmp_path / "out.ttl"
    link.symlink_to(target)
    outcome = invoke(*WRITERS[writer](tmp_path, str(link)))
    assert_refused(outcome, says="symbolic link")
    assert link.is_symlink()
    assert (target.read_text() == "# mine\n") if not dangling else not target.exists()


def test_store_dump_to_dash_is_standard_output(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    outcome = invoke(*_dump(tmp_path, "-"))
    assert outcome.code == 0, outcome
    assert '"o"' in outcome.stdout
    assert not (tmp_path / "-").exists()


def test_a_planted_symlink_at_the_old_temporary_name_is_not_followed(tmp_path):
    victim = tmp_path / "victim.txt"
    victim.write_text("precious\n")
    out = tmp_path / "out.ttl"
    (tmp_path / ".out.ttl.partial").symlink_to(victim)
    outcome = invoke(*_dump(tmp_path, str(out)))
    assert outcome.code == 0, outcome
    assert victim.read_text() == "precious\n"
    assert '"o"' in out.read_text()
    left = sorted(p.name for p in tmp_path.iterdir() if p.name.startswith(".out.ttl") and p.name != ".out.ttl.partial")
    assert left == []


def test_a_dump_never_writes_inside_a_store_folder(tmp_path):
    store = make_store(tmp_path / "kg")
    before = snapshot(store)
    outcome = invoke("store", "dump", "-o", str(store / "CURRENT.ttl"), "--store", str(store))
    assert_refused(outcome, says="store")
    outcome = invoke("store", "dump", "--format", "nt", "-o", str(store / "CURRENT"), "--store", str(store))
    assert_refused(outcome, says="store")
    assert snapshot(store)[str(store / "CURRENT")] == before[str(store / "CURRENT")]
    assert store_quads(store)


# 4. SERVICE is off by default -----------------------------------------------------------------

def test_service_in_a_user_query_makes_no_request_by_default():
    with CountingServer() as server:
        for text in (f"SELECT * WHERE {{ SERVICE <{server.url}/sparql> {{ ?s ?p ?o }} }}",
                     f"select * where {{ service silent <{server.url}/sparql> {{ ?s ?p ?o }} }}",
                     f"SELECT * WHERE {{ # a comment\n  SeRvIcE\n<{server.url}/x> {{ ?s ?p ?o }} }}"):
            outcome = invoke(*ACME_ARGS, "query", "-e", text)
            assert_refused(outcome, says="SERVICE")
            assert "--allow-service" in outcome.stderr
        assert server.hits == []


def test_allow_service_lets_a_query_federate():
    with CountingServer() as server:
        outcome = invoke(*ACME_ARGS, "query", "--allow-service", "-e",
                         f"SELECT * WHERE {{ SERVICE <{server.url}/sparql> {{ ?s ?p ?o }} }}")
        assert server.hits, outcome
        assert "Traceback" not in outcome.stderr


def test_the_word_service_in_a_string_or_a_name_is_not_a_service_call():
    outcome = invoke(*ACME_ARGS, "query", "-e",
                     'PREFIX ex: <http://e/> SELECT ?x WHERE { BIND("SERVICE <http://x>" AS ?x) '
                     'OPTIONAL { ?x ex:SERVICE ?service } }')
    assert outcome.code == 0, outcome


# 5. Resource exhaustion from tiny inputs -----------------------------------------------------

def billion_laughs(levels: int = 9) -> str:
    entities = ['<!ENTITY a0 "lollollollollollollollollollol">']
    entities += [f'<!ENTITY a{i} "{("&a%d;" % (i - 1)) * 10}">' for i in range(1, levels)]
    return ('<?xml version="1.0"?>\n<!DOCTYPE rdf:RDF [\n' + "\n".join(entities) + "\n]>\n"
            '<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" xmlns:ex="http://e/">\n'
            f'<rdf:Description rdf:about="http://e/s"><ex:p>&a{levels - 1};</ex:p></rdf:Description>\n'
            "</rdf:RDF>\n")


GIB = 1 << 30


def test_billion_laughs_is_refused_quickly(tmp_path):
    bomb = tmp_path / "lol.rdf"
    bomb.write_text(billion_laughs())
    assert bomb.stat().st_size < 1500
    outcome = autokg_process("--no-bundled", "--data", str(bomb), "stats", limit_memory=2 * GIB)
    assert_refused(outcome, says="entit")
    store = make_store(tmp_path / "kg")
    before = store_quads(store)
    outcome = autokg_process("store", "load", str(bomb), "--store", str(store), "--no-progress",
                             limit_memory=2 * GIB)
    assert_refused(outcome, says="entit")
    assert store_quads(store) == before


def test_quadratic_blowup_is_refused(tmp_path):
    big = "x" * 50_000
    body = "&big;" * 2000
    bomb = tmp_path / "quad.rdf"
    bomb.write_text(f'<?xml version="1.0"?>\n<!DOCTYPE rdf:RDF [ <!ENTITY big "{big}"> ]>\n'
                    '<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" xmlns:ex="http://e/">'
                    f'<rdf:Description rdf:about="http://e/s"><ex:p>{body}</ex:p></rdf:Description></rdf:RDF>\n')
    assert_refused(autokg_process("--no-bundled", "--data", str(bomb), "stats", limit_memory=2 * GIB),
                   says="entit")


def test_rdf_xml_with_namespace_entities_still_loads(tmp_path):
    owl = tmp_path / "onto.owl"
    owl.write_text('<?xml version="1.0"?>\n<!DOCTYPE rdf:RDF [\n'
                   '  <!ENTITY ex "http://example.org/ns#" >\n'
                   '  <!ENTITY rdfs "http://www.w3.org/2000/01/rdf-schema#" >\n]>\n'
                   '<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" xmlns:rdfs="&rdfs;">\n'
                   '  <rdf:Description rdf:about="&ex;Thing"><rdfs:label>Thing</rdfs:label></rdf:Description>\n'
                   '</rdf:RDF>\n')
    outcome = invoke("--no-bundled", "--data", str(owl), "query", "-e",
                     "SELECT ?l WHERE { <http://example.org/ns#Thing> rdfs:label ?l }", "--format", "csv")
    assert outcome.code == 0, outcome
    assert "Thing" in outcome.stdout


def test_an_external_entity_is_refused(tmp_path):
    secret = tmp_path / "secret.txt"
    secret.write_text("TOP-SECRET")
    xxe = tmp_path / "xxe.rdf"
    xxe.write_text(f'<?xml version="1.0"?>\n<!DOCTYPE rdf:RDF [ <!ENTITY s SYSTEM "file://{secret}"> ]>\n'
                   '<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" xmlns:ex="http://e/">'
                   '<rdf:Description rdf:about="http://e/s"><ex:p>&s;</ex:p></rdf:Description></rdf:RDF>\n')
    outcome = invoke("--no-bundled", "--data", str(xxe), "query", "-e", "SELECT ?o WHERE { ?s ?p ?o }")
    assert_refused(outcome, says="entit")
    assert "TOP-SECRET" not in outcome.stdout + outcome.stderr


def deep_jsonld(depth: int = 20_000) -> str:
    return '{"@id": "http://e/s", "http://e/p": ' + '{"http://e/p": ' * depth + '"x"' + "}" * depth + "}"


@pytest.mark.parametrize("where", ["--data", "validate", "store load"])
def test_deeply_nested_json_ld_is_refused_not_a_crash(tmp_path, where):
    deep = tmp_path / "deep.jsonld"
    deep.write_text(deep_jsonld())
    if where == "--data":
        outcome = autokg_process("--no-bundled", "--data", str(deep), "stats")
    elif where == "validate":
        outcome = autokg_process("validate", str(deep))
    else:
        outcome = autokg_process("store", "load", str(deep), "--store", str(tmp_path / "kg"), "--no-progress")
    assert_refused(outcome, says="nest")


@pytest.mark.parametrize("query", [
    "SELECT * WHERE { FILTER(" + "(" * 20_000 + "1" + ")" * 20_000 + ") }",
    "SELECT * WHERE " + "{" * 20_000 + "}" * 20_000,
    "SELECT * WHERE { ?a ?b ?c " + "OPTIONAL { ?a ?b ?c " * 5_000 + "}" * 5_000 + " }",
    "SELECT * WHERE { FILTER(" + "!" * 50_000 + "true) }",
    "SELECT * WHERE { ?a " + "^" * 50_000 + "<http://e/p> ?b }",
], ids=["parentheses", "groups", "optionals", "negations", "inverse-paths"])
def test_deeply_nested_sparql_is_refused_not_a_crash(query):
    outcome = autokg_process(*ACME_ARGS, "query", "-e", query)
    assert_refused(outcome, says="nest")


# 6. Terminal escape injection -----------------------------------------------------------------

ESCAPES = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")


def _evil_acme(tmp_path: Path, label: str) -> str:
    text = Path(ACME).read_text(encoding="utf-8").replace('rdfs:label "Acme Roadrunner"@en',
                                                           f'rdfs:label "{label}"@en')
    path = tmp_path / "evil.ttl"
    path.write_text(text, encoding="utf-8")
    return str(path)


@pytest.mark.parametrize("args", [("family", "Acme"), ("show", "Roadrunner"), ("competitors", "Bolt Spark"),
                                  ("lineage", "Roadrunner"), ("family", "Acme", "--format", "csv")])
def test_control_characters_from_data_never_reach_the_terminal(tmp_path, args):
    data = _evil_acme(tmp_path, "Acme\\u001B[2J\\u001B]0;pwned\\u0007 Road\\u202Erunner\\u009B")
    outcome = invoke("--no-bundled", "--data", data, *args)
    assert outcome.code == 0, outcome
    assert "Road" in outcome.stdout
    assert not ESCAPES.search(outcome.stdout), outcome


def test_control_characters_in_a_file_name_never_reach_the_terminal(tmp_path):
    name = str(tmp_path / "x\x1b[2J\nline two.ttl")
    outcome = invoke("--no-bundled", "--data", name, "stats")
    assert_refused(outcome)
    assert not ESCAPES.search(outcome.stderr)


# 7. CSV formula injection ---------------------------------------------------------------------

FORMULA = '=HYPERLINK(\\"http://evil.example/\\",\\"click\\")'


def _cells(text: str) -> list[str]:
    return [cell for row in csv.reader(io.StringIO(text)) for cell in row]


def test_csv_cells_that_a_spreadsheet_would_run_are_defused(tmp_path):
    data = _evil_acme(tmp_path, FORMULA)
    answers = invoke("--no-bundled", "--data", data, "family", "Acme", "--format", "csv")
    query = invoke("--no-bundled", "--data", data, "query", "--format", "csv", "-e",
                   "SELECT ?l WHERE { ?m rdfs:label ?l }")
    for outcome in (answers, query):
        assert outcome.code == 0, outcome
        cells = _cells(outcome.stdout)
        assert any("HYPERLINK" in c for c in cells)
        assert not [c for c in cells if c[:1] in ("=", "+", "-", "@", "\t", "\r")], cells


def test_csv_numbers_stay_numbers():
    outcome = invoke(*ACME_ARGS, "query", "--format", "csv", "-e",
                     'SELECT ?n ?t WHERE { BIND(-5 AS ?n) BIND("-note" AS ?t) }')
    assert outcome.code == 0, outcome
    assert _cells(outcome.stdout) == ["n", "t", "-5", "'-note"]


def test_streamed_csv_is_defused_in_every_chunk_and_quoted_cells_too():
    import io

    from autokg.output import _DefusingCsv

    out = io.BytesIO()
    stream = _DefusingCsv(out)
    stream.write(b"a,b\r\n")
    for i in range(20_000):  # well past one chunk, written in small pieces as the engine does
        stream.write(b"x%d,-%d\r\n" % (i, i))
    stream.write(b'"=HYPERLINK(""http://evil"")",@SUM(1)\r\n"two\r\nlines",ok\r\n')
    stream.flush()
    rows = list(csv.reader(io.StringIO(out.getvalue().decode(), newline="")))
    assert rows[0] == ["a", "b"] and rows[1] == ["x0", "-0"] and len(rows) == 20_003
    assert rows[-2] == ["'=HYPERLINK(\"http://evil\")", "'@SUM(1)"] and rows[-1] == ["two\nlines", "ok"]  # a CR in a cell is a control character: dropped


# 8. Mermaid and DOT injection -----------------------------------------------------------------

def test_mermaid_labels_and_ids_cannot_inject_statements(tmp_path):
    # Turtle escapes: the label holds quotes and newlines
    data = _evil_acme(tmp_path, 'Evil\\"]\\nclick acme_roadrunner call alert(1)\\n%%{init: {}}%%\\nx[\\"')
    extra = tmp_path / "ids.ttl"
    extra.write_text('<https://w3id.org/autokg/id/e;click;f> a <https://w3id.org/autokg/ns#VehicleModel> ;\n'
                     '  <http://www.w3.org/2000/01/rdf-schema#label> "Semi;colon"@en .\n')
    outcome = invoke("--no-bundled", "--data", data, "--data", str(extra), "export", "--all", "--format", "mermaid",
                     "-o", "-")
    assert outcome.code == 0, outcome
    lines = outcome.stdout.splitlines()
    assert lines[0] == "flowchart LR"
    node = re.compile(r'^  [A-Za-z0-9_]+\["[^"\n]*"\]$')
    edge = re.compile(r'^  [A-Za-z0-9_]+ (-- "[a-z ]+" -->|-\. "[a-z ]+" \.->) [A-Za-z0-9_]+$')
    assert all(node.match(line) or edge.match(line) for line in lines[1:]), lines
    assert not any(line.lstrip().startswith(("click", "%%")) for line in lines)


def test_dot_labels_cannot_inject_statements(tmp_path):
    # Turtle escapes: the label is  Evil\"]; x [label="pwned"]; <newline>"a" -> "b
    data = _evil_acme(tmp_path, 'Evil\\\\\\"]; x [label=\\"pwned\\"]; \\n\\"a\\" -> \\"b')
    outcome = invoke("--no-bundled", "--data", data, "export", "--all", "--format", "dot", "-o", "-")
    assert outcome.code == 0, outcome
    lines = outcome.stdout.splitlines()
    statement = re.compile(r'^  "(?:[^"\\\n]|\\.)*"( -> "(?:[^"\\\n]|\\.)*")? \[label="(?:[^"\\\n]|\\.)*"(, style=\w+)?\];$')
    assert all(statement.match(line) for line in lines[3:-1]), lines


@pytest.mark.parametrize("fmt", ["graphml", "gexf"])
def test_xml_graph_exports_stay_readable_with_control_characters_in_labels(tmp_path, fmt):
    import networkx as nx

    # ESC and SOH, which XML cannot hold (a NUL is refused when the data is read: see the strict-input tests)
    data = _evil_acme(tmp_path, "Acme\\u001B[2J Road\\u0001runner")
    out = tmp_path / f"out.{fmt}"
    outcome = invoke("--no-bundled", "--data", data, "export", "--all", "--format", fmt, "-o", str(out))
    assert outcome.code == 0, outcome
    G = (nx.read_graphml if fmt == "graphml" else nx.read_gexf)(out)
    assert "Acme[2J Roadrunner" in {attrs.get("label") for _, attrs in G.nodes(data=True)}


# 9. Credentials are never printed or stored ---------------------------------------------------

def test_a_password_in_the_store_url_is_never_echoed():
    with CountingServer(body=b"<html>no</html>", content_type="text/html") as server:
        host = server.url.removeprefix("http://")
        for args in (("--store", f"http://alice:s3cret@{host}/", "stats"),
                     ("store", "info", "--store", f"http://alice:s3cret@{host}/sparql"),
                     ("--store", "http://alice:s3cret@127.0.0.1:1/", "stats")):
            outcome = invoke(*args)
            assert outcome.code == 2, outcome
            assert "s3cret" not in outcome.stdout + outcome.stderr, outcome
            assert "Traceback" not in outcome.stderr


def test_credentials_in_the_store_url_are_sent_as_basic_auth_not_in_the_host():
    seen: list[str | None] = []

    class Auth(http.server.BaseHTTPRequestHandler):
        def do_POST(self):  # noqa: N802
            seen.append(self.headers.get("Authorization"))
            self.rfile.read(int(self.headers.get("Content-Length") or 0))
            body = b'{"head":{},"boolean":true}'
            self.send_response(200)
            self.send_header("Content-Type", "application/sparql-results+json")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args):
            pass

    server = http.server.HTTPServer(("127.0.0.1", 0), Auth)
    thread = threading.Thread(target=server.handle_request, daemon=True)
    thread.start()
    try:
        from autokg.graph import open_graph

        kg = open_graph(store=f"http://alice:s3cret@127.0.0.1:{server.server_port}/sparql")
        assert "s3cret" not in repr(kg.store) and "s3cret" not in (kg.location or "")
        kg.store.ping()
        thread.join(10)
    finally:
        server.server_close()
    import base64

    assert seen == ["Basic " + base64.b64encode(b"alice:s3cret").decode()]


def test_userinfo_in_an_imported_source_url_is_not_stored(tmp_path):
    table = tmp_path / "sales.csv"
    table.write_text("month,brand,model,units,source_url\n"
                     "2025-10,Acme Motors,Roadrunner,100,https://alice:s3cret@example.org/news/october.html\n")
    out = tmp_path / "out.ttl"
    outcome = invoke(*ACME_ARGS, "import", "sales", str(table), "--market", "CN", "-o", str(out))
    assert outcome.code == 0, outcome
    text = out.read_text()
    assert "s3cret" not in text and "alice" not in text
    assert '"example.org"' in text
    assert "s3cret" not in outcome.stdout + outcome.stderr


# 10. The Open EV Data importer stays in its tree and reads regular files only -----------------

def _ev_tree(root: Path) -> Path:
    sys.path.insert(0, str(Path(__file__).parent))
    try:
        from test_import_open_ev_data import tree
    finally:
        sys.path.remove(str(Path(__file__).parent))
    return tree(root)


def test_open_ev_data_does_not_follow_symlinks_out_of_its_tree(tmp_path):
    root = _ev_tree(tmp_path / "ev")
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "leak.json").write_text(json.dumps({"trim": {"slug": "leak", "name": "LEAKED-MARKER"}}))
    (outside / "base.json").write_text(json.dumps({
        "make": {"slug": "leaky", "name": "LEAKED-MAKER"}, "model": {"slug": "m", "name": "LEAKED-MODEL"}}))
    year = root / "src" / "acmemotors" / "volt_runner" / "2025"
    (year / "volt_runner_leak.json").symlink_to(outside / "leak.json")
    (root / "src" / "leaky").mkdir()
    (root / "src" / "leaky" / "m").symlink_to(outside, target_is_directory=True)
    (year / "volt_runner_passwd.json").symlink_to("/etc/passwd")
    out = tmp_path / "out.ttl"
    outcome = autokg_process("import", "open-ev-data", str(root), "--create", "--skip-invalid", "-o", str(out))
    assert outcome.code == 0, outcome
    everything = out.read_text() + outcome.stdout + outcome.stderr
    assert "LEAKED" not in everything and "root:" not in everything
    assert "volt_runner_leak.json" in outcome.stdout and "symbolic link" in outcome.stdout


def test_open_ev_data_does_not_hang_on_a_fifo(tmp_path):
    root = _ev_tree(tmp_path / "ev")
    os.mkfifo(root / "src" / "acmemotors" / "volt_runner" / "2025" / "volt_runner_fifo.json")
    out = tmp_path / "out.ttl"
    outcome = autokg_process("import", "open-ev-data", str(root), "--create", "--skip-invalid", "-o", str(out),
                             timeout=60)
    assert outcome.code == 0, outcome
    assert "volt_runner_fifo.json" in outcome.stdout and "not a regular file" in outcome.stdout


def test_open_ev_data_never_fetches_a_remote_schema_reference(tmp_path):
    root = _ev_tree(tmp_path / "ev")
    with CountingServer(body=b'{"type": "object"}', content_type="application/json") as server:
        (root / "schema.json").write_text(json.dumps({"$ref": f"{server.url}/schema.json"}))
        outcome = autokg_process("import", "open-ev-data", str(root), "--create", "--dry-run", timeout=60)
        assert server.hits == []
    assert_refused(outcome, says="schema.json")
