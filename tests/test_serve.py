"""`autokg serve`: the SPARQL 1.1 Protocol with two real clients, the limits, and the pages.

The server runs on 127.0.0.1 (see the ``web_server`` fixture) with a 3 s timeout and a 500-row cap.
"""

from __future__ import annotations

import csv
import io
import json
import urllib.error
import urllib.parse
import urllib.request
import xml.etree.ElementTree as ET

import pytest

RIVALS_OF_MODEL_Y = """
SELECT DISTINCT ?rival ?label WHERE {
  id:tesla-model-y akg:qualifiedCompetition|^akg:competitor ?claim .
  { ?claim akg:competitor ?rival } UNION { ?rival akg:qualifiedCompetition ?claim }
  ?rival rdfs:label ?label .
  FILTER(?rival != id:tesla-model-y)
}"""


def fetch(url: str, *, data: bytes | None = None, headers: dict[str, str] | None = None,
          method: str | None = None) -> tuple[int, dict[str, str], bytes]:
    request = urllib.request.Request(url, data=data, headers=headers or {}, method=method)
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            return response.status, dict(response.headers), response.read()
    except urllib.error.HTTPError as err:
        return err.code, dict(err.headers), err.read()


def sparql_get(base: str, query: str, **params: str) -> tuple[int, dict[str, str], bytes]:
    return fetch(f"{base}/sparql?" + urllib.parse.urlencode({"query": query, **params}))


# The protocol, with real clients ----------------------------------------------------------------

def test_sparqlwrapper_reads_every_select_format(web_server):
    from SPARQLWrapper import CSV, JSON, TSV, XML, SPARQLWrapper

    labels = {}
    for fmt in (JSON, XML, CSV, TSV):
        client = SPARQLWrapper(f"{web_server}/sparql")
        client.setQuery(RIVALS_OF_MODEL_Y)
        client.setReturnFormat(fmt)
        result = client.queryAndConvert()
        if fmt == JSON:
            labels[fmt] = {b["label"]["value"] for b in result["results"]["bindings"]}
        elif fmt == XML:
            labels[fmt] = {el.firstChild.data for el in result.getElementsByTagName("literal")}  # a minidom Document
        elif fmt == CSV:
            labels[fmt] = {row["label"] for row in csv.DictReader(io.StringIO(result.decode("utf-8")))}
        else:
            rows = result.decode("utf-8").splitlines()[1:]
            labels[fmt] = {line.split("\t")[1].split('"')[1] for line in rows}
    assert "Xiaomi YU7" in labels[JSON]
    assert labels[JSON] == labels[XML] == labels[CSV] == labels[TSV]


def test_sparqlwrapper_post_and_construct_formats(web_server):
    from SPARQLWrapper import JSONLD, N3, POST, TURTLE, SPARQLWrapper
    from rdflib import Graph, URIRef

    for fmt in (TURTLE, JSONLD, N3):
        client = SPARQLWrapper(f"{web_server}/sparql")
        client.setMethod(POST)
        client.setQuery("CONSTRUCT { ?m rdfs:label ?l } WHERE { ?m akg:manufacturer id:xiaomi ; rdfs:label ?l }")
        client.setReturnFormat(fmt)
        graph = client.queryAndConvert()
        if not isinstance(graph, Graph):
            graph = Graph().parse(data=graph, format="json-ld" if fmt == JSONLD else "turtle")
        assert (URIRef("https://w3id.org/autokg/id/xiaomi-yu7"), None, None) in graph, fmt
    status, headers, body = sparql_get(web_server, "DESCRIBE id:xiaomi-yu7", format="nt")
    assert headers["content-type"].startswith("application/n-triples")
    assert (URIRef("https://w3id.org/autokg/id/xiaomi-yu7"), None, None) in Graph().parse(data=body, format="nt")


def test_rdflib_sparqlstore_sees_the_data_as_default_graph(web_server):
    from rdflib import Graph, URIRef
    from rdflib.plugins.stores.sparqlstore import SPARQLStore

    graph = Graph(store=SPARQLStore(f"{web_server}/sparql", returnFormat="json"))
    rows = list(graph.query(RIVALS_OF_MODEL_Y.replace("id:", "<https://w3id.org/autokg/id/").replace(
        "tesla-model-y", "tesla-model-y>"), initNs={"akg": "https://w3id.org/autokg/ns#",
                                                    "rdfs": "http://www.w3.org/2000/01/rdf-schema#"}))
    assert "Xiaomi YU7" in {str(r.label) for r in rows}
    assert graph.query("ASK { ?s ?p ?o }").askAnswer is True
    assert len(list(graph.triples((URIRef("https://w3id.org/autokg/id/xiaomi"), None, None)))) > 3


