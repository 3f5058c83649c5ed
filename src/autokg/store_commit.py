"""Committing to an on-disk store safely: the writer's lock, the atomic folder swap, and writes Ctrl-C can stop.

:mod:`autokg.store` writes an on-disk store only through these: a writer takes the exclusive
lock (a file beside the store folder), writes a copy of the store in a folder next to it, and
swaps the copy into place with one ``renameat2(RENAME_EXCHANGE)``. Readers take no lock.
"""

from __future__ import annotations

import ctypes
import errno
import fcntl
import os
import shutil
import struct
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from .errors import StoreError
from .stoppable import run_on_thread

__all__ = ["writer_lock", "held_by_another_writer", "interruptible", "exchange", "remove_stale_copies"]


@contextmanager
def writer_lock(path: Path) -> Iterator[None]:
    """The writer's exclusive lock on the store at ``path``: a file beside the folder (the folder
    itself is swapped by every load, so a lock inside it would not hold). Readers never take it.

    The file exists only while a writer holds it: the holder removes it before letting go, and
    a writer that locked a file removed meanwhile tries again on the path's new file.
    """
    lock = path.with_name(f".{path.name}.autokg-lock")
    for _ in range(3):
        try:
            fd = os.open(lock, os.O_RDWR | os.O_CREAT | os.O_CLOEXEC | os.O_NOFOLLOW, 0o644)
        except OSError as err:
            raise StoreError(f"{path}: cannot take the writer's lock ({lock.name}): {err.strerror}") from None
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            os.close(fd)
            raise StoreError(f"{path}: store is locked: another process is writing to it; "
                             "try again when it is done (readers are never blocked)") from None
        if _same_file(fd, lock):
            break
        os.close(fd)  # its holder removed it as we locked it: lock the path's file again
    else:
        raise StoreError(f"{path}: cannot take the writer's lock ({lock.name}): it keeps changing")
    try:
        yield
    finally:
        lock.unlink(missing_ok=True)
        os.close(fd)


def _same_file(fd: int, path: Path) -> bool:
    try:
        mine, there = os.fstat(fd), os.stat(path, follow_symlinks=False)
    except OSError:
        return False
    return (mine.st_dev, mine.st_ino) == (there.st_dev, there.st_ino)


def interruptible(write: Callable[[Any], None], store: Any) -> None:
    """Run a long pyoxigraph write (a bulk load) so that Ctrl-C stops the command at once; the copy
    it writes is then left unused (see :mod:`autokg.stoppable`)."""
    run_on_thread(lambda: write(store), name="autokg-load")


def held_by_another_writer(path: Path) -> bool:
    """Whether another program has the store open for writing (RocksDB's own lock on its LOCK file).

    autokg never keeps the live folder open to write, so this is another tool (an Oxigraph server,
    say): reading the store while it writes is undefined. The lock is only looked at (``F_GETLK``).
    """
    try:
        fd = os.open(path / "LOCK", os.O_RDONLY | os.O_CLOEXEC | os.O_NOFOLLOW)
    except OSError:
        return False
    try:
        # struct flock: l_type, l_whence, l_start, l_len, l_pid (padded: the kernel's layout fits in 64 bytes)
        query = struct.pack("hhqqi", fcntl.F_WRLCK, os.SEEK_SET, 0, 0, 0).ljust(64, b"\0")
        answer = fcntl.fcntl(fd, fcntl.F_GETLK, query)
        return struct.unpack_from("h", answer)[0] != fcntl.F_UNLCK
    except OSError:
        return False
    finally:
        os.close(fd)


_RENAME_EXCHANGE = 2  # linux/fs.h
_AT_FDCWD = -100


def exchange(a: Path, b: Path) -> bool:
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


def remove_stale_copies(path: Path) -> None:
    """Remove the copies that killed loads left next to the store (their process is gone)."""
    for copy in path.parent.glob(f".{path.name}.autokg-load-*"):
        try:
            os.kill(int(copy.name.rsplit("-", 1)[1]), 0)
        except ProcessLookupError:
            shutil.rmtree(copy, ignore_errors=True)
        except (ValueError, PermissionError):
            pass


