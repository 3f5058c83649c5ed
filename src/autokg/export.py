"""Exports of model-family graphs: RDF (ttl, nt, jsonld), graph formats (graphml, gexf, dot,
mermaid, networkx node-link json) and a picture (svg: the family tree the web explorer draws).

What is exported is a set of models: a maker's family (``family``), one model's lineage family
(``model``) or every model (``all``). RDF exports carry the models, their makers, the claims
about them and those claims' sources; graph exports carry the models as nodes and lineage and
competition as edges, each edge with its relation and sources. :func:`autokg.outputs.write_atomically`
writes them, so a failed export leaves no half file.
"""

from __future__ import annotations

import enum
import json
import re
from pathlib import Path
from typing import TYPE_CHECKING

import pyoxigraph as ox

from .errors import InputError
from .graph import REJECTED, UNREVIEWED, KnowledgeGraph
from .lineage import family_of, lineage_graph, maker_models
from .sparql_lib import lib_query
from .rdfio import serialize
from .terminal import printable
from .vocab import AKG, PREFIXES, RELATIONS

if TYPE_CHECKING:
    import networkx as nx

__all__ = ["ExportFormat", "model_family", "export_rdf", "export_network", "export",
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
    SVG = "svg"

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


def model_family(kg: KnowledgeGraph, model: str) -> set[str]:
    """A model and every model linked to it by variant or successor links, either way."""
    return set(family_of(lineage_graph(kg), model)) or {model}


_RDF_FORMATS = {
    ExportFormat.TTL: ox.RdfFormat.TURTLE,
    ExportFormat.NT: ox.RdfFormat.N_TRIPLES,
}


def _left_out_claims(kg: KnowledgeGraph) -> set[str]:
    """Claims an export leaves out, as the answers do: rejected ones always, and those `autokg
    ingest` extracted and no person reviewed unless the graph includes them."""
    statuses = [REJECTED] + ([] if getattr(kg, "include_unreviewed", False) else [UNREVIEWED])
    return {t.subject.value for status in statuses
            for t in kg.match(None, AKG + "reviewStatus", ox.NamedNode(status))}


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
    subjects |= claims - _left_out_claims(kg)
    sources = {t.object.value for iri in subjects for t in kg.match(iri, AKG + "source")}
    subjects |= sources
    return [t for iri in sorted(subjects) for t in kg.triples_about(iri)]


def export_rdf(kg: KnowledgeGraph, models: set[str] | None, fmt: ExportFormat) -> bytes:
    """Serialise the models' subgraph (or, with ``models=None``, the whole graph)."""
    if models is None:
        left_out = _left_out_claims(kg)
        triples = [t for t in kg.triples() if t.subject.value not in left_out]
    else:
        triples = _subgraph_triples(kg, models)
    if fmt in _RDF_FORMATS:
        return serialize(triples, _RDF_FORMATS[fmt])
    # JSON-LD as pyoxigraph writes it (expanded: every IRI whole), under an @context of the
    # project's prefixes for readers who compact it. rdflib's compacting writer is not used: it
    # drops an empty-string literal when the property has other values (found by bench/fuzz.py).
    expanded = json.loads(ox.serialize(triples, format=ox.RdfFormat.JSON_LD))
    document = {"@context": dict(PREFIXES), "@graph": expanded}
    return (json.dumps(document, indent=2, ensure_ascii=False) + "\n").encode("utf-8")


def export_network(kg: KnowledgeGraph, models: set[str] | None) -> nx.MultiDiGraph:
    """The models as a networkx MultiDiGraph: lineage and competition edges with relation and sources.

    Every attribute is a string, so that GraphML and GEXF can hold it; several sources of one
    edge are joined with a space.
    """
    import networkx as nx

    edges: dict[tuple[str, str, str], set[str]] = {}
    for r in kg.select(lib_query("lineage-edges")):
        edges.setdefault((r["young"], r["old"], RELATIONS[r["link"]][0]), set())
    for r in kg.select(lib_query("competition-edges")):
        urls = edges.setdefault((r["a"], r["b"], RELATIONS[r["class"]][0]), set())
        if r["url"]:
            urls.add(r["url"])
    wanted = None
    if models is not None:
        # A family's rivals of other makers come along as nodes outside the family.
        wanted = set(models)
        for a, b, relation in edges:
            if relation not in ("variant of", "successor of") and (a in models or b in models):
                wanted.update((a, b))
    G = nx.MultiDiGraph()
    for r in kg.select(lib_query("models")):
        if wanted is not None and r["m"] not in wanted:
            continue
        attrs = G.nodes[r["m"]] if r["m"] in G else {}

        def merge(key: str, value: str | None) -> str:
            values = [v for v in (attrs.get(key) or "").split("; ") if v]
            if value and value not in values:
                values.append(value)
            return "; ".join(values)

        kind = "variant" if r["class"] == AKG + "Variant" else "model"
        G.add_node(r["m"], label=r["label"], maker=r["makerLabel"] or "",
                   kind="variant" if "variant" in (attrs.get("kind"), kind) else "model",
                   body_style=merge("body_style", r["bodyLabel"]), powertrain=merge("powertrain", r["ptLabel"]),
                   status=merge("status", r["statusLabel"]),
                   in_family="yes" if models is None or r["m"] in models else "no")
    for (a, b, relation), urls in sorted(edges.items()):
        if a in G and b in G and (models is None or a in models or b in models):
            G.add_edge(a, b, key=relation, relation=relation, sources=" ".join(sorted(urls)))
    return G


#: Words Mermaid reads as statements where a node's name starts a line.
_MERMAID_WORDS = ("end", "click", "style", "class", "linkstyle", "subgraph", "graph", "flowchart", "direction", "call",
                  "href")


def _node_ids(G: nx.MultiDiGraph) -> dict[str, str]:
    """A short name of letters, digits and ``_`` for every node (the IRI's last part), one per node.

    Nothing of an IRI but these characters reaches a DOT or Mermaid file, so that no IRI can
    end a statement; a name two IRIs would share gets a hash of the IRI.
    """
    import hashlib

    def short(iri: str) -> str:
        name = re.sub(r"[^A-Za-z0-9_]", "_", iri.rsplit("/", 1)[-1]) or "node"
        return f"n_{name}" if name.lower().startswith(_MERMAID_WORDS) else name

    names = {node: short(node) for node in sorted(G.nodes)}
    counts: dict[str, int] = {}
    for name in names.values():
        counts[name] = counts.get(name, 0) + 1
    return {node: name if counts[name] == 1 else f"{name}_{hashlib.sha1(node.encode()).hexdigest()[:8]}"
            for node, name in names.items()}


def _dot_string(text: str) -> str:
    r"""A DOT quoted string: backslashes and quotes escaped, a line break as DOT's ``\n``.

    >>> print(_dot_string('a "b"\nc\\'))
    "a \"b\"\nc\\"
    """
    text = printable(text).replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n").replace("\t", " ")
    return f'"{text}"'


def _mermaid_text(text: str) -> str:
    """A Mermaid quoted label: quotes and angle brackets as entity codes, a line break as a space."""
    text = printable(text).replace("\n", " ").replace("\t", " ")
    return text.replace("#", "#35;").replace('"', "#quot;").replace("<", "#lt;").replace(">", "#gt;")


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
    ids = _node_ids(G)
    lines = ["digraph autokg {", "  rankdir=LR;", "  node [shape=box];"]
    for node, attrs in sorted(G.nodes(data=True)):
        lines.append(f'  "{ids[node]}" [label={_dot_string(attrs.get("label", node))}];')
    for a, b, attrs in sorted(G.edges(data=True), key=lambda e: (e[0], e[1], e[2].get("relation", ""))):
        rel = attrs.get("relation", "")
        style = "solid" if rel in ("variant of", "successor of") else "dashed"
        lines.append(f'  "{ids[a]}" -> "{ids[b]}" [label={_dot_string(rel)}, style={style}];')
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
    ids = _node_ids(G)
    lines = ["flowchart LR"]
    for node, attrs in sorted(G.nodes(data=True)):
        lines.append(f'  {ids[node]}["{_mermaid_text(attrs.get("label", node))}"]')
    for a, b, attrs in sorted(G.edges(data=True), key=lambda e: (e[0], e[1], e[2].get("relation", ""))):
        rel = _mermaid_text(attrs.get("relation", ""))
        arrow = f'-- "{rel}" -->' if rel in ("variant of", "successor of") else f'-. "{rel}" .->'
        lines.append(f"  {ids[a]} {arrow} {ids[b]}")
    return "\n".join(lines)


#: Characters XML 1.0 cannot hold: a label with one would make GraphML or GEXF unreadable.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff\ud800-\udfff]")


def _xml_safe(G: nx.MultiDiGraph) -> nx.MultiDiGraph:
    """A copy of ``G`` whose text attributes hold only characters XML can (GraphML, GEXF)."""
    def clean(attrs: dict) -> None:
        for key, value in attrs.items():
            if isinstance(value, str):
                attrs[key] = _NOT_XML.sub("", value)

    G = G.copy()
    for _, attrs in G.nodes(data=True):
        clean(attrs)
    for _, _, attrs in G.edges(data=True):
        clean(attrs)
    return G


def export_network_bytes(G: nx.MultiDiGraph, fmt: ExportFormat) -> bytes:
    import networkx as nx

    if fmt is ExportFormat.DOT:
        return (to_dot(G) + "\n").encode("utf-8")
    if fmt is ExportFormat.MERMAID:
        return (to_mermaid(G) + "\n").encode("utf-8")
    if fmt is ExportFormat.JSON:
        data = nx.node_link_data(G, edges="links")
        return (json.dumps(data, indent=2, ensure_ascii=False, sort_keys=True) + "\n").encode("utf-8")
    G = _xml_safe(G)
    lines = nx.generate_graphml(G) if fmt is ExportFormat.GRAPHML else nx.generate_gexf(G)
    return ("\n".join(lines) + "\n").encode("utf-8")


def export(kg: KnowledgeGraph, *, fmt: ExportFormat, family: str | None = None, model: str | None = None) -> bytes:
    """The answer of ``autokg export``, as bytes in ``fmt``: the models of the maker ``family``, the
    lineage family of ``model`` (IRIs), or, with neither, everything."""
    if family and model:
        raise InputError("export either a maker's family or a model's, not both")
    models = maker_models(kg, family) if family else model_family(kg, model) if model else None
    if fmt is ExportFormat.SVG:
        from .pictures import family_tree_svg

        tree = lineage_graph(kg)
        tree = tree.subgraph(models).copy() if models is not None else tree
        what = f"Family tree of {kg.label(family)}" if family else f"Lineage of {kg.label(model)}" if model else "Every model"
        return (family_tree_svg(tree, title=what) + "\n").encode("utf-8")
    if fmt.is_rdf:
        return export_rdf(kg, models, fmt)
    return export_network_bytes(export_network(kg, models), fmt)


def check_format(fmt: str) -> ExportFormat:
    try:
        return ExportFormat(fmt)
    except ValueError:
        raise InputError(f"unknown export format {fmt!r}; choose one of: {', '.join(f.value for f in ExportFormat)}") from None
