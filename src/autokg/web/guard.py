"""What the endpoint refuses before a query reaches the store: updates, SERVICE, deep nesting.

The checks are :mod:`autokg.sparql_check`'s, the same that ``autokg query`` runs: they read the
query as SPARQL tokens (strings, IRIs, names and comments are not keywords), after undoing the
``\\uXXXX`` escapes, so that ``\\u0053ERVICE`` is seen as the SERVICE it is. Here SERVICE is
always refused: the endpoint never fetches from other servers.
"""

from __future__ import annotations

from dataclasses import dataclass

from ..sparql_check import (MAX_DEPTH, TooDeep, check_sparql, nesting_depth, query_form, unescape_codepoints,
                            uses_service)

__all__ = ["Refused", "check_query", "query_form", "unescape_codepoints", "nesting_depth", "MAX_DEPTH"]


@dataclass
class Refused(Exception):
    """A request the endpoint will not run: ``status`` is the HTTP status, ``message`` says why."""

    status: int
    message: str

    def __str__(self) -> str:
        return self.message


def check_query(text: str, *, max_depth: int = MAX_DEPTH) -> str:
    """The query's form (SELECT ...) if the endpoint may run it; raise :class:`Refused` if not.

    >>> check_query("SELECT * { SERVICE <http://127.0.0.1/> { ?s ?p ?o } }")
    Traceback (most recent call last):
    ...
    autokg.web.guard.Refused: SERVICE is not allowed on this endpoint: it never fetches from other servers
    """
    if query_form(text) == "UPDATE":
        raise Refused(403, "this endpoint is read-only: SPARQL updates are refused")
    try:
        form = check_sparql(text, allow_service=True, max_depth=max_depth)
    except TooDeep as err:
        raise Refused(400, str(err)) from None
    if uses_service(text):
        raise Refused(403, "SERVICE is not allowed on this endpoint: it never fetches from other servers")
    return form or "SELECT"
