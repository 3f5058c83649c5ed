"""The analyst commands in-process (CliRunner) on the tiny hand-built graph of test_answers.py."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from autokg.cli import cli

TINY = Path(__file__).parent / "data" / "answers" / "tiny.ttl"

ID = "https://w3id.org/autokg/id/"


@pytest.fixture(scope="module")
def run():
    path = TINY

    def invoke(*args, columns: int = 120):
        result = CliRunner().invoke(cli, ["--no-bundled", "--data", str(path), *args], env={"COLUMNS": str(columns)})
        return result

    return invoke


def test_competitors_header_counts_rivals_and_claims(run):
    result = run("competitors", "Maker X")
    assert result.exit_code == 0, result.output
    assert "Claimed rivals of Maker X: 2 rivals from 4 claims" in result.output
    assert result.output.index("Rival Two") < result.output.index("Rival One")


def test_competitors_max_price_leaves_out_unpriced_rivals_and_says_so(run):
    doc = json.loads(run("competitors", "Maker X", "--max-price", "300k CNY", "--format", "json").output)
    assert doc["rivals"] == [] and doc["left_out"] == {"price_unknown": 2}
    assert doc["claimed"] == []  # claims follow the rivals kept
    assert "left out: 2 of unknown price" in run("competitors", "Maker X", "--max-price", "300000").output


def test_competitors_as_of_and_a_bad_date(run):
    assert "1 rival from 1 claim" in run("competitors", "Maker X", "--as-of", "2024").output
    result = run("competitors", "Maker X", "--as-of", "last spring")
    assert result.exit_code == 2 and "not a date" in result.output


def test_figures_of_two_names_by_year_and_all_as_csv(run):
    result = run("figures", "Maker", "Rival One", "--by", "year")
    assert result.exit_code == 0, result.output
    assert "Figures of Maker, Rival One, by year" in result.output and "500+" in result.output
    rows = list(csv.DictReader(io.StringIO(run("figures", "--all", "--format", "csv").output)))
    assert {r["claim"] for r in rows} >= {ID + "f1", ID + "f2", ID + "m1"}
    assert run("figures").exit_code == 2


def test_figures_json_keeps_its_fields_and_adds_estimates(run):
    doc = json.loads(run("figures", "Maker", "--format", "json").output)
    assert {"entity", "figures", "growth", "targets_vs_actual", "estimates", "rule"} <= set(doc)
    assert {"claim", "covers", "display", "conflict", "conflicts_with", "market"} <= set(doc["figures"][0])


def test_targets_show_each_revision_and_the_outcome(run):
    result = run("targets", "--year", "2025")
    assert result.exit_code == 0, result.output
    assert "rev 1" in result.output and "+200" in result.output and "in range" in result.output
    doc = json.loads(run("targets", "--maker", "Maker", "--format", "json").output)
    assert {c["outcome"] for c in doc["chains"]} == {"met", "no actual figure"}


def test_launches_and_entries_with_regions(run):
    assert "Maker Y" in run("launches", "--year", "2026").output
    europe = run("entries", "--market", "Europe").output
    assert "Germany" in europe and "covers" in europe
    assert run("entries", "--market", "Atlantis").exit_code == 2


def test_share_shows_numerator_and_denominators(run):
    result = run("share", "Maker", "--market", "China", "--year", "2025")
    assert result.exit_code == 0, result.output
    assert "2.50%" in result.output and "25.00%" in result.output and "400" in result.output


def test_compare_needs_two_models(run):
    assert run("compare", "Maker X").exit_code == 2
    result = run("compare", "Maker X", "Maker Y")
    assert result.exit_code == 0 and "250,000 CNY" in result.output


def test_models_finder(run):
    result = run("models", "--body", "SUV", "--market", "Europe")
    assert result.exit_code == 0 and "Maker X" in result.output and "Maker Y" not in result.output
    assert run("models", "--body", "spaceship").exit_code == 2


def test_changes_since(run):
    result = run("changes", "--since", "2026-01")
    assert result.exit_code == 0 and "since 2026-01-01" in result.output


def test_show_a_claim_by_its_iri(run):
    result = run("show", "id:t2")
    assert result.exit_code == 0, result.output
    assert "revision of" in result.output and "Reuters" in result.output


def test_query_prefixes_and_a_bound_name(run):
    assert "market:" in run("query", "--prefixes").output
    result = run("query", "-e", "SELECT ?m ?label WHERE { ?m rdfs:label ?label }", "--bind", "m=Maker X")
    assert "Maker X" in result.output and "Rival" not in result.output


@pytest.mark.parametrize("args", [("competitors", "Maker X", "--claims"), ("figures", "Maker"), ("targets",),
                                  ("entries",), ("models",), ("changes", "--since", "2020")])
def test_tables_fit_a_narrow_terminal(run, args):
    result = run(*args, columns=70)
    assert result.exit_code == 0, result.output
    assert max(len(line) for line in result.output.splitlines()) <= 70


def test_limit_says_how_many_more(run):
    result = run("changes", "--since", "2020", "--limit", "2")
    assert "more (--limit" in result.output
