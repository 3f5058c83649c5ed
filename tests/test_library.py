"""The library's pure functions on tiny hand-built graphs, named by the edge case they cover."""

from __future__ import annotations

import math

import networkx as nx
import pytest

from autokg import competition as comp
from autokg import figures as fig
from autokg import lineage as lin
from autokg.errors import InputError, AmbiguousName, DataFileError, NameNotFound
from autokg.graph import KnowledgeGraph, load
from autokg.names import NameIndex, normalize


# lineage -------------------------------------------------------------------------------------

def lineage(*edges):
    G = nx.DiGraph()
    for old, young, relation in edges:
        G.add_edge(old, young, relation=relation)
    return G


def test_lineage_of_an_empty_graph():
    G = nx.DiGraph()
    assert lin.ancestors(G, "x") == [] and lin.descendants(G, "x") == []
    assert list(lin.family_of(G, "x")) == []
    assert lin.family_tree_lines(G) == []


def test_lineage_disconnected_families_stay_apart():
    G = lineage(("su7", "su7-l", "variant"), ("yu7", "yu7-gt", "variant"))
    assert sorted(lin.family_of(G, "yu7")) == ["yu7", "yu7-gt"]


def test_lineage_generations_follow_successors_not_variants():
    G = lineage(("p7", "p7-2", "successor"), ("p7-2", "p7-3", "successor"), ("p7-2", "p7-2-wing", "variant"))
    assert lin.generations(G, "p7-2-wing") == [["p7"], ["p7-2"], ["p7-3"]]
    assert lin.ancestors(G, "p7-2-wing") == ["p7-2", "p7"]
    assert lin.descendants(G, "p7") == ["p7-2", "p7-2-wing", "p7-3"]


def test_lineage_successor_cycle_is_reported():
    G = lineage(("a", "b", "successor"), ("b", "a", "successor"))
    with pytest.raises(InputError, match="cycle"):
        lin.generations(G, "a")


def test_family_tree_draws_each_model_once_under_its_parent():
    G = lineage(("a", "b", "variant"), ("a", "c", "successor"))
    for n in G:
        G.nodes[n]["label"] = n.upper()
    assert lin.family_tree_lines(G) == ["A", "├── C  (successor)", "└── B  (variant)"]


# competition ---------------------------------------------------------------------------------

def claim(a, b, kind="RivalryClaim", **extra):
    return comp.CompetitionClaim(f"{a}-{b}-{kind}", kind, a, a.upper(), b, b.upper(), **extra)


def test_competition_graph_keeps_every_claim_on_one_edge():
    G = comp.competition_graph([claim("a", "b", basis="price"), claim("b", "a", "PositioningClaim", basis="size")])
    assert G.number_of_edges() == 1
    assert sorted(c["basis"] for c in G.edges["a", "b"]["claims"]) == ["price", "size"]


def test_rivals_within_an_empty_graph_and_an_unknown_model():
    assert comp.rivals_within(nx.Graph(), "a", 3) == {}
    with pytest.raises(ValueError):
        comp.rivals_within(nx.Graph([("a", "b")]), "a", 0)


def test_rivals_within_stops_at_depth_and_survives_cycles():
    G = comp.competition_graph([claim("a", "b"), claim("b", "c"), claim("c", "a"), claim("c", "d")])
    assert comp.rivals_within(G, "a", 1) == {"b": 1, "c": 1}
    assert comp.rivals_within(G, "a", 2) == {"b": 1, "c": 1, "d": 2}


def test_rival_chain_in_disconnected_graph():
    G = comp.competition_graph([claim("a", "b"), claim("x", "y")])
    assert comp.rival_chain(G, "a", "b") == ["a", "b"]
    assert comp.rival_chain(G, "a", "y") is None
    assert comp.rival_chain(G, "a", "unknown") is None


def test_rival_clusters_of_an_empty_graph():
    assert comp.rival_clusters(nx.Graph()) == []


def test_relation_reads_from_either_side():
    c = claim("yu7", "model-y", "PositioningClaim")
    assert c.relation_from("yu7") == "positioned against"
    assert c.relation_from("model-y") == "positioned against it"


# figures -------------------------------------------------------------------------------------

def row(claim_id, value, bound="exact", *, low=None, high=None, start="2025-10-01", end="2025-10-31", kind="figure"):
    return fig.FigureRow(claim_id, kind, "s", "S", "deliveries", value, low, high, bound, "vehicles",
                         fig.format_value(value, bound, "vehicles", low, high), start, end, None, None, None, None,
                         None, None, None, None)


