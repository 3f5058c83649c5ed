"""Exports of model-family graphs: RDF (ttl, nt, jsonld) and graph formats (graphml, gexf, dot,
mermaid, networkx node-link json).

What is exported is a set of models: a maker's family (``family``), one model's lineage family
(``model``) or every model (``all``). RDF exports carry the models, their makers, the claims
about them and those claims' sources; graph exports carry the models as nodes and lineage and
competition as edges, each edge with its relation and sources. :func:`autokg.rdfio.write_atomically`
writes them, so a failed export leaves no half file.
"""

from __future__ import annotations

import enum
import json
from pathlib import Path
from typing import TYPE_CHECKING

import pyoxigraph as ox

from .errors import InputError
from .graph import KnowledgeGraph
from .rdfio import serialize
from .vocab import AKG, PREFIXES

if TYPE_CHECKING:
    import networkx as nx

__all__ = ["ExportFormat", "family_models", "model_family", "export_rdf", "export_network", "export",
           "to_dot", "to_mermaid", "check_format"]


class ExportFormat(str, enum.Enum):
    """Formats of ``autokg export``."""

    TTL = "ttl"
    NT = "nt"
    JSONLD = "jsonld"
    GRAPHML = "graphml"
    GEXF = "gexf"
    DOT = "dot"
    MERMAID = "mermaid"
    JSON = "json"

    @property
    def is_rdf(self) -> bool:
        return self in (ExportFormat.TTL, ExportFormat.NT, ExportFormat.JSONLD)

    @classmethod
    def from_extension(cls, path: str) -> ExportFormat | None:
        """The format a file name suggests, if any.

        >>> ExportFormat.from_extension("family.graphml")
        <ExportFormat.GRAPHML: 'graphml'>
        """
        suffix = Path(path).suffix.lower().lstrip(".")
        aliases = {"turtle": "ttl", "json-ld": "jsonld", "gv": "dot", "mmd": "mermaid"}
        try:
            return cls(aliases.get(suffix, suffix))
        except ValueError:
            return None


_MODELS_OF_MAKER = """
SELECT DISTINCT ?m ?focus WHERE {
  { ?m akg:manufacturer ?focus } UNION { ?m akg:brand ?focus } UNION { ?m akg:brand/akg:brandOf ?focus }
}
"""


def family_models(kg: KnowledgeGraph, maker: str) -> set[str]:
    """The models and variants of a maker (an IRI), under its name or its brands'."""
    return {r["m"] for r in kg.select(_MODELS_OF_MAKER, focus=maker)}


def model_family(kg: KnowledgeGraph, model: str) -> set[str]:
    """A model and every model linked to it by variant or successor links, either way."""
    from .lineage import family_of, lineage_graph

    return set(family_of(lineage_graph(kg), model)) or {model}


_RDF_FORMATS = {
    ExportFormat.TTL: ox.RdfFormat.TURTLE,
    ExportFormat.NT: ox.RdfFormat.N_TRIPLES,
}


def _subgraph_triples(kg: KnowledgeGraph, models: set[str]) -> list[ox.Triple]:
    """The models, their makers and brands, the claims about them and the claims' sources."""
    # Links to entities outside the set (a rival of another maker) are kept as links; the
    # entity's own description is not exported.
    subjects: set[str] = set(models)
    for model in models:
        for pred in ("manufacturer", "brand"):
            subjects.update(t.object.value for t in kg.match(model, AKG + pred))
    claims: set[str] = set()
    for iri in list(subjects):
        for pred in ("subject", "competitor", "plannedModel"):
            claims.update(t.subject.value for t in kg.match(None, AKG + pred, ox.NamedNode(iri)))
        claims.update(t.object.value for t in kg.match(iri, AKG + "qualifiedCompetition"))
    subjects |= claims
    sources = {t.object.value for iri in subjects for t in kg.match(iri, AKG + "source")}
    subjects |= sources
    return [t for iri in sorted(subjects) for t in kg.triples_about(iri)]


