"""Persistent and remote stores: autokg on an on-disk pyoxigraph store or on any SPARQL 1.1 endpoint.

:func:`open_store` turns a ``--store`` location into a :class:`~autokg.graph.KnowledgeGraph`:

- a folder: an on-disk pyoxigraph (RocksDB) store. The folder must hold a store already (made by
  ``autokg store init`` or ``load``), or not exist (with ``create=True``). A folder that holds
  something else, a store another process has open, or a damaged store is an :class:`StoreError`
  (exit 2), and nothing is written.
- ``http://...`` or ``https://...``: a SPARQL 1.1 Protocol endpoint (:class:`RemoteStore`). The
  data lives in one explicit named graph (:data:`DEFAULT_GRAPH`, or ``#graph=IRI`` in the URL),
  which queries see as their default graph (the protocol's ``default-graph-uri``), so that the
  same questions give the same answers as the embedded store. Bulk loads use the Graph Store
  Protocol where the endpoint has one, else one ``INSERT DATA`` request.

Endpoint URLs (the fragment is read by autokg and never sent)::

    http://127.0.0.1:7878                    Oxigraph server: /query, /update, /store
    http://host:3030/ds                      Fuseki dataset: query, update and GSP on one URL
    http://host:3030/ds/query                .../update for updates, .../store for GSP (Oxigraph, Fuseki)
    http://host:8890/sparql                  one URL for queries and updates (Virtuoso, Neptune)
    URL#graph=urn:x:g&update=URL&data=URL    explicit named graph, update and GSP endpoints

:func:`load_into` loads files all or nothing: every file is parsed first (a malformed file is
reported with its line and leaves the store as it was), and then everything is written in one
transaction (embedded) or one request (remote). A load killed half way leaves the store as it was.

:func:`validate_store` validates a store with pyshacl directly on the pyoxigraph store (through
oxrdflib), without RDFS inference: the ontology is in the store (``autokg store init`` puts it
there), so SHACL's own ``rdfs:subClassOf`` handling of ``sh:targetClass`` and ``sh:class`` is
all that is needed. With ``focus_nodes`` it validates only those nodes (incremental validation;
:func:`touched_nodes` gives the nodes a load touched).
"""

from __future__ import annotations

import os
import shutil
import socket
import tempfile
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Callable, Iterable, Iterator, Mapping
from pathlib import Path
from typing import IO, Any

import pyoxigraph as ox

from .errors import DataFileError, InputError, QueryError
from .graph import KnowledgeGraph, _expand, bundled_paths, data_file_error, rdf_format_for

__all__ = [
    "DEFAULT_GRAPH",
    "StoreError",
    "EndpointError",
    "RemoteStore",
    "is_remote",
    "open_store",
    "load_into",
    "init_store",
    "dump_store",
    "store_info",
    "check_files",
    "touched_nodes",
    "validate_store",
]

#: The named graph autokg writes into, and reads as its default graph, on a remote endpoint.
DEFAULT_GRAPH = "https://w3id.org/autokg/graph"

#: Seconds to wait for an endpoint before giving up (AUTOKG_TIMEOUT overrides it).
DEFAULT_TIMEOUT = 30.0


def _default_timeout() -> float:
    try:
        return float(os.environ.get("AUTOKG_TIMEOUT", DEFAULT_TIMEOUT))
    except ValueError:
        raise InputError(f"AUTOKG_TIMEOUT={os.environ['AUTOKG_TIMEOUT']!r}: not a number of seconds") from None


class StoreError(InputError):
    """A store cannot be opened or written: not a store, locked, damaged."""


class EndpointError(StoreError):
    """A SPARQL endpoint cannot be reached or fails (refused, timeout, HTTP error)."""


def is_remote(location: str | os.PathLike[str]) -> bool:
    """Whether a ``--store`` location is a SPARQL endpoint.

    >>> is_remote("http://127.0.0.1:7878"), is_remote("/var/lib/autokg")
    (True, False)
    """
    return str(location).lower().startswith(("http://", "https://"))


# Embedded stores --------------------------------------------------------------------------------

#: Files every RocksDB database folder holds.
_ROCKSDB_MARKERS = ("CURRENT", "IDENTITY")


def _is_rocksdb(path: Path) -> bool:
    return all((path / name).is_file() for name in _ROCKSDB_MARKERS)


