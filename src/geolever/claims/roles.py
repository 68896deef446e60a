"""The role of a number beside a change: the level, the change's size, or the earlier level.

"In 2018, trade increased by 11% and amounted for $2 billion": the 11% is the size of the
change, the $2 billion the level. "Transfers from South Korea fell from USD 28.2 million to
just USD 1 million": the first is the earlier level, the second the level the fall arrived
at. "USD 1.2 billion in transfers ..., reflecting a year-on-year increase of USD 188 million":
the change words belong to the USD 188 million; the USD 1.2 billion is a level.

A verb or noun of change governs the number right after it ("fell 25%", "an increase of
$188m", "rose by 11%"), the number right before it ("11% growth", "a 16% rise"), the level
after "to" and the earlier level after "from". The change words a sentence spends on other
numbers do not make a number a change; change words that govern no number ("dropped below
their historical highs") still do, unless a verb of level stands right before the number
("averaging US$22.2 billion", "amounted to", "stood at").

Every pattern here reads a short window before or after one number (no pass over the
sentence per number).
"""

from __future__ import annotations

import bisect
import re
from typing import Literal

from geolever.claims.context import Reading
from geolever.claims.extract import Parsed, topics_of
from geolever.claims.numbers import Quantity
from geolever.claims.periods import partial_period, years_for
from geolever.claims.results import SkipError
from geolever.claims.vocabulary import prefiltered

Role = Literal["level", "change", "earlier", ""]

_QUAL = (r"(?:(?:about|around|almost|nearly|some|just|only|roughly|approximately|over|more than|"
         r"less than|under|a mere|a record|an estimated|a total of|an?)\s+)*")
# verbs (and nouns) of change; the nouns need "of" or "by" before their number
_VERB = (r"(?:rose|risen|rises?|rising|fell|fallen|falls?|falling|grew|grown|grows?|growing|"
         r"increased?|increases|increasing|decreased?|decreases|decreasing|declined?|declines|"
         r"declining|dropped|drops?|dropping|jumped|jumps?|surged|surges?|slumped|plunged|"
         r"plummeted|soared|shrank|shrunk|shrinks?|slipped|climbed|climbs?|gained|contracted|"
         r"expanded|edged (?:up|down)|went (?:up|down)|gone (?:up|down)|is up|was up|were up|"
         r"are up|is down|was down|were down|are down|(?<![a-z] )(?:up|down))")
_NOUN = (r"(?:increases?|rises?|growth|drops?|falls?|declines?|decreases?|gains?|jumps?|"
         r"surges?|contractions?|expansions?|reductions?|cuts?|slumps?|plunges?|loss(?:es)?)")
_MOD = (r"(?:(?:a|an|the|its|their|this|that)\s+)?(?:(?:year-on-year|year on year|y/y|on-year|"
        r"annual|yearly|monthly|quarterly|sharp|steep|slight|small|modest|significant|further|"
        r"total|overall|combined|[a-z]+ly)\s+)*")
# the change words right before a number that they govern: "fell by nearly", "an increase of"
# (searched for whether they are there: the modifiers before them, "a sharp", "its annual",
# that _NOUN_CHANGE_BEFORE reads, change nothing of that, and were tried at every position)
_CHANGE_BEFORE = prefiltered(
    rf"(?:{_VERB}(?:\s+[a-z]+){{0,2}}?\s+by|{_VERB}|{_NOUN}\s+(?:of|by|was|were|is|"
    rf"amounted to|totall?ed|reached|came to|stood at))\s+{_QUAL}$")
# a change named as a noun, with its size: "a year-on-year increase of USD 188 million"
_NOUN_CHANGE_BEFORE = re.compile(rf"{_MOD}{_NOUN}\s+(?:of|by)\s+{_QUAL}$", re.I)
# the change words right after a number: "11% growth", "a 16% rise", "$2 billion more than"
_CHANGE_AFTER = re.compile(r"\s*(?:(?:year-on-year|y/y|on-year|annual|yearly)\s+)?(?:increase|"
                           r"rise|growth|drop|decline|fall|jump|gain|surge|decrease|reduction|"
                           r"more|less|higher|lower|(?:up|down)(?!\s+from))\b", re.I)
# what a change size may say after it of its base: "... from the previous year", "y/y"
_BASE_AFTER = re.compile(
    r"(?:\s+(?:year-on-year|year on year|y/y|on-year|on the year|(?:compared (?:with|to)|from|"
    r"over|against|on|than(?: in)?)\s+(?:the\s+)?(?:same\s+period\s+(?:of|in)\s+)?(?:the\s+)?"
    r"(?:previous|last|prior|a)\s+year(?:\s+(?:earlier|ago|before))?|(?:compared (?:with|to)|"
    r"from|over|than(?: in)?|on)\s+(?:19|20)\d\d))?", re.I)