def export_rdf(kg: KnowledgeGraph, models: set[str] | None, fmt: ExportFormat) -> bytes:
    """Serialise the models' subgraph (or, with ``models=None``, the whole graph)."""
    if models is None:
        triples = list(kg.triples())
    else:
        triples = _subgraph_triples(kg, models)
    if fmt in _RDF_FORMATS:
        return serialize(triples, _RDF_FORMATS[fmt])
    # JSON-LD through rdflib, which compacts it with the project's prefixes as the context.
    import rdflib

    graph = rdflib.Graph()
    graph.parse(data=ox.serialize(triples, format=ox.RdfFormat.N_TRIPLES).decode("utf-8"), format="nt")
    context = dict(PREFIXES)
    return graph.serialize(format="json-ld", context=context, indent=2).encode("utf-8")


_EDGES = """
SELECT ?a ?b ?relation ?url WHERE {
  {
    ?a akg:variantOf ?b . BIND("variant of" AS ?relation)
  } UNION {
    ?a akg:successorOf ?b . BIND("successor of" AS ?relation)
  } UNION {
    ?a akg:qualifiedCompetition ?claim . ?claim a ?class ; akg:competitor ?b .
    VALUES (?class ?relation) { (akg:PositioningClaim "positioned against") (akg:RivalryClaim "rival of")
                                (akg:ResemblanceClaim "resembles") }
    OPTIONAL { ?claim akg:source/akg:url ?url }
  }
}
"""

_NODES = """
SELECT ?m ?label ?maker ?body ?powertrain ?status ?kind WHERE {
  ?m a ?class ; rdfs:label ?label . VALUES ?class { akg:VehicleModel akg:Variant }
  BIND(IF(?class = akg:Variant, "variant", "model") AS ?kind)
  OPTIONAL { ?m akg:manufacturer/rdfs:label ?maker }
  OPTIONAL { ?m akg:bodyStyle/skos:prefLabel ?body }
  OPTIONAL { ?m akg:powertrain/skos:prefLabel ?powertrain }
  OPTIONAL { ?m akg:status/skos:prefLabel ?status }
}
"""


def export_network(kg: KnowledgeGraph, models: set[str] | None) -> nx.MultiDiGraph:
    """The models as a networkx MultiDiGraph: lineage and competition edges with relation and sources.

    Every attribute is a string, so that GraphML and GEXF can hold it; several sources of one
    edge are joined with a space.
    """
    import networkx as nx

    edges: dict[tuple[str, str, str], set[str]] = {}
    for r in kg.select(_EDGES):
        edges.setdefault((r["a"], r["b"], r["relation"]), set())
        if r["url"]:
            edges[(r["a"], r["b"], r["relation"])].add(r["url"])
    wanted = None
    if models is not None:
        # A family's rivals of other makers come along as nodes outside the family.
        wanted = set(models)
        for a, b, relation in edges:
            if relation not in ("variant of", "successor of") and (a in models or b in models):
                wanted.update((a, b))
    G = nx.MultiDiGraph()
    for r in kg.select(_NODES):
        if wanted is not None and r["m"] not in wanted:
            continue
        attrs = G.nodes[r["m"]] if r["m"] in G else {}

        def merge(key: str, value: str | None) -> str:
            values = [v for v in (attrs.get(key) or "").split("; ") if v]
            if value and value not in values:
                values.append(value)
            return "; ".join(values)

        G.add_node(r["m"], label=r["label"], maker=r["maker"] or "",
                   kind="variant" if "variant" in (attrs.get("kind"), r["kind"]) else "model",
                   body_style=merge("body_style", r["body"]), powertrain=merge("powertrain", r["powertrain"]),
                   status=merge("status", r["status"]),
                   in_family="yes" if models is None or r["m"] in models else "no")
    for (a, b, relation), urls in sorted(edges.items()):
        if a in G and b in G and (models is None or a in models or b in models):
            G.add_edge(a, b, key=relation, relation=relation, sources=" ".join(sorted(urls)))
    return G


