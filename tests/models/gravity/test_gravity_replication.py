"""The chapter-2 applications of Yotov et al. (2016) from ``geolever ge --spec``.

Real data (../shared/data/gravity) and the book's own Stata output (tests/fixtures/gravity,
provenance in the README there): PPML coefficients against the book's logs, per-country
results against the book's exported tables, for the exact solver and for ``yotov2016``
(the emulation of the book's iterative procedure). The panel application (NAFTA, pair
effects on 28,566 rows) is the slow part, about 10 s per estimation.
"""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pandas as pd
import pyfixest as pf
import pytest
import typer
import yaml
from typer.testing import CliRunner

from geolever.cli.ge import ge_command
from geolever.core.gravity_spec import Change
from geolever.models.gravity.estimation import pair_ids
from geolever.models.gravity.replication import resolve
from geolever.models.gravity.structural import structural_flows
from geolever.scenario.ge_replication import load_spec, run_spec
from geolever.sources.gravity_data import read_gravity

app = typer.Typer()
app.command("ge")(ge_command)
app.command("noop")(lambda: None)

ROOT = Path(__file__).resolve().parents[3]
EXAMPLES = ROOT / "examples" / "gravity"
FIX = Path(__file__).parents[2] / "fixtures" / "gravity"
#: example spec -> (coefficient-table application, published table)
APPS = {
    "app1_trade_without_borders": ("app1_trade_without_borders", "app1"),
    "app2_nafta_rta": ("app2_rta_nafta", "app2"),
    "ex1_can_usa_border_part_a": ("ex1_part_A", "ex1_part_A"),
    "ex1_can_usa_border_part_bc": ("ex1_part_BC", "ex1_part_BC"),
    "ex1_can_usa_border_part_d": ("ex1_part_D", "ex1_part_D"),
}
COLUMNS = {
    "factory_price_change_pct": "change_price_FULL",
    "exports_change_pct": "change_Xi_FULL",
    "real_gdp_change_pct": "change_rGDP_FULL",
    "imr_change_pct": "change_IMR_FULL",
    "omr_change_pct": "change_OMR_FULL",
}
#: exact solver vs the book, largest factory-price gap measured (pp), per application
EXACT_PRICE_MAX = {"app1_trade_without_borders": 0.461, "app2_nafta_rta": 0.113,
                   "ex1_can_usa_border_part_a": 0.410, "ex1_can_usa_border_part_bc": 0.351,
                   "ex1_can_usa_border_part_d": 0.437}


def _run(spec: str, out: Path, shared: Path, *extra: str) -> dict:
    data = yaml.safe_load((EXAMPLES / f"{spec}.yaml").read_text())["data"]["path"]
    path = shared / "gravity" / Path(data).name
    res = CliRunner().invoke(app, ["ge", str(path), "--spec", str(EXAMPLES / f"{spec}.yaml"),
                                   "--out", str(out), *extra])
    assert res.exit_code == 0, res.output
    meta = json.loads((out / "results.json").read_text())
    meta["table"] = pd.read_csv(out / "results.csv").set_index("iso3")
    meta["coef"] = pd.read_csv(out / "coefficients.csv")
    return meta


def _published(spec: str) -> pd.DataFrame:
    return pd.read_csv(FIX / f"yotov2016_ch2_{APPS[spec][1]}_published.csv").set_index("country")


def _gaps(table: pd.DataFrame, spec: str) -> pd.DataFrame:
    pub = _published(spec)
    assert set(table.index) == set(pub.index) and len(pub) == 69
    pub = pub.loc[table.index]
    return pd.DataFrame({c: (table[c] - pub[b]).abs() for c, b in COLUMNS.items()})


def test_every_example_states_sigma_and_reference() -> None:
    for spec in APPS:
        raw = yaml.safe_load((EXAMPLES / f"{spec}.yaml").read_text())
        assert raw["solution"]["sigma"] == 7 and raw["solution"]["reference"] == "DEU"
        assert raw["data"]["path"].startswith("../shared/data/gravity/")


