"""Vocabulary as data: capitals and demonyms of every country, "remitted", "sent home",
"no less than" (the vocabulary misses of blind sets 6-8, family 5).

Each test fails on the code before: capitals other than a handful, and most demonyms, were
not known ("Kathmandu's GDP" named no country, "Salvadoran emigrants" no receiver);
"remitted" was no remittance word; "no less than 25 per cent" was read as at most 25.
"""

from __future__ import annotations

import csv
from importlib import resources

from hypothesis import given, settings
from hypothesis import strategies as st

from claims.helpers import claims_of
from geolever.claims.extract import parse_sentence
from geolever.claims.numbers import find_quantities

FIELDS = ("metric", "claimed", "comparison", "country", "partner")


def _places() -> list[dict[str, str]]:
    text = resources.files("geolever.reference").joinpath("claim_places.csv").read_text("utf-8")
    return list(csv.DictReader(text.splitlines()))


def _hand_aliases() -> set[str]:
    out = set()
    for name, col in (("claim_aliases.csv", "alias"), ("claim_demonyms.csv", "demonym")):
        text = resources.files("geolever.reference").joinpath(name).read_text("utf-8")
        out |= {r[col] for r in csv.DictReader(text.splitlines())}
    return out


def test_the_places_file_has_a_capital_for_nearly_every_country() -> None:
    rows = _places()
    capitals = {r["code"] for r in rows if r["kind"] == "metonym"}
    assert len(capitals) >= 190
    assert {"NPL", "JPN", "CHN", "IND", "AZE", "TUR", "SLV", "EGY", "PAK"} <= capitals
    names = [r["alias"] for r in rows]
    assert len(names) == len(set(names))  # one country per name


def test_every_capital_and_demonym_of_the_file_names_its_country() -> None:
    hand = _hand_aliases()
    wrong = []
    for row in _places():
        if row["alias"] in hand:
            continue  # the hand-kept files' own entry wins (tested below)
        parsed = parse_sentence(f"Officials said that {row['alias']} would answer on Monday.")
        if [m.code for m in parsed.mentions] != [row["code"]]:
            wrong.append((row["alias"], row["code"], [m.code for m in parsed.mentions]))
    assert wrong == []


def test_a_name_in_the_hand_kept_files_wins_over_the_generated_one() -> None:
    # Brussels is Belgium's capital, but in these texts it is the EU (claim_aliases.csv)
    assert parse_sentence("Brussels has imposed tariffs.").mentions[0].code == "EU27"
    assert parse_sentence("Astana has signed the deal.").mentions[0].code == "KAZ"


def test_capitals_read_as_their_countries_in_claims() -> None:
    assert claims_of("Tokyo's exports to Beijing reached $150 billion in 2019.", FIELDS,
                     target="JPN", sender="CHN", published=2020) == [
        ("exports_to_sender", 150e9, "about", None, None)]
    assert claims_of("Remittances from Riyadh made up 30 per cent of Cairo's total remittances "
                     "in 2017.", FIELDS, target="EGY", sender="SAU", published=2018) == [
        ("remittances_sender_share", 30.0, "about", None, None)]
    # another pair than the case's: the capitals name it
    assert claims_of("In 2019 Ankara's exports to Moscow came to $4 billion.", FIELDS,
                     target="AZE", sender="RUS", published=2020) == [
        ("exports_to_sender", 4e9, "about", "TUR", "RUS")]


def test_a_city_that_is_also_a_name_or_another_place_is_not_a_country() -> None:
    # Sofia and Victoria are also given names, Georgetown a university, Kingston two capitals
    for text in ("Sofia said remittances grew.", "Victoria reported exports of $2 billion.",
                 "Economists at Georgetown said so.", "Kingston is a port."):
        assert parse_sentence(text).mentions == []


def test_demonyms_of_people_abroad_name_the_receiver_not_the_sender() -> None:
    # "emigrants sent home": money from all countries, to the emigrants' own country
    assert claims_of("For their part, Salvadoran emigrants sent home some $3.7 billion in "
                     "2011.", FIELDS, target="HND", sender="USA", published=2012) == [
        ("remittances_total", 3.7e9, "about", "SLV", None)]
    assert claims_of("Guatemalan migrants sent $4.4 billion home in 2011.", FIELDS,
                     target="HND", sender="USA", published=2012) == [
        ("remittances_total", 4.4e9, "about", "GTM", None)]
    # the target's own people: its total; with a host country named, from that country
    assert claims_of("In 2018 Filipino workers sent home $28.9 billion.", FIELDS,
                     target="PHL", sender="SAU", published=2019) == [
        ("remittances_total", 28.9e9, "about", None, None)]
    assert claims_of("Honduran emigrants in Spain sent home $200 million in 2011.", FIELDS,
                     target="HND", sender="USA", published=2012) == [
        ("remittances", 200e6, "about", "HND", "ESP")]


def test_remitted_is_a_remittance_word() -> None:
    assert claims_of("Pakistani workers remitted a total of $21.84 billion in 2018.", FIELDS,
                     target="PAK", sender="SAU", published=2019) == [
        ("remittances_total", 21.84e9, "about", None, None)]
    assert claims_of("In 2018, Pakistani workers in Saudi Arabia remitted $5 billion.", FIELDS,
                     target="PAK", sender="SAU", published=2019) == [
        ("remittances", 5e9, "about", None, None)]
    assert claims_of("Bangladeshis remitted $1.2 billion from Kuwait in 2014.", FIELDS,
                     target="BGD", sender="SAU", published=2015) == [
        ("remittances", 1.2e9, "about", "BGD", "KWT")]


FLOORS = ("no less than", "not less than", "no fewer than", "not below", "not under",
          "no lower than", "at least", "more than")
CEILINGS = ("less than", "no more than", "not more than", "under", "below", "at most")


@settings(max_examples=60, deadline=None)
@given(st.sampled_from(FLOORS + CEILINGS), st.integers(1, 99),
       st.sampled_from(("%", " per cent", " percent")))
def test_a_negated_ceiling_is_a_floor(cue: str, n: int, pct: str) -> None:
    """'no less than 25%' is at least 25 (was: at most, from its last words 'less than')."""
    (q,) = find_quantities(f"Remittances amount to {cue} {n}{pct} of GDP.")
    assert q.comparison == ("at least" if cue in FLOORS else "at most")


def test_no_less_than_a_share_of_gdp_is_its_floor() -> None:
    assert claims_of("Remittances amount to no less than 25 per cent of the GDP of Honduras.",
                     FIELDS, target="HND", sender="USA", published=2012) == [
        ("remittances_total_share_of_gdp", 25.0, "at least", None, None)]