# a verb of level right before the number: "amounted for", "averaging", "edged up to",
# "rose 16 percent, topping $3.2 billion" (the level the rise passed)
_LEVEL_BEFORE = prefiltered(
    rf"(?:(?<!compared )\bto|record(?: high)? of|\breach(?:ed|ing|es)?|"
    rf"\bamount(?:ed|ing|s)? (?:to|for)|"
    rf"\btotal(?:l?ed|l?ing|s)?|\bst(?:ood|ands?|anding) at|\baverag(?:ed|ing|es?)(?: at| of)?|"
    rf"\bworth|\bvalued at|\bcame in at|\bcomes? in at|\btopp(?:ed|ing)|\bhitting|"
    rf"\bsurpass(?:ed|ing)|\bexceed(?:ed|ing))\s+{_QUAL}$")
# the same for a share ("to" alone: only after a verb of change, see level_after_change)
_LEVEL_BEFORE_PCT = prefiltered(
    rf"(?:record(?: high)? of|\breach(?:ed|ing|es)?|\bamount(?:ed|ing|s)? (?:to|for)|"
    rf"\bst(?:ood|ands?|anding) at|\baverag(?:ed|ing|es?)(?: at| of)?)\s+{_QUAL}$")
_WORTH_AFTER = re.compile(r"\s+worth\s+of\b", re.I)
# the earlier level: "fell from", "up from", "dropped from just"
_EARLIER_BEFORE = prefiltered(rf"\b{_VERB}(?:\s+[a-z]+)?\s+from\s+{_QUAL}$")
# the earlier level after a change's size and a comma: "increased by 47%, from $3 billion to
# $4.4 billion", "a growth of 9%, from ..."
_EARLIER_AFTER_SIZE = prefiltered(rf"\b(?:{_VERB}|{_NOUN})\b[^.;,]{{0,30}},\s*from\s+{_QUAL}$")
# the earlier end of a span of two dated levels: "from around US$ 2.2 billion in 1990 to US$ 6.8
# billion in 2016" (its year stated, and the later end's "to" right after it)
_FROM_DATED = prefiltered(rf"\bfrom\s+{_QUAL}$")
_DATED_TO = re.compile(r"\s+in\s+(?:19|20)\d\d\s*,?\s+to\s+", re.I)
# "and", "or", a comma or a bracket between a change's size and the same size in other units
_JOIN = re.compile(r"\s*(?:,\s*)?(?:or|and|i\.e\.|\(|,)\s*(?:by\s+)?" + _QUAL, re.I)


def change_size(parsed: Parsed, q: Quantity) -> bool:
    """Whether ``q`` is the size of a change ("fell 25%", "an increase of $188m", "11% growth").

    A figure joined to such a size by "or", "and", a comma or a bracket is one too ("rose by
    10%, or $300 million").
    """
    key = ("change_size", q.start)
    found = parsed.memo.get(key)
    if found is None:
        found = parsed.memo[key] = _change_size(parsed, q)
    return bool(found)


def _change_size(parsed: Parsed, q: Quantity) -> bool:
    tokens = parsed.tokens
    before = tokens[max(0, q.start - 60):q.start]
    if _EARLIER_BEFORE.search(before) or level_after_change(parsed, q) or (
            _LEVEL_BEFORE_PCT if q.kind == "pct" else _LEVEL_BEFORE).search(before):
        return False
    if _CHANGE_BEFORE.search(before) or _CHANGE_AFTER.match(tokens, q.end):
        return True
    i = _index(parsed, q) or 0
    if i == 0:
        return False
    prev = parsed.quantities[i - 1]
    return bool(_JOIN.fullmatch(tokens, prev.end, q.start)) and change_size(parsed, prev)


def _index(parsed: Parsed, q: Quantity) -> int | None:
    """Return the place of ``q`` among the sentence's numbers (a lookup, not a walk per number)."""
    index = parsed.memo.get(("index",))
    if index is None:
        index = parsed.memo[("index",)] = {p.start: k for k, p in enumerate(parsed.quantities)}
    return index.get(q.start)  # type: ignore[attr-defined]


def role_of(parsed: Parsed, q: Quantity) -> Role:
    """Return the role of ``q`` that the words right around it give (``""`` when none)."""
    key = ("role_of", q.start, q.end, q.kind)  # asked by the period, the set-aside, the level
    found = parsed.memo.get(key)
    if found is None:
        found = parsed.memo[key] = _role_of(parsed, q)
    return found  # type: ignore[return-value]


