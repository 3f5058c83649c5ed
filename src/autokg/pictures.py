"""Family trees and rivalry maps as SVG, drawn on the server.

networkx gives the structure (roots, generations, the rivals around a model); positions come
from two fixed layouts: a layered tree (each model one row below its base or predecessor,
parents centred over their children) and a ring of rivals around the model, best-evidenced at
the top. Makers are coloured; rumoured and announced models are drawn dashed and labelled.
Every model is a link (to its page in the web explorer, to its IRI in a file ``autokg export
--format svg`` writes), so the pictures work without JavaScript.
"""

from __future__ import annotations

import hashlib
import math
from html import escape as _html_escape

from .terminal import CONTROL
from collections.abc import Callable
from typing import Any

def escape(text: str) -> str:
    """Text for SVG (XML): markup escaped, and the control characters XML cannot hold (and that a
    label from data may carry) dropped.

    >>> escape('A <b> & "c"\x1b[2J')
    'A &lt;b&gt; &amp; &quot;c&quot;[2J'
    """
    return _html_escape(CONTROL.sub("", text))


__all__ = ["maker_colour", "family_tree_svg", "rivalry_map_svg", "PLANNED_STATUSES"]

#: Colour-blind-safe palette (Okabe-Ito, then Tol's muted); a maker keeps its colour everywhere.
_PALETTE = ["#0072B2", "#E69F00", "#009E73", "#D55E00", "#CC79A7", "#56B4E9", "#882255", "#117733",
            "#332288", "#999933", "#AA4499", "#44AA99", "#6699CC", "#DDCC77"]
PLANNED_STATUSES = {"rumoured", "announced", "planned"}

_BOX_W, _BOX_H, _GAP_X, _GAP_Y = 150, 40, 20, 46


def maker_colour(maker: str | None) -> str:
    """A stable colour for a maker's name (the same on every page and in every picture).

    >>> maker_colour("Xiaomi") == maker_colour("Xiaomi")
    True
    """
    if not maker:
        return "#777777"
    digest = hashlib.sha1(maker.encode("utf-8")).digest()
    return _PALETTE[digest[0] % len(_PALETTE)]


def _wrap(text: str, width: int = 20) -> list[str]:
    words, lines, line = text.split(), [], ""
    for w in words:
        if line and len(line) + 1 + len(w) > width:
            lines.append(line)
            line = w
        else:
            line = f"{line} {w}".strip()
    lines.append(line)
    return lines[:2] if len(lines) <= 2 else [lines[0], (lines[1] + "…")[: width + 1]]


#: Where a model's box links to: (IRI) -> address. The IRI itself unless told.
Href = Callable[[str], str]


def _node(x: float, y: float, label: str, iri: str, colour: str, status: str | None, *, href: Href | None = None,
          w: int = _BOX_W, h: int = _BOX_H, centre: bool = False, note: str | None = None) -> str:
    planned = (status or "").lower() in PLANNED_STATUSES
    lines = _wrap(label)
    if planned:
        lines.append(f"({status})")
    dash = ' stroke-dasharray="5,3"' if planned else ""
    fill, text_colour = (colour, "#fff") if not planned else ("#fff", "#222")
    width = 2 if not centre else 4
    rows = "".join(
        f'<tspan x="{x:.1f}" dy="{0 if i == 0 else 13}">{escape(t)}</tspan>' for i, t in enumerate(lines))
    first_dy = -6.5 * (len(lines) - 1) + 4
    title = escape(label + (f" ({status})" if status else "") + (f": {note}" if note else ""))
    return (f'<a href="{escape(href(iri) if href else iri)}" class="node{" planned" if planned else ""}">'
            f'<title>{title}</title>'
            f'<rect x="{x - w / 2:.1f}" y="{y - h / 2:.1f}" width="{w}" height="{h}" rx="7" fill="{fill}" '
            f'stroke="{colour}" stroke-width="{width}"{dash}/>'
            f'<text x="{x:.1f}" y="{y + first_dy:.1f}" text-anchor="middle" font-size="11" fill="{text_colour}">'
            f'{rows}</text></a>')


