"""Where the bundled ontology, shapes, data and queries are.

In an installed wheel they live in ``autokg/resources/``; in a source checkout (an editable
install, or tests run from the repository) they are the folders at the top of the repository.
"""

from __future__ import annotations

from pathlib import Path

__all__ = ["resource_dir", "ontology_files", "shapes_files", "data_files", "query_dir"]

_PACKAGE_DIR = Path(__file__).resolve().parent


def resource_dir(name: str) -> Path:
    """Return the folder of the bundled resource ``name`` (ontology, shapes, data, queries).

    >>> resource_dir("ontology").joinpath("autokg.ttl").is_file()
    True
    """
    bundled = _PACKAGE_DIR / "resources" / name
    if bundled.is_dir():
        return bundled
    checkout = _PACKAGE_DIR.parent.parent / name
    if checkout.is_dir():
        return checkout
    raise FileNotFoundError(f"autokg's bundled {name!r} folder is missing from this installation")


def _turtle_files(name: str) -> list[Path]:
    return sorted(resource_dir(name).glob("*.ttl"))


def ontology_files() -> list[Path]:
    """The Turtle files of the ontology and its concept schemes."""
    return _turtle_files("ontology")


def shapes_files() -> list[Path]:
    """The Turtle files of the SHACL shapes."""
    return _turtle_files("shapes")


def data_files() -> list[Path]:
    """The Turtle files of the curated data, one per manufacturer."""
    return _turtle_files("data")


def query_dir() -> Path:
    """The folder of named SPARQL queries (``*.rq``; quality checks under ``qc/``)."""
    return resource_dir("queries")
