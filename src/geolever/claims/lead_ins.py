"""List items read with the lead-in that introduces them.

Articles often list figures under a sentence ending in a colon:

    In 2022, Georgia received the most remittances from the following countries:
    Russian Federation - $2.068 billion;
    Italy - $431.6 million;

or, by year, under "Money transfers from Russia:" the lines "2018 - US $451 million". An item
alone names no topic ("Italy - $431.6 million"); read with its lead-in it is a whole claim:
the item's name stands in for the lead-in's placeholder ("the following countries", the
vocabulary's ``context.list_placeholders``), and a year item with no placeholder dates the
lead-in ("Money transfers from Russia in 2018: US $451 million"). A country item under a
lead-in with no placeholder is left alone: its role (sender or receiver) is not said.
"""

from __future__ import annotations

import re

from geolever.claims.vocabulary import find

__all__ = ["is_lead_in", "with_lead_in"]

# "Italy - $431.6 million;", "2018 -US $451 million", "- USA: $327 million": a name or a year,
# a dash or a colon, and a short figure with a digit (no clause of its own)
_ITEM = re.compile(
    r"^\s*(?:[-*\u2022\u00b7]\s+)?(?P<head>(?:19|20)\d\d|[A-Z][\w.'\u2019-]*(?:\s+[A-Z][\w.'\u2019-]*)"
    r"{0,3})\s*(?:[-\u2013\u2014:]|\u2013|\u2014)\s*(?P<figure>[^\s;,.][^;]{0,50}?)\s*[;,.]?\s*$")
_YEAR = re.compile(r"(?:19|20)\d\d")
_VERB = re.compile(r"\b(?:is|are|was|were|has|have|had|amounted|reached|rose|fell|grew)\b",
                   re.I)


def is_lead_in(sentence: str) -> bool:
    """Whether ``sentence`` introduces a list (it ends with a colon)."""
    return sentence.rstrip().endswith(":")


def with_lead_in(lead_in: str, item: str) -> str | None:
    """Return ``item`` read as a sentence with its lead-in, or None when it is no list item.

    Parameters
    ----------
    lead_in
        The sentence before the list, its colon included.
    item
        One list line: a name or a year, a dash or colon, a figure.
    """
    m = _ITEM.match(item)
    if m is None or not re.search(r"\d", m.group("figure")) or _VERB.search(m.group("figure")):
        return None
    head, figure = m.group("head"), m.group("figure").strip()
    lead = lead_in.rstrip().rstrip(":").rstrip()
    is_year = bool(_YEAR.fullmatch(head))
    slot = find("context.list_placeholders", lead)
    if slot is not None:
        said = f"in {head}" if is_year else head
        if slot.group(0).lower().startswith("by "):
            said = f"in {head}" if is_year else f"from {head}"
        return f"{lead[: slot.start()]}{said}{lead[slot.end():]}: {figure}"
    if is_year and not _YEAR.search(lead):
        return f"{lead} in {head}: {figure}"
    return None
