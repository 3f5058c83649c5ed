"""Import the Open EV Data dataset from its own layout.

The dataset is authored in layers (its docs/ARCHITECTURE.md): ``src/<make>/<model>/base.json``
holds the model, ``src/<make>/<model>/<year>/<vehicle>.json`` the year's base vehicle and
``<vehicle>_<variant>.json`` a variant as a delta. Canonical records are built as the dataset's
own build does (objects deep-merged, scalars and arrays replaced; base -> year base -> variant)
and each is checked against the dataset's ``schema.json`` (JSON Schema, draft 7).

What becomes of it:

- the make -> ``akg:Manufacturer`` (resolved by name; ``id:<make>`` when created);
- ``base.json`` -> ``akg:VehicleModel`` (``id:<maker>-<model>``) with its body style (the
  dataset's ``body.style``, else its ``vehicle_type``, mapped to body-style concepts; the
  dataset's type kept in ``akg:vehicleClass``), every ``akg:modelYear`` and every market;
- a variant file -> ``akg:Variant`` (``id:<model>-<variant>``) ``akg:variantOf`` the model, its
  ``variant.kind`` mapped by :data:`VARIANT_KINDS`;
- each canonical record -> an ``akg:SpecRecord`` about the model (year base) or the variant: model
  year, drivetrain, system power, battery capacity (net, gross), one ``akg:RangeRating`` per
  rated cycle and the markets, ``ck:dataset-record``, citing the dataset.

Everything cites the dataset node ``src:open-ev-data-v<version>`` (an ``akg:Dataset`` with
``akg:version`` and ``akg:license``) and names the record's path in ``akg:sourceRecord``.
The version is read from the folder (a VERSION, package.json or CHANGELOG file, the README, or
the README of the folder holding the dataset) unless given.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import pyoxigraph as ox

from ..errors import InputError
from ..graph import KnowledgeGraph
from ..names import normalize
from ..vocab import ID
from .common import (
    RDF_TYPE, RDFS_LABEL, SKOS_ALT, SRC, Builder, Progress, akg, any_uri, concept, decimal, finish, iri, label,
    lit, slug, year,
)
from .entities import UNRESOLVED_MAKER, UNRESOLVED_MODEL, Entities, Resolver, publisher
from .oed_folder import (
    DATASET_URL, Unreadable, dataset_version as folder_version, deep_merge, licence, read_json, records,
    schema_validator, validator_problems,
)
from .result import ImportReport, ImportResult, RowProblem

__all__ = ["import_open_ev_data", "VARIANT_KINDS", "BODY_STYLES", "deep_merge"]

#: The dataset's variant kinds -> notations of akg:VariantKindScheme.
VARIANT_KINDS = {
    "performance_package": "performance", "performance_variant": "performance",
    "performance_upgrade": "performance",
    "battery_upgrade": "powertrain-derivative", "battery_downgrade": "powertrain-derivative",
    "battery_option": "powertrain-derivative", "battery_variant": "powertrain-derivative",
    "range_upgrade": "powertrain-derivative", "range_variant": "powertrain-derivative",
    "extended_range": "powertrain-derivative", "drivetrain_upgrade": "powertrain-derivative",
    "trim_level": "trim", "trim_upgrade": "trim", "luxury_package": "trim", "base_variant": "trim",
    "seating_configuration": "trim",
    "body_style": "body-derivative",
    "market_specific": "export-name",
}

#: The dataset's body styles and vehicle types -> notations of akg:BodyStyleScheme.
BODY_STYLES = {
    "sedan": "sedan", "hatchback": "hatchback", "suv": "suv", "crossover": "suv", "mini_suv": "suv",
    "suv_coupe": "suv-coupe", "coupe": "coupe", "convertible": "convertible", "van": "van",
    "minivan": "mpv", "mpv": "mpv", "pickup": "pickup", "wagon": "wagon", "estate": "wagon",
    "shooting_brake": "wagon",
}

_TEXT, _NUMBER = {"type": "string"}, {"type": "number"}
_NAMED = {"type": "object", "properties": {"name": _TEXT, "slug": _TEXT}}
_NAMED_REQUIRED = {**_NAMED, "required": ["name"], "properties": {"name": {"type": "string", "minLength": 1},
                                                                  "slug": _TEXT}}

#: The types of what this importer reads of a model's base.json (JSON Schema), checked on every base.
BASE_TYPES: dict[str, Any] = {
    "type": "object", "required": ["make", "model"],
    "properties": {"make": _NAMED_REQUIRED, "model": _NAMED_REQUIRED, "vehicle_type": _TEXT,
                   "body": {"type": "object", "properties": {"style": _TEXT}}},
}

#: The types of what this importer reads of a canonical record, checked on every record (also with
#: --no-schema), so that a record of the wrong shape is an invalid row naming the field.
RECORD_TYPES: dict[str, Any] = {
    "type": "object",
    "properties": {
        **BASE_TYPES["properties"],
        "year": {"type": "integer"},
        "trim": _NAMED,
        "variant": {"type": "object", "properties": {"name": _TEXT, "slug": _TEXT, "kind": _TEXT}},
        "powertrain": {"type": "object", "properties": {"drivetrain": _TEXT, "system_power_kw": _NUMBER}},
        "battery": {"type": "object", "properties": {"pack_capacity_kwh_net": _NUMBER,
                                                     "pack_capacity_kwh_gross": _NUMBER}},
        "range": {"type": "object", "properties": {"rated": {"type": "array", "items": {
            "type": "object", "required": ["range_km"], "properties": {"cycle": _TEXT, "range_km": _NUMBER}}}}},
        "markets": {"type": "array", "items": _TEXT},
    },
}


def _first_problem(errors: list, prefix: str = "") -> str | None:
    """The first error of a JSON Schema check as "<prefix><field path>: <message> (and N more)"."""
    if not errors:
        return None
    first = errors[0]
    where = "/".join(str(p) for p in first.path) or "(record)"
    more = f" (and {len(errors) - 1} more)" if len(errors) > 1 else ""
    return f"{prefix}{where}: {first.message}{more}"


def _type_problem(schema: dict[str, Any], instance: Any) -> str | None:
    """The first way ``instance`` breaks one of the importer's own type schemas, or None."""
    import jsonschema

    return _first_problem(validator_problems(jsonschema.Draft7Validator(schema), instance, "the importer's types"))


