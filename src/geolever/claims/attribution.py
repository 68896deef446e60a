"""Attributed claims: "X believes / says / claims that P", "according to X, P", "P, X said".

The proposition P is what gets checked; the attribution (who holds it) is kept with each of
its claims. The verbs and frames are data (``claim_rules.yaml``, ``attribution``). A verb of
belief is not a modal: "officials believe that remittances make up about 7% of the budget"
is a statement about data, held by someone.
"""

from __future__ import annotations

import re
from functools import cache

from geolever.claims.vocabulary import find, rules

_WHEN = re.compile(r"\b(?:19|20)\d\d\b|\b(?:January|February|March|April|May|June|July|August|"
                   r"September|October|November|December)\s*(?:-|–|to|through)", re.I)
_WHO = r"(?P<who>[^.;:!?\"“”]{2,90}?)"
# a verb of saying written as part of a name: "the United States", "the Gulf States"
_NOUN_AFTER = re.compile(r"\s+(?:of|where|with|such as)\b", re.I)
_IMPERSONAL = re.compile(r"it\s+(?:should|must|can|may|is|was|has\s+been|had\s+been|will\s+be)\b"
                         r"(?:\s+\w+){0,2}$", re.I)
_ARTICLE_BEFORE = re.compile(r"\b(?:an?|the)\s+$", re.I)
_IN_A_NAME = re.compile(r"(?i:\bunited\s+|\bmember\s+)states$|\w\s+States$")
# "the figure was reported at $3.8 billion", "is estimated at": a passive verb with no
# holder and no "that": the whole sentence is the statement
_PASSIVE_BEFORE = re.compile(r"\b(?:was|were|is|are|been|be|being)\s+(?:\w+ly\s+)?$", re.I)
_THAT_AFTER = re.compile(r"\s+that\b", re.I)
# a clause of its own before the verb: "Remittances were even more important in fellow
# post-Soviet states the Kyrgyz Republic, ...": "states" is a noun, nobody holds a claim
_FINITE = re.compile(r"\b(?:was|were|is|are)\b", re.I)
# an amount or a share: part of the statement, never of the name of who holds it
_FIGURE = re.compile(r"\d\s*(?:%|percent\b|per\s+cent\b)|[$€£₽₼]\s?\d|\d\s*(?:billion|million|"
                     r"bn|mln)\b", re.I)


@cache
def _patterns() -> tuple[re.Pattern[str], ...]:
    verbs = "|".join(rules()["attribution"]["verbs"])
    return (
        # "Some experts believe (that) P", "The sender's officials believe that P"
        re.compile(rf"^{_WHO}\s+(?P<verb>{verbs})\s+(?:that\s+)?(?P<p>.{{8,}})$", re.I),
        # "According to X, P"
        re.compile(rf"^according\s+to\s+{_WHO},\s*(?P<p>.{{8,}})$", re.I),
        # "P, according to X." / "P, X said." / "P," X told Trend.
        re.compile(rf"^(?P<p>.{{8,}}?),?[\"”’']?\s+according\s+to\s+{_WHO}[.!]?$", re.I),
        re.compile(rf"^(?P<p>.{{8,}}?)(?:,[\"”’']?|[.!?]?[\"”’'])\s+{_WHO}\s+(?P<verb>{verbs})"
                   r"(?:\s+(?:on\s+\w+|\w+))?[.!]?[\"”’']?$", re.I),
    )


def split_attribution(sentence: str) -> tuple[str, str]:
    """Return (proposition, holder) of an attributed sentence, or (sentence, "")."""
    text = sentence.strip()
    if "according" not in text.lower() and not find("attribution.verbs", text):
        return sentence, ""  # each pattern needs "according to" or a verb of saying
    for rx in _patterns():
        m = rx.match(text)
        if m and "verb" in rx.groupindex and _ARTICLE_BEFORE.search(text, 0, m.start("verb")):
            continue  # "with an estimated USD 6.6 billion": an adjective, not a verb of saying
        if m and "verb" in rx.groupindex and _PASSIVE_BEFORE.search(
                text, 0, m.start("verb")) and not _THAT_AFTER.match(text, m.end("verb")):
            continue  # "the figure was reported at $3.8 billion": nobody is said to hold it
        if m and "verb" in rx.groupindex and (_IN_A_NAME.search(
                text[max(0, m.start("verb") - 12):m.end("verb")]) or _NOUN_AFTER.match(
                text, m.end("verb"))):
            # "Remittances from the United States were ...", "in the poorest states of
            # Mexico": a name or a plural noun, not a verb of saying
            continue
        if m and rx is _patterns()[0] and _FINITE.search(m.group("who")) and \
                not _IMPERSONAL.match(m.group("who").strip(" ,\"“”'")):
            continue
        if m and _FIGURE.search(m.group("who")):
            # "..., or 49 percent of GDP, she said": a figure is not who said it; the holder
            # is after the last comma before the verb
            cut = text.rfind(",", 0, m.start("verb")) if "verb" in rx.groupindex else -1
            who = text[cut + 1:m.start("verb")].strip(" ,\"“”'") if cut > 0 else ""
            if not who or _FIGURE.search(who) or len(who.split()) > 12:
                continue
            return text[:cut].strip(" ,\"“”'"), who
        if m and _IMPERSONAL.match(m.group("who").strip(" ,\"“”'")):
            # "It should be noted that SOCAR exported ...": the writer's own statement
            return m.group("p").strip(" ,\"“”'"), ""
        if m:
            who = m.group("who").strip(" ,\"“”'")
            prop = m.group("p").strip(" ,\"“”'")
            if len(who.split()) <= 12 and prop:
                if _WHEN.search(who):
                    # "According to the figures for January-November 2018, P": the holder
                    # also dates P, so P is read with it
                    return f"{prop} ({who})", who
                return prop, who
    return sentence, ""
