"""The embedded store: a pyoxigraph store in memory or on disk, and the one all-or-nothing loader.

:class:`EmbeddedStore` is one of the two store backends a :class:`~autokg.graph.KnowledgeGraph`
answers from (the other is :class:`autokg.remote.RemoteStore`, a SPARQL endpoint); both offer
the same small interface (``query``, ``match``, ``add``, ``write_ntriples``, ``local_store``,
``dump``, ``info``, ``close``), and no module outside this one and :mod:`autokg.remote` reaches
into a pyoxigraph store.

:func:`open_embedded` opens a folder: it must hold a store already (made by ``autokg store init``
or ``load``), or not exist (with ``create=True``). A folder that holds something else or a
damaged store is a :class:`~autokg.errors.StoreError` (exit 2: "corrupt or not an autokg
store", and how to recover), and nothing is written.

Readers and the writer: an on-disk store is opened read-only, without a lock, so any number of
processes (questions, the web server) read it at once and none of them writes a byte. A writer
takes an exclusive lock (a file beside the folder, :mod:`autokg.store_commit`), writes a copy of
the last committed state and swaps it in: a reader open during the swap keeps reading the state
it opened (its files stay open), and the next reader opens the new one. Readers never wait.

:func:`load` is the one loader, for both backends: every file is parsed first (a malformed file
is reported with its line and leaves the store as it was), and then everything is written at once.
Into an on-disk store, the files are checked and bulk-loaded in the same pass into a copy of the
store (a RocksDB checkpoint: hard links, made in an instant) in a folder next to it (a malformed
file throws the copy away), compacted, and the copy is then swapped into place
with one atomic ``renameat2(RENAME_EXCHANGE)``: a load killed at any point leaves the previous
content, and it runs at pyoxigraph's bulk-load speed, not its transaction speed. Where the swap
is not available (not Linux, or a file system without it), one transaction does the write. Into
memory, each file is pyoxigraph's transactional load; into an endpoint, one request.
"""

from __future__ import annotations

import gc
import os
import shutil
import tempfile
from collections.abc import Callable, Iterable, Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path
from typing import IO, Any

import pyoxigraph as ox

from .errors import InputError, StoreError
from .outputs import is_store_folder, write_atomically
from .rdfio import TRIPLE_FORMATS, check_files, expand_paths, open_data, parse, prefixes_for, rdf_format_for
from .store_commit import exchange, held_by_another_writer, interruptible, remove_stale_copies, writer_lock

__all__ = ["EmbeddedStore", "open_embedded", "load", "init_paths", "is_store_folder"]

def _triple(q: ox.Quad) -> ox.Triple:
    return ox.Triple(q.subject, q.predicate, q.object)