def import_open_ev_data(
    kg: KnowledgeGraph,
    directory: str | os.PathLike[str],
    *,
    dataset_version: str | None = None,
    check_schema: bool = True,
    create: bool = False, skip_invalid: bool = False, validate: bool = True, progress: Progress | None = None,
) -> ImportResult:
    """Import an Open EV Data tree into new triples; see the module doc."""
    root = Path(directory)
    src = root / "src"
    if not src.is_dir():
        raise InputError(f"{root}: not an Open EV Data folder (no src/ inside)")
    version = dataset_version or folder_version(root)
    if not version:
        raise InputError(f"{root}: the dataset's version is not stated in the folder; give --dataset-version")
    validator = schema_validator(root) if check_schema else None
    report = ImportReport(source=f"{root.name} v{version}")
    b = Builder()
    entities = Entities(kg, b, report, create=create)
    res = entities.resolver
    source = iri(f"{SRC}open-ev-data-v{slug(version)}")
    b.add(source, RDF_TYPE, akg("Dataset"))
    b.add(source, RDFS_LABEL, label(f"Open EV Data v{version}"))
    b.add(source, akg("version"), lit(version))
    spdx = licence(root)
    if spdx:
        b.add(source, akg("license"), lit(spdx))
    b.add(source, akg("url"), any_uri(DATASET_URL))
    b.add(source, akg("publisher"), publisher(b, res, None, name="Open EV Data"))

    models: dict[Path, dict[str, Any]] = {}
    number = 0
    for entry in records(src):
        if progress:
            progress(1)
        model_dir, chain, yr = entry.model_dir, entry.chain, entry.year
        if entry.refused:  # a link or a special file: never read, listed as an invalid row
            number += 1
            rel = chain[-1].relative_to(root).as_posix()
            b.records[number] = rel
            report.rows += 1
            report.invalid.append(RowProblem(number, entry.refused, rel))
            continue
        if not chain:  # the model itself
            base_path = model_dir / "base.json"
            number += 1
            rel = base_path.relative_to(root).as_posix()
            b.records[number] = rel
            try:
                base = read_json(base_path)
                problem = _type_problem(BASE_TYPES, base)
            except Unreadable as err:
                problem = str(err)
            if problem:
                report.rows += 1
                report.invalid.append(RowProblem(number, f"unusable model base: {problem}", rel))
                continue
            models[model_dir] = {"base": base, "rel": rel, "number": number, "iri": None}
            continue
        state = models.get(model_dir)
        number += 1
        rel = chain[-1].relative_to(root).as_posix()
        b.records[number] = rel
        report.rows += 1
        if state is None:
            report.invalid.append(RowProblem(number, "no readable base.json for this model", rel))
            continue
        record, layer = state["base"], chain[0]
        try:
            for layer in chain:
                record = deep_merge(record, read_json(layer))
        except Unreadable as err:
            which = "" if layer == chain[-1] else f" (its layer {layer.relative_to(root).as_posix()})"
            report.invalid.append(RowProblem(number, f"unreadable record{which}: {err}", rel))
            continue
        problem = None
        if validator is not None:
            problem = _first_problem(validator_problems(validator, record, "schema.json"), "schema.json: ")
        # What this importer reads must have the type it reads, with or without the dataset's schema.
        problem = problem or _type_problem(RECORD_TYPES, record)
        if problem:
            report.invalid.append(RowProblem(number, problem, rel))
            continue
        if record.get("year") not in (None, yr):
            report.invalid.append(RowProblem(number, f"year {record.get('year')} in a {yr} folder", rel))
            continue
        model_iri, status = _model(b, entities, report, state, source, number)
        if model_iri is None:
            continue
        subject, sstatus = model_iri, status
        if len(chain) > 1:
            subject, sstatus = _variant(b, res, report, state, model_iri, chain, record, source, number, rel, create)
            if subject is None:
                continue
        _spec(b, res, state, subject, record, yr, chain, source, rel, number)
        if sstatus == "created":
            report.created += 1
        else:
            report.matched += 1
    return finish(kg, b, report, validate=validate, skip_invalid=skip_invalid)


