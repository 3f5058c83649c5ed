"""The red team of issue 14 as data: each case is a bad or odd input, a clumsy user's or an attacker's.

Every case asserts the exit code, exactly one line on standard error with no traceback, and that
nothing changed: the store's triples and the files of the case's folder are as they were (apart
from an output the case expects). A case runs in a fresh folder with a small store at ``kg``.
"""

from __future__ import annotations

import http.server
import json
import os
import sys
import threading
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parent))
from hostile import ACME, assert_refused, autokg_process, invoke, make_store, snapshot, store_quads  # noqa: E402

sys.path.remove(str(Path(__file__).parent))

ACME_ARGS = ["--no-bundled", "--data", ACME]
#: The address space a command may use on hostile input (README, "Limits, locks and safety").
HOSTILE_INPUT_MEMORY = 1 << 30
TRIPLE = '<http://e/s> <http://e/p> "o" .\n'


@dataclass
class Case:
    """A bad input: ``make(folder)`` writes what it needs and returns the command's arguments."""

    id: str
    make: Callable[[Path], list[str]]
    code: int = 2
    says: str | None = None
    fixed: bool = True  # False: still fails (xfail, strict), until issue 14's fix lands
    subprocess: bool = False  # run as a child process (the input could crash the interpreter)
    env: dict[str, str] | None = None
    never: str | None = None  # text that must not appear in the error


def put(folder: Path, name: str, content: str | bytes) -> str:
    path = folder / name
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(content, bytes):
        path.write_bytes(content)
    else:
        path.write_text(content, encoding="utf-8")
    return str(path)


def load(name: str, content: str | bytes) -> Callable[[Path], list[str]]:
    """``store load`` of one file into the case's store."""
    return lambda d: ["store", "load", put(d, name, content), "--store", str(d / "kg"), "--no-progress"]


def data(name: str, content: str | bytes, *command: str) -> Callable[[Path], list[str]]:
    """A question with ``--data`` of one file (``stats`` unless told)."""
    return lambda d: ["--no-bundled", "--data", put(d, name, content), *(command or ("stats",))]


def acme(*args: str) -> Callable[[Path], list[str]]:
    return lambda d: [*ACME_ARGS, *args]


def on_store(*args: str) -> Callable[[Path], list[str]]:
    return lambda d: ["--store", str(d / "kg"), *args]


def store_cmd(*args: str) -> Callable[[Path], list[str]]:
    return lambda d: ["store", *args, "--store", str(d / "kg")]


SALES_HEAD = "month,brand,model,units,source_url\n"


def sales(rows: str, *extra: str) -> Callable[[Path], list[str]]:
    return lambda d: [*ACME_ARGS, "import", "sales", put(d, "sales.csv", SALES_HEAD + rows), "--market", "CN",
                      "-o", str(d / "out.ttl"), *extra]


def catalog(rows: str) -> Callable[[Path], list[str]]:
    return lambda d: [*ACME_ARGS, "import", "catalog", put(d, "cat.csv", "make,model,year\n" + rows),
                      "-o", str(d / "out.ttl")]


def jsonld_deep(depth: int) -> str:
    return '{"@id": "http://e/s", "http://e/p": ' + "[" * depth + '"x"' + "]" * depth + "}"


def fake_store(d: Path) -> list[str]:
    (d / "broken").mkdir()
    (d / "broken" / "CURRENT").write_text("MANIFEST-000001\n")
    (d / "broken" / "IDENTITY").write_text("x\n")
    return ["--store", str(d / "broken"), "stats"]


def truncated_store(d: Path) -> list[str]:
    make_store(d / "cut")
    for sst in (d / "cut").glob("*"):
        if sst.name.startswith("MANIFEST"):
            sst.write_bytes(sst.read_bytes()[:20])
    return ["--store", str(d / "cut"), "stats"]


def symlink_loop(d: Path) -> list[str]:
    (d / "loop.ttl").symlink_to(d / "loop.ttl")
    return [*ACME_ARGS, "export", "--all", "--format", "ttl", "-o", str(d / "loop.ttl")]


def unreadable_in_folder(d: Path) -> list[str]:
    if os.geteuid() == 0:
        pytest.skip("root reads every file")
    put(d, "in/a.ttl", TRIPLE)
    Path(put(d, "in/b.ttl", TRIPLE)).chmod(0)
    return ["store", "load", str(d / "in"), "--store", str(d / "kg"), "--no-progress"]


