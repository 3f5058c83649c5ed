"""What changed since a day: the claims stated, or published by their source, on or after it.

A claim's date is the day it was stated (``akg:statedOn``), else the day its source was
published; a date of a month or a year counts if its last day is on or after the day asked
for. A claim with neither date cannot be placed in time and is never listed.
"""

from __future__ import annotations

from typing import Any

from .evidence import date_end, date_start, with_precision
from .graph import KnowledgeGraph
from .vocab import AKG
from .sparql_lib import lib_query

__all__ = ["changes_document", "KINDS"]

KINDS = {"Figure": "figure", "DeliveryTarget": "target", "LaunchPlan": "launch", "MarketEntryPlan": "market entry",
         "Strategy": "strategy", "PositioningClaim": "competition", "RivalryClaim": "competition",
         "ResemblanceClaim": "competition", "MarketFigure": "market total"}


def changes_document(kg: KnowledgeGraph, since: str) -> dict[str, Any]:
    """Claims dated on or after ``since`` (``YYYY-MM-DD``), newest first, one row per claim."""
    found: dict[str, dict[str, Any]] = {}

    def add(r: dict[str, Any], date: str, how: str) -> None:
        kind = KINDS.get(r["class"].removeprefix(AKG)) if r["class"] else None
        if kind is None:
            return
        row = found.get(r["claim"])
        if row is None or (how == "stated" and row["how"] != "stated"):
            found[r["claim"]] = {"claim": r["claim"], "kind": kind, "what": r["label"], "subject": r["subject"],
                                 "date": date, "how": how, "publisher": r["publisher"], "url": r["url"]}
        else:
            row["publisher"] = row["publisher"] or r["publisher"]
            row["url"] = row["url"] or r["url"]

    for r in kg.select(lib_query("claims-since"), since=since):
        r["date"] = with_precision(r["date"], r["precision"])
        end = date_end(r["date"])
        if end is None or end < since:
            continue
        if r["src"]:
            for c in kg.select(lib_query("claims-citing"), src=r["src"]):
                add(c, r["date"], "published")
        else:
            for c in kg.select(lib_query("claim-summary"), claim=r["claim"]):
                add(c, r["date"], "stated")
    labels = kg.labels({r["subject"] for r in found.values() if r["subject"]})
    rows = sorted(found.values(), key=lambda r: (date_start(r["date"]), r["claim"]), reverse=True)
    counts: dict[str, int] = {}
    for r in rows:
        r["subject_label"] = labels.get(r["subject"]) if r["subject"] else None
        counts[r["kind"]] = counts.get(r["kind"], 0) + 1
    return {"since": since, "changes": rows, "count": len(rows), "by_kind": counts}
