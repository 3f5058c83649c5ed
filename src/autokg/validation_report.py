"""The ``validate`` command's work: SHACL plus the QC queries, reported for people or machines."""

from __future__ import annotations

import json
import re
from typing import Any

from .graph import KnowledgeGraph

__all__ = ["validate_command"]


def _short(node: Any) -> str:
    if node is None:
        return ""
    text = str(node)
    for prefix, ns in KnowledgeGraph.PREFIXES.items():
        if text.startswith(ns):
            return f"{prefix}:{text[len(ns):]}"
    if text.startswith("http://www.w3.org/ns/shacl#"):
        return "sh:" + text.rsplit("#", 1)[1]
    return text


def validate_command(kg: KnowledgeGraph, *, fmt: str = "text", qc: bool = True) -> tuple[bool, str]:
    """Validate ``kg``; return whether it conforms and the report in ``fmt`` (text, json, ttl).

    QC checks of severity ERROR count as violations; WARN and INFO rows are reported only.
    """
    from .shacl_sparql import validate_store_fast
    from .validate import run_qc

    # The shapes compiled to SPARQL and run in the graph's own store, with the types and values
    # RDFS inference would add (as pyshacl with inference="rdfs" finds them; tests/test_shacl_sparql.py).
    report = validate_store_fast(kg, inference="rdfs")
    checks = run_qc(kg) if qc else []
    failed_checks = [c for c in checks if c.rows and c.severity == "ERROR"]
    conforms = report.conforms and not failed_checks
    if fmt == "ttl":
        return conforms, report.report_graph.serialize(format="turtle")
    if fmt == "json":
        doc = {
            "conforms": conforms,
            "shacl": {
                "conforms": report.conforms,
                "results": [{
                    "focus_node": str(r.focus_node), "path": _str(r.result_path), "value": _str(r.value),
                    "source_shape": _str(r.source_shape), "constraint": _str(r.constraint_component),
                    "severity": _str(r.severity), "message": r.message,
                } for r in report.results],
            },
            "qc": [{"check": c.name, "severity": c.severity, "problem": c.problem, "solution": c.solution,
                    "rows": [{k: _str(v) for k, v in row.items()} for row in c.rows]} for c in checks],
        }
        return conforms, json.dumps(doc, indent=2, ensure_ascii=False)
    lines: list[str] = []
    groups = report.by_focus_node()
    if report.conforms:
        lines.append(f"SHACL: conforms ({len(kg)} triples checked)")
    else:
        lines.append(f"SHACL: {len(report.results)} violations on {len(groups)} nodes")
        for focus, results in groups.items():
            lines.append(f"  {_short(focus)}")
            for r in results:
                path = f"{_short(r.result_path)}: " if r.result_path is not None else ""
                message = re.sub(r"https?://[^\s,;()]+", lambda m: _short(m.group(0)),
                                 r.message or _short(r.constraint_component))
                lines.append(f"    - {path}{message}"
                             f"{f' (value: {_short(r.value)})' if r.value is not None else ''}")
    for check in checks:
        if not check.rows:
            continue
        lines.append(f"QC {check.severity} {check.name}: {len(check.rows)} rows. {check.problem}")
        for row in check.rows[:20]:
            lines.append("    " + ", ".join(f"{k}={_short(v)}" for k, v in row.items() if v is not None))
        if len(check.rows) > 20:
            lines.append(f"    ... {len(check.rows) - 20} more (--format json lists all)")
        if check.solution:
            lines.append(f"    Solution: {check.solution}")
    if qc and not any(c.rows for c in checks):
        lines.append(f"QC: {len(checks)} checks, nothing found")
    lines.append("Conforms." if conforms else "Does not conform.")
    return conforms, "\n".join(lines)


def _str(node: Any) -> str | None:
    return None if node is None else str(node)
