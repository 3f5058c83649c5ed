"""The Open EV Data folder: its version and licence, its schema, and its canonical records.

The folder is untrusted input: its walk never follows a symbolic link (a link could lead out of
the dataset, to /etc/passwd), only regular files are read (a FIFO would hang the reader), JSON
nests at most :data:`MAX_DEPTH` levels, and the schema's references resolve inside schema.json
only (a remote ``$ref`` is refused, never fetched).
"""

from __future__ import annotations

import errno
import json
import os
import re
import stat
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..errors import InputError

__all__ = ["DATASET_URL", "MAX_DEPTH", "Unreadable", "Record", "deep_merge", "dataset_version", "licence",
           "read_json", "records", "schema_validator", "validator_problems"]

#: How deep the JSON of a record or of the schema may nest (the dataset's own is under 10 levels);
#: deeper input is refused before anything recurses over it.
MAX_DEPTH = 100
_YEAR_FOLDER = re.compile(r"[0-9]{4}")


class Unreadable(Exception):
    """A file of the dataset that is not read: a link, not a regular file, not JSON, too deep."""


def read_json(path: Path) -> Any:
    """The JSON of a regular file, never through a symbolic link and never blocking on a FIFO."""
    try:
        if stat.S_ISLNK(os.lstat(path).st_mode):
            raise Unreadable("a symbolic link, not followed (it could lead out of the dataset)")
        # O_NOFOLLOW closes the race with a link swapped in after the lstat; O_NONBLOCK keeps a
        # FIFO from blocking the open, and fstat then refuses it.
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_NONBLOCK", 0))
    except OSError as err:
        if err.errno == errno.ELOOP:
            raise Unreadable("a symbolic link, not followed (it could lead out of the dataset)") from None
        raise Unreadable(f"cannot be read: {err.strerror}") from None
    with os.fdopen(fd, "rb") as handle:
        if not stat.S_ISREG(os.fstat(handle.fileno()).st_mode):
            raise Unreadable("not a regular file")
        data = handle.read()
    try:
        value = json.loads(data, parse_constant=_not_json)
    except RecursionError:
        raise Unreadable(f"JSON nests deeper than {MAX_DEPTH} levels") from None
    except ValueError as err:  # JSONDecodeError and UnicodeDecodeError
        raise Unreadable(f"not JSON: {err}") from None
    if _depth_over(value, MAX_DEPTH):
        raise Unreadable(f"JSON nests deeper than {MAX_DEPTH} levels")
    return value


def _not_json(name: str) -> Any:
    """NaN and Infinity, which Python's json reads but JSON does not have (nor xsd:decimal)."""
    raise ValueError(f"{name} is not a JSON number")


def _depth_over(value: Any, limit: int) -> bool:
    """True if ``value`` nests deeper than ``limit`` containers (checked without recursion)."""
    todo = [(value, 1)]
    while todo:
        item, depth = todo.pop()
        if isinstance(item, (dict, list)):
            if depth > limit:
                return True
            todo.extend((x, depth + 1) for x in (item.values() if isinstance(item, dict) else item))
    return False

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
            return str(read_json(directory / "package.json")["version"])
        except (Unreadable, KeyError, TypeError):
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


@dataclass
class Record:
    """One entry of the walk: a model folder (``chain`` empty), a canonical record (its layer files
    from the year base to the record) or an entry that is refused (``refused`` says why)."""

    model_dir: Path
    chain: list[Path] = field(default_factory=list)
    year: int | None = None
    refused: str | None = None


def _entries(folder: Path) -> list[os.DirEntry]:
    try:
        with os.scandir(folder) as it:
            return sorted(it, key=lambda e: e.name)
    except OSError as err:
        raise InputError(f"{folder}: cannot be read: {err.strerror}") from None


def _refusal(entry: os.DirEntry) -> str | None:
    """Why a folder entry is not walked into or read: a link, or not a regular file or folder."""
    if entry.is_symlink():
        return "a symbolic link, not followed (it could lead out of the dataset)"
    if not entry.is_dir(follow_symlinks=False) and not entry.is_file(follow_symlinks=False):
        return "not a regular file"
    return None


