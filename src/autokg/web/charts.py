"""Charts of dated figures (deliveries, sales ...) as SVG, drawn by pygal on the server.

One chart per measure and kind of period (calendar year, quarter, month), for one entity. Every
source is its own series, so where sources disagree their points stand apart at the same
period; a figure marked as contradicted is ringed in red. Bounds stay visible: a range or an
"about" figure has a whisker, and the printed value keeps its bound (410k+, about 95k, at most
20k). Targets are hollow grey dots. pygal's script tag is removed: the charts need no JavaScript.
"""

from __future__ import annotations

import re
from collections import defaultdict
from typing import Any

__all__ = ["figure_charts", "CHARTED_MEASURES"]

#: The measures charted over time, in this order.
CHARTED_MEASURES = ("deliveries", "sales", "registrations", "production", "orders", "revenue")
_PERIODS = {"calendar year": "year", "quarter": "quarter", "month": "month"}
_SCRIPT = re.compile(r"<script\b.*?</script>", re.S)
_CONFLICT_RED = "#C00000"


def _short(x: float) -> str:
    """A compact number: 410000 -> 410k, 1250000 -> 1.25M, 68.9e9 -> 68.9bn.

    >>> _short(410000), _short(1250000), _short(950)
    ('410k', '1.25M', '950')
    """
    for size, suffix in ((1e9, "bn"), (1e6, "M"), (1e3, "k")):
        if abs(x) >= size:
            return f"{x / size:.3g}{suffix}"
    return f"{x:g}"


def _point(row: dict[str, Any], x: float) -> dict[str, Any] | None:
    value, low, high, bound = row["value"], row["min_value"], row["max_value"], row["bound"]
    if bound == "range" and low is not None and high is not None:
        text, y, ci = f"{_short(low)}-{_short(high)}", (low + high) / 2, {"low": low, "high": high}
    elif value is None:
        return None
    elif bound == "about":
        text, y, ci = f"about {_short(value)}", value, {"low": value * 0.95, "high": value * 1.05}
    else:
        text = {"at-least": f"{_short(value)}+", "at-most": f"at most {_short(value)}"}.get(bound or "", _short(value))
        y, ci = value, None
    point: dict[str, Any] = {"value": (x, y), "formatter": lambda _v, t=text: t,
                             "label": f"{row['display']} ({row['period']}) {row.get('publisher') or ''}".strip()}
    if ci:
        point["whisker"] = ((x, ci["low"]), (x, ci["high"]))
    return point


def _groups(rows: list[dict[str, Any]], subject: str) -> dict[tuple[str, str], list[dict[str, Any]]]:
    groups: dict[tuple[str, str], list[dict[str, Any]]] = defaultdict(list)
    for row in rows:
        period = _PERIODS.get(row.get("period_kind") or "")
        if row["subject"] == subject and period and row.get("measure") in CHARTED_MEASURES and row.get("period_start"):
            groups[(row["measure"], period)].append(row)
    return groups


