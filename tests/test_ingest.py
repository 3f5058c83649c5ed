"""`autokg ingest`: articles in, candidate claims out; their review; the filter on answers; bad input."""

from __future__ import annotations

import datetime as dt
import importlib.util
import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from autokg.cli import cli
from autokg.errors import InputError
from autokg.graph import load
from autokg.ingest.extract import Extractor
from autokg.ingest.periods import FORWARD, find_periods
from autokg.ingest.quantities import quantities
from autokg.ingest.reader import parse_article, read_article

ARTICLES = Path(__file__).parent / "data" / "articles"
SEED = ARTICLES / "seed-xiaomi-deliveries.txt"
X = "https://w3id.org/autokg/id/"

def _bench():
    spec = importlib.util.spec_from_file_location("ingest_eval", Path(__file__).parent.parent / "bench" / "ingest_eval.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def kg():
    return load()


@pytest.fixture(scope="module")
def extractor(kg):
    return Extractor(kg)


def run(*args: str):
    return CliRunner(env={"COLUMNS": "200"}).invoke(cli, list(args))


def article(text: str, published: str = "2026-01-05"):
    return parse_article(f"Title: Test\nPublisher: Test Wire\nPublished: {published}\nURL: https://example.org/t\n\n{text}")


# Quality ------------------------------------------------------------------------------------

def test_seed_article_meets_its_targets(extractor):
    bench = _bench()
    counts = bench.score([(SEED, ARTICLES / "seed-xiaomi-deliveries.gold.json")], extractor)
    p, r, _ = bench.prf(sum(counts.values(), __import__("collections").Counter()))
    assert p >= 0.9 and r >= 0.8, (p, r)


def test_own_articles_meet_their_targets(extractor):
    bench = _bench()
    pairs = [p for p in bench.articles(ARTICLES) if not p[0].name.startswith("seed-")]
    assert len(pairs) >= 12 and sum(p[0].suffix == ".html" for p in pairs) >= 2
    counts = bench.score(pairs, extractor)
    p, r, _ = bench.prf(sum(counts.values(), __import__("collections").Counter()))
    assert p >= 0.85 and r >= 0.7, (p, r)


def test_scorer_counts_a_wrong_fact_as_missed_and_extra(tmp_path, extractor):
    bench = _bench()
    gold = json.loads((ARTICLES / "seed-xiaomi-deliveries.gold.json").read_text())
    gold[0]["value"] = 1
    (tmp_path / "seed-x.txt").write_text(SEED.read_text())
    (tmp_path / "seed-x.gold.json").write_text(json.dumps(gold))
    counts = bench.score(bench.articles(tmp_path), extractor)
    assert counts["target"]["fn"] == 1 and counts["target"]["fp"] == 1


def test_seed_facts(extractor):
    found = {(c.kind, c.subject.rsplit("/", 1)[-1], str(c.value).rsplit("/", 1)[-1]): c
             for c in extractor.extract(read_article(SEED)).candidates}
    raised = found[("target", "xiaomi", "350000")]
    assert raised.stated_on == "2025-03" and raised.revision_of is not None
    revenue = found[("figure", "xiaomi-ev", "68900000000")]
    assert revenue.unit == "CNY" and revenue.conversion == {"value": 8400000000, "unit": "EUR", "bound": "about"}
    assert revenue.period.pair == ("2025-01-01", "2025-09-30")
    assert found[("figure", "xiaomi-su7", "135000")].period.kind == "cumulative"
    assert found[("figure", "xiaomi", "410000")].claim_kind == "company-statement"
    assert found[("launch", "xiaomi", "xiaomi-yu9")].claim_kind == "media-report"
    assert found[("competition", "xiaomi-yu7", "tesla-model-y")].relation == "positioning"
    assert found[("variant", "xiaomi-su7-l", "xiaomi-su7")].variant_kind == "long-wheelbase"
    c = found[("target", "xiaomi", "550000")]
    assert SEED.read_text().split("\n\n", 1)[1][c.start:c.end] == c.sentence


def test_distractors_never_become_figures(extractor):
    text = ("NIO's sales rose 34 per cent to a record, a 12% gain. The ES8 costs 416,800 yuan and has a 102 kWh "
            "battery with a 500 km range. NIO has 3,000 battery swap stations and 180 stores. Its deliveries grew "
            "by 25% in 2024, and it was founded in 2014. The factory can build 300,000 cars a year.")
    assert extractor.extract(article(text)).candidates == []


def test_relative_dates_resolve_from_the_publication_date():
    pub = dt.date(2025, 8, 4)
    [last] = find_periods("It sold 5 cars last month", pub)
    assert last.resolve().pair == ("2025-07-01", "2025-07-31")
    [december] = find_periods("reports from December", dt.date(2026, 1, 5))
    assert december.resolve().pair == ("2025-12-01", "2025-12-31")
    [september] = find_periods("will launch in September", pub)
    assert september.resolve(FORWARD).pair == ("2025-09-01", "2025-09-30")
    [q3] = find_periods("in the third quarter", pub)
    assert q3.resolve(FORWARD).pair == ("2025-07-01", "2025-09-30")
    [h2] = find_periods("in the second half of 2026", pub)
    assert h2.resolve().pair == ("2026-07-01", "2026-12-31")


def test_money_keeps_currency_and_scale():
    [q] = quantities("revenue of 68.9 billion Yuan")
    assert (q.number, q.currency) == (68900000000, "CNY")
    assert [q.number for q in quantities("US$1.2bn and €500m")] == [1200000000, 500000000]


def test_names_resolve_through_the_graph_and_unknown_ones_are_listed_apart(extractor):
    ex = extractor.extract(article("BYD's Yuan Plus takes aim at Tesla's Model Y. "
                                   "Volvo will launch the ES90 saloon in March."))
    kinds = {(c.kind, c.subject, c.value) for c in ex.candidates}
    assert ("competition", X + "byd-yuan-plus", X + "tesla-model-y") in kinds
    assert ("launch", X + "volvo", "new:ES90") in kinds
    assert [e.name for e in ex.new_entities] == ["ES90"]


def test_html_header_comes_from_meta_and_json_ld():
    art = read_article(ARTICLES / "tesla-second-quarter.html")
    assert (art.title, art.publisher, art.published, art.url) == (
        "Tesla deliveries fall again in the second quarter", "Motor Ledger", dt.date(2025, 7, 2),
        "https://example.org/motorledger/2025/07/02/tesla-q2")
    assert "Subscribe" not in art.text and "999999" not in art.text and art.text.startswith("Tesla delivered")


# The command --------------------------------------------------------------------------------

def test_ingest_writes_candidates_and_prints_the_review_table(tmp_path):
    out = tmp_path / "c.ttl"
    # The review table fits the terminal: a wide one shows every cell whole.
    result = CliRunner().invoke(cli, ["ingest", str(SEED), "-o", str(out)], env={"COLUMNS": "400"})
    assert result.exit_code == 0, result.output
    assert "positioning: Tesla Model Y" in result.output and "first nine months of 2025" in result.output
    text = out.read_text()
    assert text.count("akg:reviewStatus review:extracted") == 15  # 14 facts, the euro conversion its own figure
    assert "akg:evidenceStart" in text and "akg:confidence" in text and "akg:extractionRule" in text
    assert "src:electrive-2026-01-05-xiaomi-550000" in text  # the graph's own source for this URL


def test_answers_leave_unreviewed_claims_out_until_accepted(tmp_path):
    out = tmp_path / "c.ttl"
    assert run("ingest", str(ARTICLES / "nio-november-deliveries.txt"), "-o", str(out)).exit_code == 0
    from autokg.figures import figures

    kg = load(data=[out])
    before = {f.value for f in figures(kg, X + "nio")}
    assert 872499 not in before
    kg.include_unreviewed = True
    assert 872499 in {f.value for f in figures(kg, X + "nio")}
    result = run("ingest", "--accept", str(out))
    assert result.exit_code == 0 and "Accepted" in result.output
    assert "review:extracted" not in out.read_text().split("\n# Accept")[1].replace("review:extracted) ", "")
    assert 872499 in {f.value for f in figures(load(data=[out]), X + "nio")}


def test_include_unreviewed_is_an_option_of_every_answer(tmp_path):
    path = tmp_path / "a.txt"
    path.write_text("Title: T\nPublisher: Test Wire\nPublished: 2025-04-02\nURL: https://example.org/t\n\n"
                    "NIO delivered 12,345 vehicles in March, the company said. The Onvo L60 takes aim at the "
                    "Zeekr 7X.\n")
    out = tmp_path / "c.ttl"
    assert run("ingest", str(path), "-o", str(out)).exit_code == 0
    plain = run("--data", str(out), "figures", "NIO", "--format", "json")
    everything = run("--include-unreviewed", "--data", str(out), "figures", "NIO", "--format", "json")
    assert plain.exit_code == everything.exit_code == 0
    assert "12345" not in plain.output.replace(",", "") and "12345" in everything.output.replace(",", "")
    rivals = run("--data", str(out), "competitors", "Onvo L60", "--format", "json").output
    assert "Zeekr 7X" not in rivals
    # exports leave the candidates out too, until asked
    exported = [run(*flags, "--data", str(out), "export", "--family", "NIO", "--format", "nt", "-o", "-").output
                for flags in ((), ("--include-unreviewed",))]
    assert "12,345" not in exported[0] and "review-status/extracted" not in exported[0]
    assert "review-status/extracted" in exported[1]
    # stats counts what the answers see: the candidates only with --include-unreviewed
    counts = [json.loads(run(*flags, "--data", str(out), "stats", "--format", "json").output)
              for flags in ((), ("--include-unreviewed",))]
    baseline = json.loads(run("stats", "--format", "json").output)
    assert counts[0]["figures"] == baseline["figures"] and counts[1]["figures"] == baseline["figures"] + 1
    assert counts[0]["competition_claims"] == baseline["competition_claims"] < counts[1]["competition_claims"]
    assert "Zeekr 7X" in run("--include-unreviewed", "--data", str(out), "competitors", "Onvo L60", "--format", "json").output


def test_unknown_makers_and_models_are_listed_apart_never_written_as_entities(tmp_path, extractor):
    ex = extractor.extract(article("Changan's premium brand Avatr delivered 14,128 cars in December, the company "
                                   "said. Its Avatr 12 saloon is often compared with the Porsche Taycan for its styling."))
    assert {(c.kind, c.subject) for c in ex.candidates} >= {("figure", "new:Avatr"), ("competition", "new:Avatr 12")}
    assert {e.name: e.kind for e in ex.new_entities} == {"Avatr": "company", "Avatr 12": "model"}
    from autokg.ingest.turtle import to_turtle

    text = to_turtle(load(), [ex])
    assert "akg:CandidateEntity" in text and "a akg:Manufacturer" not in text and "a akg:VehicleModel" not in text


def test_accepted_candidates_pass_the_shapes(tmp_path):
    out = tmp_path / "c.ttl"
    paths = [str(p) for p in sorted(ARTICLES.glob("*.txt")) + sorted(ARTICLES.glob("*.html"))]
    assert run("ingest", *paths, "-o", str(out), "--format", "json").exit_code == 0
    assert run("ingest", "--accept", str(out)).exit_code == 0
    result = run("--data", str(out), "validate", "--no-qc")
    assert result.exit_code == 0, result.output


def test_accept_some_and_reject_others(tmp_path):
    out = tmp_path / "c.ttl"
    run("ingest", str(SEED), "-o", str(out), "--format", "json")
    first = next(line.split()[0] for line in out.read_text().splitlines() if line.startswith("id:target-"))
    result = run("ingest", "--reject", str(out), "--claim", first, "--format", "json")
    assert result.exit_code == 0 and json.loads(result.output)["changed"] == ["https://w3id.org/autokg/id/" + first[3:]]
    assert run("ingest", "--reject", str(out)).exit_code == 2  # needs --claim
    assert run("ingest", "--accept", str(out), "--claim", "id:nothing-here").exit_code == 2


def test_json_output_keeps_everything():
    result = run("ingest", str(SEED), "--format", "json")
    [doc] = json.loads(result.output)
    assert doc["article"]["published"] == "2026-01-05"
    assert {"sentence", "start", "end", "rule", "confidence", "claim_kind", "period"} <= set(doc["candidates"][0])


@pytest.mark.parametrize("content,message", [
    (b"", "empty"),
    (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)) * 4, "binary"),
    ("Der chinesische Hersteller Xiaomi will in diesem Jahr 550.000 Fahrzeuge ausliefern, teilte das Unternehmen "
     "am Montag mit. Im vergangenen Jahr waren es mehr als 410.000 Autos, und die Nachfrage bleibt hoch.".encode(), "English"),
    (b"<html><head><title>x</title><script>var a = 1;</script></head><body><nav>Home</nav></body></html>", "no article text"),
    (b"Title: T\nPublished: yesterday\nURL: https://example.org/x\n\nXiaomi delivered 5 cars.", ":2: Published"),
])
def test_bad_input_gets_one_line_and_writes_nothing(tmp_path, content, message):
    path = tmp_path / "a.txt"
    path.write_bytes(content)
    out = tmp_path / "out.ttl"
    result = run("ingest", str(path), "-o", str(out))
    assert result.exit_code == 2
    assert message in result.output and result.output.count("\n") == 1 and "Traceback" not in result.output
    assert not out.exists()


