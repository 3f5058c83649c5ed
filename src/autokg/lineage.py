"""Lineage of models: variants, successors and shared platforms, as a networkx DiGraph.

:func:`lineage_graph` projects the lineage links of a graph (never the whole graph) into a
``networkx.DiGraph`` whose edges point from the elder to the younger: base model -> variant
(``relation="variant"``), predecessor -> successor (``relation="successor"``). Models on the same
platform carry it as a node attribute. The other functions are pure functions of that DiGraph.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from .errors import InputError
from .graph import KnowledgeGraph
from .sparql_lib import lib_query
from .vocab import AKG

if TYPE_CHECKING:
    import networkx as nx

__all__ = ["lineage_graph", "family_of", "ancestors", "descendants", "generations", "platform_mates",
           "family_tree_lines", "maker_models", "lineage", "family"]

#: The kind of each lineage link, as the edges of :func:`lineage_graph` carry it.
LINK_KINDS = {AKG + "variantOf": "variant", AKG + "successorOf": "successor"}


def lineage_graph(kg: KnowledgeGraph) -> nx.DiGraph:
    """Project the lineage of all models into a DiGraph.

    Node attributes: ``label``, ``maker``, ``maker_label``, ``platform``, ``variant_kind``,
    ``status``, ``launch``. Edge attribute: ``relation`` ("variant" or "successor").
    """
    import networkx as nx

    G = nx.DiGraph()
    for r in kg.select(lib_query("models")):
        attrs = G.nodes[r["m"]] if r["m"] in G else {}
        G.add_node(r["m"], label=r["label"], maker=r["maker"], maker_label=r["makerLabel"],
                   platform=r["platformLabel"] or attrs.get("platform"),
                   variant_kind=r["kindLabel"] or attrs.get("variant_kind"),
                   status=r["statusLabel"] or attrs.get("status"), launch=r["launch"] or attrs.get("launch"))
    for r in kg.select(lib_query("lineage-edges")):
        if r["young"] in G and r["old"] in G:
            G.add_edge(r["old"], r["young"], relation=LINK_KINDS[r["link"]])
    return G


def family_of(G: nx.DiGraph, model: str) -> nx.DiGraph:
    """The subgraph of every model linked to ``model`` by lineage, in either direction.

    >>> import networkx as nx
    >>> G = nx.DiGraph([("su7", "su7-l"), ("yu7", "yu7-gt")])
    >>> sorted(family_of(G, "su7-l"))
    ['su7', 'su7-l']
    """
    import networkx as nx

    if model not in G:
        return G.subgraph([]).copy()
    return G.subgraph(nx.node_connected_component(G.to_undirected(as_view=True), model)).copy()


def descendants(G: nx.DiGraph, model: str, *, reverse: bool = False) -> list[str]:
    """Variants and successors of ``model`` (and theirs), nearest first; with ``reverse``, its
    bases and predecessors (as :func:`ancestors`).

    >>> import networkx as nx
    >>> descendants(nx.DiGraph([("su7", "su7-l"), ("su7", "su7-ultra")]), "su7")
    ['su7-l', 'su7-ultra']
    """
    import networkx as nx

    if model not in G:
        return []
    lengths = nx.single_source_shortest_path_length(G.reverse(copy=False) if reverse else G, model)
    return [n for n, _ in sorted(lengths.items(), key=lambda kv: (kv[1], kv[0])) if n != model]


def ancestors(G: nx.DiGraph, model: str) -> list[str]:
    """Bases and predecessors of ``model``, nearest first.

    >>> import networkx as nx
    >>> ancestors(nx.DiGraph([("p7", "p7-new"), ("p7-new", "p7-new-gt")]), "p7-new-gt")
    ['p7-new', 'p7']
    """
    return descendants(G, model, reverse=True)


def generations(G: nx.DiGraph, model: str) -> list[list[str]]:
    """The successor generations of ``model``'s family, oldest first (variants not counted).

    >>> import networkx as nx
    >>> G = nx.DiGraph()
    >>> G.add_edge("p7", "p7-2025", relation="successor")
    >>> G.add_edge("p7-2025", "p7-gt", relation="variant")
    >>> generations(G, "p7-gt")
    [['p7'], ['p7-2025']]
    """
    import networkx as nx

    family = family_of(G, model)
    succession = nx.DiGraph()
    succession.add_nodes_from(n for n in family if not _is_variant(family, n))
    succession.add_edges_from((u, v) for u, v, rel in family.edges(data="relation") if rel == "successor")
    if not nx.is_directed_acyclic_graph(succession):
        cycle = [u for u, _ in nx.find_cycle(succession)]
        names = " > ".join(_label(family, n) for n in [*cycle, cycle[0]])
        raise InputError(f"the data is inconsistent: successor links form a cycle ({names})")
    return [sorted(gen) for gen in nx.topological_generations(succession)]


def platform_mates(G: nx.DiGraph, model: str) -> list[str]:
    """Other models on the same platform as ``model`` (by the ``platform`` node attribute).

    >>> import networkx as nx
    >>> G = nx.DiGraph()
    >>> G.add_nodes_from([("m9", {"platform": "GEA Evo"}), ("e5", {"platform": "GEA Evo"}), ("x", {})])
    >>> platform_mates(G, "m9")
    ['e5']
    """
    platform = G.nodes[model].get("platform") if model in G else None
    if not platform:
        return []
    return sorted(n for n, p in G.nodes(data="platform") if p == platform and n != model)


def _is_variant(G: nx.DiGraph, node: str) -> bool:
    return any(rel == "variant" for _, _, rel in G.in_edges(node, data="relation"))


def family_tree_lines(G: nx.DiGraph, *, roots: list[str] | None = None) -> list[str]:
    """The DiGraph drawn as an indented tree, one model a line.

    >>> import networkx as nx
    >>> G = nx.DiGraph()
    >>> G.add_node("su7", label="Xiaomi SU7")
    >>> G.add_node("su7-l", label="Xiaomi SU7 L", variant_kind="long wheelbase")
    >>> G.add_edge("su7", "su7-l", relation="variant")
    >>> print("\\n".join(family_tree_lines(G)))
    Xiaomi SU7
    └── Xiaomi SU7 L  (variant: long wheelbase)
    """
    if roots is None:
        roots = sorted((n for n in G if G.in_degree(n) == 0), key=lambda n: _label(G, n))
    lines: list[str] = []
    seen: set[str] = set()

    def walk(node: str, prefix: str, connector: str, relation: str | None) -> None:
        text = _label(G, node)
        details = _details(G.nodes[node], relation)
        lines.append(f"{prefix}{connector}{text}{'  (' + details + ')' if details else ''}")
        if node in seen:
            return
        seen.add(node)
        children = sorted(G.successors(node), key=lambda n: (G.edges[node, n].get("relation") != "successor", _label(G, n)))
        child_prefix = prefix + ("    " if connector == "└── " else "│   " if connector else "")
        for i, child in enumerate(children):
            last = i == len(children) - 1
            walk(child, child_prefix, "└── " if last else "├── ", G.edges[node, child].get("relation"))

    for root in roots:
        walk(root, "", "", None)
    return lines


def _label(G: nx.DiGraph, node: str) -> str:
    return G.nodes[node].get("label") or node


def _details(attrs: dict[str, Any], relation: str | None) -> str:
    parts = []
    if relation == "variant":
        parts.append("variant" + (f": {attrs['variant_kind']}" if attrs.get("variant_kind") else ""))
    elif relation == "successor":
        parts.append("successor")
    if attrs.get("status") and attrs["status"] != "on sale":
        parts.append(attrs["status"])
    if attrs.get("platform"):
        parts.append(f"platform: {attrs['platform']}")
    return "; ".join(parts)


# Answers -------------------------------------------------------------------------------------

def maker_models(kg: KnowledgeGraph, maker: str) -> set[str]:
    """The models and variants of a maker (an IRI), under its name or its brands'."""
    return {r["m"] for r in kg.select(lib_query("maker-models"), focus=maker)}


