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

import json
import os
import re
from pathlib import Path
from typing import Any

from ..errors import InputError
from ..graph import KnowledgeGraph
from ..vocab import ID
from ..names import normalize
from .common import (
    RDF_TYPE, RDFS_LABEL, SKOS_ALT, SRC, Builder, ImportReport, ImportResult, Progress, Resolver, RowProblem,
    akg, any_uri, concept, decimal, finish, iri, label, lit, publisher, slug, year,
)

__all__ = ["import_open_ev_data", "VARIANT_KINDS", "BODY_STYLES", "deep_merge", "dataset_version"]

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

LICENCES = {"community data license agreement - permissive - version 2.0": "CDLA-Permissive-2.0",
            "community data license agreement – permissive – version 2.0": "CDLA-Permissive-2.0"}
DATASET_URL = "https://github.com/open-ev-data/open-ev-data-dataset"
_VERSION = re.compile(r"\bv?(\d+\.\d+\.\d+)\b")


def deep_merge(low: Any, high: Any) -> Any:
    """The dataset's merge: objects merged by key, scalars and arrays replaced by ``high``.

    >>> deep_merge({"a": {"x": 1, "y": 2}, "l": [1]}, {"a": {"y": 3}, "l": [2]})
    {'a': {'x': 1, 'y': 3}, 'l': [2]}
    """
    if isinstance(low, dict) and isinstance(high, dict):
        out = dict(low)
        for key, value in high.items():
            out[key] = deep_merge(low[key], value) if key in low else value
        return out
    return high


def dataset_version(directory: Path) -> str | None:
    """The dataset's version as its folder states it, or None."""
    directory = Path(directory)
    if (directory / "VERSION").is_file():
        m = _VERSION.search((directory / "VERSION").read_text(encoding="utf-8"))
        if m:
            return m.group(1)
    if (directory / "package.json").is_file():
        try:
            return str(json.loads((directory / "package.json").read_text(encoding="utf-8"))["version"])
        except (KeyError, ValueError):
            pass
    for name in ("CHANGELOG.md", "CHANGELOG"):
        if (directory / name).is_file():
            for line in (directory / name).read_text(encoding="utf-8").splitlines():
                if line.startswith("#"):
                    m = _VERSION.search(line)
                    if m:
                        return m.group(1)
    for readme in (directory / "README.md", directory.parent / "README.md"):
        if readme.is_file():
            for line in readme.read_text(encoding="utf-8").splitlines():
                if re.search(r"open.?ev.?data", line, re.I):
                    m = re.search(r"\bv(\d+\.\d+\.\d+)\b", line)
                    if m:
                        return m.group(1)
    return None


def _licence(directory: Path) -> str | None:
    for name in ("LICENCE", "LICENSE", "LICENCE.md", "LICENSE.md"):
        path = directory / name
        if path.is_file():
            head = " ".join(path.read_text(encoding="utf-8", errors="replace")[:400].split()).casefold()
            for text, spdx in LICENCES.items():
                if text in head:
                    return spdx
    readme = directory / "README.md"
    if readme.is_file():
        m = re.search(r"License:\s*([A-Za-z0-9.\-]+?)(?:-blue|\])", readme.read_text(encoding="utf-8"))
        if m:
            return m.group(1).replace("--", "-")
    return None


def _records(src: Path) -> list[tuple[Path, list[Path], int | None]]:
    """(model folder, layer files from year base to the record, year) of every canonical record,
    and (model folder, [], None) for each model; in a stable order."""
    out: list[tuple[Path, list[Path], int | None]] = []
    for model_dir in sorted(p for p in src.glob("*/*") if p.is_dir()):
        out.append((model_dir, [], None))
        for year_dir in sorted(p for p in model_dir.iterdir() if p.is_dir() and p.name.isdigit()):
            files = sorted(p for p in year_dir.glob("*.json"))
            stems = {p.stem: p for p in files}
            for f in files:
                chain = [f]
                stem = f.stem
                while True:
                    parents = [s for s in stems if s != stem and stem.startswith(s + "_")]
                    if not parents:
                        break
                    stem = max(parents, key=len)
                    chain.insert(0, stems[stem])
                out.append((model_dir, chain, int(year_dir.name)))
    return out