def _tree_positions(G: Any) -> tuple[dict[str, tuple[float, int]], int, int]:
    """Slot (x) and layer (y) of every node: a tidy layered tree, one subtree after another."""
    label = lambda n: (G.nodes[n].get("label") or n).casefold()  # noqa: E731
    roots = sorted((n for n in G if G.in_degree(n) == 0), key=label) or sorted(G, key=label)[:1]
    pos: dict[str, tuple[float, int]] = {}
    next_slot = 0

    def place(node: str, layer: int) -> float:
        nonlocal next_slot
        children = [c for c in sorted(G.successors(node), key=lambda c: (G.edges[node, c].get("relation") != "variant",
                                                                         label(c))) if c not in pos]
        pos[node] = (0.0, layer)  # claimed now, so a model with two parents is drawn once
        if not children:
            x = float(next_slot)
            next_slot += 1
        else:
            xs = [place(c, layer + 1) for c in children]
            x = (min(xs) + max(xs)) / 2
        pos[node] = (x, layer)
        return x

    for root in roots:
        if root not in pos:
            place(root, 0)
    for node in sorted(G, key=label):  # nodes only reachable through a cycle
        if node not in pos:
            place(node, 0)
    layers = 1 + max((layer for _, layer in pos.values()), default=0)
    return pos, max(next_slot, 1), layers


def family_tree_svg(G: Any, *, title: str, href: Href | None = None) -> str:
    """A layered family tree of a lineage DiGraph (edges elder -> younger, ``relation`` variant or
    successor; node attributes ``label``, ``maker_label``, ``status``).

    >>> import networkx as nx
    >>> G = nx.DiGraph()
    >>> G.add_node("id:su7", label="Xiaomi SU7", maker_label="Xiaomi", status="on sale")
    >>> G.add_node("id:su7-l", label="Xiaomi SU7 L", maker_label="Xiaomi", status="rumoured")
    >>> G.add_edge("id:su7", "id:su7-l", relation="variant")
    >>> svg = family_tree_svg(G, title="Xiaomi")
    >>> svg.count('class="node'), "(rumoured)" in svg
    (2, True)
    """
    if G.number_of_nodes() == 0:
        return _empty(title, "No models are known.")
    pos, slots, layers = _tree_positions(G)
    width = slots * (_BOX_W + _GAP_X) + _GAP_X
    height = layers * (_BOX_H + _GAP_Y) + 40
    xy = {n: (_GAP_X + (x + 0.5) * (_BOX_W + _GAP_X) - _GAP_X / 2, 20 + _BOX_H / 2 + layer * (_BOX_H + _GAP_Y))
          for n, (x, layer) in pos.items()}
    edges = []
    for a, b, relation in G.edges(data="relation"):
        (x1, y1), (x2, y2) = xy[a], xy[b]
        dash = ' stroke-dasharray="6,4"' if relation == "successor" else ""
        edges.append(f'<path d="M{x1:.1f},{y1 + _BOX_H / 2:.1f} C{x1:.1f},{y1 + _BOX_H:.1f} {x2:.1f},{y2 - _BOX_H:.1f} '
                     f'{x2:.1f},{y2 - _BOX_H / 2:.1f}" fill="none" stroke="#555" stroke-width="1.5"{dash} '
                     f'marker-end="url(#arrow)"><title>{escape(relation or "")}</title></path>')
    nodes = [_node(x, y, d.get("label") or n, n, maker_colour(d.get("maker_label")), d.get("status"), href=href)
             for n, d in G.nodes(data=True) for x, y in [xy[n]]]
    legend = (f'<g font-size="11" transform="translate({_GAP_X},{height - 12})">'
              '<line x1="0" y1="-4" x2="24" y2="-4" stroke="#555" stroke-width="1.5"/><text x="30" y="0">variant</text>'
              '<line x1="90" y1="-4" x2="114" y2="-4" stroke="#555" stroke-width="1.5" stroke-dasharray="6,4"/>'
              '<text x="120" y="0">successor</text>'
              '<rect x="196" y="-12" width="24" height="14" rx="4" fill="#fff" stroke="#555" stroke-dasharray="5,3"/>'
              '<text x="226" y="0">rumoured or announced</text></g>')
    return _svg(max(width, 380), height, title, "".join(edges) + "".join(nodes) + legend)


