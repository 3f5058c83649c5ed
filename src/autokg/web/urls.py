"""The explorer's addresses: an entity's IRI and its page, and the data formats of a page.

An autokg IRI ``https://w3id.org/autokg/id/xiaomi-yu7`` has the page ``/model/xiaomi-yu7`` (or
``/maker/...``, ``/entity/...``); ``/id/xiaomi-yu7`` resolves as the w3id redirect would.
"""

from __future__ import annotations

from urllib.parse import quote

from .data import ID

__all__ = ["page_path", "local_name", "iri_of", "DATA_TYPES", "PAGE_KINDS"]

#: The data an entity page is also served as: suffix -> media type.
DATA_TYPES = {
    "ttl": "text/turtle",
    "nt": "application/n-triples",
    "jsonld": "application/ld+json",
    "json": "application/json",
}

#: Entity kinds (as the name index has them) -> the page that shows them.
PAGE_KINDS = {"model": "model", "maker": "maker", "brand": "maker", "segment": "entity", "person": "entity"}


def local_name(iri: str) -> str | None:
    """The part of an autokg IRI after ``id/``, or None for another IRI.

    >>> local_name("https://w3id.org/autokg/id/xiaomi-yu7")
    'xiaomi-yu7'
    """
    return iri[len(ID):] if iri.startswith(ID) and len(iri) > len(ID) else None


def iri_of(local: str) -> str:
    return ID + local


def page_path(iri: str, kind: str | None = None) -> str:
    """The explorer's page of an entity.

    >>> page_path("https://w3id.org/autokg/id/xiaomi", "maker")
    '/maker/xiaomi'
    """
    local = local_name(iri)
    if local is None:
        return "/search?" + "q=" + quote(iri, safe="")
    return f"/{PAGE_KINDS.get(kind or '', 'entity')}/{quote(local, safe='')}"
