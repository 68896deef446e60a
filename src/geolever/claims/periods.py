"""The period a claim is about: stated years, relative years, partial periods, durations.

"in 2021", "between 2019 and 2021", "since 2022" are stated; "last year" and "this year"
resolve against the text's publication year; "in the first half of this year", "in
January-May" are partial periods, compared only with figures for the same months; "for
years", "for a long time" make a status claim about several years. A year that only
serves as the base of a comparison ("compared to 2023", "than in 2018") is not the claim's.
"""

from __future__ import annotations

import re

from geolever.claims.clauses import clause_of
from geolever.claims.context import Reading
from geolever.claims.extract import Parsed
from geolever.claims.months import fiscal_year
from geolever.claims.months import partial_period as partial_period  # re-exported
from geolever.claims.numbers import Quantity
from geolever.claims.results import SkipError

_RELATIVE = re.compile(
    r"\b(?P<w>last year|the previous year|(?:over|in|during) the past year|this year|"
    r"so far this year|a year ago|"
    # "in the first 11 months of the year": the year of publication
    r"(?<=months of )the year|(?<=half of )the year|(?<=quarter of )the year|"
    r"in recent years|currently|today|now|at present|nowadays)\b", re.I)
_BASE = re.compile(r"(?:compared (?:to|with)|than(?: in)?|versus|vs\.?|from)\s*(?:the same "
                   r"(?:period|months?|time|quarter|half)\s*(?:of|in)?\s*)?$", re.I)
_SINCE_MONTH = re.compile(r"\bsince\s+(?:January|February|March|April|May|June|July|August|"
                          r"September|October|November|December)\s+$", re.I)
_DURATION = re.compile(r"\bfor (?:many |several |a few )?(?:years|a long time|a while|"
                       r"(?:a|one|two|three|\d+) (?:years?|decades?)|decades)\b|\blong since\b",
                       re.I)


# the base of a comparison: "compared to the same period last year" (the claim is this year's)
_RELATIVE_BASE = re.compile(r"(?:compared (?:to|with)|than(?: in)?|versus|vs\.?|from)\s*"
                            r"(?:the same (?:period|months?|time|quarter|half)(?: of)?\s*)?$",
                            re.I)


# an unspecified past period: "historically making up more than 30 percent of GDP"
_PAST = re.compile(r"\b(?:historically|traditionally|in the past(?!\s+(?:year|month|week|"
                   r"quarter|decade|few|two|three|four|five|several|\d))|in (?:previous|past|"
                   r"earlier|prior) years)\b", re.I)


def past_period(text: str) -> str:
    """Return the words of an unspecified past period ("historically"), or ""."""
    m = _PAST.search(text) if "ly" in text or " years" in text or "past" in text else None
    return m.group(0) if m else ""


# "the following four years", "in the next two years": the years after those stated before
_FOLLOWING = re.compile(r"\b(?:the|in the|over the|during the|for the)\s+(?:following|next|"
                        r"subsequent|ensuing)\s+([1-9]|1\d|two|three|four|five|six|seven|eight|"
                        r"nine|ten)\s+years\b", re.I)
_WORD_COUNT = {"two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8,
               "nine": 9, "ten": 10}


def _relative(text: str) -> re.Match[str] | None:
    """Return the first relative period ("last year") that is not the base of a comparison."""
    for m in _RELATIVE.finditer(text):
        if not _RELATIVE_BASE.search(text[max(0, m.start() - 45):m.start()]):
            return m
    return None


def is_duration(text: str) -> bool:
    """Whether the sentence speaks of a span ("for years", "for a long time")."""
    return bool(_DURATION.search(text))


# a figure for another year in brackets: "(2017: US$22 billion)"
_DATED_ASIDE = re.compile(r"\(\s*((?:19|20)\d\d)\s*:\s*$")
_YEAR_COLON = re.compile(r"(?:19|20)\d\d\s*:")


