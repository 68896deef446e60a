"""Partial periods a sentence states: "the first half", "January-May", "July-October".

Its own module so that the reading context (:mod:`geolever.claims.context`) can remember a
sentence's months without importing :mod:`geolever.claims.periods`, which reads the context.
"""

from __future__ import annotations

import re
from functools import lru_cache

__all__ = ["fiscal_year", "is_fiscal", "partial_period"]

_MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August",
           "September", "October", "November", "December")
_PARTIAL = re.compile(
    r"\b(?:(?:in|during|for)\s+)?(?:the\s+)?(?P<which>first half|1st half|first quarter|"
    r"1st quarter|H1|Q1|"
    r"first (?P<n>two|three|four|five|six|seven|eight|nine|ten|eleven|\d{1,2}) months|"
    r"(?:between\s+January\s+and\s+|January\s*(?:-|–|to|through)\s*)(?P<to>February|March|April|May|June|July|August|"
    r"September|October|November)|"
    # months not from January: "over the July-October period" (no such figures are stored)
    r"(?P<from2>February|March|April|May|June|July|August|September|October|November)"
    r"\s*(?:-|–|to|through)\s*(?P<to2>March|April|May|June|July|August|September|October|"
    r"November|December))\b", re.I)
_LATER_PART = re.compile(r"\b(?P<part>(?:second|2nd|third|3rd|fourth|4th|last|final)\s+quarter|"
                         r"(?:second|2nd)\s+half|H2)\b", re.I)
_LATER_PERIOD = {"second quarter": "Apr-Jun", "third quarter": "Jul-Sep",
                 "fourth quarter": "Oct-Dec", "last quarter": "Oct-Dec",
                 "second half": "Jul-Dec", "h2": "Jul-Dec"}
_SO_FAR = re.compile(r"\bsince\s+(?:early|the\s+(?:start|beginning)\s+of)\s+(?:the\s+year|"
                     r"(?:19|20)\d\d)\b", re.I)
#: Words one of which every period phrase above holds (lower case), and the characters that
#: re.IGNORECASE matches to ASCII letters while str.lower() does not lower them to one.
_CUES = ("first", "1st", "h1", "q1", *(m.lower() for m in _MONTHS[:11]), "since", "quarter",
         "half", "h2")
_ODD_CASE = re.compile("[\u0130\u0131\u017f\u212a]")
_N = {"two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8, "nine": 9,
      "ten": 10, "eleven": 11}
_PERIOD_OF_MONTHS = {2: "Jan-Feb", 3: "Q1", 4: "Jan-Apr", 5: "Jan-May", 6: "H1", 7: "Jan-Jul",
                     8: "Jan-Aug", 9: "Jan-Sep", 10: "Jan-Oct", 11: "Jan-Nov"}

# A fiscal year: "fiscal year 2018-19", "FY19", "FY2019/20", "fiscal 2015-16", "the financial
# year", "the fiscal (2014-15) ending in June", "last fiscal year", and a year with the next
# one's last two digits ("2018-19", "2019/20": the years a July-June or April-March year spans).
_SPAN = r"(?:19|20)\d\d(?:\s*[-/–]\s*(?:(?:19|20)\d\d|\d\d)(?!\d))?"
_FISCAL = re.compile(
    rf"\b(?:fiscal|financial|budget)\s+years?(?:\s*\(?\s*{_SPAN})?|\bfiscal\s*\(?\s*{_SPAN}|"
    r"(?<![\w-])FY\s?(?P<fy>(?:19|20)?\d\d)(?:\s*[-/–]\s*(?P<fy2>\d\d(?:\d\d)?))?(?![\w%])|"
    r"(?<![\w.,$-])(?P<a>(?:19|20)\d\d)\s*[-/–]\s*(?P<b>\d\d)(?![\w%]|[.,]\d|[-/–]\d)")
#: The label a fiscal year's figure is compared under: no stored figure has it (the store's
#: years are calendar years), so such a claim is unverifiable unless the data hold it.
FISCAL_YEAR = "fiscal year"


