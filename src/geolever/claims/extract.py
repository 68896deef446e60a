"""Find the quantities, years, countries, assets and cues in one sentence.

Number words become digits with ``text2num`` (``alpha2digit``) after a few phrases it does
not know ("half a billion", "a billion", "seven and a half") were rewritten; magnitude words
(million, billion, trillion) are kept as words so that "five hundred million" and "$1.2bn"
are read by the same patterns. Names of countries and assets come from
``reference/claim_aliases.csv``; they are replaced by tokens such as ``⟦RUS⟧`` and
``⟦@BTC⟧`` so that the linking rules can speak of "a country" or "an asset".
"""

from __future__ import annotations

import csv
import re
from dataclasses import dataclass, field
from functools import cache
from importlib import resources

from text_to_num import alpha2digit

from geolever.claims.reading import rules

_MAG = {
    "thousand": 1e3,
    "k": 1e3,
    "million": 1e6,
    "mln": 1e6,
    "mn": 1e6,
    "m": 1e6,
    "billion": 1e9,
    "bn": 1e9,
    "b": 1e9,
    "bln": 1e9,
    "trillion": 1e12,
    "tn": 1e12,
    "trn": 1e12,
}
_CURRENCY_PREFIX = {
    "us$": "USD",
    "usd": "USD",
    "$": "USD",
    "€": "EUR",
    "eur": "EUR",
    "azn": "AZN",
    "₼": "AZN",
    "rub": "RUB",
    "₽": "RUB",
}
_CURRENCY_SUFFIX = {
    "us dollars": "USD",
    "dollars": "USD",
    "usd": "USD",
    "manat": "AZN",
    "azn": "AZN",
    "euros": "EUR",
    "euro": "EUR",
    "eur": "EUR",
    "roubles": "RUB",
    "rubles": "RUB",
    "rub": "RUB",
}
_NUM = r"\d+(?:,\d{3})*(?:\.\d+)?"
_MAGS = r"thousand|trillion|billion|million|bln|mln|bn|mn|tn|trn|k|m|b"
_ATLEAST = (
    r"(?:more than|over|above|at least|in excess of|exceeding|exceeds?|upwards of|"
    r"no less than)"
)
_ATMOST = r"(?:less than|under|below|at most|up to|no more than|not more than)"

_MONEY_PRE = re.compile(
    rf"(?P<cur>US\$|USD|\$|€|EUR|AZN|₼|RUB|₽)\s?(?P<num>{_NUM})\s?(?P<mag>{_MAGS})?(?![\w])", re.I
)
_MONEY_SUF = re.compile(
    rf"(?<![\w.$])(?P<num>{_NUM})\s?(?P<mag>{_MAGS})?\s?"
    r"(?P<cur>US dollars|dollars|USD|manat|AZN|euros?|EUR|roubles|rubles|RUB)(?![\w])",
    re.I,
)
_PCT = re.compile(
    rf"(?<![\w.])(?P<num>{_NUM})\s?"
    r"(?P<unit>%|percent(?:age points?)?|per cent|pct|pp)(?![\w])",
    re.I,
)
_MASS = re.compile(
    rf"(?<![\w.])(?P<num>{_NUM})\s?(?P<unit>million (?:metric )?(?:tonnes|tons)|Mt|mln t|mn t|"
    r"thousand (?:tonnes|tons)|kt|tonnes|tons)(?![\w])",
    re.I,
)
_RATE = re.compile(
    rf"(?<![\w.])(?P<num>{_NUM})\s?(?P<unit>mb/d|mbpd|million barrels (?:a|per) day|kb/d|kbpd|"
    r"thousand barrels (?:a|per) day|b/d|bpd|barrels (?:a|per) day)(?![\w])",
    re.I,
)
_BARE = re.compile(rf"(?<![\w.,$€₼₽])(?P<num>{_NUM})(?:\s?(?P<mag>{_MAGS}))?(?![\w%])", re.I)
_YEAR = re.compile(r"(?<![\w$€.,])(?:FY\s?)?(?P<y>(?:19[89]|20[0-4])\d)(?![\w%]|[.,]\d)")


