"""Import a model catalogue: rows of make, model, year and attributes (such as the EPA
fuel-economy catalogue, one row per engine and transmission).

Rows are merged into one ``akg:VehicleModel`` per make and model name (``id:<maker>-<model>``),
resolved against the graph first. The model gets every ``akg:modelYear`` (``xsd:gYear``) its
rows name and, where columns are present:

- ``class`` -> ``akg:vehicleClass`` (verbatim) and a body style where the class says one
  (pickup, sport utility -> SUV, minivan -> MPV, vans, station wagons);
- ``drive`` -> ``akg:drivetrain`` (fwd, rwd, awd, 4wd; EPA's "4-Wheel or All-Wheel Drive" and
  "2-Wheel Drive" say too little and are left out);
- ``fuel`` -> ``akg:powertrain`` for electricity only (pt:bev; gas and electricity: pt:phev).
  Petrol rows are not marked ICE: the catalogue does not tell a hybrid from a plain engine.

The catalogue is one ``akg:Dataset`` source (``src:<name>-<version>``); its version is the
``--dataset-version`` given, else ``sha1:<12 hex>`` of the file's content, so a re-import of the
same file gives the same IRIs. Each model's ``akg:sourceRecord`` names the rows' key.
"""

from __future__ import annotations

import csv
import hashlib
import os
import re
from pathlib import Path

import pyoxigraph as ox

from ..graph import KnowledgeGraph
from ..names import normalize
from .common import (
    RDF_TYPE, RDFS_LABEL, SRC, Builder, Progress, akg, any_uri, concept, finish, iri, label, lit, slug, url_host,
    without_credentials, year,
)
from .csvrows import data_rows, open_csv, pick_column, pick_columns, read_header
from .entities import Entities, publisher
from .result import ImportReport, ImportResult, RowProblem

__all__ = ["import_catalog", "DRIVES", "body_style_for_class"]

MAKE_COLUMNS = ("make", "maker", "brand", "manufacturer")
MODEL_COLUMNS = ("model",)
YEAR_COLUMNS = ("year", "model_year", "modelyear")

DRIVES = {
    "front-wheel drive": "fwd", "fwd": "fwd",
    "rear-wheel drive": "rwd", "rwd": "rwd",
    "all-wheel drive": "awd", "awd": "awd",
    "4-wheel drive": "4wd", "part-time 4-wheel drive": "4wd", "4wd": "4wd",
}


def body_style_for_class(vehicle_class: str) -> str | None:
    """The body-style notation an EPA class implies, if it implies one.

    >>> body_style_for_class("Standard Pickup Trucks 4WD"), body_style_for_class("Compact Cars")
    ('pickup', None)
    """
    c = vehicle_class.casefold()
    if "pickup" in c:
        return "pickup"
    if "sport utility" in c:
        return "suv"
    if "minivan" in c:
        return "mpv"
    if c.startswith("van"):
        return "van"
    if "station wagon" in c:
        return "wagon"
    return None


def _powertrain(fuel: str) -> str | None:
    f = fuel.casefold()
    if "electricity" not in f:
        return None
    return "bev" if f.strip() == "electricity" else "phev"


