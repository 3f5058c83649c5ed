"""The cue words and patterns of the ingest rules, kept as data in cues.txt: ``cue(name)`` is the
compiled regex of section ``[name]``, its lines (one alternative each) joined with ``|``."""

from __future__ import annotations

import re
from functools import lru_cache
from importlib import resources

__all__ = ["cue"]

_FLAGS = {"I": re.IGNORECASE}


@lru_cache(maxsize=1)
def _sections() -> dict[str, tuple[int, str]]:
    """Each section of cues.txt: its flags and its pattern."""
    text = resources.files(__package__).joinpath("cues.txt").read_text(encoding="utf-8")
    sections: dict[str, tuple[int, list[str]]] = {}
    lines: list[str] = []
    for line in text.splitlines():
        if not line or line.startswith("#"):
            continue
        if line.startswith("["):
            name, _, flags = line[1:].partition("]")
            lines = []
            sections[name] = (sum(_FLAGS[f] for f in flags.split()), lines)
        else:
            lines.append(line)
    return {name: (flags, "|".join(alts)) for name, (flags, alts) in sections.items()}


def cue(name: str) -> re.Pattern[str]:
    """The compiled cue ``name``.

    >>> cue("exports").search("EV exports rose") is not None
    True
    """
    flags, pattern = _sections()[name]
    return re.compile(pattern, flags)
