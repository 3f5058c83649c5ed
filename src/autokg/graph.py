"""The knowledge graph object, and :func:`open_graph`, the one way to get one.

A :class:`KnowledgeGraph` answers from a store backend: :class:`autokg.store.EmbeddedStore` (a
pyoxigraph store in memory or on disk) or :class:`autokg.remote.RemoteStore` (a SPARQL 1.1
endpoint). It offers what the rest of autokg needs (SPARQL with bound values, a node's existence,
a subject's triples, labels, a local in-memory copy, an all-or-nothing load); nothing outside
those two modules reaches into the backend.

rdflib is not imported here: the CLI's start-up path stays on pyoxigraph alone, and
:meth:`KnowledgeGraph.to_rdflib` imports rdflib only when a caller needs it.
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable, Iterable, Iterator, Mapping
from pathlib import Path
from typing import Any

import pyoxigraph as ox

from .errors import InputError, QueryError
from .rdfio import parse_text
from .sparql_check import check_sparql, clean_parse_error
from .resources import data_files, ontology_files
from .store import EmbeddedStore, load as load_files, open_embedded
from .vocab import CONCEPT, PREFIXES, RDFS_LABEL, XSD, curie, sparql_prologue

__all__ = ["KnowledgeGraph", "open_graph", "load", "bundled_paths", "python_value"]


#: Review statuses of claims a program extracted (``autokg ingest``): answers leave out the
#: rejected always and the unreviewed unless the graph's ``include_unreviewed`` is set.
UNREVIEWED = CONCEPT + "review-status/extracted"
REJECTED = CONCEPT + "review-status/rejected"
_UNREVIEWED_MARK = "# autokg:unreviewed-filter"


def python_value(term: Any) -> Any:
    """A query result term as a plain Python value: IRIs as str, literals by datatype.

    >>> python_value(ox.Literal("3", datatype=ox.NamedNode(XSD + "integer"))), python_value(None)
    (3, None)
    """
    if term is None:
        return None
    if isinstance(term, ox.Literal):
        dt = term.datatype.value
        text = term.value
        try:
            if dt.endswith(("#integer", "#int", "#long", "#nonNegativeInteger")):
                return int(text)
            if dt.endswith("#decimal"):
                return int(text) if text.lstrip("-").isdigit() else float(text)
            if dt.endswith(("#double", "#float")):
                return float(text)
        except ValueError:
            return text  # "abc"^^xsd:integer is a literal a query may hold: shown as it is written
        if dt.endswith("#boolean"):
            return text == "true"
        return text
    return term.value


def _term(value: Any) -> Any:
    if isinstance(value, (ox.NamedNode, ox.Literal, ox.BlankNode)):
        return value
    if isinstance(value, str) and value.startswith(("http://", "https://", "urn:")):
        return ox.NamedNode(value)
    if isinstance(value, bool):
        return ox.Literal("true" if value else "false", datatype=ox.NamedNode(XSD + "boolean"))
    if isinstance(value, (int, float, str)):
        return ox.Literal(value)
    raise TypeError(f"cannot bind {value!r}")


def _shift_position(message: str, full_text: str, user_text: str) -> str:
    """Report error positions against the user's query, not the one with prefixes prepended."""
    added = full_text.count("\n") - user_text.count("\n")
    match = re.search(r"error at (\d+):(\d+)", message)
    if match:
        line = int(match.group(1)) - added
        message = message.replace(match.group(0), f"error at line {line}, column {match.group(2)}")
    return message


_LABEL = ox.NamedNode(RDFS_LABEL)