def open_ev(record: dict, *, schema: dict | None = None, year: str = "2025", no_schema: bool = False):
    def make(d: Path) -> list[str]:
        root = d / "ev"
        put(d, "ev/package.json", json.dumps({"name": "open-ev-data", "version": "1.0.0"}))
        put(d, "ev/schema.json", json.dumps(schema if schema is not None else {"type": "object"}))
        put(d, "ev/src/acme/runner/base.json", json.dumps({
            "make": {"slug": "acme", "name": "Acme"}, "model": {"slug": "runner", "name": "Runner"}}))
        put(d, f"ev/src/acme/runner/{year}/runner.json", json.dumps(record))
        return ["import", "open-ev-data", str(root), "--create", "-o", str(d / "out.ttl"),
                *(["--no-schema"] if no_schema else [])]
    return make


RECORD = {"year": 2025, "trim": {"slug": "base", "name": "Base"}, "battery": {"pack_capacity_kwh_net": 60},
          "range": {"rated": [{"cycle": "wltp", "range_km": 450}]}}


class Endpoint:
    """A fake SPARQL endpoint on 127.0.0.1 that answers every request the same way."""

    def __init__(self, status: int, content_type: str, body: bytes, *, cut: bool = False, location: str = ""):
        outer = self

        class Handler(http.server.BaseHTTPRequestHandler):
            def _answer(self) -> None:
                self.rfile.read(int(self.headers.get("Content-Length") or 0))
                self.send_response(status)
                if location:
                    self.send_header("Location", location or outer.url)
                self.send_header("Content-Type", content_type)
                self.send_header("Content-Length", str(len(body) * (2 if cut else 1)))
                self.end_headers()
                self.wfile.write(body)

            do_GET = do_POST = _answer

            def log_message(self, *args) -> None:
                pass

        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_port}"
        threading.Thread(target=self.server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True).start()

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


ENDPOINT_ANSWERS = {
    "garbage": (200, "application/sparql-results+json", b"\x00\xff garbage"),
    "html": (200, "text/html", b"<html><body>Login</body></html>"),
    "wrong-type": (200, "application/octet-stream", b'{"head":{"vars":["n"]}}'),
    "non-numeric-count": (200, "application/sparql-results+json",
                          b'{"head":{"vars":["n"]},"results":{"bindings":[{"n":{"type":"literal","value":"lots"}}]}}'),
    "cut-short": (200, "application/sparql-results+json", b'{"head":{"vars":["n"]},"results":{"bind'),
    "bad-iri": (200, "application/sparql-results+json",
                b'{"head":{"vars":["s"]},"results":{"bindings":[{"s":{"type":"uri","value":"http://a b"}}]}}'),
    "n-triples-junk": (200, "application/n-triples", b"<http://a b> junk .\n"),
    "server-error": (500, "text/plain", b"Internal\nError"),
}

