"""Literals as written: what the store rewrites, and the data parsed with every lexical form kept.

pyoxigraph's store keeps a literal of a type it knows in canonical form, and SPARQL in the store
sees only that form (the parser itself keeps the text as written; rdflib canonicalises some too):

======================================================  ===========================================
written                                                 in the store
======================================================  ===========================================
``"4.0"^^xsd:decimal``, ``"1.50"``                      ``"4"``, ``"1.5"``
``"01"^^xsd:integer``, ``"+3"``                         ``"1"``, ``"3"``
``"5"^^xsd:int`` (also ``long``, ``short``, ``byte``,   ``"5"^^xsd:integer`` (and two such literals
``unsigned*``, ``positiveInteger``,                     of one value become one)
``nonNegativeInteger``, ``negativeInteger``,
``nonPositiveInteger``)
``"1"^^xsd:boolean``                                    ``"true"``
``"1.0E3"^^xsd:double`` (and ``float``)                 ``"1000"``
``"2024-05-01T10:00:00.000Z"^^xsd:dateTime``            ``"2024-05-01T10:00:00Z"``
a language tag ``en-US``                                ``en-us`` (the parser does this)
======================================================  ===========================================

An ill-formed literal (``"c"^^xsd:byte``) is kept as written. So a check of ``sh:datatype
xsd:int`` on the store would fail ``"5"^^xsd:int``, and a report would name ``4`` for the data's
``4.0``. :func:`rewritten` tells whether files hold such literals; then the shapes that look at
literals (:func:`looks_at_literals`) are checked on :func:`read_graph`, the files parsed with every
lexical form kept, and the other shapes still run compiled in the store.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterable

import pyoxigraph as ox
from rdflib import Graph, Literal
from rdflib.namespace import SH, XSD
from rdflib.term import Node

from ..rdfio import expand_paths, parse
from .report import from_oxigraph

__all__ = ["rewritten", "read_graph", "looks_at_literals"]

#: The integer types the store turns into xsd:integer.
_INTEGER_SUBTYPES = {str(XSD[n]) for n in (
    "int", "long", "short", "byte", "unsignedInt", "unsignedLong", "unsignedShort", "unsignedByte",
    "positiveInteger", "nonNegativeInteger", "negativeInteger", "nonPositiveInteger")}
#: Canonical lexical forms, as the store writes them.
_CANONICAL = {
    str(XSD.integer): re.compile(r"-?(0|[1-9][0-9]*)"),
    str(XSD.decimal): re.compile(r"-?(0|[1-9][0-9]*)(\.[0-9]*[1-9])?"),
    str(XSD.boolean): re.compile(r"true|false"),
}
#: Other types the store keeps as values: a literal of these is compared with the store's form.
_VALUE_TYPES = {str(XSD[n]) for n in ("double", "float", "dateTime", "date", "time", "gYear", "gYearMonth",
                                      "gMonthDay", "gDay", "gMonth", "duration", "dayTimeDuration",
                                      "yearMonthDuration", "dateTimeStamp")}
#: Constraints whose outcome or report depends on a literal's exact form.
_LITERAL_CONSTRAINTS = {SH.datatype, SH.minExclusive, SH.maxExclusive, SH.minInclusive, SH.maxInclusive,
                        SH["in"], SH.hasValue, SH.targetNode}


def rewritten(paths: Iterable[str | os.PathLike[str]]) -> bool:
    """Whether the store would keep any literal of these files in another form than written.

    >>> import tempfile, pathlib
    >>> d = pathlib.Path(tempfile.mkdtemp())
    >>> _ = (d / "a.ttl").write_text('<http://e/s> <http://e/p> 4, "x", "2024-05-01"^^<http://www.w3.org/2001/XMLSchema#date> .')
    >>> _ = (d / "b.ttl").write_text('<http://e/s> <http://e/p> 4.0 .')
    >>> rewritten([d / "a.ttl"]), rewritten([d / "b.ttl"])
    (False, True)
    """
    others: list[ox.Literal] = []
    for path in expand_paths(paths):
        for quad in parse(path):
            term = quad.object
            if not isinstance(term, ox.Literal) or term.language:
                continue
            datatype = term.datatype.value
            if datatype in _INTEGER_SUBTYPES:
                return True
            canonical = _CANONICAL.get(datatype)
            if canonical is not None:
                if not canonical.fullmatch(term.value):
                    return True
            elif datatype in _VALUE_TYPES:
                others.append(term)
    if not others:
        return False
    # Let a scratch store say what it keeps.
    scratch = ox.Store()
    predicate = ox.NamedNode("urn:autokg:literal")
    scratch.extend(ox.Quad(ox.NamedNode(f"urn:autokg:{i}"), predicate, term) for i, term in enumerate(others))
    kept = {q.subject.value: q.object for q in scratch}
    return any(kept.get(f"urn:autokg:{i}") != term for i, term in enumerate(others))


def read_graph(paths: Iterable[str | os.PathLike[str]]) -> Graph:
    """Files and folders of RDF parsed into one rdflib Graph, every literal as written (named
    graphs merged into it)."""
    graph = Graph()
    for path in expand_paths(paths):
        for quad in parse(path):
            graph.add((from_oxigraph(quad.subject), from_oxigraph(quad.predicate), from_oxigraph(quad.object)))
    return graph


def looks_at_literals(shapes: Graph, shape: Node, _seen: set[Node] | None = None) -> bool:
    """Whether a shape (with its property shapes and the shapes it nests) has a constraint whose
    outcome or report depends on a literal's exact form."""
    seen = set() if _seen is None else _seen
    seen.add(shape)
    for predicate, value in shapes.predicate_objects(shape):
        if predicate in _LITERAL_CONSTRAINTS and (predicate != SH.targetNode or isinstance(value, Literal)):
            return True
        # Nested shapes, lists and paths are looked at too.
        if not isinstance(value, Literal) and value not in seen and looks_at_literals(shapes, value, seen):
            return True
    return False