@dataclass
class Quantity:
    """A number found in a sentence, with its kind and unit.

    ``kind`` is ``pct``, ``money``, ``mass`` (Mt), ``oil_rate`` (mb/d), or ``bare`` (no unit).
    """

    text: str
    value: float
    kind: str
    unit: str
    start: int
    end: int
    comparison: str = "about"
    note: str = ""


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

    @property
    def countries(self) -> list[str]:
        """Country codes named, in order of first mention."""
        return list(dict.fromkeys(m.code for m in self.mentions if m.kind != "asset"))

    @property
    def assets(self) -> list[str]:
        """Asset ids named, in order of first mention."""
        return list(dict.fromkeys(m.code for m in self.mentions if m.kind == "asset"))


@cache
def aliases() -> list[tuple[re.Pattern[str], str, str, str]]:
    """Alias patterns (longest first) from ``reference/claim_aliases.csv``."""
    text = resources.files("geolever.reference").joinpath("claim_aliases.csv").read_text("utf-8")
    rows = list(csv.DictReader(text.splitlines()))
    rows.sort(key=lambda r: -len(r["alias"]))
    out = []
    for r in rows:
        alias = r["alias"]
        body = re.escape(alias).replace(r"\-", "[-\u2010-\u2015 ]?").replace(r"\ ", r"\s+")
        if alias[0].islower():
            body = f"[{alias[0].upper()}{alias[0]}]{body[1:]}"
        out.append(
            (re.compile(rf"(?<![\w⟦@])(?:{body})(?:'s|’s)?(?![\w⟧])"), r["kind"], r["code"], alias)
        )
    return out


def words(patterns: list[str]) -> re.Pattern[str]:
    """Compile keyword patterns into one case-insensitive, word-bounded regex."""
    return re.compile(r"(?<![\w])(?:" + "|".join(f"(?:{p})" for p in patterns) + r")(?![\w])", re.I)


def normalise(sentence: str) -> str:
    """Unify dashes, quotes and spaces, and turn number words into digits."""
    s = re.sub(r"[\u2010-\u2015\u2212]", "-", sentence)
    s = s.replace("\u00a0", " ").replace("’", "'").replace("‘", "'").replace("“", '"')
    s = s.replace("”", '"')
    s = re.sub(r"\bhalf (?:a|one) (million|billion|trillion)\b", r"0.5 \1", s, flags=re.I)
    s = re.sub(r"\ba quarter of a (million|billion|trillion)\b", r"0.25 \1", s, flags=re.I)
    s = re.sub(r"\b(?:a|one) (million|billion|trillion)\b", r"1 \1", s, flags=re.I)
    # Keep magnitudes as words: "five hundred million" -> "500 million", not 500000000.
    s = re.sub(
        r"\b(million|billion|trillion)\b", lambda m: f"MAGW{m.group(1).upper()}", s, flags=re.I
    )
    s = alpha2digit(s, "en")
    s = re.sub(r"MAGW(MILLION|BILLION|TRILLION)", lambda m: m.group(1).lower(), s)
    s = re.sub(r"(\d+) and a half\b", lambda m: f"{int(m.group(1))}.5", s)
    return s


def _num(text: str) -> float:
    return float(text.replace(",", ""))


def _comparison_before(text: str, start: int) -> str:
    before = text[max(0, start - 30) : start].lower()
    if re.search(_ATLEAST + r"\s*(?:US\$|\$|€)?\s*$", before):
        return "at least"
    if re.search(_ATMOST + r"\s*(?:US\$|\$|€)?\s*$", before):
        return "at most"
    return "about"


