"""What a SPARQL query is checked for before any engine sees it: SERVICE, deep nesting, its form.

The checks read the query as SPARQL tokens, with the terminals of the SPARQL 1.1 grammar (§19.8):
strings, IRIs, comments, variables, prefixed names, blank nodes and language tags are tokens of
their own, so the word SERVICE inside a string (``"SERVICE"``), a name (``ex:SERVICE``,
``?service``) or a comment is not the SERVICE keyword. The ``\\uXXXX`` escapes SPARQL allows
anywhere are undone first, as the parser does, so ``\\u0053ERVICE`` is the SERVICE it is. The
one checker serves ``autokg query`` (SERVICE off unless allowed) and the web endpoint (always
off); rdflib's parser is not used because it is slow to import and recurses on deep input.

Depth: pyoxigraph's parser and evaluator recurse, and crash the interpreter (signal 11) near a
few thousand levels of brackets, negations (``!!!x``) or inverse paths (``^^^p``); real queries
stay under 20. The depth counts open brackets plus a run of prefix operators before an operand.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterator

from .errors import QueryError

__all__ = ["ServiceRefused", "TooDeep", "MAX_DEPTH", "check_sparql", "query_form", "nesting_depth",
           "uses_service", "is_variable_name", "unescape_codepoints", "tokens", "clean_parse_error"]

#: Deepest nesting a query may have (see the module's comment).
MAX_DEPTH = 200


class ServiceRefused(QueryError):
    """A query calls SERVICE where fetching from other servers is off."""


class TooDeep(QueryError):
    """A query nests deeper than :data:`MAX_DEPTH`."""


_ECHAR = r"""\\[tbnrf\\"']"""
_PN_CHARS_BASE = "A-Za-z\u00C0-\u00D6\u00D8-\u00F6\u00F8-\u02FF\u0370-\u037D\u037F-\u1FFF\u200C-\u200D" \
                 "\u2070-\u218F\u2C00-\u2FEF\u3001-\uD7FF\uF900-\uFDCF\uFDF0-\uFFFD\U00010000-\U000EFFFF"
_PN_CHARS = _PN_CHARS_BASE + r"_\-0-9\u00B7\u0300-\u036F\u203F-\u2040"
_VAR_CHARS = _PN_CHARS_BASE + r"_0-9\u00B7\u0300-\u036F\u203F-\u2040"
_PLX = r"%[0-9A-Fa-f]{2}|\\[_~.\-!$&'()*+,;=/?#@%]"
_TOKEN = re.compile("|".join(f"(?P<{name}>{pattern})" for name, pattern in [
    ("ws", r"[ \t\r\n]+"),
    ("comment", r"#[^\r\n]*"),
    ("string", rf"'''(?:(?:'|'')?(?:[^'\\]|{_ECHAR}))*'''|\"\"\"(?:(?:\"|\"\")?(?:[^\"\\]|{_ECHAR}))*\"\"\""
               rf"|'(?:[^'\\\r\n]|{_ECHAR})*'|\"(?:[^\"\\\r\n]|{_ECHAR})*\""),
    ("iri", r"<[^<>\"{}|^`\\\x00-\x20]*>"),
    ("open", r"<<|[({\[]"),
    ("close", r">>|[)}\]]"),
    ("var", rf"[?$][{_VAR_CHARS}]+"),
    ("bnode", rf"_:[{_PN_CHARS}](?:[{_PN_CHARS}.]*[{_PN_CHARS}])?"),
    ("pname", rf"(?:[{_PN_CHARS_BASE}](?:[{_PN_CHARS}.]*[{_PN_CHARS}])?)?:"
              rf"(?:(?:[{_PN_CHARS}:]|{_PLX})(?:(?:[{_PN_CHARS}.:]|{_PLX})*(?:[{_PN_CHARS}:]|{_PLX}))?)?"),
    ("lang", r"@[a-zA-Z]+(?:-[a-zA-Z0-9]+)*"),
    ("number", r"[0-9]*\.?[0-9]+(?:[eE][+-]?[0-9]+)?"),
    ("word", r"[A-Za-z_][A-Za-z0-9_]*"),
    ("prefix_op", r"\^+|!(?!=)|[+-]"),
    ("other", r"."),
]), re.S)
_ESCAPE = re.compile(r"\\u([0-9A-Fa-f]{4})|\\U([0-9A-Fa-f]{8})")
_QUERY_WORDS = {"SELECT", "CONSTRUCT", "DESCRIBE", "ASK"}
_UPDATE_WORDS = {"INSERT", "DELETE", "LOAD", "CLEAR", "CREATE", "DROP", "COPY", "MOVE", "ADD", "WITH"}


def unescape_codepoints(text: str) -> str:
    r"""Undo SPARQL's codepoint escapes, as the parser does before it reads the query.

    >>> unescape_codepoints(r"\u0053ERVICE")
    'SERVICE'
    """
    def repl(m: re.Match[str]) -> str:
        code = int(m.group(1) or m.group(2), 16)
        return chr(code) if code <= 0x10FFFF and not 0xD800 <= code <= 0xDFFF else m.group(0)

    return _ESCAPE.sub(repl, text)


def tokens(text: str) -> Iterator[tuple[str, str]]:
    """The query's tokens as (kind, text), escapes undone, white space and comments left out.

    >>> list(tokens('SELECT ?s { ?s ex:SERVICE "SERVICE" } # SERVICE'))[:4]
    [('word', 'SELECT'), ('var', '?s'), ('open', '{'), ('var', '?s')]
    """
    for match in _TOKEN.finditer(unescape_codepoints(text)):
        kind = match.lastgroup
        if kind not in ("ws", "comment"):
            yield kind, match.group()  # type: ignore[misc]


def is_variable_name(name: str) -> bool:
    """Whether ``name`` can follow ``?`` as a SPARQL variable.

    >>> is_variable_name("model"), is_variable_name("a b"), is_variable_name(""), is_variable_name("a-b")
    (True, False, False, False)
    """
    return _TOKEN.fullmatch("?" + name) is not None and _TOKEN.fullmatch("?" + name).lastgroup == "var"


@functools.lru_cache(maxsize=512)
def _facts(text: str) -> tuple[str | None, bool, int]:
    """(form, uses SERVICE, nesting depth) of a query, read in one pass (the library's own
    queries come here on every call, hence the cache)."""
    form: str | None = None
    seen_form = service = False
    depth = deepest = run = 0
    for kind, value in tokens(text):
        if kind == "open":
            depth += 1
        elif kind == "close":
            depth, run = max(0, depth - 1), 0
        elif kind == "prefix_op":
            run += len(value)
        else:
            run = 0
            if kind == "word":
                word = value.upper()
                service = service or word == "SERVICE"
                if not seen_form and word not in ("PREFIX", "BASE"):
                    seen_form = True
                    form = word if word in _QUERY_WORDS else "UPDATE" if word in _UPDATE_WORDS else None
        deepest = max(deepest, depth + run)
    return form, service, deepest


def query_form(text: str) -> str | None:
    """SELECT, CONSTRUCT, DESCRIBE or ASK for a query, UPDATE for an update, None if unclear.

    >>> query_form("PREFIX x: <http://e/> select * { ?s ?p ?o }"), query_form("# a comment\\nDROP ALL")
    ('SELECT', 'UPDATE')
    """
    return _facts(text)[0]


def uses_service(text: str) -> bool:
    """Whether the query has the SERVICE keyword (not the word in a string, name or comment).

    >>> uses_service('SELECT * { ?s ?p "SERVICE" OPTIONAL { ?s ex:service ?service } }')
    False
    >>> uses_service("SELECT * { sErViCe silent <http://e/> { ?s ?p ?o } }")
    True
    """
    return _facts(text)[1]


def nesting_depth(text: str) -> int:
    """The deepest nesting of brackets and prefix operators (``!``, ``^``, unary ``+``/``-``):
    open brackets plus the run of prefix operators before the next operand.

    >>> nesting_depth("SELECT * { { ?s ?p ?o FILTER(?o > (1)) } }"), nesting_depth('SELECT * { ?s ?p "((((" }')
    (4, 1)
    >>> nesting_depth("SELECT * { FILTER(!!!true) ?a ^^<http://e/p> ?b }")
    5
    """
    return _facts(text)[2]


def check_sparql(text: str, *, allow_service: bool = False, max_depth: int = MAX_DEPTH) -> str | None:
    """The query's form (see :func:`query_form`) if it may run; raise TooDeep or ServiceRefused.

    >>> check_sparql("SELECT * { SERVICE <http://127.0.0.1/> { ?s ?p ?o } }")
    Traceback (most recent call last):
    ...
    autokg.sparql_check.ServiceRefused: SERVICE fetches from other servers and is off by default; \
give --allow-service to let this query federate
    """
    form, service, depth = _facts(text)
    if depth > max_depth:
        raise TooDeep(f"the query nests {depth} levels deep; the limit is {max_depth}")
    if service and not allow_service:
        raise ServiceRefused("SERVICE fetches from other servers and is off by default; "
                             "give --allow-service to let this query federate")
    return form


def clean_parse_error(message: str) -> str:
    """A parse error as one readable line: the position, and what could come there, without the
    parser's wall of Unicode ranges (which stand for "a name": a variable, IRI or literal).

    >>> clean_parse_error('bad SPARQL: error at line 1, column 9: expected one of "(", "{", [\\'0\\'..=\\'9\\']')
    'bad SPARQL: line 1, column 9: expected one of "(", "{" or a name'
    >>> clean_parse_error('bad SPARQL: error at line 1, column 25: expected one of LATERAL, SERVICE, [_]')
    'bad SPARQL: line 1, column 25: expected a variable, IRI or literal'
    """
    head, sep, rest = message.partition("expected")
    head = " ".join(head.replace("error at ", "").split())
    if not sep:
        return head
    rest = rest.removeprefix(" one of")
    quoted = re.findall(r'"((?:[^"\\]|\\.)*)"', rest)
    classes = "[" in rest
    bare = re.sub(r'"(?:[^"\\]|\\.)*"|\[(?:[^\]\'"]|\'(?:[^\'\\]|\\.)*\'|"[^"]*")*\]', " ", rest)
    keywords = re.findall(r"\b[A-Za-z_]+\b", bare)
    if classes and not quoted:
        return f"{head} expected a variable, IRI or literal"
    shown = [f'"{o}"' for o in quoted] or keywords
    listed = ", ".join(shown[:10]) + (", ..." if len(shown) > 10 else "")
    if classes:
        listed += " or a name"
    return f"{head} expected {'one of ' if len(shown) > 1 or classes else ''}{listed}"