class KnowledgeGraph:
    """The graph autokg answers from, held in a store backend (in memory unless one is given).

    >>> kg = KnowledgeGraph()
    >>> kg.load_turtle('<https://w3id.org/autokg/id/x> a <https://w3id.org/autokg/ns#Manufacturer> .')
    1
    >>> kg.select("SELECT ?m WHERE { ?m a akg:Manufacturer }")
    [{'m': 'https://w3id.org/autokg/id/x'}]
    >>> kg.exists("https://w3id.org/autokg/id/x"), kg.exists("https://w3id.org/autokg/id/y")
    (True, False)
    """

    #: Prefixes every query may use without declaring them (the one table of :mod:`autokg.vocab`).
    PREFIXES = PREFIXES

    def __init__(self, store: Any = None):
        self.store = store if store is not None else EmbeddedStore()
        self.sources: list[str] = []
        #: Answer with claims extracted by a program and not reviewed yet (``--include-unreviewed``).
        self.include_unreviewed = False
        #: Whether every triple came from :attr:`sources` (an in-memory graph only ever loaded from files).
        self.only_from_sources = store is None

    @property
    def written_sources(self) -> list[str]:
        """The files the whole graph was read from, to read again as written; [] if some triples came
        otherwise (a store, added triples)."""
        return list(self.sources) if self.only_from_sources else []

    @property
    def location(self) -> str | None:
        """Where the store is (a folder or an endpoint URL); None in memory."""
        return self.store.location if self.store is not None else None

    @property
    def is_remote(self) -> bool:
        return not isinstance(self.store, EmbeddedStore)

    def __len__(self) -> int:
        return len(self.store)

    def close(self) -> None:
        """Let go of the store (an on-disk store is open read-only: no lock is held between writes).

        The graph cannot be used afterwards. Closing twice, or closing an in-memory graph, is harmless.
        """
        store, self.store = self.store, None
        if store is not None:
            store.close()

    def refresh(self) -> bool:
        """Read the store's last committed state if a load has committed a new one since it was opened
        (an on-disk store; for a long-lived reader such as the web server); whether it did."""
        refresh = getattr(self.store, "refresh", None)
        return bool(refresh and refresh())

    # Loading -------------------------------------------------------------------------------

    def load(self, paths: Iterable[str | os.PathLike[str]], *,
             check: Callable[[KnowledgeGraph], None] | None = None, **progress: Any) -> int:
        """Load files and folders of RDF, all or nothing; return the number of triples read.

        Every file is parsed before any triple is added, so a malformed file leaves the graph
        as it was; the error names the file and line. ``check`` is given the graph as it would be
        after the load, before anything is committed, and raises to refuse it (validation).
        ``on_bytes`` and ``on_phase`` report progress (see :func:`autokg.store.load`).
        """
        staged = None if check is None else (lambda store: check(KnowledgeGraph(store)))
        files, total = load_files(self.store, paths, check=staged, **progress)
        self.sources.extend(str(p) for p in files)
        return total

    def load_turtle(self, text: str) -> int:
        """Load a Turtle string (for tests and small additions); return triples read."""
        quads = parse_text(text)
        self.add(quads)
        return len(quads)

    def add(self, triples: Iterable[ox.Triple | ox.Quad]) -> None:
        """Add triples, all or nothing (one transaction, or one request to an endpoint)."""
        self.only_from_sources = False
        self.store.add(ox.Triple(t.subject, t.predicate, t.object) for t in triples)

    # Querying ------------------------------------------------------------------------------

    def query(self, sparql: str, *, bindings: Mapping[str, Any] | None = None, use_default_prefixes: bool = True,
              allow_service: bool = False) -> Any:
        """Run SPARQL, with values bound (never pasted) for the variables in ``bindings``.

        A binding's value is an IRI string (``"https://..."``), a pyoxigraph term, or a Python
        str/int/float (a literal). Bound variables must appear in the SELECT clause (a
        pyoxigraph rule). Raises :class:`QueryError` saying where the query is wrong. SERVICE
        (fetching from other servers) is refused unless ``allow_service``, and so is a query
        nested too deep for the engine (see :mod:`autokg.sparql_check`).
        """
        check_sparql(sparql, allow_service=allow_service)
        text = (sparql_prologue(sparql) if use_default_prefixes else "") + sparql
        if self.include_unreviewed and _UNREVIEWED_MARK in text:
            text = "\n".join(line for line in text.split("\n") if not line.endswith(_UNREVIEWED_MARK))
        try:
            substitutions = {ox.Variable(k): _term(v) for k, v in (bindings or {}).items()}  # a bad IRI: ValueError
            return self.store.query(text, substitutions=substitutions)
        except SyntaxError as err:
            raise QueryError(clean_parse_error(f"bad SPARQL: {_shift_position(str(err), text, sparql)}")) from None
        except (RuntimeError, OSError, ValueError) as err:
            raise QueryError(f"SPARQL failed: {err}") from None

    def select(self, sparql: str, **bindings: Any) -> list[dict[str, Any]]:
        """Run a SELECT and return its rows as dicts of plain Python values."""
        result = self.query(sparql, bindings=bindings)
        names = [v.value for v in result.variables]
        return [{n: python_value(row[n]) for n in names} for row in result]

    def match(self, subject: str | None = None, predicate: str | None = None, object: Any = None,  # noqa: A002
              ) -> Iterator[ox.Triple]:
        """The triples matching a pattern; IRIs as strings or terms, None for anything."""
        def node(x: Any) -> Any:
            return ox.NamedNode(x) if isinstance(x, str) else x

        return self.store.match(node(subject), node(predicate), node(object))

    def exists(self, iri: str) -> bool:
        """Whether the graph has any triple about ``iri`` (as subject)."""
        return next(iter(self.match(iri)), None) is not None

    def triples_about(self, iri: str) -> list[ox.Triple]:
        """The triples whose subject is ``iri``."""
        return list(self.match(iri))

    def triples_about_all(self, iris: Iterable[str]) -> list[ox.Triple]:
        """The triples whose subject is one of ``iris`` (a few requests to an endpoint, not one per IRI)."""
        return list(self.store.triples_about(ox.NamedNode(i) for i in sorted(set(iris))))

    def has_triple(self, triple: ox.Triple) -> bool:
        return next(iter(self.store.match(triple.subject, triple.predicate, triple.object)), None) is not None

    def labels(self, iris: Iterable[str]) -> dict[str, str]:
        """The rdfs:label (English first) of each IRI that has one."""
        out: dict[str, str] = {}
        for iri in set(iris):
            for triple in self.store.match(ox.NamedNode(iri), _LABEL, None):
                lit = triple.object
                if isinstance(lit, ox.Literal) and (iri not in out or lit.language == "en"):
                    out[iri] = lit.value
        return out

    def label(self, iri: str) -> str:
        return self.labels([iri]).get(iri, curie(iri))

    # Copies and conversion -----------------------------------------------------------------

    def triples(self) -> Iterator[ox.Triple]:
        """Every triple of the graph."""
        return iter(self.store)

    def local_store(self) -> ox.Store:
        """A pyoxigraph store holding the graph, for many queries in a row (validation).

        The embedded store itself (do not write to it), or an in-memory copy of an endpoint's graph.
        """
        return self.store.local_store()

    def copy(self) -> KnowledgeGraph:
        """An in-memory copy of the graph, to add to without changing the store."""
        copy = KnowledgeGraph()
        copy.add(self.triples())
        copy.sources = list(self.sources)
        return copy

    def dump(self, output: Any, fmt: ox.RdfFormat) -> None:
        """Write the graph to a file (atomically) or a binary stream."""
        self.store.dump(output, fmt)

    def info(self) -> dict[str, Any]:
        """What the store is and holds."""
        return self.store.info()

    def to_rdflib(self):  # -> rdflib.Graph, imported lazily
        """The whole graph as an rdflib Graph (for pyshacl and rdflib's serialisers)."""
        import rdflib

        graph = rdflib.Graph()
        data = ox.serialize(self.triples(), format=ox.RdfFormat.N_TRIPLES) or b""
        graph.parse(data=data, format="nt")
        for prefix, iri in PREFIXES.items():
            graph.bind(prefix, iri)
        return graph


