"""Tests of ``geolever ge`` on a multi-sector dataset (3 countries x 2 sectors)."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
import typer
from typer.testing import CliRunner

from geolever.cli.ge import ge_command
from geolever.core.errors import InvalidDataError
from geolever.models.gravity import solve_ge_multisector
from geolever.sources.gravity_data import read_gravity, sector_flow_tensor

app = typer.Typer()
app.command("ge")(ge_command)
app.command("noop")(lambda: None)  # keeps "ge" a named sub-command

FIX = Path(__file__).parents[1] / "fixtures" / "gravity"
DATA = FIX / "multisector_3x2.csv"
IO = FIX / "multisector_3x2_io.csv"
VA = FIX / "multisector_3x2_va.csv"
CODES = ["AAA", "BBB", "CCC"]


def _flows() -> np.ndarray:
    raw = pd.read_csv(DATA).sort_values(["sector", "exporter", "importer"])
    return raw["trade"].to_numpy(float).reshape(2, 3, 3)


def _io() -> tuple[np.ndarray, np.ndarray]:
    """Input shares io[n, k, j] and value-added shares (S, N), hand-copied from the files."""
    io = np.array(
        [
            [[0.1, 0.1], [0.2, 0.3]],
            [[0.15, 0.05], [0.15, 0.35]],
            [[0.2, 0.1], [0.1, 0.2]],
        ]
    )
    va = np.array([[0.7, 0.7, 0.7], [0.6, 0.6, 0.7]])
    return io, va


def _ge(*args: str) -> tuple[int, str]:
    res = CliRunner().invoke(app, ["ge", *args])
    return res.exit_code, " ".join(res.output.split())  # Rich wraps long lines


def test_tensor_pivot_matches_file() -> None:
    codes, sectors, flows = sector_flow_tensor(read_gravity(DATA, sector="sector"))
    assert codes == CODES and sectors == ["food", "manuf"]
    np.testing.assert_array_equal(flows, _flows())
    assert flows[0, 0, 1] == 8.0 and flows[1, 1, 0] == 12.0  # food AAA->BBB, manuf BBB->AAA


def test_cli_equals_direct_solve(tmp_path: Path) -> None:
    out = tmp_path / "out"
    code, text = _ge(
        str(DATA),
        "--embargo",
        "AAA-BBB@food",
        "--tariff",
        "CCC:AAA=0.2",
        "--sigma",
        "food=3",
        "--sigma",
        "manuf=7",
        "--io-shares",
        str(IO),
        "--va-share",
        str(VA),
        "--reference",
        "CCC",
        "--out",
        str(out),
    )
    assert code == 0, text
    assert "Multi-sector GE counterfactual" in text and "Per sector" in text
    tau = np.ones((2, 3, 3))
    tau[0, 0, 1] = tau[0, 1, 0] = np.inf
    tau[:, 2, 0] = 1.2
    io, va = _io()
    direct = solve_ge_multisector(
        _flows(), tau, [3.0, 7.0], va, io, reference="CCC", countries=CODES
    )
    table = pd.read_csv(out / "results.csv", index_col=0)
    for col in ("real_gdp_pct", "welfare_pct", "exports_pct", "factory_price_pct"):
        np.testing.assert_allclose(table.loc[CODES, col], getattr(direct, col), atol=1e-9)
    sectors = pd.read_csv(out / "sectors.csv").set_index(["country", "sector"])
    np.testing.assert_allclose(
        sectors["output_pct"].to_numpy().reshape(3, 2), direct.sector_output_pct, atol=1e-9
    )
    np.testing.assert_allclose(
        sectors["price_pct"].to_numpy().reshape(3, 2), direct.sector_price_pct, atol=1e-9
    )
    meta = json.loads((out / "results.json").read_text())
    assert meta["sigma"] == {"food": 3.0, "manuf": 7.0} and meta["residual"] < 1e-9
    assert len(meta["sector_results"]) == 6


def test_io_shares_alone_imply_value_added(tmp_path: Path) -> None:
    # without --va-share the value-added share is 1 - input shares: same as giving it
    shock = ["--embargo", "AAA:CCC", "--io-shares", str(IO)]
    a = _ge(str(DATA), *shock, "--out", str(tmp_path / "a"))
    b = _ge(str(DATA), *shock, "--va-share", str(VA), "--out", str(tmp_path / "b"))
    assert a[0] == b[0] == 0, a[1] + b[1]
    ra, rb = (pd.read_csv(tmp_path / k / "results.csv", index_col=0) for k in "ab")
    pd.testing.assert_frame_equal(ra, rb, atol=1e-9)
    assert ra.loc["CCC", "real_gdp_pct"] < 0


def test_food_and_manuf_embargo_differ(tmp_path: Path) -> None:
    gdp = {}
    for sec in ("food", "manuf"):
        out = tmp_path / sec
        code, text = _ge(
            str(DATA), "--embargo", f"AAA-BBB@{sec}", "--sigma", "4", "--out", str(out)
        )
        assert code == 0, text
        gdp[sec] = pd.read_csv(out / "results.csv", index_col=0)["real_gdp_pct"]
        flows = sector_flow_tensor(read_gravity(DATA, sector="sector"))[2]
        k = ["food", "manuf"].index(sec)
        tau = np.ones((2, 3, 3))
        tau[k, 0, 1] = tau[k, 1, 0] = np.inf
        direct = solve_ge_multisector(flows, tau, 4.0, countries=CODES)
        np.testing.assert_allclose(gdp[sec].loc[CODES], direct.real_gdp_pct, atol=1e-9)
    assert (gdp["food"] < 0).loc[["AAA", "BBB"]].all() and (gdp["manuf"] < 0).loc["AAA"]
    assert abs(gdp["food"]["AAA"] - gdp["manuf"]["AAA"]) > 1e-3


def _pta_on(tmp_path: Path, pair: frozenset[str]) -> Path:
    raw = pd.read_csv(DATA)
    raw["pta"] = [int(frozenset(p) == pair) for p in zip(raw.exporter, raw.importer, strict=True)]
    path = tmp_path / "pta.csv"
    raw.to_csv(path, index=False)
    return path


def test_pta_estimated_per_sector(tmp_path: Path) -> None:
    # AAA-CCC trade more food than distance predicts: a positive agreement coefficient,
    # applied to a pair that has no agreement yet
    path = _pta_on(tmp_path, frozenset(("AAA", "CCC")))
    code, text = _ge(str(path), "--pta", "BBB-CCC@food", "--costs", "lndist")
    assert code == 0, text
    assert "pta in sector food" in text and "sector manuf" not in text


def test_pta_refuses_a_negative_or_void_agreement(tmp_path: Path) -> None:
    # the fixture's own dummy (all pairs with CCC) gets -0.077 in food: flagged, not used
    code, text = _ge(str(DATA), "--pta", "AAA-BBB@food", "--costs", "lndist")
    assert code == 2 and "<= 0" in " ".join(text.split())
    path = _pta_on(tmp_path, frozenset(("AAA", "CCC")))
    code, text = _ge(str(path), "--pta", "AAA-CCC@food", "--costs", "lndist")
    assert code == 2 and "already has the agreement" in " ".join(text.split())


def _without_row(tmp_path: Path) -> Path:
    raw = pd.read_csv(DATA)
    drop = (raw["sector"] == "manuf") & (raw["exporter"] == "BBB") & (raw["importer"] == "BBB")
    path = tmp_path / "missing.csv"
    raw[~drop].to_csv(path, index=False)
    return path


def _blank_cell(tmp_path: Path) -> Path:
    raw = pd.read_csv(DATA)
    raw.loc[(raw["sector"] == "food") & (raw["exporter"] == "CCC"), "trade"] = np.nan
    path = tmp_path / "blank.csv"
    raw.to_csv(path, index=False)
    return path


def _single_sector(tmp_path: Path) -> Path:
    raw = pd.read_csv(DATA)
    path = tmp_path / "single.csv"
    raw[raw["sector"] == "food"].drop(columns="sector").to_csv(path, index=False)
    return path


SIG1 = ["--sigma", "sector food is 1; it must be > 1"]
SIG2 = ["--sigma", "sector manuf is 0.5; it must be > 1"]


@pytest.mark.parametrize(
    ("args", "messages"),
    [
        (["--embargo", "AAA:BBB@fuel"], ["--embargo", "'fuel'", "food, manuf"]),
        (["--tariff", "AAA:BBB@manuf=x"], ["--tariff", "AAA:BBB=x"]),
        (["--embargo", "AAA:BBB", "--sigma", "food=1", "--sigma", "manuf=5"], SIG1),
        (["--embargo", "AAA:BBB", "--sigma", "5", "--sigma", "manuf=0.5"], SIG2),
        (["--embargo", "AAA:BBB", "--sigma", "food=4"], ["--sigma", "no elasticity", "manuf"]),
        (["--embargo", "AAA:BBB", "--sigma", "fuel=4"], ["--sigma", "'fuel'"]),
        (["--embargo", "AAA:BBB", "--sigma", "4", "--sigma", "5"], ["--sigma"]),
        (["--embargo", "AAA:BBB", "--va-share", str(VA)], ["--va-share"]),
        ([], ["no shock"]),
        (["--embargo", "AAA:BBB", "--sector-col", "industry"], ["industry"]),
    ],
)
def test_bad_options_exit_2_naming_the_field(args: list[str], messages: list[str]) -> None:
    code, text = _ge(str(DATA), *args)
    assert code == 2, text
    for m in messages:
        assert m in text


def test_bad_data_exit_2_naming_sector_and_pair(tmp_path: Path) -> None:
    code, text = _ge(str(_without_row(tmp_path)), "--embargo", "AAA:BBB")
    assert code == 2 and "manuf:BBB->BBB" in text and "missing" in text, text
    code, text = _ge(str(_blank_cell(tmp_path)), "--embargo", "AAA:BBB")
    assert code == 2 and "trade" in text and "CCC->AAA in sector food" in text, text
    dup = tmp_path / "dup.csv"
    raw = pd.read_csv(DATA)
    pd.concat([raw, raw.iloc[[4]]]).to_csv(dup, index=False)
    code, text = _ge(str(dup), "--embargo", "AAA:BBB")
    assert code == 2 and "duplicate" in text and "BBB->BBB in sector food" in text, text
    bad_io = tmp_path / "io.csv"
    pd.read_csv(IO).replace({"manuf": "fuel"}).to_csv(bad_io, index=False)
    code, text = _ge(str(DATA), "--embargo", "AAA:BBB", "--io-shares", str(bad_io))
    assert code == 2 and "io.csv:input_sector" in text and "'fuel'" in text, text


def test_single_sector_dataset_rejects_sector_syntax(tmp_path: Path) -> None:
    path = _single_sector(tmp_path)
    assert _ge(str(path), "--embargo", "AAA:BBB")[0] == 0
    for args, field in (
        (["--embargo", "AAA:BBB@food"], "--embargo"),
        (["--embargo", "AAA:BBB", "--sigma", "food=3"], "--sigma"),
        (["--embargo", "AAA:BBB", "--io-shares", str(IO)], "--io-shares"),
    ):
        code, text = _ge(str(path), *args)
        assert code == 2 and field in text, text


def test_tensor_rejects_negative_and_missing_sector_column() -> None:
    df = read_gravity(DATA, sector="sector")
    with pytest.raises(InvalidDataError) as info:
        sector_flow_tensor(df.drop(columns="sector"))
    assert info.value.field == "sector"
    bad = df.copy()
    bad.loc[3, "trade"] = -1.0
    with pytest.raises(InvalidDataError) as info:
        sector_flow_tensor(bad)
    assert info.value.field == "food:BBB->AAA"
