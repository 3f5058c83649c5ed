"""The remote store: any SPARQL 1.1 endpoint as an autokg store backend.

:class:`RemoteStore` offers the interface of :class:`autokg.store.EmbeddedStore` over the SPARQL
1.1 Protocol. The data lives in one explicit named graph (:data:`DEFAULT_GRAPH`, or
``#graph=IRI`` in the URL), which queries see as their default graph (the protocol's
``default-graph-uri``), so that the same questions give the same answers as the embedded store.
Bulk loads use the Graph Store Protocol where the endpoint has one, else one ``INSERT DATA``
request.

Endpoint URLs (the fragment is read by autokg and never sent)::

    http://127.0.0.1:7878                    Oxigraph server: /query, /update, /store
    http://host:3030/ds                      Fuseki dataset: query, update and GSP on one URL
    http://host:3030/ds/query                .../update for updates, .../store for GSP (Oxigraph, Fuseki)
    http://host:8890/sparql                  one URL for queries and updates (Virtuoso, Neptune)
    URL#graph=urn:x:g&update=URL&data=URL    explicit named graph, update and GSP endpoints
"""

from __future__ import annotations

import os
import socket
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterable, Iterator, Mapping
from typing import IO, Any

import pyoxigraph as ox

from .errors import EndpointError, InputError, QueryError
from .rdfio import prefixes_for, write_atomically
from .sparql_text import skip_token

__all__ = ["DEFAULT_GRAPH", "RemoteStore", "is_remote", "bind_values"]

#: The named graph autokg writes into, and reads as its default graph, on a remote endpoint.
DEFAULT_GRAPH = "https://w3id.org/autokg/graph"

#: Seconds to wait for an endpoint before giving up (AUTOKG_TIMEOUT overrides it).
DEFAULT_TIMEOUT = 30.0


def _default_timeout() -> float:
    try:
        return float(os.environ.get("AUTOKG_TIMEOUT", DEFAULT_TIMEOUT))
    except ValueError:
        raise InputError(f"AUTOKG_TIMEOUT={os.environ['AUTOKG_TIMEOUT']!r}: not a number of seconds") from None


def is_remote(location: str | os.PathLike[str]) -> bool:
    """Whether a ``--store`` location is a SPARQL endpoint.

    >>> is_remote("http://127.0.0.1:7878"), is_remote("/var/lib/autokg")
    (True, False)
    """
    return str(location).lower().startswith(("http://", "https://"))


def _sparql_term(term: Any) -> str:
    if isinstance(term, (ox.NamedNode, ox.Literal)):
        return str(term)
    raise QueryError(f"cannot send {term!r} to a SPARQL endpoint as a value")


def _where_brace(query: str) -> int:
    """The index of the ``{`` that opens the query's WHERE group (-1 if there is none)."""
    i, depth, first_brace, after_where = 0, 0, -1, False
    upper = query.upper()
    while i < len(query):
        j = skip_token(query, i)
        if j != i:
            i = j
            continue
        ch = query[i]
        if ch == "{":
            if depth == 0 and (after_where or first_brace < 0):
                if after_where:
                    return i
                first_brace = i
            depth += 1
        elif ch == "}":
            depth -= 1
        elif depth == 0 and upper.startswith("WHERE", i) and (i == 0 or not query[i - 1].isalnum()) \
                and not query[i + 5:i + 6].isalnum():
            after_where = True
            i += 5
            continue
        i += 1
    # No WHERE keyword (SELECT * { ... }, ASK { ... }): the first group; CONSTRUCT needs WHERE.
    if first_brace >= 0 and not re_construct(query):
        return first_brace
    return -1


def re_construct(query: str) -> bool:
    import re

    stripped = re.sub(r"(?im)^\s*(#.*|PREFIX\s+\S*\s*<[^>]*>|BASE\s*<[^>]*>)\s*$", "", query)
    return stripped.lstrip().upper().startswith("CONSTRUCT")


