"""Named SPARQL queries (``queries/*.rq``) and running any SPARQL against the graph."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pyoxigraph as ox

from .errors import InputError, NameNotFound
from .graph import KnowledgeGraph, python_value
from .resources import query_dir
from .sparql_check import is_variable_name
from .vocab import curie, expand

__all__ = ["NamedQuery", "named_queries", "named_query", "run_sparql", "QueryAnswer", "RESULT_FORMATS"]

#: Standard SPARQL 1.1 result formats for SELECT and ASK.
RESULT_FORMATS = {
    "json": ox.QueryResultsFormat.JSON,
    "csv": ox.QueryResultsFormat.CSV,
    "tsv": ox.QueryResultsFormat.TSV,
    "xml": ox.QueryResultsFormat.XML,
}


@dataclass(frozen=True)
class NamedQuery:
    """A query kept as a file: its name (the file's stem), its text and the comment that heads it."""

    name: str
    path: Path
    text: str

    @property
    def description(self) -> str:
        lines = []
        for line in self.text.splitlines():
            if not line.startswith("#"):
                break
            lines.append(line.lstrip("# ").rstrip())
        return " ".join(lines)


def named_queries() -> dict[str, NamedQuery]:
    """The queries users run by name (the quality checks in ``queries/qc/`` are not among them)."""
    return {p.stem: NamedQuery(p.stem, p, p.read_text(encoding="utf-8"))
            for p in sorted(query_dir().glob("*.rq"))}


def named_query(name: str) -> NamedQuery:
    """The named query ``name``; an unknown name lists the closest ones."""
    queries = named_queries()
    if name in queries:
        return queries[name]
    import difflib

    raise NameNotFound(name, difflib.get_close_matches(name, list(queries), n=3, cutoff=0.3) or sorted(queries),
                       what="named query")


@dataclass
class QueryAnswer:
    """The answer to a query: ``kind`` is select, ask or graph; ``result`` is pyoxigraph's."""

    kind: str
    result: Any

    def rows(self) -> list[dict[str, Any]]:
        names = [v.value for v in self.result.variables]
        return [{n: python_value(row[n]) for n in names} for row in self.result]


def run_sparql(kg: KnowledgeGraph, text: str, *, bindings: dict[str, Any] | None = None,
               allow_service: bool = False) -> QueryAnswer:
    """Run SELECT, ASK, CONSTRUCT or DESCRIBE, with values bound to variables (never pasted).
    SERVICE is refused unless ``allow_service``."""
    result = kg.query(text, bindings=bindings, allow_service=allow_service)
    if isinstance(result, ox.QuerySolutions):
        return QueryAnswer("select", result)
    if isinstance(result, ox.QueryBoolean):
        return QueryAnswer("ask", result)
    return QueryAnswer("graph", result)


_TYPED = re.compile(r'"(.*)"\^\^(\S+)', re.S)
_TAGGED = re.compile(r'"(.*)"@([A-Za-z]+(?:-[A-Za-z0-9]+)*)', re.S)
_CURIE = re.compile(r"[A-Za-z][\w.-]*:\S*")


def _checked_iri(name: str, value: str) -> str:
    """``value`` if it is an IRI pyoxigraph accepts; else one line saying so."""
    try:
        return ox.NamedNode(value).value
    except ValueError as err:
        raise InputError(f"--bind {name}: <{value}> is not a valid IRI ({err})") from None


def _iri_of(name: str, value: str) -> str | None:
    """The IRI ``value`` gives (``<...>``, ``http(s)://``, ``urn:``, a known CURIE), None if it gives none."""
    if value.startswith("<") and value.endswith(">"):
        return _checked_iri(name, value[1:-1])
    if value.startswith(("http://", "https://", "urn:")):
        return _checked_iri(name, value)
    if expand(value) is not None:
        return _checked_iri(name, expand(value))  # type: ignore[arg-type]
    if _CURIE.fullmatch(value):
        raise InputError(f"--bind {name}: unknown prefix {value.split(':', 1)[0] + ':'!r} in {value!r} "
                         "(autokg query --prefixes lists them); quote the value to bind it as text")
    return None


def _typed_literal(name: str, lexical: str, datatype: str) -> ox.Literal:
    """``"lexical"^^datatype``, refused when the lexical form is not one of the datatype's values."""
    import logging

    import rdflib

    iri = _iri_of(name, datatype)
    if iri is None:
        raise InputError(f"--bind {name}: {datatype!r} is not a datatype IRI or CURIE")
    quiet = logging.getLogger("rdflib.term")
    level, quiet.level = quiet.level, logging.CRITICAL + 1  # rdflib logs a traceback for an ill-typed literal
    try:
        ill_typed = rdflib.Literal(lexical, datatype=rdflib.URIRef(iri)).ill_typed
    finally:
        quiet.level = level
    if ill_typed:
        raise InputError(f"--bind {name}: {lexical!r} is not a valid {curie(iri)}")
    return ox.Literal(lexical, datatype=ox.NamedNode(iri))


def parse_binding(text: str) -> tuple[str, Any]:
    """``NAME=VALUE`` from the command line: IRIs and ``id:`` CURIEs become IRIs, numbers numbers,
    ``"2025-01-01"^^xsd:date`` and ``"Auto"@de`` literals. A bad IRI, an unknown prefix or a
    lexical form not valid for its datatype is one InputError.

    >>> parse_binding("maker=id:xiaomi")
    ('maker', 'https://w3id.org/autokg/id/xiaomi')
    >>> parse_binding("year=2025")
    ('year', 2025)
    >>> parse_binding('label="Li Auto"')
    ('label', 'Li Auto')
    >>> parse_binding('n="abc"^^xsd:integer')
    Traceback (most recent call last):
    ...
    autokg.errors.InputError: --bind n: 'abc' is not a valid xsd:integer
    """
    if "=" not in text:
        raise InputError(f"--bind takes NAME=VALUE, not {text!r}")
    name, value = text.split("=", 1)
    name = name.strip().lstrip("?$")
    if not is_variable_name(name):
        raise InputError(f"--bind: {name!r} is not a variable name")
    if "\x00" in value:
        raise InputError(f"--bind {name}: the value holds a NUL character")
    if typed := _TYPED.fullmatch(value):
        return name, _typed_literal(name, typed.group(1), typed.group(2))
    if tagged := _TAGGED.fullmatch(value):
        return name, ox.Literal(tagged.group(1), language=tagged.group(2))
    if len(value) >= 2 and value[0] == value[-1] == '"':
        return name, value[1:-1]  # quoted: text, as it is
    iri = _iri_of(name, value)
    if iri is not None:
        return name, iri
    try:
        return name, int(value)
    except ValueError:
        pass
    try:
        return name, float(value)
    except ValueError:
        return name, value


def resolve_binding(value: Any, resolve_name: Any) -> tuple[Any, str | None]:
    """A bound text value that names a maker, brand or model becomes its IRI, as the commands
    resolve names (``--bind maker="Li Auto"``); other text stays text, with a note saying so.
    ``resolve_name`` returns an entity's IRI or raises NameNotFound.

    >>> resolve_binding("Li Auto", lambda name: "https://w3id.org/autokg/id/li-auto")
    ('https://w3id.org/autokg/id/li-auto', None)
    """
    if not isinstance(value, str) or value.startswith(("http://", "https://", "urn:")):
        return value, None
    try:
        return resolve_name(value), None
    except NameNotFound as err:
        # Text close to a name is probably a typo: say so. Other text is bound as it is, silently.
        note = f"{value!r} names no maker or model; bound as text (did you mean: {', '.join(err.suggestions)}?)"
        return value, note if err.suggestions else None
