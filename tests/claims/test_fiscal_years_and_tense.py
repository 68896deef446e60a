"""Fiscal years, a month in another clause, and tense (issue 13, pattern 10 of fresh6-8).

- A fiscal year ("2018-19", "FY19", "FY2019/20", "fiscal 2015-16", "the fiscal year ending in
  June") is not a calendar year: its figure is unverifiable against calendar-year data (the
  reason says so), and its months are not January's ("the first four months of the fiscal
  year").
- "2014-15": the "15" is the end of the span, not a number of its own.
- A month in another clause ("In March, ... while the annual total was ...") does not make an
  annual amount monthly, nor does the month a fiscal year ends in.
- "will be" about a year already past when the text was written is an estimate, not a
  forecast; a modal verb in a clause with its own subject (", and a conflict could ...") does
  not make the level before it a forecast.

Sentences written for these tests (other countries, numbers and orders than the corpus's).
Each test fails on main d9d00d9.
"""

from __future__ import annotations

import pytest

from claims.helpers import claims_of
from geolever.claims import check_text
from geolever.claims.extract import parse_sentence
from geolever.claims.months import fiscal_year, partial_period
from geolever.core.facts import Fact
from geolever.store import FactStore


@pytest.mark.parametrize(("text", "words", "years"), [
    ("Remittances reached $2.5 billion in fiscal year 2018-19.", "fiscal year 2018-19",
     (2018, 2019)),
    ("In FY19 inflows grew.", "FY19", (2019,)),
    ("Exports in FY2019/20 fell.", "FY2019/20", (2019, 2020)),
    ("In FY 2016-17 the total was $3bn.", "FY 2016-17", (2016, 2017)),
    ("In fiscal 2015-16 the total was $3bn.", "fiscal 2015-16", (2015, 2016)),
    ("In the fiscal (2014-15) ending in June, it received $3bn.", "fiscal 2014-15",
     (2014, 2015)),
    ("Imports in 2019/20 were $4bn.", "2019/20", (2019, 2020)),
    ("It rose in 1999-2000.", None, None),
    ("The budget year 2021 closed with $1bn.", "budget year 2021", (2021,)),
    ("The financial year saw a record.", "financial year", ()),
    ("Growth slowed last fiscal year.", "fiscal year", ()),
])
def test_a_fiscal_year_is_read_with_the_years_it_names(text: str, words: str | None,
                                                        years: tuple[int, ...] | None) -> None:
    found = fiscal_year(text)
    assert (found is None) if words is None else (found == (words, years))
    if words is not None:
        assert partial_period(text) == f"fiscal year ({words})"


@pytest.mark.parametrize("text", [
    "Between 2010-15 exports doubled.",  # six calendar years
    "In 2018-2019 exports doubled.",
    "It cost $3.5-4 billion.",
    "In 2019, 15-20% of GDP came from abroad.",
    "The fiscal deficit was 5% of GDP.",
    "Fiscal revenue from oil was $2bn.",
    "Remittances fell in January-May 2019.",
])
def test_not_a_fiscal_year(text: str) -> None:
    assert fiscal_year(text) is None


def test_the_months_of_a_fiscal_year_are_not_januarys() -> None:
    text = ("In the first four months (July to October) of the current fiscal year 2019-20, "
            "remittances were $5 billion.")
    period = partial_period(text)
    assert period is not None and period.startswith("part of a fiscal year")
    assert partial_period("In the first four months of 2019, remittances were $5bn.") == \
        "Jan-Apr"


@pytest.mark.parametrize("text", ["In 2014-15 Nepal received $6.6 billion.",
                                  "In FY2019/20 Nepal received $6.6 billion.",
                                  "During 2017/18, Nepal received $6.6 billion."])
def test_the_end_of_a_year_span_is_not_a_number(text: str) -> None:
    parsed = parse_sentence(text)
    assert [q.text for q in parsed.quantities] == ["$6.6 billion"]
    # a span not of consecutive years keeps its number ("2010-15" could be anything)
    assert [q.text for q in parse_sentence("In 2014-17 Nepal received $6.6 billion.")
            .quantities] == ["17", "$6.6 billion"]


def _store(by_year: dict[int, float] | None = None) -> FactStore:
    """Kyrgyzstan's remittances from all senders (``by_year``, default US$2.5bn a year in
    2017-2020) and GDP (US$10bn)."""
    store = FactStore(":memory:")
    facts = []
    for year, value in (by_year or dict.fromkeys((2017, 2018, 2019, 2020), 2.5e9)).items():
        facts += [Fact(indicator="gdp", country="KGZ", year=year, value=10e9, unit="USD",
                       source="test row"),
                  Fact(indicator="remittances_received", country="KGZ", partner="WLD",
                       year=year, value=value, unit="USD",
                       measure="wdi_personal_remittances", source="test row")]
    store.add_facts(facts, dataset="test")
    return store


def _results(text: str, published: int = 2021) -> list[tuple[str, str, str]]:
    doc = check_text(text, fmt="text", store=_store(), sender="RUS", target="KGZ",
                     published=published)
    return [(c.metric, c.result.verdict, c.result.explanation) for s in doc.sentences
            for c in s.claims if c.result is not None]


