"""Whose figure a number is: the migrants' host country, back-references, other subjects.

On the code before: "from Ukrainians working in Poland" made Ukraine (the migrants) the
origin of the money, so the amount fell back on the receiver's total from all senders.
"""

from __future__ import annotations

from claims.helpers import claims_of

FIELDS = ("metric", "claimed", "country", "partner", "years")


def test_money_from_migrants_working_abroad_comes_from_where_they_work() -> None:
    got = claims_of("Almost a third of the remittances, $3.8 billion, came from Ukrainians "
                    "working in Poland.", FIELDS, target="UKR", sender="POL", published=2020)
    assert got == [("remittances_sender_share", 33.33, None, None, None),
                   ("remittances", 3.8e9, None, None, None)]
    got = claims_of("Remittances of $1.2 billion came from Moldovans living in Italy in 2019.",
                    FIELDS, target="MDA", sender="ITA", published=2020)
    assert got == [("remittances", 1.2e9, None, None, [2019])]
    # the host country is not the case's sender: the claim is about that pair
    got = claims_of("Money transfers from Kyrgyz citizens employed in Kazakhstan reached $300 "
                    "million in 2019.", FIELDS, target="KGZ", sender="RUS", published=2020)
    assert got == [("remittances", 3e8, "KGZ", "KAZ", [2019])]


def test_a_rank_of_where_people_go_is_not_a_trade_rank() -> None:
    for text, target, sender in (
            ("Poland has become a leading destination for Ukrainians in recent years.", "UKR",
             "POL"),
            ("Turkey is the top destination for Russian tourists.", "RUS", "TUR"),
            ("Russia remains the main destination for Tajik migrants.", "TJK", "RUS"),
            ("Italy is the second-largest destination for Moldovan workers.", "MDA", "ITA")):
        assert claims_of(text, FIELDS, target=target, sender=sender, published=2020) == [], text
    # the goods of the same people are still trade: a rank among the buyers
    got = claims_of("Poland is the largest market for Ukrainian goods.", ("metric", "claimed"),
                    target="UKR", sender="POL", published=2020)
    assert got == [("partner_rank", 1.0)]


def test_the_country_a_phrase_points_back_to_sent_the_money() -> None:
    text = ("Saudi Arabia is followed by the United Arab Emirates as Bangladeshi wage earners "
            "in this Gulf country sent $898.93 million in remittances in 2015.")
    got = claims_of(text, FIELDS, target="BGD", sender="SAU", published=2016)
    assert got == [("remittances", 898.93e6, "BGD", "ARE", [2015])]
    text = ("The USA tops the list of senders outside the Gulf, as Bangladesh received $859.78 "
            "million in remittances from the country in 2015.")
    got = claims_of(text, FIELDS, target="BGD", sender="SAU", published=2016)
    assert got == [("remittances", 859.78e6, "BGD", "USA", [2015])]
    # a plural demonym names the people: "Bangladeshis in the East Asian country"
    text = ("Remittances from Malaysia came second in 2015 as Bangladeshis in the East Asian "
            "country sent $438 million in remittances.")
    got = claims_of(text, FIELDS, target="BGD", sender="MYS", published=2016)
    assert got == [("remittances", 438e6, None, None, [2015])]
    text = ("Kazakhstan came second: Kyrgyz migrants in the Central Asian country sent home "
            "$350 million in remittances in 2019.")
    got = claims_of(text, FIELDS, target="KGZ", sender="RUS", published=2020)
    assert got == [("remittances", 350e6, "KGZ", "KAZ", [2019])]
    # "the country" in a sentence that names only the target is the target itself
    got = claims_of("In 2015 the country received $15.3 billion in remittances from abroad.",
                    FIELDS, target="BGD", sender="SAU", published=2016)
    assert got == [("remittances_total", 15.3e9, None, None, [2015])]
