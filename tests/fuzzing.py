"""Fuzz targets and their hypothesis strategies, shared by tests/test_fuzz.py and bench/fuzz.py.

A target takes one generated input and runs it through a reader of autokg. It may raise an
:class:`autokg.errors.AutokgError` (a refusal, with its one-line message); anything else it
raises is a crash. Round-trip targets raise AssertionError when the round trip loses something.
"""

from __future__ import annotations

import csv
import io
import json
import os
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

from hypothesis import strategies as st

from autokg.errors import AutokgError
from autokg.graph import KnowledgeGraph

__all__ = ["TARGETS", "run_target"]

ACME = Path(__file__).parent / "data" / "cli" / "acme.ttl"
_ACME_TEXT = ACME.read_text(encoding="utf-8")
_KG: KnowledgeGraph | None = None


def _acme() -> KnowledgeGraph:
    global _KG
    if _KG is None:
        _KG = KnowledgeGraph()
        _KG.load([ACME])
    return _KG


def _file(suffix: str, content: bytes) -> Path:
    fd, name = tempfile.mkstemp(suffix=suffix, prefix="autokg-fuzz-")
    with os.fdopen(fd, "wb") as handle:
        handle.write(content)
    return Path(name)


def _load(suffix: str, content: bytes) -> int:
    path = _file(suffix, content)
    try:
        return KnowledgeGraph().load([path])
    finally:
        path.unlink()


# Strategies --------------------------------------------------------------------------------

_TTL_TOKENS = ["<http://e/s>", "<http://e/p>", '"o"', "1", "-2.5e3", "true", "[", "]", "(", ")", ".", ";", ",",
               "@prefix", "ex:", "<http://e/>", "a", "_:b", '"""x\ny"""', "@en", "^^", "<<", ">>", "{|", "|}",
               "<<(", ")>>", "VERSION", "#c\n", "\\u0000", "\x00", "\ufeff", "'", '"', "<", ">", "\n", " "]


def _mutated(text: str) -> st.SearchStrategy[bytes]:
    """``text`` with a slice replaced, cut or duplicated: mostly valid, broken in one place."""

    @st.composite
    def build(draw) -> bytes:
        data = text.encode("utf-8")
        i = draw(st.integers(0, len(data)))
        j = draw(st.integers(i, min(len(data), i + 40)))
        how = draw(st.sampled_from(["replace", "cut", "dup", "tokens"]))
        if how == "replace":
            return data[:i] + draw(st.binary(max_size=12)) + data[j:]
        if how == "cut":
            return data[:i]
        if how == "dup":
            return data[:j] + data[i:j] * draw(st.integers(1, 50)) + data[j:]
        return data[:i] + " ".join(draw(st.lists(st.sampled_from(_TTL_TOKENS), max_size=12))).encode() + data[j:]

    return build()


turtle_inputs = st.one_of(
    _mutated(_ACME_TEXT[:4000]),
    st.lists(st.sampled_from(_TTL_TOKENS), max_size=40).map(lambda ts: " ".join(ts).encode("utf-8")),
    st.binary(max_size=200),
)

_json_scalars = st.one_of(st.none(), st.booleans(), st.integers(), st.floats(allow_nan=False),
                          st.text(max_size=20), st.sampled_from(["http://e/x", "http://a b", "@id", "_:b", "ex:y"]))
_json_keys = st.one_of(st.sampled_from(["@id", "@type", "@context", "@value", "@language", "@list", "@graph",
                                        "@reverse", "@vocab", "@base", "http://e/p", "ex:p", "ex"]),
                       st.text(max_size=8))
json_values = st.recursive(_json_scalars, lambda inner: st.one_of(
    st.lists(inner, max_size=4), st.dictionaries(_json_keys, inner, max_size=4)), max_leaves=25)
jsonld_inputs = st.one_of(json_values.map(lambda v: json.dumps(v).encode("utf-8")), st.binary(max_size=100))

_cells = st.one_of(st.sampled_from(["2025-10", "2025-13", "10/2025", "Acme Motors", "Acme", "Roadrunner", "",
                                    "100", "-5", "1e9", "x", "https://example.org/a", "https://u:p@e.org/",
                                    "=1+1", "\ufeffmonth", "total", "other"]), st.text(max_size=12))
csv_inputs = st.lists(st.lists(_cells, min_size=0, max_size=7), max_size=6).map(
    lambda rows: _csv([["month", "brand", "model", "units", "source_url"], *rows]))

_bind_values = st.one_of(st.text(max_size=30), st.sampled_from(
    ["id:acme", "<http://a b>", "<>", "nan", "inf", "-0", "1e400", "http://e/x", "urn:x", "id:",
     "akg:VehicleModel", "<http://e/ok>", "\x00", "x" * 300]))
bind_inputs = st.one_of(
    st.tuples(st.sampled_from(["model", "?m", "$x", "", "1a", "a b"]), st.sampled_from(["=", "", "=="]),
              _bind_values).map("".join),
    st.text(max_size=40),
)

