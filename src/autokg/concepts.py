"""Concepts of a scheme found by the names people type: "SUV", "suv", "crossover"; "BEV",
"battery electric"; "Germany", "DE". Names are compared as :func:`autokg.names.normalize` does."""

from __future__ import annotations

import difflib

from .errors import AmbiguousName, NameNotFound
from .graph import KnowledgeGraph
from .vocab import AKG
from .names import normalize
from .sparql_lib import lib_query

__all__ = ["ConceptIndex"]


class ConceptIndex:
    """The concepts of one scheme (``BodyStyleScheme``, ``MarketScheme`` ...) by name.

    >>> from autokg.graph import load
    >>> ConceptIndex(load(), "BodyStyleScheme").resolve("crossover")
    'https://w3id.org/autokg/concept/body-style/suv'
    """

    def __init__(self, kg: KnowledgeGraph, scheme: str, *, what: str | None = None):
        self.what = what or scheme.removesuffix("Scheme").lower()
        self.labels: dict[str, str] = {}
        self.names: dict[str, set[str]] = {}
        for r in kg.select(lib_query("concepts-of-scheme"), scheme=AKG + scheme):
            self.labels[r["c"]] = r["label"]
            self.names.setdefault(normalize(r["name"]), set()).add(r["c"])

    def resolve(self, name: str) -> str:
        """The IRI of the concept named ``name``; NameNotFound with suggestions, or AmbiguousName."""
        text = name.strip()
        if text in self.labels:
            return text
        found = self.names.get(normalize(text.split(":", 1)[-1] if ":" in text and " " not in text else text), set())
        if len(found) > 1:
            exact = [c for c in found if self.labels[c].casefold() == text.casefold()]
            found = set(exact) if len(exact) == 1 else found
        if len(found) == 1:
            return next(iter(found))
        if found:
            raise AmbiguousName(name, sorted(f"{self.labels[c]} <{c}>" for c in found))
        close = difflib.get_close_matches(text, sorted(set(self.labels.values())), n=5, cutoff=0.5)
        raise NameNotFound(name, close, what=self.what)

    def label(self, iri: str | None) -> str | None:
        return self.labels.get(iri, iri) if iri else None
