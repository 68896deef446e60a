"""Two figures of one sentence that are not two values of one quantity.

A sentence refused with "two values for the same quantity and period (a range or a
change?)" may hold figures of different quantities that the linking read as one: the other
direction of the same trade ("$X in exports to B and $Y in imports"), a whole and its part,
per-country figures. Tests are on sentences composed for them; each fails on main 15495ea
except the guards (a reading that must not change).
"""

from __future__ import annotations

from geolever.claims import check_text

from .helpers import claims_of, dots_store

FIELDS = ("metric", "claimed", "country", "partner", "verdict")


def _claims(text: str, *, sender: str, target: str,
            published: int = 2020) -> list[tuple[object, ...]]:
    return claims_of(text, FIELDS, sender=sender, target=target, published=published)


def test_a_figure_in_imports_after_exports_to_a_partner_is_the_other_direction() -> None:
    """"$X in exports to B and $Y in imports": B's own pair, the second figure reversed (was:
    both the exports, "two values for the same quantity")."""
    got = _claims("Georgia recorded $1.9 billion in exports to Armenia in 2019 and $480 million "
                  "in imports, the statistics office said.", sender="GEO", target="ARM")
    assert got == [("imports_from_sender", 1.9e9, None, None, "unverifiable"),
                   ("exports_to_sender", 4.8e8, None, None, "unverifiable")]


def test_imports_totalling_after_exports_to_a_partner_are_judged_on_the_reverse_flow() -> None:
    """", with imports totalling $Y": the target's exports to the sender, judged on them."""
    store = dots_store([("KAZ", "exports", 0.5e9), ("KAZ", "imports", 2.0e9)],
                       reporter="KGZ", year=2019)
    doc = check_text("In 2019, Kazakh exports to Kyrgyzstan came to $2.0 billion, with imports "
                     "totalling $0.5 billion in the same year.", fmt="text", store=store,
                     sender="KAZ", target="KGZ", published=2020)
    got = [(c.metric, c.claimed, c.result.verdict if c.result else None)
           for s in doc.sentences for c in s.claims]
    assert got == [("imports_from_sender", 2.0e9, "accurate"),
                   ("exports_to_sender", 0.5e9, "accurate")]


def test_a_share_of_its_imports_after_a_share_of_exports_is_the_import_share() -> None:
    """"A accounts for X% of B's exports and Y% of its imports": the second share is of B's
    imports from A (was: both read as export shares)."""
    got = _claims("In 2018, Russia accounted for 41 percent of Belarus's exports and 57 "
                  "percent of its imports.", sender="RUS", target="BLR")
    assert [g[:2] for g in got] == [("exports_to_sender_share", 41.0),
                                    ("imports_from_sender_share", 57.0)]


def test_a_second_figure_naming_its_own_partner_is_not_reversed() -> None:
    """A figure whose piece names a country of its own is read with it, not reversed: "and
    $0.3 billion in imports from Turkey" is not the imports from the first partner."""
    got = _claims("Georgia recorded $1.9 billion in exports to Armenia in 2019 and $0.3 "
                  "billion in imports from Turkey.", sender="GEO", target="ARM")
    assert ("exports_to_sender", 3e8, None, None, "unverifiable") not in got


def test_exports_worth_a_total_with_a_part_going_to_a_partner() -> None:
    """"B exported goods worth $X, with $Y, or S% of the total, going to A": $X is B's total
    exports, $Y and S% its exports to A (was: $X read as the exports to A too, "two values")."""
    store = dots_store([("WLD", "exports", 3.1e9), ("RUS", "exports", 0.4e9)],
                       reporter="KGZ", year=2019)
    doc = check_text("Kyrgyzstan exported goods worth $3.1 billion in 2019, with $0.4 billion, "
                     "or 13% of the total, going to Russia.", fmt="text", store=store,
                     sender="RUS", target="KGZ", published=2020)
    got = [(c.metric, c.claimed, c.result.verdict if c.result else None)
           for s in doc.sentences for c in s.claims]
    assert got == [("target_exports_total", 3.1e9, "accurate"),
                   ("exports_to_sender", 0.4e9, "accurate"),
                   ("exports_to_sender_share", 13.0, "accurate")]


