"""Models side by side: maker, body style, segment, powertrain, status, launch, the latest price,
range per test cycle and battery (from spec records), the latest yearly deliveries or sales, and
the rivals they share. Every cell carries its source (in JSON)."""

from __future__ import annotations

from typing import Any

from .estimates import best_estimates, read_figures
from .figures import format_value
from .markets import MarketIndex
from .modelfacts import best_battery, family_price, model_facts, price_amount
from .graph import KnowledgeGraph
from .rivals import rank_rivals, rival_claims
from .sparql_lib import lib_query

__all__ = ["compare_document", "FIELDS"]

#: The rows of a comparison, in order.
FIELDS = ("maker", "body style", "segment", "powertrain", "status", "launch", "markets", "price", "range",
          "battery", "power", "latest year", "top rivals", "shared rivals")

_VOLUME_MEASURES = ("deliveries", "sales", "registrations")


def _plain(value: Any, source: Any = None) -> dict[str, Any]:
    return {"value": value, "display": "; ".join(value) if isinstance(value, list) else value, "source": source}


def _note(*parts: str | None) -> str:
    given = [p for p in parts if p]
    return f" ({', '.join(given)})" if given else ""


def _ranges(specs: list[dict[str, Any]]) -> dict[str, Any]:
    """The longest range per test cycle over a model's spec records, with the record it is from."""
    best: dict[str, tuple[float, dict[str, Any]]] = {}
    for s in specs:
        for r in s["ranges"]:
            cycle = (r["cycle"] or "?").upper()
            if cycle not in best or r["km"] > best[cycle][0]:
                best[cycle] = (r["km"], s)
    if not best:
        return _plain(None)
    order = sorted(best, key=lambda c: -best[c][0])
    return {"value": {c: best[c][0] for c in order},
            "display": "; ".join(f"{best[c][0]:,.0f} km {c}" for c in order),
            "source": [{"cycle": c, "spec": best[c][1]["spec"], "record": best[c][1]["source_record"],
                        "url": best[c][1]["url"]} for c in order]}


def _latest_volume(kg: KnowledgeGraph, model: str, markets: MarketIndex) -> dict[str, Any]:
    """The latest calendar year's best estimate of deliveries, else sales, else registrations
    (of the model's whole total, else of one market)."""
    estimates = [e for e in best_estimates(read_figures(kg, model, markets=markets))
                 if e["subject"] == model and e["grain"] == "year" and e["measure"] in _VOLUME_MEASURES]
    if not estimates:
        return _plain(None)
    e = max(estimates, key=lambda e: (e["period_key"], e["scope"] == "", -_VOLUME_MEASURES.index(e["measure"])))
    scope = f", {e['scope']}" if e["scope"] else ""
    return {"value": e["value"] if e["value"] is not None else e["min_value"],
            "display": f"{e['display']} ({e['measure']} {e['period_key']}{scope})",
            "source": {"claim": e["claim"], "publisher": e["publisher"], "url": e["url"], "claim_kind": e["claim_kind"],
                       "why": e["why"]}}


def compare_document(kg: KnowledgeGraph, models: list[str]) -> dict[str, Any]:
    """``models`` (IRIs, two or more) side by side, one row per field of :data:`FIELDS`."""
    markets = MarketIndex(kg)
    facts = model_facts(kg, models)
    variants = [r["v"] for m in models for r in kg.select(lib_query("variants-of"), m=m)]
    facts.update({k: v for k, v in model_facts(kg, variants).items() if k not in facts})
    claims = {m: rival_claims(kg, m) for m in models}
    rivals = {m: {c["rival_iri"]: c["rival"] for c in claims[m]} for m in models}
    shared = set.intersection(*(set(r) for r in rivals.values())) if rivals else set()
    labels = {iri: label for r in rivals.values() for iri, label in r.items()}
    columns = []
    for m in models:
        f = facts[m]
        price, whose = family_price(facts, m)
        price_cell = _plain(None) if price is None else {
            "value": price_amount(price), "currency": price["currency"],
            "display": format_value(price["value"], price["bound"], price["currency"], price["min_value"],
                                    price["max_value"])
            + _note(price["period"] or price["period_end"], facts[whose].label if whose != m else None),
            "source": {"claim": price["claim"], "publisher": price["publisher"], "url": price["url"],
                       "claim_kind": price["claim_kind"], "of": whose}}
        battery = best_battery(f.specs)
        power = max((s["power_kw"] for s in f.specs if s["power_kw"]), default=None)
        spec_source = [{"spec": s["spec"], "record": s["source_record"], "url": s["url"]} for s in f.specs] or None
        columns.append({
            "maker": _plain(f.maker, f.maker_iri), "body style": _plain(f.body), "segment": _plain(f.segment),
            "powertrain": _plain(f.powertrain), "status": _plain(f.status), "launch": _plain(f.launch),
            "markets": _plain(f.markets), "price": price_cell, "range": _ranges(f.specs),
            "battery": {"value": battery, "display": f"{battery:g} kWh" if battery else None, "source": spec_source},
            "power": {"value": power, "display": f"{power:g} kW" if power else None, "source": spec_source},
            "latest year": _latest_volume(kg, m, markets),
            "top rivals": _plain([r["rival"] for r in rank_rivals(claims[m])[:3]] or None),
            "shared rivals": _plain(sorted(labels[r] for r in shared - set(models)) or None,
                                    sorted(shared - set(models)) or None),
        })
    rows = [{"field": name, "cells": [c[name] for c in columns]} for name in FIELDS]
    return {"models": [{"iri": m, "label": facts[m].label} for m in models], "rows": rows,
            "shared_rivals": [{"iri": r, "label": labels[r]} for r in sorted(shared - set(models))]}