@pytest.mark.slow
@pytest.mark.parametrize("spec", list(APPS))
def test_application_replicates_the_book(spec: str, shared_data: Path, tmp_path: Path) -> None:
    # 1. the command line, method yotov2016 (the book's procedure)
    meta = _run(spec, tmp_path, shared_data, "--method", "yotov2016")
    assert meta["method"] == "yotov2016" and meta["sigma"] == 7 and meta["reference"] == "DEU"
    book = pd.read_csv(FIX / "yotov2016_ch2_coefficients.csv")
    book = book[book["application"] == APPS[spec][0]].rename(columns={"regressor": "term"})
    ours = meta["coef"].assign(term=meta["coef"]["term"].replace({"log(DIST)": "ln_DIST"}))
    stage = {"baseline": "estimation", "pair_effects": "estimation", "fill_in": "fill_in"}
    merged = book.assign(stage=book["stage"].map(stage)).merge(
        ours, on=["stage", "term"], suffixes=("_book", ""))
    assert len(merged) == len(book) == len(ours)
    # PPML coefficients equal the logs' (7 significant digits) to 1e-6
    np.testing.assert_allclose(merged["coef"], merged["coef_book"], rtol=0, atol=1e-6)
    gaps = _gaps(meta["table"], spec)
    assert (gaps.max() < 0.01).all(), gaps.max()  # measured <= 1.2e-4 pp (exports)
    # the truncated loop leaves markets uncleared by 0.1-0.6 %, and says so
    assert 5e-4 < meta["market_clearing_residual"] < 0.01
    # 2. the exact solver on the same specification (Python API)
    s = load_spec(EXAMPLES / f"{spec}.yaml")
    s.data.path = str(shared_data / "gravity" / Path(s.data.path).name)
    rep = run_spec(s)
    assert rep.method == "exact" and rep.residual < 1e-9
    exact = _gaps(rep.table(s.output.convention).set_index("iso3"), spec)
    assert exact["factory_price_change_pct"].max() < EXACT_PRICE_MAX[spec]
    # same PPML and trade costs: the methods differ by the truncation of the loop only
    again = resolve(rep, s.solution.model_copy(update={"method": "yotov2016"}))
    assert (_gaps(again.table(s.output.convention).set_index("iso3"), spec).max() < 0.01).all()
    if spec == "app1_trade_without_borders":
        # the criterion: exact within 0.1 pp median and 0.5 pp max of the book
        price = exact["factory_price_change_pct"]
        assert price.median() < 0.1 and price.max() < 0.5  # measured 0.0756 / 0.460 (HKG)
    if spec == "app2_nafta_rta":
        assert s.output.convention == "existing_policy"
        t = meta["table"]
        # NAFTA raised Mexico's and Canada's real GDP most; CAN factory prices +1.84 %
        assert set(t["real_gdp_change_pct"].nlargest(2).index) == {"MEX", "CAN"}
        assert t.loc["CAN", "factory_price_change_pct"] == pytest.approx(1.837, abs=1e-3)
        # 14 ordered pairs never trade: their costs come from the second stage
        assert len(meta["pairs_filled_in"]) == 14 and meta["pairs_changed"] == 6


def test_app1_exact_from_the_command_line(shared_data: Path, tmp_path: Path) -> None:
    meta = _run("app1_trade_without_borders", tmp_path, shared_data)
    price = _gaps(meta["table"], "app1_trade_without_borders")["factory_price_change_pct"]
    assert price.median() < 0.1 and price.max() < 0.5
    assert meta["method"] == "exact" and meta["market_clearing_residual"] < 1e-9


def test_change_syntax() -> None:
    one = Change.parse("INTL_BRDR_AB=0@CAN:USA")
    assert one.pairs == (("CAN", "USA"),) and one.value == 0
    both = Change.parse("RTA=0@CAN-USA,can-mex")
    assert both.pairs == (("CAN", "USA"), ("USA", "CAN"), ("CAN", "MEX"), ("MEX", "CAN"))
    assert Change.parse("INTL_BRDR=0").pairs is None


