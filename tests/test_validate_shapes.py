"""``autokg validate --shapes SHAPES [DATA ...] [--no-bundled]``: any data against any shapes, with
literals checked as written although the store keeps some in another form."""

from __future__ import annotations

import json

from click.testing import CliRunner

from autokg.cli import cli

SHAPES = """@prefix sh: <http://www.w3.org/ns/shacl#> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
@prefix ex: <http://example.org/> .
ex:IntShape a sh:NodeShape ; sh:targetClass ex:Thing ;
  sh:property [ sh:path ex:count ; sh:datatype xsd:int ] ;
  sh:property [ sh:path ex:size ; sh:minExclusive 4 ] .
"""


def _validate(tmp_path, data: str, *extra: str):
    (tmp_path / "shapes.ttl").write_text(SHAPES)
    (tmp_path / "data.ttl").write_text("@prefix ex: <http://example.org/> .\n"
                                       "@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .\n" + data)
    return CliRunner().invoke(cli, ["validate", "--shapes", str(tmp_path / "shapes.ttl"), str(tmp_path / "data.ttl"),
                                    "--no-bundled", *extra], catch_exceptions=False)


def test_a_literal_the_store_rewrites_is_checked_as_written(tmp_path):
    # The store keeps "5"^^xsd:int as "5"^^xsd:integer: checked in the store, it would fail.
    result = _validate(tmp_path, 'ex:a a ex:Thing ; ex:count "5"^^xsd:int ; ex:size 5 .\n')
    assert result.exit_code == 0, result.output


def test_violations_name_the_values_as_written(tmp_path):
    data = ('ex:a a ex:Thing ; ex:count "5"^^xsd:integer ; ex:size 4.0 .\n'
            'ex:b a ex:Thing ; ex:count "c"^^xsd:int .\n')
    result = _validate(tmp_path, data, "--format", "json")
    assert result.exit_code == 1, result.output
    found = sorted((r["focus_node"], r["constraint"].split("#")[1], r["value"]) for r in json.loads(result.output)["shacl"]["results"])
    assert found == [("http://example.org/a", "DatatypeConstraintComponent", "5"),
                     ("http://example.org/a", "MinExclusiveConstraintComponent", "4.0"),
                     ("http://example.org/b", "DatatypeConstraintComponent", "c")]


def test_canonical_data_runs_compiled_and_agrees(tmp_path):
    result = _validate(tmp_path, 'ex:a a ex:Thing ; ex:count 5 ; ex:size 3 .\n', "--format", "json")
    assert result.exit_code == 1
    components = sorted(r["constraint"].split("#")[1] for r in json.loads(result.output)["shacl"]["results"])
    assert components == ["DatatypeConstraintComponent", "MinExclusiveConstraintComponent"]


def test_no_bundled_needs_files():
    result = CliRunner().invoke(cli, ["validate", "--no-bundled"])
    assert result.exit_code == 2 and "--no-bundled needs" in result.output
