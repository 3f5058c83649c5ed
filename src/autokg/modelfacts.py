"""What is known of each model, gathered for answers that compare or filter models: maker,
body style, segment, powertrain, markets, status, launch, the latest price and the spec records
(range per test cycle, battery, power).

Every fact keeps where it comes from: prices and specs carry their claim and source. A model
with no price of its own may show the lowest price of its variants, said so in ``price_of``.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import asdict, dataclass, field
from typing import Any

from .claimrows import concept_names
from .evidence import date_start, kind_rank, tier_rank, with_precision
from .graph import KnowledgeGraph
from .sparql_lib import lib_query

__all__ = ["ModelFacts", "model_facts", "latest_price", "best_range", "market_codes"]

MARKET = "https://w3id.org/autokg/concept/market/"


@dataclass
class ModelFacts:
    """The facts of one model or variant (labels; IRIs of concepts in ``*_iris``)."""

    iri: str
    label: str
    kind: str  # "model" or "variant"
    maker: str | None = None
    maker_iri: str | None = None
    brand: str | None = None
    base: str | None = None
    body: list[str] = field(default_factory=list)
    body_iris: list[str] = field(default_factory=list)
    segment: list[str] = field(default_factory=list)
    segment_iris: list[str] = field(default_factory=list)
    powertrain: list[str] = field(default_factory=list)
    powertrain_iris: list[str] = field(default_factory=list)
    markets: list[str] = field(default_factory=list)
    market_iris: list[str] = field(default_factory=list)
    status: list[str] = field(default_factory=list)
    status_iris: list[str] = field(default_factory=list)
    launch: str | None = None
    prices: list[dict[str, Any]] = field(default_factory=list)
    specs: list[dict[str, Any]] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


def _add(values: list[str], value: str | None) -> None:
    if value is not None and value not in values:
        values.append(value)


def _facts_rows(kg: KnowledgeGraph, model: str | None) -> list[dict[str, Any]]:
    query = lib_query("model-facts")
    return kg.select(query, m=model) if model else kg.select(query)


def model_facts(kg: KnowledgeGraph, models: Iterable[str] | None = None, *, prices: bool = True,
                specs: bool = True) -> dict[str, ModelFacts]:
    """The facts of the given models (IRIs), or of every model and variant of the graph."""
    out: dict[str, ModelFacts] = {}
    wanted = None if models is None else list(dict.fromkeys(models))
    rows: list[dict[str, Any]] = []
    for model in wanted if wanted is not None else [None]:
        rows.extend(_facts_rows(kg, model))
    names = concept_names(kg)
    owners = kg.labels({r[k] for r in rows for k in ("maker", "brand") if r[k]})
    for r in rows:
        f = out.get(r["m"])
        if f is None:
            kind = "variant" if r["class"].endswith("#Variant") else "model"
            f = out[r["m"]] = ModelFacts(r["m"], r["label"], kind)
        elif r["class"].endswith("#VehicleModel") and f.kind == "variant":
            f.kind = "model"
        f.maker = f.maker or owners.get(r["maker"])
        f.maker_iri = f.maker_iri or r["maker"]
        f.brand = f.brand or owners.get(r["brand"])
        f.base = f.base or r["base"]
        f.launch = f.launch or r["launch"]
        for labels, iris, key in ((f.body, f.body_iris, "body"), (f.segment, f.segment_iris, "segment"),
                                  (f.powertrain, f.powertrain_iris, "pt"), (f.markets, f.market_iris, "market"),
                                  (f.status, f.status_iris, "status")):
            if r[key] and r[key] not in iris:
                iris.append(r[key])
                labels.append(names.get(r[key], (None, None))[0] or r[key].rsplit("/", 1)[-1])
    if prices:
        for r in _per_model(kg, "model-prices", wanted):
            if r["m"] in out:
                out[r["m"]].prices.append(_price(r))
        for f in out.values():
            f.prices = _dedupe(f.prices)
    if specs:
        by_spec: dict[str, dict[str, Any]] = {}
        for r in _per_model(kg, "model-specs", wanted):
            if r["m"] not in out:
                continue
            s = by_spec.get(r["spec"])
            if s is None:
                s = by_spec[r["spec"]] = {
                    "spec": r["spec"], "model": r["m"], "label": r["specLabel"], "model_year": r["modelYear"],
                    "power_kw": r["power"], "battery_net_kwh": r["batteryNet"], "battery_gross_kwh": r["batteryGross"],
                    "ranges": [], "source_record": r["sourceRecord"], "source": r["source"], "url": r["url"],
                    "publisher": r["publisher"]}
                out[r["m"]].specs.append(s)
            if r["rangeKm"] is not None:
                rng = {"cycle": r["cycle"], "km": r["rangeKm"]}
                if rng not in s["ranges"]:
                    s["ranges"].append(rng)
    return out


def _per_model(kg: KnowledgeGraph, name: str, models: list[str] | None) -> list[dict[str, Any]]:
    query = lib_query(name)
    if models is None:
        return kg.select(query)
    return [r for m in models for r in kg.select(query, m=m)]


def _price(r: dict[str, Any]) -> dict[str, Any]:
    return {"claim": r["claim"], "value": r["value"], "min_value": r["min"], "max_value": r["max"],
            "bound": r["bound"], "currency": r["unit"], "period_start": r["start"], "period_end": r["end"],
            "period": r["periodLabel"], "market": r["marketLabel"], "claim_kind": r["claimKind"],
            "stated_on": with_precision(r["statedOn"], r["statedPrecision"]), "note": r["note"],
            "publisher": r["publisher"], "url": r["url"],
            "published": with_precision(r["published"], r["publishedPrecision"]),
            "tier": r["tier"].rsplit("/", 1)[-1] if r["tier"] else None}


def _dedupe(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    seen: dict[str, dict[str, Any]] = {}
    for row in sorted(rows, key=lambda r: (r["claim"], r["url"] or "")):
        seen.setdefault(row["claim"], row)
    return list(seen.values())


def price_amount(price: dict[str, Any]) -> float | None:
    """The amount a price figure stands for: its value, or the low end of a range (a starting price).

    >>> price_amount({"value": None, "min_value": 200000, "max_value": 260000})
    200000
    """
    return price["value"] if price["value"] is not None else price["min_value"]


def latest_price(prices: list[dict[str, Any]]) -> dict[str, Any] | None:
    """The latest price: the one for the latest day (its period's end, else its date), then the
    strongest kind of claim and the most credible source.

    >>> a = {"value": 309900, "min_value": None, "period_end": "2025-07-31", "claim_kind": "media report"}
    >>> b = {"value": 339000, "min_value": None, "period_end": "2025-08-31", "claim_kind": "media report"}
    >>> latest_price([a, b])["value"]
    339000
    """
    known = [p for p in prices if price_amount(p) is not None]
    if not known:
        return None
    return max(known, key=lambda p: (date_start(p.get("period_end") or p.get("period_start") or p.get("stated_on")
                                                or p.get("published")),
                                     -kind_rank(p.get("claim_kind")), -tier_rank(p.get("tier"))))


def family_price(facts: dict[str, ModelFacts], model: str) -> tuple[dict[str, Any] | None, str | None]:
    """A model's latest price, else the lowest latest price of its variants; with whose it is."""
    me = facts.get(model)
    if me is None:
        return None, None
    own = latest_price(me.prices)
    if own:
        return own, me.iri
    candidates = [(latest_price(f.prices), f.iri) for f in facts.values() if f.base == model]
    candidates = [(p, iri) for p, iri in candidates if p]
    if not candidates:
        return None, None
    return min(candidates, key=lambda pi: price_amount(pi[0]) or 0)


def best_range(specs: list[dict[str, Any]], cycle: str | None = None) -> tuple[float, str] | None:
    """The longest rated range over a model's spec records (of one test cycle if given), with its cycle.

    >>> best_range([{"ranges": [{"cycle": "WLTP", "km": 533}, {"cycle": "CLTC", "km": 688}]}], "cltc")
    (688, 'CLTC')
    """
    found = [(r["km"], r["cycle"] or "") for s in specs for r in s["ranges"]
             if cycle is None or (r["cycle"] or "").casefold() == cycle.casefold()]
    return max(found) if found else None


def best_battery(specs: list[dict[str, Any]]) -> float | None:
    """The largest battery (net, else gross capacity, kWh) over a model's spec records."""
    found = [s["battery_net_kwh"] or s["battery_gross_kwh"] for s in specs if s["battery_net_kwh"] or s["battery_gross_kwh"]]
    return max(found) if found else None


def market_codes(iris: Iterable[str]) -> list[str]:
    """Market concepts as their notations (``CN``, ``europe``)."""
    return [i.removeprefix(MARKET) for i in iris]