def records(src: Path) -> Iterator[Record]:
    """Every model folder and canonical record under ``src/<make>/<model>/<year>/``, in a stable
    order, without following a symbolic link; links and special files met on the way are
    :class:`Record` entries with ``refused`` set."""
    for make in _entries(src):
        if make.is_symlink():
            yield Record(Path(make.path), [Path(make.path)], refused=_refusal(make))
        if not make.is_dir(follow_symlinks=False):
            continue
        for model in _entries(Path(make.path)):
            if model.is_symlink():
                yield Record(Path(model.path), [Path(model.path)], refused=_refusal(model))
            if not model.is_dir(follow_symlinks=False):
                continue
            model_dir = Path(model.path)
            yield Record(model_dir)
            for year_dir in _entries(model_dir):
                if not _YEAR_FOLDER.fullmatch(year_dir.name):  # not a year ("notes", "²"): not records
                    continue
                if year_dir.is_symlink():
                    yield Record(model_dir, [Path(year_dir.path)], refused=_refusal(year_dir))
                if not year_dir.is_dir(follow_symlinks=False):
                    continue
                entries = [e for e in _entries(Path(year_dir.path)) if e.name.endswith(".json")]
                stems = {e.name[:-5]: Path(e.path) for e in entries}
                for entry in entries:
                    refused = _refusal(entry)
                    if refused:
                        yield Record(model_dir, [Path(entry.path)], int(year_dir.name), refused)
                        continue
                    chain, stem = [Path(entry.path)], entry.name[:-5]
                    while True:
                        parents = [s for s in stems if s != stem and stem.startswith(s + "_")]
                        if not parents:
                            break
                        stem = max(parents, key=len)
                        chain.insert(0, stems[stem])
                    yield Record(model_dir, chain, int(year_dir.name))


def _no_fetch(uri: str):
    """The schema registry's retrieval: nothing outside schema.json is ever fetched."""
    from referencing.exceptions import NoSuchResource

    raise NoSuchResource(ref=uri)


def _refs_and_ids(schema: Any) -> tuple[set[str], set[str]]:
    refs: set[str] = set()
    ids: set[str] = set()
    todo = [schema]
    while todo:
        item = todo.pop()
        if isinstance(item, dict):
            for key, value in item.items():
                if key == "$ref" and isinstance(value, str):
                    refs.add(value)
                elif key in ("$id", "id") and isinstance(value, str):
                    ids.add(value.split("#", 1)[0])
                todo.append(value)
        elif isinstance(item, list):
            todo.extend(item)
    return refs, ids


def schema_validator(root: Path):
    """A JSON Schema validator of the dataset's schema.json, or one InputError saying why it cannot
    be used (not JSON, too deep, not a schema, a bad regular expression, a reference outside it)."""
    path = root / "schema.json"
    if not path.is_file() and not path.is_symlink():
        raise InputError(f"{root}: no schema.json to check the records against (or give --no-schema)")
    try:
        import jsonschema
        from referencing import Registry
    except ImportError as err:  # pragma: no cover - jsonschema is a dependency
        raise InputError("checking against schema.json needs the jsonschema package (or give --no-schema)") from err
    try:
        schema = read_json(path)
    except Unreadable as err:
        raise InputError(f"{path}: {err}") from None
    if not isinstance(schema, (dict, bool)):
        raise InputError(f"{path}: not a JSON Schema (an object or a boolean), but {type(schema).__name__}")
    refs, ids = _refs_and_ids(schema)
    for ref in sorted(refs):
        base = ref.split("#", 1)[0]
        if base and base not in ids:
            raise InputError(f"{path}: reference {ref!r} is outside schema.json (remote references are never fetched)")
    cls = jsonschema.validators.validator_for(schema, default=jsonschema.Draft7Validator)
    try:
        cls.check_schema(schema)
    except jsonschema.SchemaError as err:
        where = "/".join(str(p) for p in err.path) or "(top level)"
        raise InputError(f"{path}: not a valid JSON Schema: {where}: {err.message}") from None
    except (RecursionError, re.error) as err:
        raise InputError(f"{path}: not a usable JSON Schema: {err}") from None
    return cls(schema, registry=Registry(retrieve=_no_fetch))


def validator_problems(validator, instance: Any, schema_name: str) -> list[Any]:
    """The errors of ``instance`` against a validator, sorted by path; a schema that breaks while
    checking (a bad regular expression, an unresolvable reference) is one InputError."""
    from referencing.exceptions import Unresolvable  # jsonschema's reference errors derive from it

    try:
        return sorted(validator.iter_errors(instance), key=lambda e: [str(p) for p in e.path])
    except (re.error, RecursionError, Unresolvable) as err:
        raise InputError(f"{schema_name}: not a usable JSON Schema: {err}") from None
