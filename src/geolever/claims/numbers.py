"""Numbers in a sentence: amounts, shares, ranges, volumes, oil rates and years.

Number words become digits with ``text2num`` (``alpha2digit``) after a few phrases it does
not know ("half a billion", "a billion", "seven and a half") were rewritten; fractions of a
whole in words ("almost a fifth of", "a quarter of", "half of") become percentages; magnitude
words (million, billion, trillion) are kept as words so that "five hundred million" and
"$1.2bn" are read by the same patterns.

Every pattern here runs in time linear in the text's length: a digit run can start a match
only at its first digit (each number pattern has a look-behind that rejects a start inside
a run), so a 50,000-digit run is read once, not once per digit.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass
from functools import lru_cache
from itertools import accumulate

from text_to_num import alpha2digit

from geolever.core.units import CRUDE_BBL_PER_TONNE

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
    "a$": "AUD",
    "aud": "AUD",
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
    "u.s. dollars": "USD",
    "australian dollars": "AUD",
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
# A decimal comma ("$2,9 billion", "12,5%": one or two digits after the comma, before a
# magnitude or percent) is a decimal point; "1,200" is a thousands separator.
_NUM = (r"(?:\d+,\d{1,2}(?!\d)(?=\s?(?:(?:thousand|trillion|billion|million|bln|mln|bn|mn|tn|"
        r"trn|percent|per cent)\b|%))|\d+(?:,\d{3})*(?:\.\d+)?)")
_DECIMAL_COMMA = re.compile(r"\d+,\d{1,2}")
_MAGS = r"thousand|trillion|billion|million|bln|mln|bn|mn|tn|trn|k|m|b"
# "no less than", "not under": a floor, not the ceiling their last words would say
_ATLEAST = (
    r"(?:more than|over|above|at least|in excess of|exceeding|exceed(?:s|ed)?|upwards of|"
    r"topp(?:ed|ing)|tops|surpass(?:ed|ing|es)?|"
    r"no(?:t)? (?:less|fewer|lower) than|not (?:under|below))"
)
_ATMOST = (r"(?:(?<!no )(?<!not )(?:less than|under|below)|at most|up to|no more than|"
           r"not more than|do(?:es)? not exceed|did not exceed|doesn't exceed|not exceeding|"
           r"just under)")

_MONEY_PRE = re.compile(
    rf"(?P<cur>US\$|A\$|AUD|USD|\$|€|EUR|AZN|₼|RUB|₽)\s?(?P<num>{_NUM})\s?(?P<mag>{_MAGS})?(?![\w])",
    re.I,
)
_MONEY_SUF = re.compile(
    rf"(?<![\w.$])(?P<num>{_NUM})\s?(?P<mag>{_MAGS})?\s?"
    r"(?P<cur>US dollars|U\.S\. dollars|Australian dollars|dollars|USD|AUD|manat|AZN|euros?|"
    r"EUR|roubles|rubles|RUB)"
    r"(?![\w])",
    re.I,
)
_PCT = re.compile(
    rf"(?<![\w.])(?P<num>{_NUM})\s?"
    r"(?P<unit>%|percent(?:age points?)?|per cent|pct|pp)(?![\w])",
    re.I,
)
_MASS = re.compile(
    rf"(?<![\w.])(?P<num>{_NUM})\s?(?P<unit>million (?:metric )?(?:tonnes|tons)|Mt|mln t|mn t|"
    r"thousand (?:metric )?(?:tonnes|tons)|kt|(?:metric )?(?:tonnes|tons)|"
    # a volume of crude in barrels (not a rate: "barrels per day" is read before)
    r"million barrels|thousand barrels|barrels)(?![\w])(?!\s+(?:a|per)\s+day)",
    re.I,
)
_RATE = re.compile(
    rf"(?<![\w.])(?P<num>{_NUM})\s?(?P<unit>mb/d|mbpd|million barrels (?:a|per) day|kb/d|kbpd|"
    r"thousand barrels (?:a|per) day|b/d|bpd|barrels (?:a|per) day)(?![\w])",
    re.I,
)
_BARE = re.compile(rf"(?<![\w.,$€₼₽])(?P<num>{_NUM})(?:\s?(?P<mag>{_MAGS}))?(?![\w%])", re.I)
_DASH = r"\s?(?:-|to)\s?"
_RANGE_MONEY = re.compile(
    rf"(?P<cur>US\$|A\$|\$|€|₼|₽)\s?(?P<lo>{_NUM})(?P<lomag>\s?(?:{_MAGS}))?{_DASH}"
    rf"(?:US\$|A\$|\$|€|₼|₽)?\s?(?P<hi>{_NUM})\s?(?P<mag>{_MAGS})?(?![\w])", re.I)
# "between $18 and $19 billion", "between 40% and 45%": a range (the number starts at the first
# amount, "between" is the cue)
_RANGE_BETWEEN_MONEY = re.compile(
    rf"(?<=between )(?P<cur>US\$|A\$|\$|€|₼|₽)\s?(?P<lo>{_NUM})(?P<lomag>\s?(?:{_MAGS}))?\s+and\s+"
    rf"(?:US\$|A\$|\$|€|₼|₽)?\s?(?P<hi>{_NUM})\s?(?P<mag>{_MAGS})?(?![\w])", re.I)
_RANGE_BETWEEN_PCT = re.compile(
    rf"(?<=between )(?P<lo>{_NUM})\s?(?:%|percent|per cent)?\s+and\s+(?P<hi>{_NUM})\s?"
    r"(?P<unit>%|percent|per cent)(?![\w])", re.I)
# a change from one level to another: "rose from", "fell from" (not "ranging from")
_CHANGE_FROM = re.compile(r"\b(?:rose|risen|fell|fallen|grew|grown|increased|decreased|declined|"
                          r"dropped|jumped|climbed|slipped|shrank|shrunk|surged|plunged|soared|"
                          r"edged (?:up|down)|went (?:up|down)|up|down)\s+(?:\w+\s+)?from\s+$",
                          re.I)
# ... or after a change's size and a comma: "increased by 47%, from $3 billion to $4.4 billion"
_CHANGE_SIZE_FROM = re.compile(r"\b(?:rose|risen|fell|fallen|grew|grown|increased|decreased|"
                               r"declined|dropped|jumped|climbed|growth|increase|decrease|"
                               r"decline|drop|rise|fall)\b[^.;,]{0,30},\s*from\s+$", re.I)
_RANGE_PCT = re.compile(
    rf"(?<![\w.])(?P<lo>{_NUM})\s?%?{_DASH}(?P<hi>{_NUM})\s?(?P<unit>%|percent|per cent)(?![\w])",
    re.I)
_YEAR = re.compile(r"(?<![\w$€.,])(?:FY\s?)?(?P<y>(?:19[89]|20[0-4])\d)(?![\w%]|[.,]\d)")


def _two_levels(text: str, m: re.Match[str]) -> bool:
    """Whether a range "X to Y" is a change from one level to another ("grew from 13% to 21%")."""
    return " to" in m.group(0) and bool(
        _CHANGE_FROM.search(text, max(0, m.start() - 40), m.start())
        or _CHANGE_SIZE_FROM.search(text, max(0, m.start() - 50), m.start()))


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
    high: float | None = None




_DIGIT = re.compile(r"\d")
_DASHES = re.compile(r"[\u2010-\u2015\u2212]")
_HALF_A = re.compile(r"\bhalf (?:a|one) (million|billion|trillion)\b", re.I)
_QUARTER_A = re.compile(r"\ba quarter of a (million|billion|trillion)\b", re.I)
_ONE_MAG = re.compile(r"\b(?:a|one) (million|billion|trillion)\b", re.I)
_MAG_WORD = re.compile(r"\b(thousand|million|billion|trillion)\b", re.I)
_MAG_MARK = re.compile(r"MAGW(THOUSAND|MILLION|BILLION|TRILLION)")
# The look-behind keeps this linear: without it every digit of a long run would start
# a match that scans to the run's end (quadratic on 50,000-digit runs).
# "$3 billion 621 million", "12 million 400 thousand": one amount in two magnitudes
_COMPOUND_MAG = (
    re.compile(r"(?<![\d.,])(\d+)\s+(billion)\s+(\d{1,3})\s+million\b", re.I),
    re.compile(r"(?<![\d.,])(\d+)\s+(million)\s+(\d{1,3})\s+thousand\b", re.I),
)
_AND_A_HALF = re.compile(r"(?<![\d.,])(\d+) and a half\b")


_SMALL = {w: i for i, w in enumerate([
    "zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten",
    "eleven", "twelve", "thirteen", "fourteen", "fifteen", "sixteen", "seventeen", "eighteen",
    "nineteen", "twenty"])}
_SMALL_BEFORE_MAG = re.compile(r"\b(" + "|".join(_SMALL) + r")\s+(?=MAGW)", re.I)


# Every number word that the rewrites below or ``alpha2digit`` act on starts with one of
# these stems ("fif" for fifth/fifteen/fifty, "thir" for third/thirteen/thirty, ...): a
# sentence with none of them has no number word and skips the rewrites (most sentences of
# an article; a false hit only costs the full path).
_NUMBER_WORD_STEMS = ("one", "two", "thr", "four", "fiv", "six", "sev", "eigh", "nin", "ten",
                      "elev", "twel", "thir", "fif", "twen", "fort", "hundred", "thousand",
                      "million", "billion", "trillion", "half", "quarter", "zero", "first",
                      "second")
# A stem counts only at the start of a word (not after a letter): the rewrites and
# ``alpha2digit`` act on whole words, and "money", "often", "content" or "Estonia" hold a
# stem inside a word, which sent half the sentences down the full path.
_NUMBER_WORD_START = re.compile(r"(?<![^\W\d_])(?:" + "|".join(_NUMBER_WORD_STEMS) + ")")


def normalise(sentence: str) -> str:
    """Unify dashes, quotes and spaces, and turn number words into digits."""
    s = _DASHES.sub("-", sentence)
    s = s.replace("\u00a0", " ").replace("’", "'").replace("‘", "'").replace("“", '"')
    s = s.replace("”", '"')
    if _PERIOD_CODE_CUE.search(s):
        s = _PERIOD_CODE.sub(_period_words, s)
    low = s.lower()
    if not _NUMBER_WORD_START.search(low):
        return s
    # each rewrite runs only when a word it needs is in the sentence (a substring test is
    # far cheaper than a regex tried at every position)
    mags = "illion" in low or "thousand" in low
    if "half" in low:
        s = _HALF_A.sub(r"0.5 \1", s)
    if "quarter" in low:
        s = _QUARTER_A.sub(r"0.25 \1", s)
    if "illion" in low:
        s = _ONE_MAG.sub(r"1 \1", s)
    if mags:
        # Keep magnitudes as words: "five hundred million" -> "500 million", not 500000000.
        s = _MAG_WORD.sub(lambda m: f"MAGW{m.group(1).upper()}", s)
    if any(w in low for w in ("half", "halv", "third", "quarter", "fifth", "tenth")):
        # before alpha2digit, which reads "a fifth" as "a 5th"
        s = _FRACTION.sub(_fraction_pct, s)
    if mags:
        # "two billion dollars": alpha2digit leaves a lone small number word as it is
        s = _SMALL_BEFORE_MAG.sub(lambda m: f"{_SMALL[m.group(1).lower()]} ", s)
    s = alpha2digit(s, "en")
    if mags:
        s = _MAG_MARK.sub(lambda m: m.group(1).lower(), s)
    if "and a half" in s:
        s = _AND_A_HALF.sub(lambda m: f"{int(m.group(1))}.5", s)
    if mags:
        # "$3 billion 621 million" (the Russian way of writing 3.621 billion): one amount
        for rx in _COMPOUND_MAG:
            s = rx.sub(lambda m: f"{m.group(1)}.{int(m.group(3)):03d} {m.group(2)}", s)
    return s


# Analysts' period codes: "4M22" (the first four months of 2022), "9M2021", "1H22", "H1'24",
# "1Q23", "Q3 2024": written out, so that the months and the year are read as in words
_PERIOD_CODE_CUE = re.compile(r"\d[MHQ]|[HQ]\d")
_PERIOD_CODE = re.compile(r"(?<![\w$€£.,])(?:(?P<m>[1-9]|1[01])M|(?P<h>[12]H|H[12])|"
                          r"(?P<q>[1-4]Q|Q[1-4]))(?:\s?'?(?P<y4>(?:19|20)\d\d)|'?(?P<y2>\d\d))"
                          r"(?![\w%]|[.,]\d)")
_MONTH_NAMES = ("January", "February", "March", "April", "May", "June", "July", "August",
                "September", "October", "November", "December")


def _period_words(m: re.Match[str]) -> str:
    year = m.group("y4") or f"20{m.group('y2')}"  # a two-digit year only written solid
    if m.group("m"):
        first, last = 1, int(m.group("m"))
    elif m.group("h"):
        first, last = (1, 6) if "1" in m.group("h") else (7, 12)
    else:
        quarter = int(m.group("q").strip("Q"))
        first, last = 3 * quarter - 2, 3 * quarter
    if (first, last) == (1, 6):
        return f"the first half of {year}"
    return f"{_MONTH_NAMES[first - 1]}-{_MONTH_NAMES[last - 1]} {year}"


_FRACTIONS = {"half": 50.0, "halves": 50.0, "third": 100 / 3, "thirds": 100 / 3,
              "quarter": 25.0, "quarters": 25.0, "fifth": 20.0, "fifths": 20.0,
              "tenth": 10.0, "tenths": 10.0}
_COUNT = {"a": 1, "one": 1, "two": 2, "three": 3, "four": 4, "1": 1, "2": 2, "3": 3, "4": 4}
# "almost a fifth of", "two thirds of", "half of", "a quarter of": a share of a whole.
_FRACTION = re.compile(
    r"(?P<pre>\b(?:first|second|last|latter|former|other)\s+)?"
    r"(?<![\w-])(?:(?P<n>a|one|two|three|four|[1-4])[\s-]+(?P<f>halves|half|thirds?|quarters?|"
    r"fifths?|tenths?)|(?P<half>half))(?=\s+(?:of|the|its|their|all)\b)", re.I)


def _fraction_pct(m: re.Match[str]) -> str:
    if m.group("pre"):  # "the first half of the year" is a period, not a share
        return m.group(0)
    if m.group("half"):
        return "50%"
    n = _COUNT[m.group("n").lower()]
    pct = n * _FRACTIONS[m.group("f").lower()]
    return f"{pct:.4g}%"


def _num(text: str) -> float:
    if _DECIMAL_COMMA.fullmatch(text):
        return float(text.replace(",", "."))
    return float(text.replace(",", ""))


_ATMOST_RX = re.compile(_ATMOST + r"\s*(?:US\$|\$|€)?\s*$")
_ATLEAST_RX = re.compile(_ATLEAST + r"\s*(?:US\$|\$|€)?\s*$")


# "edged up to USD 27.6 million", "climbed up to": the level after a rise, not a limit
_ROSE_UP_TO_RX = re.compile(r"\b(?:edged|inched|crept|rose|risen|climbed|jumped|went|gone|moved|"
                            r"shot|ticked|surged|soared|increased|grew|grown|picked|crawled)\s+"
                            r"up\s+to\s*(?:us\$|\$|€)?\s*$")


def _comparison_before(text: str, start: int) -> str:
    before = text[max(0, start - 30) : start].lower()
    # "at most" first: "does not exceed 1%" also ends with "exceed"
    if _ATMOST_RX.search(before):
        return "about" if _ROSE_UP_TO_RX.search(before) else "at most"
    if _ATLEAST_RX.search(before):
        return "at least"
    return "about"


#: Lower-cased text one of which every match of the pattern holds (its currency, unit or
#: symbol): a pattern is tried only on a text holding one of its cues.
PATTERN_CUES: dict[str, tuple[str, ...]] = {
    "_RANGE_MONEY": ("$", "€", "₼", "₽"),
    "_RANGE_BETWEEN_MONEY": ("$", "€", "₼", "₽"),
    "_RANGE_BETWEEN_PCT": ("%", "percent", "per cent"),
    "_RANGE_PCT": ("%", "percent", "per cent"),
    "_PCT": ("%", "percent", "per cent", "pct", "pp"),
    "_MONEY_PRE": ("$", "€", "₼", "₽", "aud", "usd", "eur", "azn", "rub"),
    "_MONEY_SUF": ("dollar", "usd", "aud", "manat", "azn", "eur", "roub", "rub"),
    "_RATE": ("b/d", "bpd", "barrel"),
    "_MASS": ("ton", "mt", "mln t", "mn t", "kt", "barrel"),
}


#: One search per pattern for any of its cues (a compiled alternation of the literal cues).
_CUE_RX = {name: re.compile("|".join(re.escape(c) for c in cues))
           for name, cues in PATTERN_CUES.items()}


# Nothing carried: "no crude oil was transported via this pipeline", "no oil has been pumped"
_NONE_CARRIED = re.compile(
    r"(?<!\w)(?P<what>[Nn]o\s+(?:(?:⟦[A-Z]{3}⟧|crude|azeri\s+light)\s+)?(?:oil|crude|petroleum|"
    r"cargo|freight))\s+(?:at\s+all\s+|whatsoever\s+)?(?:was|were|has\s+been|had\s+been|have\s+been)"
    r"\s+(?:\w+\s+)?(?:transported|pumped|shipped|exported|carried|delivered|transited)\b")


def find_quantities(text: str) -> list[Quantity]:
    """All quantities in ``text`` (money, percentages, tonnes, oil rates, bare numbers)."""
    found: list[Quantity] = []
    starts: list[int] = []  # sorted, non-overlapping spans: O(log n) per check
    ends: list[int] = []

    def free(a: int, b: int) -> bool:
        i = bisect.bisect_right(starts, a)
        return (i == 0 or ends[i - 1] <= a) and (i == len(starts) or starts[i] >= b)

    def add(q: Quantity) -> None:
        found.append(q)
        i = bisect.bisect_right(starts, q.start)
        starts.insert(i, q.start)
        ends.insert(i, q.end)

    if "no " in text.lower():
        for m in _NONE_CARRIED.finditer(text):
            # "no crude oil was transported via this pipeline": zero tonnes carried
            add(Quantity(m.group("what"), 0.0, "mass", "Mt", m.start("what"), m.end("what"),
                         note="nothing carried ('no oil was transported'): zero"))
    if not _DIGIT.search(text):
        return found  # every other quantity has a digit (number words are digits by now)
    # Each pattern is tried only when a word it needs is in the text (case-insensitive
    # substring tests: a pattern cannot match without one of them).
    low = text.lower()
    symbol, pct, money_pre, money_suf, rate, mass = (
        _CUE_RX[name].search(low) is not None for name in (
            "_RANGE_MONEY", "_PCT", "_MONEY_PRE", "_MONEY_SUF", "_RATE", "_MASS"))
    between = "between " in low
    ranges_money = (*(_RANGE_BETWEEN_MONEY.finditer(text) if symbol and between else ()),
                    *(_RANGE_MONEY.finditer(text) if symbol else ()))
    for m in ranges_money:
        if not free(m.start(), m.end()) or _two_levels(text, m):
            continue  # "rose from $0.6 billion to $0.7 billion": two levels, not a range
        mag = (m.group("mag") or m.group("lomag") or "").strip().lower()
        lo_mag = (m.group("lomag") or m.group("mag") or "").strip().lower()
        lo = _num(m.group("lo")) * _MAG.get(lo_mag, 1.0)
        hi = _num(m.group("hi")) * _MAG.get(mag, 1.0)
        if hi > lo > 0:
            add(Quantity(m.group(0), (lo + hi) / 2, "money",
                         _CURRENCY_PREFIX.get(m.group("cur").lower(), "USD"), m.start(), m.end(),
                         "between", f"a range {m.group(0)}", hi))
            found[-1].value = lo
    for m in (*(_RANGE_BETWEEN_PCT.finditer(text) if pct and between else ()),
              *(_RANGE_PCT.finditer(text) if pct else ())):
        lo, hi = _num(m.group("lo")), _num(m.group("hi"))
        if hi > lo >= 0 and free(m.start(), m.end()) and not _two_levels(text, m):
            add(Quantity(m.group(0), lo, "pct", "pct", m.start(), m.end(), "between",
                         f"a range {m.group(0)}", hi))
    for rx, present in ((_MONEY_PRE, money_pre), (_MONEY_SUF, money_suf)):
        for m in rx.finditer(text) if present else ():
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
    for m in _PCT.finditer(text) if pct else ():
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
    for m in _RATE.finditer(text) if rate else ():
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
    for m in _MASS.finditer(text) if mass else ():
        if free(m.start(), m.end()):
            unit = m.group("unit").lower()
            scale = (
                1.0
                if unit.startswith(("million", "mt", "mln", "mn"))
                else (1e-3 if unit.startswith(("thousand", "kt")) else 1e-6)
            )
            if unit.endswith("barrels"):
                scale /= CRUDE_BBL_PER_TONNE  # crude: 7.33 barrels a tonne
            add(
                Quantity(
                    m.group(0),
                    _num(m.group("num")) * scale,
                    "mass",
                    "Mt",
                    m.start(),
                    m.end(),
                    _comparison_before(text, m.start()),
                    note=f"{m.group(0)} of crude at {CRUDE_BBL_PER_TONNE} bbl/t"
                    if unit.endswith("barrels") else "",
                )
            )
    years = {start for start, _ in _years_in(text)}
    for m in _BARE.finditer(text):
        if not free(m.start(), m.end()) or (m.start() in years and not m.group("mag")):
            continue
        if not m.group("mag") and in_name(text, m.start(), m.end()):
            continue  # "Rossiya 24", "Su-24": part of a name, not a number
        if not m.group("mag") and _RANK_LABEL.search(text, max(0, m.start() - 8), m.start()):
            continue  # "the No. 1 export market": a rank's label, read by the ranking
        if not m.group("mag") and _next_year_digits(text, m.start(), m.end()):
            continue  # "2014-15", "FY2019/20": the end of a fiscal year, not a number
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
    return _merge_equivalents(text, found)


# A capitalised word (or a country's name) right before a whole number ("Rossiya 24", "Su-24",
# "Boeing 737"): a name.
# Not a month ("March 24" is a date), a currency code ("KZT 500") or a word that may begin a
# sentence before an amount ("About 24", "Some 300").
_NAME_BEFORE = re.compile(r"(?:(?<![\w⟧'’-])([A-Z][A-Za-z]*)|⟦[A-Z]{3}⟧)(?:-| )$")
_NOT_NAMES = frozenset(("january", "february", "march", "april", "may", "june", "july", "august",
    "september", "october", "november", "december", "jan", "feb", "mar", "apr", "jun", "jul",
    "aug", "sep", "sept", "oct", "nov", "dec", "in", "on", "at", "by", "of", "for", "from", "to",
    "and", "or", "the", "a", "an", "since", "until", "till", "about", "around", "over", "some",
    "nearly", "almost", "only", "just", "roughly", "approximately", "under", "more", "less",
    "than", "between", "after", "before", "last", "this", "these", "those", "with", "without",
    "top", "no", "nos", "no.", "up", "down", "all", "its", "their", "his", "her", "our", "is",
    "was", "were", "are"))


# "No. 1", "number one", "#2": the label of a rank, not a count
_RANK_LABEL = re.compile(r"(?:\bNo\.?|\bnumber|#)\s*$", re.I)
_YEAR_BEFORE_SPAN = re.compile(r"((?:19|20)\d\d)\s*[-/–]\s*$")


def _next_year_digits(text: str, start: int, end: int) -> bool:
    """Whether the two digits at ``text[start:end]`` end a span "2014-15" (the next year's)."""
    if end - start != 2 or not text[start:end].isdigit():
        return False
    m = _YEAR_BEFORE_SPAN.search(text, max(0, start - 7), start)
    return m is not None and int(text[start:end]) == (int(m.group(1)) + 1) % 100


def in_name(text: str, start: int, end: int) -> bool:
    """Whether the whole number at ``text[start:end]`` is part of a name ("Rossiya 24")."""
    if not text[start:end].isdigit():
        return False
    m = _NAME_BEFORE.search(text, max(0, start - 24), start)
    if m is None:
        return False
    word = m.group(1)
    if word is None:
        return True  # "⟦RUS⟧ 24" ("Rossiya 24", "Russia 24"): a country's name before it
    return word.lower() not in _NOT_NAMES and not re.fullmatch(r"[A-Z]{3}", word)


def _merge_equivalents(text: str, found: list[Quantity]) -> list[Quantity]:
    """Drop one of "A$1.3 billion (US$846 million)": the same amount in two currencies.

    The US$ figure is kept (no exchange rate needed) and notes the other.
    """
    out: list[Quantity] = []
    for q in found:
        prev = out[-1] if out else None
        if (prev is not None and prev.kind == q.kind == "money" and prev.unit != q.unit
                and re.fullmatch(r"\s*[(\[]\s*(?:or\s+|about\s+|some\s+)?",
                                 text[prev.end:q.start])):
            keep, other = (q, prev) if q.unit == "USD" else (prev, q)
            keep.note = (keep.note + "; " if keep.note else "") + f"also given as {other.text}"
            out[-1] = keep
            continue
        out.append(q)
    return out


def find_years(text: str, quantities: list[Quantity]) -> list[tuple[int, int]]:
    """(year, position) of each stated year that is not part of a quantity.

    A year is inside a quantity when one starting at or before it ends after it: found by
    bisection, so a sentence with thousands of numbers is read in n log n, not n².
    """
    spans = sorted((q.start, q.end) for q in quantities)
    starts = [a for a, _ in spans]
    reach = list(accumulate((b for _, b in spans), max))  # furthest end so far
    out = []
    for start, year in _years_in(text):
        i = bisect.bisect_right(starts, start)  # the quantities starting at or before it
        if i == 0 or reach[i - 1] <= start:
            out.append((year, start))
    return out


@lru_cache(maxsize=8)
def _years_in(text: str) -> tuple[tuple[int, int], ...]:
    """(position, year) of every match of the year pattern (asked twice per sentence)."""
    return tuple((m.start("y"), int(m.group("y"))) for m in _YEAR.finditer(text))