def figure_charts(rows: list[dict[str, Any]], subject: str, *, colour_of=None) -> list[dict[str, str]]:
    """The charts of ``subject``'s figures (rows as FigureRow dicts): [{"title", "svg"}], measures
    in :data:`CHARTED_MEASURES` order, years before quarters before months."""
    import pygal
    from pygal.style import Style

    out = []
    order = {m: i for i, m in enumerate(CHARTED_MEASURES)}
    period_order = {"year": 0, "quarter": 1, "month": 2}
    for (measure, period), group in sorted(_groups(rows, subject).items(),
                                           key=lambda kv: (order[kv[0][0]], period_order[kv[0][1]])):
        periods = sorted({r["period_start"] for r in group})
        labels = {r["period_start"]: r.get("period") or r["period_start"] for r in group}
        series: dict[tuple[str, str], list[dict[str, Any]]] = defaultdict(list)
        for r in group:
            series[(r["type"], r.get("publisher") or "unnamed source")].append(r)
        names = sorted(series)
        colours, lines = [], []
        for i, key in enumerate(names):
            kind, publisher = key
            offset = (i - (len(names) - 1) / 2) * min(0.12, 0.6 / max(len(names), 1))
            points = [p for r in sorted(series[key], key=lambda r: r["period_start"])
                      if (p := _point(r, periods.index(r["period_start"]) + 1 + offset))]
            lines.append((f"target: {publisher}" if kind == "target" else publisher, points, kind))
            colours.append(_series_colour(i, kind))
        conflicts = [p for r in group if r.get("conflict")
                     if (p := _point(r, periods.index(r["period_start"]) + 1
                                     + (names.index((r["type"], r.get("publisher") or "unnamed source"))
                                        - (len(names) - 1) / 2) * min(0.12, 0.6 / max(len(names), 1))))]
        whiskers: list[Any] = []
        for _, points, _ in lines:
            for p in points:
                if "whisker" in p:
                    whiskers += [{"value": end, "formatter": lambda _v: ""} for end in p.pop("whisker")] + [None]
        if conflicts:
            colours.append(_CONFLICT_RED)
        if whiskers:
            colours.append("#444444")
        unit = next((r["unit"] for r in group if r.get("unit")), "")
        title = f"{measure.capitalize()} by {period}" + (f" ({unit})" if unit else "")
        css = [f".serie-{i} .dot {{ fill: #fff !important; stroke: #555; stroke-width: 2px }}"
               for i, (_, _, kind) in enumerate(lines) if kind == "target"]
        if conflicts:
            css.append(f".serie-{len(lines)} .dot {{ fill: none !important; stroke: {_CONFLICT_RED}; stroke-width: 3px }}")
        chart = pygal.XY(
            allow_interruptions=True,
            css=["file://style.css", "file://graph.css", *("inline:" + c for c in css)], js=[], stroke=False, print_values=True, print_values_position="top", dots_size=5, width=760,
            height=310 + 24 * ((len(lines) + (1 if conflicts else 0) + (1 if whiskers else 0) + 2) // 3), explicit_size=True, disable_xml_declaration=True, legend_at_bottom=True,
            legend_at_bottom_columns=3, truncate_legend=40, show_minor_x_labels=True, include_x_axis=True,
            title=title, xrange=(0.4, len(periods) + 0.6), x_labels=list(range(1, len(periods) + 1)),
            x_value_formatter=lambda i: labels[periods[int(round(i)) - 1]] if 1 <= round(i) <= len(periods) else "",
            range=(0, 1.18 * max(_top(r) for r in group)),
            value_formatter=_short, margin=16, x_label_rotation=30 if len(periods) > 6 else 0,
            style=Style(font_family="sans-serif", background="#ffffff", plot_background="#ffffff",
                        colors=tuple(colours), value_font_size=10, legend_font_size=11, title_font_size=14,
                        label_font_size=10, major_label_font_size=10, opacity=".9", opacity_hover=".9"))
        for (name, points, kind) in lines:
            chart.add(name, points, dots_size=6 if kind == "target" else 5)
        if conflicts:
            chart.add("sources disagree (ringed)", [{"value": p["value"], "formatter": lambda _v: ""} for p in conflicts],
                      dots_size=10, print_values=False)
        if whiskers:
            chart.add("range of a bounded value", whiskers, stroke=True, dots_size=1, print_values=False,
                      allow_interruptions=True)
        svg = _SCRIPT.sub("", chart.render(is_unicode=True))
        out.append({"title": title, "svg": svg, "points": str(len(group))})
    return out


def _top(row: dict[str, Any]) -> float:
    return max(x for x in (row["value"], row["max_value"], 1) if x is not None)


def _series_colour(i: int, kind: str) -> str:
    from ..pictures import _PALETTE

    return "#7f7f7f" if kind == "target" else _PALETTE[i % len(_PALETTE)]