def import_open_ev_data(
    kg: KnowledgeGraph,
    directory: str | os.PathLike[str],
    *,
    dataset_version: str | None = None,  # noqa: F811 (shadows the function on purpose: the option)
    check_schema: bool = True,
    create: bool = False,
    skip_invalid: bool = False,
    validate: bool = True,
    progress: Progress | None = None,
) -> ImportResult:
    """Import an Open EV Data tree into new triples; see the module doc."""
    root = Path(directory)
    src = root / "src"
    if not src.is_dir():
        raise InputError(f"{root}: not an Open EV Data folder (no src/ inside)")
    version = dataset_version or _find_version(root)
    if not version:
        raise InputError(f"{root}: the dataset's version is not stated in the folder; give --dataset-version")
    validator = _schema_validator(root) if check_schema else None
    report = ImportReport(source=f"{root.name} v{version}")
    b = Builder()
    res = Resolver(kg)
    source = iri(f"{SRC}open-ev-data-v{slug(version)}")
    b.add(source, RDF_TYPE, akg("Dataset"))
    b.add(source, RDFS_LABEL, label(f"Open EV Data v{version}"))
    b.add(source, akg("version"), lit(version))
    licence = _licence(root)
    if licence:
        b.add(source, akg("license"), lit(licence))
    b.add(source, akg("url"), any_uri(DATASET_URL))
    b.add(source, akg("publisher"), publisher(b, res, None, name="Open EV Data"))

    models: dict[Path, dict[str, Any]] = {}
    number = 0
    for model_dir, chain, yr in _records(src):
        if progress:
            progress(1)
        if not chain:  # the model itself
            base_path = model_dir / "base.json"
            number += 1
            rel = base_path.relative_to(root).as_posix()
            b.records[number] = rel
            try:
                base = json.loads(base_path.read_text(encoding="utf-8"))
                _ = (base["make"]["name"], base["model"]["name"])  # a base record must name both
            except (OSError, ValueError, KeyError, TypeError) as err:
                report.rows += 1
                report.invalid.append(RowProblem(number, f"unreadable model base: {err}", rel))
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
        try:
            record = state["base"]
            for layer in chain:
                record = deep_merge(record, json.loads(layer.read_text(encoding="utf-8")))
        except (OSError, ValueError) as err:
            report.invalid.append(RowProblem(number, f"unreadable record: {err}", rel))
            continue
        if validator is not None:
            errors = sorted(validator.iter_errors(record), key=lambda e: list(e.path))
            if errors:
                first = errors[0]
                where = "/".join(str(p) for p in first.path) or "(record)"
                more = f" (and {len(errors) - 1} more)" if len(errors) > 1 else ""
                report.invalid.append(RowProblem(number, f"schema.json: {where}: {first.message}{more}", rel))
                continue
        if record.get("year") not in (None, yr):
            report.invalid.append(RowProblem(number, f"year {record.get('year')} in a {yr} folder", rel))
            continue
        model_iri, status = _model(b, res, report, state, source, number, create, root)
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


def _find_version(root: Path) -> str | None:
    return dataset_version(root)


def _schema_validator(root: Path):
    path = root / "schema.json"
    if not path.is_file():
        raise InputError(f"{root}: no schema.json to check the records against (or give --no-schema)")
    try:
        import jsonschema
    except ImportError as err:  # pragma: no cover - jsonschema is a dependency
        raise InputError("checking against schema.json needs the jsonschema package (or give --no-schema)") from err
    try:
        schema = json.loads(path.read_text(encoding="utf-8"))
    except ValueError as err:
        raise InputError(f"{path}: not JSON: {err}") from None
    cls = jsonschema.validators.validator_for(schema)
    return cls(schema)


def _model(b: Builder, res: Resolver, report: ImportReport, state: dict, source, number: int, create: bool,
           root: Path) -> tuple[str | None, str]:
    """The model of a record (resolved or created once per model folder)."""
    if state["iri"] is not None:
        b.touch(state["iri"], number)
        return state["iri"], state["status"]
    if state.get("failed"):
        report.skip(number, state["failed"])
        return None, "unresolved"
    base = state["base"]
    make, model = base["make"]["name"], base["model"]["name"]
    maker_iri, mstatus, kind = res.maker(make)
    if maker_iri is None:
        if not create:
            report.unresolved_name(make, number, res.suggest(make, ("maker", "brand")), "maker")
            state["failed"] = "maker not in the graph (use --create to add it)"
            report.skip(number, state["failed"])
            return None, "unresolved"
        maker_iri = res.mint(normalize(make), ID + slug(base["make"].get("slug") or make), make)
        node = iri(maker_iri)
        b.add(node, RDF_TYPE, akg("Manufacturer"), line=state["number"])
        b.add(node, RDFS_LABEL, label(make))
        b.add(node, akg("source"), source)
        b.add(node, akg("sourceRecord"), lit(Path(state["rel"]).parent.parent.as_posix()))
        report.new_entities.append((maker_iri, make, "maker"))
    model_iri, status = res.model(make, maker_iri, model)
    if model_iri is None:
        if not create:
            report.unresolved_name(f"{make} {model}", number, res.suggest(f"{make} {model}", ("model",)), "model")
            state["failed"] = "model not in the graph (use --create to add it)"
            report.skip(number, state["failed"])
            return None, "unresolved"
        maker_label = res.created_label(maker_iri)
        maker_slug, model_slug = slug(maker_iri.removeprefix(ID)), slug(base["model"].get("slug") or model)
        local = model_slug if model_slug.startswith(maker_slug + "-") else f"{maker_slug}-{model_slug}"
        full = model if normalize(model).startswith(normalize(maker_label)) else f"{maker_label} {model}"
        model_iri = ID + local
        status = "matched" if res.exists(model_iri) else "created"
        if status == "created":
            res.mint(normalize(make) + normalize(model), model_iri, full)
            node = iri(model_iri)
            manufacturer = res.brand_maker(maker_iri) if kind == "brand" else maker_iri
            b.add(node, RDF_TYPE, akg("VehicleModel"), line=state["number"])
            b.add(node, RDFS_LABEL, label(full))
            if full != model:
                b.add(node, SKOS_ALT, label(model))
            if manufacturer:
                b.add(node, akg("manufacturer"), iri(manufacturer))
            if kind == "brand":
                b.add(node, akg("brand"), iri(maker_iri))
            style = (base.get("body") or {}).get("style") or base.get("vehicle_type")
            if style in BODY_STYLES:
                b.add(node, akg("bodyStyle"), concept("body-style", BODY_STYLES[style]))
            report.new_entities.append((model_iri, full, "model"))
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
