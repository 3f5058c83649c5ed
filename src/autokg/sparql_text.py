"""Reading SPARQL text without parsing it: where a comment, string or IRI that starts at an index ends.

Shared by the endpoint client (:func:`autokg.remote.bind_values` finds the WHERE group) and the web
explorer's query guard, so that both skip the same tokens the same way.
"""

from __future__ import annotations

__all__ = ["skip_token"]


def skip_token(text: str, i: int) -> int:
    """The index after a comment, string or IRI starting at ``i``; ``i`` when none starts there.

    >>> q = 'SELECT * { ?s ?p "a}b" } # }'
    >>> skip_token(q, q.index('"')), skip_token(q, 0)
    (22, 0)
    """
    ch = text[i]
    if ch == "#":
        end = text.find("\n", i)
        return len(text) if end < 0 else end + 1
    if ch in "\"'":
        if text.startswith(ch * 3, i):
            j = i + 3
            while j < len(text) and not text.startswith(ch * 3, j):
                j += 2 if text[j] == "\\" else 1
            return min(len(text), j + 3)
        j = i + 1
        while j < len(text) and text[j] != ch and text[j] != "\n":
            j += 2 if text[j] == "\\" else 1
        return min(len(text), j + 1)
    if ch == "<":
        j = i + 1
        while j < len(text) and text[j] not in "<>\"{}|^`\\ \t\r\n":
            j += 1
        if j < len(text) and text[j] == ">":
            return j + 1
    return i
