"""Start ``autokg serve`` on 127.0.0.1 (a free port) for the web tests, and wait for it, bounded."""

from __future__ import annotations

import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

__all__ = ["running_server"]


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@contextmanager
def running_server(*args: str, timeout: float = 60.0, log: Path | None = None) -> Iterator[str]:
    """Run ``autokg [group options] serve`` with ``args``; yield its base URL; stop it after.
    The server's standard error (its log) goes to ``log``, or to a temporary file: never to a
    pipe that nobody reads, which would stop the server once the pipe is full."""
    port = _free_port()
    group = [a for a in args if a.startswith("--data=") or a == "--no-bundled"]
    rest = [a for a in args if a not in group]
    cmd = [sys.executable, "-m", "autokg", *group, "serve", "--host", "127.0.0.1", "--port", str(port), *rest]
    scratch = None if log else tempfile.TemporaryDirectory(prefix="autokg-serve-")
    log = log or Path(scratch.name) / "server.log"
    err = open(log, "wb")  # noqa: SIM115  (closed below)
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=err)
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + timeout
    try:
        while True:
            if proc.poll() is not None:
                raise RuntimeError(f"autokg serve exited: {log.read_text(errors='replace')[-2000:]}")
            try:
                with urllib.request.urlopen(f"{url}/void", timeout=2):
                    break
            except urllib.error.HTTPError:  # it answers, if only to say its store is down
                break
            except OSError:
                if time.monotonic() > deadline:
                    raise RuntimeError("autokg serve did not answer in time") from None
                time.sleep(0.1)
        yield url
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(timeout=5)
        err.close()
        if scratch is not None:
            scratch.cleanup()
