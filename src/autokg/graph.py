"""The knowledge graph object: a pyoxigraph store plus the loading and query helpers autokg needs.

rdflib is not imported here: the CLI's start-up path stays on pyoxigraph alone, and
:meth:`KnowledgeGraph.to_rdflib` imports rdflib only when a caller needs it (validation, exports).
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Iterator, Mapping
from pathlib import Path
from typing import Any

import pyoxigraph as ox

from .errors import DataFileError, InputError, QueryError
from .resources import data_files, ontology_files

__all__ = ["KnowledgeGraph", "load", "rdf_format_for", "RDF_SUFFIXES", "AKG", "ID"]

#: The autokg vocabulary and entity namespaces as plain strings (rdflib-free; see namespace.py).
AKG = "https://w3id.org/autokg/ns#"
ID = "https://w3id.org/autokg/id/"

#: File suffixes autokg reads, and their formats.
RDF_SUFFIXES: dict[str, ox.RdfFormat] = {
    ".ttl": ox.RdfFormat.TURTLE,
    ".turtle": ox.RdfFormat.TURTLE,
    ".nt": ox.RdfFormat.N_TRIPLES,
    ".nq": ox.RdfFormat.N_QUADS,
    ".trig": ox.RdfFormat.TRIG,
    ".jsonld": ox.RdfFormat.JSON_LD,
    ".json": ox.RdfFormat.JSON_LD,
    ".rdf": ox.RdfFormat.RDF_XML,
    ".owl": ox.RdfFormat.RDF_XML,
    ".xml": ox.RdfFormat.RDF_XML,
}


def rdf_format_for(path: str | os.PathLike[str]) -> ox.RdfFormat:
    """The RDF format of a file, by its suffix.

    >>> rdf_format_for("models.ttl")
    <RdfFormat Turtle>
    >>> rdf_format_for("x.csv")
    Traceback (most recent call last):
    ...
    autokg.errors.InputError: x.csv: not an RDF file (known suffixes: .json, .jsonld, .nq, .nt, .owl, .rdf, .trig, .ttl, .turtle, .xml)
    """
    suffix = Path(path).suffix.lower()
    try:
        return RDF_SUFFIXES[suffix]
    except KeyError:
        known = ", ".join(sorted(RDF_SUFFIXES))
        raise InputError(f"{path}: not an RDF file (known suffixes: {known})") from None


def _expand(paths: Iterable[str | os.PathLike[str]]) -> list[Path]:
    """Files named, and the RDF files inside folders named, in a stable order."""
    files: list[Path] = []
    for raw in paths:
        path = Path(raw)
        if path.is_dir():
            found = sorted(p for p in path.rglob("*") if p.is_file() and p.suffix.lower() in RDF_SUFFIXES)
            if not found:
                raise InputError(f"{path}: folder holds no RDF file")
            files.extend(found)
        elif path.is_file():
            rdf_format_for(path)
            files.append(path)
        else:
            raise InputError(f"{path}: no such file or folder")
    return files


#: Formats that hold triples only, which :meth:`pyoxigraph.Store.load` reads straight into the store.
_TRIPLE_FORMATS = {ox.RdfFormat.TURTLE, ox.RdfFormat.N_TRIPLES, ox.RdfFormat.RDF_XML}


def _count_triples(path: Path) -> int:
    """Parse a file only to check it; return its triples, or raise DataFileError with the line."""
    try:
        return sum(1 for _ in ox.parse(path=str(path), format=rdf_format_for(path), base_iri=path.resolve().as_uri()))
    except SyntaxError as err:
        raise data_file_error(path, err) from None
    except (OSError, ValueError) as err:
        raise DataFileError(str(path), str(err)) from None


def parse_file(path: str | os.PathLike[str]) -> list[ox.Quad]:
    """Parse one RDF file into quads (default graph), or raise :class:`DataFileError` with its line."""
    path = Path(path)
    fmt = rdf_format_for(path)
    try:
        return [
            ox.Quad(q.subject, q.predicate, q.object, ox.DefaultGraph())
            for q in ox.parse(path=str(path), format=fmt, base_iri=path.resolve().as_uri())
        ]
    except SyntaxError as err:
        raise data_file_error(path, err) from None
    except (OSError, ValueError) as err:
        raise DataFileError(str(path), str(err)) from None


def data_file_error(path: str | os.PathLike[str], err: SyntaxError) -> DataFileError:
    """pyoxigraph's SyntaxError as a DataFileError naming the file, line and column."""
    line = column = None
    if err.args and isinstance(err.args[-1], tuple) and len(err.args[-1]) >= 3:
        line, column = err.args[-1][1], err.args[-1][2]
    reason = str(err.args[0]) if err.args else str(err)
    # pyoxigraph says "Parser error between line 3 column 11 and ...": keep only the reason.
    if ": " in reason and reason.startswith("Parser error"):
        reason = reason.split(": ", 1)[1]
    return DataFileError(str(path), reason.splitlines()[0] if reason else "syntax error", line=line, column=column)


