"""Find models by what they are: maker, body style, segment, powertrain, market (a region holds
its countries), status, price range, minimum range on a test cycle, and battery size.

A filter on a fact the graph does not hold for a model leaves that model out (a price filter
leaves out models with no price), and the answer counts how many were left out that way. Prices
compare in one currency: a model priced in another is left out of a price filter.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from .markets import MarketIndex
from .graph import KnowledgeGraph
from .modelfacts import best_battery, best_range, family_price, model_facts, price_amount

__all__ = ["ModelQuery", "find_models"]


@dataclass(frozen=True)
class ModelQuery:
    """What to look for; IRIs for the maker and concepts, amounts as numbers."""

    maker: str | None = None
    body: str | None = None
    segment: str | None = None
    powertrain: str | None = None
    market: str | None = None
    status: str | None = None
    min_price: float | None = None
    max_price: float | None = None
    currency: str | None = None
    min_range: float | None = None
    cycle: str | None = None
    min_battery: float | None = None
    max_battery: float | None = None
    variants: bool = False

    def filters(self) -> dict[str, Any]:
        return {k: v for k, v in self.__dict__.items() if v not in (None, False)}


def find_models(kg: KnowledgeGraph, query: ModelQuery, *, markets: MarketIndex | None = None) -> dict[str, Any]:
    """The models (and, with ``variants``, variants) that meet every filter of ``query``."""
    markets = markets or MarketIndex(kg) if query.market else markets
    facts = model_facts(kg)
    found, unknown = [], {"price": 0, "range": 0, "battery": 0}
    for iri, f in sorted(facts.items(), key=lambda kv: ((kv[1].maker or "").casefold(), kv[1].label.casefold())):
        if f.kind == "variant" and not query.variants:
            continue
        if query.maker and query.maker not in (f.maker_iri, iri):
            continue
        if any(want and want not in have for want, have in ((query.body, f.body_iris), (query.segment, f.segment_iris),
                                                            (query.powertrain, f.powertrain_iris),
                                                            (query.status, f.status_iris))):
            continue
        if query.market and not any(markets.within(m, query.market) for m in f.market_iris):
            continue
        price, whose = family_price(facts, iri)
        amount = price_amount(price) if price else None
        if query.min_price is not None or query.max_price is not None:
            if amount is None or (query.currency and price["currency"] != query.currency):
                unknown["price"] += 1
                continue
            if (query.min_price is not None and amount < query.min_price) or (
                    query.max_price is not None and amount > query.max_price):
                continue
        rng = best_range(f.specs, query.cycle)
        if query.min_range is not None:
            if rng is None:
                unknown["range"] += 1
                continue
            if rng[0] < query.min_range:
                continue
        battery = best_battery(f.specs)
        if query.min_battery is not None or query.max_battery is not None:
            if battery is None:
                unknown["battery"] += 1
                continue
            if (query.min_battery is not None and battery < query.min_battery) or (
                    query.max_battery is not None and battery > query.max_battery):
                continue
        found.append({
            "model": f.label, "iri": iri, "kind": f.kind, "maker": f.maker, "body": f.body, "segment": f.segment,
            "powertrain": f.powertrain, "status": f.status, "launch": f.launch, "markets": f.markets,
            "price": amount, "currency": price["currency"] if price else None,
            "price_claim": price["claim"] if price else None, "price_of": whose,
            "range_km": rng[0] if rng else None, "cycle": rng[1] if rng else None, "battery_kwh": battery,
        })
    return {"filters": query.filters(), "models": found, "count": len(found),
            "left_out_unknown": {k: v for k, v in unknown.items() if v}}
