"""Transfers from people working abroad are remittances; a passive "was reported at" holds no one.

"Transfers from Tajiks working in Russia amounted to $3.6 billion": the money migrants send
home, although "transfers" alone may be arms or assets. "The figure was reported at $3.8
billion": a passive verb of saying with no holder and no "that" is not an attribution, so
"the figure" still points back to the sentence before.
"""

from __future__ import annotations

from geolever.claims import check_text
from geolever.claims.attribution import split_attribution
from geolever.store import FactStore


def _claims(text: str) -> list:
    result = check_text(text, fmt="text", store=FactStore(":memory:"), sender="RUS",
                        target="KGZ", published=2016)
    return [c for s in result.sentences for c in s.claims]


def test_transfers_from_people_working_abroad_are_remittances() -> None:
    for text in ("In 2015 transfers from Kyrgyz citizens working in Russia came to $1.7 "
                 "billion.",
                 "In 2015 transfers from guest workers in Russia came to $1.7 billion."):
        (claim,) = _claims(text)
        assert claim.metric == "remittances" and claim.years == [2015], text


def test_transfers_alone_are_not_remittances() -> None:
    assert not _claims("In 2015 transfers of military equipment from Russia came to $1.7 "
                       "billion.")


def test_a_passive_report_is_not_an_attribution() -> None:
    sentence = "Last year, the figure was reported at $1.7 billion."
    assert split_attribution(sentence) == (sentence, "")
    # with a holder and "that", it is one
    prop, who = split_attribution("The central bank reported that the figure was $1.7 billion.")
    assert (prop, who) == ("the figure was $1.7 billion.", "The central bank")


def test_the_figure_reported_points_back_to_the_sentence_before() -> None:
    claims = _claims("In 2015 transfers from Kyrgyz migrants in Russia came to $1.7 billion.\n\n"
                     "In 2014, the figure was reported at $2.1 billion, or 28 percent of GDP.")
    assert [(c.metric, c.years) for c in claims] == [
        ("remittances", [2015]), ("remittances", [2014]), ("remittances_share_of_gdp", [2014])]


def test_a_figure_is_never_part_of_who_said_it() -> None:
    prop, who = split_attribution("Transfers peaked in 2014 at $2.1 billion, or 28 percent of "
                                  "GDP, the central bank said.")
    assert (prop, who) == ("Transfers peaked in 2014 at $2.1 billion, or 28 percent of GDP",
                           "the central bank")
    claims = _claims("In 2014 transfers from Kyrgyz migrants in Russia came to $2.1 billion, or "
                     "28 percent of GDP, the central bank said.")
    assert [c.metric for c in claims] == ["remittances", "remittances_share_of_gdp"]
    assert {c.attribution for c in claims} == {"the central bank"}
