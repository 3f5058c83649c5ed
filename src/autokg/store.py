"""The embedded store: a pyoxigraph store in memory or on disk, and the one all-or-nothing loader.

:class:`EmbeddedStore` is one of the two store backends a :class:`~autokg.graph.KnowledgeGraph`
answers from (the other is :class:`autokg.remote.RemoteStore`, a SPARQL endpoint); both offer
the same small interface (``query``, ``match``, ``add``, ``write_ntriples``, ``local_store``,
``dump``, ``info``, ``close``), and no module outside this one and :mod:`autokg.remote` reaches
into a pyoxigraph store.

:func:`open_embedded` opens a folder: it must hold a store already (made by ``autokg store init``
or ``load``), or not exist (with ``create=True``). A folder that holds something else, a store
another process has open, or a damaged store is a :class:`~autokg.errors.StoreError` (exit 2),
and nothing is written.

:func:`load` is the one loader, for both backends: every file is parsed first (a malformed file
is reported with its line and leaves the store as it was), and then everything is written at once.
Into an on-disk store, the files are bulk-loaded into a copy of the store (a RocksDB checkpoint:
hard links, made in an instant) in a folder next to it, and the copy is then swapped into place
with one atomic ``renameat2(RENAME_EXCHANGE)``: a load killed at any point leaves the previous
content, and it runs at pyoxigraph's bulk-load speed, not its transaction speed. Where the swap
is not available (not Linux, or a file system without it), one transaction does the write. Into
memory, each file is pyoxigraph's transactional load; into an endpoint, one request.
"""

from __future__ import annotations

import ctypes
import errno
import gc
import os
import shutil
import tempfile
from collections.abc import Callable, Iterable, Iterator, Mapping
from pathlib import Path
from typing import IO, Any

import pyoxigraph as ox

from .errors import InputError, StoreError
from .outputs import is_store_folder, write_atomically
from .rdfio import TRIPLE_FORMATS, check_files, expand_paths, open_data, parse, prefixes_for, rdf_format_for

__all__ = ["EmbeddedStore", "open_embedded", "load", "init_paths", "is_store_folder"]

def _triple(q: ox.Quad) -> ox.Triple:
    return ox.Triple(q.subject, q.predicate, q.object)


