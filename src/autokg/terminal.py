"""Text that is safe to print to a terminal: no control characters from data or file names.

A label from a data file or a file name in an error can hold escape sequences (``ESC [ 2 J``
clears the screen, ``ESC ] 0 ;`` retitles the window), C1 controls and bidirectional overrides
that make text read differently from what it is. The CLI prints through one filter:

- :func:`printable` drops them (tables, trees, CSV, messages: everything the CLI prints as text);
- :func:`escaped` shows them as ``\\n``, ``\\x1b``, ``\\u202e`` (errors, where a file name must stay
  recognisable and the message one line);
- :func:`json_escaped` writes them as JSON ``\\uXXXX`` escapes (JSON keeps every character);
- :func:`printable_stdout` puts :func:`printable` on standard output for the length of a command.
  Bytes written to standard output (an RDF export or dump to ``-``, SPARQL result formats) are
  data and pass unchanged, unless standard output is a terminal.
"""

from __future__ import annotations

import re
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

__all__ = ["CONTROL", "printable", "escaped", "json_escaped", "printable_stdout"]

#: C0 controls but tab and newline, DEL, C1 controls, and the bidirectional embeddings,
#: overrides and isolates.
CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")
_CONTROL_OR_LINE = re.compile("[\x00-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")
_NAMED = {"\n": "\\n", "\r": "\\r", "\t": "\\t"}


def printable(text: str) -> str:
    r"""``text`` without control characters (tab and newline stay).

    >>> printable("Acme\x1b[2J Road\u202erunner\x9b\n")
    'Acme[2J Roadrunner\n'
    """
    return CONTROL.sub("", text)


def _escape(match: re.Match[str]) -> str:
    char = match.group()
    return _NAMED.get(char) or (f"\\x{ord(char):02x}" if ord(char) < 0x100 else f"\\u{ord(char):04x}")


def escaped(text: str) -> str:
    r"""``text`` on one line, its control characters (newlines too) shown as escapes.

    >>> print(escaped("x\x1b[2J\nline two.ttl: no such file"))
    x\x1b[2J\nline two.ttl: no such file
    """
    return _CONTROL_OR_LINE.sub(_escape, text)


def json_escaped(text: str) -> str:
    r"""JSON text with the control characters :func:`json.dumps` leaves raw written as ``\uXXXX``.

    >>> json_escaped('"Road\u202erunner"')
    '"Road\\u202erunner"'
    """
    return CONTROL.sub(lambda m: f"\\u{ord(m.group()):04x}", text)


class _PrintableBytes:
    """A binary stream that drops control characters when it is a terminal."""

    def __init__(self, raw: Any):
        self._raw = raw

    def write(self, data: bytes) -> int:
        given = len(data)
        if self._raw.isatty():
            data = printable(bytes(data).decode("utf-8", "surrogateescape")).encode("utf-8", "surrogateescape")
        self._raw.write(data)
        return given  # all of it was taken (some dropped on a terminal)

    def __getattr__(self, name: str) -> Any:
        return getattr(self._raw, name)


class _PrintableText:
    """A text stream that writes text through :func:`printable`; everything else is the stream's."""

    def __init__(self, raw: Any):
        self._raw = raw

    def write(self, text: Any) -> int:
        if not isinstance(text, str):
            return self._raw.write(text)  # bytes: the stream's own error
        self._raw.write(printable(text))
        return len(text)  # all of it was taken

    def writelines(self, lines: Any) -> None:
        for line in lines:
            self.write(line)

    @property
    def buffer(self) -> Any:
        return _PrintableBytes(self._raw.buffer)

    def __getattr__(self, name: str) -> Any:
        return getattr(self._raw, name)


@contextmanager
def printable_stdout() -> Iterator[None]:
    """Standard output through :func:`printable` while the block runs."""
    raw = sys.stdout
    if raw is None or isinstance(raw, _PrintableText):
        yield
        return
    sys.stdout = _PrintableText(raw)  # type: ignore[assignment]
    try:
        yield
    finally:
        if isinstance(sys.stdout, _PrintableText):
            sys.stdout = raw
