"""Pipelines: a plan, request or contract is not throughput; a role is not a status (fresh13).

Blind set 13 read a quoted request ("requested 320,000 tons for transportation"), a contract
("signed a deal to pump over 1 million tons") as the year's throughput, a route's role ("was
used as an auxiliary route") and a country's geography ("no direct access to the open seas,
it ...") as the pipeline's status. The sentences here are written for the tests; two assets
(Baku-Novorossiysk and BTC or Baku-Supsa) so that nothing holds for one pipeline only.
"""

from __future__ import annotations

import pytest

from claims.helpers import claims_of

_FIELDS = ("metric", "claimed", "verdict")


@pytest.mark.parametrize("sentence", [
    "The operator said that SOCAR requested 400,000 tons for transportation via the "
    "Baku-Novorossiysk pipeline in 2021.",
    "Transneft is ready to pump up to 2 million tons of oil via the Baku-Novorossiysk "
    "pipeline in 2021.",
    "SOCAR and the operator signed a contract to transport 1.5 million tons of oil through "
    "the BTC pipeline in 2021.",
    "The two companies have signed a deal to pump over 900,000 tons through the Baku-Supsa "
    "pipeline in 2021.",
])
def test_a_request_offer_or_contract_is_not_throughput(sentence: str) -> None:
    assert claims_of(sentence, _FIELDS, target="AZE", published=2021) == []


def test_a_volume_carried_is_still_throughput() -> None:
    # the control: what was carried in 2021 (pack: 1.1 Mt)
    assert claims_of("In 2021 SOCAR shipped 1.1 million tons of oil through the "
                     "Baku-Novorossiysk pipeline.", _FIELDS, target="AZE", published=2022) == [
        ("asset_throughput", 1.1, "accurate")]


@pytest.mark.parametrize("sentence", [
    "The BTC pipeline was used by SOCAR as the main route for its exports.",
    "The Baku-Supsa pipeline is used as a reserve route.",
])
def test_a_route_s_role_is_not_its_status(sentence: str) -> None:
    assert claims_of(sentence, _FIELDS, target="AZE", published=2022) == []


def test_used_by_a_shipper_is_still_a_status() -> None:
    # BTC operated in 2022 (pack: status 1)
    assert claims_of("The BTC pipeline is used by SOCAR for most of its exports.", _FIELDS,
                     target="AZE", published=2022) == [("asset_status", 1.0, "accurate")]


def test_open_before_a_noun_is_not_the_asset_s_status() -> None:
    text = ("The Baku-Supsa pipeline carries Azerbaijani oil to Georgia. As Azerbaijan has no "
            "way to the open ocean, it needs more export routes.")
    assert claims_of(text, _FIELDS, target="AZE",
                     published=2022)[1:] == []


def test_open_said_of_the_asset_is_its_status() -> None:
    # Baku-Supsa was idle in 2022 (pack: status 0)
    assert claims_of("The Baku-Supsa pipeline is open again.", _FIELDS, target="AZE",
                     published=2022) == [("asset_status", 1.0, "false")]


def test_a_pronoun_after_a_country_is_the_country_s() -> None:
    text = ("The BTC pipeline carries most of the oil. Because Azerbaijan has few other "
            "outlets, it is not idle.")
    got = claims_of(text, ("metric", "claimed"), target="AZE", published=2022)
    assert ("asset_status", 1.0) in got[:1] and got[1:] == []


def test_this_pipeline_points_back_to_the_asset_named_before() -> None:
    # "last year" of a 2023 text: 2022; BTC carried 28 Mt in 2022 (pack)
    text = ("The BTC pipeline is the main export route. Last year 28 million tons of oil was "
            "transported through this pipeline, which is 5 percent less than in 2021.")
    got = claims_of(text, ("metric", "claimed", "years", "verdict"), target="AZE",
                    published=2023)
    assert got[-1] == ("asset_throughput", 28.0, [2022], "accurate")


def test_the_level_after_a_cut_is_a_claim_and_the_cut_is_not() -> None:
    # Baku-Supsa was suspended in 2022 (pack: status 0): it carried nothing
    text = ("In 2022 SOCAR cut exports via the Baku-Supsa pipeline by 40 percent to 0.2 "
            "million tons.")
    assert claims_of(text, _FIELDS, target="AZE", published=2023) == [
        ("asset_throughput", 0.2, "false")]
    text = ("The Baku-Novorossiysk pipeline carries Azerbaijani oil. In 2020 SOCAR reduced "
            "exports via this route by 25 percent to 0.613 million tons.")
    assert claims_of(text, _FIELDS, target="AZE", published=2021)[-1] == (
        "asset_throughput", 0.613, "accurate")


