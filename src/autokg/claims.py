"""One claim described: what kind of claim it is, what it says (every property, IRIs by their
labels), who stated it and when, and its source with publisher, tier and a copy's origin."""

from __future__ import annotations

from typing import Any

from .claimrows import assemble
from .graph import KnowledgeGraph
from .vocab import AKG
from .sparql_lib import lib_query

__all__ = ["describe_claim", "is_claim", "claims_about"]

_CLAIM_CLASSES = ("Figure", "DeliveryTarget", "LaunchPlan", "MarketEntryPlan", "Strategy", "PositioningClaim",
                  "RivalryClaim", "ResemblanceClaim", "MarketFigure", "SpecRecord", "RangeRating", "Claim")
RDFS_LABEL = "http://www.w3.org/2000/01/rdf-schema#label"


def is_claim(kg: KnowledgeGraph, iri: str) -> bool:
    """Whether ``iri`` is a claim (a figure, target, plan, competition claim, spec record ...)."""
    return describe_claim(kg, iri) is not None


def describe_claim(kg: KnowledgeGraph, iri: str) -> dict[str, Any] | None:
    """Everything one claim says, or None if ``iri`` is not a claim."""
    records = assemble(kg, kg.select(lib_query("claim-of"), claim=iri), reviewed_only=False)  # asked for by name
    if not records:
        return None
    record = records[0]
    values = record["values"]
    classes = [t.removeprefix(AKG) for t in values.get("type", []) if t.startswith(AKG)]
    if not any(c in _CLAIM_CLASSES for c in classes):
        return None
    iris = {v for vs in values.values() for v in vs if isinstance(v, str) and v.startswith(("http://", "https://"))}
    properties = {p for p in values if p.startswith(("http://", "https://"))} | {AKG + p for p in values if "/" not in p}
    labels = kg.labels(iris | properties)
    shown: dict[str, list[Any]] = {}
    for prop, vs in values.items():
        if prop in ("type", RDFS_LABEL, "source"):
            continue
        name = labels.get(AKG + prop, labels.get(prop, prop.rsplit("/", 1)[-1].rsplit("#", 1)[-1]))
        shown[name] = [labels.get(v, v) if isinstance(v, str) else v for v in vs]
    competitor_of = kg.select(lib_query("competition-subject"), claim=iri)
    return {"iri": iri, "label": (values.get(RDFS_LABEL) or [None])[0], "kind": classes,
            "subject": record["subject"] if not competitor_of else competitor_of[0]["s"],
            "values": shown, "stated_by": record["stated_by"], "stated_on": (values.get("statedOn") or [None])[0],
            "source": record["source"]}


def claims_about(kg: KnowledgeGraph, entity: str) -> list[dict[str, Any]]:
    """Every claim about ``entity`` (an IRI): its IRI, kind, label, who stated it and when."""
    out: dict[str, dict[str, Any]] = {}
    for r in kg.select(lib_query("claims-about"), focus=entity):
        kind = (r["class"] or "").removeprefix(AKG)
        if kind not in _CLAIM_CLASSES:
            continue
        row = out.setdefault(r["claim"], {"claim": r["claim"], "kind": kind, "label": r["label"], "stated_by": [],
                                          "stated_on": r["statedOn"]})
        if r["statedBy"] and r["statedBy"] not in row["stated_by"]:
            row["stated_by"].append(r["statedBy"])
    return sorted(out.values(), key=lambda c: (c["kind"], c["label"] or "", c["claim"]))
