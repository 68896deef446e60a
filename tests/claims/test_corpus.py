"""Precision and recall of the text fact-checker on real published texts.

The corpus (``tests/data/claims/corpus``, see its README) holds excerpts of 124 articles,
op-eds and analysts' notes by others about Russia-Azerbaijan, China-Australia,
Russia-Georgia, Russia-Turkey, Russia and Central Asia, Moldova, Belarus, China-Lithuania,
China-Philippines, Japan-South Korea, USA-Mexico, Russia-Armenia, China-South Korea,
Russia-Ukraine and China-Norway, every sentence labelled by hand with the claims geolever
has a metric for and the verdict the data support. The floors below are measured values
rounded down (``python tests/claims/corpus_score.py`` prints the per-shape table); some
files were used while developing the checker (``split: tune``), the others only scored.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from claims.corpus_score import SPLITS, load_corpus, score

PRECISION_FLOOR = 0.95
RECALL_FLOOR = 0.95  # 0.90 until claims4's lists and total share of GDP (P 0.99, R 0.96;
#: with "trade with X ... of the total exports": R 0.97)
#: The first 31 texts (splits tune, held_out, fresh), on which the floors above were set.
FIRST_SPLITS = ("tune", "held_out", "fresh")
#: Blind set 2 (8 texts, split fresh2): first score before any change P 0.40, R 0.07; after
#: the fixes it prompted P 0.92, R 0.43; after claims3's part-of-the-turnover fix P 0.94,
#: R 0.61; after the rank-participle fix P 0.96, R 0.82 (floors: those values rounded down).
#: claims4 (remittances_total_share_of_gdp, lists of per-country figures): P 0.96, R 0.93.
#: After the target's exports with no partner named read as its total: P 1.00, R 0.96.
FRESH2_PRECISION_FLOOR = 0.95
FRESH2_RECALL_FLOOR = 0.95
#: Blind set 3 (4 texts, split fresh3: Russia-Armenia remittances, Turkey-Russia trade 2013-15),
#: labelled before the checker ran on them; first score (main 8ff86b7) P 0.88 (7/8),
#: R 0.32 (7/22). Floors: those values rounded down.
#: After claims3's level-after-change fix: P 0.94, R 0.68; after "transfers" in a remittance
#: context P 0.94, R 0.73 (floors: rounded down).
#: claims4 added labels with remittances_total_share_of_gdp (22 -> 28 checks: R 0.61 on the
#: code before); its lists and total share of GDP: P 1.00 (28/28), R 1.00.
FRESH3_PRECISION_FLOOR = 1.00
FRESH3_RECALL_FLOOR = 1.00
#: All 43 texts together (every split): P 0.97, R 0.74 before claims3; R 0.78 after the
#: part-of-the-turnover fix; P 0.97, R 0.83 after the rank-participle fix; P 0.97, R 0.88
#: after the level-after-change fix. Floors: the latest values rounded down.
#: claims4 (lists, total share of GDP; 129 labels): P 0.98, R 0.96.
ALL_PRECISION_FLOOR = 0.95
ALL_RECALL_FLOOR = 0.95
#: The 43 texts those floors were set on (blind sets 4 and brief4 came later).
ALL43_SPLITS = (*FIRST_SPLITS, "fresh2", "fresh3")
#: Blind set 4 (8 texts, split fresh4: Russia-Kazakhstan, -Uzbekistan, -Tajikistan, -Belarus,
#: -Moldova, China-Philippines, China-Lithuania, Japan-South Korea), labelled by hand before
#: the checker ran on them. First score (main bedbd62 + the labels, commit b892c2d), test
#: store: P 0.71 (5/7), R 0.18 (5/28); against the shared datasets (``corpus_score.py
#: --store``, ``data_verdict``): P 0.43 (3/7), R 0.11 (3/28). Floors: the first score rounded
#: down, to be raised with the fixes.
#: After adding the other countries' shares it had left out (31 labels: first score R 0.16)
#: and claims4's lists and total share of GDP: P 0.80 (8/10), R 0.26.
#: After money sent home, a total with its sender's part, "funds"/"received" in context,
#: regions, plans, one-month and partial-year rankings: P 1.00 (11/11), R 0.35.
#: After amounts in euros without a rate (unverifiable, per-year rate when there is one),
#: months not from January, shipments, "goods came from", demonym owners of rankings, year
#: lists and countries named only as a topic: P 1.00 (23/23), R 0.74 (against the shared
#: datasets: P 0.96, R 0.71).
#: After a ranking's reference partner ("after Japan"), participles of buying, bananas,
#: "ranks first in terms of" and dated sources: P 1.00 (27/27), R 0.87 (shared datasets:
#: P 0.96, R 0.84).
FRESH4_PRECISION_FLOOR = 1.00
FRESH4_RECALL_FLOOR = 0.85
#: Split brief4 (2 texts the brief quoted, not blind): first score P 0.00 (0/3), R 0.00
#: (0/8); after claims4's fixes P 1.00 (6/6), R 0.75; with one figure for two receivers
#: ("in Tajikistan and Kyrgyzstan") P 1.00, R 1.00.
BRIEF4_PRECISION_FLOOR = 1.00
BRIEF4_RECALL_FLOOR = 1.00
#: Blind set 5 (8 texts, split fresh5: Russia-Turkey trade 2014-15, Russia-Armenia trade 2018,
#: USA-Mexico remittances (two), China-South Korea (THAAD 2017), Russia-Ukraine gas transit,
#: China-Norway salmon, Russia-Kyrgyzstan remittances 2025), labelled by hand and committed
#: (1c2f315, rebased as d67eae8) before the checker ran on them. First score (main a714caa, no
#: change to the checker), test store: P 0.75 (6/8), R 0.23 (6/26); by shape amount 3/14,
#: attributed 1/5, range 0/1, ranking 1/1, share 1/5 right, 2 wrong (both shares). Against the
#: shared datasets (``corpus_score.py --store``): P 0.75 (6/8), R 0.23 (6/26). Floors: the first
#: score rounded down to 0.05, to be raised with the fixes (the stop-24 closing note lists the
#: misses). With fresh5, all 194 labels: P 0.98, R 0.86 (the all-texts floors above stay on their
#: splits).
FRESH5_PRECISION_FLOOR = 0.90
FRESH5_RECALL_FLOOR = 1.00
#: Blind set 6 (11 texts, split fresh6: remittances to Honduras, El Salvador, Guatemala, Mexico,
#: Egypt, Pakistan, the Philippines and Nepal; China-Mongolia, India-Nepal, UAE-Qatar trade;
#: China-Canada canola), labelled by hand and committed (663d825) before the checker ran on them.
#: First score (main 2580f4e, no change to the checker), test store: P 0.77 (10/13), R 0.24
#: (10/42); against the shared datasets (``corpus_score.py --store``): P 0.62 (8/13), R 0.19
#: (8/42). Floors: the first score rounded down to 0.05.
FRESH6_PRECISION_FLOOR = 0.90
FRESH6_RECALL_FLOOR = 0.60
#: Blind set 7 (15 texts, split fresh7: Russia-Azerbaijan x7, five of 2025 on the AZAL crash and
#: Yekaterinburg crisis (who loses more from a trade halt, the INSTC, trade with Russia), a 2020
#: tomato ban and 2014 remittances/imports; Russia-Armenia x2 (a leverage op-ed); tourism bans
#: Russia-Turkey 2016, China-Korea 2017, Russia-Egypt 2015; pipeline halts Kirkuk-Ceyhan 2023 and
#: CPC 2022; China-Japan 2012), labelled by hand and committed (0091044, on 2580f4e; rebased
#: since) before the checker ran on them. First score (session-start main 2580f4e, no change to
#: the checker), test store: P 0.92 (11/12), R 0.29 (11/38); against the shared datasets
#: (``--store``): P 0.67 (8/12), R 0.21 (8/38). The same on main 574551f (senders' remittance
#: fixes). Floors: the first test-store score rounded down to 0.05.
FRESH7_PRECISION_FLOOR = 0.90
FRESH7_RECALL_FLOOR = 0.70
#: Blind set 8 (10 texts, split fresh8: remittances to Haiti and the Caribbean, Ukraine (from
#: Poland), Bangladesh (from the Gulf), Nigeria, Lebanon and ~20 African receivers; Vietnam-USA,
#: Cambodia-USA, Lesotho-South Africa and Laos-China trade), labelled by hand and committed
#: (210663b, on 2580f4e; rebased since) before the checker ran on them. First score
#: (session-start code 2580f4e), test store: P 0.75 (12/16), R 0.12 (12/100); against the
#: shared datasets (``--store``): P 0.69 (11/16), R 0.11 (11/100). On main 8f3a77d: test store
#: P 0.58 (11/19), R 0.11; shared datasets P 0.53 (10/19), R 0.10; on main 3209697: P 0.62 (13/21),
#: R 0.13 (shared datasets P 0.57, R 0.12). Floors: the lowest test-store score, rounded down
#: to 0.05.
FRESH8_PRECISION_FLOOR = 0.90
FRESH8_RECALL_FLOOR = 0.55

#: Blind set 10 (13 texts, split fresh10: remittances to India, Nepal, the Dominican Republic and
#: Morocco; Germany-Turkey, China-Vietnam, Russia-Uzbekistan trade; Russia-Azerbaijan trade and
#: pipeline) and blind set 11 (14 texts, split fresh11: embargoes, pipelines, transit, who loses
#: more: India-Pakistan, China-Taiwan, China-Japan, China-Australia, the Qatar blockade,
#: Russia-Belarus, Russia-Ukraine, Russia-Georgia, Turkey-Iraq, Russia-Azerbaijan), labelled
#: by hand at stop 26 from b454332 before the checker ran on them. First score (b454332), test
#: store: fresh10 P 0.68, R 0.15; fresh11 P 0.71, R 0.26. At the end of stop 26 (3c788fe):
#: fresh10 P 0.68, R 0.17; fresh11 P 0.71, R 0.26. Floors: those rounded down to 0.05.
FRESH10_PRECISION_FLOOR = 0.90
FRESH10_RECALL_FLOOR = 0.45
FRESH11_PRECISION_FLOOR = 0.90
FRESH11_RECALL_FLOOR = 0.55
#: Blind set 12 (17 texts, split fresh12: trade coercion, embargoes, gas transit and remittances:
#: China-South Korea (THAAD), China-Lithuania, Saudi Arabia-Canada 2018, Turkey-Israel 2024,
#: Russia-Ukraine 2013 and the end of gas transit through Ukraine 2025, remittances from Russia to
#: Tajikistan and Uzbekistan, Russia-Azerbaijan trade 2023-2025), labelled by hand and committed
#: (6d1f5a2 on ce0150f, rebased as 41ba2dd) before the checker ran on them. First score
#: (ce0150f), test store: P 0.90 (18/20), R 0.35 (18/52); against the shared datasets
#: (``--store``): P 0.75 (15/20), R 0.29 (15/52); after two data_verdict slips were fixed
#: (README), shared datasets P 0.85 (17/20), R 0.33. On main d5124fd: test store P 0.90
#: (19/21), R 0.37. Floors: the first test-store score rounded down to 0.05.
FRESH12_PRECISION_FLOOR = 0.90
FRESH12_RECALL_FLOOR = 0.65
#: Blind set 13 (3 texts, split fresh13: the Baku-Novorossiysk oil pipeline 2019-2021, Azernews
#: and Today.az), labelled by hand and committed (16a2c86 on 84a25ef) before the checker ran on
#: them. First score (84a25ef), test store and shared datasets alike: P 0.56 (5/9), R 0.33
#: (5/15). Four wrong claims: a plan or quoted capacity read as throughput, an "auxiliary
#: route" and "no direct access to the open seas" read as a status. Floors: the first score
#: rounded down to 0.05 -- a precision floor below 0.9 that records a known failure, not a
#: target.
#: Stop 31 (2026-12-04): the recall floors of blind sets 5-8 and 10-13 raised to their scores
#: at the end of the stop (test store: fresh5 R 1.00, fresh6 0.62, fresh7 0.74, fresh8 0.59,
#: fresh10 0.46, fresh11 0.596, fresh12 0.69, fresh13 P 1.00 R 0.80) rounded down to 0.05,
#: precision at most 0.90: these sets were read while fixing, so they guard against regressions.
FRESH13_PRECISION_FLOOR = 0.90
FRESH13_RECALL_FLOOR = 0.80

def test_the_corpus_is_real_and_labelled() -> None:
    docs = load_corpus()
    assert len(docs) >= 15
    pairs = {(d["pair"]["sender"], d["pair"]["target"]) for _, d in docs}
    assert ("RUS", "AZE") in pairs and len(pairs - {("RUS", "AZE")}) >= 3
    for name, d in docs:
        assert d["url"].startswith("http") and d["title"] and d["publisher"] and d["date"], name
        assert d["split"] in SPLITS, name
        for s in d["sentences"]:
            assert s["shape"] and isinstance(s["claim"], bool), (name, s["text"])
            for c in s.get("checks") or []:
                for key in ("verdict", *(("data_verdict",) if "data_verdict" in c else ())):
                    assert c["metric"] and str(c[key]).lower() in (
                        "accurate", "roughly right", "misleading", "false", "unverifiable"), c


#: Each floor test: the splits scored together, the fewest labelled checks they must hold
#: (so that a lost file cannot pass), and the precision and recall floors set on them.
#: Stop 29 (2026-12-03): the floors of blind sets 5, 6, 7, 8, 10 and 11 raised to their scores
#: at the end of the stop (main ea9c6dc; fresh5 P 1.00 R 0.92, fresh6 0.95/0.45, fresh7
#: 1.00/0.42, fresh8 0.97/0.36, fresh10 0.93/0.31, fresh11 0.94/0.34) rounded down to 0.05,
#: precision at most 0.90. These sets were read while fixing in that stop, so they now guard
#: against regressions; fresh12 is the blind one.
#: Blind set 14 (21 texts, split fresh14: RUS-AZE trade, North-South corridor and BTC volumes;
#: RUS-GEO remittances and trade; Central Asian remittances 2024; Nepal; RUS-TUR 2015; CHN-JPN
#: rare earths 2010; the Qatar boycott 2018; RUS-MDA wine 2013; CHN-AUS 2020), labelled by hand
#: and committed (fca9718) before any checker ran on it. First score (main 15495ea), test store:
#: P 0.64 (27/42), R 0.35 (27/78); shared datasets P 0.60, R 0.32. On the stop's final code
#: (998f086), unseen by its fixes: P 0.57 (28/49), R 0.36; shared datasets P 0.53, R 0.33 --
#: the stop's rules made more claims on unseen text, more of them wrong. One fix made after
#: reading that score (a bloc's remittances, "the share of EU remittances"): P 0.60, R 0.36.
#: Floors: that score rounded down, a known failure, not a target.
FRESH14_PRECISION_FLOOR = 0.55
FRESH14_RECALL_FLOOR = 0.35
FLOORS = {
    "first 31 texts": (FIRST_SPLITS, 40, PRECISION_FLOOR, RECALL_FLOOR),
    "blind set 2": (("fresh2",), 25, FRESH2_PRECISION_FLOOR, FRESH2_RECALL_FLOOR),
    "blind set 3": (("fresh3",), 20, FRESH3_PRECISION_FLOOR, FRESH3_RECALL_FLOOR),
    "all 43 texts": (ALL43_SPLITS, 120, ALL_PRECISION_FLOOR, ALL_RECALL_FLOOR),
    "blind set 4": (("fresh4",), 25, FRESH4_PRECISION_FLOOR, FRESH4_RECALL_FLOOR),
    "texts the brief quoted": (("brief4",), 8, BRIEF4_PRECISION_FLOOR, BRIEF4_RECALL_FLOOR),
    "blind set 5": (("fresh5",), 26, FRESH5_PRECISION_FLOOR, FRESH5_RECALL_FLOOR),
    "blind set 6": (("fresh6",), 42, FRESH6_PRECISION_FLOOR, FRESH6_RECALL_FLOOR),
    "blind set 7": (("fresh7",), 38, FRESH7_PRECISION_FLOOR, FRESH7_RECALL_FLOOR),
    "blind set 8": (("fresh8",), 100, FRESH8_PRECISION_FLOOR, FRESH8_RECALL_FLOOR),
    "blind set 10": (("fresh10",), 89, FRESH10_PRECISION_FLOOR, FRESH10_RECALL_FLOOR),
    "blind set 11": (("fresh11",), 47, FRESH11_PRECISION_FLOOR, FRESH11_RECALL_FLOOR),
    "blind set 12": (("fresh12",), 52, FRESH12_PRECISION_FLOOR, FRESH12_RECALL_FLOOR),
    "blind set 13": (("fresh13",), 15, FRESH13_PRECISION_FLOOR, FRESH13_RECALL_FLOOR),
    "blind set 14": (("fresh14",), 78, FRESH14_PRECISION_FLOOR, FRESH14_RECALL_FLOOR),
}


@pytest.mark.parametrize("name", FLOORS)
def test_precision_and_recall_floors(name: str) -> None:
    splits, labelled, precision, recall = FLOORS[name]
    _, total = score(splits)
    assert total.labelled >= labelled
    assert total.precision >= precision, total.wrong
    assert total.recall >= recall, total.missed


def test_cli_checks_a_real_op_ed_on_the_flagship_case(tmp_path: Path) -> None:
    """`geolever claims check` on two real pieces arguing Russia's leverage over Azerbaijan.

    Turan (2025) relays the Kremlin's list of levers (remittances "over $1 billion", "about 7%
    of the budget", the Novorossiysk oil route); News-Pravda (2025) argues Azerbaijan loses
    more (turnover, import share, the pipeline "transits" oil, reorientation "difficult").
    """
    import json

    import typer
    from typer.testing import CliRunner

    from geolever.cli.claims_cmd import claims_app

    docs = dict(load_corpus())
    text = "\n\n".join(s["text"] for name in ("turan_2025_punish_baku.yaml",
                                              "newspravda_2025_who_loses_more.yaml")
                       for s in docs[name]["sentences"])
    path = tmp_path / "oped.txt"
    path.write_text(text, "utf-8")
    app = typer.Typer()
    app.add_typer(claims_app, name="claims")

    @app.callback()
    def main() -> None:
        """Throwaway root app for the test."""

    out = tmp_path / "rep"
    res = CliRunner().invoke(app, ["claims", "check", str(path), "--out", str(out),
                                   "--format", "json"],
                             env={"GEOLEVER_STORE": str(tmp_path / "s.duckdb")})
    assert res.exit_code == 0, res.output
    doc = json.loads((out / "claims.json").read_text("utf-8"))
    got = {(c["metric"], c["verdict"]) for s in doc["sentences"] for c in s["claims"]}
    assert ("remittances_share_of_budget", "false") in got  # 7% vs 4.0% (2021)
    assert ("remittances", "false") in got  # "over $1 billion" vs US$623m (2021)
    assert ("asset_status", "false") in got  # Baku-Novorossiysk suspended
    assert ("lever_target_loss", "false") in got  # oil transit: infeasible, nothing lost
    assert ("lever_substitution_1y", "accurate") in got  # reorientation is slow (~18% in 1y)
    explanations = " ".join(c["explanation"] for s in doc["sentences"] for c in s["claims"])
    assert "Used:" in explanations and "Model:" in explanations