def _open_local(path: Path, *, create: bool) -> KnowledgeGraph:
    if path.exists() and not path.is_dir():
        raise StoreError(f"{path}: not a store (a file, not a folder)")
    if path.is_dir() and any(path.iterdir()) and not _is_rocksdb(path):
        raise StoreError(f"{path}: not a store (the folder holds other files; a store is made by `autokg store init`)")
    if not path.exists() or not any(path.iterdir()):
        if not create:
            raise StoreError(f"{path}: no store here (make one with `autokg store init --store {path}`)")
    try:
        store = ox.Store(str(path))
    except OSError as err:
        message = str(err)
        if "lock" in message.lower():
            raise StoreError(f"{path}: store is locked: another process has it open") from None
        raise StoreError(f"{path}: cannot open store: {message.splitlines()[0] if message else type(err).__name__}") \
            from None
    return KnowledgeGraph(store, location=str(path))


def open_store(location: str | os.PathLike[str], *, create: bool = False, graph: str | None = None,
               timeout: float | None = None) -> KnowledgeGraph:
    """Open the store at ``location`` (a folder or an endpoint URL) as a KnowledgeGraph.

    ``create`` lets a missing or empty folder become a new store (remote endpoints always exist).
    """
    if is_remote(location):
        remote = RemoteStore(str(location), graph=graph, timeout=timeout)
        return KnowledgeGraph(remote, location=str(location))  # type: ignore[arg-type]
    return _open_local(Path(location), create=create)


# Loading ----------------------------------------------------------------------------------------

class _CountingReader:
    """A binary file whose reads are reported to a callback (for a progress bar)."""

    def __init__(self, raw: IO[bytes], on_bytes: Callable[[int], None] | None):
        self.raw, self.on_bytes = raw, on_bytes

    def read(self, size: int = -1) -> bytes:
        data = self.raw.read(size)
        if self.on_bytes is not None and data:
            self.on_bytes(len(data))
        return data

    def readinto(self, buffer: Any) -> int:
        n = self.raw.readinto(buffer)
        if self.on_bytes is not None and n:
            self.on_bytes(n)
        return n

    def readable(self) -> bool:
        return True





def _parse_stream(path: Path, on_bytes: Callable[[int], None] | None = None) -> Iterator[ox.Quad]:
    """The quads of one file, streamed, all in the default graph; DataFileError on bad syntax."""
    fmt = rdf_format_for(path)
    default = ox.DefaultGraph()
    try:
        with path.open("rb") as raw:
            for q in ox.parse(_CountingReader(raw, on_bytes), format=fmt, base_iri=path.resolve().as_uri()):
                yield q if q.graph_name == default else ox.Quad(q.subject, q.predicate, q.object, default)
    except SyntaxError as err:
        raise data_file_error(path, err) from None
    except (OSError, ValueError) as err:
        raise DataFileError(str(path), str(err).splitlines()[0] if str(err) else type(err).__name__) from None


def check_files(paths: Iterable[str | os.PathLike[str]], *, on_bytes: Callable[[int], None] | None = None,
                ntriples_out: IO[bytes] | None = None) -> tuple[list[Path], int]:
    """Parse every file (files and folders of RDF); return the files and the number of triples.

    Raises :class:`DataFileError` (file and line) at the first malformed file. With
    ``ntriples_out``, the triples are also written there as N-Triples (for a single-request load).
    """
    files = _expand(paths)
    total = 0
    for path in files:
        if ntriples_out is None:
            for _ in _parse_stream(path, on_bytes):
                total += 1
        else:
            counted = _counted(_parse_stream(path, on_bytes))
            ox.serialize((ox.Triple(q.subject, q.predicate, q.object) for q in counted), ntriples_out,
                         format=ox.RdfFormat.N_TRIPLES)
            total += counted.n
    return files, total


class _counted:
    def __init__(self, it: Iterator[Any]):
        self.it, self.n = it, 0

    def __iter__(self) -> Iterator[Any]:
        for x in self.it:
            self.n += 1
            yield x


#: Formats :meth:`pyoxigraph.Store.load` can read straight into the default graph (no named graphs).
_TRIPLE_FORMATS = {ox.RdfFormat.TURTLE, ox.RdfFormat.N_TRIPLES, ox.RdfFormat.RDF_XML}


