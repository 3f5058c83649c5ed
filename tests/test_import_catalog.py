"""autokg import catalog: EPA-style rows merged into one model per make and name."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest
from click.testing import CliRunner

from autokg.cli import cli
from autokg.graph import load
from autokg.importers import import_catalog

SHARED = Path(__file__).resolve().parents[2] / "shared" / "data"
HEADER = ("id", "make", "model", "year", "class", "trans", "drive", "cyl", "displ", "fuel", "hwy", "cty")
ROWS = [
    HEADER,
    ("1", "Acmemotors", "Roadster", "2010", "Two Seaters", "Manual 6-spd", "Rear-Wheel Drive", "4", "2", "Premium", "30", "22"),
    ("2", "Acmemotors", "Roadster", "2010", "Two Seaters", "Automatic 6-spd", "Rear-Wheel Drive", "4", "2", "Premium", "29", "21"),
    ("3", "Acmemotors", "Roadster", "2011", "Two Seaters", "Automatic 6-spd", "Rear-Wheel Drive", "6", "3", "Premium", "27", "19"),
    ("4", "Acmemotors", "Hauler 4WD", "2011", "Standard Pickup Trucks 4WD", "Automatic 4-spd", "4-Wheel Drive", "8", "5", "Regular", "17", "13"),
    ("5", "Acmemotors", "Hauler 4WD", "2011", "Standard Pickup Trucks 4WD", "Manual 5-spd", "4-Wheel Drive", "8", "5", "Regular", "18", "13"),
    ("6", "Acmemotors", "Sparky", "2014", "Small Station Wagons", "Automatic (A1)", "Front-Wheel Drive", "NA", "NA", "Electricity", "105", "122"),
]


def write_csv(path: Path, rows) -> Path:
    with open(path, "w", newline="", encoding="utf-8") as f:
        csv.writer(f).writerows(rows)
    return path


def run(*args: str):
    return CliRunner().invoke(cli, list(args), catch_exceptions=False)


@pytest.fixture
def catalog(tmp_path: Path) -> Path:
    return write_csv(tmp_path / "epa.csv", ROWS)


def test_rows_merge_into_one_model_per_name(catalog):
    result = import_catalog(load(), catalog, create=True, license="CC0-1.0")
    text = result.to_turtle().decode()
    assert text.count("a akg:VehicleModel") == 3 and text.count("a akg:Manufacturer") == 1
    assert "id:acmemotors-roadster a akg:VehicleModel" in text
    assert '"2010"^^xsd:gYear' in text and '"2011"^^xsd:gYear' in text
    assert 'akg:drivetrain "rwd"' in text and 'akg:drivetrain "4wd"' in text
    assert "body:pickup" in text and "body:wagon" in text and "pt:bev" in text
    assert 'akg:license "CC0-1.0"' in text and "a akg:Dataset" in text
    assert result.report.created == 6 and result.ok


def test_without_create_lists_unresolved(catalog):
    report = import_catalog(load(), catalog).report
    assert "Acmemotors" in report.unresolved and report.skipped_count == 6 and report.created == 0


def test_cli_bad_year_and_columns(tmp_path, catalog):
    bad = write_csv(tmp_path / "bad.csv", ROWS + [("7", "Acmemotors", "Roadster", "20x1", "", "", "", "", "", "", "", "")])
    out = tmp_path / "o.ttl"
    res = run("import", "catalog", str(bad), "--create", "-o", str(out))
    assert res.exit_code == 1 and "line 8: year '20x1'" in res.output and not out.exists()
    res = run("import", "catalog", str(bad), "--create", "--skip-invalid", "-o", str(out))
    assert res.exit_code == 0 and out.is_file()
    res = run("import", "catalog", str(catalog), "--year-col", "my", "-o", str(out))
    assert res.exit_code == 2 and "'my'" in res.output and "columns present" in res.output


def test_reimport_same_triples(tmp_path, catalog):
    a, b = tmp_path / "a.ttl", tmp_path / "b.ttl"
    assert run("import", "catalog", str(catalog), "--create", "-o", str(a)).exit_code == 0
    assert run("import", "catalog", str(catalog), "--create", "-o", str(b)).exit_code == 0
    assert a.read_bytes() == b.read_bytes()


@pytest.mark.skipif(not (SHARED / "epa-vehicles-1984-2015.csv").is_file(), reason="shared data absent")
def test_shared_epa_sample(tmp_path):
    with open(SHARED / "epa-vehicles-1984-2015.csv", encoding="utf-8", newline="") as f:
        rows = list(csv.reader(f))[:301]
    sample = write_csv(tmp_path / "epa-vehicles-1984-2015.csv", rows)
    result = import_catalog(load(), sample, create=True, license="CC0-1.0")
    pairs = {(r[1], r[2]) for r in rows[1:]}
    assert result.ok and result.report.rows == 300
    assert result.to_turtle().decode().count("a akg:VehicleModel") <= len(pairs)
