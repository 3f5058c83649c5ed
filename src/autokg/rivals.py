"""Rivals of a model ranked by the weight of the evidence, one row per rival.

A rival's evidence is the claims that name it (positioned against, rival, resembles, from
either side). Rivals are ranked by, in order (the rules are :mod:`autokg.evidence`'s):

1. the number of **independent sources** (copies of one article count once);
2. the **strongest kind of claim** (company statement, then media report, then analyst view);
3. the **most credible source** (publisher tier: primary, established, secondary);
4. the **latest date** of a claim;

and then by name. ``--as-of DATE`` keeps only the claims stated or published by that day.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from .evidence import (
    CLAIM_KIND_ORDER, TIER_ORDER, claim_date, date_start, independent_key, kind_rank, latest_date, stated_by,
    tier_rank, with_precision,
)
from .graph import KnowledgeGraph
from .markets import MarketIndex
from .modelfacts import family_price, model_facts, price_amount
from .sparql_lib import lib_query
from .vocab import AKG, RELATIONS

__all__ = ["rival_claims", "rank_rivals", "ranked_rivals", "weigh_price_band", "competitors_answer", "RANKING_RULE"]

RANKING_RULE = ("independent sources (copies of one article count once), then the strongest kind of claim "
                "(company statement, media report, analyst view), then the most credible source "
                "(primary, established, secondary), then the latest claim")

def rival_claims(kg: KnowledgeGraph, model: str) -> list[dict[str, Any]]:
    """Every competition claim naming ``model`` (an IRI), read from its side: one row per
    claim (a claim with several bases lists them; of several sources the first by URL)."""
    grouped: dict[str, list[dict[str, Any]]] = {}
    for r in kg.select(lib_query("rival-claims"), focus=model):
        grouped.setdefault(r["claim"], []).append(r)
    out = []
    for claim, rows in grouped.items():
        rows.sort(key=lambda r: (r["url"] or "", r["source"] or ""))
        r = rows[0]
        kind = r["type"].rsplit("#", 1)[1]
        forward, backward = RELATIONS[AKG + kind]
        out.append({
            "rival": r["rivalLabel"] or r["rival"], "rival_iri": r["rival"],
            "relation": forward if r["subject"] == model else backward,
            "basis": ", ".join(sorted({x["basis"] for x in rows if x["basis"]})) or None,
            "claim_kind": r["claimKind"], "stated_on": with_precision(r["statedOn"], r["statedPrecision"]),
            "stated_by": r["statedBy"],
            "publisher": r["publisher"], "origin": r["originName"], "tier": _tier_word(r["tier"]),
            "url": r["url"], "published": with_precision(r["published"], r["publishedPrecision"]), "note": r["note"],
            "claim": claim, "source": r["source"],
        })
    return sorted(out, key=lambda c: (c["rival"], c["relation"], c["published"] or "", c["claim"]))


def _tier_word(tier: str | None) -> str | None:
    return tier.rsplit("/", 1)[-1].rsplit("#", 1)[-1] if tier else None


def rank_rivals(claims: Iterable[dict[str, Any]], *, as_of: str | None = None,
                same: dict[str, tuple[str, str]] | None = None) -> list[dict[str, Any]]:
    """One row per rival from claim rows (as :func:`rival_claims` gives them), ranked. ``same``
    maps a model sold under another name to (its base model, the base's label): one row.

    >>> c = lambda rival, pub, kind, date=None, origin=None: {"rival": rival, "rival_iri": rival, "relation": "rival",
    ...     "basis": None, "claim_kind": kind, "publisher": pub, "origin": origin, "tier": None, "url": None,
    ...     "published": date, "claim": rival + pub, "source": pub}
    >>> rows = rank_rivals([c("A", "Reuters", "analyst view"), c("A", "Sowetan", "analyst view", origin="Reuters"),
    ...                     c("B", "SCMP", "analyst view"), c("B", "CnEVPost", "media report", "2025-01-02")])
    >>> [(r["rank"], r["rival"], r["sources"], r["claims"], r["strongest"]) for r in rows]
    [(1, 'B', 2, 2, 'media report'), (2, 'A', 1, 2, 'analyst view')]
    """
    by_rival: dict[str, list[dict[str, Any]]] = {}
    same = same or {}
    labels: dict[str, str] = {}
    for c in claims:
        if stated_by(c, as_of):
            iri, label = same.get(c["rival_iri"], (c["rival_iri"], c["rival"]))
            by_rival.setdefault(iri, []).append(c)
            labels[iri] = label
    rows = []
    for iri, group in by_rival.items():
        names = sorted({c["rival"] for c in group} - {labels[iri]})
        independent = {independent_key(publisher=c["publisher"], origin=c.get("origin"), url=c["url"],
                                       source=c.get("source") or c["claim"]) for c in group}
        strongest = min(group, key=lambda c: kind_rank(c["claim_kind"]))["claim_kind"]
        best_tier = min((c.get("tier") for c in group), key=tier_rank)
        rows.append({
            "rival": labels[iri] + (f" (also {', '.join(names)})" if names else ""), "rival_iri": iri,
            "also_named": names, "rival_iris": sorted({c["rival_iri"] for c in group}),
            "relations": sorted({c["relation"] for c in group}),
            "bases": sorted({b.strip() for c in group for b in (c["basis"] or "").split(",") if b.strip()}),
            "sources": len(independent), "claims": len(group), "strongest": strongest, "tier": best_tier,
            "latest": latest_date(claim_date(c) for c in group),
            "publishers": sorted({c["publisher"] for c in group if c["publisher"]}),
            "claim_iris": sorted(c["claim"] for c in group),
        })
    rows.sort(key=lambda r: (-r["sources"], kind_rank(r["strongest"]), tier_rank(r["tier"]),
                             _negated(date_start(r["latest"])), r["rival"].casefold()))
    for i, r in enumerate(rows, 1):
        r["rank"] = i
    return rows


def _negated(day: str) -> tuple[int, ...]:
    """A day as a key that sorts the latest first (no day last)."""
    return tuple(-int(x) for x in day.split("-")) if day else (1,)


def ranked_rivals(kg: KnowledgeGraph, model: str, *, as_of: str | None = None) -> dict[str, Any]:
    """The claimed rivals of ``model`` ranked, with the claims behind them (all of them, or
    those stated by ``as_of``): ``{"rivals": [...], "claims": [...], "ranking": rule}``."""
    claims = [c for c in rival_claims(kg, model) if stated_by(c, as_of)]
    same = {r["v"]: (r["base"], r["baseLabel"] or r["base"]) for r in kg.select(lib_query("export-names"))}
    same.pop(model, None)
    return {"rivals": rank_rivals(claims, same=same), "claims": claims, "ranking": RANKING_RULE,
            "kinds": list(CLAIM_KIND_ORDER), "tiers": list(TIER_ORDER)}


#: Two models whose prices are further apart than this factor are not in one price band.
PRICE_BAND = 2.0
#: Within this factor two prices are "similar", which adds to an inferred rival's score.
SIMILAR_PRICE = 1.35


def weigh_price_band(inferred: Sequence[dict[str, Any]], prices: dict[str, tuple[float, str, str] | None],
                     model: str) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """Inferred rivals weighed by price: ``prices`` maps a model to (amount, currency, whose
    price) or None. A rival priced within :data:`SIMILAR_PRICE` of the model scores 2 more; one
    more than :data:`PRICE_BAND` apart (in the same currency) is left out. Returns the kept
    rivals (re-sorted) and those left out.

    >>> rows = [{"rival": "U8", "rival_iri": "u8", "score": 4, "reasons": []},
    ...         {"rival": "L60", "rival_iri": "l60", "score": 3, "reasons": []}]
    >>> kept, out = weigh_price_band(rows, {"y": (263500, "CNY", "y"), "u8": (1098000, "CNY", "u8"),
    ...                                     "l60": (206900, "CNY", "l60")}, "y")
    >>> [(r["rival"], r["score"]) for r in kept], [r["rival"] for r in out]
    ([('L60', 5)], ['U8'])
    """
    mine = prices.get(model)
    kept, left_out = [], []
    for row in inferred:
        row = {**row, "reasons": list(row.get("reasons", []))}
        theirs = prices.get(row["rival_iri"])
        if mine and theirs and mine[1] == theirs[1] and min(mine[0], theirs[0]) > 0:
            ratio = max(mine[0], theirs[0]) / min(mine[0], theirs[0])
            text = f"{theirs[0]:,.0f} against {mine[0]:,.0f} {mine[1]}"
            row["price_ratio"] = round(ratio, 2)
            if ratio > PRICE_BAND:
                row["reasons"].append(f"price far apart: {text}")
                left_out.append(row)
                continue
            if ratio <= SIMILAR_PRICE:
                row["score"] += 2
                row["reasons"].append(f"similar price: {text}")
            else:
                row["reasons"].append(f"price within {PRICE_BAND:g}x: {text}")
        kept.append(row)
    kept.sort(key=lambda r: (-r["score"], r["rival"]))
    return kept, left_out


def _prices(kg: KnowledgeGraph, models: list[str]) -> tuple[dict[str, tuple[float, str, str] | None], dict]:
    """Each model's latest price (its own, else its variants' lowest) as (amount, currency, whose)."""
    variants = [r["v"] for m in models for r in kg.select(lib_query("variants-of"), m=m)]
    facts = model_facts(kg, [*models, *variants], specs=False)
    out: dict[str, tuple[float, str, str] | None] = {}
    for m in models:
        price, whose = family_price(facts, m)
        out[m] = (price_amount(price), price["currency"], whose) if price and price["currency"] else None
    return out, facts


def competitors_document(kg: KnowledgeGraph, model: str, *, market: str | None = None, maker: str | None = None,
                         body: str | None = None, max_price: float | None = None, currency: str | None = None,
                         as_of: str | None = None, inferred: bool = False,
                         markets: MarketIndex | None = None) -> dict[str, Any]:
    """The ranked rivals of ``model`` (IRIs throughout), filtered by the rival's market (a region
    holds its countries), maker, body style and latest price; with ``inferred``, the models
    that share its attributes, weighed by price band. Filters leave out rivals that lack the
    fact filtered on, and say how many."""
    answer = ranked_rivals(kg, model, as_of=as_of)
    rivals = answer["rivals"]
    filtered = any(x is not None for x in (market, maker, body, max_price))
    prices, facts = _prices(kg, [model, *[r["rival_iri"] for r in rivals]]) if (rivals or inferred) else ({}, {})
    mine = prices.get(model)
    wanted_currency = currency or (mine[1] if mine else None)
    left_out = {"market": 0, "market_unknown": 0, "maker": 0, "body": 0, "body_unknown": 0, "price": 0,
                "price_unknown": 0}
    kept = []
    for r in rivals:
        f = facts.get(r["rival_iri"])
        price = prices.get(r["rival_iri"])
        r["maker"] = f.maker if f else None
        r["price"] = None if price is None else {"amount": price[0], "currency": price[1], "of": price[2]}
        if market is not None:
            markets = markets or MarketIndex(kg)
            if not f or not f.market_iris:
                left_out["market_unknown"] += 1
                continue
            if not any(markets.within(m, market) for m in f.market_iris):
                left_out["market"] += 1
                continue
        if maker is not None and (not f or f.maker_iri != maker):
            left_out["maker"] += 1
            continue
        if body is not None and (not f or not f.body_iris):
            left_out["body_unknown"] += 1
            continue
        if body is not None and body not in f.body_iris:
            left_out["body"] += 1
            continue
        if max_price is not None:
            if price is None or (wanted_currency and price[1] != wanted_currency):
                left_out["price_unknown"] += 1
                continue
            if price[0] > max_price:
                left_out["price"] += 1
                continue
        kept.append(r)
    for i, r in enumerate(kept, 1):
        r["rank"] = i
    document: dict[str, Any] = {
        "as_of": as_of, "filters": {k: v for k, v in (("market", market), ("maker", maker), ("body", body),
                                                       ("max_price", max_price), ("currency", wanted_currency if max_price is not None else None))
                                    if v is not None},
        "summary": {"rivals": len(kept), "claims": sum(r["claims"] for r in kept), "all_rivals": len(rivals),
                    "all_claims": len(answer["claims"])},
        "rivals": kept, "claims": answer["claims"] if not filtered else
        [c for c in answer["claims"] if c["rival_iri"] in {r["rival_iri"] for r in kept}],
        "ranking": answer["ranking"], "left_out": {k: v for k, v in left_out.items() if v},
        "price": None if mine is None else {"amount": mine[0], "currency": mine[1], "of": mine[2]},
    }
    if inferred:
        from .competition import inferred_rivals

        rows = [{"rival": r.label, "rival_iri": r.model, "maker": r.maker, "score": r.score, "reasons": r.reasons}
                for r in inferred_rivals(kg, model)]
        others, _ = _prices(kg, [r["rival_iri"] for r in rows]) if rows else ({}, {})
        weighed, far = weigh_price_band(rows, {**others, model: mine}, model)
        document["inferred"] = weighed
        document["inferred_price_apart"] = far
    return document


def competitors_answer(kg: KnowledgeGraph, model: str, *, depth: int = 1, to: str | None = None,
                       **filters: Any) -> dict[str, Any]:
    """The answer of ``autokg competitors``: the claims about ``model`` (``claimed``, as the
    ``filters`` of :func:`competitors_document` keep them), its rivals ranked (``rivals``,
    ``summary``, ``left_out``, ``inferred`` ...), and the rivals within ``depth`` steps and the
    chain of claims to the model ``to`` (:func:`autokg.competition.competitors`)."""
    from .competition import competitors

    doc = competitors_document(kg, model, **filters)
    kept = {c["claim"] for c in doc["claims"]}
    answer = competitors(kg, model, depth=depth, to=to)
    answer["claimed"] = [r for r in answer["claimed"] if r["claim"] in kept]
    answer.update({k: v for k, v in doc.items() if k != "claims"})
    return answer