def bind_values(query: str, substitutions: Mapping[Any, Any]) -> str:
    """Bind variables the way pyoxigraph's ``substitutions`` do, for an endpoint: a VALUES block
    at the start of the WHERE group.

    >>> bind_values("SELECT ?x ?m WHERE { ?m a ?x }", {"m": ox.NamedNode("http://e/m")})
    'SELECT ?x ?m WHERE { VALUES ?m { <http://e/m> } ?m a ?x }'
    """
    if not substitutions:
        return query
    at = _where_brace(query)
    if at < 0:
        raise QueryError("cannot bind values in this query for a SPARQL endpoint (no WHERE group)")
    names = [k.value if isinstance(k, ox.Variable) else str(k) for k in substitutions]
    values = [_sparql_term(v) for v in substitutions.values()]
    if len(names) == 1:
        block = f"VALUES ?{names[0]} {{ {values[0]} }}"
    else:
        block = "VALUES (" + " ".join(f"?{n}" for n in names) + ") { (" + " ".join(values) + ") }"
    return query[:at + 1] + " " + block + query[at + 1:]


def _endpoints(url: str) -> tuple[str, str, str | None, str]:
    """The query, update and Graph Store Protocol URLs, and the graph, of a ``--store`` URL."""
    base, _, fragment = url.partition("#")
    options = dict(urllib.parse.parse_qsl(fragment))
    parts = urllib.parse.urlsplit(base)
    path = parts.path.rstrip("/")

    def sibling(name: str) -> str:
        return urllib.parse.urlunsplit(parts._replace(path=path.rsplit("/", 1)[0] + "/" + name))

    if path == "":
        root = urllib.parse.urlunsplit(parts._replace(path=""))
        query, update, gsp = root + "/query", root + "/update", root + "/store"
    elif path.endswith("/query"):
        query, update, gsp = base, sibling("update"), sibling("store")
    elif path.endswith("/sparql"):
        query, update, gsp = base, base, None
    else:  # a dataset URL (Fuseki): everything on one URL
        query, update, gsp = base, base, base
    update = urllib.parse.urljoin(base, options["update"]) if "update" in options else update
    if "data" in options:
        gsp = urllib.parse.urljoin(base, options["data"]) if options["data"] else None
    return query, update, gsp, options.get("graph", DEFAULT_GRAPH)


