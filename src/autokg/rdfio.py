"""RDF files in and out: format detection, parsing with one error mapping, one atomic writer.

Every parse of a data file goes through :func:`parse`, so that a malformed file is always the
same :class:`~autokg.errors.DataFileError` naming the file, line and column, and so that the
strict checks and limits of :mod:`autokg.rdfchecks` always hold. Every file autokg writes goes
through :func:`write_atomically` (:mod:`autokg.outputs`): a temporary file beside the target,
then a rename, so that a failed write leaves no half file.
"""

from __future__ import annotations

import io
import os
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import IO, Any

import pyoxigraph as ox

from .errors import DataFileError, InputError
from .rdfchecks import TextScreen, check_quads, screen_json_ld, screen_rdf_xml, screen_text, strip_bom, token_too_long
from .vocab import PREFIXES

__all__ = [
    "RDF_SUFFIXES", "TRIPLE_FORMATS", "DUMP_FORMATS", "rdf_format_for", "dump_format", "expand_paths",
    "parse", "parse_text", "check_files", "open_data", "skipped_files", "prefixes_for", "serialize",
]

#: File suffixes autokg reads, and their formats.
RDF_SUFFIXES: dict[str, ox.RdfFormat] = {
    ".ttl": ox.RdfFormat.TURTLE,
    ".turtle": ox.RdfFormat.TURTLE,
    ".nt": ox.RdfFormat.N_TRIPLES,
    ".nq": ox.RdfFormat.N_QUADS,
    ".trig": ox.RdfFormat.TRIG,
    ".jsonld": ox.RdfFormat.JSON_LD,
    ".json": ox.RdfFormat.JSON_LD,
    ".rdf": ox.RdfFormat.RDF_XML,
    ".owl": ox.RdfFormat.RDF_XML,
    ".xml": ox.RdfFormat.RDF_XML,
}

#: Formats that hold triples only, which :meth:`pyoxigraph.Store.load` reads straight into the default graph.
TRIPLE_FORMATS = {ox.RdfFormat.TURTLE, ox.RdfFormat.N_TRIPLES, ox.RdfFormat.RDF_XML}

#: The formats of ``autokg store dump``, by name.
DUMP_FORMATS = {
    "ttl": ox.RdfFormat.TURTLE, "nt": ox.RdfFormat.N_TRIPLES, "nq": ox.RdfFormat.N_QUADS,
    "trig": ox.RdfFormat.TRIG, "jsonld": ox.RdfFormat.JSON_LD, "rdf": ox.RdfFormat.RDF_XML,
}


def rdf_format_for(path: str | os.PathLike[str]) -> ox.RdfFormat:
    """The RDF format of a file, by its suffix.

    >>> rdf_format_for("models.ttl")
    <RdfFormat Turtle>
    >>> rdf_format_for("x.csv")
    Traceback (most recent call last):
    ...
    autokg.errors.InputError: x.csv: not an RDF file (known suffixes: .json, .jsonld, .nq, .nt, .owl, .rdf, .trig, .ttl, .turtle, .xml)
    """
    suffix = Path(path).suffix.lower()
    try:
        return RDF_SUFFIXES[suffix]
    except KeyError:
        known = ", ".join(sorted(RDF_SUFFIXES))
        raise InputError(f"{path}: not an RDF file (known suffixes: {known})") from None


def dump_format(name_or_path: str) -> ox.RdfFormat:
    """The format of a dump, by name (ttl, nt ...) or by the suffix of the output file.

    >>> dump_format("graph.nt"), dump_format("ttl")
    (<RdfFormat N-Triples>, <RdfFormat Turtle>)
    """
    key = name_or_path.rsplit(".", 1)[-1].lower()
    try:
        return DUMP_FORMATS[key]
    except KeyError:
        raise InputError(f"{name_or_path}: unknown dump format (known: " + ", ".join(DUMP_FORMATS) + ")") from None


