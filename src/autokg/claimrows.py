"""Claims read as property values and put together in Python.

A query with thirty OPTIONALs takes pyoxigraph longer to plan (about 17 ms) than to answer.
The queries here return plain ``(claim, what, source, property, value)`` rows instead
(``queries/lib/claim-values.rq``), and :func:`assemble` builds one record per claim: its own
values by property, its first source by URL (with publisher, tier and a copy's origin), and
the labels of the concepts it names.
"""

from __future__ import annotations

import weakref
from collections import defaultdict
from collections.abc import Iterable
from typing import Any

from .evidence import with_precision
from .graph import REJECTED, UNREVIEWED, KnowledgeGraph
from .vocab import AKG
from .sparql_lib import lib_query

__all__ = ["concept_names", "assemble", "subject_facts"]

RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
RDFS_LABEL = "http://www.w3.org/2000/01/rdf-schema#label"

_CONCEPTS: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()


def concept_names(kg: KnowledgeGraph) -> dict[str, tuple[str | None, str | None]]:
    """Every concept's (preferred label, notation), read once per graph."""
    names = _CONCEPTS.get(kg)
    if names is None:
        names = {r["c"]: (r["label"], r["notation"]) for r in kg.select(lib_query("concept-names"))}
        _CONCEPTS[kg] = names
    return names


def assemble(kg: KnowledgeGraph, rows: Iterable[dict[str, Any]], *, reviewed_only: bool = True) -> list[dict[str, Any]]:
    """One record per claim from claim-values rows: ``{"claim", "subject", "values": {local
    name: [values]}, "source": {...} | None, "stated_by": [...]}``.

    With ``reviewed_only``, claims `autokg ingest` extracted are left out when rejected, and when
    not reviewed yet unless the graph's ``include_unreviewed`` is set (``--include-unreviewed``)."""
    claims: dict[str, dict[str, Any]] = {}
    sources: dict[str, dict[str, dict[str, list[Any]]]] = defaultdict(lambda: defaultdict(lambda: defaultdict(list)))
    for r in rows:
        c = claims.setdefault(r["claim"], {"claim": r["claim"], "subject": r["subject"], "values": defaultdict(list),
                                           "stated_by": []})
        what, p, o = r["what"], r.get("p"), r["o"]
        if what == "claim":
            local = "type" if p == RDF_TYPE else p.removeprefix(AKG) if p.startswith(AKG) else p
            if o not in c["values"][local]:
                c["values"][local].append(o)
        elif what == "statedBy":
            if o not in c["stated_by"]:
                c["stated_by"].append(o)
        else:
            sources[r["claim"]][r["src"]][what + ":" + (p or "label")].append(o)
    left_out = {REJECTED} | (set() if getattr(kg, "include_unreviewed", False) else {UNREVIEWED})
    for claim, c in claims.items():
        c["values"] = dict(c["values"])
        c["source"] = _first_source(sources.get(claim, {}))
    return [c for c in claims.values()
            if not (reviewed_only and left_out & set(c["values"].get("reviewStatus", ())))]


def _first_source(found: dict[str, dict[str, list[Any]]]) -> dict[str, Any] | None:
    if not found:
        return None

    def one(values: dict[str, list[Any]], key: str) -> Any:
        return values.get(key, [None])[0]

    def url(item: tuple[str, dict[str, list[Any]]]) -> tuple[str, str]:
        return (str(one(item[1], "source:" + AKG + "url") or ""), item[0])

    src, values = min(found.items(), key=url)
    publisher = one(values, "publisher:" + RDFS_LABEL) or one(values, "source:" + AKG + "publisher")
    if isinstance(publisher, str) and publisher.startswith("http") and not one(values, "publisher:" + RDFS_LABEL):
        publisher = publisher.rsplit("/", 1)[-1]
    tier = one(values, "publisher:" + AKG + "credibilityTier")
    return {"source": src, "url": one(values, "source:" + AKG + "url"),
            "published": with_precision(one(values, "source:" + AKG + "publishedOn"),
                                        one(values, "source:" + AKG + "datePrecision")),
            "publisher": publisher,
            "title": one(values, "source:" + RDFS_LABEL),
            "tier": tier.rsplit("/", 1)[-1] if isinstance(tier, str) else None,
            "origin": one(values, "origin:label")}


def subject_facts(kg: KnowledgeGraph, subjects: Iterable[str]) -> dict[str, dict[str, Any]]:
    """Label, role (maker, brand, business segment, model, variant) and parents of each subject."""
    roles = {"Manufacturer": "maker", "Brand": "brand", "BusinessSegment": "business segment",
             "VehicleModel": "model", "Variant": "variant"}
    out: dict[str, dict[str, Any]] = {}
    query = lib_query("subjects")
    for s in subjects:
        facts: dict[str, Any] = {"label": None, "role": ""}
        nearest: dict[str, list[str]] = {"base": [], "brand": [], "owner": []}
        for r in kg.select(query, s=s):
            facts["label"] = facts["label"] or r["label"]
            role = roles.get((r["class"] or "").rsplit("#", 1)[-1])
            if role and (not facts["role"] or role == "model"):
                facts["role"] = role
            for key, found in nearest.items():
                if r[key] and r[key] not in found:
                    found.append(r[key])
        # The nearest part first: a variant's base, then a model's brand, then its maker.
        facts["parents"] = nearest["base"] + nearest["brand"] + nearest["owner"]
        out[s] = facts
    return out
