"""A real Oxigraph server (``pip install oxigraph``) on 127.0.0.1, for tests and the benchmark.

The pytest fixtures are in ``tests/sparql_endpoints.py``.

Run as a script to start a server by hand: ``python tests/oxigraph_server.py [PORT]``.
"""

from __future__ import annotations

import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

__all__ = ["oxigraph_binary", "start_server"]


def oxigraph_binary() -> str | None:
    """The ``oxigraph`` server binary: on PATH, or next to this Python (a venv's bin/)."""
    found = shutil.which("oxigraph")
    if found:
        return found
    sibling = Path(sys.executable).parent / "oxigraph"
    return str(sibling) if sibling.is_file() else None


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def start_server(binary: str, *, port: int | None = None, location: str | None = None,
                 timeout: float = 20.0) -> tuple[subprocess.Popen, str]:
    """Start ``oxigraph serve`` on 127.0.0.1 and wait until it answers; (process, base URL)."""
    port = port or _free_port()
    cmd = [binary, "serve", "--bind", f"127.0.0.1:{port}"]
    if location:
        cmd += ["--location", location]
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"oxigraph server exited: {proc.stderr.read().decode(errors='replace')[:500]}")
        try:
            with urllib.request.urlopen(f"{url}/query?query=ASK%7B%7D", timeout=1):
                return proc, url
        except OSError:
            time.sleep(0.05)
    proc.kill()
    raise RuntimeError("oxigraph server did not start in time")


if __name__ == "__main__":  # pragma: no cover
    binary = oxigraph_binary()
    if binary is None:
        sys.exit("oxigraph is not installed: pip install oxigraph")
    process, base = start_server(binary, port=int(sys.argv[1]) if len(sys.argv) > 1 else None)
    print(base, flush=True)
    try:
        process.wait()
    except KeyboardInterrupt:
        process.terminate()