def bundled_paths() -> list[Path]:
    """The files of the bundled graph: the ontology, its concept schemes and the curated data."""
    return [*ontology_files(), *data_files()]


def _open_store(location: str | os.PathLike[str], *, create: bool, graph: str | None,
                timeout: float | None) -> Any:
    from .remote import RemoteStore, endpoint_timeout, is_remote

    timeout = endpoint_timeout(timeout)  # AUTOKG_TIMEOUT is checked wherever a store is named: a typo shows at once
    if is_remote(location):
        return RemoteStore(str(location), graph=graph, timeout=timeout)
    if graph not in (None, "default"):
        raise InputError(f"--graph {graph}: an embedded store keeps its data in its default graph; "
                         "--graph names a graph on a SPARQL endpoint")
    return open_embedded(location, create=create)


def open_graph(*, store: str | os.PathLike[str] | None = None, data: Iterable[str | os.PathLike[str]] = (),
               bundled: bool = True, create: bool = False, graph: str | None = None,
               timeout: float | None = None) -> KnowledgeGraph:
    """The graph to answer from: a store (a folder or a SPARQL endpoint URL), or in memory.

    With ``store``, the graph is what the store holds (``bundled`` changes nothing, and ``data``
    would have to change the store, which a question must not do: an InputError). ``create`` lets
    a missing or empty folder become a new store; ``graph`` and ``timeout`` are for an endpoint.

    In memory, the graph is the ontology and its concept schemes (always: they are the
    vocabulary, not data), the bundled data (unless ``bundled=False``) and ``data`` (files or
    folders of Turtle, TriG, N-Triples, N-Quads, JSON-LD or RDF/XML).

    >>> kg = open_graph()
    >>> len(kg) > 1000
    True
    """
    data = list(data)
    if store:
        if data:
            raise InputError("--data cannot be combined with --store: add the files to the store "
                             "with `autokg store load FILE --store STORE`")
        return KnowledgeGraph(_open_store(store, create=create, graph=graph, timeout=timeout))
    if not bundled and not data:
        raise InputError("no data: --no-bundled needs at least one --data PATH")
    kg = KnowledgeGraph()
    kg.load([*ontology_files(), *(data_files() if bundled else []), *data])
    return kg


def load(*, data: Iterable[str | os.PathLike[str]] = (), bundled: bool = True) -> KnowledgeGraph:
    """The bundled graph in memory, with ``data`` added: ``open_graph(data=data, bundled=bundled)``."""
    return open_graph(data=data, bundled=bundled)
