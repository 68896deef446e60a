"""Money sent home from abroad, a total with its sender's part, and money in context (claims4).

Each positive case was refused on the code before ("remittances, but from where is not
stated", "no claim metric matches"), or read the migrants' nationality as the sender.
"""

from __future__ import annotations

from claims.helpers import claims_of

FIELDS = ("metric", "claimed", "country", "partner")


def test_money_sent_to_the_homeland_is_from_all_countries() -> None:
    got = claims_of("The official remittances of Uzbek citizens to their homeland in 2018 "
                    "amounted to about $5 billion, the minister said.", FIELDS, target="UZB",
                    published=2019)
    assert got == [("remittances_total", 5e9, None, None)]
    # a day of the month beside the amount is not a second amount
    got = claims_of("Kyrgyz migrants working abroad have transferred more than $700 million to "
                    "their homeland since early 2018, the bank said in a message June 18.",
                    FIELDS, target="KGZ", published=2018)
    assert got == [("remittances_total", 700e6, None, None)]


def test_a_total_and_its_part_from_the_sender_in_one_sentence() -> None:
    got = claims_of("Over the past year, Kyrgyz migrant workers transferred about $2.4 billion "
                    "to their homeland, $2.2 billion of which were sent from Russia.", FIELDS,
                    target="KGZ", published=2018)
    assert got == [("remittances_total", 2.4e9, None, None),  # not "from Kyrgyzstan"
                   ("remittances", 2.2e9, None, None)]


def test_funds_and_a_received_amount_continue_the_remittances_before() -> None:
    text = ("Kyrgyz migrants working abroad have transferred more than $700 million to their "
            "homeland since early 2018.\n\nThe National Bank of Kyrgyzstan noted that about 95 "
            "percent of the total value of funds comes from Kyrgyz migrants working in Russia.")
    got = claims_of(text, FIELDS, target="KGZ", published=2018)
    assert got[1] == ("remittances_sender_share", 95.0, None, None)
    text = ("At the end of 2018, Uzbekistan became the leader among the CIS countries in terms "
            "of the volume of money transfers from Russia.\n\nOver the year Uzbekistan received "
            "$4.082 billion.")
    got = claims_of(text, FIELDS, target="UZB", published=2019)
    assert got == [("remittances", 4.082e9, None, None)]


def test_a_limit_and_a_difference_are_not_flows() -> None:
    text = ("Money transfers from Russia to Azerbaijan fell.\n\nRussia has already set a limit "
            "for individuals to make transfers abroad up to $5,000 per month per person.\n\n"
            "Thus, remittances from Russia to Azerbaijan exceeded transfers to Russia by $257.65 "
            "million.")
    assert claims_of(text, FIELDS, target="AZE", published=2024) == []