def source_fields(claim: str) -> str:
    """SPARQL that binds ?source, ?publisher, ?url and ?published for the claim variable ``claim``.

    >>> "?plan akg:source ?source" in source_fields("?plan")
    True
    """
    return (f"OPTIONAL {{ {claim} akg:source ?source .\n"
            "    OPTIONAL { ?source akg:publisher/rdfs:label ?publisher }\n"
            "    OPTIONAL { ?source akg:url ?url }\n"
            "    OPTIONAL { ?source akg:publishedOn ?published } }\n")


def _python_value(term: Any) -> Any:
    """A query result term as a plain Python value: IRIs as str, literals by datatype."""
    if term is None:
        return None
    if isinstance(term, ox.Literal):
        dt = term.datatype.value
        text = term.value
        if dt.endswith(("#integer", "#int", "#long", "#nonNegativeInteger")):
            return int(text)
        if dt.endswith("#decimal"):
            return int(text) if text.lstrip("-").isdigit() else float(text)
        if dt.endswith(("#double", "#float")):
            return float(text)
        if dt.endswith("#boolean"):
            return text == "true"
        return text
    return term.value


class KnowledgeGraph:
    """The graph autokg answers from, held in a :class:`pyoxigraph.Store`.

    >>> kg = KnowledgeGraph()
    >>> kg.load_turtle('<https://w3id.org/autokg/id/x> a <https://w3id.org/autokg/ns#Manufacturer> .')
    1
    >>> kg.select("SELECT ?m WHERE { ?m a akg:Manufacturer }")
    [{'m': 'https://w3id.org/autokg/id/x'}]
    """

    #: Prefixes every query may use without declaring them.
    PREFIXES = {
        "akg": AKG,
        "id": ID,
        "rdf": "http://www.w3.org/1999/02/22-rdf-syntax-ns#",
        "rdfs": "http://www.w3.org/2000/01/rdf-schema#",
        "skos": "http://www.w3.org/2004/02/skos/core#",
        "xsd": "http://www.w3.org/2001/XMLSchema#",
        "owl": "http://www.w3.org/2002/07/owl#",
        "prov": "http://www.w3.org/ns/prov#",
        "schema": "https://schema.org/",
    }

    def __init__(self, store: ox.Store | None = None, *, location: str | None = None):
        self.store = store if store is not None else ox.Store()
        self.location = location
        self.sources: list[str] = []

    def __len__(self) -> int:
        return len(self.store)

    def close(self) -> None:
        """Let go of the store: an on-disk store is flushed and closed (its lock released).

        The graph cannot be used afterwards. Closing twice, or closing an in-memory graph, is harmless.
        """
        store, self.store = self.store, None
        if store is not None and self.location and hasattr(store, "flush"):
            try:
                store.flush()
            except OSError:
                pass

    # Loading -------------------------------------------------------------------------------

    def load_paths(self, paths: Iterable[str | os.PathLike[str]]) -> int:
        """Load files and folders of RDF, all or nothing; return the number of triples read.

        Every file is parsed before any triple is added, so a malformed file leaves the graph
        as it was; the error names the file and line.
        """
        files = _expand(paths)
        total = sum(_count_triples(path) for path in files)  # the check pass: nothing written yet
        for path in files:
            fmt = rdf_format_for(path)
            if fmt in _TRIPLE_FORMATS:
                try:
                    self.store.load(path=str(path), format=fmt, base_iri=path.resolve().as_uri(),
                                    to_graph=ox.DefaultGraph())
                except SyntaxError as err:  # checked above: not expected
                    raise data_file_error(path, err) from None
            else:  # quads (TriG, N-Quads, JSON-LD): named graphs are merged into the default graph
                self.store.extend(parse_file(path))
        self.sources.extend(str(p) for p in files)
        return total

    def load_turtle(self, text: str) -> int:
        """Load a Turtle string (for tests and small additions); return triples read."""
        try:
            quads = list(ox.parse(text, format=ox.RdfFormat.TURTLE))
        except SyntaxError as err:
            raise DataFileError("<turtle>", str(err.args[0] if err.args else err)) from None
        self.store.extend(ox.Quad(q.subject, q.predicate, q.object, ox.DefaultGraph()) for q in quads)
        return len(quads)

    # Querying ------------------------------------------------------------------------------

    def _prologue(self, sparql: str) -> str:
        declared = {line.split()[1].rstrip(":").lower() for line in sparql.splitlines()
                    if line.strip().upper().startswith("PREFIX") and len(line.split()) > 1}
        return "".join(f"PREFIX {p}: <{iri}>\n" for p, iri in self.PREFIXES.items() if p not in declared)

    def query(self, sparql: str, *, bindings: Mapping[str, Any] | None = None, use_default_prefixes: bool = True) -> Any:
        """Run SPARQL, with values bound (never pasted) for the variables in ``bindings``.

        A binding's value is an IRI string (``"https://..."``), a pyoxigraph term, or a Python
        str/int/float (a literal). Bound variables must appear in the SELECT clause (a
        pyoxigraph rule). Raises :class:`QueryError` saying where the query is wrong.
        """
        text = (self._prologue(sparql) if use_default_prefixes else "") + sparql
        substitutions = {ox.Variable(k): _term(v) for k, v in (bindings or {}).items()}
        try:
            return self.store.query(text, substitutions=substitutions or None, use_default_graph_as_union=True)
        except SyntaxError as err:
            raise QueryError(f"bad SPARQL: {_shift_position(str(err), text, sparql)}") from None
        except (RuntimeError, OSError, ValueError) as err:
            raise QueryError(f"SPARQL failed: {err}") from None

    def select(self, sparql: str, **bindings: Any) -> list[dict[str, Any]]:
        """Run a SELECT and return its rows as dicts of plain Python values."""
        result = self.query(sparql, bindings=bindings)
        names = [v.value for v in result.variables]
        return [{n: _python_value(row[n]) for n in names} for row in result]

    def ask(self, sparql: str, **bindings: Any) -> bool:
        return bool(self.query(sparql, bindings=bindings))

    def labels(self, iris: Iterable[str]) -> dict[str, str]:
        """The rdfs:label (English first) of each IRI that has one."""
        out: dict[str, str] = {}
        for iri in set(iris):
            for quad in self.store.quads_for_pattern(ox.NamedNode(iri), _RDFS_LABEL, None):
                lit = quad.object
                if isinstance(lit, ox.Literal) and (iri not in out or lit.language == "en"):
                    out[iri] = lit.value
        return out

    def label(self, iri: str) -> str:
        return self.labels([iri]).get(iri, _curie(iri))

    # Conversion ----------------------------------------------------------------------------

    def triples(self) -> Iterator[ox.Triple]:
        for quad in self.store:
            yield ox.Triple(quad.subject, quad.predicate, quad.object)

    def to_rdflib(self):  # -> rdflib.Graph, imported lazily
        """The whole graph as an rdflib Graph (for pyshacl and rdflib's serialisers)."""
        import rdflib

        graph = rdflib.Graph()
        data = self.store.dump(format=ox.RdfFormat.N_TRIPLES, from_graph=ox.DefaultGraph())
        graph.parse(data=data, format="nt")
        for prefix, iri in self.PREFIXES.items():
            graph.bind(prefix, iri)
        return graph


