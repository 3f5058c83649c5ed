"""The autokg vocabulary as rdflib namespaces.

``AKG`` is a closed :class:`rdflib.namespace.DefinedNamespace`: naming a term that the ontology
does not declare raises ``AttributeError``, and a test checks that every term named here is
declared in ``ontology/autokg.ttl``.

>>> AKG.VehicleModel
rdflib.term.URIRef('https://w3id.org/autokg/ns#VehicleModel')
>>> str(ID["xiaomi-su7"])
'https://w3id.org/autokg/id/xiaomi-su7'
"""

from __future__ import annotations

from rdflib.namespace import DefinedNamespace, Namespace
from rdflib.term import URIRef

__all__ = [
    "AKG",
    "ID",
    "SOURCE",
    "CONCEPT",
    "BODY",
    "SEGMENT",
    "POWERTRAIN",
    "STATUS",
    "VARIANT_KIND",
    "CLAIM_KIND",
    "MEASURE",
    "BOUND",
    "UNIT",
    "PERIOD",
    "MARKET",
    "BASIS",
    "PREFIXES",
]


class AKG(DefinedNamespace):
    """Terms of the autokg ontology, ``https://w3id.org/autokg/ns#``."""

    _NS = Namespace("https://w3id.org/autokg/ns#")
    _fail = True

    # Classes
    Manufacturer: URIRef
    Brand: URIRef
    BusinessSegment: URIRef
    Person: URIRef
    VehicleModel: URIRef
    Variant: URIRef
    Platform: URIRef
    Claim: URIRef
    Source: URIRef
    NewsArticle: URIRef
    Dataset: URIRef
    Figure: URIRef
    Plan: URIRef
    DeliveryTarget: URIRef
    LaunchPlan: URIRef
    MarketEntryPlan: URIRef
    Strategy: URIRef
    CompetitionClaim: URIRef
    PositioningClaim: URIRef
    RivalryClaim: URIRef
    ResemblanceClaim: URIRef

    # Organisations and people
    brandOf: URIRef
    segmentOf: URIRef
    founder: URIRef
    ceo: URIRef
    headquarters: URIRef
    wikidata: URIRef

    # Models and lineage
    manufacturer: URIRef
    brand: URIRef
    variantOf: URIRef
    variantKind: URIRef
    successorOf: URIRef
    predecessorOf: URIRef
    platform: URIRef
    bodyStyle: URIRef
    segment: URIRef
    powertrain: URIRef
    status: URIRef
    market: URIRef
    launchDate: URIRef
    firstDeliveryDate: URIRef

    # Claims and sources
    source: URIRef
    sourceRecord: URIRef
    claimKind: URIRef
    statedBy: URIRef
    statedOn: URIRef
    note: URIRef
    publisher: URIRef
    url: URIRef
    publishedOn: URIRef
    version: URIRef
    license: URIRef

    # Figures
    subject: URIRef
    measure: URIRef
    value: URIRef
    minValue: URIRef
    maxValue: URIRef
    bound: URIRef
    unit: URIRef
    periodStart: URIRef
    periodEnd: URIRef
    periodKind: URIRef
    periodLabel: URIRef
    equivalentOf: URIRef
    powertrainScope: URIRef
    scopeNote: URIRef

    # Plans
    revisionOf: URIRef
    plannedModel: URIRef
    plannedDate: URIRef
    excludedMarket: URIRef

    # Competition
    qualifiedCompetition: URIRef
    competitor: URIRef
    basis: URIRef
    competesWith: URIRef
    positionedAgainst: URIRef
    rivalOf: URIRef
    resembles: URIRef

    # Concept schemes
    BodyStyleScheme: URIRef
    SegmentScheme: URIRef
    PowertrainScheme: URIRef
    ModelStatusScheme: URIRef
    VariantKindScheme: URIRef
    ClaimKindScheme: URIRef
    MeasureScheme: URIRef
    BoundScheme: URIRef
    UnitScheme: URIRef
    PeriodKindScheme: URIRef
    MarketScheme: URIRef
    CompetitionBasisScheme: URIRef

    # Terms for imported datasets (importers)
    modelYear: URIRef
    vehicleClass: URIRef
    drivetrain: URIRef
    SpecRecord: URIRef
    batteryCapacityNetKWh: URIRef
    batteryCapacityGrossKWh: URIRef
    powerKW: URIRef
    RangeRating: URIRef
    ratedRange: URIRef
    rangeKm: URIRef
    testCycle: URIRef
    MarketFigure: URIRef
    coverage: URIRef


ID = Namespace("https://w3id.org/autokg/id/")
SOURCE = Namespace("https://w3id.org/autokg/id/source/")
CONCEPT = Namespace("https://w3id.org/autokg/concept/")
BODY = Namespace("https://w3id.org/autokg/concept/body-style/")
SEGMENT = Namespace("https://w3id.org/autokg/concept/segment/")
POWERTRAIN = Namespace("https://w3id.org/autokg/concept/powertrain/")
STATUS = Namespace("https://w3id.org/autokg/concept/status/")
VARIANT_KIND = Namespace("https://w3id.org/autokg/concept/variant-kind/")
CLAIM_KIND = Namespace("https://w3id.org/autokg/concept/claim-kind/")
MEASURE = Namespace("https://w3id.org/autokg/concept/measure/")
BOUND = Namespace("https://w3id.org/autokg/concept/bound/")
UNIT = Namespace("https://w3id.org/autokg/concept/unit/")
PERIOD = Namespace("https://w3id.org/autokg/concept/period/")
MARKET = Namespace("https://w3id.org/autokg/concept/market/")
BASIS = Namespace("https://w3id.org/autokg/concept/basis/")

#: Prefixes used in the bundled Turtle files and in the CLI's output.
PREFIXES: dict[str, str] = {
    "akg": str(AKG._NS),
    "id": str(ID),
    "src": str(SOURCE),
    "pub": "https://w3id.org/autokg/id/publisher/",
    "tier": "https://w3id.org/autokg/concept/credibility-tier/",
    "pubkind": "https://w3id.org/autokg/concept/publisher-kind/",
    "precision": "https://w3id.org/autokg/concept/date-precision/",
    "body": str(BODY),
    "seg": str(SEGMENT),
    "pt": str(POWERTRAIN),
    "status": str(STATUS),
    "vk": str(VARIANT_KIND),
    "ck": str(CLAIM_KIND),
    "measure": str(MEASURE),
    "bound": str(BOUND),
    "unit": str(UNIT),
    "period": str(PERIOD),
    "market": str(MARKET),
    "basis": str(BASIS),
    "schema": "https://schema.org/",
    "prov": "http://www.w3.org/ns/prov#",
    "skos": "http://www.w3.org/2004/02/skos/core#",
    "rdfs": "http://www.w3.org/2000/01/rdf-schema#",
    "rdf": "http://www.w3.org/1999/02/22-rdf-syntax-ns#",
    "owl": "http://www.w3.org/2002/07/owl#",
    "xsd": "http://www.w3.org/2001/XMLSchema#",
    "sh": "http://www.w3.org/ns/shacl#",
}