def test_pair_ids_symmetric_with_shared_domestic() -> None:
    e = pd.Series(["CAN", "USA", "CAN", "USA"])
    i = pd.Series(["USA", "CAN", "CAN", "USA"])
    ids = pair_ids(e, i)
    assert ids[0] == ids[1] == "CAN-USA" and ids[2] == ids[3] == "__domestic__"


def test_closed_form_ppml_equals_pyfixest_with_offset(shared_data: Path) -> None:
    # method yotov2016 re-estimates PPML with exporter/importer effects and an offset in
    # closed form (structural_flows); check it against pyfixest on the book's data
    df = read_gravity(shared_data / "gravity" / "1_TradeWithoutBorder.dta", rename={"ZZZ": "DEU"})
    df = df.assign(off=-0.79 * np.log(df["DIST"]) + 0.67 * df["CNTG"])
    fit = pf.fepois("trade ~ 1 | exporter + importer", data=df, offset="off")
    mu = df.assign(mu=np.asarray(fit.predict(type="response")))
    wide = mu.pivot(index="exporter", columns="importer", values="mu").to_numpy()
    x = df.pivot(index="exporter", columns="importer", values="trade").to_numpy()
    cost = np.exp(df.pivot(index="exporter", columns="importer", values="off").to_numpy())
    np.testing.assert_allclose(structural_flows(x.sum(1), x.sum(0), cost), wide, rtol=1e-5)


def _bad(tmp_path: Path, shared: Path, edit: dict | None = None, *extra: str,
         spec: str = "app1_trade_without_borders") -> tuple[int, str, Path]:
    raw = yaml.safe_load((EXAMPLES / f"{spec}.yaml").read_text())
    raw["data"]["path"] = str(shared / "gravity" / Path(raw["data"]["path"]).name)
    for key, value in (edit or {}).items():
        part, _, field = key.partition(".")
        if value is None:
            raw[part].pop(field)
        elif field:
            raw[part][field] = value
        else:
            raw[part] = value
    path = tmp_path / "spec.yaml"
    path.write_text(yaml.safe_dump(raw, sort_keys=False))
    out = tmp_path / "out"
    res = CliRunner().invoke(app, ["ge", "--spec", str(path), "--out", str(out), *extra])
    return res.exit_code, res.output, out


@pytest.mark.parametrize(
    ("edit", "extra", "message"),
    [
        ({"solution.sigma": None}, (), "field solution.sigma"),
        ({"solution.reference": None}, (), "field solution.reference"),
        ({"counterfactual": ["INTL_BRDR=zero"]}, (), "not a number"),
        ({"counterfactual": ["INTL_BRDR=0@CAN-XYZ"]}, (), "XYZ"),
        ({"counterfactual": ["LANG=1"]}, (), "changes no trade cost"),
        ({"counterfactual": ["NOPE=1"]}, (), "no column 'NOPE'"),
        ({"estimation.formula": "trade ~ log(FOO)"}, (), "FOO"),
        ({"solution.method": "newton"}, (), "field solution.method"),
        (None, ("--method", "yotov2016", "--baseline-flows", "observed"), "fitted"),
        (None, ("--embargo", "CAN:USA"), "--embargo"),
    ],
)
def test_spec_errors_are_one_line_and_write_nothing(
    tmp_path: Path, shared_data: Path, edit: dict | None, extra: tuple[str, ...], message: str
) -> None:
    code, out, folder = _bad(tmp_path, shared_data, edit, *extra)
    assert code == 2, out
    out = " ".join(out.split())  # Rich wraps at the test terminal's width
    assert message in out and "Traceback" not in out
    assert not folder.exists()


def test_spec_error_names_the_yaml_line(tmp_path: Path) -> None:
    path = tmp_path / "s.yaml"
    path.write_text("data: {path: x.dta}\nestimation:\n  formula: 'trade ~ A'\n"
                    "counterfactual: [A=0]\nsolution:\n  sigma: 0.5\n  reference: DEU\n")
    res = CliRunner().invoke(app, ["ge", "--spec", str(path)])
    out = " ".join(res.output.split())
    assert res.exit_code == 2 and "line 6" in out and "solution.sigma" in out


