"""geolever.assess and friends: same validation, errors and numbers as the CLI."""

from __future__ import annotations

import re
from pathlib import Path

import matplotlib
import pandas as pd
import pytest
from matplotlib.figure import Figure
from typer.testing import CliRunner

import geolever
from geolever import cli
from geolever.cli import app
from geolever.core.errors import GeoleverError, ScenarioError

REPO = Path(__file__).resolve().parents[2]
runner = CliRunner()
cli.err_console.width = 400

LEVERS = [{"kind": "remittance_ban", "share": 1.0, "id": "remittances"},
          {"kind": "transit_block", "asset": "BAKU_NOVOROSSIYSK", "id": "oil_transit"}]


@pytest.fixture(scope="module")
def result() -> geolever.Assessment:
    return geolever.assess(sender="RUS", target="AZE", year=2024, levers=LEVERS, draws=200,
                           seed=3, store=":memory:")


def _cli_error(args: list[str]) -> str:
    out = runner.invoke(app, args)
    assert out.exit_code == 2, out.output
    text = " ".join(out.stderr.split())  # the CLI folds long lines
    return text.removeprefix("error: ")


def test_lever_objects_and_mappings_give_the_same_numbers(result: geolever.Assessment) -> None:
    objects = [geolever.levers.RemittanceBan(share=1.0, id="remittances"),
               geolever.levers.TransitBlock(asset="BAKU_NOVOROSSIYSK", id="oil_transit")]
    again = geolever.assess(sender="RUS", target="AZE", year=2024, levers=objects, draws=200,
                            seed=3, store=":memory:")
    pd.testing.assert_frame_equal(again.to_frame(), result.to_frame())


def test_the_result_is_the_typed_assessment_with_its_tables(result: geolever.Assessment,
                                                             ) -> None:
    frame = result.to_frame()
    assert list(frame.index) == ["remittances", "oil_transit"]
    assert frame.loc["oil_transit", "verdict"] == "infeasible"
    row = frame.loc["remittances"]
    assert row.target_loss_usd_m_p5 <= row.target_loss_usd_m_p50 <= row.target_loss_usd_m_p95
    # the wide table is the typed lever's numbers, in US$ million
    lever = result.assessment.levers[0]
    assert row.verdict == lever.verdict
    assert row.target_loss_usd_m_p50 == pytest.approx(lever.target_loss_usd.p50 / 1e6)
    assert result.case.target == "AZE" and result.levers[0] is lever
    sources = result.to_frame("sources")
    assert {"lever", "value", "unit", "year", "source"} <= set(sources.columns)
    assert (sources.lever == "remittances").any()
    summary = result.summary()
    assert "remittances" in summary and "infeasible" in summary
    assert result.levers[0].verdict in summary
    bands = result.to_frame("bands")
    pd.testing.assert_frame_equal(bands, result.assessment.to_frame())
    draws = result.to_frame("draws")
    assert draws.index.names == ["lever", "country", "draw"]
    aze = draws.loc[("remittances", "AZE"), "income_usd"]
    assert len(aze) == 200
    assert aze.median() == pytest.approx(lever.target_loss_usd.p50, rel=1e-9)
    with pytest.raises(ValueError, match="unknown table"):
        result.to_frame("nope")  # type: ignore[arg-type]


def test_plots_are_matplotlib_figures_and_html_embeds_the_chart(
        result: geolever.Assessment) -> None:
    assert isinstance(result.plot(), Figure)
    fig = result.plot("routes", lever="oil_transit")
    assert isinstance(fig, Figure)
    assert fig.axes[0].get_title().endswith("capacity and volume carried")
    routes = [t.get_text().replace("\n", " ") for t in fig.axes[0].get_yticklabels()]
    edges = result.document["levers"][1]["details"]["edges"]
    # routes labelled with their names (wrapped at 30 characters), not ids
    assert [r.replace("\n", " ") for r in routes] == [e.get("name") or e["id"] for e in edges]
    assert len(routes) >= 2
    with pytest.raises(GeoleverError, match="oil_transit"):
        result.plot("routes", lever="remittances")
    html = result._repr_html_()
    assert "<table" in html and "<svg" in html and "infeasible" in html
    matplotlib.pyplot.close("all")


