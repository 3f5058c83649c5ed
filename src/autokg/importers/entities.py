"""The one resolver and creator of makers and models for every importer, with one set of rules.

:class:`Resolver` finds makers and models by name with the CLI's own
:class:`~autokg.names.NameIndex`; :class:`Entities` applies the rules of an import on top:

- a name found in the graph (or made earlier by this import) is used as it is;
- without ``--create``, an unknown name is reported with suggestions and its rows are skipped;
- with ``--create``, a maker becomes ``id:<slug>`` (an invalid row if that id already names
  something that is not a manufacturer); a model becomes ``id:<maker>-<model>``, labelled with
  its maker's name, made by the brand's manufacturer when the maker is a brand (an invalid row
  if the brand has no ``akg:brandOf``); an id the names did not find but the graph has is that
  entity, and one this import made under another spelling ("CR-V", "CRV") is that one.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

import pyoxigraph as ox

from ..graph import KnowledgeGraph
from ..names import KIND_MAKER, KIND_MODEL, NameIndex, normalize
from ..vocab import AKG, ID, PUB
from .common import RDF_TYPE, RDFS_LABEL, SKOS_ALT, Builder, akg, any_uri, concept, iri, label, lit, slug
from .result import ImportReport, RowProblem

__all__ = ["Resolver", "Entities", "publisher", "SHARED_HOSTS"]

UNRESOLVED_MAKER = "maker not in the graph (use --create to add it)"
UNRESOLVED_MODEL = "model not in the graph (use --create to add it)"


class Resolver:
    """Finds makers and models by name with the CLI's :class:`NameIndex`; mints IRIs for new ones.

    A name resolves to an entity of the graph (``matched``), to one made earlier in this import
    (``created``), or to nothing (``None``, with suggestions for the report).
    """

    def __init__(self, kg: KnowledgeGraph):
        self.kg = kg
        self.index = NameIndex(kg)
        self.created: dict[str, tuple[str, str]] = {}  # normalized key -> (iri, label)
        self._cache: dict[tuple[str, ...], Any] = {}
        self._brand_makers: dict[str, str | None] = {}
        self._publishers: dict[str, str | None] = {}
        self._minted: set[str] = set()  # IRIs this import made

    def exists(self, iri_: str) -> bool:
        return self.kg.exists(iri_)

    def maker(self, name: str, slug_hint: str | None = None) -> tuple[str | None, str, str]:
        """(iri or None, status 'matched'|'created'|'unresolved', kind 'maker'|'brand').

        Found by name, else by the IRI that creating it would mint (:meth:`maker_iri`): what one
        import made as "MG" (``id:mg``) is the maker another finds as "MG Motor" with slug "mg".
        """
        key = ("maker", normalize(name), slug_hint or "")
        if key in self._cache:
            return self._cache[key]
        found = self.index.lookup(name, kinds=(KIND_MAKER, "brand"))
        makers = [e for e in found if e.kind == KIND_MAKER]
        pick = makers[0] if len(makers) == 1 else (found[0] if len(found) == 1 else None)
        candidate = self.maker_iri(name, slug_hint)
        if pick is not None:
            result = (pick.iri, "matched", pick.kind)
        elif normalize(name) in self.created:
            result = (self.created[normalize(name)][0], "created", KIND_MAKER)
        elif candidate in self._minted:
            result = (candidate, "created", KIND_MAKER)
        elif self.is_a(candidate, "Manufacturer"):
            result = (candidate, "matched", KIND_MAKER)
        elif self.is_a(candidate, "Brand"):
            result = (candidate, "matched", "brand")
        else:
            result = (None, "unresolved", KIND_MAKER)
        self._cache[key] = result
        return result

    @staticmethod
    def maker_iri(name: str, slug_hint: str | None = None) -> str:
        """The IRI a new maker gets: ``id:<slug>`` of the source's own slug for it, else of its name;
        the one rule both finding and creating use."""
        return ID + slug(slug_hint or name)

    def brand_maker(self, brand_iri: str) -> str | None:
        if brand_iri not in self._brand_makers:
            rows = self.kg.select("SELECT ?b ?m WHERE { ?b akg:brandOf ?m }", b=brand_iri)
            self._brand_makers[brand_iri] = rows[0]["m"] if rows else None
        return self._brand_makers[brand_iri]

    def model(self, maker_name: str, maker_iri: str | None, name: str) -> tuple[str | None, str]:
        """(iri or None, 'matched'|'created'|'unresolved') of a model of a maker."""
        key = ("model", normalize(maker_name), normalize(name))
        if key in self._cache:
            return self._cache[key]
        found = self.index.lookup(f"{maker_name} {name}", kinds=(KIND_MODEL,))
        if not found and maker_iri:
            # The bare model name, if exactly one model of this maker has it.
            found = [e for e in self.index.lookup(name, kinds=(KIND_MODEL,)) if e.maker == maker_iri]
        result: tuple[str | None, str]
        if len(found) == 1:
            result = (found[0].iri, "matched")
        elif len(found) > 1:
            bases = [e for e in found if not self.is_a(e.iri, "Variant")]
            result = (bases[0].iri, "matched") if len(bases) == 1 else (None, "unresolved")
        elif normalize(maker_name) + normalize(name) in self.created:
            result = (self.created[normalize(maker_name) + normalize(name)][0], "created")
        else:
            result = (None, "unresolved")
        self._cache[key] = result
        return result

    def suggest(self, name: str, kinds: tuple[str, ...]) -> list[str]:
        return self.index.suggest(name, kinds=kinds, n=3)

    def mint(self, key: str, iri_: str, label_: str) -> str:
        """Record an entity made by this import; returns its IRI."""
        self.created[key] = (iri_, label_)
        self._minted.add(iri_)
        for cache_key in [k for k in self._cache if "".join(k[1:]) == key or k[:2] == ("maker", key)]:
            del self._cache[cache_key]
        return iri_

    def created_label(self, iri_: str) -> str:
        """The label of an entity this import made (or the graph's label)."""
        for made, label_ in self.created.values():
            if made == iri_:
                return label_
        return self.kg.label(iri_)

    def is_a(self, iri_: str, cls: str) -> bool:
        return self.kg.has_triple(ox.Triple(ox.NamedNode(iri_), RDF_TYPE, akg(cls)))

    def label_of(self, iri_: str) -> str:
        return self.kg.label(iri_)

    def publisher_for_host(self, host: str) -> str | None:
        """The publisher whose akg:domain is the host or a parent domain of it, if the graph has one."""
        if host not in self._publishers:
            candidates = [".".join(host.split(".")[i:]) for i in range(host.count(".") + 1)]
            found = None
            for domain in candidates:  # the most specific domain wins
                rows = self.kg.select("SELECT ?p ?d WHERE { ?p akg:domain ?d }", d=domain)
                if rows:
                    found = min(r["p"] for r in rows)
                    break
            self._publishers[host] = found
        return self._publishers[host]

    def source_for_url(self, url: str) -> str | None:
        """An existing source node with this URL, if the graph has one."""
        for value in (any_uri(url), ox.Literal(url)):
            for triple in self.kg.match(None, AKG + "url", value):
                return triple.subject.value
        return None


#: Hosts that publish for everybody: a URL there says nothing of who published it.
SHARED_HOSTS = frozenset({"github.com", "gitlab.com", "raw.githubusercontent.com", "zenodo.org", "kaggle.com"})


def publisher(b: Builder, res: Resolver, host: str | None, *, name: str | None = None) -> ox.NamedNode:
    """The publisher of a host (by akg:domain) or, on a shared host or none, of a name (pub:<slug>).

    The graph's own publisher when it has one; else a new one of kind unknown and tier secondary,
    until a curator says otherwise (data/README.md, "Sources, publishers and trust").
    """
    by_domain = bool(host) and host not in SHARED_HOSTS
    if by_domain:
        known = res.publisher_for_host(host)
        if known:
            return iri(known)
    node = iri(PUB + slug(host if by_domain else (name or "unknown")))
    if not by_domain and res.exists(node.value):
        return node
    b.add(node, RDF_TYPE, akg("Publisher"))
    b.add(node, RDFS_LABEL, label(name or host))
    if by_domain:
        b.add(node, akg("domain"), lit(host))
    b.add(node, akg("publisherKind"), concept("publisher-kind", "unknown"))
    b.add(node, akg("credibilityTier"), concept("credibility-tier", "secondary"))
    return node


class Entities:
    """Makers and models for one import: found, reported as unresolved, or made (``create``).

    ``lines`` are the input lines (or record numbers) that use an entity: they vouch for it, so
    that it is dropped with them if they all turn out invalid.
    """

    def __init__(self, kg: KnowledgeGraph, builder: Builder, report: ImportReport, *, create: bool):
        self.resolver = Resolver(kg)
        self.b, self.report, self.create = builder, report, create

    def _skip(self, lines: Iterable[int], reason: str) -> None:
        for line in lines:
            self.report.skip(line, reason)

    def _touch(self, node: str, lines: Iterable[int]) -> None:
        for line in lines:
            self.b.touch(node, line)

    def maker(self, name: str, lines: list[int], source: str, *, slug_hint: str | None = None,
              record: str | None = None) -> str | None:
        """The maker (or brand) named ``name``; None when it is unresolved or cannot be made."""
        res, report = self.resolver, self.report
        if not name:
            self._skip(lines, "no maker named")
            return None
        found, status, _kind = res.maker(name, slug_hint)
        if found is not None:
            if status == "created":
                self._touch(found, lines)
            return found
        if not self.create:
            report.unresolved_name(name, lines[0], res.suggest(name, (KIND_MAKER, "brand")), "maker")
            self._skip(lines, UNRESOLVED_MAKER)
            return None
        new = res.maker_iri(name, slug_hint)
        if res.exists(new):
            report.invalid.append(RowProblem(lines[0], f"maker {name!r}: its id {new} already names something that "
                                                       "is not a manufacturer", self.b.records.get(lines[0], "")))
            return None
        res.mint(normalize(name), new, name)
        node = iri(new)
        self.b.add(node, RDF_TYPE, akg("Manufacturer"), line=lines[0])
        self.b.add(node, RDFS_LABEL, label(name))
        self.b.add(node, akg("source"), iri(source))
        if record:
            self.b.add(node, akg("sourceRecord"), lit(record))
        report.new_entities.append((new, name, "maker"))
        self._touch(new, lines)
        return new

    def model(self, maker_name: str, maker_iri: str, name: str, lines: list[int], source: str, *,
              slug_hint: str | None = None, on_new: Callable[[ox.NamedNode], None] | None = None,
              ) -> tuple[str | None, str]:
        """The model ``name`` of a maker: (IRI or None, "matched" | "created" | "unresolved").

        ``on_new`` is called with a model this call makes, to add what the input says of it.
        """
        res, report, b = self.resolver, self.report, self.b
        found, status = res.model(maker_name, maker_iri, name)
        if found is not None:
            if status == "created":
                self._touch(found, lines)
            return found, status
        if not self.create:
            full_name = f"{maker_name} {name}"
            report.unresolved_name(full_name, lines[0], res.suggest(full_name, (KIND_MODEL,)), "model")
            self._skip(lines, UNRESOLVED_MODEL)
            return None, "unresolved"
        maker_label = res.created_label(maker_iri)
        maker_slug, model_slug = slug(maker_iri.removeprefix(ID)), slug(slug_hint or name) or "model"
        local = model_slug if model_slug.startswith(maker_slug + "-") else f"{maker_slug}-{model_slug}"
        full = name if normalize(name).startswith(normalize(maker_label)) else f"{maker_label} {name}"
        new = ID + local
        if res.exists(new):  # the id is taken by an entity the names did not find: it is that model
            return new, "matched"
        if b.node_lines.get(new):  # made by this import under another spelling: it is that one
            self._touch(new, lines)
            return new, "created"
        manufacturer, brand = maker_iri, None
        if res.is_a(maker_iri, "Brand"):
            manufacturer, brand = res.brand_maker(maker_iri), maker_iri
            if manufacturer is None:
                report.invalid.append(RowProblem(lines[0], f"brand {maker_name!r} has no akg:brandOf: cannot tell "
                                                           "the model's maker", b.records.get(lines[0], "")))
                return None, "unresolved"
        res.mint(normalize(maker_name) + normalize(name), new, full)
        node = iri(new)
        b.add(node, RDF_TYPE, akg("VehicleModel"), line=lines[0])
        b.add(node, RDFS_LABEL, label(full))
        if full != name:
            b.add(node, SKOS_ALT, label(name))
        b.add(node, akg("manufacturer"), iri(manufacturer))
        if brand:
            b.add(node, akg("brand"), iri(brand))
        b.add(node, akg("source"), iri(source))
        if on_new is not None:
            on_new(node)
        report.new_entities.append((new, full, "model"))
        self._touch(new, lines)
        return new, "created"
