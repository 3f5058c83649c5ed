"""The Open EV Data folder: its version and licence, its schema, and its canonical records."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

from ..errors import InputError

__all__ = ["DATASET_URL", "deep_merge", "dataset_version", "licence", "records", "schema_validator"]

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


def licence(directory: Path) -> str | None:
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


def records(src: Path) -> list[tuple[Path, list[Path], int | None]]:
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


def schema_validator(root: Path):
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
