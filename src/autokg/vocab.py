"""The autokg vocabulary: the one prefix table, the namespaces as plain strings, and CURIEs.

Everything that prints, parses or serialises a prefixed name uses :data:`PREFIXES`: the SPARQL
prologue of every query, Turtle dumps and exports, the importers' Turtle, validation reports and
``--bind`` values. rdflib is not imported here, so the CLI's start-up path stays on pyoxigraph.

>>> curie("https://w3id.org/autokg/id/xiaomi-su7")
'id:xiaomi-su7'
>>> curie("https://w3id.org/autokg/id/source/abc")
'src:abc'
>>> expand("market:CN")
'https://w3id.org/autokg/concept/market/CN'
"""

from __future__ import annotations

__all__ = [
    "AKG", "ID", "SRC", "PUB", "CONCEPT", "MEASURE", "RDF", "RDFS", "SKOS", "XSD", "OWL", "PROV", "SCHEMA", "SH",
    "RDF_TYPE", "RDFS_LABEL", "PREFIXES", "RELATIONS", "curie", "expand", "sparql_prologue",
]

AKG = "https://w3id.org/autokg/ns#"
ID = "https://w3id.org/autokg/id/"
SRC = ID + "source/"
PUB = ID + "publisher/"
CONCEPT = "https://w3id.org/autokg/concept/"
MEASURE = CONCEPT + "measure/"
RDF = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
RDFS = "http://www.w3.org/2000/01/rdf-schema#"
SKOS = "http://www.w3.org/2004/02/skos/core#"
XSD = "http://www.w3.org/2001/XMLSchema#"
OWL = "http://www.w3.org/2002/07/owl#"
PROV = "http://www.w3.org/ns/prov#"
SCHEMA = "https://schema.org/"
SH = "http://www.w3.org/ns/shacl#"

RDF_TYPE = RDF + "type"
RDFS_LABEL = RDFS + "label"

#: The prefixes of the bundled Turtle files, of every query and of every output.
PREFIXES: dict[str, str] = {
    "akg": AKG,
    "id": ID,
    "src": SRC,
    "pub": PUB,
    "body": CONCEPT + "body-style/",
    "seg": CONCEPT + "segment/",
    "pt": CONCEPT + "powertrain/",
    "status": CONCEPT + "status/",
    "vk": CONCEPT + "variant-kind/",
    "ck": CONCEPT + "claim-kind/",
    "measure": MEASURE,
    "bound": CONCEPT + "bound/",
    "unit": CONCEPT + "unit/",
    "period": CONCEPT + "period/",
    "market": CONCEPT + "market/",
    "basis": CONCEPT + "basis/",
    "tier": CONCEPT + "credibility-tier/",
    "pubkind": CONCEPT + "publisher-kind/",
    "precision": CONCEPT + "date-precision/",
    "review": CONCEPT + "review-status/",
    "schema": SCHEMA,
    "prov": PROV,
    "skos": SKOS,
    "rdfs": RDFS,
    "rdf": RDF,
    "owl": OWL,
    "xsd": XSD,
    "sh": SH,
}

#: How a relation between two models reads from the first and from the second: the one vocabulary
#: of competitors, lineage and exports (lineage links by property, competition claims by class).
RELATIONS: dict[str, tuple[str, str]] = {
    AKG + "variantOf": ("variant of", "has variant"),
    AKG + "successorOf": ("successor of", "succeeded by"),
    AKG + "PositioningClaim": ("positioned against", "positioned against it"),
    AKG + "RivalryClaim": ("rival of", "rival of"),
    AKG + "ResemblanceClaim": ("resembles", "resembled by"),
}

# Longest namespace first, so that src: wins over id: for a source.
_BY_LENGTH = sorted(PREFIXES.items(), key=lambda kv: -len(kv[1]))


def curie(iri: str) -> str:
    """The prefixed name of an IRI, or the IRI itself when no prefix covers it.

    >>> curie("http://example.com/x")
    'http://example.com/x'
    """
    for prefix, namespace in _BY_LENGTH:
        if iri.startswith(namespace) and len(iri) > len(namespace):
            return f"{prefix}:{iri[len(namespace):]}"
    return iri


def expand(name: str) -> str | None:
    """The IRI of a prefixed name of :data:`PREFIXES` (``id:x``), or None if it is not one."""
    prefix, sep, local = name.partition(":")
    if sep and prefix in PREFIXES and not local.startswith("//"):
        return PREFIXES[prefix] + local
    return None


def sparql_prologue(query: str) -> str:
    """``PREFIX`` lines for the prefixes of :data:`PREFIXES` that ``query`` does not declare.

    >>> prologue = sparql_prologue("PREFIX akg: <x:>\\nSELECT * {}")
    >>> prologue.count("PREFIX") == len(PREFIXES) - 1, "akg:" in prologue
    (True, False)
    """
    declared = {line.split()[1].rstrip(":").lower() for line in query.splitlines()
                if line.strip().upper().startswith("PREFIX") and len(line.split()) > 1}
    return "".join(f"PREFIX {p}: <{iri}>\n" for p, iri in PREFIXES.items() if p not in declared)