@pytest.mark.parametrize("a,b,conflict", [
    (row("a", 26000), row("b", 19488), True),                    # two exact values
    (row("a", 410000, "at-least"), row("b", 411082), False),     # a lower bound and a value above it
    (row("a", 410000, "at-least"), row("b", 400000), True),      # a value below the lower bound
    (row("a", 100, "about"), row("b", 103), False),              # "about" allows rounding
    (row("a", None, "range", low=5, high=6), row("b", 7), True),
])
def test_conflicts_respect_bounds(a, b, conflict):
    fig.mark_conflicts([a, b])
    assert (a.conflict, b.conflict) == (conflict, conflict)


def test_figures_of_different_periods_never_conflict():
    a, b = row("a", 1), row("b", 2, start="2025-11-01", end="2025-11-30")
    fig.mark_conflicts([a, b])
    assert not a.conflict and not b.conflict


def test_growth_keeps_the_bound():
    y24 = row("y24", 135000, "at-least", start="2024-01-01", end="2024-12-31")
    y25 = row("y25", 410000, "at-least", start="2025-01-01", end="2025-12-31")
    # both years are lower bounds: nothing is known of the growth, so none is claimed
    assert fig.growth([y24, y25]) == []
    y24_exact = row("y24", 100000, start="2024-01-01", end="2024-12-31")
    assert fig.growth([y24_exact, y25])[0]["growth"] == "at least +310.0%"
    y25_exact = row("y25", 410000, start="2025-01-01", end="2025-12-31")
    assert fig.growth([y24, y25_exact])[0]["growth"] == "at most +203.7%"


def test_growth_between_exact_years():
    y24 = row("y24", 100, start="2024-01-01", end="2024-12-31")
    y25 = row("y25", 134, start="2025-01-01", end="2025-12-31")
    [g] = fig.growth([y24, y25])
    assert g["growth"] == "+34.0%" and g["growth_low"] == pytest.approx(0.34)


def test_interval_of_unknown_bound_is_exact():
    assert fig.interval(5, None) == (5, 5)
    assert fig.interval(None, "exact") is None
    assert fig.interval(5, "at-least")[1] == math.inf


# graph and names -----------------------------------------------------------------------------

TTL = """
@prefix akg: <https://w3id.org/autokg/ns#> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix skos: <http://www.w3.org/2004/02/skos/core#> .
@prefix id: <https://w3id.org/autokg/id/> .
id:tesla a akg:Manufacturer ; rdfs:label "Tesla"@en .
id:tesla-model-y a akg:VehicleModel ; rdfs:label "Tesla Model Y"@en ; skos:altLabel "Model Y"@en, "model_y"@en ;
    akg:manufacturer id:tesla .
id:tesla-model-3 a akg:VehicleModel ; rdfs:label "Tesla Model 3"@en ; akg:manufacturer id:tesla .
id:other-y a akg:VehicleModel ; rdfs:label "Other Y"@en ; skos:altLabel "Y"@en .
id:other-y2 a akg:VehicleModel ; rdfs:label "Another Y"@en ; skos:altLabel "Y"@en .
"""


@pytest.fixture()
def names():
    kg = KnowledgeGraph()
    kg.load_turtle(TTL)
    return NameIndex(kg)


@pytest.mark.parametrize("typed", ["Model Y", "model y", "MODEL-Y", "model_y", "Tesla Model Y", "tesla modely"])
def test_spellings_resolve_to_one_model(names, typed):
    assert names.resolve(typed).iri == "https://w3id.org/autokg/id/tesla-model-y"


def test_unknown_name_suggests_the_closest(names):
    with pytest.raises(NameNotFound) as err:
        names.resolve("Modle Y")
    assert err.value.suggestions[0] == "Tesla Model Y"


def test_ambiguous_name_lists_candidates(names):
    with pytest.raises(AmbiguousName) as err:
        names.resolve("Y")
    assert len(err.value.candidates) == 2


def test_kinds_filter(names):
    with pytest.raises(NameNotFound):
        names.resolve("Tesla", kinds=("model",))
    assert names.resolve("Tesla", kinds=("maker",)).kind == "maker"


def test_normalize_folds_accents_and_width():
    assert normalize("Citroën Ë-C4") == normalize("citroen e c4")


def test_load_is_all_or_nothing(tmp_path):
    good = tmp_path / "a.ttl"
    good.write_text("<https://w3id.org/autokg/id/a> <http://www.w3.org/2000/01/rdf-schema#label> \"A\" .\n")
    bad = tmp_path / "b.ttl"
    bad.write_text("<https://w3id.org/autokg/id/b> <http://www.w3.org/2000/01/rdf-schema#label> .\n")
    kg = KnowledgeGraph()
    with pytest.raises(DataFileError) as err:
        kg.load([good, bad])
    assert err.value.line == 1 and str(bad) in str(err.value)
    assert len(kg) == 0


def test_bundled_graph_answers_the_seed_question():
    kg = load()
    model_y = NameIndex(kg).resolve("Model Y").iri
    rivals = {r["rival"] for r in comp.direct_rivals(kg, model_y)}
    assert "Xiaomi YU7" in rivals
