"""Resolve the names people type ("Model Y", "tesla model y", "YU7GT", "xiaomi") to entities.

Names are compared after folding case and dropping spaces and punctuation, so "SU7 L", "su7-l"
and "SU7L" are one key. A model is also found under its maker's (or brand's) name followed by
any of its own names ("Tesla" + "Model Y"). IRIs and CURIEs (``id:tesla-model-y``) are accepted
as they are.
"""

from __future__ import annotations

import difflib
import re
import unicodedata
from collections import defaultdict
from dataclasses import dataclass

from .errors import AmbiguousName, NameNotFound, WrongKind
from .graph import KnowledgeGraph
from .sparql_lib import lib_query
from .vocab import ID

__all__ = ["Entity", "NameIndex", "normalize", "resolve", "KIND_MAKER", "KIND_MODEL"]

KIND_MAKER = "maker"
KIND_MODEL = "model"

_KINDS = {
    "Manufacturer": KIND_MAKER,
    "Brand": "brand",
    "BusinessSegment": "segment",
    "VehicleModel": KIND_MODEL,
    "Variant": KIND_MODEL,
    "Person": "person",
}


def normalize(name: str) -> str:
    """The key a name is compared by: case folded, accents, spaces and punctuation dropped.

    >>> normalize("Tesla Model-Y")
    'teslamodely'
    >>> normalize("YU7 GT") == normalize("yu7gt")
    True
    >>> normalize("XPeng P7+") == normalize("xpeng p7 plus") != normalize("XPeng P7")
    True
    """
    # "+" tells models apart (P7 and P7+), so it is spelled out rather than dropped.
    text = unicodedata.normalize("NFKD", name.replace("+", " plus ")).casefold()
    return "".join(ch for ch in text if ch.isalnum())


@dataclass(frozen=True)
class Entity:
    """A named entity of the graph: its IRI, label, kind (maker, model, brand ...) and maker."""

    iri: str
    label: str
    kind: str
    maker: str | None = None

    def __str__(self) -> str:
        return self.label


class NameIndex:
    """An index of every name of every maker, brand, segment, model and person in a graph."""

    def __init__(self, kg: KnowledgeGraph):
        self.kg = kg
        self.entities: dict[str, Entity] = {}
        self.keys: dict[str, set[str]] = defaultdict(set)
        makers: dict[str, str] = {}
        for row in kg.select(lib_query("name-index")):
            iri = row["e"]
            kind = _KINDS[row["class"].rsplit("#", 1)[1]]
            if iri in self.entities and self.entities[iri].kind == KIND_MODEL:
                kind = KIND_MODEL
            if row["maker"] and row["class"].endswith(("VehicleModel", "Variant")):
                makers.setdefault(iri, row["maker"])
            self.entities[iri] = Entity(iri, row["label"], kind, makers.get(iri))
            self.keys[normalize(row["name"])].add(iri)
            if row["makerName"]:
                key = normalize(row["makerName"]) + normalize(row["name"])
                self.keys[key].add(iri)
        self.keys.pop("", None)

    def lookup(self, name: str, *, kinds: tuple[str, ...] | None = None) -> list[Entity]:
        """All entities with this name (of the given kinds), without suggestions."""
        iri = as_iri(name)
        if iri is not None:
            found = [self.entities[iri]] if iri in self.entities else []
            return [e for e in found if not kinds or e.kind in kinds]
        found = [self.entities[i] for i in self.keys.get(normalize(name), ())]
        if kinds:
            found = [e for e in found if e.kind in kinds]
        return sorted(found, key=lambda e: e.label)

    def suggest(self, name: str, *, kinds: tuple[str, ...] | None = None, n: int = 5) -> list[str]:
        """The closest names to ``name``, as labels."""
        key = normalize(name)
        candidates = {k: v for k, v in self.keys.items()
                      if not kinds or any(self.entities[i].kind in kinds for i in v)}
        # A maker or brand whose name starts with what was typed comes first: "li" offers Li Auto
        # itself before its models.
        owners = sorted(k for k in candidates if key and k.startswith(key)
                        and any(self.entities[i].kind in ("maker", "brand") for i in candidates[k]))
        close = owners + difflib.get_close_matches(key, list(candidates), n=n * 2, cutoff=0.6)
        close += [k for k in candidates if key and (k.startswith(key) or key in k)]
        labels: list[str] = []
        for k in close:
            for iri in sorted(candidates[k]):
                label = self.entities[iri].label
                if label not in labels and (not kinds or self.entities[iri].kind in kinds):
                    labels.append(label)
        return labels[:n]

    def resolve(self, name: str, *, kinds: tuple[str, ...] | None = None, what: str | None = None) -> Entity:
        """The one entity named ``name``; raise NameNotFound (with suggestions) or AmbiguousName."""
        found = self.lookup(name, kinds=kinds)
        if len(found) == 1:
            return found[0]
        if len(found) > 1:
            # A name typed exactly as one entity's label wins over looser matches.
            exact = [e for e in found if e.label.casefold() == name.strip().casefold()]
            if len(exact) == 1:
                return exact[0]
            # "Xiaomi" names the maker and its EV segment: the maker wins, as people mean it.
            makers = [e for e in found if e.kind == KIND_MAKER]
            if len(makers) == 1:
                return makers[0]
            raise AmbiguousName(name, [f"{e.label} <{e.iri}>" for e in found])
        what = what or (" or ".join(kinds) if kinds else "maker or model")
        other = self.entities.get(as_iri(name) or "")
        if other is not None:  # an IRI of another kind: say what it is, and offer its own models
            related = sorted(e.label for e in self.entities.values() if e.maker == other.iri and e.kind in (kinds or ()))
            maker = self.entities.get(other.maker or "")
            if maker is not None and maker.kind in (kinds or ()):
                related.insert(0, maker.label)
            raise WrongKind(name, other.label, other.kind, related[:5] or self.suggest(other.label, kinds=kinds),
                            what=what)
        raise NameNotFound(name, self.suggest(name, kinds=kinds), what=what)


def as_iri(name: str) -> str | None:
    """The IRI a name gives literally (``<...>``, ``https://...``, ``id:...``), or None.

    >>> as_iri("id:xiaomi"), as_iri("Xiaomi")
    ('https://w3id.org/autokg/id/xiaomi', None)
    """
    name = name.strip()
    if name.startswith("<") and name.endswith(">"):
        name = name[1:-1]
    if re.match(r"^https?://", name):
        return name
    if name.startswith("id:"):
        return ID + name[3:]
    return None


def resolve(kg: KnowledgeGraph, name: str, *, kinds: tuple[str, ...] | None = None) -> Entity:
    """Resolve one name in a graph (builds a fresh :class:`NameIndex`).

    >>> from autokg.graph import load
    >>> resolve(load(), "yu7gt").iri
    'https://w3id.org/autokg/id/xiaomi-yu7-gt'
    """
    return NameIndex(kg).resolve(name, kinds=kinds)
