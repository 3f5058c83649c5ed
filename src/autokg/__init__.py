"""autokg: a sourced knowledge graph of automaker product lines.

>>> import autokg
>>> kg = autokg.load()
>>> autokg.NameIndex(kg).resolve("Tesla Model Y").label
'Tesla Model Y'
"""

from .errors import AmbiguousName, AutokgError, DataFileError, InputError, NameNotFound, QueryError
from .graph import KnowledgeGraph, load, open_graph
from .names import Entity, NameIndex

__all__ = [
    "load", "open_graph", "KnowledgeGraph", "NameIndex", "Entity",
    "AutokgError", "InputError", "DataFileError", "QueryError", "NameNotFound", "AmbiguousName",
]

__version__ = "0.1.0"