@pytest.mark.parametrize("text", [
    "In June alone, the oil pumped along the BTC pipeline amounted to 15,000 tons.",
    "The Baku-Novorossiysk pipeline resumed work on May 3, and in that month the route "
    "carried about 60,000 tons.",
])
def test_a_month_s_volume_is_a_claim_unverifiable_without_monthly_data(text: str) -> None:
    got = claims_of(text, ("metric", "years", "partial_period", "verdict"), target="AZE",
                    published=2021)
    assert len(got) == 1
    metric, years, period, verdict = got[0]
    assert (metric, verdict) == ("asset_throughput", "unverifiable")
    assert years in (None, [2021])
    assert period in ("June", "one month")


def test_a_month_s_plan_stays_unchecked() -> None:
    assert claims_of("Some 90,000 tons of oil is planned to be pumped via the BTC pipeline "
                     "in March.", _FIELDS, target="AZE", published=2021) == []


def test_transit_right_after_an_asset_is_that_asset_s() -> None:
    # Baku-Supsa: suspended in 2022 (pack: status 0); no 2021 volume in the pack
    text = ("Azerbaijan shipped part of its crude via the Baku-Supsa pipeline. In 2021 transit "
            "volumes reached about 2 million tons, but shipments were halted in 2022.")
    got = claims_of(text, ("metric", "claimed", "years", "assets", "verdict"), target="AZE",
                    published=2023)
    assert sorted(got) == [("asset_status", 0.0, [2022], ["BAKU_SUPSA"], "accurate"),
                           ("asset_throughput", 2.0, [2021], ["BAKU_SUPSA"], "unverifiable")]


@pytest.mark.parametrize("text", [
    # a sentence in between: the asset is no longer what the text speaks of
    "The BTC pipeline is the main route. Oil prices were high. In 2021 transit volumes "
    "reached about 30 million tons.",
    # another place named: its transit, not the asset's
    "The BTC pipeline is the main route. In 2021 transit via Georgia reached about 30 "
    "million tons.",
])
def test_transit_elsewhere_is_not_the_asset_s(text: str) -> None:
    got = claims_of(text, ("metric", "claimed"), target="AZE", published=2023)
    assert [c for c in got if c[0] == "asset_throughput"] == []


def test_a_month_after_one_figure_and_months_before_are_two_periods() -> None:
    text = ("Of 450,000 tons carried during the first eight months of the year via the BTC "
            "pipeline, 60,000 tons were carried in August.")
    got = claims_of(text, ("metric", "claimed", "years", "partial_period", "verdict"),
                    target="AZE", published=2021)
    assert sorted(got) == [
        ("asset_throughput", pytest.approx(0.06), [2021], "August", "unverifiable"),
        ("asset_throughput", pytest.approx(0.45), [2021], "Jan-Aug", "unverifiable")]


def test_oil_exported_via_an_asset_says_it_operates() -> None:
    # Baku-Supsa operated in 2021 (pack: status 1)
    text = "Besides the BTC pipeline, Azerbaijani oil is also exported via the Baku-Supsa pipeline."
    assert claims_of(text, ("metric", "claimed", "assets", "verdict"), target="AZE",
                     published=2021) == [("asset_status", 1.0, ["BAKU_SUPSA"], "accurate")]


def test_two_assets_side_by_side_stay_unclear() -> None:
    assert claims_of("Oil is exported via the BTC pipeline and the Baku-Supsa pipeline.",
                     _FIELDS, target="AZE", published=2021) == []


def test_no_oil_carried_is_a_zero_volume() -> None:
    # Baku-Supsa was suspended in 2022 (pack: status 0): nothing carried
    assert claims_of("In 2022 no oil was pumped via the Baku-Supsa pipeline.", _FIELDS,
                     target="AZE", published=2023) == [("asset_throughput", 0.0, "accurate")]
    # BTC carried oil in 2022 (pack)
    assert claims_of("In 2022 no crude oil was shipped through the BTC pipeline.", _FIELDS,
                     target="AZE", published=2023) == [("asset_throughput", 0.0, "false")]


def test_this_pipeline_before_another_asset_is_the_one_named_before() -> None:
    text = ("The Baku-Supsa pipeline runs to Georgia. No oil was transported via this pipeline "
            "in March, as all volumes were transported via the BTC pipeline.")
    got = claims_of(text, ("metric", "claimed", "assets", "partial_period", "verdict"),
                    target="AZE", published=2021)
    assert got == [("asset_throughput", 0.0, ["BAKU_SUPSA"], "March", "unverifiable")]