def test_post_sparql_query_body_and_ask_formats(web_server):
    status, headers, body = fetch(f"{web_server}/sparql", data=b"ASK { id:xiaomi a akg:Manufacturer }",
                                  headers={"Content-Type": "application/sparql-query",
                                           "Accept": "application/sparql-results+xml"})
    assert status == 200 and headers["content-type"].startswith("application/sparql-results+xml")
    assert ET.fromstring(body).find("{http://www.w3.org/2005/sparql-results#}boolean").text == "true"
    status, _, body = sparql_get(web_server, "ASK { id:nobody a akg:Manufacturer }", format="json")
    assert json.loads(body) == {"head": {}, "boolean": False}


def test_bind_values_are_bound_never_pasted(web_server):
    query = "SELECT ?m ?label WHERE { ?m rdfs:label ?label }"
    status, _, body = sparql_get(web_server, query, bind="m=id:xiaomi-yu7")
    rows = json.loads(body)["results"]["bindings"]
    assert status == 200 and [r["label"]["value"] for r in rows] == ["Xiaomi YU7"]
    status, _, body = sparql_get(web_server, query, bind='m=x"> } ; DROP ALL ; #')
    assert status == 200 and json.loads(body)["results"]["bindings"] == []
    status, _, body = sparql_get(web_server, query, bind="not a binding")
    assert status == 400 and b"NAME=VALUE" in body


# Refusals and limits ----------------------------------------------------------------------------

@pytest.mark.parametrize("how", ["get-update", "form-update", "body-update", "query-is-update"])
def test_updates_are_refused_with_403(web_server, how):
    update = "DROP ALL"
    if how == "get-update":
        status, _, body = fetch(f"{web_server}/sparql?" + urllib.parse.urlencode({"update": update}))
    elif how == "form-update":
        status, _, body = fetch(f"{web_server}/sparql", data=urllib.parse.urlencode({"update": update}).encode(),
                                headers={"Content-Type": "application/x-www-form-urlencoded"})
    elif how == "body-update":
        status, _, body = fetch(f"{web_server}/sparql", data=update.encode(),
                                headers={"Content-Type": "application/sparql-update"})
    else:
        status, _, body = sparql_get(web_server, "PREFIX x: <http://e/>\nINSERT DATA { x:a x:b x:c }")
    assert status == 403
    assert b"read-only" in body
    assert json.loads(sparql_get(web_server, "SELECT (COUNT(*) AS ?n) { ?s ?p ?o }")[2])[
        "results"]["bindings"][0]["n"]["value"] != "0"


@pytest.mark.parametrize("query", [
    "SELECT * WHERE { SERVICE <http://127.0.0.1:9/sparql> { ?s ?p ?o } }",
    "SELECT * WHERE { \\u0053ERVICE <http://127.0.0.1:9/sparql> { ?s ?p ?o } }",
    "SELECT * WHERE { ?x ?y ?z . service silent <http://example.org/> { ?s ?p ?o } }",
])
def test_service_is_refused(web_server, query):
    status, _, body = sparql_get(web_server, query)
    assert status == 403 and b"SERVICE is not allowed" in body


def test_bad_query_gets_400_with_its_position(web_server):
    status, _, body = sparql_get(web_server, "SELECT ?x WHERE { ?x ?y }")
    text = body.decode()
    assert status == 400
    assert "line 1, column" in text and "expected" in text
    assert "\\u{" not in text and len(text.splitlines()) == 1


def test_deep_nesting_is_refused_before_parsing(web_server):
    status, _, body = sparql_get(web_server, "SELECT * WHERE " + "{" * 5000 + "}" * 5000)
    assert status == 400 and b"nests 5000 levels" in body


def test_a_long_flat_query_is_answered_not_a_crashed_worker(web_server):
    # 8,000 UNION branches in 56 KB overflow an 8 MB main-thread stack in the engine (signal 11):
    # the workers run queries on a thread with a larger one
    query = "SELECT * WHERE { " + "UNION".join(["{}"] * 8000) + " }"
    status, _, body = fetch(f"{web_server}/sparql", data=query.encode(),
                            headers={"Content-Type": "application/sparql-query",
                                     "Accept": "application/sparql-results+json"})
    assert status == 200, body[:300]
    assert len(json.loads(body)["results"]["bindings"]) == 500  # the row cap of the test server