def _model(b: Builder, entities: Entities, report: ImportReport, state: dict, source: ox.NamedNode,
           number: int) -> tuple[str | None, str]:
    """The model of a record (resolved or created once per model folder)."""
    if state["iri"] is not None:
        b.touch(state["iri"], number)
        return state["iri"], state["status"]
    if state.get("failed"):
        report.skip(number, state["failed"])
        return None, "unresolved"
    base = state["base"]
    make, model = base["make"]["name"], base["model"]["name"]
    lines = [number]
    maker_iri = entities.maker(make, lines, source.value, slug_hint=base["make"].get("slug"),
                               record=Path(state["rel"]).parent.parent.as_posix())
    if maker_iri is None:
        state["failed"] = UNRESOLVED_MAKER if not entities.create else f"the maker of {make} {model} cannot be made"
        return None, "unresolved"
    b.touch(maker_iri, state["number"])  # the model's base.json vouches for its maker

    def with_body(node: ox.NamedNode) -> None:
        style = (base.get("body") or {}).get("style") or base.get("vehicle_type")
        if style in BODY_STYLES:
            b.add(node, akg("bodyStyle"), concept("body-style", BODY_STYLES[style]))

    model_iri, status = entities.model(make, maker_iri, model, lines, source.value,
                                       slug_hint=base["model"].get("slug"), on_new=with_body)
    if model_iri is None:
        state["failed"] = UNRESOLVED_MODEL if not entities.create else f"{make} {model} cannot be made"
        return None, "unresolved"
    node = iri(model_iri)
    b.add(node, akg("source"), source, line=state["number"])
    b.add(node, akg("sourceRecord"), lit(state["rel"]))
    if base.get("vehicle_type"):
        b.add(node, akg("vehicleClass"), lit(base["vehicle_type"]))
    b.touch(node, number)
    state["iri"], state["status"] = model_iri, status
    return model_iri, status


