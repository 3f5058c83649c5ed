"""SHACL shapes compiled to SPARQL: one query per (shape, constraint) over all the shape's targets.

pyshacl checks a shape node by node (a few hundred focus nodes a second at a million triples).
:func:`compile_shapes` compiles each core constraint into ONE SPARQL SELECT of the violating focus
nodes (with ``?value`` for value-node constraints) over all the shape's targets, run in pyoxigraph.

Compiled: targets (``sh:targetClass`` with ``rdfs:subClassOf*`` in the data, ``sh:targetNode``,
``sh:targetSubjectsOf``, ``sh:targetObjectsOf``, implicit class targets); paths (IRIs,
``sh:inversePath``, sequences, alternatives, ``sh:zeroOrMorePath`` ...); ``sh:minCount``,
``sh:maxCount``, ``sh:hasValue``, ``sh:uniqueLang``, and on value nodes ``sh:datatype`` (with the
well-formedness of the lexical form for the types oxigraph casts), ``sh:class``, ``sh:nodeKind``,
``sh:in``, ``sh:pattern``, ``sh:languageIn``, ``sh:min/maxLength``, ``sh:min/maxExclusive``,
``sh:min/maxInclusive``, ``sh:or``, ``sh:and``, ``sh:not``, ``sh:xone`` and ``sh:node`` (nested
shapes made of these, as the ``akgsh:InXxxScheme`` shapes). A top-level shape using anything else
(``sh:closed``, ``sh:qualifiedValueShape``, ``sh:equals`` ...), or one the caller leaves
(``leave``), goes to pyshacl, with a shapes
graph in which the compiled shapes have no targets, so the result is always complete.

``inference="none"`` is pyshacl without inference; ``inference="rdfs"`` follows what pyshacl's
RDFS inference adds for types and paths (``rdfs:domain``, ``rdfs:range``, ``rdfs:subPropertyOf``
of the ontology in the store), as :func:`autokg.validation.fallback.validate_graph` does.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable
from dataclasses import dataclass
import pyoxigraph as ox
from rdflib import Graph, Literal, URIRef
from rdflib.collection import Collection
from rdflib.namespace import RDF, RDFS, SH, XSD
from rdflib.term import Node


__all__ = ["compile_shapes", "CompiledQuery", "Compiler"]

# Predicates of a shape that are not constraints (or that are handled apart).
_IGNORED = {
    SH.message, SH.severity, SH.deactivated, SH.name, SH.description, SH.order, SH.group, SH.path,
    SH.targetClass, SH.targetNode, SH.targetSubjectsOf, SH.targetObjectsOf, SH.property, SH.sparql,
    SH.defaultValue, SH.declare, SH.prefixes, SH.flags,
}
# Value-node constraints: each checks one value node on its own.
_VALUE = {
    SH.datatype, SH["class"], SH.nodeKind, SH["in"], SH.pattern, SH.languageIn, SH.minLength, SH.maxLength,
    SH.minExclusive, SH.maxExclusive, SH.minInclusive, SH.maxInclusive, SH["or"], SH["and"], SH["not"],
    SH.xone, SH.node,
}
_COMPONENT = {
    SH.datatype: SH.DatatypeConstraintComponent, SH["class"]: SH.ClassConstraintComponent,
    SH.nodeKind: SH.NodeKindConstraintComponent, SH["in"]: SH.InConstraintComponent,
    SH.pattern: SH.PatternConstraintComponent, SH.languageIn: SH.LanguageInConstraintComponent,
    SH.minLength: SH.MinLengthConstraintComponent, SH.maxLength: SH.MaxLengthConstraintComponent,
    SH.minExclusive: SH.MinExclusiveConstraintComponent, SH.maxExclusive: SH.MaxExclusiveConstraintComponent,
    SH.minInclusive: SH.MinInclusiveConstraintComponent, SH.maxInclusive: SH.MaxInclusiveConstraintComponent,
    SH["or"]: SH.OrConstraintComponent, SH["and"]: SH.AndConstraintComponent, SH["not"]: SH.NotConstraintComponent,
    SH.xone: SH.XoneConstraintComponent, SH.node: SH.NodeConstraintComponent,
    SH.minCount: SH.MinCountConstraintComponent, SH.maxCount: SH.MaxCountConstraintComponent,
    SH.hasValue: SH.HasValueConstraintComponent, SH.uniqueLang: SH.UniqueLangConstraintComponent,
}
# Datatypes whose lexical form oxigraph checks when casting: an ill-formed literal fails sh:datatype.
_CASTABLE = {XSD[n] for n in ("integer", "decimal", "double", "float", "boolean", "date", "dateTime", "time",
                              "gYear", "gYearMonth", "duration")}
_NODE_KINDS = {
    SH.IRI: "isIRI({v})", SH.BlankNode: "isBlank({v})", SH.Literal: "isLiteral({v})",
    SH.BlankNodeOrIRI: "(isBlank({v}) || isIRI({v}))", SH.BlankNodeOrLiteral: "(isBlank({v}) || isLiteral({v}))",
    SH.IRIOrLiteral: "(isIRI({v}) || isLiteral({v}))",
}


class Unsupported(Exception):
    """A shape uses a constraint this compiler does not translate."""


@dataclass(frozen=True)
class CompiledQuery:
    """One SPARQL SELECT: its rows (``?this``, maybe ``?value``) are the violations of one constraint."""

    shape: Node
    component: Node
    path: Node | None
    query: str
    severity: Node
    message: str | None
    value_is_focus: bool = False


def _term(node: Node) -> str:
    if isinstance(node, URIRef):
        return f"<{node}>"
    if isinstance(node, Literal):
        lexical = str(node).replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n").replace("\r", "\\r")
        if node.language:
            return f'"{lexical}"@{node.language}'
        if node.datatype is not None:
            return f'"{lexical}"^^<{node.datatype}>'
        return f'"{lexical}"'
    raise Unsupported(f"no SPARQL term for {node!r}")


class Compiler:
    def __init__(self, shapes: Graph, store: ox.Store, inference: str):
        if inference not in ("none", "rdfs"):
            raise ValueError(f"inference must be 'none' or 'rdfs', not {inference!r}")
        self.shapes = shapes
        self.store = store
        self.rdfs = inference == "rdfs"
        self._fresh = itertools.count()
        self._cache: dict[tuple[str, str], list[str]] = {}

    # Ontology look-ups, in the store ---------------------------------------------------------

    def _closure(self, start: str, step: str, inverse: bool = True) -> list[str]:
        key = (start, step)
        if key not in self._cache:
            path = f"^<{step}>*" if inverse else f"<{step}>*"
            rows = self.store.query(f"SELECT DISTINCT ?x WHERE {{ <{start}> {path} ?x }}")
            found = {r["x"].value for r in rows if isinstance(r["x"], ox.NamedNode)}
            found.add(start)
            self._cache[key] = sorted(found)
        return self._cache[key]

    def subclasses(self, cls: str) -> list[str]:
        return self._closure(cls, str(RDFS.subClassOf))

    def subproperties(self, prop: str) -> list[str]:
        return self._closure(prop, str(RDFS.subPropertyOf)) if self.rdfs else [prop]

    def _props_with(self, axiom: Node, cls: str) -> list[str]:
        """The properties (with their subproperties) whose rdfs:domain / rdfs:range is a subclass of cls."""
        classes = " ".join(f"<{c}>" for c in self.subclasses(cls))
        rows = self.store.query(f"SELECT DISTINCT ?p WHERE {{ VALUES ?c {{ {classes} }} ?p <{axiom}> ?c }}")
        props: set[str] = set()
        for row in rows:
            if isinstance(row["p"], ox.NamedNode):
                props.update(self.subproperties(row["p"].value))
        return sorted(props)

    def typed(self, var: str, cls: Node) -> str:
        """A group pattern that matches when ``var`` is an instance of ``cls`` (as pyshacl sees it)."""
        classes = " ".join(f"<{c}>" for c in self.subclasses(str(cls)))
        t = f"?_c{next(self._fresh)}"
        parts = [f"{{ VALUES {t} {{ {classes} }} {var} a {t} }}"]
        if self.rdfs:
            domain = self._props_with(RDFS.domain, str(cls))
            if domain:
                parts.append(f"{{ {var} {'|'.join(f'<{p}>' for p in domain)} [] }}")
            rng = self._props_with(RDFS.range, str(cls))
            if rng:
                parts.append(f"{{ [] {'|'.join(f'<{p}>' for p in rng)} {var} }}")
        return " UNION ".join(parts)

    # Paths -----------------------------------------------------------------------------------

    def path(self, node: Node) -> str:
        g = self.shapes
        if isinstance(node, URIRef):
            props = self.subproperties(str(node))
            return f"<{node}>" if len(props) == 1 else "(" + "|".join(f"<{p}>" for p in props) + ")"
        if (node, RDF.first, None) in g:
            return "(" + "/".join(self.path(p) for p in Collection(g, node)) + ")"
        for predicate, template in ((SH.inversePath, "^{}"), (SH.zeroOrMorePath, "{}*"), (SH.oneOrMorePath, "{}+"),
                                    (SH.zeroOrOnePath, "{}?")):
            inner = g.value(node, predicate)
            if inner is not None:
                return "(" + template.format(self.path(inner)) + ")"
        alternatives = g.value(node, SH.alternativePath)
        if alternatives is not None:
            return "(" + "|".join(self.path(p) for p in Collection(g, alternatives)) + ")"
        raise Unsupported(f"path {node!r}")

    # Targets ---------------------------------------------------------------------------------

    def target_parts(self, shape: Node) -> list[str]:
        g = self.shapes
        parts = []
        nodes = [n for n in g.objects(shape, SH.targetNode)]
        if nodes:
            parts.append("{ VALUES ?this { " + " ".join(_term(n) for n in nodes) + " } }")
        classes = set(g.objects(shape, SH.targetClass))
        if (shape, RDF.type, RDFS.Class) in g:
            classes.add(shape)
        for cls in sorted(classes):
            parts.append(self.typed("?this", cls))
        for p in g.objects(shape, SH.targetSubjectsOf):
            parts.append(f"{{ ?this {self.path(p)} [] }}")
        for p in g.objects(shape, SH.targetObjectsOf):
            parts.append(f"{{ [] {self.path(p)} ?this }}")
        return parts

    # Constraints as SPARQL expressions -------------------------------------------------------

    def var(self) -> str:
        return f"?_v{next(self._fresh)}"

    def _list(self, node: Node) -> list[Node]:
        return list(Collection(self.shapes, node))

    def value_fail(self, predicate: Node, param: Node, v: str) -> str:
        """An expression true when the value node ``v`` violates one value-node constraint."""
        if predicate == SH.datatype:
            if param == RDF.langString:
                ok = f"(isLiteral({v}) && lang({v}) != \"\")"
            else:
                ok = f"(isLiteral({v}) && lang({v}) = \"\" && sameTerm(datatype({v}), <{param}>))"
                if param in _CASTABLE:
                    ok = f"({ok} && COALESCE(isLiteral(<{param}>({v})), false))"
            return f"!{ok}"
        if predicate == SH["class"]:
            return f"NOT EXISTS {{ {self.typed(v, param)} }}"
        if predicate == SH.nodeKind:
            if param not in _NODE_KINDS:
                raise Unsupported(f"sh:nodeKind {param}")
            return "!" + _NODE_KINDS[param].format(v=v)
        if predicate == SH["in"]:
            members = self._list(param)
            if not members:
                return "true"
            return "!(" + " || ".join(f"sameTerm({v}, {_term(m)})" for m in members) + ")"
        if predicate == SH.languageIn:
            tags = [str(t) for t in self._list(param)]
            tests = " || ".join(f"langMatches(lang({v}), {_term(Literal(t))})" for t in tags) or "false"
            return f"!(isLiteral({v}) && ({tests}))"
        if predicate in (SH.minLength, SH.maxLength):
            op = ">=" if predicate == SH.minLength else "<="
            return f"!COALESCE(!isBlank({v}) && STRLEN(STR({v})) {op} {int(param)}, false)"
        if predicate in (SH.minExclusive, SH.maxExclusive, SH.minInclusive, SH.maxInclusive):
            op = {SH.minExclusive: ">", SH.maxExclusive: "<", SH.minInclusive: ">=", SH.maxInclusive: "<="}[predicate]
            return f"!COALESCE({v} {op} {_term(param)}, false)"
        if predicate == SH["or"]:
            return "(" + " && ".join(self.shape_fail(m, v) for m in self._list(param)) + ")"
        if predicate == SH["and"]:
            return "(" + " || ".join(self.shape_fail(m, v) for m in self._list(param)) + ")"
        if predicate == SH["not"]:
            return f"!{self.shape_fail(param, v)}"
        if predicate == SH.xone:
            passes = " + ".join(f"IF({self.shape_fail(m, v)}, 0, 1)" for m in self._list(param))
            return f"(({passes}) != 1)"
        if predicate == SH.node:
            return self.shape_fail(param, v)
        raise Unsupported(str(predicate))

    def pattern_fail(self, shape: Node, param: Node, v: str) -> str:
        flags = self.shapes.value(shape, SH.flags)
        args = f"{_term(Literal(str(param)))}" + (f", {_term(Literal(str(flags)))}" if flags is not None else "")
        return f"!COALESCE(!isBlank({v}) && REGEX(STR({v}), {args}), false)"

    def constraint_fail(self, shape: Node, predicate: Node, param: Node, v: str) -> str:
        if predicate == SH.pattern:
            return self.pattern_fail(shape, param, v)
        return self.value_fail(predicate, param, v)

    def check(self, shape: Node) -> list[tuple[Node, Node]]:
        """The (predicate, parameter) constraints of a shape; Unsupported if any is not compiled."""
        out = []
        for predicate, param in self.shapes.predicate_objects(shape):
            if predicate in _IGNORED or not str(predicate).startswith(str(SH)):
                continue
            if predicate not in _COMPONENT:
                raise Unsupported(f"{predicate} on {shape}")
            out.append((predicate, param))
        return out

    def shape_fail(self, shape: Node, v: str) -> str:
        """An expression true when ``v`` does not conform to ``shape`` (a nested shape)."""
        if (shape, SH.deactivated, Literal(True)) in self.shapes:
            return "false"
        if (shape, SH.sparql, None) in self.shapes:
            raise Unsupported(f"SPARQL constraint in nested shape {shape}")
        path = self.shapes.value(shape, SH.path)
        fails: list[str] = []
        for predicate, param in self.check(shape):
            if path is None:
                if predicate not in _VALUE:
                    raise Unsupported(f"{predicate} on node shape {shape}")
                fails.append(self.constraint_fail(shape, predicate, param, v))
            else:
                fails.append(self.focus_fail(shape, path, predicate, param, v))
        for child in self.shapes.objects(shape, SH.property):
            fails.append(self.shape_fail(child, v))
        return "(" + " || ".join(fails) + ")" if fails else "false"

    def focus_fail(self, shape: Node, path: Node, predicate: Node, param: Node, f: str) -> str:
        """An expression true when focus node ``f`` violates one constraint of property shape ``shape``."""
        p = self.path(path)
        if predicate == SH.minCount:
            n = int(param)
            if n == 0:
                return "false"
            if n == 1:
                return f"NOT EXISTS {{ {f} {p} [] }}"
            raise Unsupported("nested sh:minCount > 1")
        if predicate == SH.maxCount:
            if int(param) == 0:
                return f"EXISTS {{ {f} {p} [] }}"
            if int(param) == 1:
                a, b = self.var(), self.var()
                return f"EXISTS {{ {f} {p} {a}, {b} FILTER (!sameTerm({a}, {b})) }}"
            raise Unsupported("nested sh:maxCount > 1")
        if predicate == SH.hasValue:
            return f"NOT EXISTS {{ {f} {p} {_term(param)} }}"
        if predicate == SH.uniqueLang:
            a, b = self.var(), self.var()
            return f"EXISTS {{ {self._unique_lang(f, p, a, b, param)} }}"
        v = self.var()
        return f"EXISTS {{ {f} {p} {v} FILTER ({self.constraint_fail(shape, predicate, param, v)}) }}"

    @staticmethod
    def _unique_lang(f: str, p: str, a: str, b: str, param: Node) -> str:
        # Only the literal true turns it on, not "1"^^xsd:boolean (the W3C test uniqueLang-002).
        if not (isinstance(param, Literal) and param.datatype == XSD.boolean and str(param) == "true"):
            return "FILTER (false)"
        return (f"{f} {p} {a}, {b} FILTER (!sameTerm({a}, {b}) && isLiteral({a}) && isLiteral({b}) "
                f"&& lang({a}) != \"\" && LCASE(lang({a})) = LCASE(lang({b})))")

    # Top-level queries -----------------------------------------------------------------------

    def queries(self, shape: Node, parts: list[str]) -> list[CompiledQuery]:
        """The queries of one shape (its own constraints) over the union of target ``parts``."""
        g = self.shapes
        targets = "{ SELECT DISTINCT ?this WHERE { " + " UNION ".join(parts) + " } }"
        path = g.value(shape, SH.path)
        severity = g.value(shape, SH.severity) or SH.Violation
        message = g.value(shape, SH.message)
        message = None if message is None else str(message)
        out = []
        for predicate, param in self.check(shape):
            component = _COMPONENT[predicate]

            def q(body: str, select: str = "?this", value_is_focus: bool = False) -> None:
                out.append(CompiledQuery(shape, component, path, f"SELECT DISTINCT {select} WHERE {{ {targets} {body} }}",
                                         severity, message, value_is_focus))

            if path is None:
                if predicate not in _VALUE:
                    raise Unsupported(f"{predicate} on node shape {shape}")
                q(f"FILTER ({self.constraint_fail(shape, predicate, param, '?this')})", value_is_focus=True)
                continue
            p = self.path(path)
            if predicate == SH.minCount:
                n = int(param)
                if n == 1:
                    q(f"FILTER NOT EXISTS {{ ?this {p} [] }}")
                elif n > 1:
                    q(f"OPTIONAL {{ SELECT ?this (COUNT(DISTINCT ?_m) AS ?_n) WHERE {{ {targets} ?this {p} ?_m }} "
                      f"GROUP BY ?this }} FILTER (COALESCE(?_n, 0) < {n})")
            elif predicate == SH.maxCount:
                n = int(param)
                if n == 1:  # two distinct values: cheaper than counting them all
                    q(f"?this {p} ?_a . ?this {p} ?_b FILTER (!sameTerm(?_a, ?_b))")
                    continue
                q(f"{{ SELECT ?this WHERE {{ {targets} ?this {p} ?_m }} GROUP BY ?this "
                  f"HAVING (COUNT(DISTINCT ?_m) > {n}) }}")
            elif predicate == SH.hasValue:
                q(f"FILTER NOT EXISTS {{ ?this {p} {_term(param)} }}")
            elif predicate == SH.uniqueLang:  # one result per duplicated language
                q(self._unique_lang("?this", p, "?_a", "?_b", param) + " BIND (LCASE(lang(?_a)) AS ?_lang)",
                  select="?this ?_lang")
            else:
                q(f"?this {p} ?value FILTER ({self.constraint_fail(shape, predicate, param, '?value')})",
                  select="?this ?value")
        return out


def compile_shapes(shapes: Graph, store: ox.Store, *, inference: str = "none",
                   leave: Callable[[Node], bool] | None = None) -> tuple[list[CompiledQuery], list[Node]]:
    """Compile the core constraints of every shape with targets; also the top-level shapes left to pyshacl."""
    c = Compiler(shapes, store, inference)
    top = set()
    for predicate in (SH.targetClass, SH.targetNode, SH.targetSubjectsOf, SH.targetObjectsOf):
        top.update(shapes.subjects(predicate, None))
    top.update(s for s in shapes.subjects(RDF.type, RDFS.Class) if (s, RDF.type, SH.NodeShape) in shapes)
    top = {s for s in top if (s, SH.deactivated, Literal(True)) not in shapes}
    # A property shape shared by several node shapes is checked once, over all their targets.
    owners: dict[Node, list[str]] = {}
    fallback: list[Node] = []
    queries: list[CompiledQuery] = []
    for shape in sorted(top, key=str):
        try:
            if leave is not None and leave(shape):  # the caller's choice
                raise Unsupported(f"{shape} is left to pyshacl")
            parts = c.target_parts(shape)
            own = c.queries(shape, parts)
            children = [ch for ch in shapes.objects(shape, SH.property)
                        if (ch, SH.deactivated, Literal(True)) not in shapes]
            for child in children:
                if (child, SH.property, None) in shapes or (child, SH.sparql, None) in shapes:
                    raise Unsupported(f"sh:property or sh:sparql on property shape {child}")
                c.queries(child, parts)  # compiles, or raises Unsupported
        except Unsupported:
            fallback.append(shape)
            continue
        queries.extend(own)
        for child in children:
            owners.setdefault(child, []).extend(parts)
    for child, parts in owners.items():
        queries.extend(c.queries(child, list(dict.fromkeys(parts))))
    return queries, fallback

