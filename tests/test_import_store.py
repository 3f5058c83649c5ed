"""autokg import into a persistent store (--store), instead of -o FILE.ttl."""

from __future__ import annotations

import csv
import json
from pathlib import Path

from click.testing import CliRunner

from autokg.cli import cli

URL = "https://example.com/2025/china-sales"
ROWS = [
    ("month", "dataset", "brand", "model", "units", "source_url"),
    ("2025-10", "ElectricCarsByModel", "Xiaomi", "YU7", "33662", URL),
    ("2025-11", "ElectricCarsByModel", "Xiaomi", "YU7", "33729", URL),
    ("2025-11", "ElectricCarsByModel", "Acmemotors", "Roadster X", "16000", URL),
]


def write_csv(path: Path, rows) -> Path:
    with open(path, "w", newline="", encoding="utf-8") as f:
        csv.writer(f).writerows(rows)
    return path


def run(*args: str):
    return CliRunner().invoke(cli, list(args), catch_exceptions=False)


def test_import_into_a_store_is_queryable_and_idempotent(tmp_path):
    store = tmp_path / "kg.db"
    table = write_csv(tmp_path / "sales.csv", ROWS)
    assert run("store", "init", "--store", str(store), "--no-progress").exit_code == 0
    first = run("--store", str(store), "import", "sales", str(table), "--market", "CN", "--create")
    assert first.exit_code == 0, first.output
    assert f"to {store}" in first.output
    answer = json.loads(run("--store", str(store), "figures", "Xiaomi YU7", "--kind", "sales", "--format", "json").output)
    assert sorted(f["value"] for f in answer["figures"] if f["url"] == URL) == [33662, 33729]
    stats = json.loads(run("--store", str(store), "stats", "--format", "json").output)
    again = run("--store", str(store), "import", "sales", str(table), "--market", "CN", "--create")
    assert again.exit_code == 0
    assert json.loads(run("--store", str(store), "stats", "--format", "json").output) == stats


def test_invalid_rows_leave_the_store_as_it_was(tmp_path):
    store = tmp_path / "kg.db"
    bad = write_csv(tmp_path / "bad.csv", [*ROWS, ("2025-12", "ElectricCarsByModel", "Xiaomi", "YU7", "-5", URL)])
    assert run("store", "init", "--store", str(store), "--no-progress").exit_code == 0
    before = json.loads(run("--store", str(store), "stats", "--format", "json").output)
    result = CliRunner().invoke(cli, ["--store", str(store), "import", "sales", str(bad), "--market", "CN", "--create"])
    assert result.exit_code == 1
    assert json.loads(run("--store", str(store), "stats", "--format", "json").output) == before