def _folder_files(folder: Path) -> tuple[list[Path], list[Path]]:
    """The RDF files (by suffix) in a folder and below, and the other files there (left out).

    Symbolic links to folders are not followed (no loops); a folder that cannot be listed is an error.
    """
    def unreadable(err: OSError) -> None:
        raise InputError(f"{err.filename}: cannot read folder: {err.strerror}")

    rdf: list[Path] = []
    other: list[Path] = []
    for root, _dirs, names in os.walk(folder, onerror=unreadable):
        for name in names:
            path = Path(root, name)
            (rdf if path.suffix.lower() in RDF_SUFFIXES and path.is_file() else other).append(path)
    return sorted(rdf), sorted(other)


def expand_paths(paths: Iterable[str | os.PathLike[str]], *, skipped: list[Path] | None = None) -> list[Path]:
    """Files named, and the RDF files inside folders named, in a stable order.

    The other files of a folder (not RDF by their suffix, or not regular files) are left out, and
    added to ``skipped`` when it is given. An empty path is an error, not the working folder.
    """
    files: list[Path] = []
    for raw in paths:
        if not str(raw):
            raise InputError("empty path: give a file or folder (\".\" for the working folder)")
        path = Path(raw)
        if path.is_dir():
            found, other = _folder_files(path)
            if not found:
                raise InputError(f"{path}: folder holds no RDF file")
            files.extend(found)
            if skipped is not None:
                skipped.extend(other)
        elif path.is_file():
            rdf_format_for(path)
            files.append(path)
        elif path.exists():
            raise InputError(f"{path}: not a regular file or folder (autokg reads RDF from files)")
        else:
            raise InputError(f"{path}: no such file or folder")
    return files


def skipped_files(paths: Iterable[str | os.PathLike[str]]) -> list[Path]:
    """The files inside the folders of ``paths`` that a load leaves out (see :func:`expand_paths`)."""
    skipped: list[Path] = []
    expand_paths(paths, skipped=skipped)
    return skipped


def _data_file_error(where: str, err: Exception) -> DataFileError:
    """The one mapping of a parser's error to a DataFileError naming the file, line and column."""
    if isinstance(err, OSError) and err.strerror:
        return DataFileError(where, f"cannot read: {err.strerror}")
    if not isinstance(err, SyntaxError):
        text = str(err)
        return DataFileError(where, text.splitlines()[0] if text else type(err).__name__)
    line = column = None
    if err.args and isinstance(err.args[-1], tuple) and len(err.args[-1]) >= 3:
        line, column = err.args[-1][1], err.args[-1][2]
    reason = str(err.args[0]) if err.args else str(err)
    # pyoxigraph says "Parser error between line 3 column 11 and ...": keep only the reason.
    if ": " in reason and reason.startswith("Parser error"):
        reason = reason.split(": ", 1)[1]
    return DataFileError(where, reason.splitlines()[0] if reason else "syntax error", line=line, column=column)


@contextmanager
def _parser_errors(where: str) -> Iterator[None]:
    """Parser errors inside the block become the DataFileError of :func:`_data_file_error`."""
    try:
        yield
    except (SyntaxError, OSError, ValueError) as err:
        raise _data_file_error(where, err) from None
    except MemoryError as err:
        if "maximal size" not in str(err):  # pyoxigraph's 16 MiB token limit, not an exhausted machine
            raise
        raise token_too_long(where) from None


class _CountingReader:
    """A binary file whose reads are reported to a callback (for a progress bar)."""

    def __init__(self, raw: IO[bytes], on_bytes: Callable[[int], None] | None):
        self.raw, self.on_bytes = raw, on_bytes

    def read(self, size: int = -1) -> bytes:
        data = self.raw.read(size)
        if self.on_bytes is not None and data:
            self.on_bytes(len(data))
        return data

    def readinto(self, buffer: Any) -> int:
        n = self.raw.readinto(buffer)
        if self.on_bytes is not None and n:
            self.on_bytes(n)
        return n

    def readable(self) -> bool:
        return True


def _default_graph(quads: Iterable[ox.Quad]) -> Iterator[ox.Quad]:
    default = ox.DefaultGraph()
    for q in quads:
        yield q if q.graph_name == default else ox.Quad(q.subject, q.predicate, q.object, default)