_RDFS_LABEL = ox.NamedNode("http://www.w3.org/2000/01/rdf-schema#label")


def _curie(iri: str) -> str:
    for prefix, ns in KnowledgeGraph.PREFIXES.items():
        if iri.startswith(ns):
            return f"{prefix}:{iri[len(ns):]}"
    return iri


def _term(value: Any) -> Any:
    if isinstance(value, (ox.NamedNode, ox.Literal, ox.BlankNode)):
        return value
    if isinstance(value, str) and value.startswith(("http://", "https://", "urn:")):
        return ox.NamedNode(value)
    if isinstance(value, bool):
        return ox.Literal("true" if value else "false", datatype=ox.NamedNode("http://www.w3.org/2001/XMLSchema#boolean"))
    if isinstance(value, (int, float, str)):
        return ox.Literal(value)
    raise TypeError(f"cannot bind {value!r}")


def _shift_position(message: str, full_text: str, user_text: str) -> str:
    """Report error positions against the user's query, not the one with prefixes prepended."""
    import re

    added = full_text.count("\n") - user_text.count("\n")
    match = re.search(r"error at (\d+):(\d+)", message)
    if match and added:
        line = int(match.group(1)) - added
        message = message.replace(match.group(0), f"error at line {line}, column {match.group(2)}")
    elif match:
        message = message.replace(match.group(0), f"error at line {match.group(1)}, column {match.group(2)}")
    return message


def bundled_paths() -> list[Path]:
    """The files of the bundled graph: the ontology, its concept schemes and the curated data."""
    return [*ontology_files(), *data_files()]


def load(
    *,
    data: Iterable[str | os.PathLike[str]] = (),
    bundled: bool = True,
) -> KnowledgeGraph:
    """Load the knowledge graph: the ontology, the bundled data (unless ``bundled=False``) and ``data``.

    ``data`` names files or folders of Turtle, TriG, N-Triples, N-Quads, JSON-LD or RDF/XML.
    The ontology and its concept schemes are always loaded: they are the vocabulary (labels of
    body styles, markets ...), not data.

    >>> kg = load()
    >>> len(kg) > 1000
    True
    """
    kg = KnowledgeGraph()
    data = list(data)
    if not bundled and not data:
        raise InputError("no data: --no-bundled needs at least one --data PATH")
    kg.load_paths([*ontology_files(), *(data_files() if bundled else []), *data])
    return kg