def test_timeout_stops_a_long_query_and_the_server_carries_on(web_server):
    slow = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"
    status, _, body = sparql_get(web_server, slow)
    assert status == 503 and b"longer than 3 s" in body
    status, _, body = sparql_get(web_server, "ASK { id:xiaomi ?p ?o }")
    assert status == 200 and json.loads(body)["boolean"] is True


def test_row_cap_cuts_and_says_so(web_server):
    status, headers, body = sparql_get(web_server, "SELECT * WHERE { ?s ?p ?o }")
    assert status == 200
    assert len(json.loads(body)["results"]["bindings"]) == 500
    assert "500 rows" in headers["autokg-truncated"]
    status, headers, body = sparql_get(web_server, "SELECT * WHERE { ?s ?p ?o } LIMIT 5", format="csv")
    assert "autokg-truncated" not in headers and len(body.decode().splitlines()) == 6


def test_oversized_body_is_refused(web_server):
    query = "SELECT * WHERE { ?s ?p ?o } #" + "x" * 70_000
    status, _, body = fetch(f"{web_server}/sparql", data=query.encode(),
                            headers={"Content-Type": "application/sparql-query"})
    assert status == 413 and b"too large" in body


def test_cors_preflight_and_headers(web_server):
    status, headers, _ = fetch(f"{web_server}/sparql", method="OPTIONS", headers={
        "Origin": "http://yasgui.example", "Access-Control-Request-Method": "POST",
        "Access-Control-Request-Headers": "content-type"})
    assert status == 200
    assert headers["access-control-allow-origin"] == "*"
    assert "POST" in headers["access-control-allow-methods"]
    _, headers, _ = fetch(f"{web_server}/sparql?query=ASK%7B%7D", headers={"Origin": "http://yasgui.example"})
    assert headers["access-control-allow-origin"] == "*"


def test_service_description_and_void(web_server):
    from rdflib import Graph, Namespace

    SD, VOID = Namespace("http://www.w3.org/ns/sparql-service-description#"), Namespace("http://rdfs.org/ns/void#")
    status, headers, body = fetch(f"{web_server}/sparql", headers={"Accept": "text/turtle"})
    assert status == 200 and headers["content-type"].startswith("text/turtle")
    sd = Graph().parse(data=body, format="turtle")
    assert (None, SD.supportedLanguage, SD.SPARQL11Query) in sd
    _, _, body = fetch(f"{web_server}/void", headers={"Accept": "application/ld+json"})
    void = Graph().parse(data=body, format="json-ld")
    triples = next(void.objects(None, VOID.triples)).toPython()
    assert triples > 1000
    classes = {str(c): int(n) for part in void.objects(None, VOID.classPartition)
               for c in void.objects(part, VOID["class"]) for n in void.objects(part, VOID.entities)}
    assert classes["https://w3id.org/autokg/ns#Manufacturer"] >= 10


# Pages and entities as data ---------------------------------------------------------------------

def test_search_resolves_names_and_suggests_on_a_miss(web_server):
    status, headers, body = fetch(f"{web_server}/search?q=tesla+model+y")
    assert status == 200 and b"Xiaomi YU7" in body and b"<svg" in body
    status, _, body = fetch(f"{web_server}/search?q=Modle+Y")
    assert status == 404 and b"Did you mean" in body and b"/model/tesla-model-y" in body


def test_unknown_entity_404_with_suggestions(web_server):
    status, _, body = fetch(f"{web_server}/model/xiaomi-yu8")
    assert status == 404 and b"/model/xiaomi-yu7" in body


def test_entity_as_data_by_link_and_negotiation(web_server):
    from rdflib import Graph, URIRef

    yu7 = URIRef("https://w3id.org/autokg/id/xiaomi-yu7")
    for suffix, fmt in (("ttl", "turtle"), ("jsonld", "json-ld"), ("nt", "nt")):
        status, _, body = fetch(f"{web_server}/data/xiaomi-yu7.{suffix}")
        assert status == 200 and (yu7, None, None) in Graph().parse(data=body, format=fmt)
    status, headers, body = fetch(f"{web_server}/model/xiaomi-yu7", headers={"Accept": "text/turtle"})
    assert headers["content-type"].startswith("text/turtle") and (yu7, None, None) in Graph().parse(data=body)
    status, _, body = fetch(f"{web_server}/data/xiaomi-yu7.json")
    doc = json.loads(body)
    assert doc["label"] == "Xiaomi YU7" and any(r["label"] == "Tesla Model Y" for r in doc["rivals"])


