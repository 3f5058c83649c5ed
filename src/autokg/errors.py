"""Exceptions of autokg and the exit codes the CLI maps them to.

Exit codes: 0 success; 1 a negative answer (violations found, nothing matched where something
was required); 2 a usage or input error (unknown name, malformed file, bad SPARQL, unwritable
output). Every library error is an :class:`AutokgError`; the CLI prints its message on one line and
exits with the error's :attr:`~AutokgError.exit_code`.

>>> [(cls.__name__, cls.exit_code) for cls in (QueryError, StoreError, EndpointError)]
[('QueryError', 2), ('StoreError', 2), ('EndpointError', 2)]
"""

from __future__ import annotations

from collections.abc import Sequence

__all__ = [
    "EXIT_OK",
    "EXIT_NEGATIVE",
    "EXIT_INPUT",
    "AutokgError",
    "InputError",
    "DataFileError",
    "QueryError",
    "NameNotFound",
    "AmbiguousName",
    "WrongKind",
    "OutputError",
    "StoreError",
    "EndpointError",
    "NotConforming",
]

EXIT_OK = 0
EXIT_NEGATIVE = 1
EXIT_INPUT = 2


class AutokgError(Exception):
    """Base class of the errors autokg reports to its users."""

    exit_code = EXIT_INPUT


class InputError(AutokgError):
    """The user's input (an option, a path, a value) cannot be used."""


class DataFileError(InputError):
    """A data file cannot be read; says which file and, where known, which line.

    >>> str(DataFileError("a.ttl", "Unexpected end of file", line=3, column=11))
    'a.ttl:3:11: Unexpected end of file'
    """

    def __init__(self, path: str, reason: str, *, line: int | None = None, column: int | None = None):
        self.path, self.reason, self.line, self.column = path, reason, line, column
        where = path
        if line is not None:
            where += f":{line}" + (f":{column}" if column is not None else "")
        super().__init__(f"{where}: {reason}")


class QueryError(InputError):
    """A SPARQL query cannot be parsed or run; says where."""


class NameNotFound(InputError):
    """No entity has the name the user typed; carries the closest names.

    >>> str(NameNotFound("Modle Y", ["Tesla Model Y", "Tesla Model 3"]))
    "no maker or model is named 'Modle Y'; did you mean: Tesla Model Y, Tesla Model 3?"
    """

    def __init__(self, name: str, suggestions: Sequence[str] = (), *, what: str = "maker or model"):
        self.name, self.suggestions = name, list(suggestions)
        message = f"no {what} is named {name!r}"
        if self.suggestions:
            message += "; did you mean: " + ", ".join(self.suggestions) + "?"
        super().__init__(message)


class WrongKind(NameNotFound):
    """A name or IRI names an entity of another kind than the one asked for (a maker for a model).

    >>> str(WrongKind("id:acme", "Acme Motors", "maker", ["Acme Roadrunner"], what="model"))
    "'id:acme' is Acme Motors, a maker, not a model; did you mean: Acme Roadrunner?"
    """

    def __init__(self, name: str, label: str, kind: str, suggestions: Sequence[str] = (), *, what: str = "model"):
        super().__init__(name, suggestions, what=what)
        message = f"{name!r} is {label}, a {kind}, not a {what}"
        if self.suggestions:
            message += "; did you mean: " + ", ".join(self.suggestions) + "?"
        self.args = (message,)


class AmbiguousName(InputError):
    """Several entities have the name the user typed; carries the candidates."""

    def __init__(self, name: str, candidates: Sequence[str]):
        self.name, self.candidates = name, list(candidates)
        super().__init__(
            f"{name!r} is ambiguous; it names: " + "; ".join(self.candidates)
            + " (qualify it with the maker, or give the IRI)"
        )


class OutputError(InputError):
    """An output file cannot be written."""


class StoreError(InputError):
    """A store cannot be opened or written: not a store, locked, damaged."""


class EndpointError(StoreError):
    """A SPARQL endpoint cannot be reached or fails (refused, timeout, HTTP error)."""


class NotConforming(AutokgError):
    """Data does not conform to the shapes, so it was refused (nothing written): a negative answer."""

    exit_code = EXIT_NEGATIVE