def open_data(path: Path) -> IO[bytes]:
    """A data file opened for a parser that reads it itself (past a UTF-8 byte order mark); checked first by :func:`parse`."""
    return strip_bom(path.open("rb"))


def _parse_open(raw: IO[bytes], fmt: ox.RdfFormat, where: str, base_iri: str | None,
                on_bytes: Callable[[int], None] | None) -> Iterator[ox.Quad]:
    source: Any
    if fmt == ox.RdfFormat.JSON_LD:
        source, has_properties = screen_json_ld(raw.read(), where)
        if on_bytes is not None:
            on_bytes(len(source))
        count = 0
        for quad in check_quads(_default_graph(ox.parse(source, format=fmt, base_iri=base_iri)), where):
            count += 1
            yield quad
        if not count and has_properties:
            raise DataFileError(where, "JSON-LD gives no triple: its keys are neither IRIs nor terms of a "
                                       "@context, so JSON-LD drops them (is it JSON-LD?)")
        return
    if fmt == ox.RdfFormat.RDF_XML:
        screen_rdf_xml(raw, where)
        source = raw
    else:
        source = TextScreen(raw, where)
    quads = ox.parse(_CountingReader(source, on_bytes), format=fmt, base_iri=base_iri)
    # Only the formats of datasets can name a graph: the others skip a test per triple.
    yield from check_quads(quads if fmt in TRIPLE_FORMATS else _default_graph(quads), where)


def parse(path: str | os.PathLike[str], *, on_bytes: Callable[[int], None] | None = None) -> Iterator[ox.Quad]:
    """The quads of one RDF file, streamed, all in the default graph (named graphs are merged).

    Raises :class:`DataFileError` with the file, line and column at the first syntax error, and
    at the first thing :mod:`autokg.rdfchecks` refuses.
    """
    path = Path(path)
    fmt = rdf_format_for(path)
    with _parser_errors(str(path)), path.open("rb") as raw:
        yield from _parse_open(raw, fmt, str(path), path.resolve().as_uri(), on_bytes)


def parse_text(text: str | bytes, *, fmt: ox.RdfFormat = ox.RdfFormat.TURTLE, where: str = "<turtle>") -> list[ox.Quad]:
    """The quads of RDF given as text (all in the default graph), checked as :func:`parse` checks a file."""
    data = text.encode("utf-8") if isinstance(text, str) else text
    with _parser_errors(where):
        if fmt in (ox.RdfFormat.JSON_LD, ox.RdfFormat.RDF_XML):
            return list(_parse_open(io.BytesIO(data), fmt, where, None, None))
        return list(check_quads(_default_graph(ox.parse(screen_text(data, where), format=fmt)), where))


class _Counted:
    def __init__(self, it: Iterable[Any]):
        self.it, self.n = it, 0

    def __iter__(self) -> Iterator[Any]:
        for x in self.it:
            self.n += 1
            yield x


def check_files(files: Iterable[Path], *, on_bytes: Callable[[int], None] | None = None,
                ntriples_out: IO[bytes] | None = None) -> int:
    """Parse every file; return the number of triples. With ``ntriples_out``, also write them there.

    Raises :class:`DataFileError` (file and line) at the first malformed file.
    """
    total = 0
    for path in files:
        counted = _Counted(parse(path, on_bytes=on_bytes))
        if ntriples_out is None:
            for _ in counted:
                pass
        else:
            ox.serialize((ox.Triple(q.subject, q.predicate, q.object) for q in counted), ntriples_out,
                         format=ox.RdfFormat.N_TRIPLES)
        total += counted.n
    return total


def prefixes_for(fmt: ox.RdfFormat) -> dict[str, str] | None:
    """The prefixes to write in ``fmt``: those of :data:`autokg.vocab.PREFIXES` where the format has prefixes."""
    return dict(PREFIXES) if fmt in (ox.RdfFormat.TURTLE, ox.RdfFormat.TRIG) else None


def serialize(triples: Iterable[ox.Triple | ox.Quad], fmt: ox.RdfFormat) -> bytes:
    """Triples in ``fmt``, with the prefixes of :func:`prefixes_for`."""
    return ox.serialize(triples, format=fmt, prefixes=prefixes_for(fmt)) or b""
