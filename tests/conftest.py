"""Shared fixtures: the bundled ontology, shapes and data, parsed once per session."""

from __future__ import annotations

from pathlib import Path

import pytest
from rdflib import Graph

from autokg.resources import data_files, ontology_files, shapes_files

TEST_DATA = Path(__file__).parent / "data"


def _load(paths: list[Path]) -> Graph:
    graph = Graph()
    for path in paths:
        graph.parse(str(path), format="turtle")
    return graph


@pytest.fixture(scope="session")
def ontology_graph() -> Graph:
    """ontology/*.ttl: the vocabulary and the concept schemes."""
    return _load(ontology_files())


@pytest.fixture(scope="session")
def shapes_graph() -> Graph:
    """shapes/*.ttl."""
    return _load(shapes_files())


@pytest.fixture(scope="session")
def data_graph() -> Graph:
    """data/*.ttl: the curated data alone."""
    return _load(data_files())


@pytest.fixture(scope="session")
def bundled_graph(ontology_graph: Graph, data_graph: Graph) -> Graph:
    """The whole bundled graph: ontology, concepts and data (do not modify)."""
    return ontology_graph + data_graph


@pytest.fixture(scope="session")
def web_server():
    """``autokg serve`` over the bundled graph on 127.0.0.1, with a short timeout and a small row
    cap so that the limits can be tested. Yields the base URL."""
    import sys

    sys.path.insert(0, str(Path(__file__).parent))
    try:
        from web_server import running_server
    finally:
        sys.path.remove(str(Path(__file__).parent))
    with running_server("--timeout", "3", "--max-rows", "500", "--max-body", "65536") as url:
        yield url
