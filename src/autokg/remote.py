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
    URL#graph=urn:x:g&update=URL&data=URL    explicit named graph, update and GSP endpoints (and query=URL)
    URL#graph=default                        the endpoint's own default graph (plain clients read it)
    http://user:password@host:8890/sparql#update=sparql-auth&data=sparql-graph-crud-auth
                                             Virtuoso: anonymous reads, digest-authenticated writes

Credentials come from the URL's userinfo (sent as HTTP basic authentication from the first
request, or digest when the server's challenge asks for it) or from ``AUTOKG_SPARQL_USER`` and
``AUTOKG_SPARQL_PASSWORD`` (sent only when the server asks, HTTP 401); they never appear in a
message, a ``repr`` or ``store info``.

The URL, its options and the graph IRI are checked before any request
(:mod:`autokg.endpoint_url`); the graph is kept as a pyoxigraph term and every update is written
from terms. Each request has ``AUTOKG_TIMEOUT`` seconds (default 30) for its whole answer, and an
answer may be at most ``AUTOKG_MAX_RESPONSE_MB`` (default 256) MiB (:mod:`autokg.endpoint_http`).
"""

from __future__ import annotations

import contextlib
import os
import urllib.parse
from collections.abc import Iterable, Iterator, Mapping
from typing import IO, Any

import pyoxigraph as ox

from .endpoint_http import HttpClient, credentials_for, printable
from .endpoint_url import DEFAULT, DEFAULT_GRAPH, endpoint_timeout, parse_store_url, response_limit
from .errors import EndpointError, InputError, QueryError
from .outputs import write_atomically
from .rdfio import prefixes_for

__all__ = ["DEFAULT_GRAPH", "DEFAULT", "RemoteStore", "is_remote", "bind_values", "endpoint_timeout"]


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


def skip_token(text: str, i: int) -> int:
    r"""If a comment, string or IRI starts at ``i``, the index just after it; else ``i``.

    Escapes count inside every kind of string, and a short string ends at a line end, as in the
    SPARQL grammar (the web endpoint's guard relies on this to find keywords outside strings).

    >>> skip_token(r'"a\"b" x', 0), skip_token(r"'''a\'''b''' x", 0), skip_token("<http://e/> x", 0)
    (6, 12, 11)
    """
    ch = text[i]
    if ch == "#":
        end = text.find("\n", i)
        return len(text) if end < 0 else end + 1
    if ch in "\"'":
        if text.startswith(ch * 3, i):
            j = i + 3
            while j < len(text) and not text.startswith(ch * 3, j):
                j += 2 if text[j] == "\\" else 1
            return min(len(text), j + 3)
        j = i + 1
        while j < len(text) and text[j] != ch and text[j] != "\n":
            j += 2 if text[j] == "\\" else 1
        return min(len(text), j + 1)
    if ch == "<":
        j = i + 1
        while j < len(text) and text[j] not in "<>\"{}|^`\\ \t\r\n":
            j += 1
        if j < len(text) and text[j] == ">":
            return j + 1
    return i


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


def _ask_answer(results: Any) -> Any:
    """Results as sent, except an ASK answer sent as a table (Virtuoso 7 sends one row of
    ``__ASK_RETVAL`` for true and none for false), which becomes a boolean."""
    if isinstance(results, ox.QuerySolutions) and [v.value for v in results.variables] == ["__ASK_RETVAL"]:
        return any(row["__ASK_RETVAL"] is None or row["__ASK_RETVAL"].value not in ("0", "false") for row in results)
    return results


class RemoteStore:
    """A SPARQL 1.1 endpoint as an autokg store backend (the interface of :class:`autokg.store.EmbeddedStore`).

    Queries return pyoxigraph results (parsed from SPARQL JSON results), so that
    :class:`~autokg.graph.KnowledgeGraph` and every command work unchanged. Everything autokg writes goes
    into the named graph ``graph``, which queries use as their default graph; with ``graph``
    ``"default"``, into the endpoint's own default graph, which plain SPARQL clients read.
    :attr:`url` and :attr:`location` are the URL without its credentials.
    """

    def __init__(self, url: str, *, graph: str | None = None, timeout: float | None = None):
        # Everything the user gave is checked here, before any request (an InputError otherwise).
        endpoint = parse_store_url(url, graph=graph)
        self.url = self.location = endpoint.url
        self.query_url, self.update_url, self.gsp_url = endpoint.query_url, endpoint.update_url, endpoint.gsp_url
        self._graph_term = endpoint.graph  # updates are written from this term, never from the text
        self.graph: str | None = endpoint.graph.value if endpoint.graph is not None else None
        self.timeout = endpoint_timeout(timeout)
        self._http = HttpClient(credentials_for(endpoint.user, endpoint.password), self.timeout, response_limit())
        self._request = self._http.request
        self._gsp_ok = self.gsp_url is not None

    def __repr__(self) -> str:
        return f"RemoteStore({self.url!r}, graph={self.graph or DEFAULT!r})"

    @property
    def user(self) -> str | None:
        """The user autokg authenticates as (the password is never shown)."""
        return self._http.credentials.user if self._http.credentials else None

    # Queries -----------------------------------------------------------------------------------

    def query(self, query: str, *, substitutions: Mapping[Any, Any] | None = None) -> Any:
        """Run a query on the endpoint, over the autokg graph; pyoxigraph results."""
        text = bind_values(query, substitutions or {})
        params = {"query": text, **({"default-graph-uri": self.graph} if self.graph else {})}
        body = urllib.parse.urlencode(params).encode("utf-8")
        status, content_type, data = self._request(
            self.query_url, method="POST", data=body, query_error=True,
            headers={"Content-Type": "application/x-www-form-urlencoded",
                     "Accept": "application/sparql-results+json, application/n-triples;q=0.9, text/turtle;q=0.8"})
        ctype = content_type.split(";")[0].strip().lower()
        if ctype in ("application/sparql-results+json", "application/json"):
            with self._reading(self.query_url):
                # Rows are parsed as they are read: read them all once here, so that a bad row is
                # this error and not one in the middle of a command's output.
                results = ox.parse_query_results(data, format=ox.QueryResultsFormat.JSON)
                if not isinstance(results, ox.QuerySolutions):
                    return results
                for _ in results:
                    pass
                return _ask_answer(ox.parse_query_results(data, format=ox.QueryResultsFormat.JSON))
        if ctype in ("application/n-triples", "text/plain", "text/turtle"):
            return self._triples(data, ox.RdfFormat.TURTLE if ctype == "text/turtle" else ox.RdfFormat.N_TRIPLES,
                                 self.query_url)
        raise EndpointError(f"SPARQL endpoint {self.query_url} answered with {content_type or 'no content type'}")

    @staticmethod
    @contextlib.contextmanager
    def _reading(where: str) -> Iterator[None]:
        """Map a parse error in an endpoint's answer to an EndpointError that names the endpoint."""
        try:
            yield
        except (SyntaxError, ValueError) as err:
            detail = printable(str(err).splitlines()[0]) if str(err) else type(err).__name__
            raise EndpointError(f"SPARQL endpoint {where} sent an unreadable answer: {detail}") from None

    def _triples(self, data: bytes | IO[bytes], fmt: ox.RdfFormat, where: str) -> list[ox.Triple]:
        with self._reading(where):
            return [ox.Triple(q.subject, q.predicate, q.object) for q in ox.parse(data, format=fmt)]

    def update(self, update: str) -> None:
        """Run a SPARQL update on the endpoint; name the graph (:attr:`graph`) in it to write autokg's data."""
        body = urllib.parse.urlencode({"update": update}).encode("utf-8")
        self._request(self.update_url, method="POST", data=body, query_error=True,
                      headers={"Content-Type": "application/x-www-form-urlencoded"})

    def __len__(self) -> int:
        result = self.query("SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }")
        rows = list(result) if isinstance(result, ox.QuerySolutions) else []
        count = rows[0]["n"] if len(rows) == 1 else None
        if isinstance(count, ox.Literal) and count.value.isdigit():
            return int(count.value)
        raise EndpointError(f"SPARQL endpoint {self.query_url} answered a COUNT with "
                            f"{repr(count.value)[:100] if isinstance(count, ox.Literal) else 'no number'}")

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

    def _gsp_target(self) -> str:
        """The Graph Store Protocol URL of autokg's graph (``?graph=IRI``, or ``?default``)."""
        assert self.gsp_url is not None
        return _with_query(self.gsp_url, graph=self.graph) if self.graph else _with_query(self.gsp_url, default=None)

    def _data_block(self, ntriples: bytes | IO[bytes]) -> str:
        """The body of an ``INSERT DATA``: the triples as pyoxigraph writes them from parsed terms,
        in autokg's graph, written from its term (never text pasted into the update)."""
        try:
            triples = (ox.Triple(q.subject, q.predicate, q.object)
                       for q in ox.parse(ntriples, format=ox.RdfFormat.N_TRIPLES))
            text = (ox.serialize(triples, format=ox.RdfFormat.N_TRIPLES) or b"").decode("utf-8")
        except (SyntaxError, ValueError) as err:
            raise InputError(f"cannot send these triples to {self.update_url}: {err}") from None
        return f"GRAPH {self._graph_term} {{\n{text}}}" if self._graph_term is not None else f"\n{text}"

    def _graph_triples(self) -> list[ox.Triple]:
        """Every triple of autokg's graph: one request (Graph Store GET, else CONSTRUCT)."""
        if self._gsp_ok:
            status, _, data = self._request(self._gsp_target(), headers={"Accept": "application/n-triples"},
                                            accept_status=(404, 405, 415))
            if status == 200:
                return self._triples(data, ox.RdfFormat.N_TRIPLES, self.gsp_url or "")
            if status == 404 and len(self) == 0:
                return []  # the graph does not exist yet
            self._gsp_ok = False
        triples = self.query("CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o }")
        if not isinstance(triples, list):
            raise EndpointError(f"SPARQL endpoint {self.query_url} answered a CONSTRUCT query with "
                                "something other than triples")
        return triples

    def __iter__(self) -> Iterator[ox.Triple]:
        return iter(self._graph_triples())

    def local_store(self) -> ox.Store:
        """The graph copied into an in-memory pyoxigraph store (one request), to run many queries in."""
        local = ox.Store()
        local.extend(ox.Quad(t.subject, t.predicate, t.object, ox.DefaultGraph()) for t in self._graph_triples())
        return local

    def dump(self, output: str | os.PathLike[str] | IO[bytes], fmt: ox.RdfFormat) -> None:
        """Write the graph to a file (atomically) or a binary stream."""
        # Always written by pyoxigraph, as an embedded store's dump is (an endpoint's own
        # N-Triples may differ: Virtuoso separates terms with tabs).
        data = ox.serialize(self._graph_triples(), format=fmt, prefixes=prefixes_for(fmt)) or b""
        if isinstance(output, (str, os.PathLike)):
            write_atomically(output, data)
        else:
            output.write(data)

    def info(self) -> dict[str, Any]:
        """What the endpoint is and how much autokg's graph on it holds."""
        return {"location": self.url, "kind": "sparql-endpoint", "query_url": self.query_url,
                "update_url": self.update_url, "gsp_url": self.gsp_url, "graph": self.graph or DEFAULT,
                "user": self.user, "triples": len(self)}

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
            status, _, _ = self._request(self._gsp_target(), method="POST", data=data, accept_status=(404, 405, 415),
                                         headers={"Content-Type": "application/n-triples",
                                                  "Content-Length": str(size)})
            if status in (200, 201, 204):
                return
            self._gsp_ok = False
            if not isinstance(data, bytes):
                data.seek(0)
        self.update(f"INSERT DATA {{ {self._data_block(data)} }}")

    def add(self, triples: Iterable[ox.Triple]) -> None:
        """Add triples in one request (all or nothing)."""
        self.write_ntriples(ox.serialize(list(triples), format=ox.RdfFormat.N_TRIPLES) or b"")

    def clear(self) -> None:
        """Empty autokg's graph on the endpoint (nothing else)."""
        graph = self._graph_term
        self.update(f"CLEAR SILENT GRAPH {graph}" if graph is not None else "CLEAR SILENT DEFAULT")

    def close(self) -> None:
        """Nothing to release: every request is its own connection."""

    def ping(self) -> None:
        """Ask the endpoint a trivial question: raise :class:`EndpointError` if it cannot answer."""
        self.query("ASK WHERE { }")


def _with_query(url: str, **params: str | None) -> str:
    """``url`` with query parameters added (None: a bare name, as in ``?default``).

    >>> _with_query("http://h/store", graph="urn:g"), _with_query("http://h/store", default=None)
    ('http://h/store?graph=urn%3Ag', 'http://h/store?default')
    """
    parts = urllib.parse.urlsplit(url)
    pairs = [urllib.parse.urlencode([(k, v)]) if v is not None else urllib.parse.quote(k) for k, v in params.items()]
    query = "&".join(p for p in [parts.query, *pairs] if p)
    return urllib.parse.urlunsplit(parts._replace(query=query, fragment=""))