def rivalry_map_svg(centre: dict[str, Any], rivals: list[dict[str, Any]], links: list[tuple[str, str, int]] = (),
                    *, title: str, href: Href | None = None) -> str:
    """The model at the centre, its ranked rivals on a ring (rank 1 at the top, clockwise), each
    spoke as wide as the number of sources behind it; ``links`` join rivals that are claimed
    rivals of each other, as (iri, iri, sources).

    >>> svg = rivalry_map_svg({"iri": "a", "label": "A", "maker": "X"},
    ...                       [{"iri": "b", "label": "B", "maker": "Y", "sources": 3}], title="A")
    >>> 'stroke-width="7.0"' in svg
    True
    """
    if not rivals:
        return _empty(title, "No source claims a rival.")
    n = len(rivals)
    radius = max(170, min(330, 38 * n))
    size = 2 * radius + _BOX_W + 40
    cx, cy = size / 2, size * 0.45
    at: dict[str, tuple[float, float]] = {centre["iri"]: (cx, cy)}
    for i, r in enumerate(rivals):
        angle = -math.pi / 2 + 2 * math.pi * i / n
        at[r["iri"]] = (cx + radius * math.cos(angle), cy + radius * 0.82 * math.sin(angle))
    parts = []
    for a, b, sources in links:
        if a in at and b in at and centre["iri"] not in (a, b):
            (x1, y1), (x2, y2) = at[a], at[b]
            parts.append(f'<line x1="{x1:.1f}" y1="{y1:.1f}" x2="{x2:.1f}" y2="{y2:.1f}" stroke="#bbb" '
                         f'stroke-width="{_edge_width(sources):.1f}"><title>{sources} source(s)</title></line>')
    for r in rivals:
        x, y = at[r["iri"]]
        parts.append(f'<line x1="{cx:.1f}" y1="{cy:.1f}" x2="{x:.1f}" y2="{y:.1f}" stroke="#444" stroke-opacity="0.7" '
                     f'stroke-width="{_edge_width(r["sources"]):.1f}"><title>{escape(r["label"])}: '
                     f'{r["sources"]} source(s)</title></line>')
        mx, my = cx + (x - cx) * 0.55, cy + (y - cy) * 0.55
        parts.append(f'<circle cx="{mx:.1f}" cy="{my:.1f}" r="9" fill="#fff" stroke="#444"/>'
                     f'<text x="{mx:.1f}" y="{my + 4:.1f}" font-size="10" text-anchor="middle">{r["sources"]}</text>')
    for r in rivals:
        x, y = at[r["iri"]]
        parts.append(_node(x, y, f'{r.get("rank", "")}. {r["label"]}' if r.get("rank") else r["label"], r["iri"],
                           maker_colour(r.get("maker")), r.get("status"), href=href,
                           note=f'{r["sources"]} source(s)'))
    parts.append(_node(cx, cy, centre["label"], centre["iri"], maker_colour(centre.get("maker")), centre.get("status"),
                       href=href, w=_BOX_W + 20, h=_BOX_H + 8, centre=True))
    parts.append(f'<text x="10" y="{size * 0.9 - 10:.0f}" font-size="11" fill="#444">Spoke width and number: sources '
                 'claiming the rivalry. Grey lines: rivals claimed against each other.</text>')
    return _svg(size, size * 0.9, title, "".join(parts))


def _edge_width(sources: int) -> float:
    return min(1.0 + 2.0 * sources, 12.0) if sources else 1.0


def _empty(title: str, message: str) -> str:
    return _svg(380, 60, title, f'<text x="10" y="35" font-size="13" fill="#444">{escape(message)}</text>')


def _svg(width: float, height: float, title: str, body: str) -> str:
    return (f'<svg xmlns="http://www.w3.org/2000/svg" role="img" viewBox="0 0 {width:.0f} {height:.0f}" '
            f'width="{width:.0f}" height="{height:.0f}" font-family="sans-serif" class="picture">'
            f'<title>{escape(title)}</title>'
            '<defs><marker id="arrow" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7" markerHeight="7" '
            'orient="auto-start-reverse"><path d="M0,0 L10,5 L0,10 z" fill="#555"/></marker></defs>'
            f'{body}</svg>')