def _claim_years(parsed: Parsed) -> list[tuple[int, int]]:
    """Stated (year, position), without years that are a comparison's base."""
    text = parsed.tokens
    out = []
    for y, p in parsed.years:
        if _BASE.search(text[max(0, p - 45):p]) or _SINCE_MONTH.search(text[max(0, p - 22):p]):
            continue  # "the first change in the ranking since June 2005": a reference date
        out.append((y, p))
    return out


def stated_years(parsed: Parsed, reading: Reading) -> list[int]:
    """Every year the sentence states for its claims (spans expanded)."""
    key = ("stated_years", reading.ref_year, reading.published, tuple(parsed.ctx_years))
    if key not in parsed.memo:  # asked once per claim of the sentence and once after
        parsed.memo[key] = _stated_years(parsed, reading)
    return list(parsed.memo[key])  # type: ignore[call-overload]


def _stated_years(parsed: Parsed, reading: Reading) -> list[int]:
    text = parsed.tokens
    years: set[int] = set()
    for m in re.finditer(r"\b((?:19|20)\d\d)\s*(?:-|to|–|and)\s*((?:19|20)\d\d)\b", text):
        a, b = int(m.group(1)), int(m.group(2))
        if a < b <= a + 30 and (re.search(r"between\s*$|from\s*$", text[: m.start()])
                                or "-" in m.group(0) or " to " in m.group(0)):
            years.update(range(a, b + 1))
    for m in re.finditer(r"\bsince\s+((?:19|20)\d\d)\b", text):
        years.update(range(int(m.group(1)), max(int(m.group(1)), reading.ref_year) + 1))
    years.update(y for y, _ in _claim_years(parsed))
    fiscal = fiscal_year(text) if not years else None
    if fiscal and fiscal[1]:
        years.add(fiscal[1][0])  # "FY19": named by its year (no calendar year's figure is it)
    following = _FOLLOWING.search(text) if not years and reading.years else None
    if following and reading.years:
        # "The following four years", after 2006-2008: 2009-2012
        after = max(reading.years) + 1
        n = following.group(1).lower()
        years.update(range(after, after + (_WORD_COUNT.get(n) or int(n))))
    if not years:
        rel = _relative(text)
        if rel and (rel.group("w").lower() in ("last year", "the previous year", "a year ago")
                    or rel.group("w").lower().endswith("the past year")):
            years.add(reading.published - 1)
        elif rel and rel.group("w").lower() in ("this year", "so far this year", "the year"):
            years.add(reading.published)
    if not years and parsed.ctx_years:
        years.update(parsed.ctx_years)
    if not years and partial_period(text):
        # "94% of total inflows between January and May": months with no year are this year's
        years.add(reading.published)
    return sorted(years)


