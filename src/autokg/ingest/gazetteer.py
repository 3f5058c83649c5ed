"""Names of the graph found in sentences: a gazetteer over the resolver's index.

Every span of up to six words is looked up with :class:`autokg.names.NameIndex` keys (labels and
alternative labels, and a model under its maker's name), longest first, so that "the YU7",
"Tesla's Model Y" and "BYD's Yuan Plus" resolve. A name of several entities ("M9") is settled
by the makers the article has named; one it cannot settle is left out.
"""

from __future__ import annotations

import bisect
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

# Capitalised words that are not names of companies or models, wherever they stand.
_NOT_NAMES = set("""
The A An In On At For By From With According After Before During Last This That These Those Over Since While
Compared Despite Including Its It Their They He She We Sales Deliveries Production Revenue Revenues Overseas Exports
Orders Analysts Shares Prices Demand Customers Buyers Both Each Meanwhile However Also Separately Elsewhere Chairman
Founder President Chief Executive Officer CEO CFO Director Head Spokesperson Spokesman Spokeswoman Analyst Reporter
Monday Tuesday Wednesday Thursday Friday Saturday Sunday January February March April May June July August September
October November December Jan Feb Mar Apr Jun Jul Aug Sep Sept Oct Nov Dec Q1 Q2 Q3 Q4 H1 H2 EV EVs SUV SUVs NEV NEVs
BEV BEVs PHEV PHEVs EREV AI US UK EU USA GWh kWh MWh Wall Street Inc Co Ltd Corp Corporation Company Group Automobile Auto Motors Motor
Holdings Cars Technology Technologies Beijing Shanghai Shenzhen Hangzhou Guangzhou Chongqing Hefei Wuhan Changsha
Xi'an Tianjin Nanjing Chengdu Ningbo Xinjiang Hong Kong Asia Europe European Chinese American German Japanese Korean
Image Photo Source Read More Related Editor Note Update Reuters Bloomberg Nasdaq NYSE HKEX Stock Exchange Gigafactory
Model Plus Pro Max Ultra GT Mr Ms Dr If As But And Or So Yet Not No Yes Some Many Most Several Other Another
RMB CNY USD EUR GBP
""".split())
_TITLES = re.compile(r"\b(?:CEO|chief executive|founder|chairman|chairwoman|president|executive|spokesperson|"
                     r"spokesman|spokeswoman|analyst|director|head|minister|official|engineer|boss)\s+$", re.I)
_CAPITALISED = re.compile(r"(?<![\w'’-])[A-Z][A-Za-z0-9&+-]*(?:\s[A-Z0-9][A-Za-z0-9&+-]*){0,2}")
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
        self._sorted_keys = sorted(self.index.keys)
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

    def new_names(self, sentence: str, mentions: list[Mention], places: set[str] = frozenset(),
                  proper: set[str] = frozenset(), context_makers: set[str] = frozenset()) -> list[Mention]:
        """Capitalised names the graph does not know ("Avatr", "Changan"), as mentions of kind "new".

        Words that are not names (months, titles, places, "Shanghai-based") are left out, and so
        are people named after a title ("chief executive Wang Chuanfu"). A word that opens the
        sentence counts only if the article also capitalises it inside a sentence (``proper``),
        so that "Initially," is no name.
        """
        found = []
        blanked = list(sentence)
        for x in mentions:  # known names are not new, but what follows them may be ("Li Auto L8")
            blanked[x.start:x.end] = "\x00" * (x.end - x.start)
        for m in _CAPITALISED.finditer("".join(blanked)):
            words = m.group(0).split()
            while words and (words[0] in _NOT_NAMES or words[0].lower() in places):
                words = words[1:]
            while words and (words[-1] in _NOT_NAMES or words[-1].lower() in places):
                words = words[:-1]
            if not words or any(w in _NOT_NAMES or w.lower() in places or re.search(r"-[a-z]|^(?:RMB|CNY|USD|EUR)\d", w)
                                for w in words) or not words[0][0].isupper():
                continue
            start = m.start() + m.group(0).index(words[0])
            if not sentence[:start].strip(" \"“‘(") and words[0] not in proper:
                continue
            if _TITLES.search(sentence[:start]) or len(" ".join(words)) < 2:
                continue
            name = " ".join(words)
            if self.known_prefix(name, context_makers):
                found.append(Mention(start, start + len(name), name, "", "ambiguous"))
                continue
            maker = next((x for x in mentions if x.is_org and x.end + 1 == start and sentence[x.end] == " "), None)
            if maker is not None and any(ch.isdigit() for ch in name):  # "the Li Auto L8": a maker's new model
                start, name = maker.start, sentence[maker.start:start + len(name)]
            found.append(Mention(start, start + len(name), name, "new:" + name, "new"))
        return found

    @staticmethod
    def proper_words(text: str) -> set[str]:
        """Words the text capitalises inside its sentences (not right after a full stop)."""
        return {m.group(1) for m in re.finditer(r"(?<![.!?:\n])\s([A-Z][A-Za-z0-9&+]*)", text)}

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
            if not iris and width == 1 and (part := re.match(r"([A-Za-z0-9]+)-[a-z]", words[0])):
                iris = self.index.keys.get(normalize(part.group(1)))  # "AITO-branded", "Tesla-made"
                if iris:
                    iri = self._choose(sorted(iris), part.group(1), context_makers)
                    start = tokens[i][0]
                    if iri is None:
                        return Mention(start, start + len(part.group(1)), part.group(1), "", "ambiguous"), 1
                    return Mention(start, start + len(part.group(1)), part.group(1), iri,
                                   self.index.entities[iri].kind), 1
            if not iris and context_makers and any(ch.isdigit() for ch in key):
                iris = self._in_context(key, context_makers)  # "the i6" of an article about Li Auto
            if not iris:
                continue
            iri = self._choose(sorted(iris), " ".join(words), context_makers)
            start, end = tokens[i][0], tokens[i + width - 1][1]
            if iri is None:  # "Macan": a name of several models; known, so never a new name
                return Mention(start, end, sentence[start:end], "", "ambiguous"), width
            return Mention(start, end, sentence[start:end], iri, self.index.entities[iri].kind), width
        return None

    def _in_context(self, key: str, context_makers: set[str]) -> set[str]:
        """The models named ``key`` under the name of a maker the article has named."""
        found: set[str] = set()
        for maker in context_makers:
            entity = self.index.entities.get(maker)
            if entity is not None:
                found |= self.index.keys.get(normalize(entity.label) + key, set())
        return found

    def known_prefix(self, name: str, context_makers: set[str] = frozenset()) -> bool:
        """Whether ``name`` begins some known names ("Macan": Macan Electric, Macan (combustion)),
        so that it is an unsettled name of the graph rather than a new one."""
        prefixes = [normalize(name)] + [normalize(self.index.entities[m].label) + normalize(name)
                                        for m in context_makers if m in self.index.entities]
        for p in prefixes:
            i = bisect.bisect_left(self._sorted_keys, p)
            if i < len(self._sorted_keys) and self._sorted_keys[i].startswith(p) and self._sorted_keys[i] != p:
                return True
        return False

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