def _short(iri: str) -> str:
    return iri.rsplit("/", 1)[-1].replace("-", "_")


def to_dot(G: nx.MultiDiGraph) -> str:
    """Graphviz DOT: models as boxes, lineage solid, competition dashed.

    >>> import networkx as nx
    >>> G = nx.MultiDiGraph(); G.add_node("id/a", label="A"); G.add_node("id/b", label="B")
    >>> _ = G.add_edge("id/a", "id/b", relation="variant of")
    >>> print(to_dot(G))
    digraph autokg {
      rankdir=LR;
      node [shape=box];
      "a" [label="A"];
      "b" [label="B"];
      "a" -> "b" [label="variant of", style=solid];
    }
    """
    def q(text: str) -> str:
        return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'

    lines = ["digraph autokg {", "  rankdir=LR;", "  node [shape=box];"]
    for node, attrs in sorted(G.nodes(data=True)):
        lines.append(f"  {q(_short(node))} [label={q(attrs.get('label', node))}];")
    for a, b, attrs in sorted(G.edges(data=True), key=lambda e: (e[0], e[1], e[2].get("relation", ""))):
        rel = attrs.get("relation", "")
        style = "solid" if rel in ("variant of", "successor of") else "dashed"
        lines.append(f"  {q(_short(a))} -> {q(_short(b))} [label={q(rel)}, style={style}];")
    lines.append("}")
    return "\n".join(lines)


def to_mermaid(G: nx.MultiDiGraph) -> str:
    """A Mermaid flowchart: lineage as solid arrows, competition as dotted ones.

    >>> import networkx as nx
    >>> G = nx.MultiDiGraph(); G.add_node("id/a", label="A"); G.add_node("id/b", label="B")
    >>> _ = G.add_edge("id/a", "id/b", relation="rival of")
    >>> print(to_mermaid(G))
    flowchart LR
      a["A"]
      b["B"]
      a -. "rival of" .-> b
    """
    def label(text: str) -> str:
        return text.replace('"', "#quot;")

    lines = ["flowchart LR"]
    for node, attrs in sorted(G.nodes(data=True)):
        lines.append(f'  {_short(node)}["{label(attrs.get("label", node))}"]')
    for a, b, attrs in sorted(G.edges(data=True), key=lambda e: (e[0], e[1], e[2].get("relation", ""))):
        rel = attrs.get("relation", "")
        arrow = f'-- "{rel}" -->' if rel in ("variant of", "successor of") else f'-. "{rel}" .->'
        lines.append(f"  {_short(a)} {arrow} {_short(b)}")
    return "\n".join(lines)


def export_network_bytes(G: nx.MultiDiGraph, fmt: ExportFormat) -> bytes:
    import networkx as nx

    if fmt is ExportFormat.DOT:
        return (to_dot(G) + "\n").encode("utf-8")
    if fmt is ExportFormat.MERMAID:
        return (to_mermaid(G) + "\n").encode("utf-8")
    if fmt is ExportFormat.JSON:
        data = nx.node_link_data(G, edges="links")
        return (json.dumps(data, indent=2, ensure_ascii=False, sort_keys=True) + "\n").encode("utf-8")
    lines = nx.generate_graphml(G) if fmt is ExportFormat.GRAPHML else nx.generate_gexf(G)
    return ("\n".join(lines) + "\n").encode("utf-8")


def export(kg: KnowledgeGraph, *, models: set[str] | None, fmt: ExportFormat) -> bytes:
    """The export of ``models`` (None: everything) in ``fmt``, as bytes."""
    if fmt.is_rdf:
        return export_rdf(kg, models, fmt)
    return export_network_bytes(export_network(kg, models), fmt)


def check_format(fmt: str) -> ExportFormat:
    try:
        return ExportFormat(fmt)
    except ValueError:
        raise InputError(f"unknown export format {fmt!r}; choose one of: {', '.join(f.value for f in ExportFormat)}") from None