def _role_of(parsed: Parsed, q: Quantity) -> Role:
    before = parsed.tokens[max(0, q.start - 60):q.start]
    if _EARLIER_BEFORE.search(before) or _EARLIER_AFTER_SIZE.search(before) or (
            _DATED_TO.match(parsed.tokens, q.end) and _FROM_DATED.search(before)):
        return "earlier"
    if (_LEVEL_BEFORE_PCT if q.kind == "pct" else _LEVEL_BEFORE).search(before) or \
            level_after_change(parsed, q):
        return "level"
    if change_size(parsed, q):
        return "change"
    # "almost €1.9 billion worth of goods": the value of what flowed, a level
    return "level" if _WORTH_AFTER.match(parsed.tokens, q.end) else ""


def _spent(parsed: Parsed, p: Quantity) -> str:
    """Return a change named with its size and base, or "".

    The size after a noun of change ("an increase of $188m y/y"), or before the change
    word that compares it with its base ("7.7 percent more than in 2010", "an 8.2 percent
    increase compared to last year").
    """
    tokens = parsed.tokens
    m = _NOUN_CHANGE_BEFORE.search(tokens, max(0, p.start - 60), p.start)
    if m is not None:
        base = _BASE_AFTER.match(tokens, p.end)
        return tokens[m.start():base.end() if base else p.end]
    after = _CHANGE_AFTER.match(tokens, p.end)
    base = after and _BASE_AFTER.match(tokens, after.end())
    if not base or base.end() == after.end():  # type: ignore[union-attr]
        # "resulting in a 30% decrease in exports": with no base, the change may be the
        # sentence's subject, not a comparison beside a level
        return ""
    return tokens[p.start:base.end()]


def states_change(parsed: Parsed, q: Quantity, text: str) -> bool:
    """Whether ``text`` (the words ``q`` is read with) makes ``q`` a change, not a level.

    A change size is a change; a level or an earlier level is not; otherwise the text is a
    change when change words remain once a change named after the number with its own size
    ("..., reflecting a year-on-year increase of USD 188 million") took its words. (A verb's
    change, "fell 40%, ... $1.2 billion", still makes the other amount a change: it may be
    the loss.)
    """
    role = role_of(parsed, q)
    if role:
        return role == "change"
    if "change" not in topics_of(text):
        return False
    rest = text
    for p in parsed.quantities:
        if p.start > q.end and p.kind != "bare" and change_size(parsed, p):
            spent = _spent(parsed, p)
            if spent:
                rest = rest.replace(spent, " ", 1)
    return "change" in topics_of(rest)


_LEVEL_AFTER_CHANGE = prefiltered(r"(?:\bto|record(?: high)? of|\breach(?:ed|ing|es)?|"
                                 r"amount(?:ed|ing)? to|total(?:l?ed|l?ing)|stood at)\s+"
                                 r"(?:about\s+|around\s+|between\s+|"
                                 r"almost\s+|nearly\s+|some\s+)?(?:US)?\$?\s*$")
_SHARE_AFTER_CHANGE = prefiltered(
    r"\b(?:fallen|fell|falls?|rose|risen|rises?|went (?:down|up)|goes (?:down|up)|gone (?:down|"
    r"up)|dropped|drops?|declined?|declines|decreased?|decreases|increased?|increases|grew|"
    r"grown|grows?|climbed|climbs?|jumped|slipped|shrank|shrunk)\s+to\s+(?:about\s+|around\s+|"
    r"almost\s+|nearly\s+|some\s+|just\s+)?$")
_TO_LEVEL = re.compile(r"\s*to\s+(?:about\s+|around\s+|almost\s+|nearly\s+|some\s+|just\s+)?",
                       re.I)
_LEVEL_JOIN = re.compile(r"\s*(?:,|,?\s*and|at|with|or)\s+(?:about\s+|around\s+|almost\s+|"
                         r"nearly\s+|some\s+)?", re.I)


