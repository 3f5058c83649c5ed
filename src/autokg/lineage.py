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

if TYPE_CHECKING:
    import networkx as nx

__all__ = ["lineage_graph", "family_of", "ancestors", "descendants", "generations", "platform_mates",
           "family_tree_lines"]

_EDGES_QUERY = """
SELECT ?young ?relation ?old WHERE {
  { ?young akg:variantOf ?old . BIND("variant" AS ?relation) }
  UNION
  { ?young akg:successorOf ?old . BIND("successor" AS ?relation) }
}
"""

_NODES_QUERY = """
SELECT ?m ?label ?maker ?makerLabel ?platformLabel ?kindLabel ?statusLabel ?launch WHERE {
  ?m a ?class ; rdfs:label ?label .
  VALUES ?class { akg:VehicleModel akg:Variant }
  OPTIONAL { ?m akg:manufacturer ?maker . ?maker rdfs:label ?makerLabel }
  OPTIONAL { ?m akg:platform/rdfs:label ?platformLabel }
  OPTIONAL { ?m akg:variantKind/skos:prefLabel ?kindLabel }
  OPTIONAL { ?m akg:status/skos:prefLabel ?statusLabel }
  OPTIONAL { ?m akg:launchDate ?launch }
}
"""


def lineage_graph(kg: KnowledgeGraph, *, maker: str | None = None) -> nx.DiGraph:
    """Project the lineage of all models (or of one maker's, given its IRI) into a DiGraph.

    Node attributes: ``label``, ``maker``, ``maker_label``, ``platform``, ``variant_kind``,
    ``status``, ``launch``. Edge attribute: ``relation`` ("variant" or "successor").
    """
    import networkx as nx

    G = nx.DiGraph()
    for r in kg.select(_NODES_QUERY):
        if maker is not None and r["maker"] != maker:
            continue
        attrs = G.nodes[r["m"]] if r["m"] in G else {}
        G.add_node(r["m"], label=r["label"], maker=r["maker"], maker_label=r["makerLabel"],
                   platform=r["platformLabel"] or attrs.get("platform"),
                   variant_kind=r["kindLabel"] or attrs.get("variant_kind"),
                   status=r["statusLabel"] or attrs.get("status"), launch=r["launch"] or attrs.get("launch"))
    for r in kg.select(_EDGES_QUERY):
        if r["young"] in G and r["old"] in G:
            G.add_edge(r["old"], r["young"], relation=r["relation"])
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


def ancestors(G: nx.DiGraph, model: str) -> list[str]:
    """Bases and predecessors of ``model``, nearest first.

    >>> import networkx as nx
    >>> ancestors(nx.DiGraph([("p7", "p7-new"), ("p7-new", "p7-new-gt")]), "p7-new-gt")
    ['p7-new', 'p7']
    """
    import networkx as nx

    if model not in G:
        return []
    lengths = nx.single_source_shortest_path_length(G.reverse(copy=False), model)
    return [n for n, _ in sorted(lengths.items(), key=lambda kv: (kv[1], kv[0])) if n != model]


def descendants(G: nx.DiGraph, model: str) -> list[str]:
    """Variants and successors of ``model`` (and theirs), nearest first.

    >>> import networkx as nx
    >>> descendants(nx.DiGraph([("su7", "su7-l"), ("su7", "su7-ultra")]), "su7")
    ['su7-l', 'su7-ultra']
    """
    import networkx as nx

    if model not in G:
        return []
    lengths = nx.single_source_shortest_path_length(G, model)
    return [n for n, _ in sorted(lengths.items(), key=lambda kv: (kv[1], kv[0])) if n != model]


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