def years_for(q: Quantity | None, parsed: Parsed, n_claims: int,
              reading: Reading) -> tuple[list[int] | None, str]:
    """Years a claim is about and how that was decided (stated, relative, carried, default)."""
    stated = stated_years(parsed, reading)
    ref = reading.latest_year
    if not stated:
        rel = _relative(parsed.tokens)
        past = past_period(parsed.tokens)
        how = (f"relative period ('{rel.group(0)}') without a date: read as the latest full "
               f"year up to {ref}" if rel else
               f"an unspecified past period ('{past}'): the claim holds if some year with "
               f"data up to {ref} meets it; the headline is the latest such year" if past else
               f"no period stated: every year with data up to {ref} is shown; the headline "
               f"is the latest full (not annualised) year")
        return None, how
    if q is not None and len(stated) > 1:
        # "... 1.2 Mt in 2018 and it plans 1.5 Mt in 2019": the years of the number's clause
        start, clause = clause_of(parsed.tokens, q.start)
        own_clause = [y for y, p in _claim_years(parsed) if start <= p <= start + len(clause)]
        if own_clause and len(own_clause) < len(stated):
            stated = sorted(set(own_clause))
    how = "stated: " + ", ".join(map(str, stated))
    if not parsed.years and not parsed.ctx_years and not _relative(parsed.tokens):
        how = f"months with no year stated: read as {', '.join(map(str, stated))}"
    if parsed.ctx_years and not parsed.years:
        how = f"carried over from an earlier sentence: {', '.join(map(str, stated))}"
    if n_claims == 1 or q is None or len(stated) == 1:
        return stated, how
    # Several claims: each needs its own year next to it ("$1.0bn in 2021 ... $1.2bn in 2023").
    own = _claim_years(parsed)
    dated = _DATED_ASIDE.search(parsed.tokens, max(0, q.start - 12), q.start)
    if dated:
        # "US$23.63 billion (2017: US$22 billion) in 2018": the bracket's year is its figure's
        return [int(dated.group(1))], f"stated next to the number: {dated.group(1)}"
    # and no other number's: the figure before the bracket takes the year after it
    own = [(y, p) for y, p in own if not (_YEAR_COLON.match(parsed.tokens, p) and parsed.tokens[
        max(0, p - 3):p].rstrip().endswith("("))]
    after = [(y, p) for y, p in own if 0 <= p - q.end <= 25]
    before = [(y, p) for y, p in own if 0 <= q.start - p <= 30]
    near = after or before
    if not near:
        # "€1.57 billion worth of goods came from China in 2021, €1.17 billion in 2020": the
        # first year after the number, before the next number; in the number's own clause
        # further on ("3.8 billion dollars were sent through money transfer systems to
        # Tajikistan from Russia in 2014 and 4.2 billion dollars in 2013")
        nxt = min((o.start for o in parsed.quantities if o.start > q.end and not
                   _DATED_ASIDE.search(parsed.tokens, max(0, o.start - 12), o.start)),
                  default=len(parsed.tokens))
        start, clause = clause_of(parsed.tokens, q.start)
        end = max(q.end + 60, min(q.end + 120, start + len(clause)))
        near = [(y, p) for y, p in own if q.end < p < min(nxt, end)][:1]
    if len(near) != 1:
        raise SkipError(f"several numbers and years in one sentence: the year of '{q.text}' "
                        f"is not clear")
    return [near[0][0]], f"stated next to the number: {near[0][0]}"


# "will" in a clause about a year already past ("remittances for last year will be about
# $2.8 billion", written in 2012 of 2011): an estimate not yet final, not a forecast
_WILL = re.compile(r"\bwill\b", re.I)
_PAST_YEAR = re.compile(r"\b(?:last|previous|past)\s+(?:fiscal\s+|calendar\s+)?year\b|"
                        r"\ba year (?:ago|earlier)\b", re.I)
_ANY_YEAR = re.compile(r"(?<![\w$€.,])((?:19|20)\d\d)(?![\w%]|[.,]\d)")


def past_will(clause: str, published: int) -> str:
    """``clause`` without the "will" of an estimate about a past year, else ``clause``.

    "The central bank estimates that remittances for last year will be about $2.8 billion":
    the year is over when the text is written, so "will" is not a forecast. Only a clause
    whose every stated year is before the publication year, with at least one stated.
    """
    if "will" not in clause.lower() or not _WILL.search(clause):
        return clause
    # a year a comparison measures against is not the claim's ("will hit $22 billion, still
    # below 2012's level")
    years = [int(m.group(1)) for m in _ANY_YEAR.finditer(clause)
             if not _AGAINST.search(clause, max(0, m.start() - 30), m.start())]
    past = [m for m in _PAST_YEAR.finditer(clause)
            if not _AGAINST.search(clause, max(0, m.start() - 30), m.start())]
    if not (years or past) or any(y >= published for y in years):
        return clause
    return _WILL.sub(" ", clause)


_AGAINST = re.compile(r"\b(?:below|above|under|over|than|compared (?:to|with)|from|since|"
                      r"versus|vs\.?|against|beyond|exceed\w*|surpass\w*|top\w*|after)\s+"
                      r"(?:(?:the|its|their)\s+)?(?:(?:level|figure|total)s?\s+(?:of|in)\s+)?"
                      r"(?:(?:in|of)\s+)?$", re.I)