def test_a_part_of_remittances_coming_from_a_sender_goes_to_the_wholes_receiver() -> None:
    """"C received $X, with (or: of which) $Y coming from A": the part is C's money from A,
    not the case target's, for another receiver than the target (was: the target's)."""
    for joined in ("with $2.4 billion coming from Russia", "of which $2.4 billion came from "
                                                           "Russia"):
        got = _claims(f"Uzbekistan received $2.9 billion in remittances in 2019, {joined}.",
                      sender="RUS", target="KGZ")
        assert [g[:4] for g in got] == [("remittances_total", 2.9e9, "UZB", None),
                                        ("remittances", 2.4e9, "UZB", "RUS")]


def test_with_a_figure_that_says_no_destination_is_not_a_part() -> None:
    """"..., with $Y in the first half" names no destination: not read as a part (the
    sentence's reading is unchanged)."""
    got = _claims("Kyrgyzstan exported goods worth $3.1 billion to Russia in 2019, with $1.2 "
                  "billion in the first half.", sender="RUS", target="KGZ")
    assert ("target_exports_total", 3.1e9, None, None, "unverifiable") not in got


def test_a_part_out_of_the_total_is_the_senders_money_and_the_total_all_of_it() -> None:
    """"remittances from A made up $X of a total of $Y": $X is A's money, $Y every sender's
    (was: both the total, "two values for the same quantity")."""
    for whole in ("of a total of $2.3 billion received by Georgia",
                  "out of the total $2.3 billion that Georgia received"):
        got = _claims(f"In 2019 remittances from Russia made up $1.1 billion {whole}.",
                      sender="RUS", target="ARM")
        assert [g[:4] for g in got] == [("remittances", 1.1e9, "GEO", "RUS"),
                                        ("remittances_total", 2.3e9, "GEO", None)]


def test_a_total_named_before_its_part_keeps_its_total_word() -> None:
    """"a total of $Y, of which ..." is not a part: the figure followed by "out of" is."""
    got = _claims("In 2019 Georgia received a total of $2.3 billion in remittances.",
                  sender="RUS", target="GEO")
    assert [g[:2] for g in got] == [("remittances_total", 2.3e9)]


def test_the_amount_of_a_gdp_is_set_aside_not_read_as_the_remittances() -> None:
    """"remittances were $X, about S% of an economy worth $Y": $Y is the GDP the share is of,
    set aside with a note (was: a second remittance total, "two values")."""
    doc = check_text("Guatemalan remittances in 2019 were $10.5 billion, about 14% of an "
                     "economy worth $77 billion.", fmt="text", sender="USA", target="GTM",
                     published=2020)
    sentence = doc.sentences[0]
    assert [(c.metric, c.claimed) for c in sentence.claims] == [
        ("remittances_total", 10.5e9), ("remittances_total_share_of_gdp", 14.0)]
    assert "'$77 billion' is the size of an economy" in sentence.reason


def test_senders_listed_after_followed_by_with_at() -> None:
    """"X% of the remittances to C came from A, followed by B at Y% and D at Z%": each share is
    its own sender's (was: all three the first sender's, "two values")."""
    got = _claims("In 2019, 31 percent of the remittances to Tajikistan came from Russia, "
                  "followed by Kazakhstan at 9 percent and Turkey at 4 percent.",
                  sender="RUS", target="TJK")
    assert [g[:4] for g in got] == [("remittances_sender_share", 31.0, None, None),
                                    ("remittances_sender_share", 9.0, "TJK", "KAZ"),
                                    ("remittances_sender_share", 4.0, "TJK", "TUR")]