def lineage(kg: KnowledgeGraph, model: str) -> dict[str, Any]:
    """The answer of ``autokg lineage``: the family of ``model`` (an IRI), its bases and
    predecessors, variants and successors, generations, platform and platform mates.

    ``"tree"`` is the family drawn as an indented tree, one model a line.
    """
    G = lineage_graph(kg)
    family = family_of(G, model)

    def label(n: str) -> str:
        return _label(G, n)

    return {
        "model": {"iri": model, "label": kg.label(model)},
        "ancestors": [{"iri": n, "label": label(n)} for n in ancestors(G, model)],
        "descendants": [{"iri": n, "label": label(n)} for n in descendants(G, model)],
        "generations": [[label(n) for n in gen] for gen in generations(G, model)] if len(family) else [],
        "edges": [{"from": label(a), "to": label(b), "relation": rel} for a, b, rel in family.edges(data="relation")],
        "platform": G.nodes[model].get("platform") if model in G else None,
        "platform_mates": [{"iri": n, "label": label(n)} for n in platform_mates(G, model)],
        "tree": family_tree_lines(family) if family.number_of_edges() else [],
    }


def family(kg: KnowledgeGraph, maker: str) -> dict[str, Any]:
    """The answer of ``autokg family``: every model of ``maker`` (an IRI) with what it is a variant
    or successor of, and ``"tree"``, the models drawn as a family tree."""
    sub = lineage_graph(kg).subgraph(maker_models(kg, maker)).copy()

    def parents(n: str, relation: str) -> str:
        return ", ".join(_label(sub, p) for p in sub.predecessors(n) if sub.edges[p, n]["relation"] == relation)

    models = [{"model": d.get("label", n), "iri": n, "variant_of": parents(n, "variant"),
               "successor_of": parents(n, "successor"), "status": d.get("status"), "variant_kind": d.get("variant_kind")}
              for n, d in sorted(sub.nodes(data=True), key=lambda nd: nd[1].get("label", nd[0]))]
    return {"maker": {"iri": maker, "label": kg.label(maker)}, "models": models, "tree": family_tree_lines(sub)}
