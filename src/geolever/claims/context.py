"""What a text has said so far: year, countries, asset, topic and product carry over.

Articles rarely repeat everything in each sentence: "Trade reached $4.4bn in 2023. Exports to
Russia were $657m in the period." or "Remittances from Russia fell. This figure was $450m for
2020." A :class:`Reading` holds the check's fixed settings (case, reference and publication
year) and the last stated context; :meth:`Reading.resolve` fills what a sentence leaves to
its predecessors when the sentence says so ("in the same year", "these funds", "its
exports", "the pipeline"), and :meth:`Reading.remember` updates the context afterwards.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from geolever.claims.extract import Parsed, topics_of
from geolever.claims.months import partial_period
from geolever.claims.vocabulary import find, people_abroad
from geolever.world import Case

# Topics that name what a number is about (others, like "change" or "total", qualify it).
SUBJECT_TOPICS = frozenset({"remittances", "budget", "gdp", "turnover", "exports", "imports",
                            "oil", "transit"})


# Where money comes from: "from Russia", "in Russia", not "from Azerbaijani migrants".
_ORIGIN = re.compile(r"(?<!gdp )(?<!GDP )(?<!economy )(?<!budget )\b(?:from|in)\s+"
                     r"(?:\S+\s+){0,2}?⟦([A-Z]{3})⟧(?!'s)(?!\s+" + people_abroad() + ")")
# "dependence on Russian remittances": the demonym before the money names its origin too
_ORIGIN_ADJ = re.compile(r"⟦([A-Z]{3})⟧\s+(?:personal\s+)?(?:remittances|money\s+transfers)\b",
                         re.I)
# money from a group of countries: "the share of EU remittances", "transfers from the Gulf"
# (not the one country an earlier sentence named)
_BLOC_ORIGIN = re.compile(r"\b(?:EU|E\.U\.|European(?:\s+Union)?|Gulf|GCC|CIS|Western|Arab)\s+"
                          r"(?:remittances|money\s+transfers|transfers|inflows)\b|\bfrom\s+"
                          r"(?:the\s+)?(?:EU|European\s+Union|Gulf|GCC|CIS|Middle\s+East|West)\b")
# a share "of GDP" or "of the budget" names its whole, not what the sentence is about
_OF_WHOLE = re.compile(r"\bof\s+(?:\S+\s+){0,2}?(?:gdp|gross domestic product|(?:state\s+)?"
                       r"budget)\b", re.I)


# The receiver's view of remittances: its inflows or receipts, or a country that recorded or
# received them ("Kyrgyzstan recorded ... remittance inflows", "remittance receipts in
# Tajikistan"). With no sender named they are the receiver's total, from all senders.
RECEIVING = re.compile(r"\b(?:inflows?|receipts?)\b|\breceived\s+(?:\w+\s+){0,2}?(?:by|in)\s+"
                       r"(?:the\s+)?⟦|⟦[A-Z]{3}⟧\s+(?:\w+\s+){0,2}?(?:recorded|"
                       r"registered|attracted|saw|posted|logged|received|receives|got|gets)\b",
                       re.I)
_OUTFLOWS = re.compile(r"\boutflows?\b|\boutgoing\b", re.I)


def receiving(tokens: str) -> bool:
    """Whether a sentence speaks of remittances from the receiver's side (not outflows)."""
    return bool(RECEIVING.search(tokens)) and not _OUTFLOWS.search(tokens)


# "during the same period of 2019", "in the reporting period of 2020": months said before
_SAME_PERIOD_OF = re.compile(r"\b(?:the\s+)?(?:same|reporting)\s+period\s+(?:of|in|last)\s+"
                             r"(?:year|(?:19|20)\d\d)\b", re.I)
# a part of the figure of the sentence before: "Of the total turnover, exports ..."
# "its"/"their" after a country named in the same sentence: that country's ("India has been
# consistent in its remittance growth"), not the earlier sentence's sender
_OWN_POSSESSIVE = re.compile(r"⟦[A-Z0-9]{3,4}⟧[^.;⟦]*?\b(?:its|their)\b", re.I)
_PART_OF = re.compile(r"\b(?:of|in)\s+(?:the|this|that)\s+(?:total\s+)?(?:trade\s+)?"
                      r"turnover\b|\bof\s+(?:this|that)\s+(?:amount|figure|total|sum)\b", re.I)


