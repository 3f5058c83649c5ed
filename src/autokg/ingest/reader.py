"""Read an article: plain text with an optional header block, or a saved HTML page.

A text article may start with a header block (``Title:``, ``Publisher:``, ``Published:``,
``URL:``, then a blank line). A saved page gives its header through ``<title>``, ``og:`` and
``article:`` meta tags and a JSON-LD ``NewsArticle``; its text is the paragraphs of its
``<article>`` (or ``<main>``, or ``<body>``), without navigation, scripts and styles.

Bad input (empty, binary, too large, not English, no text, a malformed date) raises
:class:`autokg.errors.InputError` with one line that names the file.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

from ..errors import InputError

__all__ = ["Article", "read_article", "parse_article", "parse_date", "MAX_BYTES"]

#: Articles are news pages: anything larger is not one (a dump, a binary, a book).
MAX_BYTES = 2 * 1024 * 1024

_HEADER_KEYS = {"title": "title", "publisher": "publisher", "published": "published", "date": "published",
                "url": "url", "source": "publisher"}
_HEADER_LINE = re.compile(r"^(?P<key>[A-Za-z]+):\s*(?P<value>.*?)\s*$")


@dataclass
class Article:
    """An article's text and header. ``published`` is a date; offsets index ``text``."""

    text: str
    title: str | None = None
    publisher: str | None = None
    published: dt.date | None = None
    url: str | None = None
    path: str = "<text>"
    format: str = "text"

    def to_dict(self) -> dict[str, Any]:
        return {"path": self.path, "format": self.format, "title": self.title, "publisher": self.publisher,
                "published": self.published.isoformat() if self.published else None, "url": self.url,
                "characters": len(self.text)}


def parse_date(text: str) -> dt.date | None:
    """A publication date from ISO (with or without a time) or an English day-month-year.

    >>> parse_date("2025-07-02T14:05:00Z"), parse_date("5 January 2026"), parse_date("Jan 5, 2026")
    (datetime.date(2025, 7, 2), datetime.date(2026, 1, 5), datetime.date(2026, 1, 5))
    >>> parse_date("yesterday") is None
    True
    """
    text = text.strip()
    m = re.match(r"^(\d{4}-\d{2}-\d{2})(?:[T ][0-9:.]+(?:Z|[+-]\d{2}:?\d{2})?)?$", text)
    if m:
        try:
            return dt.date.fromisoformat(m.group(1))
        except ValueError:
            return None
    for fmt in ("%d %B %Y", "%d %b %Y", "%B %d, %Y", "%b %d, %Y", "%B %d %Y", "%b %d %Y"):
        try:
            return dt.datetime.strptime(text.replace(".", ""), fmt).date()
        except ValueError:
            continue
    return None


def read_article(path: str | Path, **overrides: Any) -> Article:
    """Read an article file; ``overrides`` (title, publisher, published, url) win over its header."""
    path = Path(path)
    try:
        with path.open("rb") as fh:
            raw = fh.read(MAX_BYTES + 1)
    except OSError as err:
        raise InputError(f"{path}: cannot read: {err.strerror or err}") from None
    if len(raw) > MAX_BYTES:
        size = path.stat().st_size / (1024 * 1024)
        raise InputError(f"{path}: {size:.1f} MB is too large for an article (at most {MAX_BYTES // (1024 * 1024)} MB)")
    return parse_article(raw, name=str(path), **overrides)


def parse_article(raw: bytes | str, *, name: str = "<text>", **overrides: Any) -> Article:
    """An article from bytes or text (see :func:`read_article`)."""
    text = _decode(raw, name) if isinstance(raw, bytes) else raw
    if not text.strip():
        raise InputError(f"{name}: the file is empty")
    if _looks_like_html(text):
        article = _from_html(text, name)
    else:
        article = _from_text(text, name)
    for key, value in overrides.items():
        if value is None:
            continue
        if key == "published" and not isinstance(value, dt.date):
            parsed = parse_date(str(value))
            if parsed is None:
                raise InputError(f"--published {value!r} is not a date (use YYYY-MM-DD)")
            value = parsed
        setattr(article, key, value)
    if not article.text.strip():
        raise InputError(f"{name}: no article text found" + (" in the HTML page" if article.format == "html" else ""))
    _check_english(article.text, name)
    return article


