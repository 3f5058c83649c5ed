"""RDF files in and out: format detection, parsing with one error mapping, one atomic writer.

Every parse of a data file goes through :func:`parse`, so that a malformed file is always the
same :class:`~autokg.errors.DataFileError` naming the file, line and column. Every file autokg
writes goes through :func:`write_atomically` (:mod:`autokg.outputs`): a temporary file beside
the target, then a rename, so that a failed write leaves no half file.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import IO, Any

import pyoxigraph as ox

from .errors import DataFileError, InputError
from .vocab import PREFIXES

__all__ = [
    "RDF_SUFFIXES", "TRIPLE_FORMATS", "DUMP_FORMATS", "rdf_format_for", "dump_format", "expand_paths",
    "parse", "parse_text", "check_files", "prefixes_for", "serialize", "write_atomically",
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


def expand_paths(paths: Iterable[str | os.PathLike[str]]) -> list[Path]:
    """Files named, and the RDF files inside folders named, in a stable order."""
    files: list[Path] = []
    for raw in paths:
        path = Path(raw)
        if path.is_dir():
            found = sorted(p for p in path.rglob("*") if p.is_file() and p.suffix.lower() in RDF_SUFFIXES)
            if not found:
                raise InputError(f"{path}: folder holds no RDF file")
            files.extend(found)
        elif path.is_file():
            rdf_format_for(path)
            files.append(path)
        else:
            raise InputError(f"{path}: no such file or folder")
    return files


def _data_file_error(where: str, err: Exception) -> DataFileError:
    """The one mapping of a parser's error to a DataFileError naming the file, line and column."""
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


def parse(path: str | os.PathLike[str], *, on_bytes: Callable[[int], None] | None = None) -> Iterator[ox.Quad]:
    """The quads of one RDF file, streamed, all in the default graph (named graphs are merged).

    Raises :class:`DataFileError` with the file, line and column at the first syntax error.
    """
    path = Path(path)
    fmt = rdf_format_for(path)
    try:
        with path.open("rb") as raw:
            yield from _default_graph(ox.parse(_CountingReader(raw, on_bytes), format=fmt,
                                               base_iri=path.resolve().as_uri()))
    except (SyntaxError, OSError, ValueError) as err:
        raise _data_file_error(str(path), err) from None


def parse_text(text: str | bytes, *, fmt: ox.RdfFormat = ox.RdfFormat.TURTLE, where: str = "<turtle>") -> list[ox.Quad]:
    """The quads of RDF given as text (all in the default graph); DataFileError names ``where``."""
    try:
        return list(_default_graph(ox.parse(text, format=fmt)))
    except (SyntaxError, ValueError) as err:
        raise _data_file_error(where, err) from None


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


# The one atomic writer has its own module (what it does with FIFOs, devices, links and stores);
# it is named here too, beside the readers.
from .outputs import write_atomically  # noqa: E402
