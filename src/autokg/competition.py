"""Competition between models: sourced claims, networkx projections of them, and inferred rivals.

Claimed competition comes from competition claim nodes (positioning, rivalry, resemblance), each
with its basis and source. :func:`direct_rivals` answers from SPARQL alone; the graph questions
(rivals within k steps, clusters, the chain between two models) run on a small networkx
projection built by :func:`competition_graph`. Inferred rivals (same body style and segment,
overlapping markets) are computed from model attributes and always reported apart, with the
reason, never mixed with claimed ones.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import asdict, dataclass, field
from typing import TYPE_CHECKING, Any

from .graph import KnowledgeGraph
from .sparql_lib import lib_query
from .vocab import AKG, CONCEPT, RELATIONS

if TYPE_CHECKING:  # networkx is imported only by the functions that need it
    import networkx as nx

__all__ = [
    "CompetitionClaim",
    "competition_claims",
    "direct_rivals",
    "competition_graph",
    "rivals_within",
    "rival_clusters",
    "rival_chain",
    "InferredRival",
    "inferred_rivals",
    "competitors",
    "clusters",
]


@dataclass(frozen=True)
class CompetitionClaim:
    """One sourced competition claim: ``subject`` is positioned against / rivals / resembles ``other``."""

    claim: str
    kind: str  # PositioningClaim, RivalryClaim or ResemblanceClaim
    subject: str
    subject_label: str
    other: str
    other_label: str
    basis: str | None = None
    claim_kind: str | None = None
    note: str | None = None
    stated_on: str | None = None
    source: str | None = None
    publisher: str | None = None
    url: str | None = None
    published: str | None = None

    def relation_from(self, model: str) -> str:
        """How the claim reads from ``model``'s side ("positioned against", "resembled by" ...)."""
        forward, backward = RELATIONS[AKG + self.kind]
        return forward if model == self.subject else backward


def _claims(rows: Iterable[dict[str, Any]]) -> list[CompetitionClaim]:
    """One CompetitionClaim per claim node; a claim with several bases lists them all, and one
    with several sources keeps the first by URL, so that every store gives the same answer."""
    grouped: dict[str, list[dict[str, Any]]] = {}
    for r in rows:
        grouped.setdefault(r["claim"], []).append(r)
    claims = []
    for claim, group in grouped.items():
        group.sort(key=lambda r: (r["url"] or "", r["source"] or ""))
        r = group[0]
        bases = sorted({g["basis"] for g in group if g["basis"]})
        claims.append(CompetitionClaim(
            claim=claim, kind=r["type"].rsplit("#", 1)[1], subject=r["subject"],
            subject_label=r["subjectLabel"] or r["subject"], other=r["other"],
            other_label=r["otherLabel"] or r["other"], basis=", ".join(bases) or None, claim_kind=r["claimKind"],
            note=r["note"], stated_on=r["statedOn"], source=r["source"], publisher=r["publisher"],
            url=r["url"], published=r["published"],
        ))
    return sorted(claims, key=lambda c: (c.subject_label, c.other_label, c.published or "", c.claim))


def competition_claims(kg: KnowledgeGraph, model: str | None = None) -> list[CompetitionClaim]:
    """Every competition claim, or those in which ``model`` (an IRI) is either side."""
    if model is None:
        return _claims(kg.select(lib_query("competition-claims")))
    # The model is bound as a value, never pasted into the query.
    return _claims(kg.select(lib_query("competition-claims-of"), focus=model))


def direct_rivals(kg: KnowledgeGraph, model: str) -> list[dict[str, Any]]:
    """The claimed rivals of ``model``: one row per claim, read from the model's side."""
    rows = []
    for c in competition_claims(kg, model):
        rival, rival_label = (c.other, c.other_label) if c.subject == model else (c.subject, c.subject_label)
        rows.append({
            "rival": rival_label, "rival_iri": rival, "relation": c.relation_from(model),
            "basis": c.basis, "claim_kind": c.claim_kind, "publisher": c.publisher, "url": c.url,
            "published": c.published, "note": c.note, "claim": c.claim,
        })
    return sorted(rows, key=lambda r: (r["rival"], r["relation"], r["published"] or "", r["claim"]))