@lru_cache(maxsize=16)
def fiscal_year(text: str) -> tuple[str, tuple[int, ...]] | None:
    """Return the words of a fiscal year the sentence states and the years it names, or None.

    "fiscal year 2018-19" -> ("fiscal year 2018-19", (2018, 2019)); "FY19" -> ("FY19",
    (2019,)); "the fiscal year ending in June" -> ("fiscal year", ()). A span of two digits is
    a fiscal year only when they are the next year's ("2018-19"; "2010-15" is six calendar
    years).
    """
    if "iscal" not in text and "inancial year" not in text and "FY" not in text and \
            "udget year" not in text and not _SHORT_SPAN_CUE.search(text):
        return None  # most sentences
    for m in _FISCAL.finditer(text):
        if m.group("a") and int(m.group("b")) != (int(m.group("a")) + 1) % 100:
            continue  # "2010-15": calendar years
        if m.group("fy"):
            first = int(m.group("fy"))
            first = first if first > 1900 else 2000 + first
            return m.group(0), (first, first + 1) if m.group("fy2") else (first,)
        years = [int(y) for y in _FULL_YEAR.findall(m.group(0))]
        if years and _SHORT_END.search(m.group(0)):
            years.append(years[0] + 1)  # "2014-15"
        return re.sub(r"\(\s*", "", m.group(0)).strip(), tuple(sorted(set(years)))
    return None


_SHORT_SPAN_CUE = re.compile(r"\d\d\s*[-/–]\s*\d\d(?!\d)")
_SHORT_END = re.compile(r"[-/–]\s*\d\d$")
_FULL_YEAR = re.compile(r"(?<!\d)((?:19|20)\d\d)(?!\d)")


def is_fiscal(period: str | None) -> bool:
    """Whether a partial period is a fiscal year or a part of one (not calendar months)."""
    return bool(period) and FISCAL_YEAR in str(period)


@lru_cache(maxsize=16)  # several rules ask about the same sentence, one after the other
def partial_period(text: str) -> str | None:
    """Return the partial period a sentence states ("first half" -> "H1"), or None.

    A fiscal year is one ("fiscal year (FY19)"), and so are its months: "the first four
    months (July to October) of the current fiscal year" are not January-April.
    """
    fiscal = fiscal_year(text)
    if fiscal is not None:
        part = _PARTIAL.search(text)
        return (f"part of a {FISCAL_YEAR} ({part.group('which')}, {fiscal[0]})" if part
                else f"{FISCAL_YEAR} ({fiscal[0]})")
    low = text.lower()
    if not any(c in low for c in _CUES) and not _ODD_CASE.search(text):
        return None  # neither regex can match: most sentences
    m = _PARTIAL.search(text)
    if not m:
        later = _LATER_PART.search(text) if "quarter" in low or "half" in low or "h2" in low \
            else None
        if later:
            # "in the third quarter of 2019", "the second half of the year": months that are
            # not from January (no such figures are stored: compared with those months only)
            return _LATER_PERIOD[later.group("part").lower().replace("2nd", "second").replace(
                "3rd", "third").replace("4th", "fourth").replace("final", "last")]
        # "since early 2018", "since the beginning of the year": the months so far
        return "year to date" if _SO_FAR.search(text) else None
    which = m.group("which").lower()
    if which in ("first half", "1st half", "h1"):
        return "H1"
    if which in ("first quarter", "1st quarter", "q1"):
        return "Q1"
    if m.group("n"):
        n = m.group("n").lower()
        months = _N[n] if n in _N else int(n)
        return _PERIOD_OF_MONTHS.get(months)
    if m.group("to"):
        months = _MONTHS.index(m.group("to").capitalize()) + 1
        return _PERIOD_OF_MONTHS.get(months)
    if m.group("from2"):
        a, b = (_MONTHS.index(m.group(g).capitalize()) for g in ("from2", "to2"))
        return f"{_MONTHS[a][:3]}-{_MONTHS[b][:3]}" if a < b else None
    return None
