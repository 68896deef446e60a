"""Partial periods a sentence states: "the first half", "January-May", "July-October".

Its own module so that the reading context (:mod:`geolever.claims.context`) can remember a
sentence's months without importing :mod:`geolever.claims.periods`, which reads the context.
"""

from __future__ import annotations

import re
from functools import lru_cache

__all__ = ["partial_period"]

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
_SO_FAR = re.compile(r"\bsince\s+(?:early|the\s+(?:start|beginning)\s+of)\s+(?:the\s+year|"
                     r"(?:19|20)\d\d)\b", re.I)
#: Words one of which every period phrase above holds (lower case), and the characters that
#: re.IGNORECASE matches to ASCII letters while str.lower() does not lower them to one.
_CUES = ("first", "1st", "h1", "q1", *(m.lower() for m in _MONTHS[:11]), "since")
_ODD_CASE = re.compile("[\u0130\u0131\u017f\u212a]")
_N = {"two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8, "nine": 9,
      "ten": 10, "eleven": 11}
_PERIOD_OF_MONTHS = {2: "Jan-Feb", 3: "Q1", 4: "Jan-Apr", 5: "Jan-May", 6: "H1", 7: "Jan-Jul",
                     8: "Jan-Aug", 9: "Jan-Sep", 10: "Jan-Oct", 11: "Jan-Nov"}

@lru_cache(maxsize=16)  # several rules ask about the same sentence, one after the other
def partial_period(text: str) -> str | None:
    """Return the partial period a sentence states ("first half" -> "H1"), or None."""
    low = text.lower()
    if not any(c in low for c in _CUES) and not _ODD_CASE.search(text):
        return None  # neither regex can match: most sentences
    m = _PARTIAL.search(text)
    if not m:
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