def competition_graph(claims: Iterable[CompetitionClaim]) -> nx.Graph:
    """Project competition claims into an undirected networkx graph.

    Nodes are model IRIs with a ``label``; each edge carries ``claims``, the list of claims
    (as dicts: kind, direction, basis, source ...) between its two models.

    >>> c = CompetitionClaim("c1", "RivalryClaim", "a", "A", "b", "B", basis="price")
    >>> G = competition_graph([c])
    >>> G.edges["a", "b"]["claims"][0]["basis"]
    'price'
    """
    import networkx as nx

    G = nx.Graph()
    for c in claims:
        G.add_node(c.subject, label=c.subject_label)
        G.add_node(c.other, label=c.other_label)
        if G.has_edge(c.subject, c.other):
            G.edges[c.subject, c.other]["claims"].append(asdict(c))
        else:
            G.add_edge(c.subject, c.other, claims=[asdict(c)])
    return G


def rivals_within(G: nx.Graph, model: str, depth: int = 1) -> dict[str, int]:
    """Models reachable from ``model`` through at most ``depth`` competition edges, with distance.

    >>> import networkx as nx
    >>> G = nx.path_graph(["a", "b", "c", "d"])
    >>> rivals_within(G, "a", 2)
    {'b': 1, 'c': 2}
    """
    import networkx as nx

    if depth < 1:
        raise ValueError("depth must be at least 1")
    if model not in G:
        return {}
    lengths = nx.single_source_shortest_path_length(G, model, cutoff=depth)
    return {n: d for n, d in sorted(lengths.items(), key=lambda kv: (kv[1], kv[0])) if n != model}


def rival_clusters(G: nx.Graph, *, seed: int = 0) -> list[set[str]]:
    """Clusters of models that compete among themselves (Louvain communities, largest first).

    >>> import networkx as nx
    >>> G = nx.Graph([("a", "b"), ("b", "c"), ("a", "c"), ("x", "y")])
    >>> sorted(sorted(c) for c in rival_clusters(G))
    [['a', 'b', 'c'], ['x', 'y']]
    """
    import networkx as nx

    if G.number_of_nodes() == 0:
        return []
    communities = nx.community.louvain_communities(G, seed=seed)
    return sorted((set(c) for c in communities), key=lambda c: (-len(c), sorted(c)))


def rival_chain(G: nx.Graph, source: str, target: str) -> list[str] | None:
    """The shortest chain of competition claims from one model to another, or None.

    >>> import networkx as nx
    >>> rival_chain(nx.path_graph(["a", "b", "c"]), "a", "c")
    ['a', 'b', 'c']
    >>> rival_chain(nx.Graph([("a", "b"), ("x", "y")]), "a", "y") is None
    True
    """
    import networkx as nx

    if source not in G or target not in G:
        return None
    try:
        return nx.shortest_path(G, source, target)
    except nx.NetworkXNoPath:
        return None


@dataclass(frozen=True)
class InferredRival:
    """A model that may compete with another by its attributes; ``reasons`` say why."""

    model: str
    label: str
    maker: str | None
    score: int
    reasons: list[str] = field(default_factory=list)


_DISCONTINUED = CONCEPT + "status/discontinued"


def _model_attributes(kg: KnowledgeGraph) -> dict[str, dict[str, Any]]:
    models: dict[str, dict[str, Any]] = {}
    for r in kg.select(lib_query("models")):
        m = models.setdefault(r["m"], {"label": r["label"], "maker": r["makerLabel"], "body": {}, "segment": {},
                                       "market": {}, "powertrain": {}, "status": set()})
        for key, iri, label in (("body", "body", "bodyLabel"), ("segment", "segment", "segmentLabel"),
                                ("market", "market", "marketLabel"), ("powertrain", "pt", "ptLabel")):
            if r[iri]:
                m[key][r[iri]] = r[label]
        if r["status"]:
            m["status"].add(r["status"])
    return models


