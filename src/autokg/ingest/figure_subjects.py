"""Whose figure a number is: a model or division named right after it, else the nearest company or
model before it in the clause, else the model or company the article is talking about."""

from __future__ import annotations

import re

from .cues import cue
from .context import MODEL_ANAPHOR, ORG_ANAPHOR, SentenceContext
from .gazetteer import ORG_KINDS
from .quantities import Quantity

__all__ = ["figure_subject"]

_NOT_A_CAR = cue("not_a_car")
_SEGMENT_OF = cue("segment_of")
_DEBUT_MODEL = cue("debut_model")
_OF_MODEL = cue("of_model")
_BY_ORG = cue("by_org")


def figure_subject(ctx: SentenceContext, q: Quantity, last: Quantity, a: int) -> tuple[str | None, bool]:
    """Whose figure: a model or division named right after the number, else the nearest company or
    model before it in the clause, else the one the article is about."""
    text, d, gaz = ctx.text, ctx.discourse, ctx.gaz
    tail = text[last.end:last.end + 90]
    if _SEGMENT_OF.match(tail):
        maker = d.org and gaz.maker_of(d.org)
        segments = gaz.segments.get(maker or "", [])
        if len(segments) == 1:
            return segments[0], True
    if _DEBUT_MODEL.match(tail) and d.model:
        return d.model, True
    for m in ctx.after(last.end, kinds=("model",), limit=last.end + 50):
        if _OF_MODEL.match(text[last.end:m.start]):
            return m.iri, False
    for m in ctx.after(last.end, kinds=ORG_KINDS, limit=last.end + 40):  # "13,728 vehicles from the NIO brand"
        if _BY_ORG.match(text[last.end:m.start]):
            return m.iri, False
        break
    head = text[a:q.start]
    if _SEGMENT_OF.match(" " + head[head.lower().find("from") - 1:] if " from " in head.lower() else "x") and d.org:
        segments = gaz.segments.get(gaz.maker_of(d.org) or "", [])
        if len(segments) == 1:
            return segments[0], True
    kinds = ORG_KINDS + ("model",)
    m = ctx.nearest_before(q.start, kinds=kinds, floor=a)
    unsure = ctx.nearest_before(q.start, kinds=("ambiguous",), floor=a)
    if unsure is not None and (m is None or unsure.start > m.start):
        return None, False  # "The Macan ... 45,367 units": a name of two models; a person decides
    if m is not None and m.kind == "model" and (
            re.match(r"\s(?:and|or|&)\s(?:the\s)?\S", text[m.end:m.end + 8]) or any(
                x.kind == "model" and re.fullmatch(r"\s(?:and|&)\s(?:the\s)?", text[x.end:m.start])
                for x in ctx.mentions if x.end <= m.start)):
        return None, False  # "the Model 3 and Model Y made up 481,166": two models together
    if m is None:
        new = ctx.nearest_before(q.start, kinds=("new",), floor=a)
        if new is not None:
            return new.iri, False
    anaphor = [x for x in ORG_ANAPHOR.finditer(text, a, q.start)]
    if m is not None and not (m.kind == "model" and anaphor and anaphor[-1].start() > m.end
                              and _after_clause_break(text, m.end, anaphor[-1].start())):
        return m.iri, False
    model_noun = [x for x in MODEL_ANAPHOR.finditer(text, a, q.start)
                  if x.group(0).lower() not in ("it", "its") and not _NOT_A_CAR.match(text, x.end())]
    if m is None and model_noun and d.model:
        return d.model, True  # "it was the best-selling car in the country, with half a million sold"
    if anaphor and d.org:
        return (gaz.maker_of(d.org) or d.org) if gaz.kind(d.org) == "segment" else d.org, True
    m = ctx.nearest_before(q.start, kinds=kinds)
    if m is not None:
        return m.iri, False
    return d.org, True


def _after_clause_break(text: str, a: int, b: int) -> bool:
    return bool(re.search(r"\b(?:said|says|told|announced|that)\b", text[a:b]))
