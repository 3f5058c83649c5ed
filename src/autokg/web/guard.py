"""What the endpoint refuses before a query reaches the store: updates, SERVICE, deep nesting.

The checks read the query as tokens (strings, IRIs and comments are skipped), after undoing the
``\\uXXXX`` escapes that SPARQL allows anywhere in a query, so that ``\\u0053ERVICE`` is seen as
the SERVICE it is. They are deliberately strict: a word SERVICE outside strings and IRIs is
refused even where the parser might read it otherwise.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from .data import skip_token

__all__ = ["Refused", "check_query", "query_form", "unescape_codepoints", "nesting_depth", "MAX_DEPTH"]

#: Deepest nesting of ( { [ a query may have. pyoxigraph's parser recurses and crashes the
#: interpreter near 10,000 levels; real queries stay under 20.
MAX_DEPTH = 200

_UPDATE_WORDS = {"INSERT", "DELETE", "LOAD", "CLEAR", "CREATE", "DROP", "COPY", "MOVE", "ADD", "WITH"}
_QUERY_WORDS = {"SELECT", "CONSTRUCT", "DESCRIBE", "ASK"}
_ESCAPE = re.compile(r"\\u([0-9A-Fa-f]{4})|\\U([0-9A-Fa-f]{8})")
_WORD = re.compile(r"[A-Za-z_][A-Za-z0-9_\-.]*(:[^\s(){}\[\],;]*)?")


@dataclass
class Refused(Exception):
    """A request the endpoint will not run: ``status`` is the HTTP status, ``message`` says why."""

    status: int
    message: str

    def __str__(self) -> str:
        return self.message


def unescape_codepoints(text: str) -> str:
    r"""Undo SPARQL's codepoint escapes, as the parser does before it reads the query.

    >>> unescape_codepoints(r"\u0053ERVICE")
    'SERVICE'
    """
    def repl(m: re.Match[str]) -> str:
        code = int(m.group(1) or m.group(2), 16)
        return chr(code) if code <= 0x10FFFF and not 0xD800 <= code <= 0xDFFF else m.group(0)

    return _ESCAPE.sub(repl, text)


def _tokens(text: str):
    """Yield ("word", WORD, position) for bare words and ("open"/"close", char, position)."""
    i = 0
    while i < len(text):
        j = skip_token(text, i)
        if j != i:
            i = j
            continue
        ch = text[i]
        if ch in "?$":  # a variable: its name is not a keyword
            m = re.compile(r"[?$][\w]*").match(text, i)
            i = m.end() if m else i + 1
            continue
        if ch in "({[":
            yield "open", ch, i
        elif ch in ")}]":
            yield "close", ch, i
        elif ch.isalpha() or ch == "_":
            m = _WORD.match(text, i)
            if m:
                if not m.group(1):  # a prefixed name (ex:service) is not a keyword
                    yield "word", m.group(0).upper(), i
                i = m.end()
                continue
        i += 1


def query_form(text: str) -> str | None:
    """SELECT, CONSTRUCT, DESCRIBE or ASK for a query, UPDATE for an update, None if unclear.

    >>> query_form("PREFIX x: <http://e/> select * { ?s ?p ?o }")
    'SELECT'
    >>> query_form("# a comment\\nDROP ALL")
    'UPDATE'
    """
    for kind, value, _ in _tokens(unescape_codepoints(text)):
        if kind != "word" or value in ("PREFIX", "BASE"):
            continue
        if value in _QUERY_WORDS:
            return value
        if value in _UPDATE_WORDS:
            return "UPDATE"
        return None
    return None


def nesting_depth(text: str) -> int:
    """The deepest nesting of brackets, braces and parentheses outside strings and IRIs.

    >>> nesting_depth("SELECT * { { ?s ?p ?o FILTER(?o > (1)) } }")
    4
    """
    depth = deepest = 0
    for kind, _, _ in _tokens(text):
        if kind == "open":
            depth += 1
            deepest = max(deepest, depth)
        elif kind == "close":
            depth = max(0, depth - 1)
    return deepest


def check_query(text: str, *, max_depth: int = MAX_DEPTH) -> str:
    """The query's form (SELECT ...) if the endpoint may run it; raise :class:`Refused` if not.

    >>> check_query("SELECT * { SERVICE <http://127.0.0.1/> { ?s ?p ?o } }")
    Traceback (most recent call last):
    ...
    autokg.web.guard.Refused: SERVICE is not allowed on this endpoint: it never fetches from other servers
    """
    plain = unescape_codepoints(text)
    form = query_form(plain)
    if form == "UPDATE":
        raise Refused(403, "this endpoint is read-only: SPARQL updates are refused")
    for kind, value, _ in _tokens(plain):
        if kind == "word" and value == "SERVICE":
            raise Refused(403, "SERVICE is not allowed on this endpoint: it never fetches from other servers")
    depth = nesting_depth(plain)
    if depth > max_depth:
        raise Refused(400, f"query nests {depth} levels deep; the limit is {max_depth}")
    return form or "SELECT"