sparql_inputs = st.one_of(
    _mutated("SELECT ?m ?l WHERE { ?m a akg:VehicleModel ; rdfs:label ?l . FILTER(lang(?l) = 'en') } "
             "ORDER BY ?l LIMIT 5").map(lambda b: b.decode("utf-8", "replace")),
    st.lists(st.sampled_from(["SELECT", "*", "?x", "WHERE", "{", "}", "(", ")", "FILTER", "OPTIONAL", "UNION",
                              "<http://e/p>", '"s"', "1", ".", "GRAPH", "BIND", "AS", "VALUES", "SERVICE", "!",
                              "^", "/", "|", "ASK", "CONSTRUCT", "COUNT", "GROUP", "BY", "#"]), max_size=30)
    .map(" ".join),
)

names = st.one_of(st.text(max_size=30), st.sampled_from(
    ["Roadrunner", "acme roadrunner", "ROAD-RUNNER", "id:acme-roadrunner", "https://w3id.org/autokg/id/acme",
     "id:", "<>", "Acme", "🚗", "比亚迪", "...", "\x1b[2J", "a" * 500]))

_iris = st.sampled_from(["http://e/a", "http://e/b", "https://w3id.org/autokg/id/x", "urn:x:1", "http://e/é"])
_literals = st.one_of(
    st.text(max_size=20).filter(lambda t: "\x00" not in t).map(lambda t: ("lit", t, None, None)),
    st.tuples(st.just("lang"), st.text(min_size=0, max_size=8).filter(lambda t: "\x00" not in t),
              st.sampled_from(["en", "de", "zh-Hans"])).map(lambda t: ("lit", t[1], t[2], None)),
    st.integers(-10**12, 10**12).map(lambda n: ("lit", str(n), None, "http://www.w3.org/2001/XMLSchema#integer")),
)
triples = st.lists(st.tuples(_iris, _iris, st.one_of(_iris, _literals)), max_size=15)


def _csv(rows: list[list[str]]) -> bytes:
    buffer = io.StringIO()
    csv.writer(buffer).writerows(rows)
    return buffer.getvalue().encode("utf-8")


# Targets -----------------------------------------------------------------------------------

def turtle(content: bytes) -> None:
    _load(".ttl", content)


def jsonld(content: bytes) -> None:
    _load(".jsonld", content)


def rdfxml(content: bytes) -> None:
    _load(".rdf", content)


def sales_csv(content: bytes) -> None:
    from autokg.importers import import_sales

    path = _file(".csv", content)
    try:
        import_sales(_acme(), path, create=True, skip_invalid=True, validate=False)
    finally:
        path.unlink()


def bind(text: str) -> None:
    from autokg.queries import parse_binding

    name, value = parse_binding(text)
    _acme().query(f"SELECT ?{name} WHERE {{ }}", bindings={name: value})


def sparql(text: str) -> None:
    result = _acme().query(text)
    if hasattr(result, "__iter__"):
        for _ in zip(range(20), result):
            pass


def resolve(name: str) -> None:
    from autokg.names import resolve as resolve_name

    resolve_name(_acme(), name)


def _term(value: Any):
    import pyoxigraph as ox

    if isinstance(value, str):
        return ox.NamedNode(value)
    _, text, lang, datatype = value
    if lang:
        return ox.Literal(text, language=lang)
    return ox.Literal(text, datatype=ox.NamedNode(datatype)) if datatype else ox.Literal(text)


def export_round_trip(spo: list[tuple[Any, Any, Any]]) -> None:
    """Export a graph as Turtle and N-Triples and read it back: the same triples."""
    import pyoxigraph as ox

    from autokg.export import ExportFormat, export_rdf

    kg = KnowledgeGraph()
    kg.add(ox.Triple(_term(s), _term(p), _term(o)) for s, p, o in spo)
    expected = {(t.subject, t.predicate, t.object) for t in kg.triples()}
    for fmt, suffix in ((ExportFormat.TTL, ".ttl"), (ExportFormat.NT, ".nt"), (ExportFormat.JSONLD, ".jsonld")):
        path = _file(suffix, export_rdf(kg, None, fmt))
        try:
            back = KnowledgeGraph()
            back.load([path])
        finally:
            path.unlink()
        got = {(t.subject, t.predicate, t.object) for t in back.triples()}
        assert got == expected, (fmt, expected ^ got)


TARGETS: dict[str, tuple[Callable[[Any], None], st.SearchStrategy]] = {
    "turtle": (turtle, turtle_inputs),
    "jsonld": (jsonld, jsonld_inputs),
    "rdfxml": (rdfxml, st.one_of(_mutated('<?xml version="1.0"?><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/'
                                          '22-rdf-syntax-ns#" xmlns:ex="http://e/"><rdf:Description rdf:about='
                                          '"http://e/s"><ex:p>o</ex:p></rdf:Description></rdf:RDF>'),
                                 st.binary(max_size=100))),
    "sales-csv": (sales_csv, csv_inputs),
    "bind": (bind, bind_inputs),
    "sparql": (sparql, sparql_inputs),
    "resolve": (resolve, names),
    "export-round-trip": (export_round_trip, triples),
}


def run_target(name: str, value: Any) -> str | None:
    """Run one input: None if accepted, the refusal's message if refused; a crash propagates."""
    target, _ = TARGETS[name]
    try:
        target(value)
    except AutokgError as err:
        message = str(err)
        assert "\n" not in message, f"a refusal of more than one line: {message!r}"
        return message
    return None