class EmbeddedStore:
    """A :class:`pyoxigraph.Store` (in memory, or on disk at ``location``) as an autokg store backend.

    >>> s = EmbeddedStore()
    >>> s.add([ox.Triple(ox.NamedNode("http://e/a"), ox.NamedNode("http://e/p"), ox.Literal("x"))])
    >>> len(s), [t.object.value for t in s.match(ox.NamedNode("http://e/a"), None, None)]
    (1, ['x'])
    """

    def __init__(self, store: ox.Store | None = None, *, location: str | None = None):
        self._store = store if store is not None else ox.Store()
        self.location = location

    def __repr__(self) -> str:
        return f"EmbeddedStore({self.location or '(memory)'})"

    def __len__(self) -> int:
        return len(self._store)

    def __iter__(self) -> Iterator[ox.Triple]:
        for quad in self._store.quads_for_pattern(None, None, None, ox.DefaultGraph()):
            yield _triple(quad)

    def query(self, text: str, *, substitutions: Mapping[ox.Variable, Any] | None = None) -> Any:
        """Run SPARQL over the default graph (named graphs merged in, as the loader puts none)."""
        return self._store.query(text, substitutions=substitutions or None, use_default_graph_as_union=True)

    def match(self, subject: Any, predicate: Any, object: Any) -> Iterator[ox.Triple]:  # noqa: A002
        """The triples matching a pattern (None matches anything)."""
        for quad in self._store.quads_for_pattern(subject, predicate, object):
            yield _triple(quad)

    def triples_about(self, subjects: Iterable[ox.NamedNode]) -> Iterator[ox.Triple]:
        """The triples whose subject is one of ``subjects``."""
        for subject in subjects:
            yield from self.match(subject, None, None)

    def add(self, triples: Iterable[ox.Triple]) -> None:
        """Add triples in one transaction (all or nothing)."""
        try:
            self._store.extend(ox.Quad(t.subject, t.predicate, t.object, ox.DefaultGraph()) for t in triples)
        except OSError as err:
            raise StoreError(f"{self.location or 'store'}: write failed: {err}") from None

    def write_files(self, files: Iterable[Path]) -> None:
        """Load checked files of triples, each by pyoxigraph's own transactional load."""
        for path in files:
            try:
                with open_data(path) as data:
                    self._store.load(data, format=rdf_format_for(path), base_iri=path.resolve().as_uri(),
                                     to_graph=ox.DefaultGraph())
            except OSError as err:
                raise StoreError(f"{self.location or 'store'}: write failed: {err}") from None

    def write_ntriples(self, stream: IO[bytes]) -> None:
        """Load an N-Triples stream in one transaction."""
        try:
            self._store.load(stream, format=ox.RdfFormat.N_TRIPLES, to_graph=ox.DefaultGraph())
        except OSError as err:
            raise StoreError(f"{self.location or 'store'}: write failed: {err}") from None

    def write_staged(self, files: list[Path]) -> bool:
        """Bulk-load checked files into a copy of this on-disk store, then swap the copy into place.

        False (nothing changed) where the atomic swap is not available: then use a transaction.
        """
        path = Path(self.location or "")
        _remove_stale_copies(path)
        side = path.with_name(f".{path.name}.autokg-load-{os.getpid()}")
        shutil.rmtree(side, ignore_errors=True)
        try:
            self._store.flush()
            self._store.backup(str(side))
            copy = ox.Store(str(side))
            for file in files:
                fmt = rdf_format_for(file)
                if fmt in TRIPLE_FORMATS:
                    # The check pass has parsed the file strictly: no need to check IRIs again.
                    with open_data(file) as data:
                        copy.bulk_load(data, format=fmt, base_iri=file.resolve().as_uri(),
                                       to_graph=ox.DefaultGraph(), lenient=True)
                else:  # named graphs are merged into the default graph
                    copy.bulk_extend(ox.Quad(q.subject, q.predicate, q.object, ox.DefaultGraph()) for q in parse(file))
            copy.flush()
            del copy
        except (OSError, SyntaxError) as err:
            shutil.rmtree(side, ignore_errors=True)
            raise StoreError(f"{path}: write failed: {err}") from None
        # The store object must go for its lock to go (there is no close); then one atomic swap.
        self._store = None  # type: ignore[assignment]
        gc.collect()
        try:
            swapped = _exchange(side, path)
        finally:
            self._store = ox.Store(str(path))
        shutil.rmtree(side, ignore_errors=True)  # the previous content, or the unused copy
        return swapped

    def local_store(self) -> ox.Store:
        """A pyoxigraph store holding the graph, to run many queries in: the store itself."""
        return self._store

    def dump(self, output: str | os.PathLike[str] | IO[bytes], fmt: ox.RdfFormat) -> None:
        """Write the default graph to a file (atomically) or a binary stream."""
        def write(stream: IO[bytes]) -> None:
            self._store.dump(stream, format=fmt, from_graph=ox.DefaultGraph(), prefixes=prefixes_for(fmt))

        if isinstance(output, (str, os.PathLike)):
            write_atomically(output, write)
        else:
            write(output)

    def info(self) -> dict[str, Any]:
        """What the store is and holds: kind, location, triples, size on disk, named graphs."""
        info: dict[str, Any] = {"location": self.location or "(memory)",
                                "kind": "embedded" if self.location else "memory", "triples": len(self._store)}
        if self.location:
            info["bytes_on_disk"] = sum(p.stat().st_size for p in Path(self.location).rglob("*") if p.is_file())
        info["named_graphs"] = sorted(g.value for g in self._store.named_graphs() if isinstance(g, ox.NamedNode))
        return info

    def close(self) -> None:
        """Flush an on-disk store (its lock goes when the store object goes)."""
        if self.location:
            try:
                self._store.flush()
            except OSError:
                pass


_RENAME_EXCHANGE = 2  # linux/fs.h
_AT_FDCWD = -100


def _exchange(a: Path, b: Path) -> bool:
    """Swap two folders atomically (Linux ``renameat2(RENAME_EXCHANGE)``); False if not available here."""
    try:
        renameat2 = ctypes.CDLL(None, use_errno=True).renameat2
    except (AttributeError, OSError):
        return False
    renameat2.argtypes = [ctypes.c_int, ctypes.c_char_p, ctypes.c_int, ctypes.c_char_p, ctypes.c_uint]
    if renameat2(_AT_FDCWD, os.fsencode(a), _AT_FDCWD, os.fsencode(b), _RENAME_EXCHANGE) == 0:
        return True
    code = ctypes.get_errno()
    if code in (errno.EINVAL, errno.ENOSYS, errno.EXDEV, errno.EOPNOTSUPP):
        return False
    raise StoreError(f"{b}: cannot swap in the loaded copy: {os.strerror(code)}")


