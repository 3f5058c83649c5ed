"""What each entity page shows, as a dict for its template (pictures included), cached per entity."""

from __future__ import annotations

from typing import Any

from .charts import figure_charts
from .data import Explorer
from ..pictures import family_tree_svg, rivalry_map_svg
from .urls import local_name, page_path

__all__ = ["maker_view", "model_view", "entity_view", "entity_json"]

#: Facts the model page lists as specs (the rest are shown as facts).
SPEC_FACTS = ("body style", "segment", "powertrain", "platform", "launch date", "market", "status", "variant kind",
              "battery capacity", "range", "price")
_HIDDEN_FACTS = ("label", "comment", "positioned against", "rival of", "resembles", "source")


def _base(explorer: Explorer, found: Any) -> dict[str, Any]:
    info = explorer.describe(found.iri)
    local = local_name(found.iri) or ""
    return {"entity": found, "info": info, "comment": (info["facts"].get("comment") or [None])[0],
            "local": local, "sources": info["sources"],
            "data_links": [{"format": f, "href": f"/data/{local}.{f}"} for f in ("ttl", "jsonld", "nt", "json")]}


def _model_page(iri: str) -> str:
    return page_path(iri, "model")


def maker_view(explorer: Explorer, found: Any) -> dict[str, Any]:
    def make() -> dict[str, Any]:
        view = _base(explorer, found)
        tree = explorer.family_tree(found.iri)
        figures = explorer.figures(found.iri)
        plans = explorer.plans(found.iri)
        view.update(
            family_svg=family_tree_svg(tree, title=f"Family tree of {found.label}", href=_model_page),
            models=sorted(({"iri": n, "label": d.get("label") or n, "status": d.get("status"),
                            "kind": d.get("variant_kind")} for n, d in tree.nodes(data=True)),
                          key=lambda m: m["label"].casefold()),
            charts=figure_charts(figures["rows"], found.iri),
            figures=[r for r in figures["rows"] if r["type"] == "figure"],
            estimates=explorer.best_estimates(found.iri),
            targets=plans["targets"], versus=figures["targets_vs_actual"], growth=figures["growth"],
            launches=plans["launches"], market_entries=plans["market_entries"], strategies=plans["strategies"],
        )
        return view
    return explorer._cached(("maker-view", found.iri), make)


def _specs(info: dict[str, Any]) -> tuple[list[tuple[str, list[str]]], list[tuple[str, list[str]]]]:
    specs = [(k, v) for k, v in info["facts"].items() if k in SPEC_FACTS]
    facts = [(k, v) for k, v in info["facts"].items() if k not in SPEC_FACTS and k not in _HIDDEN_FACTS]
    return specs, facts


def model_view(explorer: Explorer, found: Any) -> dict[str, Any]:
    def make() -> dict[str, Any]:
        view = _base(explorer, found)
        info = view["info"]
        rivals = explorer.rivals(found.iri)
        maker = explorer.maker_of(found.iri)
        centre = {"iri": found.iri, "label": found.label, "maker": maker, "status": explorer._status(found.iri)}
        links = explorer.rival_links([r["iri"] for r in rivals["claimed"]])
        specs, facts = _specs(info)
        figures = explorer.figures(found.iri)
        view.update(
            maker=maker, maker_iri=found.maker, status=centre["status"],
            specs=specs, facts=facts, related=info["related"],
            lineage_svg=family_tree_svg(explorer.model_tree(found.iri), title=f"Lineage of {found.label}",
                                        href=_model_page),
            rivals=rivals["claimed"], inferred=rivals["inferred"][:10], ranking=rivals["ranking"],
            rivalry_svg=rivalry_map_svg(centre, rivals["claimed"], links, title=f"Rivals of {found.label}",
                                        href=_model_page),
            charts=figure_charts(figures["rows"], found.iri),
            figures=[r for r in figures["rows"] if r["type"] == "figure"],
            estimates=explorer.best_estimates(found.iri),
            fact_sources=explorer.own_sources(found.iri),
        )
        return view
    return explorer._cached(("model-view", found.iri), make)


def entity_view(explorer: Explorer, found: Any) -> dict[str, Any]:
    def make() -> dict[str, Any]:
        view = _base(explorer, found)
        specs, facts = _specs(view["info"])
        view.update(facts=specs + facts, related=view["info"]["related"], fact_sources=explorer.own_sources(found.iri),
                    figures=[r for r in explorer.figures(found.iri)["rows"] if r["type"] == "figure"])
        return view
    return explorer._cached(("entity-view", found.iri), make)


def entity_json(explorer: Explorer, iri: str) -> dict[str, Any]:
    """The entity as JSON: what ``autokg show`` gives, plus figures, rivals or family by kind."""
    found = explorer.entity(iri)
    doc: dict[str, Any] = dict(explorer.describe(iri))
    doc["kind"] = found.kind if found else None
    doc["figures"] = explorer.figures(iri)["rows"]
    if found and found.kind == "model":
        rivals = explorer.rivals(iri)
        doc["rivals"] = [{k: v for k, v in r.items()} for r in rivals["claimed"]]
        doc["inferred_rivals"] = rivals["inferred"]
    if found and found.kind in ("maker", "brand"):
        doc["plans"] = explorer.plans(iri)
        doc["models"] = sorted(explorer.family_tree(iri).nodes)
    return doc
