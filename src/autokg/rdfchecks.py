"""Strict input and bounded resources for RDF files: what :mod:`autokg.rdfio` refuses, and why.

The shapes check RDF 1.1 graphs of IRIs, blank nodes and literals. What they cannot check is
refused here, each time as a :class:`~autokg.errors.DataFileError` naming the file (and the line
where the parser knows it), never loaded in part:

- RDF-star triple terms and reifiers, the Turtle ``VERSION`` directive (RDF 1.2), a NUL character
  in a literal, a literal over :data:`MAX_LITERAL`;
- RDF/XML that is empty or not well-formed, or whose DTD declares entities that could grow
  without bound: external, parameter or nested entities, a value over :data:`MAX_ENTITY_VALUE`,
  expansion beyond :data:`MAX_ENTITY_GROWTH` (plain abbreviations such as namespace IRIs load);
- RDF/XML elements nested deeper than :data:`MAX_DEPTH`;
- JSON-LD nested deeper than :data:`MAX_DEPTH` (a deep document would overflow the native
  parser's stack and kill the interpreter), whose top level is not an object or array, with a
  malformed IRI (JSON-LD drops those silently), or whose properties all drop (not JSON-LD).

A UTF-8 byte order mark at the start of a file is accepted.
"""

from __future__ import annotations

import json
import os
import re
import xml.parsers.expat
from collections.abc import Iterable, Iterator
from typing import IO, Any

import pyoxigraph as ox

from .errors import DataFileError

__all__ = ["MAX_DEPTH", "MAX_LITERAL", "MAX_ENTITY_VALUE", "MAX_ENTITY_GROWTH", "BOM", "TextScreen",
           "strip_bom", "screen_rdf_xml", "screen_json_ld", "check_quads", "token_too_long", "screen_text"]

#: Deepest nesting read, of JSON-LD arrays and objects and of RDF/XML elements (pyoxigraph's JSON-LD
#: parser recurses, and overflows its stack near 5,000 levels; its RDF/XML parser slows with the square of the depth).
MAX_DEPTH = 200
#: Longest literal, in characters: pyoxigraph's own token limit for the text formats (16 MiB).
MAX_LITERAL = 16 << 20
#: Longest value of an RDF/XML entity (entities are for short names such as namespace IRIs).
MAX_ENTITY_VALUE = 1024
#: How much text, in characters, RDF/XML entities may add to a file when expanded.
MAX_ENTITY_GROWTH = 16 << 20

BOM = b"\xef\xbb\xbf"

# A VERSION directive (SPARQL style, any case) or @version at the start of a line.
_VERSION = re.compile(rb"^[ \t]*(?:@version|(?i:version))[ \t]+[\"']", re.MULTILINE)
_SCHEME = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*:")
_JSON_KINDS = {type(None): "null", bool: "a boolean", int: "a number", float: "a number", str: "a string"}


def strip_bom(raw: IO[bytes]) -> IO[bytes]:
    """``raw`` (a seekable binary file at its start) moved past a UTF-8 byte order mark, if it has one."""
    if raw.read(len(BOM)) != BOM:
        raw.seek(0)
    return raw


def _version_error(where: str, data: bytes, match: re.Match[bytes], lines_before: int) -> DataFileError:
    line = lines_before + data.count(b"\n", 0, match.start()) + 1
    return DataFileError(where, "the VERSION directive (RDF 1.2) is not supported: the shapes check RDF 1.1 "
                                "graphs; remove it", line=line)


def screen_text(text: str | bytes, where: str) -> bytes:
    """Turtle-family text as bytes without a byte order mark; refuses a VERSION directive."""
    data = text.encode("utf-8") if isinstance(text, str) else text
    data = data.removeprefix(BOM)
    match = _VERSION.search(data)
    if match:
        raise _version_error(where, data, match, 0)
    return data