def test_scenario_file_with_overrides_equals_the_same_run_by_keywords(tmp_path: Path) -> None:
    path = tmp_path / "s.yaml"
    path.write_text("sender: RUS\ntarget: AZE\nyear: 2024\nseed: 9\ndraws: 5000\nlevers:\n"
                    "  - kind: remittance_ban\n    share: 0.5\n")
    by_file = geolever.assess(path, draws=150, seed=4, store=":memory:")
    by_keywords = geolever.assess(sender="RUS", target="AZE", year=2024, draws=150, seed=4,
                                  levers=[geolever.levers.RemittanceBan(share=0.5)],
                                  store=":memory:")
    assert by_file.document["draws"] == 150
    pd.testing.assert_frame_equal(by_file.to_frame(), by_keywords.to_frame())


@pytest.mark.parametrize("yaml_text, keywords", [
    ("sender: RUS\ntarget: AZE\nlevers:\n  - kind: remittance_bann\n",
     {"levers": [{"kind": "remittance_bann"}]}),
    ("sender: RUS\ntarget: AZE\ndraws: 5\nlevers:\n  - kind: remittance_ban\n",
     {"draws": 5, "levers": [{"kind": "remittance_ban"}]}),
    ("sender: RUS\ntarget: AZE\nlevers:\n  - kind: remittance_ban\n    share: 2\n",
     {"levers": [{"kind": "remittance_ban", "share": 2}]}),
])
def test_errors_are_the_clis_one_line_message_and_fix(tmp_path: Path, yaml_text: str,
                                                      keywords: dict[str, object]) -> None:
    path = tmp_path / "bad.yaml"
    path.write_text(yaml_text)
    with pytest.raises(ScenarioError) as from_file:
        geolever.assess(path, store=":memory:")
    assert _cli_error(["assess", str(path), "--store", str(tmp_path / "s.db")]) == \
        " ".join(str(from_file.value).split())
    with pytest.raises(ScenarioError) as from_keywords:
        geolever.assess(sender="RUS", target="AZE", store=":memory:", **keywords)  # type: ignore[arg-type]
    # the same message and fix; the origin names the call instead of the file and line
    def strip(err: BaseException) -> str:
        return re.sub(r"^.*?, field ", "", str(err))
    assert strip(from_keywords.value) == strip(from_file.value)
    assert "Fix:" in str(from_keywords.value)


def test_check_claims_and_its_frame() -> None:
    check = geolever.check_claims(
        "In 2023 the trade turnover between Azerbaijan and Russia amounted to $4.4 bln.",
        published=2024, store=":memory:")
    frame = check.to_frame()
    assert list(frame.status) == ["checked"]
    assert frame.verdict.iloc[0] in ("accurate", "roughly right")
    assert frame.metric.iloc[0] == "trade_turnover"
    assert frame.year.iloc[0] == 2023 and str(frame.year.dtype) == "Int64"
    assert "<table" in check._repr_html_()
    with pytest.raises(GeoleverError) as err:
        geolever.check_claims("x", case="no-such-pack", store=":memory:")
    assert "case" in str(err.value) and "Fix:" in str(err.value)


def test_matrix_errors_match_the_cli(tmp_path: Path) -> None:
    store = tmp_path / "empty.duckdb"
    with pytest.raises(GeoleverError) as err:
        geolever.matrix(2021, store=store)
    assert _cli_error(["matrix", "--year", "2021", "--store", str(store)]) == \
        " ".join(str(err.value).split())


def test_readme_python_example_runs_as_written(tmp_path: Path,
                                               monkeypatch: pytest.MonkeyPatch) -> None:
    text = (REPO / "README.md").read_text("utf-8")
    section = text.split("\n## Python\n", 1)[1]
    snippet = section.split("```python\n", 1)[1].split("```", 1)[0]
    assert len(snippet.strip().splitlines()) == 5
    monkeypatch.setenv("GEOLEVER_STORE", str(tmp_path / "store.duckdb"))
    namespace: dict[str, object] = {}
    exec(compile(snippet, "README.md", "exec"), namespace)
    result = namespace["result"]
    assert isinstance(result, geolever.Assessment)
    assert result.document["levers"][0]["kind"] == "remittance_ban"
    matplotlib.pyplot.close("all")


def test_to_dict_after_the_store_is_closed() -> None:
    """A store the call opened (":memory:") is closed when it returns: result.json must not
    be read from it again."""
    result = geolever.assess(sender="RUS", target="AZE", year=2024, draws=100, seed=1,
                             levers=[geolever.levers.RemittanceBan(share=1)], store=":memory:")
    doc = result.to_dict()
    assert doc is result.document and doc["levers"][0]["id"] == "remittance_ban"
    assert doc["data"]  # the store's datasets, read before it closed
