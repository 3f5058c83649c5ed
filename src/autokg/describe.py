"""Everything known about one maker or model, and counts over the whole graph."""

from __future__ import annotations

from typing import Any

from .graph import KnowledgeGraph
from .sparql_lib import lib_query

__all__ = ["describe", "show", "stats"]

_SHOWN = {
    "http://www.w3.org/1999/02/22-rdf-syntax-ns#type": "type",
    "http://www.w3.org/2000/01/rdf-schema#label": "label",
    "http://www.w3.org/2004/02/skos/core#altLabel": "also known as",
    "http://www.w3.org/2000/01/rdf-schema#comment": "comment",
}


def describe(kg: KnowledgeGraph, entity: str) -> dict[str, Any]:
    """Everything the graph says about ``entity`` (an IRI), with the sources behind it.

    Returns ``{"iri", "label", "facts": {property: [values]}, "related": {relation: [labels]},
    "sources": [...]}``; claims about the entity (figures, plans, rivalries) are counted here and
    answered in full by the figures, plans and competitors commands.
    """
    facts: dict[str, list[str]] = {}
    for r in kg.select(lib_query("facts"), focus=entity):
        name = _SHOWN.get(r["p"]) or r["pLabel"] or _local(r["p"])
        if name == "source":
            continue
        value = r["oLabel"] or (_local(r["o"]) if name == "type" else r["o"])
        if value not in facts.setdefault(name, []):
            facts[name].append(value)
    related: dict[str, list[str]] = {}
    for r in kg.select(lib_query("referrers"), focus=entity):
        relation = {"manufacturer": "models", "brand": "models", "brand of": "brands",
                    "segment of": "business segments", "variant of": "variants",
                    "successor of": "successors"}.get(r["pLabel"] or "", r["pLabel"] or _local(r["p"]))
        label = r["sLabel"] or r["s"]
        if label not in related.setdefault(relation, []):
            related[relation].append(label)
    counts = kg.select(lib_query("claim-counts"), focus=entity)
    sources = [{k: v for k, v in r.items() if k != "focus"} for r in kg.select(lib_query("entity-sources"), focus=entity)]
    order = list(_SHOWN.values())
    facts = dict(sorted(facts.items(), key=lambda kv: (order.index(kv[0]) if kv[0] in order else len(order), kv[0])))
    return {
        "iri": entity,
        "label": kg.label(entity),
        "facts": facts,
        "related": related,
        "claims": {"figures_and_plans": counts[0]["figures"] if counts else 0,
                   "competition": counts[0]["competition"] if counts else 0},
        "sources": sources,
    }


def show(kg: KnowledgeGraph, entity: str, *, model: bool = False) -> dict[str, Any]:
    """The answer of ``autokg show`` for an entity: :func:`describe`, with every claim about it
    (``claims_list``) and, for a model (``model=True``), its spec records (``specs``)."""
    from .claims import claims_about
    from .modelfacts import model_facts

    answer = describe(kg, entity)
    facts = model_facts(kg, [entity], prices=False) if model else {}
    answer["specs"] = facts[entity].specs if entity in facts else []
    answer["claims_list"] = claims_about(kg, entity)
    return answer


def _local(iri: str) -> str:
    return iri.rsplit("#", 1)[-1].rsplit("/", 1)[-1]


def stats(kg: KnowledgeGraph) -> dict[str, int]:
    """Counts of makers, models, variants, figures, claims, sources and triples.

    "models" counts base models; variants are counted apart. Claims no person has reviewed are
    left out (unless the graph includes them); "triples" counts everything the store holds.
    """
    out: dict[str, int] = dict(kg.select(lib_query("stats"))[0])
    out["triples"] = len(kg)
    return out
