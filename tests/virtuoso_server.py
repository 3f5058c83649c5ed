"""A real Virtuoso Open Source server (Debian: ``apt-get install virtuoso-opensource``) on 127.0.0.1.

:func:`start_server` makes a fresh database in a folder of its own (its own ``virtuoso.ini``,
free ports, nothing shared with a system-wide Virtuoso), waits a bounded time for it to answer,
and sets the ``dba`` password. Virtuoso, as installed, reads anonymously at ``/sparql`` and
``/sparql-graph-crud``, and writes only through ``/sparql-auth`` and ``/sparql-graph-crud-auth``
with HTTP digest authentication; autokg is given those endpoints and the credentials in the
store URL (:func:`store_url`), as a user would.

If ``AUTOKG_TEST_VIRTUOSO`` is set to such a store URL (``.ci/run`` starts a server itself), that
server is used instead. Tests that need Virtuoso skip cleanly when neither is available.

Run as a script to start a server by hand: ``python tests/virtuoso_server.py [FOLDER]``.
"""

from __future__ import annotations

import os
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.parse
import urllib.request
from pathlib import Path

__all__ = ["virtuoso_binary", "start_server", "stop_server", "store_url", "VirtuosoServer"]

#: The fragment that points autokg at Virtuoso's authenticated update and Graph Store endpoints.
WRITE_ENDPOINTS = "update=sparql-auth&data=sparql-graph-crud-auth"

_INI = """\
[Database]
DatabaseFile = {folder}/virtuoso.db
ErrorLogFile = {folder}/virtuoso.log
LockFile = {folder}/virtuoso.lck
TransactionFile = {folder}/virtuoso.trx
xa_persistent_file = {folder}/virtuoso.pxa
[TempDatabase]
DatabaseFile = {folder}/virtuoso-temp.db
TransactionFile = {folder}/virtuoso-temp.trx
[Parameters]
ServerPort = 127.0.0.1:{sql_port}
DisableUnixSocket = 1
CheckpointInterval = 60
NumberOfBuffers = {buffers}
MaxDirtyBuffers = {dirty}
DirsAllowed = ., {folder}
[HTTPServer]
ServerPort = 127.0.0.1:{http_port}
ServerRoot = {folder}
ServerThreads = 10
MaxClientConnections = 10
[SPARQL]
; a store dump and the benchmark's roll-up read more than the default 10,000 rows
ResultSetMaxRows = 100000000
MaxQueryExecutionTime = 600
MaxQueryCostEstimationTime = 0
"""


def virtuoso_binary() -> str | None:
    """The ``virtuoso-t`` server binary and its ``isql-vt`` client, if both are installed."""
    server, isql = shutil.which("virtuoso-t"), shutil.which("isql-vt")
    return server if server and isql else None


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class VirtuosoServer:
    """A running server: its process, folder, HTTP base URL and ``dba`` password."""

    def __init__(self, process: subprocess.Popen, folder: Path, base: str, password: str, owns_folder: bool):
        self.process, self.folder, self.base, self.password = process, folder, base, password
        self.owns_folder = owns_folder

    @property
    def sparql(self) -> str:
        return f"{self.base}/sparql"

    def store_url(self, graph: str | None = None) -> str:
        return store_url(self.base, "dba", self.password, graph=graph)


def store_url(base: str, user: str, password: str, *, graph: str | None = None) -> str:
    """An autokg ``--store`` URL for a Virtuoso server: credentials in the userinfo, and the
    authenticated endpoints for writes."""
    parts = urllib.parse.urlsplit(base)
    netloc = f"{urllib.parse.quote(user, safe='')}:{urllib.parse.quote(password, safe='')}@{parts.netloc}"
    fragment = WRITE_ENDPOINTS + (f"&graph={urllib.parse.quote(graph, safe=':/')}" if graph else "")
    return urllib.parse.urlunsplit(parts._replace(netloc=netloc, path=parts.path.rstrip("/") + "/sparql",
                                                  fragment=fragment))


def _answers(url: str) -> bool:
    query = urllib.parse.urlencode({"query": "ASK WHERE { ?s ?p ?o }"})
    try:
        with urllib.request.urlopen(f"{url}/sparql?{query}", timeout=2) as response:
            return response.status == 200
    except OSError:
        return False


def start_server(binary: str, folder: str | os.PathLike[str] | None = None, *, http_port: int | None = None,
                 buffers: int = 20000, password: str | None = None, timeout: float = 60.0) -> VirtuosoServer:
    """Start ``virtuoso-t`` on a fresh database in ``folder`` (a new temporary folder by default).

    ``buffers`` are Virtuoso's 8 KiB page buffers (20,000: 160 MiB). Waits at most ``timeout``
    seconds for the server to answer, then sets the ``dba`` password (random by default).
    """
    owns = folder is None
    path = Path(tempfile.mkdtemp(prefix="autokg-virtuoso-") if folder is None else folder).resolve()
    path.mkdir(parents=True, exist_ok=True)
    sql_port, http_port = _free_port(), http_port or _free_port()
    (path / "virtuoso.ini").write_text(_INI.format(folder=path, sql_port=sql_port, http_port=http_port,
                                                   buffers=buffers, dirty=buffers * 3 // 4))
    process = subprocess.Popen([binary, "+foreground", "+configfile", str(path / "virtuoso.ini")],
                               cwd=path, stdout=subprocess.DEVNULL, stderr=subprocess.STDOUT,
                               start_new_session=True)
    base = f"http://127.0.0.1:{http_port}"
    deadline = time.monotonic() + timeout
    try:
        while not _answers(base):
            if process.poll() is not None:
                log = (path / "virtuoso.log").read_text(errors="replace") if (path / "virtuoso.log").exists() else ""
                raise RuntimeError(f"virtuoso exited: {log[-500:]}")
            if time.monotonic() > deadline:
                raise RuntimeError(f"virtuoso did not answer within {timeout:g} s")
            time.sleep(0.2)
        password = password or secrets.token_urlsafe(12)
        isql = str(Path(binary).with_name("isql-vt")) if Path(binary).with_name("isql-vt").exists() \
            else shutil.which("isql-vt") or "isql-vt"
        subprocess.run([isql, f"127.0.0.1:{sql_port}", "dba", "dba",
                        f"exec=user_set_password('dba', '{password}');"],
                       check=True, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, timeout=30)
    except BaseException:
        stop_server(VirtuosoServer(process, path, base, "", owns))
        raise
    return VirtuosoServer(process, path, base, password, owns)


def stop_server(server: VirtuosoServer, *, timeout: float = 20.0) -> None:
    """Stop the server (SIGTERM, then SIGKILL after ``timeout`` s) and remove a folder it made."""
    if server.process.poll() is None:
        server.process.send_signal(signal.SIGTERM)
        try:
            server.process.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            server.process.kill()
            server.process.wait(timeout=timeout)
    if server.owns_folder:
        shutil.rmtree(server.folder, ignore_errors=True)


if __name__ == "__main__":  # pragma: no cover
    # Prints the server's --store URL (with the dba password: this is a throw-away test server),
    # then runs until interrupted or terminated, and stops the server.
    found = virtuoso_binary()
    if found is None:
        sys.exit("virtuoso is not installed: apt-get install virtuoso-opensource")
    running = start_server(found, sys.argv[1] if len(sys.argv) > 1 else None)
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
    print(running.store_url(), flush=True)
    try:
        running.process.wait()
    except (KeyboardInterrupt, SystemExit):
        pass
    finally:
        stop_server(running)
