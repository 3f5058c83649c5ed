"""autokg import sales: the library call and the CLI, on small tables the tests write."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from autokg.cli import cli
from autokg.graph import load
from autokg.importers import import_sales

SHARED = Path(__file__).resolve().parents[2] / "shared" / "data"
URL10 = "https://example.com/2025/11/china-october-2025"
URL11 = "https://example.com/2025/12/china-november-2025"

ROWS = [
    ("month", "dataset", "brand", "model", "units", "source_url"),
    ("2025-10", "AllCarsTotal", "other", "", "2300000", URL10),
    ("2025-10", "ElectricCarsByModel", "Xiaomi", "YU7", "33662", URL10),
    ("2025-10", "ElectricCarsByModel", "Xiaomi", "SU7", "20000", URL10),
    ("2025-10", "ElectricCarsByModel", "Acmemotors", "Roadster X", "15000", URL10),
    ("2025-10", "ElectricCarsByModel", "Xioami", "SU7", "12", URL10),
    ("2025-10", "ElectricCarsByModel", "other", "", "90000", URL10),
    ("2025-11", "ElectricCarsByModel", "Xiaomi", "YU7", "33729", URL11),
    ("2025-11", "ElectricCarsByModel", "Xiaomi", "YU7 GT", "100", URL11),
    ("2025-11", "ElectricCarsByModel", "Acmemotors", "Roadster X", "16000", URL11),
    ("2025-11", "ElectricCarsByModel", "Xiaomi", "SU7", "19000", URL11),
]


def write_csv(path: Path, rows) -> Path:
    with open(path, "w", newline="", encoding="utf-8") as f:
        csv.writer(f).writerows(rows)
    return path


@pytest.fixture(scope="module")
def kg():
    return load()


@pytest.fixture
def table(tmp_path: Path) -> Path:
    return write_csv(tmp_path / "sales.csv", ROWS)


def run(*args: str):
    return CliRunner().invoke(cli, list(args), catch_exceptions=False)


def test_library_resolves_lists_and_keeps_totals(kg, table):
    result = import_sales(kg, table, market="CN")
    r = result.report
    assert r.rows == 10
    assert r.market == 2  # the total row and the "other" bucket
    assert r.matched == 5  # YU7 x2, SU7 x2, YU7 GT
    assert "Xioami" in r.unresolved and "Xiaomi" in r.unresolved["Xioami"]["suggestions"]
    assert "Acmemotors" in r.unresolved
    assert r.skipped_count == 3 and not r.invalid
    text = b"".join(result.to_turtle().splitlines(keepends=True)).decode()
    assert "id:xiaomi-yu7" in text and "ck:third-party-estimate" in text and "measure:sales" in text
    assert 'akg:coverage "all-cars"' in text and 'akg:coverage "other-models"' in text
    assert "akg:VehicleModel" not in text  # nothing made without --create, and never a model "other"
    assert "src:" + __import__("hashlib").sha1(URL10.encode()).hexdigest()[:10] in text


def test_create_makes_maker_and_model_with_source(kg, table):
    result = import_sales(kg, table, market="CN", create=True, kind="registrations")
    text = result.to_turtle().decode()
    assert "id:acmemotors a akg:Manufacturer" in text
    assert "id:acmemotors-roadster-x a akg:VehicleModel" in text
    assert 'rdfs:label "Acmemotors Roadster X"@en' in text
    assert "measure:registrations" in text
    assert result.report.created == 2 + 1  # two Roadster rows, the Xioami SU7 row
    assert result.ok


def test_cli_writes_and_figures_answers(tmp_path, table):
    out = tmp_path / "out.ttl"
    res = run("import", "sales", str(table), "--market", "CN", "--create", "-o", str(out))
    assert res.exit_code == 0, res.output
    assert "2 market totals" in res.output and out.is_file()
    res = run("--data", str(out), "figures", "Xiaomi YU7", "--kind", "sales", "--format", "json")
    assert res.exit_code == 0, res.output
    assert URL10 in res.output and URL11 in res.output


def test_reimport_is_idempotent(tmp_path, table):
    a, b = tmp_path / "a.ttl", tmp_path / "b.ttl"
    assert run("import", "sales", str(table), "--market", "CN", "--create", "-o", str(a)).exit_code == 0
    assert run("import", "sales", str(table), "--market", "CN", "--create", "-o", str(b)).exit_code == 0
    assert a.read_bytes() == b.read_bytes()
    res = run("--data", str(a), "import", "sales", str(table), "--market", "CN", "--create", "-o", str(a),
              "--format", "json")
    assert res.exit_code == 0, res.output
    report = json.loads(res.output)
    assert report["new_triples"] == 0 and report["created"] == 0
    assert a.read_bytes() == b.read_bytes()  # writing into a loaded file keeps what it held


def test_dry_run_writes_nothing(tmp_path, table):
    out = tmp_path / "out.ttl"
    res = run("import", "sales", str(table), "--dry-run", "-o", str(out))
    assert res.exit_code == 0 and "dry run" in res.output and not out.exists()


def test_missing_column_and_file(tmp_path, table):
    res = run("import", "sales", str(table), "--units-col", "volume", "-o", str(tmp_path / "o.ttl"))
    assert res.exit_code == 2
    assert "'volume'" in res.output and "month, dataset, brand, model, units, source_url" in res.output
    res = run("import", "sales", str(tmp_path / "nope.csv"), "-o", str(tmp_path / "o.ttl"))
    assert res.exit_code == 2 and "no such file" in res.output
    headless = write_csv(tmp_path / "h.csv", [("when", "maker", "model", "units", "url")])
    res = run("import", "sales", str(headless), "--dry-run")
    assert res.exit_code == 2 and "no month column" in res.output


def test_invalid_rows_refused_or_skipped(tmp_path):
    rows = ROWS[:4] + [("2025-12", "ElectricCarsByModel", "Xiaomi", "YU7", "-5", URL11),
                       ("2025-13", "ElectricCarsByModel", "Xiaomi", "SU7", "7", URL11),
                       ("2025-12", "ElectricCarsByModel", "Xiaomi", "SU7", "many", URL11)]
    table = write_csv(tmp_path / "bad.csv", rows)
    out = tmp_path / "out.ttl"
    res = run("import", "sales", str(table), "--market", "CN", "-o", str(out))
    assert res.exit_code == 1, res.output
    assert not out.exists()
    assert "line 5:" in res.output and "negative" in res.output  # found by the SHACL shapes
    assert "line 6:" in res.output and "line 7:" in res.output  # found by the row checks
    res = run("import", "sales", str(table), "--market", "CN", "--skip-invalid", "-o", str(out))
    assert res.exit_code == 0, res.output
    text = out.read_text()
    assert "-5" not in text and "2025-12" not in text and "id:figure-xiaomi-yu7-sales-2025-10" in text


def test_conflicting_duplicate_rows(tmp_path):
    rows = ROWS[:3] + [("2025-10", "ElectricCarsByModel", "Xiaomi", "YU7", "33662", URL10),
                       ("2025-10", "ElectricCarsByModel", "Xiaomi", "YU7", "1", URL10)]
    report = import_sales(load(), write_csv(tmp_path / "d.csv", rows), validate=False).report
    assert len(report.skipped) == 1 and [p.line for p in report.invalid] == [5]


@pytest.mark.skipif(not (SHARED / "cn-bev-sales-monthly.csv").is_file(), reason="shared data absent")
def test_shared_china_table(tmp_path):
    with open(SHARED / "cn-bev-sales-monthly.csv", encoding="utf-8", newline="") as f:
        rows = list(csv.reader(f))
    keep = [rows[0]] + [r for r in rows[1:] if r[0] >= "2025-06" and (r[2] in ("Xiaomi", "Tesla") or r[1] == "AllCarsTotal")]
    table = write_csv(tmp_path / "cn-bev-sales-monthly.csv", keep)
    out = tmp_path / "cn.ttl"
    res = run("import", "sales", str(table), "--market", "CN", "--create", "-o", str(out))
    assert res.exit_code == 0, res.output
    res = run("--data", str(out), "figures", "Xiaomi YU7", "--kind", "sales", "--format", "json")
    assert res.exit_code == 0
    assert "cleantechnica.com/2025/11/20" in res.output


def test_streamed_in_chunks_gives_the_collected_triples(kg, table):
    from autokg.importers.sales import stream_sales

    whole = import_sales(kg, table, market="CN", create=True)
    stream = stream_sales(kg, table, market="CN", create=True, chunk_rows=3)
    streamed = list(stream.triples)
    assert len(streamed) == len(set(streamed)) == len(whole.triples)
    assert set(streamed) == set(whole.triples)
    assert stream.report.as_dict() == whole.report.as_dict()


def test_an_invalid_row_in_a_later_chunk_leaves_no_output(tmp_path, monkeypatch):
    from autokg.importers import stream

    monkeypatch.setattr(stream, "CHUNK_ROWS", 3)
    rows = [*ROWS, ("2025-12", "ElectricCarsByModel", "Xiaomi", "SU7", "many", URL11)]
    bad = write_csv(tmp_path / "bad.csv", rows)
    out = tmp_path / "out.ttl"
    res = run("import", "sales", str(bad), "--market", "CN", "--create", "-o", str(out))
    assert res.exit_code == 1 and "line 12" in res.output and "'many'" in res.output
    assert not out.exists() and list(tmp_path.glob(".out.ttl*")) == []
    res = run("import", "sales", str(bad), "--market", "CN", "--create", "--skip-invalid", "-o", str(out))
    assert res.exit_code == 0 and out.is_file()
    (tmp_path / "good").mkdir()
    same_name = write_csv(tmp_path / "good" / "bad.csv", ROWS)  # the file's name is in akg:sourceRecord
    good = tmp_path / "good.ttl"
    assert run("import", "sales", str(same_name), "--market", "CN", "--create", "-o", str(good)).exit_code == 0
    assert sorted(out.read_text().splitlines()) == sorted(good.read_text().splitlines())
