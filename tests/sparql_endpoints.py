"""pytest fixtures for the remote-store tests: every real SPARQL engine that is installed.

``sparql_endpoint`` is parametrised over the engines: Oxigraph server (``pip install oxigraph``)
and Virtuoso Open Source (``apt-get install virtuoso-opensource``). Each is started once per
session on 127.0.0.1, in a folder of its own, and stopped at the end; a test on an engine that is
not installed is skipped. ``AUTOKG_TEST_SPARQL_URL`` (an Oxigraph server) and
``AUTOKG_TEST_VIRTUOSO`` (a Virtuoso ``--store`` URL with credentials, see
``tests/virtuoso_server.py``) use servers started elsewhere (``.ci/run`` does).
"""

from __future__ import annotations

import os
import subprocess
import sys
import urllib.parse
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parent))
import oxigraph_server  # noqa: E402
import virtuoso_server  # noqa: E402

sys.path.remove(str(Path(__file__).parent))

__all__ = ["Endpoint", "oxigraph_endpoint", "virtuoso_endpoint", "sparql_endpoint", "remote_url"]


@dataclass(frozen=True)
class Endpoint:
    """A running engine: autokg's ``--store`` URL for it, and its plain query URL."""

    engine: str
    store: str  #: the ``--store`` URL (credentials and endpoint options included), without a graph
    query_url: str  #: where a plain SPARQL client sends queries (no credentials)
    password: str = ""  #: a secret that must never appear in autokg's output

    def url(self, graph: str | None = None) -> str:
        """The ``--store`` URL with ``#graph=...`` (or ``default``) added to its options."""
        if graph is None:
            return self.store
        base, _, fragment = self.store.partition("#")
        options = [*urllib.parse.parse_qsl(fragment), ("graph", graph)]
        return base + "#" + urllib.parse.urlencode(options, safe=":/")


@pytest.fixture(scope="session")
def oxigraph_endpoint() -> Iterator[Endpoint]:
    given = os.environ.get("AUTOKG_TEST_SPARQL_URL")
    if given:
        yield Endpoint("oxigraph", given.rstrip("/"), given.rstrip("/") + "/query")
        return
    binary = oxigraph_server.oxigraph_binary()
    if binary is None:
        pytest.skip("the oxigraph server binary is not installed (pip install oxigraph)")
    proc, url = oxigraph_server.start_server(binary)
    try:
        yield Endpoint("oxigraph", url, url + "/query")
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()


@pytest.fixture(scope="session")
def virtuoso_endpoint() -> Iterator[Endpoint]:
    given = os.environ.get("AUTOKG_TEST_VIRTUOSO")
    if given:
        parts = urllib.parse.urlsplit(given.partition("#")[0])
        plain = parts._replace(netloc=parts.hostname + (f":{parts.port}" if parts.port else "")).geturl()
        yield Endpoint("virtuoso", given, plain, urllib.parse.unquote(parts.password or ""))
        return
    binary = virtuoso_server.virtuoso_binary()
    if binary is None:
        pytest.skip("Virtuoso is not installed (apt-get install virtuoso-opensource)")
    server = virtuoso_server.start_server(binary)
    try:
        yield Endpoint("virtuoso", server.store_url(), server.sparql, server.password)
    finally:
        virtuoso_server.stop_server(server)


@pytest.fixture(scope="session", params=["oxigraph", "virtuoso"])
def sparql_endpoint(request) -> Endpoint:
    """Each installed engine in turn (the tests that use it run once per engine)."""
    return request.getfixturevalue(f"{request.param}_endpoint")


@pytest.fixture()
def remote_url(sparql_endpoint: Endpoint) -> str:
    """A ``--store`` URL of the engine with a named graph of the test's own."""
    return sparql_endpoint.url(f"urn:autokg:test:{uuid.uuid4().hex}")
