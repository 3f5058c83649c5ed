"""What the importers share: IRIs, literals and slugs, the triple builder, SHACL validation of the
result and atomic Turtle output (the report is :mod:`.result`, names are :mod:`.entities`, CSV
reading is :mod:`.csvrows`).

The importers build plain :class:`pyoxigraph.Triple` objects (fast to make, to compare with the
graph and to serialise); rdflib is used only to run the SHACL shapes on the result.
"""

from __future__ import annotations

import hashlib
import os
import re
import unicodedata
from collections import defaultdict
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit

import pyoxigraph as ox

from ..errors import OutputError
from ..graph import KnowledgeGraph
from ..outputs import writes_through
from ..fit import url_host
from ..outputs import write_atomically
from ..rdfio import parse, serialize
from ..vocab import AKG, CONCEPT, ID, PUB, SRC, XSD, curie
from .result import ImportReport, ImportResult, RowProblem

__all__ = [
    "XSD", "RDF_TYPE", "RDFS_LABEL", "SKOS_ALT", "SRC", "PUB", "CONCEPT",
    "akg", "iri", "concept", "lit", "label", "date", "year", "integer", "decimal", "any_uri",
    "slug", "sha10", "without_credentials", "url_host", "Builder", "validate_result", "write_turtle", "Progress", "finish",
]

RDF_TYPE = ox.NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type")
RDFS_LABEL = ox.NamedNode("http://www.w3.org/2000/01/rdf-schema#label")
SKOS_ALT = ox.NamedNode("http://www.w3.org/2004/02/skos/core#altLabel")

#: A callback told how many rows were handled since its last call (drives a progress bar).
Progress = Callable[[int], None]


def akg(name: str) -> ox.NamedNode:
    return ox.NamedNode(AKG + name)


def iri(value: str) -> ox.NamedNode:
    return ox.NamedNode(value)


def concept(scheme: str, notation: str) -> ox.NamedNode:
    """``concept("market", "CN")`` is market:CN."""
    return ox.NamedNode(f"{CONCEPT}{scheme}/{notation}")


def lit(text: str) -> ox.Literal:
    return ox.Literal(text)


def label(text: str) -> ox.Literal:
    return ox.Literal(text, language="en")


def date(text: str) -> ox.Literal:
    return ox.Literal(text, datatype=ox.NamedNode(XSD + "date"))


def year(value: int | str) -> ox.Literal:
    return ox.Literal(str(value), datatype=ox.NamedNode(XSD + "gYear"))


def integer(value: int) -> ox.Literal:
    return ox.Literal(str(int(value)), datatype=ox.NamedNode(XSD + "integer"))


def decimal(value: float | int) -> ox.Literal:
    text = repr(float(value)) if not float(value).is_integer() else f"{int(value)}.0"
    return ox.Literal(text, datatype=ox.NamedNode(XSD + "decimal"))


def any_uri(url: str) -> ox.Literal:
    return ox.Literal(url, datatype=ox.NamedNode(XSD + "anyURI"))


def slug(text: str) -> str:
    """The id part of a name, per data/README: lower case, every run of other characters a hyphen.

    >>> slug("Song Plus"), slug("iEV7 S/E"), slug("Model_Y"), slug("Citroën ë-C4")
    ('song-plus', 'iev7-s-e', 'model-y', 'citroen-e-c4')
    """
    text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii").lower()
    return re.sub(r"[^a-z0-9]+", "-", text).strip("-")


def sha10(url: str) -> str:
    """The first 10 hex digits of the SHA-1 of a URL (the src: id of an article).

    >>> sha10("https://example.com/a")
    'c4ed1c218d'
    """
    return hashlib.sha1(url.encode("utf-8")).hexdigest()[:10]


def without_credentials(url: str) -> str:
    """The URL without its userinfo (``user:password@``), which is never stored nor printed.

    >>> without_credentials("https://alice:s3cret@www.example.org:8443/a?b#c")
    'https://www.example.org:8443/a?b#c'
    >>> without_credentials("https://example.org/a")
    'https://example.org/a'
    """
    parts = urlsplit(url)
    if "@" not in parts.netloc:
        return url
    return urlunsplit(parts._replace(netloc=parts.netloc.rsplit("@", 1)[1]))


# Building ----------------------------------------------------------------------------------


class Builder:
    """Collects the triples of an import, remembering which input lines each node comes from."""

    def __init__(self) -> None:
        self.triples: dict[tuple[str, str, str], ox.Triple] = {}
        self.node_lines: dict[str, set[int]] = defaultdict(set)
        self.records: dict[int, str] = {}  # record number -> path, for inputs without lines

    def add(self, s: ox.NamedNode, p: ox.NamedNode, o: Any, *, line: int | None = None) -> None:
        t = ox.Triple(s, p, o)
        self.triples.setdefault((s.value, p.value, str(o)), t)
        if line is not None:
            self.node_lines[s.value].add(line)

    def touch(self, node: ox.NamedNode | str, line: int) -> None:
        """Record that an input line uses (and so vouches for) a node."""
        self.node_lines[node.value if isinstance(node, ox.NamedNode) else node].add(line)

    def sorted_triples(self) -> list[ox.Triple]:
        return [self.triples[k] for k in sorted(self.triples)]

    def drop_lines(self, lines: set[int]) -> None:
        """Remove every node that comes only from the given lines (rows found invalid)."""
        doomed = {s for s, ls in self.node_lines.items() if ls and ls <= lines}
        self.triples = {k: t for k, t in self.triples.items() if k[0] not in doomed}
        for s in doomed:
            del self.node_lines[s]


