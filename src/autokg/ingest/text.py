"""Sentences and clauses of an article, with character offsets.

Paragraphs are split on blank lines (and lines); a paragraph that is one line without a full
stop (a headline, a caption, a byline) is left out, since it states nothing in a sentence.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

__all__ = ["Sentence", "sentences", "clauses"]

_ABBREVIATIONS = {
    "inc", "co", "corp", "ltd", "plc", "mr", "mrs", "ms", "dr", "st", "no", "vs", "etc", "approx", "jan", "feb",
    "mar", "apr", "jun", "jul", "aug", "sep", "sept", "oct", "nov", "dec", "e.g", "i.e", "u.s", "u.k", "gen",
}
# Words that open a sentence, so that "the Model Y. The ..." ends one after a one-letter name.
_STARTERS = {"the", "a", "an", "as", "in", "it", "its", "this", "that", "these", "those", "but", "and", "on", "at",
             "for", "from", "with", "by", "he", "she", "they", "we", "i", "according", "meanwhile", "however",
             "also", "since", "after", "before", "while", "some", "many", "analysts", "other"}
_BOUNDARY = re.compile(r"[.!?]+[\"”’)\]]*\s+(?=[\"“‘(\[]?[A-Z0-9])")
_CLAUSE = re.compile(r";\s|\s[–—]\s|\s-\s|,\s(?:but|while|whereas|although|though|and|yet)\s|:\s")


@dataclass(frozen=True)
class Sentence:
    """A sentence: its text, offsets in the article, and the paragraph it belongs to."""

    text: str
    start: int
    end: int
    paragraph: int


def sentences(text: str) -> list[Sentence]:
    """The sentences of ``text``, each with its offsets.

    >>> [s.text for s in sentences("Headline here\\n\\nNIO Inc. sold 5 cars. It said so.")]
    ['NIO Inc. sold 5 cars.', 'It said so.']
    >>> s = sentences("It rose. B is 2.5 million, said Mr. Li. Done.")[1]
    >>> s.text, s.start
    ('B is 2.5 million, said Mr. Li.', 9)
    """
    out: list[Sentence] = []
    paragraph = 0
    for para in re.finditer(r"[^\n]+(?:\n(?!\s*\n)[^\n]+)*", text):
        block = para.group(0)
        if "\n" not in block.strip() and not re.search(r"[.!?][\"”’)]*\s*$", block.strip()):
            continue  # a headline, caption or byline
        paragraph += 1
        for line in re.finditer(r"[^\n]+", block):
            base = para.start() + line.start()
            out.extend(_split_line(line.group(0), base, paragraph))
    return out


def _split_line(line: str, base: int, paragraph: int) -> list[Sentence]:
    pieces: list[Sentence] = []
    begin = 0
    for m in _BOUNDARY.finditer(line):
        before = line[begin:m.start()].rsplit(None, 1)
        last = before[-1].lower().rstrip(".") if before else ""
        following = line[m.end():].split(None, 1)
        starter = following[0].strip("\"“‘(") if following else ""
        if last in _ABBREVIATIONS or (len(last) == 1 and _initial(before, starter)):
            continue  # "Inc.", "J. Smith"; but "the SU7 L. As ..." and "the Model Y L. NIO ..." end a sentence
        piece = line[begin:m.end()].rstrip()
        if piece.strip():
            lead = len(piece) - len(piece.lstrip())
            pieces.append(Sentence(piece.strip(), base + begin + lead, base + begin + len(piece), paragraph))
        begin = m.end()
    rest = line[begin:]
    if rest.strip():
        lead = len(rest) - len(rest.lstrip())
        pieces.append(Sentence(rest.strip(), base + begin + lead, base + begin + len(rest.rstrip()), paragraph))
    return pieces


def _initial(before: list[str], starter: str) -> bool:
    """Whether a one-letter word before a full stop is a person's initial ("J. Smith"), not the
    end of a model name ("Model Y", "SU7 L"): a name comes before it and a surname after it."""
    words = " ".join(before).split()
    previous = words[-2] if len(words) > 1 else ""
    return (bool(re.fullmatch(r"[A-Z][a-z]+", starter)) and starter.lower() not in _STARTERS
            and (not previous or (previous.isalpha() and len(previous) > 1 and previous not in ("Model", "Class"))))


def clauses(sentence: str) -> list[tuple[int, int]]:
    """Spans of the clauses of a sentence: split at semicolons, dashes and ", but/while/and ...".

    >>> s = "NIO sold 5, while Onvo added 3; XPeng sold 2."
    >>> [s[a:b] for a, b in clauses(s)]
    ['NIO sold 5', 'while Onvo added 3', 'XPeng sold 2.']
    """
    spans = []
    begin = 0
    for m in _CLAUSE.finditer(sentence):
        spans.append((begin, m.start()))
        # keep the conjunction with the clause it opens ("while Onvo added 3")
        word = re.match(r"[,;:]?\s*([a-z]+\s)?", sentence[m.start():m.end()])
        begin = m.end() - (len(word.group(1)) if word and word.group(1) else 0)
    spans.append((begin, len(sentence)))
    return [(a, b) for a, b in spans if sentence[a:b].strip()]
