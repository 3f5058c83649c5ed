"""Generate a realistic synthetic autokg graph of a given size, valid against shapes/.

The graph has N makers, each with vehicle models in successor chains (generations), variants,
sourced competition claims against models of other makers (with their shortcut triples),
monthly delivery figures per model, and the monthly source articles the figures cite. Every IRI
is under ``https://w3id.org/autokg/id/synthetic/``, so it never collides with the curated data.
The vocabulary is ontology/autokg.ttl and the concepts are those of ontology/concepts.ttl: load
it together with the bundled graph (ontology, concepts) to validate or query it.

Usage::

    python bench/generate.py --triples 1000000 -o /tmp/synthetic-1m.nt
    python bench/generate.py --triples 100000 --format ttl -o /tmp/synthetic-100k.ttl

The output is deterministic for a given ``--triples`` and ``--seed``.
"""

from __future__ import annotations

import argparse
import random
import sys
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import TextIO

AKG = "https://w3id.org/autokg/ns#"
BASE = "https://w3id.org/autokg/id/synthetic/"
CONCEPT = "https://w3id.org/autokg/concept/"
RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
RDFS_LABEL = "http://www.w3.org/2000/01/rdf-schema#label"
XSD = "http://www.w3.org/2001/XMLSchema#"

BODY_STYLES = ["sedan", "hatchback", "suv", "suv-coupe", "wagon", "mpv", "pickup"]
SEGMENTS = ["a", "b", "c", "d", "e", "f"]
POWERTRAINS = ["bev", "phev", "erev", "hev", "ice"]
VARIANT_KINDS = ["long-wheelbase", "performance", "body-derivative", "trim", "facelift"]
MARKETS = ["CN", "US", "DE", "FR", "GB", "NO", "JP", "KR", "AU", "BR", "IN", "europe", "southeast-asia"]
CLAIM_TYPES = [("PositioningClaim", "positionedAgainst", "positioning"),
               ("RivalryClaim", "rivalOf", "price"),
               ("ResemblanceClaim", "resembles", "design")]
PUBLISHERS = ["Synthetic Auto News", "Synthetic EV Daily", "Synthetic Motor Report"]
TIERS = ["established", "primary", "secondary"]

#: Months of figures per model (January of FIRST_YEAR onwards).
FIRST_YEAR = 2023
MONTHS = 36
MODELS_PER_MAKER = 20
VARIANTS_PER_MODEL = 1
CLAIMS_PER_MODEL = 2
GENERATIONS = 3  # models of a family: each generation the successor of the one before
#: Triples per model, measured on the output (models, their variants, claims and figures, and a
#: share of their maker and its sources); used to size the graph from --triples.
TRIPLES_PER_MODEL = 530


@dataclass
class Model:
    iri: str
    label: str
    maker: int
    body: str
    segment: str
    variants: list[str] = field(default_factory=list)


def _iri(path: str) -> str:
    return f"<{BASE}{path}>"


def _akg(name: str) -> str:
    return f"<{AKG}{name}>"


def _concept(path: str) -> str:
    return f"<{CONCEPT}{path}>"


def _lit(text: str, *, lang: str | None = None, datatype: str | None = None) -> str:
    escaped = text.replace("\\", "\\\\").replace('"', '\\"')
    if lang:
        return f'"{escaped}"@{lang}'
    if datatype:
        return f'"{escaped}"^^<{XSD}{datatype}>'
    return f'"{escaped}"'


def _int(value: int) -> str:
    return f'"{value}"^^<{XSD}integer>'


def _last_day(year: int, month: int) -> int:
    if month == 2:
        return 29 if year % 4 == 0 and (year % 100 != 0 or year % 400 == 0) else 28
    return 30 if month in (4, 6, 9, 11) else 31