def _variant(b: Builder, res: Resolver, report: ImportReport, state: dict, model_iri: str, chain: list[Path],
             record: dict, source, number: int, rel: str, create: bool) -> tuple[str | None, str]:
    variants = state.setdefault("variants", {})
    model_slug = state["base"]["model"].get("slug") or chain[0].stem
    stem = chain[-1].stem
    vid = stem[len(model_slug) + 1:] if stem.startswith(model_slug + "_") else stem
    if vid in variants:
        b.touch(variants[vid][0], number)
        _variant_year(b, variants[vid][0], record)
        return variants[vid]
    name = (record.get("variant") or {}).get("name") or (record.get("trim") or {}).get("name") or vid
    model_label = res.created_label(model_iri)
    found = res.index.lookup(f"{model_label} {name}", kinds=("model",))
    if len(found) == 1 and found[0].iri != model_iri:
        variants[vid] = (found[0].iri, "matched")
    elif not create and state["status"] != "created":
        report.unresolved_name(f"{model_label} {name}", number, [], "variant")
        report.skip(number, "variant not in the graph (use --create to add it)")
        return None, "unresolved"
    else:
        v_iri = f"{model_iri}-{slug(vid)}"
        full = f"{model_label} {name}"
        taken = state.setdefault("variant_labels", set())
        if normalize(full) in taken:  # two variants named alike ("Sportback"): tell them apart
            trim = (record.get("trim") or {}).get("name")
            full = f"{full} {trim}" if trim and normalize(trim) not in normalize(full) else f"{model_label} {vid.replace('_', ' ')}"
        taken.add(normalize(full))
        res.mint("variant:" + v_iri, v_iri, full)
        node = iri(v_iri)
        b.add(node, RDF_TYPE, akg("Variant"), line=number)
        b.add(node, RDFS_LABEL, label(full))
        maker = next((t.object for k, t in b.triples.items() if k[0] == model_iri and k[1].endswith("#manufacturer")), None)
        if maker is None:
            rows = res.kg.select("SELECT ?m ?x WHERE { ?m akg:manufacturer ?x }", m=model_iri)
            maker = iri(rows[0]["x"]) if rows else None
        if maker is not None:
            b.add(node, akg("manufacturer"), maker)
        b.add(node, akg("variantOf"), iri(model_iri))
        kind = VARIANT_KINDS.get((record.get("variant") or {}).get("kind") or "")
        if kind:
            b.add(node, akg("variantKind"), concept("variant-kind", kind))
        b.add(node, akg("source"), source)
        b.add(node, akg("sourceRecord"), lit(rel))
        variants[vid] = (v_iri, "created")
        report.new_entities.append((v_iri, full, "variant"))
    _variant_year(b, variants[vid][0], record)
    b.touch(variants[vid][0], number)
    return variants[vid]


def _variant_year(b: Builder, v_iri: str, record: dict) -> None:
    if isinstance(record.get("year"), int):
        b.add(iri(v_iri), akg("modelYear"), year(record["year"]))


def _spec(b: Builder, res: Resolver, state: dict, subject: str, record: dict, yr: int, chain: list[Path], source,
          rel: str, number: int) -> None:
    model_node = iri(state["iri"])
    b.add(model_node, akg("modelYear"), year(yr))
    spec = iri(f"{ID}spec-{slug(rel.removeprefix('src/').removesuffix('.json'))}")
    trim = (record.get("trim") or {}).get("name", "")
    vname = (record.get("variant") or {}).get("name", "")
    subject_label = res.created_label(subject)
    parts: list[str] = []
    for x in (trim, vname):
        if x and normalize(x) not in normalize(subject_label) and x not in parts:
            parts.append(x)
    what = " ".join(parts)
    b.add(spec, RDF_TYPE, akg("SpecRecord"), line=number)
    b.add(spec, RDFS_LABEL, label(f"{res.created_label(subject)} {yr}{' ' + what if what else ''} (Open EV Data)"))
    b.add(spec, akg("subject"), iri(subject))
    b.add(spec, akg("modelYear"), year(yr))
    b.add(spec, akg("claimKind"), concept("claim-kind", "dataset-record"))
    b.add(spec, akg("source"), source)
    b.add(spec, akg("sourceRecord"), lit(rel))
    powertrain = record.get("powertrain") or {}
    if powertrain.get("drivetrain"):
        b.add(spec, akg("drivetrain"), lit(powertrain["drivetrain"]))
    if isinstance(powertrain.get("system_power_kw"), (int, float)):
        b.add(spec, akg("powerKW"), decimal(powertrain["system_power_kw"]))
    battery = record.get("battery") or {}
    for key, prop in (("pack_capacity_kwh_net", "batteryCapacityNetKWh"), ("pack_capacity_kwh_gross", "batteryCapacityGrossKWh")):
        if isinstance(battery.get(key), (int, float)):
            b.add(spec, akg(prop), decimal(battery[key]))
    cycles: dict[str, int] = {}
    for rating in (record.get("range") or {}).get("rated") or []:
        cycle = str(rating.get("cycle", "other"))
        cycles[cycle] = cycles.get(cycle, 0) + 1
        node = iri(f"{spec.value}-range-{slug(cycle)}" + (f"-{cycles[cycle]}" if cycles[cycle] > 1 else ""))
        b.add(spec, akg("ratedRange"), node)
        b.add(node, RDF_TYPE, akg("RangeRating"), line=number)
        b.add(node, akg("rangeKm"), decimal(rating["range_km"]))
        b.add(node, akg("testCycle"), lit(cycle.upper()))
    for code in record.get("markets") or []:
        market = concept("market", code)
        if res.exists(market.value):
            b.add(spec, akg("market"), market)
            b.add(model_node, akg("market"), market)
