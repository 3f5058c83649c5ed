"""SHACL-SPARQL constraints (``sh:sparql``), each run once over all its focus nodes in pyoxigraph.

pyshacl runs a SPARQL constraint once per focus node, parsing its query each time: on the
bundled graph that is 90 % of a validation. autokg runs each one once instead, with the focus
nodes joined in where SHACL would pre-bind ``$this`` one node at a time.
"""

from __future__ import annotations

import re
from typing import Any

from rdflib import Graph, Literal
from rdflib.namespace import SH
from rdflib.term import Node

from .report import ValidationResult, from_oxigraph

__all__ = ["split_sparql_constraints", "sparql_constraint_results"]


def split_sparql_constraints(shapes: Graph) -> tuple[Graph, list[tuple[Node, Node]]]:
    """The shapes without their SHACL-SPARQL constraints, and the (shape, constraint) pairs taken out.

    pyshacl runs a SPARQL constraint once per focus node, parsing its query each time: on the
    bundled graph that is 90 % of a validation. autokg runs each one once instead, over all its
    focus nodes together (:func:`_run_sparql_constraints`).
    """
    pairs = [(shape, constraint) for shape, constraint in shapes.subject_objects(SH.sparql)
             if (constraint, SH.deactivated, Literal(True)) not in shapes]
    core = Graph()
    for prefix, namespace in shapes.namespaces():
        core.bind(prefix, namespace)
    for triple in shapes.triples((None, None, None)):
        if triple[1] != SH.sparql:
            core.add(triple)
    return core, pairs


def _prefix_declarations(shapes: Graph, constraint: Node) -> str:
    lines = []
    for ontology in shapes.objects(constraint, SH.prefixes):
        for declaration in shapes.objects(ontology, SH.declare):
            prefix = shapes.value(declaration, SH.prefix)
            namespace = shapes.value(declaration, SH.namespace)
            if prefix is not None and namespace is not None:
                lines.append(f"PREFIX {prefix}: <{namespace}>")
    return "\n".join(lines) + "\n"



def _message(template: str | None, row: dict[str, Node | None]) -> str | None:
    if template is None:
        return None
    return re.sub(r"\{[?$](\w+)\}", lambda m: "" if row.get(m.group(1)) is None else str(row[m.group(1)]), template)



def sparql_constraint_results(store, shapes: Graph, shape: Node, constraint: Node, focus_clause: str) -> list[ValidationResult]:
    """Run one SHACL-SPARQL constraint once over all its focus nodes in a pyoxigraph store.

    ``focus_clause`` is SPARQL that binds ``?this`` to the focus nodes (a VALUES block, or a
    sub-select of the targets); it is put first in the query's WHERE group, where SHACL would
    pre-bind ``$this`` one node at a time.
    """
    select = shapes.value(constraint, SH.select)
    if select is None:
        return []
    query = str(select).replace("$this", "?this")
    where = re.search(r"\bWHERE\s*\{", query, re.IGNORECASE) or re.search(r"\{", query)
    assert where is not None, f"no WHERE in the SPARQL constraint of {shape}"
    query = query[:where.end()] + f" {focus_clause} " + query[where.end():]
    solutions = store.query(_prefix_declarations(shapes, constraint) + query)
    names = [v.value for v in solutions.variables]
    template = shapes.value(constraint, SH.message) or shapes.value(shape, SH.message)
    severity = shapes.value(shape, SH.severity) or SH.Violation
    results = []
    for solution in solutions:
        row = {n: from_oxigraph(solution[n]) for n in names}
        results.append(ValidationResult(
            focus_node=row.get("this"), result_path=row.get("path"), value=row.get("value"),
            source_shape=shape, constraint_component=SH.SPARQLConstraintComponent,
            severity=severity, message=_message(None if template is None else str(template), row),
        ))
    return results


