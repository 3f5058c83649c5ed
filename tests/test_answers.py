"""The analyst answers (ranked rivals, best estimates, pivots, targets, launches, entries, share,
compare, the model finder, changes) on one tiny hand-built graph, named by what they check."""

from __future__ import annotations

from pathlib import Path

import pytest

from autokg.changes import changes_document
from autokg.compare import compare_document
from autokg.concepts import ConceptIndex
from autokg.errors import NameNotFound
from autokg.estimates import best_estimates, pivot, pivot_growth, read_figures
from autokg.finder import ModelQuery, find_models
from autokg.fit import fit_table
from autokg.graph import load
from autokg.launches import entries_document, launches_document
from autokg.markets import MarketIndex
from autokg.rivals import rank_rivals, ranked_rivals, rival_claims, weigh_price_band
from autokg.share import share_document
from autokg.targets import targets_document

ID = "https://w3id.org/autokg/id/"
MARKET = "https://w3id.org/autokg/concept/market/"

TINY = Path(__file__).parent / "data" / "answers" / "tiny.ttl"


@pytest.fixture(scope="module")
def kg():
    return load(bundled=False, data=[TINY])


# rivals --------------------------------------------------------------------------------------

def test_a_syndicated_copy_counts_once_and_independent_sources_rank_first(kg):
    rows = ranked_rivals(kg, ID + "x")["rivals"]
    by_name = {r["rival"]: r for r in rows}
    assert by_name["Rival One"]["claims"] == 2 and by_name["Rival One"]["sources"] == 1
    assert by_name["Rival Two"]["sources"] == 2
    assert [r["rival"] for r in rows] == ["Rival Two", "Rival One"]
    assert by_name["Rival Two"]["relations"] == ["positioned against it", "rival of"]


def test_as_of_keeps_only_what_was_published_by_then(kg):
    rows = ranked_rivals(kg, ID + "x", as_of="2024-12-31")["rivals"]
    assert [(r["rival"], r["claims"]) for r in rows] == [("Rival Two", 1)]


def test_strongest_kind_breaks_a_tie_of_sources():
    claim = lambda rival, kind: {"rival": rival, "rival_iri": rival, "relation": "rival", "basis": None,  # noqa: E731
                                 "claim_kind": kind, "publisher": rival, "url": None, "published": None,
                                 "claim": rival}
    assert [r["rival"] for r in rank_rivals([claim("a", "analyst view"), claim("b", "company statement")])] == ["b", "a"]


def test_price_band_leaves_out_a_model_far_apart_and_keeps_unpriced_ones():
    rows = [{"rival": "far", "rival_iri": "far", "score": 5, "reasons": []},
            {"rival": "unpriced", "rival_iri": "u", "score": 1, "reasons": []}]
    kept, out = weigh_price_band(rows, {"me": (100, "CNY", "me"), "far": (250, "CNY", "far")}, "me")
    assert [r["rival"] for r in kept] == ["unpriced"] and [r["rival"] for r in out] == ["far"]


def test_rival_claims_read_from_either_side(kg):
    relations = {c["rival"]: c["relation"] for c in rival_claims(kg, ID + "x")}
    assert relations["Rival Two"] in ("positioned against it", "rival of")


# figures -------------------------------------------------------------------------------------

def test_best_estimate_prefers_the_company_statement_and_keeps_the_other(kg):
    estimates = best_estimates(read_figures(kg, ID + "mk"))
    [year] = [e for e in estimates if e["subject"] == ID + "mk" and e["period_key"] == "2025"]
    assert year["value"] == 1000 and year["why"] == "company statement over media report"
    assert [a["claim"] for a in year["alternatives"]] == [ID + "f2"] and not year["conflict"]


def test_two_sources_of_one_month_are_one_estimate_and_flagged(kg):
    [month] = [e for e in best_estimates(read_figures(kg, ID + "x")) if e["period_key"] == "2025-11"]
    assert month["value"] == 85 and month["conflict"] and month["why"] == "the most recent statement"


def test_roll_up_uses_the_makers_own_total_and_sums_models_only_where_it_has_none(kg):
    rows = read_figures(kg, ID + "mk")
    table = pivot(best_estimates(rows), by="year", focus=ID + "mk", parents={r["subject"]: r["parent"] for r in rows})
    [maker] = [r for r in table["rows"] if r["subject"] == ID + "mk" and r["measure"] == "deliveries"]
    assert maker["cells"]["2025"]["value"] == 1000  # its own figure, not 1,000 + 85
    assert maker["cells"]["2024"]["value"] == 500 and maker["cells"]["2024"]["bound"] == "at-least"
    assert not [g for g in pivot_growth(table) if g["subject"] == ID + "mk"]  # a sum of parts is not comparable


