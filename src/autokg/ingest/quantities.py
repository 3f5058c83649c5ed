"""Numbers and amounts of money in a sentence: "410,000", "2.17 million", "68.9 billion yuan", "€53,990".

Each quantity keeps its offsets in the sentence, its value with the scale applied, and the
currency it is stated in (an ISO code of the unit scheme, or None for a count).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

__all__ = ["Quantity", "quantities", "CURRENCIES"]

#: Currency words and signs, to the ISO codes the unit scheme has.
CURRENCIES = {
    "yuan": "CNY", "renminbi": "CNY", "rmb": "CNY", "cny": "CNY", "¥": "CNY",
    "euro": "EUR", "euros": "EUR", "eur": "EUR", "€": "EUR",
    "dollar": "USD", "dollars": "USD", "us dollar": "USD", "us dollars": "USD", "usd": "USD", "$": "USD", "us$": "USD",
    "pound": "GBP", "pounds": "GBP", "pound sterling": "GBP", "gbp": "GBP", "£": "GBP",
}
# Currencies the unit scheme lacks: amounts in them are money, but never become figures.
_OTHER_MONEY = r"yen|won|kronor|krona|sek|nok|rupees?|baht|ringgit|rupiah|reais|real|francs?|chf|jpy|krw|inr"
_SCALES = {"thousand": 1e3, "k": 1e3, "million": 1e6, "mn": 1e6, "m": 1e6, "mln": 1e6, "billion": 1e9, "bn": 1e9,
           "b": 1e9, "trillion": 1e12, "tn": 1e12}
_WORDS = {"a": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8,
          "nine": 9, "ten": 10, "half a": 0.5, "a quarter of a": 0.25}

_PATTERN = re.compile(r"""
    (?<![\w.,])
    (?P<pre>US\$|\$|€|£|¥|(?:RMB|CNY|EUR|USD|GBP)\s?)?
    (?:
        (?P<num>\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?)
        (?:(?P<attached>bn|mn|mln|tn|[kmb])\b|\s?(?P<scale>thousand|million|billion|trillion|bn|mn|mln)\b)?
      |
        (?P<word>half\ a|a\ quarter\ of\ a|a|one|two|three|four|five|six|seven|eight|nine|ten)\s
        (?P<wscale>thousand|million|billion|trillion)\b
    )
    (?P<post>\s?(?:US\ dollars?|pounds?\ sterling|yuan|renminbi|RMB|CNY|euros?|EUR|dollars?|USD|pounds?|GBP)\b)?
    (?P<other>\s?(?:""" + _OTHER_MONEY + r"""))?
""", re.VERBOSE | re.IGNORECASE)


@dataclass(frozen=True)
class Quantity:
    """A number in a sentence, with its offsets, value and currency (None for a count)."""

    text: str
    start: int
    end: int
    value: float
    currency: str | None
    money: bool  # an amount of money, in a currency of the unit scheme or another
    scaled: bool  # written with a scale word ("2.17 million")
    integer_text: bool  # plain digits without a decimal point or separators ("2025")

    @property
    def number(self) -> int | float:
        """The value as an int when it is whole (410000), else a float."""
        return int(round(self.value)) if abs(self.value - round(self.value)) < 1e-6 else self.value


def quantities(sentence: str) -> list[Quantity]:
    """The quantities of a sentence, in order.

    >>> [(q.number, q.currency) for q in quantities("It made 68.9 billion Yuan (about €8.4bn) on 410,000 cars.")]
    [(68900000000, 'CNY'), (8400000000, 'EUR'), (410000, None)]
    >>> [q.number for q in quantities("a million cars and 1.11 million SUVs")]
    [1000000, 1110000]
    """
    found: list[Quantity] = []
    for m in _PATTERN.finditer(sentence):
        if m.group("word"):
            if m.group("word").lower() == "a" and m.start() > 0 and sentence[m.start() - 1].isalnum():
                continue
            value = _WORDS[m.group("word").lower()] * _SCALES[m.group("wscale").lower()]
            number_text = ""
        else:
            number_text = m.group("num")
            value = float(number_text.replace(",", ""))
            scale = m.group("attached") or m.group("scale")
            if scale:
                value *= _SCALES[scale.lower()]
        pre, post = (m.group("pre") or "").strip().lower(), (m.group("post") or "").strip().lower()
        currency = CURRENCIES.get(pre) or CURRENCIES.get(post)
        money = bool(currency or m.group("other"))
        end = m.end() if money else _end_without_post(m)
        found.append(Quantity(
            text=sentence[m.start():end], start=m.start(), end=end, value=value, currency=currency, money=money,
            scaled=bool(m.group("attached") or m.group("scale") or m.group("wscale")),
            integer_text=bool(number_text) and number_text.isdigit()))
    return found


def _end_without_post(m: re.Match) -> int:
    for group in ("wscale", "scale", "attached", "num"):
        if m.group(group):
            return m.end(group)
    return m.end()