def load_into(kg: KnowledgeGraph, paths: Iterable[str | os.PathLike[str]], *,
              on_bytes: Callable[[int], None] | None = None,
              on_phase: Callable[[str], None] | None = None) -> int:
    """Load files and folders of RDF into a store, all or nothing; return the triples read.

    Every file is parsed first; a malformed one raises :class:`DataFileError` (file, line) and
    nothing is written. Then all the triples are written in one transaction (an embedded
    store) or one request (an endpoint), so that a load killed half way leaves no trace.
    ``on_bytes`` is called with the bytes read as parsing goes (for a progress bar);
    ``on_phase`` with "parse" and "write".
    """
    paths = list(paths)
    if isinstance(kg.store, RemoteStore):
        if on_phase:
            on_phase("parse")
        with tempfile.TemporaryFile() as tmp:
            files, total = check_files(paths, on_bytes=on_bytes, ntriples_out=tmp)
            if on_phase:
                on_phase("write")
            tmp.seek(0)
            kg.store.post_ntriples(tmp)
        kg.sources.extend(str(p) for p in files)
        return total
    if on_phase:
        on_phase("parse")
    files = _expand(paths)
    if kg.location is None and all(rdf_format_for(f) in _TRIPLE_FORMATS for f in files):
        # An in-memory store dies with its process, so a kill leaves nothing to protect: after the
        # check pass, each file goes in by its own transactional load, with no staging copy.
        _, total = check_files(files, on_bytes=on_bytes)
        if on_phase:
            on_phase("write")
        for path in files:
            try:
                kg.store.load(path=str(path), format=rdf_format_for(path), base_iri=path.resolve().as_uri(),
                              to_graph=ox.DefaultGraph())
            except SyntaxError as err:  # the check pass read the same bytes: not expected
                raise data_file_error(path, err) from None
    elif len(files) == 1 and rdf_format_for(files[0]) in _TRIPLE_FORMATS:
        # One file of triples: check it, then pyoxigraph's transactional load reads it again.
        _, total = check_files(files, on_bytes=on_bytes)
        if on_phase:
            on_phase("write")
        path = files[0]
        try:
            kg.store.load(path=str(path), format=rdf_format_for(path), base_iri=path.resolve().as_uri(),
                          to_graph=ox.DefaultGraph())
        except SyntaxError as err:  # the check pass reads the same bytes: not expected
            raise data_file_error(path, err) from None
        except OSError as err:
            raise StoreError(f"{kg.location or 'store'}: write failed: {err}") from None
    else:
        # Several files, or quads: gather them as N-Triples, then one transactional load.
        with tempfile.TemporaryFile() as tmp:
            files, total = check_files(files, on_bytes=on_bytes, ntriples_out=tmp)
            if on_phase:
                on_phase("write")
            tmp.seek(0)
            try:
                kg.store.load(tmp, format=ox.RdfFormat.N_TRIPLES, to_graph=ox.DefaultGraph())
            except OSError as err:
                raise StoreError(f"{kg.location or 'store'}: write failed: {err}") from None
    kg.sources.extend(str(p) for p in files)
    return total


def init_store(kg: KnowledgeGraph, *, bundled: bool = True, data: Iterable[str | os.PathLike[str]] = (), **kw: Any) -> int:
    """Seed a store with the bundled graph (ontology, concept schemes, curated data) and ``data``."""
    paths = [*(bundled_paths() if bundled else []), *data]
    if not paths:
        raise InputError("nothing to load: give files, or leave the bundled graph in")
    return load_into(kg, paths, **kw)


_DUMP_FORMATS = {
    ".ttl": ox.RdfFormat.TURTLE, ".nt": ox.RdfFormat.N_TRIPLES, ".nq": ox.RdfFormat.N_QUADS,
    ".trig": ox.RdfFormat.TRIG, ".jsonld": ox.RdfFormat.JSON_LD, ".rdf": ox.RdfFormat.RDF_XML,
}


def dump_format(name_or_path: str) -> ox.RdfFormat:
    """The format of a dump, by name (ttl, nt ...) or by the suffix of the output file."""
    key = name_or_path if name_or_path.startswith(".") else "." + name_or_path.rsplit(".", 1)[-1]
    try:
        return _DUMP_FORMATS[key.lower()]
    except KeyError:
        raise InputError(f"{name_or_path}: unknown dump format (known: "
                         + ", ".join(s[1:] for s in _DUMP_FORMATS) + ")") from None