class EmbeddedStore:
    """A :class:`pyoxigraph.Store` (in memory, or on disk at ``location``) as an autokg store backend.

    An on-disk store is always open read-only: any number of processes read it at once, and
    none of them takes a lock. A write (:meth:`add`, :meth:`write_staged`) takes the writer's
    lock, goes into a copy of the last committed state and swaps the copy in (see the module
    docstring); this object then reads the new state.

    >>> s = EmbeddedStore()
    >>> s.add([ox.Triple(ox.NamedNode("http://e/a"), ox.NamedNode("http://e/p"), ox.Literal("x"))])
    >>> len(s), [t.object.value for t in s.match(ox.NamedNode("http://e/a"), None, None)]
    (1, ['x'])
    """

    def __init__(self, store: ox.Store | None = None, *, location: str | None = None):
        self._store = store if store is not None else ox.Store()
        self.location = location
        self._opened = _identity(Path(location)) if location else None  # which committed state we read

    def __repr__(self) -> str:
        return f"EmbeddedStore({self.location or '(memory)'})"

    def __len__(self) -> int:
        with self._reading():
            return len(self._store)

    def __iter__(self) -> Iterator[ox.Triple]:
        with self._reading():
            for quad in self._store.quads_for_pattern(None, None, None, ox.DefaultGraph()):
                yield _triple(quad)

    @contextmanager
    def _reading(self) -> Iterator[None]:
        """Damage found while reading an on-disk store is a corrupt store (one line), not a traceback."""
        try:
            yield
        except (OSError, RuntimeError) as err:
            if self.location is None:
                raise
            raise _store_error(Path(self.location), err) from None

    def query(self, text: str, *, substitutions: Mapping[ox.Variable, Any] | None = None) -> Any:
        """Run SPARQL over the default graph (named graphs merged in, as the loader puts none)."""
        return self._store.query(text, substitutions=substitutions or None, use_default_graph_as_union=True)

    def match(self, subject: Any, predicate: Any, object: Any) -> Iterator[ox.Triple]:  # noqa: A002
        """The triples matching a pattern (None matches anything)."""
        with self._reading():
            for quad in self._store.quads_for_pattern(subject, predicate, object):
                yield _triple(quad)

    def triples_about(self, subjects: Iterable[ox.NamedNode]) -> Iterator[ox.Triple]:
        """The triples whose subject is one of ``subjects``."""
        for subject in subjects:
            yield from self.match(subject, None, None)

    def add(self, triples: Iterable[ox.Triple]) -> None:
        """Add triples in one transaction (all or nothing); on disk, through a swapped-in copy."""
        quads = [ox.Quad(t.subject, t.predicate, t.object, ox.DefaultGraph()) for t in triples]
        if self.location is None:
            self._store.extend(quads)
            return
        self._staged(lambda store: store.extend(quads), lambda store: store.extend(quads))

    def write_files(self, files: Iterable[Path]) -> None:
        """Load checked files of triples into memory, each by pyoxigraph's own transactional load."""
        for path in files:
            with open_data(path) as data:
                self._store.load(data, format=rdf_format_for(path), base_iri=path.resolve().as_uri(),
                                 to_graph=ox.DefaultGraph())

    def write_ntriples(self, stream: IO[bytes]) -> None:
        """Load an N-Triples stream in one transaction (on disk: through a swapped-in copy)."""
        def write(store: ox.Store) -> None:
            stream.seek(0)
            store.load(stream, format=ox.RdfFormat.N_TRIPLES, to_graph=ox.DefaultGraph())

        if self.location is None:
            write(self._store)
        else:
            self._staged(write, write)

    def write_staged(self, files: list[Path], *, check: Callable[[EmbeddedStore], None] | None = None,
                     on_bytes: Callable[[int], None] | None = None,
                     on_read: Callable[[], None] | None = None) -> int:
        """Check and load files into this on-disk store in one pass, all or nothing; return the triples read.

        Each file is parsed once, strictly (:func:`autokg.rdfio.parse`), and its checked triples
        are bulk-loaded into a copy of the store as they come; the copy is checked by ``check``
        (which raises to refuse them), then swapped into place. A malformed file stops the pass
        with its :class:`~autokg.errors.DataFileError`, and the copy is thrown away. ``on_read``
        is called when the last file has been read (what is left is writing).
        """
        total = 0

        def checked() -> Iterator[ox.Quad]:
            nonlocal total
            for file in files:
                for quad in parse(file, on_bytes=on_bytes):  # named graphs are merged into the default graph
                    total += 1
                    yield quad
            if on_read is not None:
                on_read()

        def bulk(copy: ox.Store) -> None:
            copy.bulk_extend(checked())
            # bulk_extend leaves many overlapping index files: compacted, reads are 4x faster
            # (a roll-up at 10M triples: 94 s before, 20 s after; the compaction takes 11 s there).
            copy.optimize()

        def transaction(live: ox.Store) -> None:
            with tempfile.TemporaryFile() as tmp:
                check_files(files, ntriples_out=tmp)
                tmp.seek(0)
                live.load(tmp, format=ox.RdfFormat.N_TRIPLES, to_graph=ox.DefaultGraph())

        self._staged(bulk, transaction, check=check)
        return total

    def _staged(self, write_copy: Callable[[ox.Store], None], write_live: Callable[[ox.Store], None], *,
                check: Callable[[EmbeddedStore], None] | None = None) -> None:
        """Under the writer's lock: copy the committed store (hard links), write the copy, check it, swap it in.

        Where the atomic swap is not available, the checked change goes into the store itself by
        ``write_live``, one transaction (readers must then not be open during the write).
        """
        path = Path(self.location or "")
        with writer_lock(path):
            remove_stale_copies(path)
            side = path.with_name(f".{path.name}.autokg-load-{os.getpid()}")
            shutil.rmtree(side, ignore_errors=True)
            interrupted = False
            try:
                _open_read_only(path).backup(str(side))  # the last committed state, however old our view
                copy = ox.Store(str(side))
                interruptible(write_copy, copy)
                copy.flush()
                if check is not None:
                    check(EmbeddedStore(copy, location=str(side)))
                del copy
                gc.collect()  # the copy must be closed before it goes live
                if not exchange(side, path):
                    live = ox.Store(str(path))
                    write_live(live)
                    live.flush()
                    del live
                    gc.collect()
            except KeyboardInterrupt:
                interrupted = True  # the copy may still be written by the load's thread: leave it for the next load
                raise
            except (OSError, RuntimeError, SyntaxError, ValueError) as err:
                raise StoreError(f"{path}: write failed: {_first_line(err)}") from None
            finally:
                if not interrupted:
                    shutil.rmtree(side, ignore_errors=True)  # the previous content, or the unused copy
        self._reopen()

    def _reopen(self) -> None:
        path = Path(self.location or "")
        opened = _identity(path)  # before opening: a swap meanwhile is seen by the next refresh
        self._store, self._opened = _open_read_only(path), opened

    def refresh(self) -> bool:
        """Read the last committed state, if a write has swapped a new one in since this store was
        opened; whether it did. For long-lived readers (the web server): a command keeps one state."""
        if self.location is None or _identity(Path(self.location)) == self._opened:
            return False
        self._reopen()
        return True

    def local_store(self) -> ox.Store:
        """A pyoxigraph store holding the graph, to run many queries in: the store itself."""
        return self._store

    def dump(self, output: str | os.PathLike[str] | IO[bytes], fmt: ox.RdfFormat) -> None:
        """Write the default graph to a file (atomically) or a binary stream."""
        def write(stream: IO[bytes]) -> None:
            with self._reading():
                self._store.dump(stream, format=fmt, from_graph=ox.DefaultGraph(), prefixes=prefixes_for(fmt))

        if isinstance(output, (str, os.PathLike)):
            write_atomically(output, write)
        else:
            write(output)

    def info(self) -> dict[str, Any]:
        """What the store is and holds: kind, location, triples, size on disk, named graphs."""
        info: dict[str, Any] = {"location": self.location or "(memory)",
                                "kind": "embedded" if self.location else "memory", "triples": len(self)}
        if self.location:
            info["bytes_on_disk"] = sum(p.stat().st_size for p in Path(self.location).rglob("*") if p.is_file())
        with self._reading():
            info["named_graphs"] = sorted(g.value for g in self._store.named_graphs() if isinstance(g, ox.NamedNode))
        return info

    def close(self) -> None:
        """Let go of the store (an on-disk store is read-only: there is nothing to flush, no lock to release)."""
        if self.location:
            self._store = None  # type: ignore[assignment]