class RemoteStore:
    """A SPARQL 1.1 endpoint as an autokg store backend (the interface of :class:`autokg.store.EmbeddedStore`).

    Queries return pyoxigraph results (parsed from SPARQL JSON results), so that
    :class:`~autokg.graph.KnowledgeGraph` and every command work unchanged. Everything autokg writes goes
    into the named graph ``graph``, which queries use as their default graph.
    """

    def __init__(self, url: str, *, graph: str | None = None, timeout: float | None = None):
        self.url = self.location = url
        self.query_url, self.update_url, self.gsp_url, default_graph = _endpoints(url)
        self.graph = graph or default_graph
        self.timeout = _default_timeout() if timeout is None else timeout
        self._gsp_ok = self.gsp_url is not None

    def __repr__(self) -> str:
        return f"RemoteStore({self.url!r}, graph={self.graph!r})"

    # HTTP --------------------------------------------------------------------------------------

    def _request(self, url: str, *, method: str = "GET", data: bytes | IO[bytes] | None = None,
                 headers: Mapping[str, str] | None = None, query_error: bool = False,
                 accept_status: tuple[int, ...] = ()) -> tuple[int, str, bytes]:
        request = urllib.request.Request(url, data=data, method=method, headers=dict(headers or {}))
        where = urllib.parse.urlsplit(url)._replace(query="", fragment="").geturl()
        try:
            with urllib.request.urlopen(request, timeout=self.timeout) as response:
                return response.status, response.headers.get("Content-Type", ""), response.read()
        except urllib.error.HTTPError as err:
            if err.code in accept_status:
                return err.code, "", b""
            body = err.read().decode("utf-8", "replace").strip()
            detail = body.splitlines()[0][:300] if body else err.reason
            if query_error and 400 <= err.code < 500:
                raise QueryError(f"SPARQL endpoint {where} rejected the request (HTTP {err.code}): {detail}") from None
            raise EndpointError(f"SPARQL endpoint {where} failed: HTTP {err.code}: {detail}") from None
        except (TimeoutError, socket.timeout):
            raise EndpointError(f"SPARQL endpoint {where} did not answer within {self.timeout:g} s") from None
        except urllib.error.URLError as err:
            reason = err.reason
            if isinstance(reason, (TimeoutError, socket.timeout)):
                raise EndpointError(f"SPARQL endpoint {where} did not answer within {self.timeout:g} s") from None
            text = reason.strerror if isinstance(reason, OSError) and reason.strerror else str(reason)
            raise EndpointError(f"cannot reach SPARQL endpoint {where}: {text}") from None
        except (ConnectionError, OSError) as err:
            raise EndpointError(f"cannot reach SPARQL endpoint {where}: {err}") from None

    # Queries -----------------------------------------------------------------------------------

    def query(self, query: str, *, substitutions: Mapping[Any, Any] | None = None) -> Any:
        """Run a query on the endpoint, over the autokg graph; pyoxigraph results."""
        text = bind_values(query, substitutions or {})
        body = urllib.parse.urlencode({"query": text, "default-graph-uri": self.graph}).encode("utf-8")
        status, content_type, data = self._request(
            self.query_url, method="POST", data=body, query_error=True,
            headers={"Content-Type": "application/x-www-form-urlencoded",
                     "Accept": "application/sparql-results+json, application/n-triples;q=0.9, text/turtle;q=0.8"})
        ctype = content_type.split(";")[0].strip().lower()
        try:
            if ctype in ("application/sparql-results+json", "application/json"):
                return ox.parse_query_results(data, format=ox.QueryResultsFormat.JSON)
            if ctype in ("application/n-triples", "text/plain"):
                return [ox.Triple(q.subject, q.predicate, q.object) for q in ox.parse(data, format=ox.RdfFormat.N_TRIPLES)]
            if ctype == "text/turtle":
                return [ox.Triple(q.subject, q.predicate, q.object) for q in ox.parse(data, format=ox.RdfFormat.TURTLE)]
        except (SyntaxError, ValueError) as err:
            raise EndpointError(f"SPARQL endpoint {self.query_url} sent an unreadable answer: {err}") from None
        raise EndpointError(f"SPARQL endpoint {self.query_url} answered with {content_type or 'no content type'}")

    def update(self, update: str) -> None:
        """Run a SPARQL update on the endpoint; name the graph (:attr:`graph`) in it to write autokg's data."""
        body = urllib.parse.urlencode({"update": update}).encode("utf-8")
        self._request(self.update_url, method="POST", data=body, query_error=True,
                      headers={"Content-Type": "application/x-www-form-urlencoded"})

    def __len__(self) -> int:
        result = self.query("SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }")
        return int(next(iter(result))["n"].value)

    def match(self, subject: Any, predicate: Any, object: Any) -> Iterator[ox.Triple]:  # noqa: A002
        """The triples matching a pattern (None matches anything): one request."""
        terms = {"s": subject, "p": predicate, "o": object}
        pattern = " ".join(_sparql_term(t) if t is not None else f"?{k}" for k, t in terms.items())
        free = [k for k, t in terms.items() if t is None]
        if not free:
            if self.query(f"ASK WHERE {{ {pattern} }}"):
                yield ox.Triple(subject, predicate, object)
            return
        rows = self.query(f"SELECT {' '.join('?' + k for k in free)} WHERE {{ {pattern} }}")
        for row in rows:
            yield ox.Triple(*(terms[k] if terms[k] is not None else row[k] for k in "spo"))

    def triples_about(self, subjects: Iterable[ox.NamedNode]) -> Iterator[ox.Triple]:
        """The triples whose subject is one of ``subjects``: one request per 200 subjects."""
        subjects = list(subjects)
        for i in range(0, len(subjects), 200):
            values = " ".join(_sparql_term(s) for s in subjects[i:i + 200])
            for row in self.query(f"SELECT ?s ?p ?o WHERE {{ VALUES ?s {{ {values} }} ?s ?p ?o }}"):
                yield ox.Triple(row["s"], row["p"], row["o"])

    def _get_graph(self) -> bytes:
        if self._gsp_ok:
            url = _with_query(self.gsp_url, graph=self.graph)
            status, _, data = self._request(url, headers={"Accept": "application/n-triples"},
                                            accept_status=(404, 405, 415))
            if status == 200:
                return data
            if status == 404 and len(self) == 0:
                return b""  # the graph does not exist yet
            self._gsp_ok = False
        triples = self.query("CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o }")
        return ox.serialize(triples, format=ox.RdfFormat.N_TRIPLES) or b""

    def __iter__(self) -> Iterator[ox.Triple]:
        for q in ox.parse(self._get_graph(), format=ox.RdfFormat.N_TRIPLES):
            yield ox.Triple(q.subject, q.predicate, q.object)

    def local_store(self) -> ox.Store:
        """The graph copied into an in-memory pyoxigraph store (one request), to run many queries in."""
        local = ox.Store()
        local.load(self._get_graph(), format=ox.RdfFormat.N_TRIPLES, to_graph=ox.DefaultGraph())
        return local

    def dump(self, output: str | os.PathLike[str] | IO[bytes], fmt: ox.RdfFormat) -> None:
        """Write the graph to a file (atomically) or a binary stream."""
        data = self._get_graph()
        if fmt != ox.RdfFormat.N_TRIPLES:
            triples = (ox.Triple(q.subject, q.predicate, q.object) for q in ox.parse(data, format=ox.RdfFormat.N_TRIPLES))
            data = ox.serialize(triples, format=fmt, prefixes=prefixes_for(fmt)) or b""
        if isinstance(output, (str, os.PathLike)):
            write_atomically(output, data)
        else:
            output.write(data)

    def info(self) -> dict[str, Any]:
        """What the endpoint is and how much autokg's graph on it holds."""
        return {"location": self.url, "kind": "sparql-endpoint", "query_url": self.query_url,
                "update_url": self.update_url, "gsp_url": self.gsp_url, "graph": self.graph, "triples": len(self)}

    # Writes ------------------------------------------------------------------------------------

    def write_ntriples(self, body: IO[bytes] | bytes) -> None:
        """Add N-Triples to the graph in one request (Graph Store Protocol POST, else INSERT DATA)."""
        if isinstance(body, bytes):
            data, size = body, len(body)
        else:
            body.seek(0, os.SEEK_END)
            size = body.tell()
            body.seek(0)
            data = body
        if size == 0:
            return
        if self._gsp_ok:
            url = _with_query(self.gsp_url, graph=self.graph)
            status, _, _ = self._request(url, method="POST", data=data, accept_status=(404, 405, 415),
                                         headers={"Content-Type": "application/n-triples",
                                                  "Content-Length": str(size)})
            if status in (200, 201, 204):
                return
            self._gsp_ok = False
            if not isinstance(data, bytes):
                data.seek(0)
        text = data if isinstance(data, bytes) else data.read()
        self.update(f"INSERT DATA {{ GRAPH <{self.graph}> {{\n{text.decode('utf-8')}\n}} }}")

    def add(self, triples: Iterable[ox.Triple]) -> None:
        """Add triples in one request (all or nothing)."""
        self.write_ntriples(ox.serialize(list(triples), format=ox.RdfFormat.N_TRIPLES) or b"")

    def clear(self) -> None:
        """Empty autokg's graph on the endpoint (nothing else)."""
        self.update(f"CLEAR SILENT GRAPH <{self.graph}>")

    def close(self) -> None:
        """Nothing to release: every request is its own connection."""

    def ping(self) -> None:
        """Ask the endpoint a trivial question: raise :class:`EndpointError` if it cannot answer."""
        self.query("ASK WHERE { }")


def _with_query(url: str, **params: str) -> str:
    parts = urllib.parse.urlsplit(url)
    query = urllib.parse.parse_qsl(parts.query) + list(params.items())
    return urllib.parse.urlunsplit(parts._replace(query=urllib.parse.urlencode(query), fragment=""))
