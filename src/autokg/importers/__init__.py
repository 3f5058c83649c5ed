"""Importers: turn public datasets and spreadsheets into sourced, validated graph data.

Each importer reads one kind of source, resolves or makes its makers and models with the one
set of rules of :mod:`.entities` (on the CLI's resolver, :class:`autokg.names.NameIndex`),
builds triples with stable IRIs, runs the SHACL shapes on them and returns an
:class:`ImportResult` (the triples and a row-by-row report).
Writing is the caller's: :func:`write_turtle` writes atomically.

- :func:`import_sales`: monthly sales / registrations / deliveries tables.
- :func:`import_catalog`: model catalogues (make, model, year, attributes), one model per name.
- :func:`import_open_ev_data`: the Open EV Data dataset tree.
"""

from .common import write_turtle
from .result import ImportReport, ImportResult, RowProblem
from .sales import import_sales

__all__ = ["ImportReport", "ImportResult", "RowProblem", "write_turtle", "import_sales",
           "import_catalog", "import_open_ev_data"]


def __getattr__(name: str):  # the other importers load on first use
    if name == "import_catalog":
        from .catalog import import_catalog

        return import_catalog
    if name == "import_open_ev_data":
        from .open_ev_data import import_open_ev_data

        return import_open_ev_data
    raise AttributeError(name)