def finish(kg: KnowledgeGraph, builder: Builder, report: ImportReport, *, validate: bool,
           skip_invalid: bool) -> ImportResult:
    """Validate the built triples, drop or keep invalid rows, count what is new to the graph."""
    if report.invalid and skip_invalid:
        builder.drop_lines({p.line for p in report.invalid})
    if validate and builder.triples:
        problems = validate_result(kg, builder)
        if problems:
            report.invalid.extend(problems)
            report.invalid.sort(key=lambda p: p.line)
            if skip_invalid:
                builder.drop_lines({p.line for p in problems})
                # What remains is checked once more: dropping a row may orphan nothing, but be sure.
                again = validate_result(kg, builder)
                report.invalid.extend(p for p in again if p not in report.invalid)
        report.validated = True
    triples = builder.sorted_triples()
    known = set(kg.triples_about_all(t.subject.value for t in triples))
    new = [t for t in triples if t not in known]
    report.triples, report.new_triples = len(triples), len(new)
    return ImportResult(triples, report, new, skip_invalid)


# Validation --------------------------------------------------------------------------------


def _context_triples(kg: KnowledgeGraph, builder: Builder) -> Iterable[ox.Triple]:
    """The graph's own triples about the entities the import touches (their types, labels,
    sources), so that the shapes can check classes of referenced nodes."""
    seen: set[str] = set()
    todo = {k[0] for k in builder.triples} | {
        t.object.value for t in builder.triples.values() if isinstance(t.object, ox.NamedNode)}
    todo = {x for x in todo if not x.startswith(CONCEPT)}
    for _depth in range(2):
        seen |= todo
        nxt: set[str] = set()
        for t in kg.triples_about_all(todo):
            yield t
            if isinstance(t.object, ox.NamedNode) and not t.object.value.startswith(CONCEPT):
                nxt.add(t.object.value)
        todo = nxt - seen
        if not todo:
            break


def validate_result(kg: KnowledgeGraph, builder: Builder, *, only: set[str] | None = None) -> list[RowProblem]:
    """Run the SHACL shapes on the import's triples (with the graph's description of what they
    reference); return a problem per offending input line, for nodes this import made (or for
    the nodes ``only`` names: a streamed import's current chunk).

    The shapes run (:func:`autokg.validation.validate`) in a graph of the import's triples, what
    they reference and the ontology; no inference: the ontology is there, so targets and
    ``sh:class`` follow ``rdfs:subClassOf`` as SHACL says.
    """
    from ..resources import ontology_files
    from ..validation import validate

    checked = KnowledgeGraph()
    checked.add([*builder.triples.values(), *_context_triples(kg, builder)])
    checked.load(ontology_files())
    ours = {k[0] for k in builder.triples} if only is None else only
    problems: set[RowProblem] = set()
    for result in validate(checked, qc=False, inference="none").results:
        focus = str(result.focus_node)
        if focus not in ours:
            continue
        path = str(result.result_path).rsplit("#", 1)[-1] if result.result_path is not None else ""
        message = result.message or ""
        for full in re.findall(r"https?://[^\s,;)]+", message):  # IRIs in messages read as CURIEs
            message = message.replace(full, curie(full))
        lines = sorted(builder.node_lines.get(focus, ())) or [0]
        if curie(focus) not in message:
            message = f"{curie(focus)}{' ' + path if path else ''}: {message}"
        problems.add(RowProblem(lines[0], message, builder.records.get(lines[0], "")))
    return sorted(problems, key=lambda p: (p.line, p.message))


# Output ------------------------------------------------------------------------------------


def write_turtle(path: str | os.PathLike[str], triples: list[ox.Triple], *, keep_existing: bool = False) -> int:
    """Write triples as Turtle, atomically (:func:`autokg.outputs.write_atomically`); return the triples written.

    With ``keep_existing`` the file's current triples are kept and the new ones added (for an
    output that is also loaded as input, so that writing into it never loses what it held).
    """
    path = Path(path)
    if path.suffix.lower() not in (".ttl", ".turtle") and not writes_through(path):  # /dev/stdout is fine
        raise OutputError(f"{path}: the output must be a Turtle file (.ttl)")
    merged = {(t.subject.value, t.predicate.value, str(t.object)): t for t in triples}
    if keep_existing and path.is_file():
        for q in parse(path):
            t = ox.Triple(q.subject, q.predicate, q.object)
            merged.setdefault((t.subject.value, t.predicate.value, str(t.object)), t)
    ordered = [merged[k] for k in sorted(merged)]
    write_atomically(path, serialize(ordered, ox.RdfFormat.TURTLE))
    return len(ordered)


