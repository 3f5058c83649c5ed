"""Markets as a region hierarchy: Europe contains Germany, the world contains Europe, and
"outside China" (the world but China) is a market of its own.

The hierarchy is the market scheme's ``skos:broader`` (``ontology/concepts.ttl``, written from the table
``ontology/concepts.csv``); a region that is the world but one market says which with
``akg:marketExcept``. A claim's scope ``akg:market market:world ; akg:excludedMarket market:CN``
is read as that region.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from .concepts import ConceptIndex
from .graph import KnowledgeGraph
from .sparql_lib import lib_query

__all__ = ["MarketIndex", "Market"]

MARKET = "https://w3id.org/autokg/concept/market/"
WORLD = MARKET + "world"



@dataclass
class Market:
    iri: str
    label: str
    notation: str
    broader: set[str] = field(default_factory=set)
    excepting: str | None = None


class MarketIndex:
    """The market concepts of a graph, by name, with their regions.

    >>> from autokg.graph import load
    >>> markets = MarketIndex(load())
    >>> markets.resolve("Germany").label, markets.within(MARKET + "DE", MARKET + "europe")
    ('Germany', True)
    >>> markets.within(MARKET + "DE", markets.resolve("outside China").iri), markets.within(MARKET + "CN", MARKET + "outside-CN")
    (True, False)
    >>> markets.within(MARKET + "asia", MARKET + "outside-CN")
    False
    """

    def __init__(self, kg: KnowledgeGraph):
        self.kg = kg
        self._concepts: ConceptIndex | None = None
        self.markets: dict[str, Market] = {}
        for r in kg.select(lib_query("market-regions")):
            m = self.markets.setdefault(r["c"], Market(r["c"], r["label"], r["notation"] or r["c"].rsplit("/", 1)[-1]))
            if r["broader"]:
                m.broader.add(r["broader"])
            if r["except"]:
                m.excepting = r["except"]
        self._regions: dict[str, set[str]] = {}
        self.excepting = {m.excepting: m.iri for m in self.markets.values() if m.excepting}

    def resolve(self, name: str) -> Market:
        """The market named ``name`` (label, other name or notation: "Germany", "DE", "overseas")."""
        if self._concepts is None:
            self._concepts = ConceptIndex(self.kg, "MarketScheme", what="market")
        return self.markets[self._concepts.resolve(name.removeprefix("market:"))]

    def regions(self, market: str) -> set[str]:
        """Every region ``market`` lies in, itself included (Germany: Germany, Europe, World,
        and Outside China)."""
        if market in self._regions:
            return self._regions[market]
        seen, todo = {market}, [market]
        while todo:
            m = self.markets.get(todo.pop())
            for b in (m.broader if m else ()):
                if b not in seen:
                    seen.add(b)
                    todo.append(b)
        for left_out, region in self.excepting.items():
            # Germany lies outside China; Asia does not (it contains China), nor does the world.
            if left_out not in seen and market != WORLD and region not in seen and market not in self.regions(left_out):
                seen.add(region)
        self._regions[market] = seen
        return seen

    def scope(self, market: str | None, excluded: str | None = None) -> str | None:
        """A claim's scope as one market: the world except China is "outside China"."""
        if market == WORLD and excluded and excluded in self.excepting:
            return self.excepting[excluded]
        return market

    def within(self, market: str | None, region: str) -> bool:
        """Whether ``market`` is ``region`` or lies in it."""
        return market is not None and region in self.regions(market)

    def overlaps(self, market: str | None, region: str) -> str | None:
        """How a market meets a region asked for: ``within`` (it is the region or lies in it),
        ``covers`` (it is wider: a world-wide plan covers Germany) or None."""
        if market is None:
            return None
        if self.within(market, region):
            return "within"
        if self.within(region, market):
            return "covers"
        return None

    def label(self, market: str | None) -> str | None:
        return self.markets[market].label if market in self.markets else market
