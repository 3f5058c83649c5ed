"""Accept (or reject) candidate claims in a Turtle file written by ``autokg ingest``.

The file is edited in place, atomically: each chosen claim's ``akg:reviewStatus
review:extracted`` becomes ``review:accepted`` (or ``review:rejected``), and nothing else changes,
so that the edit reads well in a diff. Editing the status by hand does the same.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

import pyoxigraph as ox

from ..errors import DataFileError, InputError
from ..export import write_atomically
from ..graph import REJECTED, UNREVIEWED, data_file_error
from ..namespace import AKG, ID, PREFIXES

__all__ = ["ReviewResult", "review", "ACCEPTED"]

ACCEPTED = "https://w3id.org/autokg/concept/review-status/accepted"
_STATUS = ox.NamedNode(str(AKG.reviewStatus))
_CONFIDENCE = ox.NamedNode(str(AKG.confidence))
_CANDIDATE_ENTITY = ox.NamedNode(str(AKG.CandidateEntity))
_TYPE = ox.NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type")


@dataclass
class ReviewResult:
    """What a review changed: the claims set to the new status, and those left as they were."""

    path: str
    status: str
    changed: list[str] = field(default_factory=list)
    left: list[str] = field(default_factory=list)


def _expand(name: str) -> str:
    name = name.strip().strip("<>")
    if re.match(r"^https?://", name):
        return name
    prefix, _, local = name.partition(":")
    if prefix in PREFIXES and local:
        return PREFIXES[prefix] + local
    return str(ID) + name


def review(path: str | Path, *, reject: bool = False, claims: list[str] | None = None,
           min_confidence: float | None = None) -> ReviewResult:
    """Set the review status of the extracted claims of a candidates file (all, or ``claims``, or
    those at ``min_confidence`` or more) to accepted, or rejected."""
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeError) as err:
        raise InputError(f"{path}: cannot read: {getattr(err, 'strerror', None) or err}") from None
    try:
        quads = list(ox.parse(text, format=ox.RdfFormat.TURTLE, base_iri=path.resolve().as_uri()))
    except SyntaxError as err:
        raise data_file_error(path, err) from None
    extracted = {q.subject.value for q in quads if q.predicate == _STATUS and q.object.value == UNREVIEWED}
    entities = {q.subject.value for q in quads if q.predicate == _TYPE and q.object == _CANDIDATE_ENTITY}
    confidence = {q.subject.value: float(q.object.value) for q in quads if q.predicate == _CONFIDENCE}
    if not extracted - entities:
        raise InputError(f"{path}: no claims with review status 'extracted, not reviewed' to review")
    chosen = extracted - entities
    if claims:
        wanted = {_expand(c) for c in claims}
        unknown = sorted(wanted - chosen)
        if unknown:
            raise InputError(f"{path}: not an unreviewed claim of the file: {', '.join(unknown)}")
        chosen = wanted
    if min_confidence is not None:
        chosen = {c for c in chosen if confidence.get(c, 0.0) >= min_confidence}
    status = REJECTED if reject else ACCEPTED
    result = ReviewResult(str(path), "rejected" if reject else "accepted", sorted(chosen),
                          sorted((extracted - entities) - chosen))
    if chosen:
        write_atomically(_edit(text, quads, chosen, status, path).encode("utf-8"), str(path))
    return result


def _edit(text: str, quads: list[ox.Quad], chosen: set[str], status: str, path: Path) -> str:
    """The file with the chosen claims' status changed: as text where the writer's layout is
    intact, else the graph written out again."""
    word = status.rsplit("/", 1)[1]
    edited = text
    for iri in sorted(chosen):
        curie = _curie(iri)
        pattern = re.compile(rf"(^(?:{re.escape(curie)}|<{re.escape(iri)}>) a [^\n]*\n(?:(?!^\S)[^\n]*\n)*?"
                             rf"\s+akg:reviewStatus )review:extracted\b", re.M)
        edited, n = pattern.subn(rf"\1review:{word}", edited, count=1)
        if n != 1:
            return _serialize(quads, chosen, status)
    try:
        check = list(ox.parse(edited, format=ox.RdfFormat.TURTLE, base_iri=path.resolve().as_uri()))
    except SyntaxError:
        return _serialize(quads, chosen, status)
    expected = {(iri, status) for iri in chosen}
    got = {(q.subject.value, q.object.value) for q in check if q.predicate == _STATUS and q.subject.value in chosen}
    return edited if got == expected and len(check) == len(quads) else _serialize(quads, chosen, status)


def _curie(iri: str) -> str:
    for prefix in ("id", "src"):
        ns = PREFIXES[prefix]
        if iri.startswith(ns) and re.fullmatch(r"[A-Za-z0-9_-]+", iri[len(ns):]):
            return f"{prefix}:{iri[len(ns):]}"
    return f"<{iri}>"


def _serialize(quads: list[ox.Quad], chosen: set[str], status: str) -> str:
    node = ox.NamedNode(status)
    triples = [ox.Triple(q.subject, q.predicate, node if (q.predicate == _STATUS and q.subject.value in chosen) else q.object)
               for q in quads]
    try:
        return ox.serialize(triples, format=ox.RdfFormat.TURTLE, prefixes=PREFIXES).decode("utf-8")
    except (TypeError, ValueError) as err:  # pragma: no cover - pyoxigraph without prefixes
        raise DataFileError("<candidates>", f"cannot write the reviewed file: {err}") from None
