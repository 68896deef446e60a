"""Read one sentence: its quantities, years, countries, assets and topic words.

Names of countries and assets (see :mod:`geolever.claims.vocabulary`) are replaced by tokens
such as ``⟦RUS⟧`` and ``⟦@BTC⟧`` so that the linking rules can speak of "a country" or "an
asset"; numbers are read by :mod:`geolever.claims.numbers`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from functools import cache, lru_cache

from geolever.claims.numbers import Quantity, find_quantities, find_years, normalise
from geolever.claims.vocabulary import (
    KeywordSets,
    alias_index,
    alias_key,
    keyword_sets,
    rules,
    word_list,
    words,
)

__all__ = ["Mention", "Parsed", "Quantity", "find_quantities", "normalise", "parse_sentence",
           "tokenise", "topic_patterns", "words"]


@dataclass
class Mention:
    """A country or asset named in the sentence."""

    code: str
    kind: str
    alias: str
    start: int


@dataclass
class Parsed:
    """One sentence, read: normalised text, tokenised text, quantities, years, mentions."""

    original: str
    text: str
    tokens: str
    quantities: list[Quantity] = field(default_factory=list)
    years: list[tuple[int, int]] = field(default_factory=list)
    mentions: list[Mention] = field(default_factory=list)
    # Filled by the reading context (geolever.claims.context) from earlier sentences.
    own_topics: set[str] = field(default_factory=set)
    ctx_topics: set[str] = field(default_factory=set)
    ctx_years: list[int] = field(default_factory=list)
    ctx_assets: list[str] = field(default_factory=list)
    ctx_countries: list[str] = field(default_factory=list)
    attribution: str = ""
    ctx_source: str | None = None
    ctx_flow_text: str = ""
    ctx_forecast: bool = False
    ctx_period: str | None = None  # a partial period carried with the year ("Jan-Nov")
    # (exporter, importer) of the partner the sentence ranks ("Japan was Australia's largest
    # customer": AUS, JPN), for the figures of its participle ("accounting for 27% ...")
    rank_flow: tuple[str, str] | None = None
    # what the checks ask of the sentence many times, worked out once (see below)
    _named: dict[str, tuple[str, ...]] = field(default_factory=dict, repr=False, compare=False)
    memo: dict[tuple[object, ...], object] = field(default_factory=dict, repr=False,
                                                   compare=False)

    def _codes(self, assets: bool) -> tuple[str, ...]:
        key = "assets" if assets else "countries"
        if key not in self._named:
            self._named[key] = tuple(dict.fromkeys(
                m.code for m in self.mentions if (m.kind == "asset") == assets))
        return self._named[key]

    @property
    def countries(self) -> list[str]:
        """Country codes named, in order of first mention."""
        return list(self._codes(False))

    @property
    def assets(self) -> list[str]:
        """Asset ids named, in order of first mention."""
        return list(self._codes(True))

    @property
    def all_assets(self) -> list[str]:
        """Assets named, or carried over from an earlier sentence."""
        return self.assets or self.ctx_assets


def tokenise(text: str) -> tuple[str, list[Mention]]:
    """Replace asset and country names with ``⟦@ID⟧`` / ``⟦ISO3⟧`` tokens, in one pass."""
    rx, lookup = alias_index()
    mentions: list[Mention] = []
    parts: list[str] = []
    last = 0
    pos = 0  # length of the tokenised text so far
    for m in rx.finditer(text):
        a = lookup.get(alias_key(m.group(0)))
        if a is None:
            continue
        head = text[last:m.start()]
        parts.append(head)
        pos += len(head)
        token = f"⟦@{a.code}⟧" if a.kind == "asset" else f"⟦{a.code}⟧"
        possessive = "'s" if m.group(0).endswith(("'s", "’s")) else ""
        parts.append(token + possessive)
        mentions.append(Mention(a.code, a.kind, a.alias, pos))
        pos += len(token) + len(possessive)
        last = m.end()
    parts.append(text[last:])
    return "".join(parts), mentions


def parse_sentence(sentence: str) -> Parsed:
    """Read one sentence: numbers, years, countries and assets."""
    text = normalise(sentence)
    tokens, mentions = tokenise(text)
    quantities = _ratio_in_words(_shared_currency(find_quantities(tokens), tokens), tokens)
    years = find_years(tokens, quantities)
    return Parsed(sentence, text, tokens, quantities, years, mentions)


_MAGNITUDE = re.compile(r"\b(?:thousand|million|billion|trillion|bln|mln|bn|mn)\b", re.I)
# what may follow an amount whose unit is left to the sentence ("2.5 billion, while ..."), not
# a count of things ("three million tourists")
_NO_NOUN_AFTER = re.compile(r"\s*(?:[,.;:)]|$|(?:and|while|whereas|in|of|a year|per year|"
                            r"annually|last year|this year)\b)", re.I)


def _shared_currency(quantities: list[Quantity], tokens: str) -> list[Quantity]:
    """Give a bare amount in millions or billions the currency of the other amounts.

    "Exports amounted to 2.5 billion, while imports to $1.6 billion": the bare amount takes
    the currency of the sentence's money amounts when they all have the same one.
    """
    currencies = {q.unit for q in quantities if q.kind == "money"}
    if len(currencies) != 1:
        return quantities
    unit = currencies.pop()
    return [replace(q, kind="money", unit=unit, note="the currency of the sentence's other "
                    "amount") if q.kind == "bare" and _MAGNITUDE.search(q.text)
            and _NO_NOUN_AFTER.match(tokens, q.end) else q for q in quantities]


# "US$70 of every US$100", "7 out of every 10": a share said as a ratio of two figures
_OF_EVERY = re.compile(r"\s+(?:out\s+)?of\s+every\s+$", re.I)


def _ratio_in_words(quantities: list[Quantity], tokens: str) -> list[Quantity]:
    """Read "X of every Y" (two figures of one kind, X below Y) as one share, in %.

    "An estimated US$70 of every US$100 received in remittances comes from the United
    States": a 70% share, not two amounts of money.
    """
    out: list[Quantity] = []
    i = 0
    while i < len(quantities):
        q = quantities[i]
        nxt = quantities[i + 1] if i + 1 < len(quantities) else None
        if nxt is not None and nxt.kind == q.kind and q.kind in ("money", "bare") and \
                nxt.unit == q.unit and 0 < q.value < nxt.value and \
                _OF_EVERY.fullmatch(tokens, q.end, nxt.start):
            out.append(Quantity(tokens[q.start:nxt.end], 100.0 * q.value / nxt.value, "pct",
                                "pct", q.start, nxt.end, q.comparison,
                                f"a share said as a ratio ({q.text} of every {nxt.text})"))
            i += 2
            continue
        out.append(q)
        i += 1
    return out


def topic_patterns() -> dict[str, re.Pattern[str]]:
    """Compiled topic keyword sets of the linking rules."""
    return _topics()


@cache
def _topics() -> dict[str, re.Pattern[str]]:
    return {name: words(pats) for name, pats in rules()["topics"].items()}


def topics_of(text: str) -> set[str]:
    """Names of the topic keyword sets found in ``text``."""
    return set(_topics_of(text))


@lru_cache(maxsize=256)
def _topics_of(text: str) -> frozenset[str]:
    # a sentence's clause and the windows around its numbers are asked about several times
    return _topic_sets().found(text)


@cache
def _topic_sets() -> KeywordSets:
    """Return the topics' keyword lists, prepared once to be asked about together."""
    return keyword_sets(tuple((name, word_list(f"topics.{name}")) for name in rules()["topics"]))