class Generator:
    """Yields the statements of the synthetic graph as (subject, predicate, object) N-Triples terms."""

    def __init__(self, makers: int, *, seed: int = 42, models_per_maker: int = MODELS_PER_MAKER,
                 months: int = MONTHS):
        self.makers = makers
        self.models_per_maker = models_per_maker
        self.months = months
        self.rng = random.Random(seed)
        self.models: list[Model] = []

    @classmethod
    def for_triples(cls, triples: int, *, seed: int = 42) -> Generator:
        """A generator sized to give about ``triples`` statements (at least one maker)."""
        models = max(1, round(triples / TRIPLES_PER_MODEL))
        if models < MODELS_PER_MAKER:
            return cls(1, seed=seed, models_per_maker=models)
        return cls(max(1, round(models / MODELS_PER_MAKER)), seed=seed)

    # The parts ---------------------------------------------------------------------------------

    def statements(self) -> Iterator[tuple[str, str, str]]:
        yield from self._makers_and_models()
        yield from self._claims()
        yield from self._figures()

    def _source(self, maker: int, year: int, month: int) -> str:
        return _iri(f"source/maker-{maker:04d}-{year}-{month:02d}")

    def _makers_and_models(self) -> Iterator[tuple[str, str, str]]:
        rng = self.rng
        a, label, src = f"<{RDF_TYPE}>", f"<{RDFS_LABEL}>", _akg("source")
        for number, name in enumerate(PUBLISHERS):
            publisher = _iri(f"publisher/synthetic-{number}")
            yield publisher, a, _akg("Publisher")
            yield publisher, label, _lit(name, lang="en")
            yield publisher, _akg("publisherKind"), _concept("publisher-kind/trade-press")
            yield publisher, _akg("credibilityTier"), _concept(f"credibility-tier/{TIERS[number % len(TIERS)]}")
        for m in range(self.makers):
            maker = _iri(f"maker-{m:04d}")
            maker_label = f"Synth Maker {m:04d}"
            publisher = _iri(f"publisher/synthetic-{m % len(PUBLISHERS)}")
            # One article a month per maker: the source of its monthly figures.
            for i in range(self.months):
                year, month = FIRST_YEAR + i // 12, i % 12 + 1
                s = self._source(m, year, month)
                yield s, a, _akg("NewsArticle")
                yield s, label, _lit(f"{maker_label} deliveries, {year}-{month:02d}", lang="en")
                yield s, _akg("publisher"), publisher
                yield s, _akg("url"), _lit(f"https://news.example.org/synthetic/maker-{m:04d}/{year}-{month:02d}",
                                           datatype="anyURI")
                # Published on the first day of the next month.
                published = f"{year + 1}-01-01" if month == 12 else f"{year}-{month + 1:02d}-01"
                yield s, _akg("publishedOn"), _lit(published, datatype="date")
            first_source = self._source(m, FIRST_YEAR, 1)
            yield maker, a, _akg("Manufacturer")
            yield maker, label, _lit(maker_label, lang="en")
            yield maker, _akg("headquarters"), _concept(f"market/{MARKETS[m % 11]}")
            yield maker, src, first_source
            family = []
            for k in range(self.models_per_maker):
                iri = _iri(f"model-{m:04d}-{k:03d}")
                model = Model(iri, f"{maker_label} M{k:03d}", m, rng.choice(BODY_STYLES), rng.choice(SEGMENTS))
                self.models.append(model)
                yield iri, a, _akg("VehicleModel")
                yield iri, label, _lit(model.label, lang="en")
                yield iri, _akg("manufacturer"), maker
                yield iri, _akg("bodyStyle"), _concept(f"body-style/{model.body}")
                yield iri, _akg("segment"), _concept(f"segment/{model.segment}")
                yield iri, _akg("powertrain"), _concept(f"powertrain/{rng.choice(POWERTRAINS)}")
                yield iri, _akg("status"), _concept("status/on-sale")
                yield iri, _akg("market"), _concept(f"market/{rng.choice(MARKETS)}")
                yield iri, _akg("launchDate"), _lit(f"{2015 + k % 10}", datatype="gYear")
                yield iri, src, first_source
                # Successor chains: a family of GENERATIONS models, each the successor of the last.
                if k % GENERATIONS and family:
                    yield iri, _akg("successorOf"), family[-1]
                else:
                    family = []
                family.append(iri)
                for v in range(VARIANTS_PER_MODEL):
                    kind = VARIANT_KINDS[(k + v) % len(VARIANT_KINDS)]
                    viri = _iri(f"model-{m:04d}-{k:03d}-v{v}")
                    model.variants.append(viri)
                    yield viri, a, _akg("Variant")
                    yield viri, label, _lit(f"{model.label} {kind.replace('-', ' ').title()}", lang="en")
                    yield viri, _akg("manufacturer"), maker
                    yield viri, _akg("variantOf"), iri
                    yield viri, _akg("variantKind"), _concept(f"variant-kind/{kind}")
                    yield viri, _akg("bodyStyle"), _concept(f"body-style/{model.body}")
                    yield viri, _akg("segment"), _concept(f"segment/{model.segment}")
                    yield viri, _akg("status"), _concept("status/announced")
                    yield viri, src, first_source

    def _claims(self) -> Iterator[tuple[str, str, str]]:
        rng = self.rng
        a, label = f"<{RDF_TYPE}>", f"<{RDFS_LABEL}>"
        by_class: dict[tuple[str, str], list[Model]] = {}
        for model in self.models:
            by_class.setdefault((model.body, model.segment), []).append(model)
        for model in self.models:
            peers = [p for p in by_class[(model.body, model.segment)] if p.maker != model.maker]
            pool = peers or [p for p in self.models if p.maker != model.maker] or \
                [p for p in self.models if p is not model]
            if not pool:
                continue
            seen = set()
            for c in range(CLAIMS_PER_MODEL):
                other = rng.choice(pool)
                if other.iri in seen:
                    continue
                seen.add(other.iri)
                kind, shortcut, basis = CLAIM_TYPES[rng.randrange(len(CLAIM_TYPES))]
                claim = model.iri[:-1] + f"-claim-{c}>"
                i = rng.randrange(self.months)  # stated in a month the maker has a source for
                year, month = FIRST_YEAR + i // 12, i % 12 + 1
                yield claim, a, _akg(kind)
                yield claim, label, _lit(f"{model.label} {shortcut} {other.label}", lang="en")
                yield claim, _akg("basis"), _concept(f"basis/{basis}")
                yield claim, _akg("competitor"), other.iri
                yield claim, _akg("claimKind"), _concept("claim-kind/analyst-view")
                yield claim, _akg("statedOn"), _lit(f"{year}-{month:02d}-01", datatype="date")
                yield claim, _akg("datePrecision"), _concept("date-precision/month")
                yield claim, _akg("source"), self._source(model.maker, year, month)
                yield model.iri, _akg("qualifiedCompetition"), claim
                yield model.iri, _akg(shortcut), other.iri

    def _figures(self) -> Iterator[tuple[str, str, str]]:
        rng = self.rng
        a, label = f"<{RDF_TYPE}>", f"<{RDFS_LABEL}>"
        deliveries, vehicles = _concept("measure/deliveries"), _concept("unit/vehicles")
        exact, month_kind = _concept("bound/exact"), _concept("period/month")
        ck = _concept("claim-kind/company-statement")
        for model in self.models:
            base = rng.randint(500, 30000)
            stem = model.iri[:-1].replace("/model-", "/figure-")
            for i in range(self.months):
                year, month = FIRST_YEAR + i // 12, i % 12 + 1
                f = f"{stem}-deliveries-{year}-{month:02d}>"
                value = max(0, int(base * (1 + 0.02 * i) * rng.uniform(0.7, 1.3)))
                period = f"{year}-{month:02d}"
                yield f, a, _akg("Figure")
                yield f, label, _lit(f"{model.label} deliveries, {period}: {value:,}", lang="en")
                yield f, _akg("subject"), model.iri
                yield f, _akg("measure"), deliveries
                yield f, _akg("value"), _int(value)
                yield f, _akg("bound"), exact
                yield f, _akg("unit"), vehicles
                yield f, _akg("periodStart"), _lit(f"{period}-01", datatype="date")
                yield f, _akg("periodEnd"), _lit(f"{period}-{_last_day(year, month):02d}", datatype="date")
                yield f, _akg("periodKind"), month_kind
                yield f, _akg("periodLabel"), _lit(period)
                yield f, _akg("claimKind"), ck
                yield f, _akg("source"), self._source(model.maker, year, month)


