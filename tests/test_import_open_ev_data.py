"""autokg import open-ev-data: a tiny dataset tree in the dataset's own layout."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from autokg.cli import cli
from autokg.graph import load
from autokg.importers import import_open_ev_data
from autokg.importers.open_ev_data import deep_merge

SHARED = Path(__file__).resolve().parents[2] / "shared" / "data"

SCHEMA = {
    "$schema": "http://json-schema.org/draft-07/schema#",
    "type": "object",
    "required": ["make", "model", "year", "trim", "battery", "range"],
    "properties": {
        "year": {"type": "integer"},
        "markets": {"type": "array", "items": {"type": "string", "pattern": "^[A-Z]{2}$"}},
        "range": {"type": "object", "required": ["rated"]},
    },
}


def tree(root: Path, *, broken: bool = False, version: bool = True) -> Path:
    def put(rel: str, data) -> None:
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps(data), encoding="utf-8")

    put("schema.json", SCHEMA)
    if version:
        put("package.json", {"name": "open-ev-data", "version": "9.9.9"})
    (root / "LICENCE").write_text("Community Data License Agreement - Permissive - Version 2.0\n")
    put("src/acmemotors/volt_runner/base.json", {
        "make": {"slug": "acmemotors", "name": "Acmemotors"}, "model": {"slug": "volt_runner", "name": "Volt Runner"},
        "vehicle_type": "suv", "body": {"style": "crossover"}})
    put("src/acmemotors/volt_runner/2025/volt_runner.json", {
        "year": 2025, "trim": {"slug": "base", "name": "Base"}, "markets": ["CN", "DE"],
        "powertrain": {"drivetrain": "rwd", "system_power_kw": 200},
        "battery": {"pack_capacity_kwh_net": 60},
        "range": {"rated": [{"cycle": "wltp", "range_km": 450}, {"cycle": "cltc", "range_km": 520}]}})
    put("src/acmemotors/volt_runner/2025/volt_runner_long_range.json", {
        "variant": {"slug": "long_range", "name": "Long Range", "kind": "range_upgrade"},
        "battery": {"pack_capacity_kwh_net": 80},
        "range": {"rated": [{"cycle": "wltp", "range_km": 600}]}})
    if broken:
        put("src/acmemotors/volt_runner/2025/volt_runner_bad.json", {
            "variant": {"slug": "bad", "name": "Bad"}, "markets": ["china"]})
    return root


def run(*args: str):
    return CliRunner().invoke(cli, list(args), catch_exceptions=False)


def test_deep_merge_replaces_arrays():
    assert deep_merge({"r": {"rated": [1, 2]}, "b": {"x": 1}}, {"r": {"rated": [3]}, "b": {"y": 2}}) == {
        "r": {"rated": [3]}, "b": {"x": 1, "y": 2}}


def test_models_variants_and_specs(tmp_path):
    result = import_open_ev_data(load(), tree(tmp_path / "oed"), create=True)
    assert result.ok and result.report.rows == 2 and result.report.created == 2
    text = result.to_turtle().decode()
    assert "src:open-ev-data-v9-9-9 a akg:Dataset" in text and '"CDLA-Permissive-2.0"' in text
    assert "id:acmemotors-volt-runner a akg:VehicleModel" in text and "body:suv" in text
    assert "id:acmemotors-volt-runner-long-range a akg:Variant" in text and "vk:powertrain-derivative" in text
    assert 'akg:sourceRecord "src/acmemotors/volt_runner/2025/volt_runner_long_range.json"' in text
    assert "akg:batteryCapacityNetKWh 80.0" in text and 'akg:testCycle "CLTC"' in text
    assert "market:CN" in text and '"2025"^^xsd:gYear' in text
    # the variant inherits the year base's markets, but replaces its ranges (arrays are replaced)
    assert "id:spec-acmemotors-volt-runner-2025-volt-runner-long-range-range-cltc" not in text


def test_schema_violation_names_the_file(tmp_path):
    root = tree(tmp_path / "oed", broken=True)
    out = tmp_path / "o.ttl"
    res = run("import", "open-ev-data", str(root), "--create", "-o", str(out))
    assert res.exit_code == 1 and "volt_runner_bad.json: schema.json: markets/0" in res.output
    assert not out.exists()
    res = run("import", "open-ev-data", str(root), "--create", "--skip-invalid", "-o", str(out))
    assert res.exit_code == 0 and out.is_file()


def test_version_needed(tmp_path):
    root = tree(tmp_path / "oed", version=False)
    res = run("import", "open-ev-data", str(root), "--dry-run")
    assert res.exit_code == 2 and "--dataset-version" in res.output
    res = run("import", "open-ev-data", str(root), "--dry-run", "--create", "--dataset-version", "1.0.0")
    assert res.exit_code == 0, res.output
    assert run("import", "open-ev-data", str(tmp_path / "none"), "--dry-run").exit_code == 2


def test_without_create_lists_unresolved(tmp_path):
    report = import_open_ev_data(load(), tree(tmp_path / "oed")).report
    assert "Acmemotors" in report.unresolved and report.skipped_count == 2


@pytest.mark.skipif(not (SHARED / "open-ev-data" / "src").is_dir(), reason="shared data absent")
def test_shared_dataset_sample(tmp_path):
    root = tmp_path / "data" / "open-ev-data"
    (root / "src").mkdir(parents=True)
    for name in ("schema.json", "LICENCE", "README.md"):
        shutil.copy(SHARED / "open-ev-data" / name, root / name)
    shutil.copy(SHARED / "README.md", root.parent / "README.md")  # states the version
    shutil.copytree(SHARED / "open-ev-data" / "src" / "tesla", root / "src" / "tesla")
    result = import_open_ev_data(load(), root, create=True)
    text = result.to_turtle().decode()
    assert result.ok, [str(p) for p in result.report.invalid]
    assert "src:open-ev-data-v1-24-0 a akg:Dataset" in text and '"CDLA-Permissive-2.0"' in text
    assert "id:tesla-model-y-performance a akg:Variant" in text


def test_a_maker_another_import_made_is_found_by_the_iri_creating_would_mint(tmp_path):
    # A sales table makes "MG" (id:mg); the dataset names it "MG Motor" with its slug "mg". Finding
    # and creating follow one rule, so the dataset's make is that maker: no second label, no
    # "already names something" row.
    from autokg.importers import import_sales

    kg = load()
    table = tmp_path / "sales.csv"
    table.write_text("month,brand,model,units,source_url\n2025-10,MG,ZS EV,100,https://example.org/a.html\n")
    sales = import_sales(kg, table, market="CN", create=True)
    assert sales.ok and ("https://w3id.org/autokg/id/mg", "MG", "maker") in sales.report.new_entities
    kg.add(sales.triples)
    root = tree(tmp_path / "oed")
    shutil.rmtree(root / "src" / "acmemotors")
    (root / "src" / "mg" / "cyberster" / "2025").mkdir(parents=True)
    (root / "src" / "mg" / "cyberster" / "base.json").write_text(json.dumps({
        "make": {"slug": "mg", "name": "MG Motor"}, "model": {"slug": "cyberster", "name": "Cyberster"}}))
    (root / "src" / "mg" / "cyberster" / "2025" / "cyberster.json").write_text(json.dumps({
        "year": 2025, "trim": {"slug": "base", "name": "Base"}, "battery": {"pack_capacity_kwh_net": 77},
        "range": {"rated": [{"cycle": "wltp", "range_km": 443}]}}))
    result = import_open_ev_data(kg, root, create=True)
    assert result.ok and not result.report.invalid and not result.report.skipped, result.report.lines()
    assert [kind for _, _, kind in result.report.new_entities] == ["model"]
    text = result.to_turtle().decode()
    assert "akg:manufacturer id:mg" in text and "MG Motor" not in text