def test_a_corridor_named_whole_is_its_route_through_the_target() -> None:
    # INSTC_WEST (rail via Azerbaijan), 2023: 635.9 kt (pack)
    text = "In 2023 freight traffic along the North-South corridor amounted to 640,000 tonnes."
    assert claims_of(text, ("metric", "claimed", "assets", "verdict"), target="AZE",
                     published=2024) == [("asset_throughput", 0.64, ["INSTC"], "accurate")]
    # for Iran every route of the corridor ends there: which one is meant is unclear
    assert claims_of(text, _FIELDS, target="IRN", published=2024) == []


def test_up_n_percent_after_a_volume_is_a_change_not_a_share() -> None:
    # BTC 2022 (pack): the volume is a claim; "up 2%" is its change, not a share of exports
    text = ("The BTC pipeline transported 30.2 million tonnes of oil last year, up 2% from the "
            "year before.")
    assert claims_of(text, _FIELDS, target="AZE", published=2023) == [
        ("asset_throughput", 30.2, "accurate")]
    # "made up 44%" is a share, not a change (2022 imports from Russia: not 44% in the pack)
    got = claims_of("Russia made up 44% of Azerbaijan's imports in 2022.", ("metric", "claimed"),
                    target="AZE", published=2023)
    assert got == [("imports_from_sender_share", 44.0)]


def test_barrels_of_crude_are_a_volume_in_tonnes() -> None:
    # 200 million barrels / 7.33 bbl/t = 27.3 Mt; BTC 2022 (pack)
    got = claims_of("SOCAR exported 200 million barrels of oil via the BTC pipeline in 2022.",
                    _FIELDS, target="AZE", published=2023)
    assert got == [("asset_throughput", pytest.approx(27.29, abs=0.01), "accurate")]
    # barrels a day stay a rate: 600 kb/d = 29.9 Mt/yr
    got = claims_of("The BTC pipeline pumped about 600,000 barrels per day in 2022.", _FIELDS,
                    target="AZE", published=2023)
    assert got == [("asset_throughput", pytest.approx(29.88, abs=0.01), "accurate")]


def test_resumed_in_a_year_is_a_status_and_in_a_month_an_event() -> None:
    # Baku-Supsa: operating in 2024 (pack: status 1)
    assert claims_of("Pumping through the Baku-Supsa pipeline resumed in 2024.", _FIELDS,
                     target="AZE", published=2024) == [("asset_status", 1.0, "accurate")]
    for text in ("Only from June 12, SOCAR resumed exports through the BTC pipeline.",
                 "The Baku-Supsa pipeline was suspended in February."):
        assert claims_of(text, _FIELDS, target="AZE", published=2024) == []


@pytest.mark.parametrize(("when", "period"), [
    ("In the third quarter of 2019", "Jul-Sep"), ("In the second half of 2019", "Jul-Dec"),
    ("In the last quarter of 2019", "Oct-Dec"), ("In the 2nd quarter of 2019", "Apr-Jun"),
])
def test_a_later_part_of_the_year_is_not_the_year(when: str, period: str) -> None:
    # the pack has 2019 for the whole year only (0.8243 Mt): a quarter is not judged on it
    got = claims_of(f"{when}, 200,000 tons of oil were pumped via the Baku-Novorossiysk "
                    f"pipeline.", ("metric", "partial_period", "verdict"), target="AZE",
                    published=2020)
    assert got == [("asset_throughput", period, "unverifiable")]


@pytest.mark.parametrize("sentence", [
    "The operator expects to pump 1.5 million tons through the Baku-Supsa pipeline in 2021.",
    "Under the deal, SOCAR must ship at least 3 million tons a year via the BTC pipeline.",
    "The shipper is obliged to transport 2 million tons via the Baku-Novorossiysk pipeline.",
])
def test_an_expectation_or_obligation_is_not_throughput(sentence: str) -> None:
    assert claims_of(sentence, _FIELDS, target="AZE", published=2021) == []


def test_it_in_a_later_clause_is_the_asset_named_before() -> None:
    # 2021: 1.1 Mt carried (pack)
    text = ("The Baku-Novorossiysk pipeline can carry 5 million tons a year, but it carried "
            "only 1.1 million tons in 2021.")
    got = claims_of(text, ("metric", "claimed", "assets", "verdict"), target="AZE",
                    published=2022)
    assert ("asset_throughput", 1.1, ["BAKU_NOVOROSSIYSK"], "accurate") in got