def test_a_10_mb_file_is_refused(tmp_path):
    path = tmp_path / "big.txt"
    path.write_bytes(b"Xiaomi delivered 5 cars. " * (10 * 1024 * 1024 // 25))
    result = run("ingest", str(path))
    assert result.exit_code == 2 and "too large" in result.output


def test_one_bad_article_of_several_writes_nothing(tmp_path):
    bad = tmp_path / "empty.txt"
    bad.write_text("")
    out = tmp_path / "out.ttl"
    assert run("ingest", str(SEED), str(bad), "-o", str(out)).exit_code == 2
    assert not out.exists()


def test_an_article_without_facts_is_an_empty_result_with_a_note(tmp_path):
    path = tmp_path / "a.txt"
    path.write_text("The weather in Beijing was mild on Monday, and the traffic was light as usual for the season.\n")
    result = run("ingest", str(path), "-o", str(tmp_path / "out.ttl"))
    assert result.exit_code == 0 and "No candidate claims found" in result.output
    assert "no publication date" in result.output and not (tmp_path / "out.ttl").exists()


def test_writing_needs_a_url_but_the_table_does_not(tmp_path):
    path = tmp_path / "a.txt"
    path.write_text("Title: T\nPublished: 2025-08-01\n\nXiaomi delivered 30,000 cars in July, the company said.\n")
    assert "deliveries 30,000" in run("ingest", str(path)).output
    result = run("ingest", str(path), "-o", str(tmp_path / "o.ttl"))
    assert result.exit_code == 2 and "--url" in result.output
    ok = run("ingest", str(path), "--url", "https://example.org/a", "-o", str(tmp_path / "o.ttl"))
    assert ok.exit_code == 0 and (tmp_path / "o.ttl").exists()


def test_usage_errors():
    assert run("ingest").exit_code == 2
    assert run("ingest", str(SEED), str(SEED), "--url", "https://example.org/x").exit_code == 2
    assert run("ingest", str(SEED), "--published", "soon").exit_code == 2


def test_reader_refuses_a_malformed_header_line():
    with pytest.raises(InputError, match=":2:"):
        parse_article("Title: T\nthis is not a header\n\nText.")