CASES: list[Case] = [
    # Tracebacks that must be one line -----------------------------------------------------------
    Case("bind-iri-with-space", acme("query", "--name", "rivals", "--bind", "model=<http://a b>"), says="IRI"),
    Case("bind-empty-name", acme("query", "--name", "rivals", "--bind", "=x")),
    Case("bind-bad-curie", acme("query", "--name", "rivals", "--bind", "model=nope:x")),
    Case("not-a-number-typed-literal",
         acme("query", "-e", 'SELECT ?x WHERE { VALUES ?x { "abc"^^xsd:integer } }'), code=0),
    Case("impossible-date", acme("query", "-e", 'SELECT ?x WHERE { VALUES ?x { "2025-13-01"^^xsd:date } }'),
         code=0),
    Case("fake-store-folder", fake_store, says="corrupt or not an autokg store"),
    Case("truncated-store", truncated_store, says="corrupt or not an autokg store"),
    Case("url-with-space", lambda d: ["--store", "http://exa mple.org/sparql", "stats"], says="URL"),
    Case("bad-ipv6-host", lambda d: ["--store", "http://[::1/sparql", "stats"], says="URL"),
    Case("timeout-inf", on_store("stats"), env={"AUTOKG_TIMEOUT": "inf"}, says="AUTOKG_TIMEOUT"),
    Case("timeout-nan", on_store("stats"), env={"AUTOKG_TIMEOUT": "nan"}, says="AUTOKG_TIMEOUT"),
    Case("timeout-negative", on_store("stats"), env={"AUTOKG_TIMEOUT": "-1"}, says="AUTOKG_TIMEOUT"),
    Case("export-empty-output", acme("export", "--all", "--format", "ttl", "-o", "")),
    Case("import-empty-output", lambda d: sales("2025-10,Acme Motors,Roadrunner,1,https://e.org/a")(d)[:-1] + [""]),
    Case("dump-empty-output", store_cmd("dump", "-o", "")),
    Case("output-symlink-loop", symlink_loop),
    Case("sales-huge-cell", sales("2025-10,Acme Motors," + "R" * 200_000 + ",1,https://e.org/a\n"), says="cell"),
    Case("catalog-huge-cell", catalog("Acme," + "R" * 200_000 + ",2025\n"), says="cell"),
    Case("open-ev-wrong-types", open_ev({**RECORD, "battery": "big", "range": 5, "trim": ["x"]}, no_schema=True),
         code=1),
    Case("open-ev-markets-not-list", open_ev({**RECORD, "markets": 7}, no_schema=True), code=1),
    Case("open-ev-schema-bad-pattern", open_ev(RECORD, schema={"type": "object",
                                                               "properties": {"trim": {"pattern": "["}}}),
         says="schema.json"),
    Case("open-ev-schema-not-a-schema", open_ev(RECORD, schema={"type": 5}), says="schema.json"),
    Case("open-ev-schema-deep", lambda d: open_ev(RECORD)(d) if not (d / "ev").exists() else [],
         fixed=True),  # replaced below by a deep schema
    Case("open-ev-odd-year-folder", open_ev(RECORD, year="²"), code=0),
    Case("focus-not-an-iri", store_cmd("validate", "--focus", "not an iri"), says="IRI"),
    # Crashes of the interpreter -----------------------------------------------------------------
    Case("empty-data-path", lambda d: ["--data", "", "stats"], says="empty", subprocess=True),
    Case("deep-json-ld-list", data("deep.jsonld", jsonld_deep(100_000)), says="nest", subprocess=True),
    Case("deep-sparql-brackets", acme("query", "-e", "SELECT * WHERE { ?s ?p " + "[ ?p " * 20_000 + "]" * 20_000
                                       + " }"), says="nest", subprocess=True),
    Case("deep-turtle-blank-nodes", data("deep.ttl", "<http://e/s> <http://e/p> " + "[ <http://e/p> " * 100_000
                                         + "1" + " ]" * 100_000 + " ."), code=0, subprocess=True),
    Case("deep-turtle-collections", data("deep.ttl", "<http://e/s> <http://e/p> " + "( " * 100_000
                                         + ")" * 100_000 + " ."), code=0, subprocess=True),
    # State that must not change -----------------------------------------------------------------
    # The file is checked against a copy of the store in memory (issue 8), never added to the store;
    # its triple is one the store lacks, so that writing it there would show.
    Case("validate-with-store-and-file", lambda d: ["--store", str(d / "kg"), "validate",
                                                    put(d, "x.ttl", '<http://e/s2> <http://e/p> "o2" .\n')], code=0),
    Case("load-validate-invalid-data", lambda d: [
        "store", "load", "--validate", put(d, "bad.ttl",
                                           "<https://w3id.org/autokg/id/x> a <https://w3id.org/autokg/ns#VehicleModel> .\n"),
        "--store", str(d / "kg"), "--no-progress"], code=1, says="violation"),
    Case("load-folder-with-non-rdf-json", lambda d: (put(d, "in/a.ttl", TRIPLE), put(d, "in/notes.json",
                                                                                   '{"not": "json-ld"}'),
                                                     ["store", "load", str(d / "in"), "--store", str(d / "kg"),
                                                      "--no-progress"])[-1], says="notes.json"),
    Case("load-folder-with-unreadable-file", unreadable_in_folder, says="b.ttl"),
    # Bad input accepted with exit 0 -------------------------------------------------------------
    Case("nul-in-literal", load("nul.ttl", '<http://e/s> <http://e/p> "a\\u0000b" .\n'), says="NUL"),
    Case("raw-nul-in-literal", load("nul.ttl", b'<http://e/s> <http://e/p> "a\x00b" .\n'), says="NUL"),
    Case("rdf-star-triple-term", load("star.ttl", "<http://e/s> <http://e/p> <<( <http://e/a> <http://e/b> "
                                                  "<http://e/c> )>> .\n"), says="RDF-star"),
    Case("rdf-star-reifier", load("star.ttl", "<< <http://e/a> <http://e/b> <http://e/c> >> <http://e/p> 1 .\n"),
         says="RDF-star"),
    Case("turtle-version", load("v.ttl", 'VERSION "1.2"\n' + TRIPLE), says="VERSION"),
    Case("empty-rdf-xml", load("e.rdf", ""), says="RDF/XML"),
    Case("unclosed-rdf-xml", load("u.rdf", '<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">\n'),
         says="RDF/XML"),
    Case("json-ld-number", load("n.jsonld", "42"), says="JSON-LD"),
    Case("json-ld-string", load("s.jsonld", '"x"'), says="JSON-LD"),
    Case("json-ld-null", load("z.jsonld", "null"), says="JSON-LD"),
    Case("json-ld-bad-iri", load("b.jsonld", '{"@id": "http://a b", "http://e/p": "x"}'), says="JSON-LD"),
    Case("json-ld-looping-context", load("l.jsonld", '{"@context": {"a": "b:", "b": "a:"}, "@id": "http://e/s", '
                                                     '"a:x": "1"}'), says="l.jsonld"),
    Case("json-ld-remote-context", load("r.jsonld", '{"@context": "http://127.0.0.1:9/c.jsonld", '
                                                    '"@id": "http://e/s", "http://e/p": "x"}'), says="context"),
    Case("huge-literal", load("big.nt", '<http://e/s> <http://e/p> "' + "x" * (17 << 20) + '" .\n'),
         says="literal", subprocess=True),
    # The reverse: odd but good input is accepted -------------------------------------------------
    Case("turtle-with-bom", load("bom.ttl", b"\xef\xbb\xbf" + TRIPLE.encode()), code=0),
    Case("sales-with-bom", sales("2025-10,Acme Motors,Roadrunner,1,https://e.org/a\n"), code=0),
    # Identity slips -----------------------------------------------------------------------------
    Case("iri-where-a-model-is-expected", acme("competitors", "id:acme"), says="model"),
    # Messages -----------------------------------------------------------------------------------
    Case("sparql-parse-error-says-where", acme("query", "-e", "SELECT ?x WHERE { ?x ?y }"),
         says="line 1, column 2", never="\\u{"),
    Case("sparql-parse-error-unclosed", acme("query", "-e", "SELECT ?x WHERE { ?x ?y ?z"), says="line 1",
         never="\\u{"),
    Case("path-with-newline", lambda d: ["--no-bundled", "--data", str(d / "a\nb.ttl"), "stats"], says="a\\nb.ttl"),
]
CASES = [c for c in CASES if c.id != "open-ev-schema-deep"]
# A schema that nests deeper than the interpreter's stack.
CASES.append(Case("open-ev-schema-deep", lambda d: (
    open_ev(RECORD)(d), (d / "ev" / "schema.json").write_text('{"items": ' * 5000 + "{}" + "}" * 5000),
    ["import", "open-ev-data", str(d / "ev"), "--create", "-o", str(d / "out.ttl")])[-1], says="schema.json"))