class TextScreen:
    """A Turtle-family file read through: skips a byte order mark, refuses a VERSION directive.

    The directive is looked for at the start of each line, chunk by chunk as the parser reads
    (the start of a line cut by a chunk boundary is kept for the next chunk).
    """

    _KEEP = 256  # bytes of an unfinished line kept: the directive sits near the start of its line
    _CHUNK = 1 << 20  # the parser asks for a few KiB at a time: screen a MiB at once, and serve it from here

    def __init__(self, raw: IO[bytes], where: str):
        self.raw, self.where = strip_bom(raw), where
        self._line_start, self._lines = b"", 0
        self._buffer, self._at = b"", 0

    def read(self, size: int = -1) -> bytes:
        if size is None or size < 0:
            rest = self.raw.read()
            if rest:
                self._screen(rest)
            data, self._buffer, self._at = self._buffer[self._at:] + rest, b"", 0
            return data
        if self._at >= len(self._buffer):
            self._buffer, self._at = self.raw.read(max(size, self._CHUNK)), 0
            if self._buffer:
                self._screen(self._buffer)
        data = self._buffer[self._at:self._at + size]
        self._at += len(data)
        return data

    def readinto(self, buffer: Any) -> int:
        data = self.read(len(buffer))
        buffer[:len(data)] = data
        return len(data)

    def readable(self) -> bool:
        return True

    def _screen(self, data: bytes) -> None:
        window = self._line_start + data
        # The regular expression is slow on megabytes: run it only where the word is.
        match = _VERSION.search(window) if b"version" in window.lower() else None
        if match:
            raise _version_error(self.where, window, match, self._lines)
        last = window.rfind(b"\n")
        self._lines += window.count(b"\n")
        self._line_start = window[last + 1:][: self._KEEP]


def token_too_long(where: str) -> DataFileError:
    """The error for pyoxigraph's "Reached the buffer maximal size" (a token over 16 MiB)."""
    return DataFileError(where, f"a literal, IRI or other token is longer than {MAX_LITERAL >> 20} MB "
                                "(the limit autokg reads)")


def check_quads(quads: Iterable[ox.Quad], where: str) -> Iterator[ox.Quad]:
    """The quads, refusing RDF-star triple terms, NUL characters and over-long literals as they come."""
    literal, triple = ox.Literal, ox.Triple
    for quad in quads:
        obj = quad.object
        kind = type(obj)
        if kind is literal:
            value = obj.value
            if "\x00" in value:
                raise DataFileError(where, f"a literal of {quad.subject} {quad.predicate} holds a NUL character "
                                           "(U+0000), which the shapes cannot check")
            if len(value) > MAX_LITERAL:
                raise DataFileError(where, f"a literal of {quad.subject} {quad.predicate} is longer than "
                                           f"{MAX_LITERAL >> 20} MB (the limit autokg reads)")
        elif kind is triple:
            raise DataFileError(where, f"RDF-star (RDF 1.2 triple terms <<( )>> and reifiers << >>) is not "
                                       f"supported: the shapes check RDF 1.1 graphs (found <<( {obj} )>>)")
        yield quad


# RDF/XML --------------------------------------------------------------------------------------

class _XmlScreen:
    """The expat handlers of :func:`screen_rdf_xml`: entity declarations, element depth, text grown by entities."""

    def __init__(self, parser: Any, where: str, size: int):
        self.parser, self.where = parser, where
        self.depth, self.budget, self.entities = 0, size + MAX_ENTITY_GROWTH, False
        parser.EntityDeclHandler, parser.StartElementHandler = self.on_entity, self.on_start
        parser.EndElementHandler = self.on_end

    def refuse(self, reason: str) -> DataFileError:
        return DataFileError(self.where, reason, line=self.parser.CurrentLineNumber)

    def on_entity(self, name: str, is_parameter: int, value: str | None, _base: Any, system_id: str | None,
                  public_id: str | None, _notation: Any) -> None:
        if is_parameter:
            raise self.refuse(f"RDF/XML parameter entity %{name}; refused: autokg reads only entities that are "
                              "plain abbreviations")
        if value is None or system_id or public_id:
            raise self.refuse(f"RDF/XML external entity &{name}; refused: it would read another file or URL")
        if "&" in value or "%" in value:
            raise self.refuse(f"RDF/XML entity &{name}; refers to other entities: nested entities are refused "
                              "(they can expand without bound)")
        if len(value) > MAX_ENTITY_VALUE:
            raise self.refuse(f"RDF/XML entity &{name}; is {len(value)} characters long: entities of more than "
                              f"{MAX_ENTITY_VALUE} characters are refused")
        if not self.entities:  # from here on, count the text that entities can grow
            self.entities = True
            self.parser.CharacterDataHandler = self.spend

    def spend(self, text: str) -> None:
        self.budget -= len(text)
        if self.budget < 0:
            raise self.refuse(f"RDF/XML entities expand to more than {MAX_ENTITY_GROWTH >> 20} MB of text: "
                              "refused (an entity expansion attack?)")

    def on_start(self, _tag: str, attributes: dict[str, str]) -> None:
        self.depth += 1
        if self.depth > MAX_DEPTH:
            raise self.refuse(f"RDF/XML nests elements deeper than {MAX_DEPTH} levels: refused")
        if self.entities:
            for value in attributes.values():
                self.spend(value)

    def on_end(self, _tag: str) -> None:
        self.depth -= 1


