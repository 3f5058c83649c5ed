"""The one writer of output files (``export -o``, ``import -o``, ``store dump -o``, ``ingest -o``).

What :func:`write_atomically` does with the path it is given:

- ``-``: writes to standard output.
- a regular file, or a path that does not exist yet: writes a temporary file (``mkstemp``, a
  random name, never following a link) in the same folder and renames it over the target, so
  that a failed or interrupted write leaves the target as it was. The new file keeps the mode
  (and, where allowed, the owner) of the file it replaces; a new file gets ``0666`` less the
  umask (``0644`` with the usual umask), as any file a program creates.
- a FIFO or a character device (``/dev/null``, a terminal), or a link to one (``/dev/stdout``
  when it is a pipe or a terminal): writes to it directly.
- refused, with one line and nothing written: a read-only file, a symbolic link to a file, to
  nothing or to itself (give the real path, or ``-``), a folder, a block device or socket, an empty name,
  and any path inside the folder of an on-disk store (writing there would corrupt the store).
"""

from __future__ import annotations

import os
import stat
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import IO

from .errors import OutputError

__all__ = ["write_atomically", "check_output", "writes_through", "is_store_folder"]

Data = bytes | Callable[[IO[bytes]], None]


def _write(stream: IO[bytes], data: Data) -> None:
    stream.write(data) if isinstance(data, bytes) else data(stream)


def _cannot(output: str, err: OSError) -> OutputError:
    return OutputError(f"{output}: cannot write: {err.strerror or err}")


def _status(output: str) -> os.stat_result | None:
    """The target's own status (a link is not followed), None if it does not exist."""
    try:
        return os.lstat(output)
    except FileNotFoundError:
        return None
    except OSError as err:  # a loop or a file in the folder part, a name too long ...
        raise _cannot(output, err) from None


def writes_through(output: str | os.PathLike[str]) -> bool:
    """Whether ``output`` is (or links to) a FIFO or character device, which is written to, not replaced."""
    try:
        mode = os.stat(output).st_mode
    except (OSError, ValueError):
        return False
    return stat.S_ISFIFO(mode) or stat.S_ISCHR(mode)


def _refuse_link(output: str) -> OutputError:
    try:
        os.stat(output)
        what = f"to {os.readlink(output)}"
    except FileNotFoundError:
        what = "to nothing"
    except OSError:
        what = "that loops"
    return OutputError(f"{output}: is a symbolic link {what}; autokg neither writes through nor replaces a link "
                       "to a file: give the real path (or - for standard output)")


#: Files every RocksDB database folder holds.
_ROCKSDB_MARKERS = ("CURRENT", "IDENTITY")


def is_store_folder(path: str | os.PathLike[str]) -> bool:
    """Whether a folder holds an on-disk pyoxigraph (RocksDB) store (outputs never write inside one)."""
    return all((Path(path) / name).is_file() for name in _ROCKSDB_MARKERS)


def _refuse_store_folder(output: str, folder: Path) -> None:
    resolved = folder.resolve()
    for candidate in (resolved, *resolved.parents):
        if is_store_folder(candidate):
            raise OutputError(f"{output}: is inside the store folder {candidate}; writing there would corrupt "
                              "the store: write somewhere else")


def _new_mode(current: os.stat_result | None) -> int:
    if current is not None:
        return stat.S_IMODE(current.st_mode)
    mask = os.umask(0o022)
    os.umask(mask)
    return 0o666 & ~mask


def check_output(output: str | os.PathLike[str]) -> os.stat_result | None:
    """Refuse (:class:`~autokg.errors.OutputError`) an output :func:`write_atomically` would refuse.

    Commands call it before long work (or before opening a store), so that a bad ``-o`` costs
    nothing and changes nothing. Returns the target's status (None: new, or standard output).
    """
    name = os.fspath(output)
    if name == "-":
        return None
    if not name:
        raise OutputError("the output file name is empty: give a file, or - for standard output")
    current = _status(name)
    folder = Path(name).parent
    if current is not None and stat.S_ISLNK(current.st_mode):
        if not writes_through(name):  # /dev/stdout, /dev/fd/N are links to a pipe or terminal
            raise _refuse_link(name)
        return os.stat(name)
    if current is not None and stat.S_ISDIR(current.st_mode):
        raise OutputError(f"{name}: is a folder")
    if not folder.is_dir():
        raise OutputError(f"{name}: folder {folder} does not exist")
    _refuse_store_folder(name, folder)
    if current is not None and stat.S_ISREG(current.st_mode) and _read_only(name, current):
        raise OutputError(f"{name}: is read-only; autokg does not replace it (make it writable, or choose "
                          "another file)")
    if current is not None and not (stat.S_ISREG(current.st_mode) or stat.S_ISFIFO(current.st_mode)
                                    or stat.S_ISCHR(current.st_mode)):
        raise OutputError(f"{name}: is a block device or socket, not a file autokg writes")
    return current


def write_atomically(output: str | os.PathLike[str], data: Data) -> None:
    """Write ``data`` (bytes, or a function writing to a binary file) to ``output`` (see the module).

    Raises :class:`~autokg.errors.OutputError` when it cannot or must not be written.
    """
    name = os.fspath(output)
    current = check_output(name)
    if name == "-":
        sys.stdout.flush()
        stream = sys.stdout.buffer
        _write(stream, data)
        stream.flush()
    elif current is None or stat.S_ISREG(current.st_mode):
        _replace(name, current, data)
    else:
        _write_through(name, data)


def _read_only(output: str, current: os.stat_result) -> bool:
    """No write permission for us, or none for anyone (root may write anything, but should not here)."""
    return (not os.access(output, os.W_OK, follow_symlinks=False)
            or not current.st_mode & (stat.S_IWUSR | stat.S_IWGRP | stat.S_IWOTH))


def _write_through(output: str, data: Data) -> None:
    """Write into a FIFO or character device as it is (it cannot be replaced, and must not be)."""
    try:
        fd = os.open(output, os.O_WRONLY | os.O_NOCTTY)  # what it is now is checked below
    except OSError as err:
        raise _cannot(output, err) from None
    try:
        with os.fdopen(fd, "wb") as handle:
            mode = os.fstat(handle.fileno()).st_mode
            if not (stat.S_ISFIFO(mode) or stat.S_ISCHR(mode)):  # replaced since it was looked at
                raise OutputError(f"{output}: changed while being opened; nothing written")
            _write(handle, data)
    except OSError as err:
        raise _cannot(output, err) from None


def _replace(output: str, current: os.stat_result | None, data: Data) -> None:
    """Write a temporary file beside the target and rename it over the target."""
    target = Path(output)
    try:
        fd, tmp = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name[:80]}.", suffix=".part")
    except OSError as err:
        raise _cannot(output, err) from None
    try:
        with os.fdopen(fd, "wb") as handle:
            _write(handle, data)
            handle.flush()
            os.fchmod(handle.fileno(), _new_mode(current))
            if current is not None and (current.st_uid, current.st_gid) != (os.geteuid(), os.getegid()):
                try:
                    os.fchown(handle.fileno(), current.st_uid, current.st_gid)
                except OSError:
                    pass  # only root may give a file away: it then belongs to whoever wrote it
            os.fsync(handle.fileno())
        os.replace(tmp, target)
    except OSError as err:
        Path(tmp).unlink(missing_ok=True)
        raise _cannot(output, err) from None
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