def inferred_rivals(kg: KnowledgeGraph, model: str) -> list[InferredRival]:
    """Models that share ``model``'s body style and, where both are known, its segment and a market.

    A model of the same family (variant, base, successor) is not a rival; a discontinued model
    does not overlap in time with one on sale. Claimed rivals are left out (they are answered by
    :func:`direct_rivals`). Sorted by score, then label.
    """
    models = _model_attributes(kg)
    me = models.get(model)
    if me is None or not me["body"]:
        return []
    family = {model}
    for r in kg.select(lib_query("lineage-edges")):
        if model in (r["young"], r["old"]):
            family.update((r["young"], r["old"]))
    claimed = set()
    for c in competition_claims(kg, model):
        claimed.update((c.subject, c.other))
    results = []
    for iri, other in models.items():
        if iri in family or iri in claimed or not other["body"]:
            continue
        shared_body = set(me["body"]) & set(other["body"])
        if not shared_body:
            continue
        reasons = ["same body style: " + ", ".join(sorted(me["body"][b] for b in shared_body))]
        score = 1
        apart = False
        # Where both are known, the segment and a market must be shared too.
        for key, words, points in (("segment", "same segment", 2), ("market", "shared market", 1)):
            if me[key] and other[key]:
                shared = set(me[key]) & set(other[key])
                apart = apart or not shared
                reasons.append(f"{words}: " + ", ".join(sorted(me[key][s] for s in shared)))
                score += points
        if apart:
            continue
        if (_DISCONTINUED in me["status"]) != (_DISCONTINUED in other["status"]):
            continue  # one is off sale: they do not meet in the showroom
        shared_pt = set(me["powertrain"]) & set(other["powertrain"])
        if shared_pt:
            reasons.append("same powertrain: " + ", ".join(sorted(me["powertrain"][p] for p in shared_pt)))
            score += 1
        results.append(InferredRival(iri, other["label"], other["maker"], score, reasons))
    return sorted(results, key=lambda r: (-r.score, r.label))


# Answers -------------------------------------------------------------------------------------

def _summary(claim: dict[str, Any]) -> str:
    """One claim of a chain in a few words: its kind, publisher and URL."""
    kind = claim["kind"].replace("Claim", "").lower()
    return f"{kind}: {claim['publisher'] or ''} {claim['url'] or ''}".strip()


def competitors(kg: KnowledgeGraph, model: str, *, depth: int = 1, to: str | None = None,
                inferred: bool = False) -> dict[str, Any]:
    """The answer of ``autokg competitors``: the claimed rivals of ``model`` (an IRI), and on request
    the rivals within ``depth`` steps, the chain of claims to the model ``to`` and inferred rivals.

    Returns ``{"model", "claimed"}``, with ``"within"`` when ``depth > 1``, ``"target"`` and
    ``"chain"`` (None when no chain links them) when ``to`` is given, and ``"inferred"`` (kept
    apart: no source claims those) when ``inferred`` is true.
    """
    answer: dict[str, Any] = {"model": {"iri": model, "label": kg.label(model)},
                              "claimed": direct_rivals(kg, model)}
    if depth > 1 or to:
        G = competition_graph(competition_claims(kg))

        def label(n: str) -> str:
            return G.nodes[n].get("label", n)

        if depth > 1:
            answer["within"] = [
                {"rival": label(n), "rival_iri": n, "distance": d,
                 "via": " > ".join(label(x) for x in rival_chain(G, model, n) or [])}
                for n, d in rivals_within(G, model, depth).items()
            ]
        if to:
            chain = rival_chain(G, model, to)
            answer["target"] = {"iri": to, "label": kg.label(to)}
            answer["chain"] = None if chain is None else [
                {"from": label(a), "to": label(b), "claims": [_summary(c) for c in G.edges[a, b]["claims"]]}
                for a, b in zip(chain, chain[1:])
            ]
    if inferred:
        answer["inferred"] = [
            {"rival": r.label, "rival_iri": r.model, "maker": r.maker, "score": r.score, "reasons": r.reasons}
            for r in inferred_rivals(kg, model)
        ]
    return answer


def clusters(kg: KnowledgeGraph) -> list[dict[str, Any]]:
    """The answer of ``autokg clusters``: clusters of models linked by competition claims, largest first."""
    G = competition_graph(competition_claims(kg))
    return [{"cluster": i + 1, "size": len(c), "models": sorted(G.nodes[n].get("label", n) for n in c)}
            for i, c in enumerate(rival_clusters(G))]