def dump_store(kg: KnowledgeGraph, output: str | os.PathLike[str] | IO[bytes], fmt: ox.RdfFormat) -> None:
    """Write the store's triples (its default graph) to a file or binary stream."""
    prefixes = dict(KnowledgeGraph.PREFIXES) if fmt in (ox.RdfFormat.TURTLE, ox.RdfFormat.TRIG) else None
    if isinstance(kg.store, RemoteStore):
        kg.store.dump(output, format=fmt, prefixes=prefixes)
        return
    if isinstance(output, (str, os.PathLike)):
        # Write next to the target and rename, so that a failed dump leaves no half file.
        target = Path(output)
        tmp = target.with_name(f".{target.name}.partial")
        try:
            kg.store.dump(str(tmp), format=fmt, from_graph=ox.DefaultGraph(), prefixes=prefixes)
            os.replace(tmp, target)
        finally:
            if tmp.exists():
                tmp.unlink()
    else:
        kg.store.dump(output, format=fmt, from_graph=ox.DefaultGraph(), prefixes=prefixes)


def store_info(kg: KnowledgeGraph) -> dict[str, Any]:
    """What a store is and holds: kind, location, triples, size on disk, named graphs."""
    info: dict[str, Any] = {"location": kg.location or "(memory)"}
    if isinstance(kg.store, RemoteStore):
        info.update(kind="sparql-endpoint", query_url=kg.store.query_url, update_url=kg.store.update_url,
                    gsp_url=kg.store.gsp_url, graph=kg.store.graph, triples=len(kg.store))
        return info
    info.update(kind="embedded" if kg.location else "memory", triples=len(kg.store))
    if kg.location:
        info["bytes_on_disk"] = sum(p.stat().st_size for p in Path(kg.location).rglob("*") if p.is_file())
    info["named_graphs"] = sorted(g.value for g in kg.store.named_graphs() if isinstance(g, ox.NamedNode))
    return info


# Validation at scale ----------------------------------------------------------------------------

_RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"


def touched_nodes(quads: Iterable[ox.Quad | ox.Triple]) -> set[str]:
    """The nodes a change touched: its subjects and the IRIs it links to (not classes).

    These are the focus nodes to revalidate after the change: a shape on a node can look at
    the node's own triples and, through inverse paths and SPARQL, at the triples that point to it.
    """
    nodes: set[str] = set()
    for q in quads:
        if isinstance(q.subject, ox.NamedNode):
            nodes.add(q.subject.value)
        if isinstance(q.object, ox.NamedNode) and q.predicate.value != _RDF_TYPE:
            nodes.add(q.object.value)
    return nodes


def _rdflib_view(store: ox.Store, focus: Iterable[Any] | None = None):
    """An rdflib Graph over a pyoxigraph store (no copy): SPARQL goes to pyoxigraph.

    The store must not change while the view is in use: its size is counted once, as the store's
    number of quads (pyshacl asks for it per result, and oxrdflib counts distinct triples with
    a query over the whole store each time: seconds at a million triples).
    """
    try:
        from oxrdflib.store import OxigraphStore
    except ImportError:
        raise InputError("validating a store needs oxrdflib: pip install 'autokg[store]'") from None
    from rdflib import Graph
    from rdflib.graph import DATASET_DEFAULT_GRAPH_ID

    from rdflib.namespace import RDF

    focus_set = None if focus is None else list(focus)

    class _FrozenOxigraphStore(OxigraphStore):
        _size: int | None = None

        def __len__(self, context: Any = None) -> int:  # type: ignore[override]
            if self._size is None:
                self._size = len(self._inner)
            return self._size

        def triples(self, triple_pattern: Any, context: Any = None) -> Iterator[Any]:  # type: ignore[override]
            s, p, o = triple_pattern
            if focus_set is not None and s is None and p == RDF.type and o is not None:
                # The instances of a class: pyshacl asks for all of them to find a shape's targets,
                # and then keeps the focus nodes; ask for the focus nodes alone.
                find = OxigraphStore.triples
                return (t for f in focus_set for t in find(self, (f, p, o), context))
            return super().triples(triple_pattern, context)

    return Graph(store=_FrozenOxigraphStore(store=store), identifier=DATASET_DEFAULT_GRAPH_ID)


