"""The web explorer's one way into the autokg library.

Every page and the SPARQL endpoint reach the graph through this module only, so that moving to
the library's answer functions (the house refactor) changes this file and nothing else. What it
returns is plain data (dicts, lists, networkx graphs) for the templates and the pictures.
"""

from __future__ import annotations

import re
import threading
import time
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from ..errors import AmbiguousName, AutokgError, EndpointError, InputError, NameNotFound, QueryError
from ..graph import KnowledgeGraph
from ..sparql_lib import lib_query
from ..vocab import ID, PREFIXES

__all__ = ["GraphRecipe", "Explorer", "open_graph", "redact", "parse_bindings", "AutokgError", "InputError", "NameNotFound", "AmbiguousName",
           "QueryError", "StoreUnreachable", "ID", "PREFIXES", "is_unreachable"]

#: PREFIXES (imported above) is the library's one prefix table: every query may use them undeclared.

RUMOURED_STATUSES = ("rumoured", "announced")


class StoreUnreachable(AutokgError):
    """The backing store cannot be reached (a remote endpoint is down or a store folder is gone)."""


def is_unreachable(err: BaseException) -> bool:
    """Whether an error means the store is unreachable rather than the question bad."""
    return isinstance(err, (StoreUnreachable, EndpointError))


_USERINFO = re.compile(r"(?i)\b([a-z][a-z0-9+.-]*://)[^/\s@]+@")


def redact(text: str, secrets: tuple[str, ...] = ()) -> str:
    """Text with the user and password of every URL in it, and every one of ``secrets``, removed.

    >>> redact("cannot reach http://admin:s3cret@db.example:7878/query")
    'cannot reach http://***@db.example:7878/query'
    >>> redact("nonnumeric port: 's3cret@db'", ("s3cret",))
    "nonnumeric port: '***@db'"
    """
    text = _USERINFO.sub(r"\1***@", text)
    for secret in secrets:
        if secret:
            text = text.replace(secret, "***")
    return text


@dataclass(frozen=True)
class GraphRecipe:
    """How to open the graph, so that a query worker process can open the same one.

    ``store`` is a folder or an endpoint URL; without it, the bundled graph (plus ``data``).
    """

    store: str | None = None
    data: tuple[str, ...] = ()
    bundled: bool = True

    @property
    def secrets(self) -> tuple[str, ...]:
        """The credentials in the store URL (user info, password), to keep out of every message."""
        if not self.store or "@" not in self.store:
            return ()
        from urllib.parse import unquote, urlsplit

        parts = urlsplit(self.store)
        userinfo = parts.netloc.rpartition("@")[0]
        found = [userinfo, unquote(userinfo)]
        if parts.password:
            found += [parts.password, unquote(parts.password)]
        return tuple(sorted({x for x in found if len(x) >= 3}, key=len, reverse=True))

    def describe(self) -> str:
        """Where the graph comes from, for logs: a URL's credentials are never shown."""
        if not self.store:
            return "the bundled graph" + (f" and {len(self.data)} data path(s)" if self.data else "")
        from urllib.parse import urlsplit

        parts = urlsplit(self.store)
        if parts.scheme in ("http", "https"):
            host = parts.hostname or ""
            netloc = host + (f":{parts.port}" if parts.port else "")
            return parts._replace(netloc=netloc, query="", fragment="").geturl()
        return self.store


def parse_bindings(items: list[str]) -> dict[str, Any]:
    """``NAME=VALUE`` items, each read as ``autokg query --bind`` reads it.

    >>> parse_bindings(["model=id:tesla-model-y", "year=2025"])
    {'model': 'https://w3id.org/autokg/id/tesla-model-y', 'year': 2025}
    """
    from ..queries import parse_binding

    return dict(parse_binding(item) for item in items)


def is_remote_recipe(recipe: GraphRecipe) -> bool:
    from ..remote import is_remote

    return bool(recipe.store) and is_remote(recipe.store)


def open_graph(recipe: GraphRecipe) -> KnowledgeGraph:
    """Open the graph a recipe names. A store folder is opened read-only, without a lock (as every
    reader opens it), so that CLI questions and the server's own query workers read it at once."""
    from .. import graph

    return graph.open_graph(store=recipe.store, data=recipe.data, bundled=recipe.bundled)


@dataclass
class _Cached:
    made: float
    value: Any


