"""The strict checks and limits of RDF input (autokg.rdfchecks through autokg.rdfio): what is refused
beyond the red-team cases of test_bad_input, and what odd but good input still loads."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import pytest

from autokg.errors import DataFileError, InputError
from autokg.rdfchecks import MAX_DEPTH
from autokg.rdfio import expand_paths, parse, parse_text, skipped_files

sys.path.insert(0, str(Path(__file__).parent))
from hostile import assert_refused, invoke  # noqa: E402

sys.path.remove(str(Path(__file__).parent))

RDF_NS = 'xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" xmlns:ex="http://e/"'
TRIPLE = '<http://e/s> <http://e/p> "o" .\n'


def _write(folder: Path, name: str, text: str) -> Path:
    path = folder / name
    path.write_text(text, encoding="utf-8")
    return path


def _refusal(path: Path) -> str:
    with pytest.raises(DataFileError) as caught:
        list(parse(path))
    assert "\n" not in str(caught.value)
    assert str(path) in str(caught.value)
    return str(caught.value)


def _rdf_xml(body: str, dtd: str = "") -> str:
    return f'<?xml version="1.0"?>\n{dtd}<rdf:RDF {RDF_NS}>{body}</rdf:RDF>\n'


DESCRIPTION = '<rdf:Description rdf:about="http://e/s"><ex:p>{}</ex:p></rdf:Description>'


@pytest.mark.parametrize("dtd, says", [
    ('<!DOCTYPE rdf:RDF [ <!ENTITY % p "x"> ]>\n', "parameter entity"),
    ('<!DOCTYPE rdf:RDF [ <!ENTITY e PUBLIC "-//x//y" "http://127.0.0.1:9/e"> ]>\n', "external entity"),
    ('<!DOCTYPE rdf:RDF [ <!ENTITY a "x"> <!ENTITY b "&a;&a;"> ]>\n', "other entities"),
])
def test_rdf_xml_entities_that_can_grow_are_refused_at_their_declaration(tmp_path, dtd, says):
    message = _refusal(_write(tmp_path, "x.rdf", _rdf_xml(DESCRIPTION.format("&a;"), dtd)))
    assert says in message and ":2:" in message  # the line of the declaration


def test_many_uses_of_a_short_entity_are_bounded(tmp_path):
    dtd = f'<!DOCTYPE rdf:RDF [ <!ENTITY e "{"x" * 1000}"> ]>\n'
    message = _refusal(_write(tmp_path, "x.rdf", _rdf_xml(DESCRIPTION.format("&e;" * 40_000), dtd)))
    assert "entit" in message


def test_rdf_xml_nested_deeper_than_the_limit_is_refused_and_at_the_limit_loads(tmp_path):
    def nested(levels: int) -> str:  # each description holds the next: 2 elements a level
        return (f'<rdf:Description rdf:about="http://e/s"><ex:p>' * levels + "x"
                + "</ex:p></rdf:Description>" * levels)

    assert "deeper than" in _refusal(_write(tmp_path, "deep.rdf", _rdf_xml(nested(MAX_DEPTH))))
    assert len(list(parse(_write(tmp_path, "ok.rdf", _rdf_xml(nested(MAX_DEPTH // 2 - 1)))))) == MAX_DEPTH // 2 - 1


def test_json_ld_at_the_depth_limit_loads_and_one_deeper_is_refused(tmp_path):
    def nested(depth: int) -> str:  # the outer object, then lists
        return '{"@id": "http://e/s", "http://e/p": ' + "[" * (depth - 1) + '"x"' + "]" * (depth - 1) + "}"

    assert len(list(parse(_write(tmp_path, "ok.jsonld", nested(MAX_DEPTH))))) == 1
    assert "deeper than" in _refusal(_write(tmp_path, "deep.jsonld", nested(MAX_DEPTH + 1)))


@pytest.mark.parametrize("document", [
    '{"@id": "http://e/s", "@type": ["http://e/T", "http://a b"]}',
    '{"@id": "http://e/s", "http://e/a b": "x"}',
    '{"@context": {"ex": "http://e/"}, "@id": "ex:s", "ex:p": {"@id": "ex:a b"}}',
])
def test_json_ld_iris_that_json_ld_would_drop_are_refused(tmp_path, document):
    assert "not a valid IRI" in _refusal(_write(tmp_path, "x.jsonld", document))


def test_json_ld_with_terms_language_maps_and_a_bom_still_loads(tmp_path):
    document = ('{"@context": {"ex": "http://e/", "name": "ex:name", "Car": "ex:Car", '
                '"label": {"@id": "ex:label", "@container": "@language"}}, '
                '"@id": "ex:s", "@type": "Car", "name": "x", "label": {"en": "a", "de": "b"}}')
    path = tmp_path / "x.jsonld"
    path.write_bytes(b"\xef\xbb\xbf" + document.encode())
    assert len(list(parse(path))) == 4


def test_version_is_refused_on_any_line_and_a_bom_is_skipped_in_text(tmp_path):
    message = _refusal(_write(tmp_path, "v.ttl", TRIPLE * 3 + '@version "1.2" .\n' + TRIPLE))
    assert ":4:" in message and "VERSION" in message
    assert len(parse_text("\ufeff" + TRIPLE)) == 1
    with pytest.raises(DataFileError, match="VERSION"):
        parse_text('version "1.2"\n' + TRIPLE)


def test_a_literal_that_mentions_a_version_is_not_a_directive(tmp_path):
    path = _write(tmp_path, "ok.ttl", '<http://e/s> <http://e/p> """notes\n  the version "2" is out""" .\n')
    assert len(list(parse(path))) == 1


def test_a_folder_lists_the_files_it_leaves_out_and_an_empty_path_is_refused(tmp_path):
    folder = tmp_path / "in"
    (folder / "sub").mkdir(parents=True)
    _write(folder, "a.ttl", TRIPLE)
    _write(folder / "sub", "b.nt", TRIPLE)
    _write(folder, "README.md", "notes")
    os.mkfifo(folder / "pipe.ttl")
    assert expand_paths([folder]) == [folder / "a.ttl", folder / "sub" / "b.nt"]
    assert skipped_files([folder]) == [folder / "README.md", folder / "pipe.ttl"]
    with pytest.raises(InputError, match="empty path"):
        expand_paths([""])
    with pytest.raises(InputError, match="not a regular file"):
        expand_paths([folder / "pipe.ttl"])


def test_store_load_of_a_folder_names_the_files_it_skips(tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    _write(folder, "a.ttl", TRIPLE)
    _write(folder, "notes.txt", "not RDF")
    outcome = invoke("store", "load", str(folder), "--store", str(tmp_path / "kg"), "--no-progress")
    assert outcome.code == 0, outcome
    assert "Skipped 1 file(s)" in outcome.stderr and "notes.txt" in outcome.stderr


def test_a_bom_file_loads_into_an_on_disk_store(tmp_path):
    path = tmp_path / "bom.ttl"
    path.write_bytes(b"\xef\xbb\xbf" + TRIPLE.encode())
    outcome = invoke("store", "load", str(path), "--store", str(tmp_path / "kg"), "--no-progress")
    assert outcome.code == 0, outcome
    assert "Loaded 1 triples" in outcome.stderr


def test_an_unlistable_folder_is_an_error(tmp_path):
    if os.geteuid() == 0:
        pytest.skip("root lists every folder")
    folder = tmp_path / "in"
    (folder / "locked").mkdir(parents=True)
    _write(folder, "a.ttl", TRIPLE)
    (folder / "locked").chmod(0)
    try:
        assert_refused(invoke("store", "load", str(folder), "--store", str(tmp_path / "kg"), "--no-progress"),
                       says="cannot read folder")
    finally:
        (folder / "locked").chmod(0o755)