@pytest.mark.parametrize("text", [
    "Kyrgyzstan received $2.5 billion in remittances in fiscal year 2018-19.",
    "In FY2019 remittances to Kyrgyzstan totalled $2.5 billion.",
    "In the fiscal year ending in June 2019, Kyrgyzstan's remittance inflows were $2.5 "
    "billion.",
    "Remittances to Kyrgyzstan were worth 25% of GDP in 2018/19.",
    "Kyrgyzstan's remittance inflows stood at $2.5 billion in fiscal 2019-20.",
])
def test_a_fiscal_years_figure_is_unverifiable_against_calendar_years(text: str) -> None:
    got = _results(text)
    assert len(got) == 1
    metric, verdict, why = got[0]
    assert metric.startswith("remittances_total")
    assert verdict == "unverifiable"
    assert "is not a calendar year" in why
    # the same figure for a calendar year is judged
    calendar = _results(text.replace("fiscal year ending in June 2019", "year 2019")
                        .replace("fiscal year 2018-19", "2019").replace("FY2019", "2019")
                        .replace("2018/19", "2019").replace("fiscal 2019-20", "2019"))
    assert [v for _, v, _ in calendar] == ["accurate"]


def test_a_month_in_another_clause_does_not_make_an_annual_total_monthly() -> None:
    got = claims_of("In March, remittances to Kyrgyzstan fell sharply, while their annual total "
                    "for 2019 reached $2.4 billion.", ("metric", "claimed", "years"),
                    target="KGZ", published=2020)
    assert got == [("remittances_total", 2.4e9, [2019])]
    # a month the figure is for stays monthly: compared with March figures only
    assert claims_of("In March, remittances to Kyrgyzstan reached $240 million.",
                     ("metric", "partial_period", "verdict"), target="KGZ",
                     published=2020) == [("remittances_total", "March", "unverifiable")]


@pytest.mark.parametrize(("text", "years"), [
    ("The central bank estimates that remittances to Kyrgyzstan for last year will be about "
     "$2.4 billion, an increase of 9 per cent.", [2019]),
    ("The ministry says Kyrgyzstan's remittance inflows in 2019 will be close to $2.4 billion, "
     "once the last quarter is counted.", [2019]),
])
def test_will_about_a_past_year_is_not_a_forecast(text: str, years: list[int]) -> None:
    got = claims_of(text, ("metric", "claimed", "years"), target="KGZ", published=2020)
    assert got == [("remittances_total", 2.4e9, years)]


@pytest.mark.parametrize("text", [
    "Remittances to Kyrgyzstan will be about $2.8 billion next year, an increase of 9 per cent.",
    "Kyrgyzstan's remittance inflows in 2021 will be close to $2.8 billion, up 5 per cent.",
    "Remittances to Kyrgyzstan for last year will be about $2.4 billion, and in 2021 they "
    "will reach $2.8 billion.",
])
def test_will_about_this_or_a_later_year_stays_a_forecast(text: str) -> None:
    got = claims_of(text, ("metric", "claimed"), target="KGZ", published=2020)
    assert ("remittances_total", 2.8e9) not in got


@pytest.mark.parametrize("text", [
    "Remittances make up 25% of Kyrgyzstan's GDP, and a new crisis in Russia could cut them "
    "by half.",
    "Remittances make up 25% of Kyrgyzstan's GDP, so any slowdown may hurt households.",
])
def test_a_modal_in_a_clause_of_its_own_does_not_make_the_level_a_forecast(text: str) -> None:
    got = claims_of(text, ("metric", "claimed"), target="KGZ", published=2020)
    assert ("remittances_total_share_of_gdp", 25.0) in got
    # the modal of the level's own clause still makes it one
    assert claims_of("Remittances could make up 25% of Kyrgyzstan's GDP, and a new crisis "
                     "would cut them.", ("metric",), target="KGZ", published=2020) == []


@pytest.mark.parametrize("text", [
    "The bank estimates remittances to Kyrgyzstan will hit $2.8 billion, still below 2019's "
    "level.",
    "Remittances to Kyrgyzstan will reach $2.8 billion, up from $2.4 billion last year.",
    "Remittances to Kyrgyzstan will total $2.8 billion, more than in 2019.",
])
def test_will_measured_against_a_past_year_stays_a_forecast(text: str) -> None:
    got = claims_of(text, ("metric", "claimed"), target="KGZ", published=2020)
    assert ("remittances_total", 2.8e9) not in got


@pytest.mark.parametrize("text", [
    "Remittances make up 25% of Kyrgyzstan's GDP.",
    "Kyrgyzstan now receives about $2.5 billion in remittances.",
    "Today remittances are equivalent to a quarter of Kyrgyzstan's GDP.",
])
def test_a_claim_with_no_year_is_judged_on_the_last_full_year_before_the_text(
        text: str) -> None:
    """Published in 2021, with 2021's total already in the store: 2020 is the year judged."""
    store = _store({2019: 2.4e9, 2020: 2.5e9, 2021: 3.6e9})
    doc = check_text(text, fmt="text", store=store, sender="RUS", target="KGZ", published=2021)
    (claim,) = [c for s in doc.sentences for c in s.claims]
    assert claim.result is not None
    assert (claim.result.verdict, claim.result.year) == ("accurate", 2020)
    # a year stated is that year, the publication year too
    doc = check_text(text.rstrip(".") + " in 2021.", fmt="text", store=store, sender="RUS",
                     target="KGZ", published=2021)
    (claim,) = [c for s in doc.sentences for c in s.claims]
    assert claim.result is not None and claim.result.year == 2021


def test_an_undated_claim_after_figures_for_the_publication_year_is_of_that_year() -> None:
    """The text gave 2021's figures before: its writer had them (the year is not carried to
    the claim, but the publication year is no longer out of reach)."""
    store = _store({2019: 2.4e9, 2020: 2.5e9, 2021: 3.6e9})
    doc = check_text("Kyrgyzstan's GDP grew 3% in 2021.\n\nKyrgyzstan now receives about $3.6 "
                     "billion in remittances.", fmt="text", store=store, sender="RUS",
                     target="KGZ", published=2021)
    (claim,) = [c for s in doc.sentences for c in s.claims]
    assert claim.result is not None
    assert (claim.result.verdict, claim.result.year) == ("accurate", 2021)