def test_pivot_by_month_never_pivots_prices(kg):
    table = pivot(best_estimates(read_figures(kg, ID + "x")), by="month")
    assert {r["measure"] for r in table["rows"]} == {"deliveries", "sales"}
    assert table["periods"] == ["2025-01", "2025-11"]


# targets -------------------------------------------------------------------------------------

def test_target_chain_is_raised_and_met_within_the_range_and_scope_is_kept_apart(kg):
    doc = targets_document(kg, year=2025)
    total = next(c for c in doc["chains"] if c["scope"] == "")
    assert [r["revision_label"] for r in total["revisions"]] == ["first stated", "revision 1"]
    assert total["revisions"][1]["change"].startswith("raised by 200")
    assert total["revisions"][0]["outcome"] == "exceeded" and total["outcome"] == "met"
    bev = next(c for c in doc["chains"] if c["scope"] == "BEV")
    assert bev["outcome"] == "no actual figure"


def test_targets_as_of_leave_out_later_revisions(kg):
    doc = targets_document(kg, year=2025, as_of="2025-01-31")
    total = next(c for c in doc["chains"] if c["scope"] == "")
    assert len(total["revisions"]) == 1


# plans ---------------------------------------------------------------------------------------

def test_launches_of_a_year(kg):
    assert [r["model"] for r in launches_document(kg, year=2026)["launches"]] == ["Maker Y"]
    assert launches_document(kg, year=2030)["launches"] == []


def test_entries_into_europe_hold_germany_and_outside_china_covers_it(kg):
    markets = MarketIndex(kg)
    doc = entries_document(kg, market=markets.resolve("Europe").iri, markets=markets)
    assert [e["markets"] for e in doc["entries"]] == [["Germany"]]
    assert [e["markets"] for e in doc["covering"]] == [["Outside China"]]
    overseas = entries_document(kg, market=markets.resolve("overseas").iri, markets=markets)
    assert len(overseas["entries"]) == 2


def test_asia_is_not_outside_china(kg):
    markets = MarketIndex(kg)
    assert not markets.within(MARKET + "asia", MARKET + "outside-CN")
    assert markets.within(MARKET + "JP", MARKET + "outside-CN")


def test_unknown_market_suggests(kg):
    with pytest.raises(NameNotFound, match="Germany"):
        MarketIndex(kg).resolve("Germny")


# share, compare, models, changes ---------------------------------------------------------------

def test_share_shows_numerator_denominators_and_months(kg):
    doc = share_document(kg, ID + "mk", market=MARKET + "CN", year=2025)
    by_kind = {s["denominator_kind"]: s for s in doc["shares"]}
    assert by_kind["all cars"]["numerator"] == 10 and by_kind["all cars"]["denominator"] == 400
    assert by_kind["table total"]["denominator"] == 40 and by_kind["table total"]["share_text"] == "25.00%"
    assert by_kind["all cars"]["months"] == 1


def test_compare_puts_models_side_by_side_with_sources(kg):
    doc = compare_document(kg, [ID + "x", ID + "y"])
    rows = {r["field"]: r["cells"] for r in doc["rows"]}
    assert rows["maker"][0]["value"] == "Maker" and rows["body style"][1]["value"] == ["SUV"]
    assert rows["price"][0]["source"]["claim"] == ID + "px" and rows["price"][1]["value"] is None
    assert rows["latest year"][0]["value"] == 300


def test_models_finder_filters_by_body_market_region_and_price(kg):
    body = ConceptIndex(kg, "BodyStyleScheme").resolve("crossover")
    europe = MarketIndex(kg).resolve("Europe").iri
    found = find_models(kg, ModelQuery(body=body, market=europe))
    assert [m["model"] for m in found["models"]] == ["Maker X"]
    priced = find_models(kg, ModelQuery(max_price=200000, currency="CNY"))
    assert priced["models"] == [] and priced["left_out_unknown"] == {"price": 3}


def test_changes_since_a_day_list_newer_claims_first(kg):
    doc = changes_document(kg, "2025-06-01")
    assert doc["changes"][0]["date"] == "2026-01-02"
    assert ID + "t2" in [c["claim"] for c in doc["changes"]]
    assert ID + "t1" not in [c["claim"] for c in doc["changes"]]


# tables --------------------------------------------------------------------------------------

def test_a_table_fits_its_width_and_keeps_years_plain():
    rows = [{"rival": "A very long rival name indeed", "url": "https://www.example.com/" + "x" * 200, "year": 2025,
             "units": 12345}]
    text = fit_table(rows, ["rival", "url", "year", "units"], width=40)
    assert max(len(line) for line in text.splitlines()) <= 40
    assert "2025" in text and "2,025" not in text and "12,345" in text and "example.com" in text