def level_after_change(parsed: Parsed, q: Quantity) -> bool:
    """Whether ``q`` is the level a change arrived at, not the change.

    "increasing 45% ... to $324 million"; a share only after a verb of change and "to" ("it
    had fallen to 3.8 percent") or after the share it changed from ("grew from 13% to 21%");
    and a figure joined to such a level by "and", "at", "with"
    or a comma ("fallen to 3.8 percent and $5.9 billion", "went down to 2.5 percent at $3.9
    billion").
    """
    tokens = parsed.tokens
    before = tokens[max(0, q.start - 40):q.start]
    if (_LEVEL_AFTER_CHANGE if q.kind != "pct" else _SHARE_AFTER_CHANGE).search(before):
        return True
    prev = _last_ending_by(parsed, q.start)
    if prev is not None and q.kind == "pct" and prev.kind == "pct" and \
            _TO_LEVEL.fullmatch(tokens[prev.end:q.start]) and _EARLIER_BEFORE.search(
                tokens[max(0, prev.start - 60):prev.start]):
        return True  # "increased from 5.5% to 11.2%": the share it rose to
    if prev is None or not _LEVEL_JOIN.fullmatch(tokens[prev.end:q.start]):
        return False
    return prev.kind in ("money", "mass", "pct") and level_after_change(parsed, prev)


def _last_ending_by(parsed: Parsed, pos: int) -> Quantity | None:
    """Return the last number of the sentence (in order) that ends at or before ``pos``.

    The numbers of a sentence are in order and apart, so their ends rise and this is a
    bisection (a walk over every number for each number made a long sentence quadratic).
    """
    ends = parsed.memo.get(("ends",))
    if ends is None:
        found = [p.end for p in parsed.quantities]
        ends = parsed.memo[("ends",)] = found if found == sorted(found) else ()
    if not isinstance(ends, list):  # not in order: the walk
        earlier = [p for p in parsed.quantities if p.end <= pos]
        return earlier[-1] if earlier else None
    i = bisect.bisect_right(ends, pos)
    return parsed.quantities[i - 1] if i else None


# "edged up to", "climbed up to": the level after a rise, not "up to" as a limit
_ROSE_UP_TO = re.compile(r"\b(edged|inched|crept|rose|risen|climbed|jumped|went|gone|moved|shot|"
                         r"ticked|surged|soared|increased|grew|grown|picked|crawled)\s+up\s+to\b",
                         re.I)


def without_rose_up_to(text: str) -> str:
    """``text`` with "edged up to" read as "edged to" (a level after a rise, not a limit)."""
    return _ROSE_UP_TO.sub(r"\1 to", text) if "up to" in text.lower() else text


# the year stated right after an earlier level: "up from 1.9% in 2009", "from $5bn in May 2019"
_YEAR_AFTER = re.compile(r"\s*(?:in|for|during|as of)?\s*(?:(?:the\s+)?(?:[A-Z][a-z]+|first|"
                         r"second|third|fourth)\s+(?:(?:half|quarter)\s+(?:of\s+)?)?)?"
                         r"((?:19|20)\d\d)\b")


def earlier_year(parsed: Parsed, q: Quantity) -> int | None:
    """Return the year stated right after an earlier level ("up from 1.9% in 2009"), or None."""
    m = _YEAR_AFTER.match(parsed.tokens, q.end)
    return int(m.group(1)) if m and m.end() - q.end <= 24 else None


def earlier_years(parsed: Parsed) -> set[int]:
    """Return the years the sentence states for its earlier levels (each asked once)."""
    key = ("earlier_years",)
    found = parsed.memo.get(key)
    if found is None:
        found = parsed.memo[key] = frozenset(
            y for p in parsed.quantities if p.kind != "bare" and role_of(parsed, p) == "earlier"
            for y in (earlier_year(parsed, p),) if y is not None)
    return set(found)  # type: ignore[call-overload]


def paired_level(parsed: Parsed, q: Quantity) -> Quantity | None:
    """Return the other end of a change from an earlier level ``q``, or the earlier level of ``q``.

    "fell from X to Y": X <-> Y (the next number, after "to"); "Y, up from X": X <-> Y (the
    number before "up from"). None when ``q`` is neither.
    """
    qs = parsed.quantities
    i = _index(parsed, q)
    if i is None:
        return None
    role = role_of(parsed, q)
    if role == "earlier":
        nxt = qs[i + 1] if i + 1 < len(qs) else None
        if nxt is not None and nxt.kind == q.kind and _TO_NEXT.fullmatch(parsed.tokens, q.end,
                                                                          nxt.start):
            return nxt
        prev = qs[i - 1] if i else None
        if prev is not None and prev.kind == q.kind and _UP_FROM.fullmatch(
                parsed.tokens, prev.end, q.start):
            return prev
        return None
    for k in (i - 1, i + 1):
        if 0 <= k < len(qs) and role_of(parsed, qs[k]) == "earlier" and paired_level(
                parsed, qs[k]) is q:
            return qs[k]
    return None