def _remove_stale_copies(path: Path) -> None:
    """Remove the copies that killed loads left next to the store (their process is gone)."""
    for copy in path.parent.glob(f".{path.name}.autokg-load-*"):
        try:
            os.kill(int(copy.name.rsplit("-", 1)[1]), 0)
        except ProcessLookupError:
            shutil.rmtree(copy, ignore_errors=True)
        except (ValueError, PermissionError):
            pass


def open_embedded(path: str | os.PathLike[str], *, create: bool = False) -> EmbeddedStore:
    """Open the on-disk store in folder ``path``; ``create`` lets a missing or empty folder become one."""
    path = Path(path)
    if path.exists() and not path.is_dir():
        raise StoreError(f"{path}: not a store (a file, not a folder)")
    if path.is_dir() and any(path.iterdir()) and not is_store_folder(path):
        raise StoreError(f"{path}: not a store (the folder holds other files; a store is made by `autokg store init`)")
    if (not path.exists() or not any(path.iterdir())) and not create:
        raise StoreError(f"{path}: no store here (make one with `autokg store init --store {path}`)")
    try:
        store = ox.Store(str(path))
    except OSError as err:
        message = str(err)
        if "lock" in message.lower():
            raise StoreError(f"{path}: store is locked: another process has it open") from None
        raise StoreError(f"{path}: cannot open store: {message.splitlines()[0] if message else type(err).__name__}") \
            from None
    return EmbeddedStore(store, location=str(path))


def load(backend: Any, paths: Iterable[str | os.PathLike[str]], *,
         on_bytes: Callable[[int], None] | None = None,
         on_phase: Callable[[str], None] | None = None) -> tuple[list[Path], int]:
    """Load files and folders of RDF into a store backend, all or nothing; return the files and triples read.

    Every file is parsed first; a malformed one raises :class:`~autokg.errors.DataFileError`
    (file, line) and nothing is written. Then all the triples are written in one transaction (an
    embedded store) or one request (an endpoint), so that a load killed half way leaves no trace.
    ``on_bytes`` is called with the bytes read as parsing goes (for a progress bar);
    ``on_phase`` with "parse" and "write".
    """
    def phase(name: str) -> None:
        if on_phase:
            on_phase(name)

    files = expand_paths(paths)
    phase("parse")
    if isinstance(backend, EmbeddedStore) and backend.location is not None:
        total = check_files(files, on_bytes=on_bytes)
        phase("write")
        if backend.write_staged(files):
            return files, total
        # No atomic swap here: one transaction, through a staging copy of the triples.
        with tempfile.TemporaryFile() as tmp:
            check_files(files, ntriples_out=tmp)
            tmp.seek(0)
            backend.write_ntriples(tmp)
        return files, total
    direct = isinstance(backend, EmbeddedStore) and all(rdf_format_for(f) in TRIPLE_FORMATS for f in files)
    # An in-memory store dies with its process, so a kill leaves nothing to protect: after the
    # check pass, each file goes in by its own transactional load, with no staging copy.
    if direct:
        total = check_files(files, on_bytes=on_bytes)
        phase("write")
        backend.write_files(files)
        return files, total
    # Quads into memory, or an endpoint: gather them as N-Triples, then one write.
    with tempfile.TemporaryFile() as tmp:
        total = check_files(files, on_bytes=on_bytes, ntriples_out=tmp)
        phase("write")
        tmp.seek(0)
        backend.write_ntriples(tmp)
    return files, total


def init_paths(*, bundled: bool = True, data: Iterable[str | os.PathLike[str]] = ()) -> list[Path]:
    """What ``autokg store init`` loads: the bundled graph (ontology, concept schemes, data) and ``data``."""
    from .resources import data_files, ontology_files

    paths = [*((*ontology_files(), *data_files()) if bundled else ()), *map(Path, data)]
    if not paths:
        raise InputError("nothing to load: give files, or leave the bundled graph in")
    return paths
