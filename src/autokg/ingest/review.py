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

from ..errors import InputError
from ..graph import REJECTED, UNREVIEWED
from ..outputs import write_atomically
from ..rdfio import parse_text, serialize
from ..vocab import AKG, ID, PREFIXES
from .turtle import turtle_name

__all__ = ["ReviewResult", "review", "ACCEPTED"]

ACCEPTED = "https://w3id.org/autokg/concept/review-status/accepted"
_STATUS = ox.NamedNode(AKG + "reviewStatus")
_CONFIDENCE = ox.NamedNode(AKG + "confidence")
_CANDIDATE_ENTITY = ox.NamedNode(AKG + "CandidateEntity")
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
    quads = parse_text(text, where=str(path))
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
        write_atomically(path, _edit(text, quads, chosen, status).encode("utf-8"))
    return result


def _edit(text: str, quads: list[ox.Quad], chosen: set[str], status: str) -> str:
    """The file with the chosen claims' status changed: as text where the writer's layout is
    intact, else the graph written out again."""
    word = status.rsplit("/", 1)[1]
    edited = text
    for iri in sorted(chosen):
        name = turtle_name(iri)
        pattern = re.compile(rf"(^(?:{re.escape(name)}|<{re.escape(iri)}>) a [^\n]*\n(?:(?!^\S)[^\n]*\n)*?"
                             rf"\s+akg:reviewStatus )review:extracted\b", re.M)
        edited, n = pattern.subn(rf"\1review:{word}", edited, count=1)
        if n != 1:
            return _serialize(quads, chosen, status)
    try:
        check = parse_text(edited)
    except InputError:
        return _serialize(quads, chosen, status)
    expected = {(iri, status) for iri in chosen}
    got = {(q.subject.value, q.object.value) for q in check if q.predicate == _STATUS and q.subject.value in chosen}
    return edited if got == expected and len(check) == len(quads) else _serialize(quads, chosen, status)


def _serialize(quads: list[ox.Quad], chosen: set[str], status: str) -> str:
    node = ox.NamedNode(status)
    triples = [ox.Triple(q.subject, q.predicate, node if (q.predicate == _STATUS and q.subject.value in chosen) else q.object)
               for q in quads]
    return serialize(triples, ox.RdfFormat.TURTLE).decode("utf-8")