@dataclass
class Explorer:
    """Answers for the pages, cached: a store folder's answers are kept until a load commits new
    content to it (the next page reads that), a remote endpoint's for ``ttl`` seconds.

    Answers about the whole graph (the name index, the lineage and competition graphs, counts)
    stay; answers about one entity are kept for the ``per_entity`` most recently used. One
    answer is made once, however many requests ask for it at the same time.
    """

    kg: KnowledgeGraph
    ttl: float | None = None
    per_entity: int = 4096
    _cache: OrderedDict = field(default_factory=OrderedDict)
    _lock: threading.Lock = field(default_factory=threading.Lock)
    _making: dict[tuple, threading.Lock] = field(default_factory=dict)

    def _fresh(self, key: tuple) -> _Cached | None:
        hit = self._cache.get(key)
        if hit is not None and (self.ttl is None or time.monotonic() - hit.made < self.ttl):
            return hit
        return None

    def _cached(self, key: tuple, make: Callable[[], Any]) -> Any:
        if self.kg.refresh():  # a load committed new content to the store: answer from it
            with self._lock:
                self._cache.clear()
        hit = self._fresh(key)
        if hit is not None:
            with self._lock:
                if key in self._cache:
                    self._cache.move_to_end(key)
            return hit.value
        with self._lock:
            making = self._making.setdefault(key, threading.Lock())
        with making:  # a second request for the same answer waits for the first
            hit = self._fresh(key)
            if hit is not None:
                return hit.value
            value = make()
            with self._lock:
                self._cache[key] = _Cached(time.monotonic(), value)
                self._making.pop(key, None)
                per_entity = [k for k in self._cache if len(k) > 1]
                for old in per_entity[: max(0, len(per_entity) - self.per_entity)]:
                    del self._cache[old]
        return value

    # Names -----------------------------------------------------------------------------------

    def names(self):
        from ..names import NameIndex

        return self._cached(("names",), lambda: NameIndex(self.kg))

    def resolve(self, text: str, kinds: tuple[str, ...] | None = None):
        """The entity named ``text``; raises NameNotFound (with suggestions) or AmbiguousName."""
        return self.names().resolve(text, kinds=kinds)

    def suggest(self, text: str, n: int = 5) -> list[dict[str, str]]:
        """The closest names to ``text``, as {label, iri} for links."""
        index = self.names()
        by_label = {e.label: e.iri for e in index.entities.values()}
        return [{"label": label, "iri": by_label[label]} for label in index.suggest(text, n=n) if label in by_label]

    def entity(self, iri: str):
        """The named entity with this IRI, or None."""
        return self.names().entities.get(iri)

    # Home ------------------------------------------------------------------------------------

    def counts(self) -> dict[str, int]:
        from ..describe import stats

        return self._cached(("counts",), lambda: stats(self.kg))

    def makers(self) -> list[dict[str, Any]]:
        """Every maker with its number of models, by name."""
        def make() -> list[dict[str, Any]]:
            from ..lineage import maker_models

            index = self.names()
            return sorted(({"iri": e.iri, "label": e.label, "models": len(maker_models(self.kg, e.iri))}
                           for e in index.entities.values() if e.kind == "maker"), key=lambda m: m["label"].casefold())
        return self._cached(("makers",), make)

    # Entities --------------------------------------------------------------------------------

    def describe(self, iri: str) -> dict[str, Any]:
        from ..describe import describe

        return self._cached(("describe", iri), lambda: describe(self.kg, iri))

    def lineage(self):
        """Every model's lineage as a networkx DiGraph (elder -> younger)."""
        from ..lineage import lineage_graph

        return self._cached(("lineage",), lambda: lineage_graph(self.kg))

    def family_tree(self, maker: str):
        """The lineage DiGraph of a maker's models (with its brands')."""
        from ..lineage import maker_models

        return self._cached(("family", maker),
                            lambda: self.lineage().subgraph(maker_models(self.kg, maker)).copy())

    def model_tree(self, model: str):
        """The lineage DiGraph of one model's family (bases, variants, predecessors, successors)."""
        from ..lineage import family_of

        def make():
            G = self.lineage()
            return family_of(G, model) if model in G else G.subgraph([model]).copy()
        return self._cached(("tree", model), make)

    def figures(self, iri: str) -> dict[str, Any]:
        """The answer of ``autokg figures`` for an entity (a maker with its parts): ``rows`` (the
        figures and targets), ``growth`` and ``targets_vs_actual``."""
        def make() -> dict[str, Any]:
            from ..figures import figures_answer

            doc = figures_answer(self.kg, iri)
            return {"rows": doc["figures"], "growth": doc["growth"], "targets_vs_actual": doc["targets_vs_actual"]}
        return self._cached(("figures", iri), make)

    def best_estimates(self, iri: str) -> list[dict[str, Any]]:
        """The best estimate of each measure and period of the entity (and its parts), by the
        library's rule, with why it was chosen and the other sources' figures."""
        def make() -> list[dict[str, Any]]:
            from ..estimates import best_estimates, read_figures

            return best_estimates(read_figures(self.kg, iri))
        return self._cached(("estimates", iri), make)

    def plans(self, iri: str) -> dict[str, Any]:
        from ..plans import plans

        return self._cached(("plans", iri), lambda: plans(self.kg, iri))

    def rivals(self, model: str) -> dict[str, Any]:
        """Claimed rivals ranked by the library's rule (independent sources, strongest kind of
        claim, most credible source, latest claim), each with its claims; inferred ones apart."""
        def make() -> dict[str, Any]:
            from ..competition import inferred_rivals
            from ..rivals import ranked_rivals

            answer = ranked_rivals(self.kg, model)
            claims: dict[str, dict[str, Any]] = {c["claim"]: c for c in answer["claims"]}
            ranked = []
            for row in answer["rivals"]:
                entity = self.entity(row["rival_iri"])
                ranked.append({**row, "iri": row["rival_iri"], "label": row["rival"],
                               "claims": [claims[c] for c in row["claim_iris"] if c in claims],
                               "maker": self._maker_label(entity.maker) if entity and entity.maker else None,
                               "status": self._status(row["rival_iri"])})
            inferred = [{"iri": r.model, "label": r.label, "maker": r.maker, "score": r.score, "reasons": r.reasons}
                        for r in inferred_rivals(self.kg, model)]
            return {"claimed": ranked, "inferred": inferred, "ranking": answer["ranking"]}
        return self._cached(("rivals", model), make)

    def rival_links(self, iris: list[str]) -> list[tuple[str, str, int]]:
        """Claimed rivalries among ``iris``, each once, with the number of sources behind it."""
        def graph():
            from ..competition import competition_claims, competition_graph

            return competition_graph(competition_claims(self.kg))
        G = self._cached(("competition",), graph)
        sub = G.subgraph(iris)
        return [(a, b, len({c["url"] or c["publisher"] or c["claim"] for c in claims}))
                for a, b, claims in sub.edges(data="claims")]

    def own_sources(self, iri: str) -> list[dict[str, Any]]:
        """The sources cited for the entity's own facts (its akg:source), oldest first."""
        query = lib_query("own-sources")
        return self._cached(("own-sources", iri), lambda: [
            {k: r[k] for k in ("source", "publisher", "url", "published")} for r in self.kg.select(query, claim=iri)
            if r["source"]])

    def _maker_label(self, iri: str) -> str:
        entity = self.entity(iri)
        return entity.label if entity else self.kg.label(iri)

    def _status(self, iri: str) -> str | None:
        G = self.lineage()
        return G.nodes[iri].get("status") if iri in G else None

    def maker_of(self, iri: str) -> str | None:
        """The maker's label of a model, for colouring."""
        G = self.lineage()
        return G.nodes[iri].get("maker_label") if iri in G else None

    def sources(self, iri: str) -> list[dict[str, Any]]:
        return self.describe(iri)["sources"]

    # Entities as data ------------------------------------------------------------------------

    def as_rdf(self, iri: str, fmt: str) -> bytes:
        """The entity, the claims about it and their sources as Turtle, N-Triples or JSON-LD."""
        from ..export import ExportFormat, export_rdf

        return self._cached(("rdf", iri, fmt), lambda: export_rdf(self.kg, {iri}, ExportFormat(fmt)))

    # The endpoint ----------------------------------------------------------------------------

    def named_queries(self) -> list[dict[str, str]]:
        from ..queries import named_queries

        return self._cached(("named",), lambda: [
            {"name": q.name, "description": q.description, "text": q.text,
             "bindings": " ".join(b.rstrip(".,;") for b in re.findall(r"--bind (\S+=\S+)", q.description))}
            for q in named_queries().values()])

    def void_counts(self) -> dict[str, Any]:
        """Triples, and counts by class and by property, for the VoID description."""
        def make() -> dict[str, Any]:
            classes = self.kg.select("SELECT ?c (COUNT(DISTINCT ?s) AS ?n) WHERE { ?s a ?c } GROUP BY ?c ORDER BY ?c")
            props = self.kg.select("SELECT ?p (COUNT(*) AS ?n) WHERE { ?s ?p ?o } GROUP BY ?p ORDER BY ?p")
            subjects = self.kg.select("SELECT (COUNT(DISTINCT ?s) AS ?n) WHERE { ?s ?p ?o }")
            return {"triples": len(self.kg), "entities": subjects[0]["n"] if subjects else 0,
                    "classes": classes, "properties": props}
        return self._cached(("void",), make)

    def ping(self) -> None:
        """Raise StoreUnreachable when the store does not answer."""
        try:
            self.kg.query("ASK { ?s ?p ?o }")
        except AutokgError as err:
            if is_unreachable(err):
                raise StoreUnreachable(str(err)) from None
            raise