_YEAR_SPAN = re.compile(r"\b(?:between|from)\s+((?:19|20)\d\d)\s*(?:and|to|-|–)\s*"
                        r"((?:19|20)\d\d)\b", re.I)


def _year_span(parsed: Parsed) -> tuple[int, int] | None:
    """Return the span "between 2021 and 2023" when it states the sentence's only years.

    A year in brackets (a citation, "(Ibadoghlu, 2024)") is not one of the sentence's.
    """
    key = ("year_span",)
    if key not in parsed.memo:
        tokens = parsed.tokens
        m = _YEAR_SPAN.search(tokens)
        span = (int(m.group(1)), int(m.group(2))) if m else None
        others = {y for y, at in parsed.years
                  if tokens.count("(", 0, at) <= tokens.count(")", 0, at)}
        if span is not None and (span[0] >= span[1] or others - set(span)):
            span = None
        parsed.memo[key] = span
    return parsed.memo[key]  # type: ignore[return-value]


# between an earlier level and the level it changed to: "from X to just Y", "Y, up from X"
_TO_NEXT = re.compile(r"\s*(?:(?:in|for)\s+(?:[A-Z][a-z]+\s+)?(?:19|20)\d\d\s*)?,?\s*to\s+"
                      + _QUAL, re.I)
_UP_FROM = re.compile(r"[^,;]{0,40}?,?\s*(?:up|down|rising|falling|increasing|decreasing|"
                      r"growing|dropping|declining)\s+from\s+" + _QUAL, re.I)


def period_of(q: Quantity, parsed: Parsed, n_claims: int,
              reading: Reading) -> tuple[list[int] | None, str, str | None]:
    """Return the years, how they were decided and the partial period of a level.

    Beside a change, each end has its own period. An earlier level takes the year stated
    right after it ("up from 1.9% in 2009"), else the period before the level it changed to
    ("In 2021 exports rose from $0.6 billion to ...": 2020; the same months of the year
    before for a partial period). A year that only dates the earlier level is not the other
    end's: "accounting for 2.7% of GDP, up from 1.9% in 2009" (published in 2019) is the level
    now: the last full year before the text, 2018.
    When neither end states a period, a change "from X to Y" is of the period the text
    stated last (an article states it once: "in the first five months of 2025. ... Transfers
    from South Korea fell from USD 28.2 million to just USD 1 million").
    """
    partial = partial_period(parsed.tokens) or parsed.ctx_period
    role = role_of(parsed, q) if q.kind != "bare" else ""
    span = _year_span(parsed) if q.kind != "bare" else None
    if role == "earlier":
        year = earlier_year(parsed, q)
        if year is not None:
            return [year], f"stated next to the earlier level: {year}", partial
        later = paired_level(parsed, q)
        if later is not None and span is not None:
            # "Between 2021 and 2023, ... from $3 billion to $4.4 billion": the span's ends
            return [span[0]], f"the first year of the span stated ({span[0]}-{span[1]})", \
                partial
        years, how, partial = ((None, "", partial) if later is None
                               else period_of(later, parsed, n_claims, reading))
        if later is None or not years or len(years) != 1:
            raise SkipError(f"'{q.text}' is the level before a change, and the period it is "
                            f"of is not stated")
        before = years[0] - 1
        what = f"the same period of {before}" if partial else str(before)
        return [before], f"the level before the change to {later.text} ({how}): {what}", partial
    if span is not None and role != "change" and paired_level(parsed, q) is not None:
        return [span[1]], f"the last year of the span stated ({span[0]}-{span[1]})", partial
    years, how = years_for(q, parsed, n_claims, reading)
    earlier = earlier_years(parsed)
    if years and earlier and set(years) <= earlier:
        # "2.7% of GDP, up from 1.9% in 2009" (published in 2019): the level now, set against
        # a dated past one, is the latest the writer could know: the last full year before
        # the text
        latest = reading.published - 1
        if latest <= max(earlier):
            return None, (f"the sentence's year ({', '.join(map(str, sorted(earlier)))}) "
                          f"dates the earlier level only: no period stated for this one"), partial
        return [latest], (f"the level now, against the earlier level of "
                          f"{', '.join(map(str, sorted(earlier)))}: the last full year before "
                          f"the text ({latest})"), partial
    if years is None and paired_level(parsed, q) is not None:
        if not reading.years:
            raise SkipError(f"'{q.text}' is the level after a change, and no period is stated "
                            f"for it or before it")
        years = list(reading.years)
        partial = partial or reading.period
        how = (f"a change from one level to another, of the period stated before: "
               f"{', '.join(map(str, years))}")
    return years, how, partial
