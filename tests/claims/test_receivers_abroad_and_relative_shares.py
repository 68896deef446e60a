"""Remittances with no sender named, read from the receiver's side (stop 29).

"remittances from the Moroccans living overseas reached US$6.8 billion", "overseas Pakistani
workers remitted $21.84 billion", "Nepal is leading the way with an estimated USD 6.6 billion
in remittances" are the receiver's totals; a share of GDP beside the amount ("$24 billion in
remittances, or 6.1% of GDP") made the amount unlinkable, and a relative clause ("which is
31.3 percent of its GDP") lost the topic of the figure it is about.
"""

from __future__ import annotations

from claims.helpers import claims_of

FIELDS = ("metric", "claimed")


def test_people_overseas_and_the_diaspora_send_the_receivers_total() -> None:
    for text in ("In 2016 remittances from Moroccans living overseas reached $6.8 billion.",
                 "In 2016 overseas Moroccan workers remitted $6.8 billion.",
                 "In 2016 the Moroccan diaspora sent home $6.8 billion."):
        assert claims_of(text, FIELDS, sender="FRA", target="MAR", published=2017) == [
            ("remittances_total", 6.8e9)], text


def test_a_country_with_an_amount_in_remittances_received_it() -> None:
    got = claims_of("In 2016 Nepal led the way with an estimated USD 6.6 billion in "
                    "remittances.", FIELDS, sender="IND", target="NPL", published=2018)
    assert got == [("remittances_total", 6.6e9)]


def test_a_share_of_gdp_beside_the_amount_and_in_a_relative_clause() -> None:
    got = claims_of("In 2018 Nigeria received $24 billion in remittances, or 6.1% of GDP.",
                    FIELDS, sender="USA", target="NGA", published=2019)
    assert got == [("remittances_total", 24e9), ("remittances_total_share_of_gdp", 6.1)]
    got = claims_of("In 2016 Nepal received USD 6.6 billion in remittances, which is 31.3 "
                    "percent of its GDP.", FIELDS, sender="IND", target="NPL", published=2018)
    assert got == [("remittances_total", 6.6e9), ("remittances_total_share_of_gdp", 31.3)]
    # a relative clause naming its own topic is read on its own
    got = claims_of("In 2016 Nepal received USD 6.6 billion in remittances, which is more than "
                    "its exports of $0.7 billion.", ("metric",), sender="IND", target="NPL",
                    published=2018)
    assert ("remittances_total",) in got


def test_a_demonym_before_remittances_names_the_origin_only_after_on_of_or_before_to() -> None:
    fields = ("metric", "country", "partner")
    got = claims_of("Mexican remittances in 2015 were $23 billion.", fields, sender="USA",
                    target="GTM", published=2016)
    assert got == [("remittances_total", "MEX", None)]
    got = claims_of("Russian remittances to Tajikistan were $2.5 billion in 2018.", fields,
                    sender="RUS", target="TJK", published=2019)
    assert got == [("remittances", None, None)]
    got = claims_of("Its dependence on Russian remittances is high: $2.5 billion in 2018.",
                    fields, sender="RUS", target="TJK", published=2019)
    assert got == [("remittances", None, None)]


def test_an_estimated_amount_is_no_attribution() -> None:
    from geolever.claims.attribution import split_attribution
    text = "In 2016 Nepal led the way with an estimated USD 6.6 billion in remittances."
    assert split_attribution(text) == (text, "")