def validate_store(kg: KnowledgeGraph, *, focus_nodes: Iterable[str] | None = None, shapes: Any = None):
    """Validate a store against the bundled shapes without RDFS inference; a ValidationReport.

    ``focus_nodes`` (IRIs) limits validation to those nodes: the incremental check after a load.
    The ontology must be in the store (``autokg store init`` puts it there): SHACL follows
    ``rdfs:subClassOf`` in the data for targets and ``sh:class``. A remote store is copied into
    memory first.
    """
    import pyshacl
    from rdflib import Graph, URIRef

    from .resources import shapes_files
    from .validate import ValidationReport, _results

    if shapes is None:
        shapes = Graph()
        for path in shapes_files():
            shapes.parse(str(path), format="turtle")
    store = kg.store
    if isinstance(store, RemoteStore):
        local = ox.Store()
        local.extend(ox.Quad(t.subject, t.predicate, t.object, ox.DefaultGraph()) for t in store)
        store = local
    if focus_nodes is None:
        # Full validation: one SPARQL query per (shape, constraint) over all the targets, in the
        # store itself (autokg.shacl_sparql); pyshacl only for shapes it cannot compile.
        from .shacl_sparql import validate_store_fast

        return validate_store_fast(store, shapes=shapes, inference="none")
    focus = [URIRef(n) for n in sorted(focus_nodes)]
    if not focus:
        return ValidationReport(conforms=True, results=[], report_graph=Graph(), text="Conforms: True (no focus node)")
    conforms, report_graph, text = pyshacl.validate(
        _rdflib_view(store, focus), shacl_graph=shapes, inference="none", inplace=True, abort_on_first=False,
        allow_warnings=False, focus_nodes=focus,
    )
    return ValidationReport(conforms=bool(conforms), results=_results(report_graph), report_graph=report_graph,
                            text=str(text))


# Remote stores ----------------------------------------------------------------------------------

def _sparql_term(term: Any) -> str:
    if isinstance(term, (ox.NamedNode, ox.Literal)):
        return str(term)
    raise QueryError(f"cannot send {term!r} to a SPARQL endpoint as a value")