def import_catalog(
    kg: KnowledgeGraph,
    csv_path: str | os.PathLike[str],
    *,
    make_col: str | None = None,
    model_col: str | None = None,
    year_col: str | None = None,
    dataset_name: str | None = None,
    dataset_version: str | None = None,
    license: str | None = None,  # noqa: A002
    url: str | None = None,
    create: bool = False, skip_invalid: bool = False, validate: bool = True, progress: Progress | None = None,
) -> ImportResult:
    """Import a model catalogue into new triples, one model per make and name; see the module doc."""
    path = Path(csv_path)
    url = without_credentials(url) if url else url  # credentials are never stored
    report = ImportReport(source=path.name)
    b = Builder()
    entities = Entities(kg, b, report, create=create)
    name = dataset_name or path.stem
    version = dataset_version or "sha1:" + _sha1_file(path)[:12]
    groups: dict[tuple[str, str], dict] = {}
    with open_csv(path) as handle:
        reader = csv.reader(handle)
        header = read_header(reader, path)
        c_make, c_model, c_year = pick_columns(header, {"make": (make_col, MAKE_COLUMNS), "model": (model_col, MODEL_COLUMNS),
                                                        "model year": (year_col, YEAR_COLUMNS)}).values()
        c_class, c_drive, c_fuel = (pick_column(header, None, names, what, required=False) for what, names in (
            ("class", ("class", "vehicle_class", "vclass")), ("drive", ("drive", "drivetrain")),
            ("fuel", ("fuel", "fueltype", "fuel_type"))))
        width = max(c_make, c_model, c_year) + 1
        for line, row in data_rows(reader, report, width, progress, every=2000, path=path):
            make, model, year_text = row[c_make].strip(), row[c_model].strip(), row[c_year].strip()
            if not make or not model:
                report.invalid.append(RowProblem(line, "make or model is empty"))
                continue
            if not re.fullmatch(r"\d{4}", year_text) or not 1886 <= int(year_text) <= 2100:
                report.invalid.append(RowProblem(line, f"year {year_text!r} is not a model year (YYYY)"))
                continue
            g = groups.setdefault((normalize(make), normalize(model)), {
                "make": make, "model": model, "lines": [], "years": set(), "classes": set(), "drives": set(),
                "powertrains": set(), "bodies": set()})
            g["lines"].append(line)
            g["years"].add(int(year_text))
            if c_class is not None and c_class < len(row) and row[c_class].strip():
                g["classes"].add(row[c_class].strip())
                body = body_style_for_class(row[c_class])
                if body:
                    g["bodies"].add(body)
            if c_drive is not None and c_drive < len(row):
                drive = DRIVES.get(row[c_drive].strip().casefold())
                if drive:
                    g["drives"].add(drive)
            if c_fuel is not None and c_fuel < len(row):
                pt = _powertrain(row[c_fuel])
                if pt:
                    g["powertrains"].add(pt)

    source = iri(f"{SRC}{slug(name)}-{slug(version)}")
    b.add(source, RDF_TYPE, akg("Dataset"))
    b.add(source, RDFS_LABEL, label(name))
    b.add(source, akg("version"), lit(version))
    if license:
        b.add(source, akg("license"), lit(license))
    if url:
        b.add(source, akg("url"), any_uri(url))
    host = url_host(url) if url else None
    b.add(source, akg("publisher"), publisher(b, entities.resolver, host, name=name))

    for g in groups.values():
        lines = g["lines"]
        maker_iri = entities.maker(g["make"], lines, source.value)
        if maker_iri is None:
            continue

        def with_bodies(node: ox.NamedNode, bodies: set[str] = g["bodies"]) -> None:
            for body in sorted(bodies):
                b.add(node, akg("bodyStyle"), concept("body-style", body))

        model_iri, mstatus = entities.model(g["make"], maker_iri, g["model"], lines, source.value, on_new=with_bodies)
        if model_iri is None:
            continue
        node = iri(model_iri)
        for line in lines:
            b.touch(node, line)
        b.add(node, akg("source"), source)
        b.add(node, akg("sourceRecord"), lit(f"{path.name}: make={g['make']}, model={g['model']}"))
        for y in sorted(g["years"]):
            b.add(node, akg("modelYear"), year(y))
        for c in sorted(g["classes"]):
            b.add(node, akg("vehicleClass"), lit(c))
        for d in sorted(g["drives"]):
            b.add(node, akg("drivetrain"), lit(d))
        for pt in sorted(g["powertrains"]):
            b.add(node, akg("powertrain"), concept("powertrain", pt))
        if mstatus == "created":
            report.created += len(lines)
        else:
            report.matched += len(lines)
    return finish(kg, b, report, validate=validate, skip_invalid=skip_invalid)


def _sha1_file(path: Path) -> str:
    digest = hashlib.sha1()
    with open(path, "rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()

