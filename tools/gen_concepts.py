"""Writes ontology/concepts.ttl (the SKOS concept schemes) from the concept tables.

The tables are data, not code: ``ontology/concept-schemes.csv`` names each scheme's class, and
``ontology/concepts.csv`` has one row per concept (a new measure, unit or market is a new row).
Columns of a concept row: its scheme, its notation (the last part of its IRI), its label, its
alternative labels separated by ``|``, its definition, the notation of a broader concept of the
same scheme (registrations are sales; a country's region) and, for a region that is the world
but one market, that market (``excepts``). Run ``python tools/gen_concepts.py`` after editing;
``tests/test_ontology.py`` checks that concepts.ttl and the tables agree.
"""

from __future__ import annotations

import csv
import sys
from pathlib import Path

ONTOLOGY = Path(__file__).resolve().parent.parent / "ontology"
CONCEPT = "https://w3id.org/autokg/concept"
HEADER = """@prefix akg:  <https://w3id.org/autokg/ns#> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix skos: <http://www.w3.org/2004/02/skos/core#> .

# Concepts of autokg's controlled vocabularies, written by tools/gen_concepts.py from
# ontology/concepts.csv: edit the table, not this file. IRIs are
# https://w3id.org/autokg/concept/<scheme>/<notation>; markets use ISO 3166-1 alpha-2 codes.
"""


def _literal(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"@en'


def _concept(row: dict[str, str], scheme_class: str) -> str:
    iri = f"<{CONCEPT}/{row['scheme']}/{row['notation']}>"
    lines = [f"{iri} a skos:Concept ;", f"    skos:inScheme akg:{scheme_class} ;",
             f"    skos:prefLabel {_literal(row['label'])} ;", f"    rdfs:label {_literal(row['label'])} ;",
             f'    skos:notation "{row["notation"]}" ;']
    lines += [f"    skos:altLabel {_literal(alt)} ;" for alt in row["alt_labels"].split("|") if alt]
    if row["broader"]:
        lines.append(f"    skos:broader <{CONCEPT}/{row['scheme']}/{row['broader']}> ;")
    else:
        lines.append(f"    skos:topConceptOf akg:{scheme_class} ;")
    if row["excepts"]:
        lines.append(f"    akg:marketExcept <{CONCEPT}/{row['scheme']}/{row['excepts']}> ;")
    lines.append(f"    skos:definition {_literal(row['definition'])} .")
    return "\n".join(lines) + "\n"


def concepts_turtle(folder: Path = ONTOLOGY) -> str:
    """The Turtle of every concept of the tables in ``folder``, scheme by scheme."""
    with open(folder / "concept-schemes.csv", newline="", encoding="utf-8") as f:
        classes = {row["scheme"]: row["class"] for row in csv.DictReader(f)}
    with open(folder / "concepts.csv", newline="", encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    unknown = sorted({row["scheme"] for row in rows} - set(classes))
    if unknown:
        raise SystemExit(f"concepts.csv: schemes missing from concept-schemes.csv: {', '.join(unknown)}")
    out = [HEADER]
    for scheme, scheme_class in classes.items():
        out.append(f"\n# {scheme_class}\n")
        out += [_concept(row, scheme_class) for row in rows if row["scheme"] == scheme]
    return "".join(out)


if __name__ == "__main__":
    target = ONTOLOGY / "concepts.ttl"
    target.write_text(concepts_turtle(), encoding="utf-8")
    print(f"wrote {target}", file=sys.stderr)