def test_id_paths_resolve_as_w3id_would(web_server):
    status, headers, body = fetch(f"{web_server}/id/xiaomi-yu7")
    assert status == 200 and b"<h1>" in body and b"Xiaomi YU7" in body
    status, headers, body = fetch(f"{web_server}/id/xiaomi", headers={"Accept": "application/ld+json"})
    assert status == 200 and headers["content-type"].startswith("application/ld+json")


def test_query_page_runs_a_query_with_download_links(web_server):
    data = urllib.parse.urlencode({"query": RIVALS_OF_MODEL_Y}).encode()
    status, _, body = fetch(f"{web_server}/query", data=data,
                            headers={"Content-Type": "application/x-www-form-urlencoded"})
    page = body.decode()
    assert status == 200 and "Xiaomi YU7" in page
    for fmt in ("json", "xml", "csv", "tsv"):
        assert f"format={fmt}" in page
    status, _, body = fetch(f"{web_server}/query?query=" + urllib.parse.quote("SELECT ?x WHERE { ?x ?y }"))
    assert status == 400 and b"line 1, column" in body
    status, _, body = fetch(f"{web_server}/query?name=rivals")
    assert status == 200 and b"qualifiedCompetition" in body and b'value="model=id:tesla-model-y"' in body
    data = urllib.parse.urlencode({"query": "SELECT ?model ?label WHERE { ?model rdfs:label ?label }",
                                   "bind": "model=id:xiaomi-yu7"}).encode()
    status, _, body = fetch(f"{web_server}/query", data=data, headers={"Content-Type": "application/x-www-form-urlencoded"})
    assert status == 200 and b"1 row." in body and b"bind=model%3Did%3Axiaomi-yu7" in body


def test_maker_page_has_tree_chart_targets_plans_sources(web_server):
    status, headers, body = fetch(f"{web_server}/maker/xiaomi")
    page = body.decode()
    assert status == 200
    assert page.count("<svg") >= 2 and "Xiaomi YU7 GT" in page and "(rumoured)" in page
    for heading in ("Family tree", "Targets and their revisions", "Plans", "Sources"):
        assert heading in page
    assert "script-src 'none'" in headers["content-security-policy"]
    assert "<script" not in page and "http://fonts" not in page and "cdn" not in page.lower()


# Faults -----------------------------------------------------------------------------------------

def test_unreachable_store_gives_503_pages_and_logs_no_credentials(tmp_path):
    import socket
    import sys
    from pathlib import Path

    sys.path.insert(0, str(Path(__file__).parent))
    try:
        from web_server import running_server
    finally:
        sys.path.remove(str(Path(__file__).parent))
    with socket.socket() as sock:  # a port with nothing behind it
        sock.bind(("127.0.0.1", 0))
        dead = sock.getsockname()[1]
    log = tmp_path / "server.log"
    with running_server("--store", f"http://scott:tiger99@127.0.0.1:{dead}/query", "--workers", "1", log=log) as url:
        status, _, body = fetch(f"{url}/")
        assert status == 503 and b"cannot be reached" in body and b"Traceback" not in body
        status, _, body = fetch(f"{url}/model/xiaomi-yu7")
        assert status == 503
        status, _, body = sparql_get(url, "ASK { ?s ?p ?o }")
        assert status == 503 and b"tiger99" not in body and b"scott" not in body
    text = log.read_text()
    assert "store unreachable" in text
    assert "tiger99" not in text and "scott" not in text


def test_serve_command_in_process(monkeypatch):
    """The click command builds the app and hands it to uvicorn on the given address."""
    from click.testing import CliRunner

    import uvicorn

    from autokg.cli import cli

    seen = {}

    def fake_run(app, **kwargs):
        seen.update(kwargs, app=app)

    monkeypatch.setattr(uvicorn, "run", fake_run)
    result = CliRunner().invoke(cli, ["serve", "--port", "0", "--timeout", "2", "--workers", "1"])
    assert result.exit_code == 0, result.output
    assert seen["host"] == "127.0.0.1" and seen["port"] == 0
    assert seen["app"].state.options.timeout == 2
    result = CliRunner().invoke(cli, ["serve", "--store", "/nonexistent/store"])
    assert result.exit_code == 2 and "no store here" in result.output
    result = CliRunner().invoke(cli, ["--data", "x.ttl", "serve", "--store", "/tmp"])
    assert result.exit_code == 2 and "--data cannot be combined" in result.output
