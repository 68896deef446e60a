"""List items read with the lead-in sentence that introduces them (geolever.claims.lead_ins)."""

from __future__ import annotations

from geolever.claims import check_text
from geolever.claims.lead_ins import with_lead_in
from geolever.store import FactStore


def _claims(text: str, fmt: str = "text") -> list[tuple[object, ...]]:
    result = check_text(text, fmt=fmt, store=FactStore(":memory:"), sender="RUS",  # type: ignore[arg-type]
                        target="AZE", published=2023)
    return [(s.text, c.metric, c.countries, c.years, c.result.verdict if c.result else None)
            for s in result.sentences for c in s.claims]


def test_country_items_stand_in_for_the_following_countries() -> None:
    claims = _claims("In 2021 Azerbaijan received the most money transfers from the following "
                     "countries:\n\nRussia – $620 million;\n\nTurkey – $95 million;")
    assert claims[0][1:] == ("remittances", ["AZE", "RUS"], [2021], "accurate")  # pack: $623m
    # another sender's money: the metric is the same, the pack has no figure for it
    assert claims[1][1:4] == ("remittances", ["AZE", "TUR"], [2021])
    assert claims[1][4] == "unverifiable"


def test_year_items_date_a_lead_in_with_no_year() -> None:
    claims = _claims("Money transfers from Russia to Azerbaijan:\n\n2021 - US $620 million\n\n"
                     "2020 - US $250 million")
    # the pack: $623m in 2021, $450m in 2020
    assert [(c[1], c[3], c[4]) for c in claims] == [("remittances", [2021], "accurate"),
                                                     ("remittances", [2020], "false")]


def test_markdown_list_items_under_a_lead_in() -> None:
    claims = _claims("Money transfers to Azerbaijan came from these countries in 2021:\n\n"
                     "- Russia: $600 million\n- Turkey: $95 million\n", fmt="md")
    assert claims[0][1:] == ("remittances", ["AZE", "RUS"], [2021], "accurate")


def test_a_sentence_between_ends_the_list() -> None:
    claims = _claims("Money transfers from Russia to Azerbaijan:\n\n2021 - US $620 million\n\n"
                     "The figures are preliminary.\n\n2020 - US $300 million")
    assert [c[3] for c in claims] == [[2021]]  # the last line is no item of that list


def test_what_is_not_a_list_item() -> None:
    lead = "Remittances came from the following countries:"
    assert with_lead_in(lead, "Russia – $620 million;") == (
        "Remittances came from Russia: $620 million")
    assert with_lead_in(lead, "Russia sent $620 million and Turkey $95 million.") is None
    assert with_lead_in(lead, "Russia – the main sender") is None  # no figure
    # a country item under a lead-in with no placeholder: sender or receiver is not said
    assert with_lead_in("Remittances in 2021:", "Russia – $620 million") is None
    assert with_lead_in("Remittances from Russia, by year:", "2021 – $620 million") == (
        "Remittances from Russia, in 2021: $620 million")


def test_states_as_a_noun_after_a_clause_is_no_attribution() -> None:
    from geolever.claims.attribution import split_attribution

    text = ("Remittances were larger still in the neighbouring states Kyrgyzstan and "
            "Tajikistan, where they made up 30% and 27% of GDP.")
    assert split_attribution(text) == (text, "")
    assert split_attribution("Some analysts believe that exports fell by half.") == (
        "exports fell by half.", "Some analysts")