for name, (status, ctype, body) in ENDPOINT_ANSWERS.items():
    for command in (("stats",), ("store", "dump", "--format", "nt")):
        CASES.append(Case(f"endpoint-{name}-{command[0]}", lambda d, c=command: (
            ["--store", "{endpoint}", *c] if c == ("stats",) else [*c, "--store", "{endpoint}"]), says="endpoint"))
CASES.append(Case("endpoint-redirect-loop", lambda d: ["--store", "{redirect}", "stats"], says="redirect"))

#: Cases that still fail: each flips to a pass as its fix lands (strict xfail).
NOT_YET: set[str] = set()


@pytest.fixture()
def folder(tmp_path: Path) -> Path:
    make_store(tmp_path / "kg")
    return tmp_path


def _params():
    for case in CASES:
        marks = [pytest.mark.xfail(strict=True, reason="issue 14: not fixed yet")] if case.id in NOT_YET else []
        yield pytest.param(case, id=case.id, marks=marks)


@pytest.mark.parametrize("case", list(_params()))
def test_bad_input(case: Case, folder: Path):
    endpoint = redirect = None
    try:
        if case.id.startswith("endpoint-") and case.id != "endpoint-redirect-loop":
            status, ctype, body = ENDPOINT_ANSWERS[case.id.removeprefix("endpoint-").rsplit("-", 1)[0]
                                                   .removesuffix("-store")]
            endpoint = Endpoint(status, ctype, body, cut=case.id.startswith("endpoint-cut-short"))
        if case.id == "endpoint-redirect-loop":
            redirect = Endpoint(302, "text/plain", b"", location="/again")
        args = case.make(folder)
        args = [a.replace("{endpoint}", endpoint.url + "/sparql" if endpoint else "")
                 .replace("{redirect}", redirect.url + "/sparql" if redirect else "") for a in args]
        store_before = store_quads(folder / "kg")
        files_before = snapshot(*[p for p in folder.iterdir() if p.name != "kg" and not p.name.startswith("out")])
        if case.subprocess:  # in a child, held to the memory bound the README promises for hostile input
            outcome = autokg_process(*args, env=case.env, limit_memory=HOSTILE_INPUT_MEMORY)
        else:
            outcome = invoke(*args, env=case.env)
    finally:
        for server in (endpoint, redirect):
            if server is not None:
                server.close()
    if case.code == 0:
        assert outcome.code == 0, outcome
        assert "Traceback" not in outcome.stderr, outcome
    else:
        assert_refused(outcome, case.code, says=case.says)
        assert case.never is None or case.never not in outcome.stderr, outcome
    assert store_quads(folder / "kg") == store_before
    after = snapshot(*[p for p in folder.iterdir() if p.name != "kg" and not p.name.startswith("out")])
    assert {k: v for k, v in after.items() if k in files_before} == files_before
    if case.code != 0:
        assert not (folder / "out.ttl").exists() or case.id.startswith("output-")
