"""What the importers share: IRIs and slugs, the triple builder, name resolution, the report,
SHACL validation of the result and atomic Turtle output.

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
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pyoxigraph as ox

from ..errors import InputError, OutputError
from ..graph import KnowledgeGraph
from ..names import KIND_MAKER, KIND_MODEL, NameIndex, normalize
from ..rdfio import parse, serialize, write_atomically
from ..vocab import AKG, CONCEPT, ID, PUB, SRC, XSD, curie

__all__ = [
    "XSD", "RDF_TYPE", "RDFS_LABEL", "SKOS_ALT", "SRC", "PUB", "CONCEPT",
    "akg", "iri", "concept", "lit", "label", "date", "year", "integer", "decimal", "any_uri",
    "slug", "sha10", "ImportReport", "ImportResult", "Builder", "Resolver", "RowProblem",
    "validate_result", "write_turtle", "Progress", "finish", "open_csv", "pick_column",
    "count_lines", "data_rows", "publisher",
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


# Report ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class RowProblem:
    """Why one row of the input cannot be imported: its line number and the reason."""

    line: int
    message: str
    record: str = ""  # for inputs without lines (a JSON file of a dataset tree): its path

    def __str__(self) -> str:
        return f"{self.record or f'line {self.line}'}: {self.message}"


@dataclass
class ImportReport:
    """How an import went, row by row: counts, reasons and line numbers."""

    source: str
    rows: int = 0
    matched: int = 0
    created: int = 0
    market: int = 0
    skipped: dict[str, list[int]] = field(default_factory=lambda: defaultdict(list))
    invalid: list[RowProblem] = field(default_factory=list)
    unresolved: dict[str, dict[str, Any]] = field(default_factory=dict)
    new_entities: list[tuple[str, str, str]] = field(default_factory=list)
    triples: int = 0
    new_triples: int = 0
    validated: bool = False

    @property
    def skipped_count(self) -> int:
        return sum(len(v) for v in self.skipped.values())

    def skip(self, line: int, reason: str) -> None:
        self.skipped[reason].append(line)

    def unresolved_name(self, name: str, line: int, suggestions: list[str], what: str) -> None:
        entry = self.unresolved.setdefault(name, {"what": what, "lines": [], "suggestions": suggestions})
        entry["lines"].append(line)

    def as_dict(self) -> dict[str, Any]:
        return {
            "source": self.source, "rows": self.rows, "matched": self.matched, "created": self.created,
            "market": self.market, "skipped": {k: len(v) for k, v in self.skipped.items()},
            "invalid": [str(p) for p in self.invalid],
            "unresolved": {k: {"what": v["what"], "rows": len(v["lines"]), "first_line": v["lines"][0],
                               "suggestions": v["suggestions"]} for k, v in self.unresolved.items()},
            "new_entities": len(self.new_entities), "triples": self.triples, "new_triples": self.new_triples,
        }

    def lines(self, *, limit: int = 20) -> list[str]:
        """The report as lines of text for people."""
        out = [f"{self.source}: {self.rows} rows: {self.matched} matched, {self.created} created"
               + (f", {self.market} market totals" if self.market else "")
               + f", {self.skipped_count} skipped, {len(self.invalid)} invalid"]
        for reason, lines in sorted(self.skipped.items()):
            out.append(f"  skipped {len(lines)}: {reason} (lines {_span(lines)})")
        if self.unresolved:
            out.append(f"  unresolved names ({len(self.unresolved)}; --create makes them new entities):")
            for name, entry in list(sorted(self.unresolved.items()))[:limit]:
                hint = f"; did you mean: {', '.join(entry['suggestions'])}?" if entry["suggestions"] else ""
                out.append(f"    {entry['what']} {name!r}: {len(entry['lines'])} rows, first line {entry['lines'][0]}{hint}")
            if len(self.unresolved) > limit:
                out.append(f"    ... and {len(self.unresolved) - limit} more")
        if self.new_entities:
            shown = ", ".join(f"{lab} ({kind})" for _, lab, kind in self.new_entities[:limit])
            more = f", ... ({len(self.new_entities)} in all)" if len(self.new_entities) > limit else ""
            out.append(f"  new entities: {shown}{more}")
        for problem in self.invalid[:limit]:
            out.append(f"  invalid {problem}")
        if len(self.invalid) > limit:
            out.append(f"  ... and {len(self.invalid) - limit} more invalid rows")
        out.append(f"  triples: {self.triples} ({self.new_triples} new to the graph)")
        return out


def _span(lines: list[int], n: int = 8) -> str:
    shown = ", ".join(str(x) for x in lines[:n])
    return shown + (f", ... ({len(lines)} in all)" if len(lines) > n else "")


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


class Resolver:
    """Finds makers and models by name with the CLI's :class:`NameIndex`; mints IRIs for new ones.

    A name resolves to an entity of the graph (``matched``), to one made earlier in this import
    (``created``), or to nothing (``None``, with suggestions for the report).
    """

    def __init__(self, kg: KnowledgeGraph):
        self.kg = kg
        self.index = NameIndex(kg)
        self.created: dict[str, tuple[str, str]] = {}  # normalized key -> (iri, label)
        self._cache: dict[tuple[str, ...], Any] = {}
        self._brand_makers: dict[str, str | None] = {}
        self._publishers: dict[str, str | None] = {}

    def exists(self, iri_: str) -> bool:
        return self.kg.exists(iri_)

    def maker(self, name: str) -> tuple[str | None, str, str]:
        """(iri or None, status 'matched'|'created'|'unresolved', kind 'maker'|'brand')."""
        key = ("maker", normalize(name))
        if key in self._cache:
            return self._cache[key]
        found = self.index.lookup(name, kinds=(KIND_MAKER, "brand"))
        makers = [e for e in found if e.kind == KIND_MAKER]
        pick = makers[0] if len(makers) == 1 else (found[0] if len(found) == 1 else None)
        if pick is not None:
            result = (pick.iri, "matched", pick.kind)
        elif normalize(name) in self.created:
            result = (self.created[normalize(name)][0], "created", KIND_MAKER)
        else:
            candidate = ID + slug(name)
            result = (candidate, "matched", KIND_MAKER) if self._is_a(candidate, "Manufacturer") else (None, "unresolved", KIND_MAKER)
        self._cache[key] = result
        return result

    def brand_maker(self, brand_iri: str) -> str | None:
        if brand_iri not in self._brand_makers:
            rows = self.kg.select("SELECT ?b ?m WHERE { ?b akg:brandOf ?m }", b=brand_iri)
            self._brand_makers[brand_iri] = rows[0]["m"] if rows else None
        return self._brand_makers[brand_iri]

    def model(self, maker_name: str, maker_iri: str | None, name: str) -> tuple[str | None, str]:
        """(iri or None, 'matched'|'created'|'unresolved') of a model of a maker."""
        key = ("model", normalize(maker_name), normalize(name))
        if key in self._cache:
            return self._cache[key]
        found = self.index.lookup(f"{maker_name} {name}", kinds=(KIND_MODEL,))
        if not found and maker_iri:
            # The bare model name, if exactly one model of this maker has it.
            found = [e for e in self.index.lookup(name, kinds=(KIND_MODEL,)) if e.maker == maker_iri]
        result: tuple[str | None, str]
        if len(found) == 1:
            result = (found[0].iri, "matched")
        elif len(found) > 1:
            bases = [e for e in found if not self._is_a(e.iri, "Variant")]
            result = (bases[0].iri, "matched") if len(bases) == 1 else (None, "unresolved")
        elif normalize(maker_name) + normalize(name) in self.created:
            result = (self.created[normalize(maker_name) + normalize(name)][0], "created")
        else:
            result = (None, "unresolved")
        self._cache[key] = result
        return result

    def suggest(self, name: str, kinds: tuple[str, ...]) -> list[str]:
        return self.index.suggest(name, kinds=kinds, n=3)

    def mint(self, key: str, iri_: str, label_: str) -> str:
        """Record an entity made by this import; returns its IRI."""
        self.created[key] = (iri_, label_)
        for cache_key in [k for k in self._cache if "".join(k[1:]) == key]:
            del self._cache[cache_key]
        return iri_

    def created_label(self, iri_: str) -> str:
        """The label of an entity this import made (or the graph's label)."""
        for made, label_ in self.created.values():
            if made == iri_:
                return label_
        return self.kg.label(iri_)

    def _is_a(self, iri_: str, cls: str) -> bool:
        return self.kg.has_triple(ox.Triple(ox.NamedNode(iri_), RDF_TYPE, akg(cls)))

    def label_of(self, iri_: str) -> str:
        return self.kg.label(iri_)

    def publisher_for_host(self, host: str) -> str | None:
        """The publisher whose akg:domain is the host or a parent domain of it, if the graph has one."""
        if host not in self._publishers:
            candidates = [".".join(host.split(".")[i:]) for i in range(host.count(".") + 1)]
            found = None
            for domain in candidates:  # the most specific domain wins
                rows = self.kg.select("SELECT ?p ?d WHERE { ?p akg:domain ?d }", d=domain)
                if rows:
                    found = min(r["p"] for r in rows)
                    break
            self._publishers[host] = found
        return self._publishers[host]

    def source_for_url(self, url: str) -> str | None:
        """An existing source node with this URL, if the graph has one."""
        for value in (any_uri(url), ox.Literal(url)):
            for triple in self.kg.match(None, AKG + "url", value):
                return triple.subject.value
        return None


#: Hosts that publish for everybody: a URL there says nothing of who published it.
SHARED_HOSTS = frozenset({"github.com", "gitlab.com", "raw.githubusercontent.com", "zenodo.org", "kaggle.com"})


def publisher(b: Builder, res: Resolver, host: str | None, *, name: str | None = None) -> ox.NamedNode:
    """The publisher of a host (by akg:domain) or, on a shared host or none, of a name (pub:<slug>).

    The graph's own publisher when it has one; else a new one of kind unknown and tier secondary,
    until a curator says otherwise (data/README.md, "Sources, publishers and trust").
    """
    by_domain = bool(host) and host not in SHARED_HOSTS
    if by_domain:
        known = res.publisher_for_host(host)
        if known:
            return iri(known)
    node = iri(PUB + slug(host if by_domain else (name or "unknown")))
    if not by_domain and res.exists(node.value):
        return node
    b.add(node, RDF_TYPE, akg("Publisher"))
    b.add(node, RDFS_LABEL, label(name or host))
    if by_domain:
        b.add(node, akg("domain"), lit(host))
    b.add(node, akg("publisherKind"), concept("publisher-kind", "unknown"))
    b.add(node, akg("credibilityTier"), concept("credibility-tier", "secondary"))
    return node


# Result ------------------------------------------------------------------------------------


@dataclass
class ImportResult:
    """The triples an import asserts (sorted, deterministic) and its report."""

    triples: list[ox.Triple]
    report: ImportReport
    new_triples: list[ox.Triple] = field(default_factory=list)
    skip_invalid: bool = False

    @property
    def ok(self) -> bool:
        """True if the result may be written: no row is invalid, or invalid rows were dropped."""
        return self.skip_invalid or not self.report.invalid

    def to_turtle(self) -> bytes:
        return serialize(self.triples, ox.RdfFormat.TURTLE)


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


def validate_result(kg: KnowledgeGraph, builder: Builder) -> list[RowProblem]:
    """Run the SHACL shapes on the import's triples (with the graph's description of what they
    reference); return a problem per offending input line, for nodes this import made.

    The shapes run (:func:`autokg.validation.validate`) in a graph of the import's triples, what
    they reference and the ontology; no inference: the ontology is there, so targets and
    ``sh:class`` follow ``rdfs:subClassOf`` as SHACL says.
    """
    from ..resources import ontology_files
    from ..validation import validate

    checked = KnowledgeGraph()
    checked.add([*builder.triples.values(), *_context_triples(kg, builder)])
    checked.load(ontology_files())
    ours = {k[0] for k in builder.triples}
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
    """Write triples as Turtle, atomically (:func:`autokg.rdfio.write_atomically`); return the triples written.

    With ``keep_existing`` the file's current triples are kept and the new ones added (for an
    output that is also loaded as input, so that writing into it never loses what it held).
    """
    path = Path(path)
    if path.suffix.lower() not in (".ttl", ".turtle"):
        raise OutputError(f"{path}: the output must be a Turtle file (.ttl)")
    merged = {(t.subject.value, t.predicate.value, str(t.object)): t for t in triples}
    if keep_existing and path.exists():
        for q in parse(path):
            t = ox.Triple(q.subject, q.predicate, q.object)
            merged.setdefault((t.subject.value, t.predicate.value, str(t.object)), t)
    ordered = [merged[k] for k in sorted(merged)]
    write_atomically(path, serialize(ordered, ox.RdfFormat.TURTLE))
    return len(ordered)


# CSV input ---------------------------------------------------------------------------------


def open_csv(path: str | os.PathLike[str]):
    """Open a CSV file for csv.reader (UTF-8, a BOM allowed), or raise InputError."""
    path = Path(path)
    if not path.is_file():
        raise InputError(f"{path}: no such file")
    return open(path, encoding="utf-8-sig", newline="")


def pick_column(header: list[str], given: str | None, candidates: tuple[str, ...], what: str,
                *, required: bool = True) -> int | None:
    """The index of a column: the one named by an option, else the first default present.

    Raises InputError naming the missing column and the columns present.
    """
    folded = {h.strip().casefold(): i for i, h in enumerate(header)}
    present = ", ".join(h for h in header) or "(none)"
    if given:
        if given.strip().casefold() in folded:
            return folded[given.strip().casefold()]
        raise InputError(f"no column {given!r} for the {what} (columns present: {present})")
    for name in candidates:
        if name in folded:
            return folded[name]
    if required:
        raise InputError(f"no {what} column: expected one of {', '.join(candidates)} or an option naming it"
                         f" (columns present: {present})")
    return None


def data_rows(reader, report: ImportReport, width: int, progress: Callable[[int], None] | None = None,
              *, every: int = 1000):
    """The (line number, row) of each non-blank data row of a csv.reader, counted in ``report``.

    A row with fewer than ``width`` cells is recorded as invalid and not yielded; the progress
    callback hears of the rows read every ``every`` rows.
    """
    pending = 0
    for row in reader:
        line = reader.line_num
        pending += 1
        if progress and pending >= every:
            progress(pending)
            pending = 0
        if not any(cell.strip() for cell in row):
            continue
        report.rows += 1
        if len(row) < width:
            report.invalid.append(RowProblem(line, f"{len(row)} cells, expected at least {width}"))
            continue
        yield line, row
    if progress and pending:
        progress(pending)


def count_lines(path: str | os.PathLike[str]) -> int:
    """Lines of a file (for the length of a progress bar)."""
    with open(path, "rb") as f:
        return sum(chunk.count(b"\n") for chunk in iter(lambda: f.read(1 << 20), b""))