def _decode(raw: bytes, name: str) -> str:
    head = raw[:8192]
    if b"\x00" in head:
        raise InputError(f"{name}: a binary file, not an article (give a text or HTML file)")
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        text = raw.decode("cp1252", errors="replace")
    controls = sum(1 for ch in text[:8192] if ord(ch) < 32 and ch not in "\n\r\t\f")
    if controls > max(8, len(text[:8192]) // 50):
        raise InputError(f"{name}: a binary file, not an article (give a text or HTML file)")
    return text.replace("\r\n", "\n").replace("\r", "\n")


def _looks_like_html(text: str) -> bool:
    head = text.lstrip()[:1000].lower()
    return head.startswith(("<!doctype html", "<html", "<head", "<meta", "<?xml")) or "<body" in text[:5000].lower()


def _from_text(text: str, name: str) -> Article:
    lines = text.split("\n")
    header: dict[str, str] = {}
    body_start = 0
    if lines and (m := _HEADER_LINE.match(lines[0])) and m.group("key").lower() in _HEADER_KEYS:
        for i, line in enumerate(lines):
            if not line.strip():
                body_start = i + 1
                break
            m = _HEADER_LINE.match(line)
            if not m or m.group("key").lower() not in _HEADER_KEYS:
                raise InputError(f"{name}:{i + 1}: not a header line (Title:, Publisher:, Published:, URL:); "
                                 "end the header with a blank line")
            header[_HEADER_KEYS[m.group("key").lower()]] = m.group("value")
            if m.group("key").lower() in ("published", "date") and parse_date(m.group("value")) is None:
                raise InputError(f"{name}:{i + 1}: Published: {m.group('value')!r} is not a date (use YYYY-MM-DD)")
        else:
            body_start = len(lines)
    body = "\n".join(lines[body_start:])
    if "title" not in header:  # a first line on its own, without a full stop, is the headline
        first = re.match(r"\s*([^\n]{3,200})\n\s*\n", body)
        if first and not re.search(r"[.!?:]\s*$", first.group(1)):
            header["title"] = first.group(1).strip()
    published = parse_date(header["published"]) if header.get("published") else None
    return Article(text=body, title=header.get("title"), publisher=header.get("publisher"),
                   published=published, url=header.get("url"), path=name, format="text")


_SKIP = {"script", "style", "noscript", "nav", "header", "footer", "aside", "form", "button", "svg",
         "figcaption", "template", "iframe", "select"}
_BLOCKS = {"p", "li", "blockquote", "dd", "td"}
# Paragraphs that are page furniture, by their class or id: bylines, captions, credits, teasers.
_BOILERPLATE = re.compile(r"byline|author|caption|credit|related|newsletter|subscribe|share|promo|advert|teaser", re.I)
_VOID = {"br", "img", "meta", "link", "input", "hr", "source", "wbr", "area", "base", "col", "embed", "param", "track"}


class _PageParser(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.meta: dict[str, str] = {}
        self.jsonld: list[str] = []
        self.title = ""
        self.blocks: list[tuple[str, bool, bool]] = []  # text, inside <article>, inside <main>
        self._stack: list[str] = []
        self._skip = 0
        self._text: list[str] | None = None
        self._script_type: str | None = None
        self._script: list[str] = []
        self._in_title = False
        self._article = self._main = 0
        self._boilerplate = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k.lower(): (v or "") for k, v in attrs}
        if tag == "meta":
            key = (a.get("property") or a.get("name") or "").lower()
            if key and "content" in a:
                self.meta.setdefault(key, a["content"].strip())
            return
        if tag == "link" and a.get("rel", "").lower() == "canonical":
            self.meta.setdefault("canonical", a.get("href", ""))
        if tag in _VOID:
            return
        self._stack.append(tag)
        if tag == "script" and "ld+json" in a.get("type", "").lower():
            self._script_type, self._script = "ld", []
        if tag in _SKIP:
            self._skip += 1
        elif tag == "title":
            self._in_title = True
        elif tag == "article":
            self._article += 1
        elif tag == "main":
            self._main += 1
        elif tag in _BLOCKS and self._skip == 0 and self._text is None:
            self._text = []
            self._boilerplate = bool(_BOILERPLATE.search(a.get("class", "") + " " + a.get("id", "")))

    def handle_endtag(self, tag: str) -> None:
        if tag in _VOID or tag not in self._stack:
            return
        while self._stack:
            open_tag = self._stack.pop()
            self._close(open_tag)
            if open_tag == tag:
                break

    def _close(self, tag: str) -> None:
        if tag == "script" and self._script_type == "ld":
            self.jsonld.append("".join(self._script))
            self._script_type = None
        if tag in _SKIP:
            self._skip = max(0, self._skip - 1)
        elif tag == "title":
            self._in_title = False
        elif tag in _BLOCKS and self._text is not None and self._skip == 0:
            text = re.sub(r"\s+", " ", "".join(self._text)).strip()
            if text and not self._boilerplate:
                self.blocks.append((text, self._article > 0, self._main > 0))
            self._text = None
        if tag == "article":
            self._article = max(0, self._article - 1)
        elif tag == "main":
            self._main = max(0, self._main - 1)

    def handle_data(self, data: str) -> None:
        if self._script_type == "ld":
            self._script.append(data)
        elif self._in_title:
            self.title += data
        elif self._text is not None and self._skip == 0:
            self._text.append(data)


def _news_article(scripts: list[str]) -> dict[str, Any]:
    """The first JSON-LD object typed NewsArticle (or Article), searching lists and @graph."""
    todo: list[Any] = []
    for script in scripts:
        try:
            todo.append(json.loads(script))
        except ValueError:
            continue
    while todo:
        item = todo.pop(0)
        if isinstance(item, list):
            todo.extend(item)
        elif isinstance(item, dict):
            types = item.get("@type")
            types = types if isinstance(types, list) else [types]
            if any(t in ("NewsArticle", "Article", "ReportageNewsArticle", "AnalysisNewsArticle") for t in types):
                return item
            todo.extend(item.get("@graph", []))
    return {}


def _from_html(text: str, name: str) -> Article:
    parser = _PageParser()
    parser.feed(text)
    parser.close()
    ld = _news_article(parser.jsonld)
    meta = parser.meta
    blocks = ([b for b, in_article, _ in parser.blocks if in_article]
              or [b for b, _, in_main in parser.blocks if in_main] or [b for b, _, _ in parser.blocks])
    publisher = ld.get("publisher")
    if isinstance(publisher, list):
        publisher = publisher[0] if publisher else None
    if isinstance(publisher, dict):
        publisher = publisher.get("name")
    url = ld.get("url") or ld.get("mainEntityOfPage")
    if isinstance(url, dict):
        url = url.get("@id")
    date_text = ld.get("datePublished") or meta.get("article:published_time") or meta.get("date")
    published = parse_date(str(date_text)) if date_text else None
    if date_text and published is None:
        raise InputError(f"{name}: the page's publication date {date_text!r} is not a date")
    return Article(
        text="\n\n".join(blocks),
        title=ld.get("headline") or meta.get("og:title") or parser.title.strip() or None,
        publisher=publisher or meta.get("og:site_name") or None,
        published=published,
        url=url or meta.get("og:url") or meta.get("canonical") or None,
        path=name, format="html")


_ENGLISH = set("the a an and of to in for on with by is was are were has have had it its that this from "
               "at as be will said which than more over after their also but not or".split())


def _check_english(text: str, name: str) -> None:
    letters = [ch for ch in text[:20000] if ch.isalpha()]
    if not letters:
        raise InputError(f"{name}: no words in the article text")
    latin = sum(1 for ch in letters if ch.isascii())
    words = re.findall(r"[^\W\d_]+", text[:20000].lower())
    english = sum(1 for w in words if w in _ENGLISH)
    if latin / len(letters) < 0.7 or (len(words) >= 20 and english / len(words) < 0.12):
        raise InputError(f"{name}: the article does not look like English; only English articles are read")