def _first_line(err: BaseException) -> str:
    text = str(err)
    return text.splitlines()[0] if text.strip() else type(err).__name__


def _store_error(path: Path, err: BaseException) -> StoreError:
    """THE mapping of pyoxigraph's (RocksDB's) errors on opening or reading a store folder: one line."""
    if isinstance(err, PermissionError):
        return StoreError(f"{path}: cannot open store: permission denied")
    return StoreError(f"{path}: corrupt or not an autokg store ({_first_line(err)}); to recover, load a dump of "
                      "a backup into a new folder (`autokg store load BACKUP.ttl --store NEW`), or re-init one "
                      "(`autokg store init --store NEW`)")


def _identity(path: Path) -> tuple[int, int] | None:
    try:
        st = os.stat(path)
    except OSError:
        return None
    return st.st_dev, st.st_ino


def _open_read_only(path: Path) -> ox.Store:
    """Open a store folder read-only (no lock: readers never wait, and never write).

    A load that swaps new content in while the files are being opened can make the opening fail:
    then it is tried again on the new folder, a bounded few times.
    """
    if held_by_another_writer(path):
        raise StoreError(f"{path}: store is locked: another program has it open for writing (autokg's own loads "
                         "never block readers); close that program, or query it through its SPARQL endpoint")
    for attempt in range(3):
        before = _identity(path)
        try:
            return ox.Store.read_only(str(path))
        except (OSError, RuntimeError) as err:
            if attempt < 2 and _identity(path) != before:
                continue
            raise _store_error(path, err) from None
    raise AssertionError("unreachable")


