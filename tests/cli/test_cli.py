import json
import shutil
from pathlib import Path

import pytest
from typer.testing import CliRunner

from geolever import cli
from geolever.cli import app

REPO = Path(__file__).resolve().parents[2]
SCENARIO = REPO / "examples" / "russia-azerbaijan.yaml"
runner = CliRunner()
# Rich sizes its console when the module is imported; tables must not wrap words in tests.
cli.console.width = 250
cli.err_console.width = 250


@pytest.fixture
def env(tmp_path, monkeypatch):
    monkeypatch.setenv("GEOLEVER_STORE", str(tmp_path / "store.duckdb"))
    monkeypatch.setenv("COLUMNS", "200")
    return tmp_path


@pytest.fixture(scope="module")
def demo(tmp_path_factory):
    out = tmp_path_factory.mktemp("demo")
    result = runner.invoke(app, ["demo", "--out", str(out / "report"), "--store",
                                 str(out / "s.duckdb"), "--draws", "2000"],
                           env={"COLUMNS": "200"})
    assert result.exit_code == 0, result.output
    return out / "report", result.output


def test_demo_gives_every_lever_a_verdict_with_sources(demo):
    out, text = demo
    doc = json.loads((out / "result.json").read_text())
    for key in ("case", "sender", "target", "year", "levers", "claims", "geolever_version",
                "seed"):
        assert key in doc
    assert (doc["sender"], doc["target"], doc["year"]) == ("RUS", "AZE", 2024)
    verdicts = {lv["id"]: lv["verdict"] for lv in doc["levers"]}
    assert verdicts["oil_transit"] == "infeasible"
    # the leverage scale (reference/verdict_scales.yaml): 0.44% and 0.37% of GDP are minor
    # damage (weak leverage); plastics 0.05% and the corridor 0.03% are none (no leverage)
    assert verdicts["remittances"] == "weak leverage"
    assert verdicts["food_imports"] == "weak leverage"
    assert verdicts["industrial_goods"] == "no leverage"
    assert verdicts["instc"] == "no leverage"
    damage = {lv["id"]: lv["damage"] for lv in doc["levers"]}
    assert damage["remittances"] == damage["food_imports"] == "minor"
    assert doc["combined"]["damage"] == "material"
    assert doc["combined"]["verdict"] == "moderate leverage"
    assert set(verdicts) == {"remittances", "food_imports", "industrial_goods",
                             "food_imports_ge", "industrial_goods_ge",
                             "wheat_exports", "instc", "oil_transit", "ethno_political"}
    # the general-equilibrium re-estimates report GDP changes for third countries too
    ge = next(lv for lv in doc["levers"] if lv["id"] == "food_imports_ge")
    assert ge["alternative_to"] == "food_imports"
    assert {"TUR", "CHN", "EU27"} <= set(ge["third_countries_loss_usd"])
    assert ge["details"]["ge_residual"] < 1e-9
    for lv in doc["levers"]:
        for band in ("target_loss_usd", "sender_cost_usd", "target_loss_pct_gdp"):
            assert set(lv[band]) == {"p5", "p50", "p95"}
            assert lv[band]["p5"] <= lv[band]["p50"] <= lv[band]["p95"]
        assert lv["reasons"] and lv["sources"]
        assert all(s["source"] for s in lv["sources"])
    ethno = next(lv for lv in doc["levers"] if lv["id"] == "ethno_political")
    assert ethno["judgement"] is True
    remit = next(lv for lv in doc["levers"] if lv["id"] == "remittances")
    assert 0.2 < remit["target_loss_pct_gdp"]["p50"] < 0.7
    assert "infeasible" in text and "Claims" in text


def test_demo_evaluates_the_remittance_claim_for_2022_to_2024(demo):
    doc = json.loads((demo[0] / "result.json").read_text())
    claim = next(c for c in doc["claims"] if c["indicator"] == "remittances_share_of_budget")
    years = {y["year"]: y for y in claim["by_year"]}
    assert {2022, 2023, 2024} <= set(years)
    assert all(years[y]["computed"] is not None for y in (2022, 2023, 2024))
    assert claim["verdict"] in ("misleading", "false")
    assert "household" in claim["explanation"]
    status = next(c for c in doc["claims"] if c["indicator"] == "asset_status")
    assert status["verdict"] == "accurate"


def test_report_files_are_complete_and_self_contained(demo):
    out = demo[0]
    html = (out / "report.html").read_text()
    assert html.count("<svg") >= 3 and "<script" not in html and "http://" not in html.split(
        "<body>")[0]
    md = (out / "report.md").read_text()
    assert "## Claims" in md and "charts/loss_vs_cost.svg" in md
    assert (out / "charts" / "loss_vs_cost.svg").exists()


def test_assess_with_seed_is_reproducible(env):
    a = runner.invoke(app, ["assess", str(SCENARIO), "--seed", "7", "--draws", "300",
                            "--out", str(env / "a")])
    b = runner.invoke(app, ["assess", str(SCENARIO), "--seed", "7", "--draws", "300",
                            "--out", str(env / "b")])
    assert a.exit_code == b.exit_code == 0, a.output
    ja, jb = (json.loads((env / d / "result.json").read_text()) for d in ("a", "b"))
    assert ja["levers"] == jb["levers"] and ja["seed"] == 7