def test_receivers_listed_after_followed_by_with_at() -> None:
    """"remittances to C were X% of GDP, followed by B at Y%": the list's countries receive."""
    got = _claims("Remittances to Nepal were 28 percent of GDP in 2019, followed by Tajikistan "
                  "at 27 percent and Kyrgyzstan at 29 percent.", sender="RUS", target="NPL")
    assert [g[:3] for g in got] == [("remittances_total_share_of_gdp", 28.0, None),
                                    ("remittances_total_share_of_gdp", 27.0, "TJK"),
                                    ("remittances_total_share_of_gdp", 29.0, "KGZ")]


def test_one_figure_for_each_of_two_countries_and_one_in_the_case_of_a_third() -> None:
    """"X% of the GDP of each of A and B, and Y% in the case of C": X for A and for B, Y for C
    (was: "two values for the same quantity")."""
    got = _claims("Remittances make up about 30 percent of the GDP of each of Tajikistan and "
                  "Kyrgyzstan, and 12 percent in the case of Uzbekistan.", sender="RUS",
                  target="UZB")
    assert [g[:3] for g in got] == [("remittances_total_share_of_gdp", 30.0, "TJK"),
                                    ("remittances_total_share_of_gdp", 30.0, "KGZ"),
                                    ("remittances_total_share_of_gdp", 12.0, None)]


def test_a_figure_expected_this_year_is_a_forecast() -> None:
    """"are expected this year to reach $X" is a forecast (was: read as a level), so its year
    is not one the writer had figures for."""
    doc = check_text("Remittances to Kyrgyzstan are expected this year to reach $2.6 billion.",
                     fmt="text", sender="RUS", target="KGZ", published=2021)
    sentence = doc.sentences[0]
    assert sentence.status == "not checked" and "forecast" in sentence.reason


def test_a_share_of_gdp_in_brackets_after_an_amount_is_of_that_amount() -> None:
    """"...; B received $Y (S% of GDP)": the share in brackets is of the amount before it,
    whose topic the sentence names (was: "no claim metric matches", vetoing its clause)."""
    got = _claims("Moldova received $1.9 billion in remittances in 2018; Armenia received "
                  "$1.5 billion (12% of GDP).", sender="RUS", target="KGZ", published=2019)
    assert [g[:3] for g in got] == [("remittances_total", 1.9e9, "MDA"),
                                    ("remittances_total", 1.5e9, "ARM"),
                                    ("remittances_total_share_of_gdp", 12.0, "ARM")]


def test_a_total_with_of_which_and_no_comma_and_its_parts() -> None:
    """"received a total of $X in remittances of which $Y came from A": the part read as A's
    money, not a second total; parts after "of which" naming no country are set aside, each
    one (was: "two values for the same quantity")."""
    got = _claims("In 2019 Kyrgyzstan received a total of $2.4 billion in remittances of which "
                  "$1.9 billion came from Russia.", sender="RUS", target="KGZ")
    assert [g[:4] for g in got] == [("remittances_total", 2.4e9, None, None),
                                    ("remittances", 1.9e9, None, None)]
    doc = check_text("In 2019 Kyrgyzstan received a total of $2.4 billion in remittances of which "
                     "$1.9 billion came from Central Asia, while $0.5 billion from the rest of "
                     "the world.", fmt="text", sender="RUS", target="KGZ", published=2020)
    sentence = doc.sentences[0]
    assert [(c.metric, c.claimed) for c in sentence.claims] == [("remittances_total", 2.4e9)]
    assert "'$0.5 billion' is a breakdown of the figure before it" in sentence.reason


def test_one_directions_share_of_a_turnover_is_set_aside_and_the_turnover_checked() -> None:
    """"Trade amounted to $X, with A's exports making up S%": S% splits the turnover (no
    claim metric), and $X is the turnover, not A's exports (was: the clause vetoed)."""
    doc = check_text("Bilateral trade in 2019 amounted to $4.4 billion, with Georgian exports "
                     "making up 31%.", fmt="text", sender="GEO", target="ARM", published=2020)
    sentence = doc.sentences[0]
    assert [(c.metric, c.claimed) for c in sentence.claims] == [("trade_turnover", 4.4e9)]
    assert "'31%' is the share of one direction in the trade" in sentence.reason


