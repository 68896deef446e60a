"""A part of the turnover of the sentence before, and "the year" of a partial period.

AzerNews 2021-12-29 (corpus, split fresh2): "The trade turnover between Azerbaijan and Turkey
... amounted to $4.1 billion ... Of the total turnover, exports amounted to 2.5 billion, while
imports to $1.6 billion." The exports are the first country's (or the case target's) exports
to the other; their period is that of the turnover. Each test fails on main 1dd00be.
"""

from __future__ import annotations

from .helpers import claims_of


def _claims(text: str, target: str = "AZE", published: int = 2021) -> list[tuple[object, ...]]:
    return claims_of(text, ("metric", "claimed", "country", "partner", "years",
                            "partial_period", "verdict"), target=target, published=published)


def test_exports_and_imports_of_the_total_turnover_named_before() -> None:
    """Real sentences: the exports are Azerbaijan's to Turkey, the imports from Turkey (was:
    "trade, but the direction or the partner of the flow is unclear")."""
    got = _claims("The trade turnover between Azerbaijan and Turkey has increased by $279.9 "
                  "million and amounted to $4.1 billion over the said period.\n\n"
                  "Of the total turnover, exports amounted to 2.5 billion, while imports to "
                  "$1.6 billion.")
    assert [g[:4] for g in got[1:]] == [("exports_to_sender", 2.5e9, "AZE", "TUR"),
                                        ("imports_from_sender", 1.6e9, "AZE", "TUR")]


def test_a_part_of_a_turnover_in_other_words_takes_its_year_and_pair() -> None:
    """Another wording and pair: "Russia's trade turnover with Georgia" and "of this turnover"; the
    target is the reporter though named second; the year is carried with the whole."""
    got = _claims("In 2019 Russia's trade turnover with Georgia reached $1.3 billion.\n\n"
                  "Of this turnover, imports came to $900 million.", target="GEO")
    # Georgia's imports from Russia: the case's own pair (country and partner left None)
    assert [g[:5] for g in got[1:]] == [("imports_from_sender", 9e8, None, None, [2019])]


def test_the_year_of_a_partial_period_is_the_publication_year() -> None:
    """Real sentence (AzerNews 2021): "during the first 11 months of the year ... compared to
    the same period last year" is Jan-Nov 2021, not 2020 (was: unverifiable for 2020); the
    exports of the next sentence take Jan-Nov 2021 too (was: the full year 2021, roughly
    right). Accurate against the store's Jan-Nov 2021 figures."""
    got = _claims("Moreover, during the first 11 months of the year, the trade turnover "
                  "between Azerbaijan and Russia amounted to $2.6 billion, which is an increase "
                  "by $238.5 million, compared to the same period last year.\n\n"
                  "Of the total turnover, exports amounted to $802.2 million, while imports to "
                  "$1.8 billion.")
    assert [(g[0], g[4], g[5], g[6]) for g in got] == [
        ("trade_turnover", [2021], "Jan-Nov", "accurate"),
        ("exports_to_sender", [2021], "Jan-Nov", "accurate"),
        ("imports_from_sender", [2021], "Jan-Nov", "accurate")]


def test_a_relative_year_that_is_the_base_of_a_comparison_is_not_the_claims() -> None:
    """Other wording: "in the first half of the year ... compared with the same period of last
    year" is H1 of the publication year; a plain "last year" still is the year before."""
    from geolever.claims.context import Reading
    from geolever.claims.extract import parse_sentence
    from geolever.claims.periods import stated_years

    reading = Reading(None, 2023, 2021, 2023)  # type: ignore[arg-type]  # years need no case
    first = parse_sentence("In the first half of the year, exports to Russia rose to $1.1 "
                           "billion, compared with the same period of last year.")
    assert stated_years(first, reading) == [2021]
    plain = parse_sentence("Last year exports to Russia were $1.1 billion.")
    assert stated_years(plain, reading) == [2020]