def test_assess_twice_into_one_out_folder_replaces_the_report(env):
    """Re-running a scenario into its --out folder (charts/ exists by then) must work.

    It used to fail with "charts exists and is a folder", and the "wrote" line was empty
    for a relative --out.
    """
    out = env / "rerun"
    args = ["assess", str(SCENARIO), "--seed", "3", "--draws", "200", "--out", str(out)]
    first = runner.invoke(app, args)
    assert first.exit_code == 0, first.output
    assert (out / "charts").is_dir()
    second = runner.invoke(app, [*args[:-3], "100", "--out", str(out)])
    assert second.exit_code == 0, second.output
    assert json.loads((out / "result.json").read_text())["draws"] == 100
    line = " ".join(second.output.split())
    assert "result.json" in line and "report.md" in line and "charts/ (" in line


def test_assess_refuses_a_file_where_the_charts_folder_goes(env):
    out = env / "clash"
    out.mkdir()
    (out / "charts").write_text("not a folder")
    result = runner.invoke(app, ["assess", str(SCENARIO), "--draws", "100", "--out", str(out)])
    assert result.exit_code == 2, result.output
    text = " ".join(result.output.split())
    assert "charts exists and is a file" in text and "Traceback" not in text
    assert sorted(p.name for p in out.iterdir()) == ["charts"]  # nothing written


def write(tmp: Path, text: str) -> Path:
    path = tmp / "s.yaml"
    path.write_text(text)
    return path


BASE = "sender: RUS\ntarget: AZE\nyear: 2024\ndraws: 200\nlevers:\n  - kind: remittance_ban\n"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (BASE.replace("target: AZE", "target: AZR"), "did you mean AZE (Azerbaijan)"),
        (BASE + "  - kind: transit_block\n    asset: DRUZHBA\n", "unknown asset 'DRUZHBA'"),
        (BASE + "  - kind: corridor_exclusion\n    corridor: silk_road\n", "unknown network"),
        (BASE.replace("year: 2024", "year: 2019"), "values exist for"),
        (BASE + "  - kind: trade_restriction\n    goods: [caviar]\n",
         "line 8, field levers[1].goods"),
        (BASE + "  - kind: trade_restriction\n    goods: [food]\n    measure: tariff\n",
         "tariff_pct"),
        (BASE + "  - kind: nuclear_option\n", "kind must be one of"),
        (BASE.replace("draws: 200", "draws: 10000000"), "line 4, field draws"),
        ("sender: RUS\ntarget: AZE\nlevers:\n  - kind: [unclosed\n", "malformed YAML"),
        ("sender: RUS\nlevers:\n  - kind: remittance_ban\n", "field target"),
        (BASE + "  - kind: remittance_ban\n    share: -0.5\n", "levers[1].share"),
        (BASE + "claims:\n  - text: about 7%\n    metric: remittances\n    claimed: 7\n"
         "    unit: pct\n", "measured in USD"),
    ],
)
def test_bad_scenarios_fail_clearly(env, text, expected):
    out = env / "out"
    result = runner.invoke(app, ["assess", str(write(env, text)), "--out", str(out)])
    assert result.exit_code == 2, result.output
    assert expected in " ".join(result.output.split())
    assert "Traceback" not in result.output
    assert not out.exists()  # nothing half-written


def test_missing_scenario_file(env):
    result = runner.invoke(app, ["assess", str(env / "nope.yaml")])
    assert result.exit_code == 2 and "no such file" in result.output


def test_data_commands(env):
    assert runner.invoke(app, ["data", "import", "pack", "russia-azerbaijan"]).exit_code == 0
    again = runner.invoke(app, ["data", "import", "pack", "russia-azerbaijan"])
    assert again.exit_code == 0 and "0 new facts" in again.output
    listed = runner.invoke(app, ["data", "list"])
    assert "pack:russia-azerbaijan" in listed.output
    shown = runner.invoke(app, ["data", "show", "remittances_received", "--partner", "RUS"])
    assert shown.exit_code == 0 and "money_transfer_systems" in shown.output
    bad = runner.invoke(app, ["data", "show", "remitances"])
    assert bad.exit_code == 2 and "unknown indicator" in bad.output
    exported = runner.invoke(app, ["data", "export", str(env / "f.parquet")])
    assert exported.exit_code == 0 and (env / "f.parquet").exists()


def test_import_of_bad_facts_leaves_the_store_untouched(env):
    path = env / "bad.csv"
    shutil.copy(REPO / "src/geolever/packs/russia-azerbaijan/facts.csv", path)
    with path.open("a") as fh:
        fh.write("gdp,AZE,,,,,2025,FY,-1,USD,reported,,test,,\n")
    result = runner.invoke(app, ["data", "import", "facts", str(path)])
    assert result.exit_code == 2 and "negative" in result.output
    from geolever.store import FactStore

    with FactStore(env / "store.duckdb") as db:
        assert db.count() == 0 and db.datasets().empty


def test_levers_lists_parameters():
    result = runner.invoke(app, ["levers"], env={"COLUMNS": "200"})
    assert result.exit_code == 0
    for kind in ("remittance_ban", "trade_restriction", "transit_block", "corridor_exclusion",
                 "expert_judgement"):
        assert kind in result.output