@dataclass
class Reading:
    """Settings of one text check and the context carried from sentence to sentence."""

    case: Case
    ref_year: int
    published: int
    model_year: int
    assessment: Any = None
    years: list[int] | None = None
    countries: list[str] = field(default_factory=list)
    assets: list[str] = field(default_factory=list)
    topics: set[str] = field(default_factory=set)
    product: str | None = None
    lever: tuple[str, dict[str, Any]] | None = None
    source: str | None = None  # where the money discussed comes from ("live in Russia")
    flow_text: str = ""  # the last sentence that named a trade flow's countries
    forecast: bool = False  # the last sentence was a forecast or plan
    ranking: tuple[str, str] | None = None  # (whose partners, flow) of the last ranking
    ranked_now: bool = False  # this sentence ranked a partner (the ranking carries on)
    period: str | None = None  # the partial period of the last sentence that stated a year
    period_years: list[int] | None = None  # the years stated with the last partial period
    dated: bool = False  # the publication year was given (not the reference year by default)
    latest_stated: int = 0  # the latest year the text stated so far
    # the remittances discussed are the receiver's total (its inflows, no sender named): a
    # later "remittances totaled $299m" with no sender continues them
    all_senders: bool = False
    asset_before: bool = False  # the sentence just before named an asset

    @property
    def latest_year(self) -> int:
        """The latest year a claim with no period stated can be about.

        "Remittances make up 7% of GDP", "Russia is Azerbaijan's largest partner": the last
        full year before the text was published (the writer could not know the publication
        year's total), and never after the reference year.
        """
        if not self.dated or self.latest_stated >= self.published:
            # the text already gave figures for the publication year: its writer had them
            return self.ref_year
        return min(self.ref_year, self.published - 1)

    def resolve(self, parsed: Parsed) -> list[str]:
        """Fill ``parsed``'s context fields from earlier sentences; return what was carried."""
        notes: list[str] = []
        text = parsed.tokens
        topics = topics_of(text)
        parsed.own_topics = topics
        same = None if parsed.years else find("context.same_period", text)
        if same and self.period and self.period_years is not None:
            # "over the cited period", after "over the July-October period": those months,
            # of the years stated with them (none: not a later sentence's "since 2005")
            parsed.ctx_period = self.period
            parsed.ctx_years = list(self.period_years)
            notes.append(f"period carried over from an earlier sentence ({self.period})")
        elif not parsed.years and self.years and find("context.same_period", text):
            parsed.ctx_years = list(self.years)
            notes.append(f"year carried over from an earlier sentence ({self.years[-1]})")
        if not parsed.years and self.period and parsed.ctx_period is None and \
                find("context.same_period", text):
            # "over the cited period", after "over the July-October period": those months
            parsed.ctx_period = self.period
            notes.append(f"period carried over from an earlier sentence ({self.period})")
        if parsed.years and self.period and parsed.ctx_period is None and \
                _SAME_PERIOD_OF.search(text):
            # "574,170 tons during the same period of 2019", after "January-September 2020":
            # those months, of the year stated here
            parsed.ctx_period = self.period
            notes.append(f"period carried over from an earlier sentence ({self.period})")
        if not parsed.years and self.years and _PART_OF.search(text):
            # "Of the total turnover, exports amounted to ...": the period of that turnover
            parsed.ctx_years = list(self.years)
            parsed.ctx_period = self.period
            notes.append(f"year carried over with the whole it is part of ({self.years[-1]}"
                         f"{', ' + self.period if self.period else ''})")
        anaphor = find("context.anaphora", text)
        subject = topics & SUBJECT_TOPICS
        if _OF_WHOLE.search(text):
            subject -= {"gdp", "budget"}  # "The figure was ... almost half of GDP"
        if anaphor and not subject and self.topics:
            # what the earlier sentence was about, not how it qualified it ("a drop in")
            parsed.ctx_topics = self.topics & (SUBJECT_TOPICS | {"total_word"})
            notes.append(f"'{anaphor.group(0)}' read as the earlier topic "
                         f"({', '.join(sorted(self.topics & SUBJECT_TOPICS))})")
        # "... via the Baku-Novorossiysk pipeline. In 2021 transit volumes totalled 1.1 Mt":
        # the transit right after the asset, no other place named, is the asset's
        if (not parsed.assets and len(self.assets) == 1 and (
                find("context.asset_anaphora", text) or parsed.ctx_topics or (
                    self.asset_before and "transit" in topics and not parsed.countries))) or (
                len(self.assets) == 1 and self.assets[0] not in parsed.assets
                and _points_back(text)):
            parsed.ctx_assets = list(self.assets)
            notes.append(f"the asset carried over ({self.assets[0]})")
        if anaphor and not parsed.countries:
            parsed.ctx_flow_text = self.flow_text
            parsed.ctx_forecast = self.forecast and not parsed.years
        if not parsed.countries and self.countries and (anaphor or parsed.ctx_years):
            parsed.ctx_countries = list(self.countries)
        new_countries = set(parsed.countries) - set(self.countries) - {
            self.source, self.case.target, self.case.sender}
        if anaphor and self.source and "remittances" in (topics | parsed.ctx_topics) and \
                not re.search(r"\bfrom\s+(?:\S+\s+){0,2}?⟦", text) and not new_countries and \
                not (anaphor.group(0).lower() in ("its", "their") and _OWN_POSSESSIVE.search(
                    text, 0, anaphor.end())) and not _BLOC_ORIGIN.search(text):
            # not to other receivers: "Remittances were even more important in Tajikistan
            # and Moldova, where they accounted for ..." says nothing of where they came from
            parsed.ctx_source = self.source
            notes.append(f"the money's origin carried over ({self.source})")
        # "Georgia's total trade was $21.7bn. Exports were $6.1bn ...": still the total
        if not parsed.countries and "total_word" in self.topics and len(self.countries) == 1 \
                and topics & {"exports", "imports"}:
            parsed.ctx_topics |= {"total_word"}
            parsed.ctx_countries = list(self.countries)
            notes.append(f"read as {self.countries[0]}'s totals, as the sentence before")
        return notes

    def remember(self, parsed: Parsed, years: list[int] | None, product: str | None) -> None:
        """Update the context with what ``parsed`` stated."""
        if not self.ranked_now:
            self.ranking = None  # "China came in second" continues only the sentence before
        self.ranked_now = False
        own_period = partial_period(parsed.tokens)
        if years:
            self.years = years
            # "January-September 2020" in a text of 2020: part of the year, so the writer
            # did not have its total; the latest full year is still the one before
            # nor is a plan for it ("will transport 585,000 tons by the end of 2020")
            full = years if not (own_period or parsed.ctx_period or find(
                "modality", parsed.tokens)) else [y for y in years if y < self.published]
            self.latest_stated = max(self.latest_stated, *full, 0)
        if own_period:
            self.period = own_period  # the months a sentence states, with or without a year
            self.period_years = list(years or [])
        elif years:
            self.period_years = None  # a later year: the months stated before are not its
        if parsed.countries:
            self.countries = parsed.countries
        if parsed.assets:
            self.assets = parsed.assets
        self.asset_before = bool(parsed.assets)
        own = parsed.own_topics & SUBJECT_TOPICS
        if own:
            self.topics = set(parsed.own_topics)
        if product:
            self.product = product
        if len(parsed.countries) >= 2 and topics_of(parsed.tokens) & {"exports", "imports",
                                                                        "turnover"}:
            # a turnover between two countries too: "Of the total turnover, exports ..."
            self.flow_text = parsed.tokens
        self.forecast = bool(find("modality", parsed.tokens)) and bool(
            parsed.quantities)
        m = _ORIGIN.search(parsed.tokens) or _ORIGIN_ADJ.search(parsed.tokens)
        if m and m.group(1) != self.case.target:
            self.source = m.group(1)
        if "remittances" in own:
            # a sender named (or carried) ends the receiver's total; its inflows start it
            origin = (m is not None and m.group(1) != self.case.target) or parsed.ctx_source
            self.all_senders = not origin and (self.all_senders or receiving(parsed.tokens) or
                                                "abroad_home" in parsed.own_topics)
        elif own:
            self.all_senders = False  # the text moved on to another subject


def _points_back(tokens: str) -> bool:
    """Whether "this pipeline" comes before the first asset a sentence names.

    "No oil was transported via this pipeline in January, as all volumes went via the BTC
    pipeline": "this pipeline" is the asset of the sentence before, not BTC named later.
    """
    m = find("context.asset_anaphora", tokens)
    return m is not None and _DEMONSTRATIVE.match(m.group(0)) is not None and \
        "⟦@" in tokens and m.start() < tokens.index("⟦@")


_DEMONSTRATIVE = re.compile(r"(?:this|that)\s", re.I)