def _skip_token(text: str, i: int) -> int:
    """If a string, IRI or comment starts at ``i``, the index just after it; else ``i``."""
    ch = text[i]
    if ch == "#":
        end = text.find("\n", i)
        return len(text) if end < 0 else end + 1
    if ch in "\"'":
        if text.startswith(ch * 3, i):
            end = text.find(ch * 3, i + 3)
            return len(text) if end < 0 else end + 3
        j = i + 1
        while j < len(text) and text[j] != ch:
            j += 2 if text[j] == "\\" else 1
        return j + 1
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
        j = _skip_token(query, i)
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
    """A SPARQL 1.1 endpoint behind the parts of the :class:`pyoxigraph.Store` API autokg uses.

    Queries return pyoxigraph results (parsed from SPARQL JSON results), so that
    :class:`KnowledgeGraph` and every command work unchanged. Everything autokg writes goes
    into the named graph ``graph``, which queries use as their default graph.
    """

    def __init__(self, url: str, *, graph: str | None = None, timeout: float | None = None):
        self.url = url
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

    def query(self, query: str, *, substitutions: Mapping[Any, Any] | None = None,
              use_default_graph_as_union: bool = True, **_: Any) -> Any:
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

    def update(self, update: str, **_: Any) -> None:
        """Run a SPARQL update on the endpoint; name the graph (:attr:`graph`) in it to write autokg's data."""
        body = urllib.parse.urlencode({"update": update}).encode("utf-8")
        self._request(self.update_url, method="POST", data=body, query_error=True,
                      headers={"Content-Type": "application/x-www-form-urlencoded"})

    def _count(self) -> int:
        result = self.query("SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }")
        return int(next(iter(result))["n"].value)

    def __len__(self) -> int:
        return self._count()

    def quads_for_pattern(self, subject: Any = None, predicate: Any = None, object: Any = None,  # noqa: A002
                          graph_name: Any = None) -> Iterator[ox.Quad]:
        """The triples matching a pattern, as quads of the default graph."""
        terms = {"s": subject, "p": predicate, "o": object}
        pattern = " ".join(_sparql_term(t) if t is not None else f"?{k}" for k, t in terms.items())
        free = [k for k, t in terms.items() if t is None]
        if not free:
            if self.query(f"ASK WHERE {{ {pattern} }}"):
                yield ox.Quad(subject, predicate, object, ox.DefaultGraph())
            return
        rows = self.query(f"SELECT {' '.join('?' + k for k in free)} WHERE {{ {pattern} }}")
        for row in rows:
            yield ox.Quad(*(terms[k] if terms[k] is not None else row[k] for k in "spo"), ox.DefaultGraph())

    def _get_graph(self) -> bytes:
        if self._gsp_ok:
            url = _with_query(self.gsp_url, graph=self.graph)
            status, _, data = self._request(url, headers={"Accept": "application/n-triples"},
                                            accept_status=(404, 405, 415))
            if status == 200:
                return data
            if status == 404 and self._count() == 0:
                return b""  # the graph does not exist yet
            self._gsp_ok = False
        triples = self.query("CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o }")
        return ox.serialize(triples, format=ox.RdfFormat.N_TRIPLES) or b""

    def __iter__(self) -> Iterator[ox.Quad]:
        for q in ox.parse(self._get_graph(), format=ox.RdfFormat.N_TRIPLES):
            yield ox.Quad(q.subject, q.predicate, q.object, ox.DefaultGraph())

    def named_graphs(self) -> Iterator[Any]:
        return iter(())

    def dump(self, output: Any = None, *, format: ox.RdfFormat = ox.RdfFormat.N_QUADS,  # noqa: A002
             from_graph: Any = None, prefixes: Mapping[str, str] | None = None) -> bytes | None:
        data = self._get_graph()
        triples = (ox.Triple(q.subject, q.predicate, q.object) for q in ox.parse(data, format=ox.RdfFormat.N_TRIPLES))
        if format == ox.RdfFormat.N_TRIPLES and not prefixes:
            serialised = data
        else:
            serialised = ox.serialize(triples, format=format, prefixes=prefixes) or b""
        if output is None:
            return serialised
        if isinstance(output, (str, os.PathLike)):
            target = Path(output)
            tmp = target.with_name(f".{target.name}.partial")
            tmp.write_bytes(serialised)
            os.replace(tmp, target)
        else:
            output.write(serialised)
        return None

    # Writes ------------------------------------------------------------------------------------

    def post_ntriples(self, body: IO[bytes] | bytes) -> None:
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

    def extend(self, quads: Iterable[ox.Quad]) -> None:
        triples = [ox.Triple(q.subject, q.predicate, q.object) for q in quads]
        self.post_ntriples(ox.serialize(triples, format=ox.RdfFormat.N_TRIPLES) or b"")

    def add(self, quad: ox.Quad) -> None:
        self.extend([quad])

    def load(self, input: Any = None, format: ox.RdfFormat | None = None, *, path: Any = None,  # noqa: A002
             base_iri: str | None = None, to_graph: Any = None, **_: Any) -> None:
        if path is not None:
            quads = ox.parse(path=str(path), format=format, base_iri=base_iri)
        else:
            quads = ox.parse(input, format=format, base_iri=base_iri)
        self.extend(quads)

    bulk_load = load

    def remove(self, quad: ox.Quad) -> None:
        triple = " ".join(_sparql_term(t) for t in (quad.subject, quad.predicate, quad.object))
        self.update(f"DELETE DATA {{ GRAPH <{self.graph}> {{ {triple} }} }}")

    def clear(self) -> None:
        """Empty autokg's graph on the endpoint (nothing else)."""
        self.update(f"CLEAR SILENT GRAPH <{self.graph}>")

    def flush(self) -> None:
        pass

    def ping(self) -> None:
        """Ask the endpoint a trivial question: raise :class:`EndpointError` if it cannot answer."""
        self.query("ASK WHERE { }")


def _with_query(url: str, **params: str) -> str:
    parts = urllib.parse.urlsplit(url)
    query = urllib.parse.parse_qsl(parts.query) + list(params.items())
    return urllib.parse.urlunsplit(parts._replace(query=urllib.parse.urlencode(query), fragment=""))


def remove_store(path: str | os.PathLike[str]) -> None:
    """Delete an embedded store folder (only if it is one)."""
    path = Path(path)
    if path.is_dir() and _is_rocksdb(path):
        shutil.rmtree(path)
