"""Clauses of a sentence: where one claim ends and the next begins.

A sentence is split at ";", at ", while / but / although", before an aside about a change
(", which is up 3%", ", up 5%"), between two verbs of trade ("bought ... and sold ..."), before
"and it plans ..." and before "(,) of which $X", after an opening whole ("Out of X tons,
..."), and before a verb phrase of its own after a report (", adding that ...", "and is
expected to ..."): a forecast's cue marks only the numbers of its clause. Each number is read
with its own clause.
"""

from __future__ import annotations

import bisect
import re
from functools import lru_cache


def clauses(tokens: str) -> list[tuple[int, str]]:
    """Split at ; and at ', while/whereas/but' so each clause can hold its own claim."""
    return list(_clauses(tokens))


@lru_cache(maxsize=64)
def _clauses(tokens: str) -> tuple[tuple[int, str], ...]:
    # a sentence's clauses are asked for once per number and year in it (the last few
    # sentences are remembered)
    out, start = [], 0
    whole = _OPENING_WHOLE.match(tokens)
    if whole is not None:
        # "Out of 278,900 tons transported in nine months, 79,760 tons were ...": the whole
        # the sentence opens with is a clause of its own, the part another
        out.append((0, tokens[:whole.start(1)]))
        start = whole.end(1)
    for m in _CLAUSE_BREAK.finditer(tokens, start):
        out.append((start, tokens[start: m.start()]))
        start = m.end()
    out.append((start, tokens[start:]))
    return tuple(out)


_CLAUSE_BREAK = re.compile(
    r";|,\s*(?:while|whereas|but|although|though)\s+|\s+(?:while|whereas)\s+|"
    r",\s*and\s+(?=\w+\s+(?:exceeded|amounted|reached|totall?ed|were|was)\b)|"
    # a relative clause or aside about a change: "$4.2bn, which is up 3%", "$1bn, up 5%"
    r",\s*(?=(?:which|that is|up|down|an? (?:increase|decrease|rise|drop|fall|decline|growth))"
    r"\b)|"
    # two verbs of trade in one sentence: "bought $2.1bn of goods and sold $0.9bn"
    r"\s+and\s+(?=(?:sold|bought|exported|imported|sent|received|purchased|supplied)\b)|"
    # "... in 2018 and it plans to ...", "..., as China accounts for 42% of ..."
    r"\s+and\s+(?=(?:it|they|he|she|we|the company)\s)|\s+as\s+(?=⟦)|"
    # a reason with its own subject: "..., as all volumes were transported via BTC"
    r",\s*as\s+(?=(?:all|it|they|its|their|most)\s)|"
    r",\s*(?=of which\b)|\s+(?=of which\s+(?:about\s+|around\s+|nearly\s+|almost\s+|some\s+|"
    r"over\s+)?(?:US)?\$\s?\d)|,\s*(?=[\d.]+\s*%\s+(?:less|more|lower|higher|up|down)\b)|"
    # a verb phrase of its own after a report: "..., adding that it will continue to fall",
    # "... and is expected to decrease by $800 million", "... and plans to export ..."
    r",\s*(?=(?:adding|saying|noting|stressing|warning|explaining|predicting|forecasting|"
    r"expecting)\b)|"
    r"\s+and\s+(?=(?:(?:is|are|was|were)\s+(?:\w+\s+)?(?:expected|projected|forecast|likely|"
    r"set|due|planned|estimated)\b|(?:will|would|could|may|might|should|plans?|aims?|"
    r"intends?|expects?)\b))|"
    # a conditional with its own subject: "..., and a conflict could disrupt these flows",
    # "..., but sanctions may cut it": the modal is that clause's, not the level's before it
    r",\s*(?:and|so|yet)\s+(?=(?:(?:a|an|the|this|that|these|those|its|their|such)\s+)?"
    r"(?:[\w⟦⟧'’-]+\s+){0,4}(?:could|would|might|may|will|can)\s)",
    re.I)


# a whole named first, with its figure, before the part: "Out of 278,900 tons ..., "
_OPENING_WHOLE = re.compile(r"\s*out\s+of\s+(?:the\s+|a\s+|some\s+|about\s+)?"
                            r"(?:total\s+(?:of\s+)?)?(?:US)?\$?\s?\d(?:[^,;]|,(?=\d))*?(,\s+)",
                            re.I)


def clause_of(tokens: str, pos: int) -> tuple[int, str]:
    """Return the clause holding position ``pos`` (with its start; its end counts).

    Clauses are apart (every break is at least one character), so the one that can hold
    ``pos`` is the last starting at or before it: found by bisection, not by a walk over
    every clause for every number of a long sentence.
    """
    found = _clauses(tokens)
    i = bisect.bisect_right(_starts(tokens), pos) - 1
    if i >= 0 and pos <= found[i][0] + len(found[i][1]):
        return found[i]
    return 0, tokens


@lru_cache(maxsize=64)
def _starts(tokens: str) -> tuple[int, ...]:
    return tuple(start for start, _ in _clauses(tokens))