def test_the_amount_a_share_is_of_is_the_total_not_the_partners_flow() -> None:
    """"A is the largest market for B's exports, accounting for S% of the $X of goods
    exported": $X is B's total exports (was: read as B's exports to A)."""
    store = dots_store([("WLD", "exports", 2.0e9), ("KAZ", "exports", 0.5e9)],
                       reporter="KGZ", year=2019)
    doc = check_text("Kazakhstan is the largest market for Kyrgyz exports, accounting for 25 "
                     "percent of the $2 billion of goods exported in 2019.", fmt="text",
                     store=store, sender="KAZ", target="KGZ", published=2020)
    got = [(c.metric, c.claimed, c.result.verdict if c.result else None)
           for s in doc.sentences for c in s.claims if c.metric != "partner_rank"]
    assert got == [("target_exports_total", 2.0e9, "accurate")]


def test_a_revised_estimate_is_checked_and_the_one_it_replaced_set_aside() -> None:
    """"lowered its figure ... to $X in Y from $Z earlier / from an earlier estimate of $Z":
    $X is the claim, $Z the estimate it replaced (was: "two values for the same quantity")."""
    for earlier in ("from $1.7 billion earlier", "from a previous estimate of $1.7 billion"):
        doc = check_text(f"The bank lowered its figure for remittance inflows to Armenia to "
                         f"$1.6 billion in 2018 {earlier}.", fmt="text", sender="RUS",
                         target="ARM", published=2019)
        sentence = doc.sentences[0]
        assert [(c.metric, c.claimed, c.years) for c in sentence.claims] == [
            ("remittances_total", 1.6e9, [2018])]
        assert "'$1.7 billion' is an earlier estimate" in sentence.reason


def test_a_change_from_a_level_in_another_year_is_not_a_revision() -> None:
    """"rose to $X in 2018 from $Z in 2017": a change between years, not a replaced estimate."""
    doc = check_text("Remittance inflows to Armenia rose to $1.6 billion in 2018 from $1.4 "
                     "billion in 2017.", fmt="text", sender="RUS", target="ARM", published=2019)
    assert "earlier estimate" not in doc.sentences[0].reason


def test_a_whole_that_opens_the_sentence_and_a_monthly_part_of_it() -> None:
    """"Out of X tons in the first half, Y tons were shipped in June": X is checked for the
    half-year, Y (its own clause) is left with its reason (was: "two values", both refused)."""
    doc = check_text("Out of 1,250,000 tons shipped via the Baku-Novorossiysk pipeline in the "
                     "first half of 2019, 212,000 tons were shipped in June.", fmt="text",
                     sender="RUS", target="AZE", published=2019)
    sentence = doc.sentences[0]
    assert [(c.metric, c.claimed, c.years, c.partial_period) for c in sentence.claims] == [
        ("asset_throughput", 1.25, [2019], "H1")]
    assert "not checked: '212,000 tons'" in sentence.reason  # its own clause, not the whole's


def test_a_ratio_in_words_is_one_share() -> None:
    """"$X of every $Y ... comes from A": one share of X/Y, A's (was: two amounts of money,
    "two values for the same quantity")."""
    got = _claims("About $45 of every $60 that Kyrgyzstan receives in remittances comes from "
                  "Russia.", sender="RUS", target="KGZ")
    assert [g[:4] for g in got] == [("remittances_sender_share", 75.0, None, None)]


def test_a_ratio_needs_a_smaller_first_figure_of_the_same_kind() -> None:
    """"$5 of every $2" is not read as a ratio; "7 out of every 10" (counts) is 70%."""
    from geolever.claims.extract import parse_sentence

    assert [q.kind for q in parse_sentence("It kept $5 of every $2 it earned.").quantities] == [
        "money", "money"]
    assert [(q.kind, q.value) for q in parse_sentence(
        "Seven out of every 10 migrants send money home; 7 out of every 10 do.").quantities][
        -1] == ("pct", 70.0)
