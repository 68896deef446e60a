"""``geolever balance SENDER TARGET``: both directions, the flagship and a store-built pair."""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from pathlib import Path

import pytest
from typer.testing import CliRunner

from geolever import cli
from geolever.cli import app
from geolever.scenario import ResultDocument

runner = CliRunner()
cli.console.width = 250
cli.err_console.width = 250

EFFECTIVE = re.compile(r"\b(?:in)?effective\b", re.IGNORECASE)


@pytest.fixture(scope="module")
def flagship(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, str]:
    tmp = tmp_path_factory.mktemp("balance")
    result = runner.invoke(app, ["balance", "RUS", "AZE", "--year", "2024", "--out",
                                 str(tmp / "out"), "--store", str(tmp / "s.duckdb"),
                                 "--draws", "300"], env={"COLUMNS": "200"})
    assert result.exit_code == 0, result.output
    return tmp / "out", result.output


def test_flagship_balance_holds_both_directions(flagship: tuple[Path, str]) -> None:
    out, text = flagship
    doc = json.loads((out / "result.json").read_text("utf-8"))
    assert [(d["sender"], d["target"]) for d in doc["directions"]] == [("RUS", "AZE"),
                                                                      ("AZE", "RUS")]
    for d in doc["directions"]:
        assert d["levers"] and d["combined"] is not None
    counter = {lv["id"]: lv for lv in doc["directions"][1]["levers"]}
    assert set(counter) == {"instc_transit", "wheat_imports", "reverse_oil", "remittances"}
    # every counter-lever is assessed from sourced figures of the pack
    for lv in counter.values():
        assert lv["verdict"] != "not assessable", lv["id"]
        assert any(s["source"] and s["label"] != "GDP of Azerbaijan" for s in lv["sources"])
    oil = counter["reverse_oil"]
    assert any("news.az" in s["citation"] for s in oil["sources"])
    assert counter["remittances"]["sources"][0]["label"].startswith(
        "remittances received by RUS from AZE")
    assert any(s["label"] == "corridor volume INSTC_WEST" for s in
               counter["instc_transit"]["sources"])
    # the side-by-side summary and the escalation
    fwd, rev = doc["balance"]["sides"]
    assert fwd["verdict"] == "moderate leverage" and fwd["damage"] == "material"
    assert rev["verdict"] == "no leverage" and rev["damage"] == "none"
    assert fwd["damage_pct_budget"]["p50"] > 0 and fwd["damage_pct_fx_earnings"]["p50"] > 0
    esc = doc["balance"]["escalation"]
    assert esc["counter"] != "wheat_imports"  # the same flow as Russia's wheat export ban
    assert len(esc["steps"]) == 2
    assert esc["steps"][1]["target_loss_pct_gdp"]["p50"] > esc["steps"][0][
        "target_loss_pct_gdp"]["p50"]
    # the answer paragraph: at the top of the report, in the terminal and in result.json
    answer = doc["answer"]
    assert answer["holder"] == "Russian Federation"
    assert answer["text"].startswith("Russian Federation holds more leverage over Azerbaijan")
    md = (out / "report.md").read_text("utf-8")
    head = md.split("## ")[0]
    assert "**Answer.** Russian Federation holds more leverage" in head
    assert "## Both directions" in md and "### Counter-levers: Azerbaijan -> Russian" in md
    assert "Answer." in text and "Balance RUS <-> AZE" in text
    html = (out / "report.html").read_text("utf-8")
    assert "holds more leverage" in html
    for name, body in (("report.md", md), ("result.json", json.dumps(doc)), ("cli", text)):
        assert not EFFECTIVE.search(body), name
    # result.json reads back into its typed document (the published schema's model)
    typed = ResultDocument.model_validate(doc)
    assert typed.balance is not None and typed.balance.sides[1].sender == "AZE"
    assert typed.directions[1].combined is not None


@pytest.fixture(scope="module")
def real_store(pair_datasets_store: Callable[[], Path]) -> Path:
    return pair_datasets_store()


def test_a_pair_from_the_standard_datasets_only(real_store: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    result = runner.invoke(app, ["balance", "RUS", "TJK", "--year", "2021", "--draws", "300",
                                 "--store", str(real_store), "--out", str(out)],
                           env={"COLUMNS": "200"})
    assert result.exit_code == 0, result.output
    doc = json.loads((out / "result.json").read_text("utf-8"))
    assert "no case pack" in doc["case_basis"]
    fwd, rev = doc["directions"]
    assert (rev["sender"], rev["target"]) == ("TJK", "RUS")
    rem_f = next(lv for lv in fwd["levers"] if lv["id"] == "remittances")
    rem_r = next(lv for lv in rev["levers"] if lv["id"] == "remittances")
    # KNOMAD 2021: RUS -> TJK and TJK -> RUS, both from the matrix
    for lv in (rem_f, rem_r):
        assert lv["sources"][0]["source"] == "World Bank/KNOMAD bilateral remittance matrix"
        assert lv["verdict"] != "not assessable"
    # the matrix's 2021 cells (US$m): RUS -> TJK 2,306.8, TJK -> RUS 207.4
    assert rem_f["sources"][0]["value"] == pytest.approx(2_306.76e6, rel=1e-4)
    assert rem_r["sources"][0]["value"] == pytest.approx(207.41e6, rel=1e-4)
    assert rem_f["damage"] == "severe" and rem_f["verdict"] == "moderate leverage"
    assert rem_r["damage"] == "none" and rem_r["verdict"] == "no leverage"
    # goods totals are not in this store: those levers say what to import
    trade = next(lv for lv in rev["levers"] if lv["id"] == "all_imports")
    assert trade["verdict"] == "not assessable" and "dots" in trade["missing"]["fix"].lower()
    assert doc["answer"]["holder"] == "Russian Federation"
    assert "Tajikistan" in rev["levers"][0]["label"]
    report = (out / "report.md").read_text("utf-8")
    assert "RUS -> TJK" in report
    # a lever without data shows no numbers (its zero bands are placeholders), in the report
    # table and the printed one, and the printed row says what is missing
    row = next(line for line in report.splitlines()
               if line.startswith(f"| {trade['label']} |"))
    assert "US$0" not in row and "| - | - | - | - | - / - |" in row
    printed = next(line for line in result.output.splitlines() if "not assessable" in line)
    assert "missing data: no " in printed and " 0 " not in printed
    assert "2021 (2021," not in result.output  # the pair's title already ends in its year


def test_balance_from_a_scenario_with_directions_both(tmp_path: Path) -> None:
    path = tmp_path / "s.yaml"
    path.write_text("sender: RUS\ntarget: AZE\nyear: 2024\ndraws: 200\ndirections: both\n"
                    "levers:\n  - kind: remittance_ban\ncounter_levers:\n"
                    "  - kind: proposal_refusal\n    proposal: TIKHORETSK_BAKU_REVERSE\n",
                    "utf-8")
    result = runner.invoke(app, ["assess", str(path), "--out", str(tmp_path / "out"),
                                 "--store", str(tmp_path / "s.duckdb")])
    assert result.exit_code == 0, result.output
    doc = json.loads((tmp_path / "out" / "result.json").read_text("utf-8"))
    assert [d["sender"] for d in doc["directions"]] == ["RUS", "AZE"]
    assert doc["directions"][1]["levers"][0]["kind"] == "proposal_refusal"
    assert doc["balance"]["sides"][1]["headline"] == "proposal_refusal"
