"""A maker's or model's share of a market, from market totals such as imported sales tables.

Shares are computed inside one table, so that the numerator and the denominator count alike:
the numerator is the table's rows for the maker (or model) and everything it covers, month by
month; the denominators are the table's market total for all cars (``akg:MarketFigure``
coverage ``all-cars``) and the sum of every row of the table (each model, and the "other
models" rows: the market the table covers, such as battery-electric cars). Only months that
both sides have are counted, and the answer says how many. Nothing is counted twice: a table
has one row per model and month, and two tables are never added together.
"""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from .graph import KnowledgeGraph
from .sparql_lib import lib_query

__all__ = ["share_document"]


def _table(row: dict[str, Any]) -> str:
    """The table a figure was imported from ("cn-bev-sales-monthly.csv"), or its source URL's table."""
    record = row["sourceRecord"] or ""
    return record.rsplit(" line ", 1)[0] if " line " in record else record or "curated figures"


def share_document(kg: KnowledgeGraph, entity: str, *, market: str, year: int | None = None,
                   measure: str = "sales") -> dict[str, Any]:
    """``entity``'s share of ``market`` (IRIs) in ``year`` (or every year), by table and denominator."""
    parts = {r["part"] for r in kg.select(lib_query("parts"), focus=entity)} | {entity}
    by_table: dict[str, dict[str, Any]] = defaultdict(lambda: {
        "numerator": defaultdict(int), "all_cars": defaultdict(int), "table_total": defaultdict(int),
        "numerator_claims": [], "all_cars_claims": [], "sources": set()})
    for r in kg.select(lib_query("market-figures"), market=market):
        if r["measure"] != measure or r["value"] is None or not r["start"] or r["bound"] not in (None, "exact"):
            continue
        month = r["start"][:7]
        if year is not None and not month.startswith(str(year)):
            continue
        if not r["end"] or r["end"][:7] != month:
            continue  # only monthly rows: a table's months add up, other periods would overlap them
        t = by_table[_table(r)]
        is_total = r["class"].endswith("MarketFigure") and r["coverage"] == "all-cars"
        if is_total:
            t["all_cars"][month] += r["value"]
            t["all_cars_claims"].append(r["f"])
        else:
            t["table_total"][month] += r["value"]
            if r["subject"] in parts and not r["class"].endswith("MarketFigure"):
                t["numerator"][month] += r["value"]
                t["numerator_claims"].append(r["f"])
        if r["url"]:
            t["sources"].add(r["url"])
    shares = []
    for table, t in sorted(by_table.items()):
        if not t["numerator"]:
            continue
        for name, denominator, what in (("all cars", t["all_cars"], "the market total of all cars"),
                                        ("table total", t["table_total"], f"every row of {table}")):
            months = sorted(set(t["numerator"]) & set(denominator))
            if not months:
                continue
            num = sum(t["numerator"][m] for m in months)
            den = sum(denominator[m] for m in months)
            shares.append({
                "table": table, "denominator_kind": name, "denominator_is": what, "numerator": num,
                "denominator": den, "share": round(num / den, 6) if den else None,
                "share_text": f"{num / den * 100:.2f}%" if den else None, "months": len(months),
                "first_month": months[0], "last_month": months[-1],
                "numerator_claims": len(t["numerator_claims"]), "sources": sorted(t["sources"]),
            })
    return {"entity": entity, "market": market, "year": year, "measure": measure, "shares": shares}