def test_a_spec_error_is_one_line_with_file_line_field_and_fix() -> None:
    """The spec reader and the scenario reader share one schema-error helper."""
    from geolever.core.errors import ScenarioError
    from geolever.scenario.ge_replication import parse_spec

    text = ("data: {path: x.dta}\nestimation: {formula: 'trade ~ A'}\ncounterfactual: [A=0]\n"
            "solution:\n  reference: DEU\n  method: newton\n")
    with pytest.raises(ScenarioError) as info:
        parse_spec(yaml.safe_load(text), origin="s.yaml", root=yaml.compose(text))
    err = info.value
    assert err.message == "Field required (1 more problem(s) after this one)"
    assert err.field == "s.yaml, line 5, field solution.sigma"
    assert err.fix == "add this field (sigma and reference must be explicit)"


def test_negative_agreement_coefficient_is_flagged(tmp_path: Path, shared_data: Path) -> None:
    # 1994 cross-section with distance in levels: PPML gives RTA -1.31; an "agreement"
    # that lowers trade must not be applied silently (here through --pta in spec mode)
    code, out, folder = _bad(
        tmp_path, shared_data,
        {"estimation": {"formula": "trade ~ DIST + CNTG + LANG + CLNY + RTA", "years": [1994]},
         "baseline.year": 1994, "output.convention": "counterfactual"},
        "--pta", "CAN-JPN", "--pta-var", "RTA", spec="app2_nafta_rta",
    )
    out = " ".join(out.split())
    assert code == 2 and "-1.31" in out and "log(DIST)" in out
    assert not folder.exists()


def test_command_line_only_replication_and_parquet(tmp_path: Path, shared_data: Path) -> None:
    # the same model reached through options alone: part D's directed shock
    out = tmp_path / "d"
    res = CliRunner().invoke(app, [
        "ge", str(shared_data / "gravity" / "1_RemovingSpecificBorder.dta"),
        "--rename", "ZZZ=DEU", "--formula", "trade ~ log(DIST) + CNTG + INTL_BRDR + INTL_BRDR_AB",
        "--derive", "INTL_BRDR=INTL_BRDR - INTL_BRDR_AB", "--change", "INTL_BRDR_AB=0@CAN:USA",
        "--sigma", "7", "--reference", "DEU", "--format", "parquet", "--out", str(out),
    ])
    assert res.exit_code == 0, res.output
    table = pd.read_parquet(out / "results.parquet").set_index("iso3")
    assert list(table.columns) == list(COLUMNS)
    gap = _gaps(table, "ex1_can_usa_border_part_d")["factory_price_change_pct"]
    assert gap.max() < EXACT_PRICE_MAX["ex1_can_usa_border_part_d"]
    assert json.loads((out / "results.json").read_text())["pairs_changed"] == 1


def test_progress_callbacks_see_every_step_and_pass(shared_data: Path) -> None:
    s = load_spec(EXAMPLES / "app1_trade_without_borders.yaml")
    s.data.path = str(shared_data / "gravity" / "1_TradeWithoutBorder.dta")
    s.solution.method = "yotov2016"
    steps: list[str] = []
    passes: list[int] = []
    rep = run_spec(s, on_step=steps.append, on_pass=lambda k, sd, mx: passes.append(k))
    assert steps == ["read data", "estimate PPML", "trade costs", "solve"]
    assert passes == [1, 2, 3, 4, 5] == list(range(1, rep.result.iterations + 1))


def test_the_spec_schema_is_published() -> None:
    from geolever.cli import app as main_app
    from geolever.scenario.ge_replication import ReplicationSpec

    out = CliRunner().invoke(main_app, ["schema", "ge-spec"])
    assert out.exit_code == 0, out.output
    schema = json.loads(out.output)
    assert schema == ReplicationSpec.model_json_schema()
    assert {"data", "estimation", "counterfactual", "solution"} <= set(schema["required"])