def open_embedded(path: str | os.PathLike[str], *, create: bool = False) -> EmbeddedStore:
    """Open the on-disk store in folder ``path`` (read-only; writes go through the writer's lock).

    ``create`` lets a missing or empty folder become an empty store.
    """
    path = Path(path)
    if path.exists() and not path.is_dir():
        raise StoreError(f"{path}: not a store (a file, not a folder)")
    if path.is_dir() and any(path.iterdir()) and not is_store_folder(path):
        raise StoreError(f"{path}: not a store (the folder holds other files; a store is made by `autokg store init`)")
    if not is_store_folder(path):
        if not create:
            raise StoreError(f"{path}: no store here (make one with `autokg store init --store {path}`)")
        path.parent.mkdir(parents=True, exist_ok=True)
        with writer_lock(path):
            if not is_store_folder(path):  # not made by another process meanwhile
                try:
                    made = ox.Store(str(path))
                    made.flush()
                except (OSError, RuntimeError) as err:
                    raise _store_error(path, err) from None
                del made
                gc.collect()
    opened = EmbeddedStore(location=str(path))  # an empty in-memory store until it reads the folder
    opened._reopen()
    return opened


def load(backend: Any, paths: Iterable[str | os.PathLike[str]], *,
         on_bytes: Callable[[int], None] | None = None,
         on_phase: Callable[[str], None] | None = None,
         check: Callable[[EmbeddedStore], None] | None = None) -> tuple[list[Path], int]:
    """Load files and folders of RDF into a store backend, all or nothing; return the files and triples read.

    Every file is parsed strictly; a malformed one raises :class:`~autokg.errors.DataFileError`
    (file, line) and nothing is written (into an on-disk store, the check is the same pass that
    fills the side copy, which is then thrown away). Then all the triples are written at once: into a copy
    swapped in (an on-disk store), one transaction (memory) or one request (an endpoint), so that
    a load killed half way leaves no trace. ``check`` is given the store as it would be after the
    load, before anything is committed; it raises to refuse the load (nothing is then written).
    ``on_bytes`` is called with the bytes read as parsing goes (for a progress bar);
    ``on_phase`` with "parse" and "write".
    """
    def phase(name: str) -> None:
        if on_phase:
            on_phase(name)

    files = expand_paths(paths)
    phase("parse")
    if isinstance(backend, EmbeddedStore) and backend.location is not None:
        # One pass: each file is checked as it is bulk-loaded into the side copy (thrown away on any error).
        return files, backend.write_staged(files, check=check, on_bytes=on_bytes, on_read=lambda: phase("write"))
    direct = check is None and isinstance(backend, EmbeddedStore) and all(
        rdf_format_for(f) in TRIPLE_FORMATS for f in files)
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
        if check is not None:  # the graph as it would be, in memory
            staging = EmbeddedStore()
            staging.add(iter(backend))
            staging.write_ntriples(tmp)
            check(staging)
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