def screen_rdf_xml(raw: IO[bytes], where: str) -> None:
    """Read RDF/XML once with expat: refuse it unless well-formed, not too deep, and its entities
    are plain abbreviations. Leaves ``raw`` at its start again, for the RDF parser.
    """
    try:
        size = os.fstat(raw.fileno()).st_size
    except (AttributeError, OSError, ValueError):  # not a file: an in-memory text
        size = len(raw.getvalue()) if hasattr(raw, "getvalue") else 0
    parser = xml.parsers.expat.ParserCreate()
    _XmlScreen(parser, where, size)
    try:
        parser.ParseFile(raw)
    except xml.parsers.expat.ExpatError as err:
        reason = xml.parsers.expat.ErrorString(err.code)
        raise DataFileError(where, f"not well-formed RDF/XML: {reason}", line=err.lineno,
                            column=err.offset + 1) from None
    raw.seek(0)


# JSON-LD --------------------------------------------------------------------------------------

def _bad_iri(value: str) -> bool:
    """Whether ``value`` cannot become an IRI, however a context expands it (it holds a forbidden character)."""
    try:
        ox.NamedNode(value if _SCHEME.match(value) else "http://e/" + value)
    except ValueError:
        return True
    return False


class _JsonLdScan:
    """One walk over a parsed JSON-LD document, by an explicit stack (no recursion).

    Refuses a depth over MAX_DEPTH; gathers the terms its contexts define, the values that must be
    IRIs (of @id, @type, @vocab, @base, and keys with a colon), and whether it has properties.
    """

    IRI_KEYS = ("@id", "@type", "@vocab", "@base")

    def __init__(self, document: Any, where: str):
        self.terms: set[str] = set()
        self.iris: dict[str, str] = {}  # value -> the key it was found under
        self.has_properties = False
        stack = [(document, 1, False)]
        while stack:
            item, depth, in_context = stack.pop()
            if depth > MAX_DEPTH:
                raise DataFileError(where, f"JSON-LD nests arrays and objects deeper than {MAX_DEPTH} levels: refused")
            if isinstance(item, list):
                stack.extend((x, depth + 1, in_context) for x in item if isinstance(x, (list, dict)))
                continue
            for key, value in item.items():
                if in_context:
                    self.terms.add(key)
                else:
                    self._entry(key, value)
                if isinstance(value, (list, dict)):
                    stack.append((value, depth + 1, in_context or key == "@context"))

    def _entry(self, key: str, value: Any) -> None:
        if key in self.IRI_KEYS:
            values = value if isinstance(value, list) else [value]
            self.iris.update((v, key) for v in values if isinstance(v, str) and not v.startswith(("@", "_:")))
        elif not key.startswith("@"):
            if not self.has_properties:
                self.has_properties = value not in (None, [], {})
            if ":" in key and not key.startswith("_:"):
                self.iris[key] = "property"

    def bad_iri(self) -> tuple[str, str] | None:
        """The first (key, value) that cannot be an IRI, leaving out the terms of the contexts."""
        return next(((k, v) for v, k in self.iris.items() if v not in self.terms and _bad_iri(v)), None)


def screen_json_ld(data: bytes, where: str) -> tuple[bytes, bool]:
    """JSON-LD checked before the parser sees it: the bytes to parse, and whether it has properties.

    A document with properties that gives no triple is not JSON-LD (every key was dropped).
    """
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as err:
        raise DataFileError(where, f"JSON-LD is not UTF-8 (byte {err.start})") from None
    try:
        document = json.loads(text)
    except json.JSONDecodeError as err:
        raise DataFileError(where, f"not JSON: {err.msg}", line=err.lineno, column=err.colno) from None
    except RecursionError:  # Python's json refuses, safely, what nests deeper than the interpreter's stack
        raise DataFileError(where, f"JSON-LD nests arrays and objects deeper than {MAX_DEPTH} levels: "
                                   "refused") from None
    if not isinstance(document, (dict, list)):
        kind = _JSON_KINDS.get(type(document), "a scalar")
        raise DataFileError(where, f"JSON-LD must be an object or an array at the top level, not {kind}")
    scan = _JsonLdScan(document, where)
    bad = scan.bad_iri()
    if bad is not None:
        raise DataFileError(where, f"JSON-LD {bad[0]} {bad[1]!r} is not a valid IRI")
    return text.encode("utf-8"), scan.has_properties
