"""News articles in, candidate claims out: the library behind ``autokg ingest``.

>>> from autokg.graph import load
>>> from autokg.ingest import Extractor, parse_article
>>> article = parse_article("Title: T\\nPublished: 2025-08-01\\nURL: https://example.org/a\\n\\n"
...                         "NIO delivered 21,000 vehicles in July, the company said.")
>>> [(c.kind, c.value, c.period.label, c.claim_kind) for c in Extractor(load()).extract(article).candidates]
[('figure', 21000, 'July 2025', 'company-statement')]

Modules: :mod:`.reader` (text and saved pages, header, bad input), :mod:`.text` (sentences and
clauses with offsets), :mod:`.quantities` (numbers and money), :mod:`.periods` (periods relative
to the publication date), :mod:`.gazetteer` (the graph's names in text, through the resolver),
:mod:`.figures` and :mod:`.relations` (the rules), :mod:`.extract` (an article's discourse),
:mod:`.turtle` (candidates as Turtle, marked extracted, not reviewed) and :mod:`.review`
(accepting or rejecting them).
"""

from .extract import Extractor, extract
from .model import Candidate, Extraction, NewEntity, Period
from .reader import Article, parse_article, read_article
from .review import review
from .turtle import to_turtle

__all__ = ["Extractor", "extract", "Candidate", "Extraction", "NewEntity", "Period", "Article", "parse_article",
           "read_article", "review", "to_turtle"]
