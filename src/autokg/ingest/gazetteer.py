"""Names of the graph found in sentences: a gazetteer over the resolver's index.

Every span of up to six words is looked up with :class:`autokg.names.NameIndex` keys (labels and
alternative labels, and a model under its maker's name), longest first, so that "the YU7",
"Tesla's Model Y" and "BYD's Yuan Plus" resolve. A name of several entities ("M9") is settled
by the makers the article has named; one it cannot settle is left out.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ..graph import KnowledgeGraph
from ..names import KIND_MAKER, KIND_MODEL, NameIndex, normalize

__all__ = ["Mention", "Gazetteer", "ORG_KINDS"]

ORG_KINDS = (KIND_MAKER, "brand", "segment")
_TOKEN = re.compile(r"[A-Za-z0-9]+(?:[-.][A-Za-z0-9]+)*\+?|['’]s\b|[#&]\d*")
_MAX_WORDS = 6
# Words that start a sentence or a title but are not names even when a label matches them.
_STOP = {"the", "a", "an", "it", "its", "this", "that", "and", "or", "of", "in", "on", "for", "with", "by"}

_RELATIONS_QUERY = """
SELECT ?e ?maker ?link WHERE {
  VALUES ?link { akg:manufacturer akg:brandOf akg:segmentOf akg:variantOf }
  ?e ?link ?maker .
}
"""


@dataclass(frozen=True)
class Mention:
    """A name at ``start:end`` of a sentence and the entity it names (kind: maker, brand, model ...)."""

    start: int
    end: int
    text: str
    iri: str
    kind: str

    @property
    def is_org(self) -> bool:
        return self.kind in ORG_KINDS


class Gazetteer:
    """Finds the graph's names in text; built once per graph."""

    def __init__(self, kg: KnowledgeGraph, index: NameIndex | None = None):
        self.index = index or NameIndex(kg)
        self.kg = kg
        self.manufacturer: dict[str, str] = {}
        self.parent: dict[str, str] = {}  # brand or segment -> maker
        self.base: dict[str, set[str]] = {}  # variant -> base models
        self.segments: dict[str, list[str]] = {}  # maker -> its business segments
        for row in kg.select(_RELATIONS_QUERY):
            link = row["link"].rsplit("#", 1)[1]
            if link == "manufacturer":
                self.manufacturer.setdefault(row["e"], row["maker"])
            elif link == "variantOf":
                self.base.setdefault(row["e"], set()).add(row["maker"])
            else:
                self.parent.setdefault(row["e"], row["maker"])
                if link == "segmentOf":
                    self.segments.setdefault(row["maker"], []).append(row["e"])

    def label(self, iri: str) -> str:
        entity = self.index.entities.get(iri)
        return entity.label if entity else iri

    def kind(self, iri: str) -> str | None:
        entity = self.index.entities.get(iri)
        return entity.kind if entity else None

    def maker_of(self, iri: str) -> str | None:
        """The manufacturer an entity belongs to (itself for a maker)."""
        kind = self.kind(iri)
        if kind == KIND_MAKER:
            return iri
        if kind == KIND_MODEL:
            maker = self.manufacturer.get(iri)
            return self.maker_of(maker) if maker and maker != iri and self.kind(maker) != KIND_MODEL else maker
        parent = self.parent.get(iri)
        return self.maker_of(parent) if parent and parent != iri else None

    def mentions(self, sentence: str, context_makers: set[str] = frozenset()) -> list[Mention]:
        """The names in a sentence, longest match first, left to right.

        >>> from autokg.graph import load
        >>> g = Gazetteer(load())
        >>> [(m.text, m.iri.rsplit("/", 1)[1]) for m in g.mentions("Tesla's Model Y rivals the YU7 GT.")]
        [("Tesla's Model Y", 'tesla-model-y'), ('YU7 GT', 'xiaomi-yu7-gt')]
        """
        tokens = [(m.start(), m.end(), m.group(0)) for m in _TOKEN.finditer(sentence)]
        found: list[Mention] = []
        i = 0
        while i < len(tokens):
            match = self._longest(sentence, tokens, i, context_makers)
            if match is None:
                i += 1
                continue
            mention, width = match
            found.append(mention)
            i += width
        return found

    def _longest(self, sentence: str, tokens: list[tuple[int, int, str]], i: int,
                 context_makers: set[str]) -> tuple[Mention, int] | None:
        first = tokens[i][2]
        if first.lower() in _STOP or first.startswith(("'", "’")) or not (first[0].isupper() or any(c.isdigit() for c in first)):
            return None
        for width in range(min(_MAX_WORDS, len(tokens) - i), 0, -1):
            words = [t[2] for t in tokens[i:i + width]]
            if words[-1].startswith(("'", "’")):
                continue
            key = normalize("".join(w for w in words if not w.startswith(("'", "’"))))
            iris = self.index.keys.get(key)
            if not iris and width == 1 and key.endswith("s") and any(c.isdigit() for c in key):
                iris = self.index.keys.get(key[:-1])  # "10,000 SU7s"
            if not iris:
                continue
            iri = self._choose(sorted(iris), " ".join(words), context_makers)
            if iri is None:
                return None
            start, end = tokens[i][0], tokens[i + width - 1][1]
            return Mention(start, end, sentence[start:end], iri, self.index.entities[iri].kind), width
        return None

    def _choose(self, iris: list[str], text: str, context_makers: set[str]) -> str | None:
        if len(iris) == 1:
            return iris[0]
        exact = [i for i in iris if self.index.entities[i].label.casefold() == text.casefold()]
        if len(exact) == 1:
            return exact[0]
        in_context = [i for i in iris if self.maker_of(i) in context_makers]
        if len(in_context) == 1:
            return in_context[0]
        makers = [i for i in iris if self.index.entities[i].kind == KIND_MAKER]
        if len(makers) == 1:
            return makers[0]
        return None