# Writers ---------------------------------------------------------------------------------------

def write_ntriples(gen: Generator, out: TextIO) -> int:
    n = 0
    buf: list[str] = []
    for s, p, o in gen.statements():
        buf.append(f"{s} {p} {o} .\n")
        n += 1
        if len(buf) >= 10000:
            out.write("".join(buf))
            buf.clear()
    out.write("".join(buf))
    return n


_PREFIXES = {
    "akg": AKG, "syn": BASE, "rdf": "http://www.w3.org/1999/02/22-rdf-syntax-ns#",
    "rdfs": "http://www.w3.org/2000/01/rdf-schema#", "xsd": XSD, "c": CONCEPT,
}


def _short(term: str) -> str:
    if term.startswith("<") and term.endswith(">"):
        iri = term[1:-1]
        for prefix, ns in _PREFIXES.items():
            if iri.startswith(ns):
                local = iri[len(ns):]
                if local and all(ch.isalnum() or ch in "-_" for ch in local.replace("/", "_")) and "/" not in local:
                    return f"{prefix}:{local}"
        return term
    if "^^<" in term:
        value, dt = term.rsplit("^^<", 1)
        if dt.startswith(XSD):
            return f"{value}^^xsd:{dt[len(XSD):-1]}"
    return term


def write_turtle(gen: Generator, out: TextIO) -> int:
    """Turtle grouped by subject (statements of a subject are consecutive in the generator, mostly)."""
    for prefix, ns in _PREFIXES.items():
        out.write(f"@prefix {prefix}: <{ns}> .\n")
    out.write("\n")
    n = 0
    last = None
    buf: list[str] = []
    for s, p, o in gen.statements():
        n += 1
        p_short = "a" if p == f"<{RDF_TYPE}>" else _short(p)
        if s == last:
            buf.append(f" ;\n    {p_short} {_short(o)}")
        else:
            if last is not None:
                buf.append(" .\n")
            buf.append(f"{_short(s)} {p_short} {_short(o)}")
            last = s
        if len(buf) >= 10000:
            out.write("".join(buf))
            buf.clear()
    if last is not None:
        buf.append(" .\n")
    out.write("".join(buf))
    return n


def generate(path: str | Path, triples: int, *, seed: int = 42, fmt: str | None = None) -> int:
    """Write a synthetic graph of about ``triples`` statements to ``path``; return the count."""
    path = Path(path)
    fmt = fmt or ("ttl" if path.suffix == ".ttl" else "nt")
    gen = Generator.for_triples(triples, seed=seed)
    with path.open("w", encoding="utf-8") as out:
        return (write_turtle if fmt == "ttl" else write_ntriples)(gen, out)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--triples", type=int, default=100_000, help="about how many triples (default 100000)")
    parser.add_argument("--seed", type=int, default=42)
    parser.add_argument("--format", choices=["nt", "ttl"], default=None, help="default: by the suffix of -o")
    parser.add_argument("-o", "--output", required=True, help="file to write (.nt or .ttl)")
    args = parser.parse_args(argv)
    n = generate(args.output, args.triples, seed=args.seed, fmt=args.format)
    print(f"wrote {n} triples to {args.output}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