def find_quantities(text: str) -> list[Quantity]:
    """All quantities in ``text`` (money, percentages, tonnes, oil rates, bare numbers)."""
    found: list[Quantity] = []
    taken: list[tuple[int, int]] = []

    def free(a: int, b: int) -> bool:
        return all(b <= s or a >= e for s, e in taken)

    def add(q: Quantity) -> None:
        found.append(q)
        taken.append((q.start, q.end))

    for rx in (_MONEY_PRE, _MONEY_SUF):
        for m in rx.finditer(text):
            if not free(m.start(), m.end()):
                continue
            mag = (m.group("mag") or "").lower()
            cur = m.group("cur").lower()
            currency = _CURRENCY_PREFIX.get(cur) or _CURRENCY_SUFFIX.get(
                cur.rstrip("s") if cur.startswith("euro") else cur, "USD"
            )
            if cur.startswith("euro"):
                currency = "EUR"
            value = _num(m.group("num")) * _MAG.get(mag, 1.0)
            add(
                Quantity(
                    m.group(0),
                    value,
                    "money",
                    currency,
                    m.start(),
                    m.end(),
                    _comparison_before(text, m.start()),
                )
            )
    for m in _PCT.finditer(text):
        if free(m.start(), m.end()):
            unit = m.group("unit").lower()
            kind = "pct_points" if unit.startswith(("percentage", "pp")) else "pct"
            add(
                Quantity(
                    m.group(0),
                    _num(m.group("num")),
                    kind,
                    "pct",
                    m.start(),
                    m.end(),
                    _comparison_before(text, m.start()),
                )
            )
    for m in _RATE.finditer(text):
        if free(m.start(), m.end()):
            unit = m.group("unit").lower()
            scale = (
                1.0
                if unit.startswith(("mb", "million"))
                else (1e-3 if unit.startswith(("kb", "thousand")) else 1e-6)
            )
            add(
                Quantity(
                    m.group(0),
                    _num(m.group("num")) * scale,
                    "oil_rate",
                    "mb/d",
                    m.start(),
                    m.end(),
                    _comparison_before(text, m.start()),
                )
            )
    for m in _MASS.finditer(text):
        if free(m.start(), m.end()):
            unit = m.group("unit").lower()
            scale = (
                1.0
                if unit.startswith(("million", "mt", "mln", "mn"))
                else (1e-3 if unit.startswith(("thousand", "kt")) else 1e-6)
            )
            add(
                Quantity(
                    m.group(0),
                    _num(m.group("num")) * scale,
                    "mass",
                    "Mt",
                    m.start(),
                    m.end(),
                    _comparison_before(text, m.start()),
                )
            )
    years = {m.start("y") for m in _YEAR.finditer(text)}
    for m in _BARE.finditer(text):
        if not free(m.start(), m.end()) or (m.start() in years and not m.group("mag")):
            continue
        mag = (m.group("mag") or "").lower()
        add(
            Quantity(
                m.group(0),
                _num(m.group("num")) * _MAG.get(mag, 1.0),
                "bare",
                "",
                m.start(),
                m.end(),
                _comparison_before(text, m.start()),
            )
        )
    found.sort(key=lambda q: q.start)
    return found


def find_years(text: str, quantities: list[Quantity]) -> list[tuple[int, int]]:
    """(year, position) of each stated year that is not part of a quantity."""
    out = []
    for m in _YEAR.finditer(text):
        if any(q.start <= m.start("y") < q.end for q in quantities):
            continue
        out.append((int(m.group("y")), m.start("y")))
    return out


def tokenise(text: str) -> tuple[str, list[Mention]]:
    """Replace asset and country names with ``⟦@ID⟧`` / ``⟦ISO3⟧`` tokens (assets first)."""
    mentions: list[Mention] = []
    out = text
    for kind_pass in ("asset", "country"):
        for rx, kind, code, alias in aliases():
            if (kind == "asset") != (kind_pass == "asset"):
                continue
            token = f"⟦@{code}⟧" if kind == "asset" else f"⟦{code}⟧"

            def sub(
                m: re.Match[str],
                token: str = token,
                kind: str = kind,
                code: str = code,
                alias: str = alias,
            ) -> str:
                mentions.append(Mention(code, kind, alias, m.start()))
                possessive = "'s" if m.group(0).endswith(("'s", "’s")) else ""
                return token + possessive

            out = rx.sub(sub, out)
    # Positions in the tokenised text, in reading order.
    ordered = []
    for m in re.finditer(r"⟦(@?)([A-Z0-9_]+)⟧", out):
        kind = (
            "asset"
            if m.group(1)
            else next(
                (x.kind for x in mentions if x.code == m.group(2) and x.kind != "asset"), "country"
            )
        )
        alias = next((x.alias for x in mentions if x.code == m.group(2)), m.group(2))
        ordered.append(Mention(m.group(2), kind, alias, m.start()))
    return out, ordered


def parse_sentence(sentence: str) -> Parsed:
    """Read one sentence: numbers, years, countries and assets."""
    text = normalise(sentence)
    tokens, mentions = tokenise(text)
    quantities = find_quantities(tokens)
    years = find_years(tokens, quantities)
    return Parsed(sentence, text, tokens, quantities, years, mentions)


def topic_patterns() -> dict[str, re.Pattern[str]]:
    """Compiled topic keyword sets of the linking rules."""
    return _topics()


@cache
def _topics() -> dict[str, re.Pattern[str]]:
    return {name: words(pats) for name, pats in rules()["topics"].items()}
