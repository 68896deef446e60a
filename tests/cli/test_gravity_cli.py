"""Tests of the ``geolever ge`` command (through a throwaway Typer app)."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pytest
import typer
from typer.testing import CliRunner

from geolever.cli.ge import ge_command

app = typer.Typer()
app.command("ge")(ge_command)
app.command("noop")(lambda: None)  # keeps "ge" a named sub-command


def _dataset(tmp_path: Path) -> Path:
    rows = []
    flows = {
        ("AAA", "AAA"): 80,
        ("AAA", "BBB"): 10,
        ("AAA", "CCC"): 10,
        ("BBB", "AAA"): 10,
        ("BBB", "BBB"): 60,
        ("BBB", "CCC"): 5,
        ("CCC", "AAA"): 10,
        ("CCC", "BBB"): 5,
        ("CCC", "CCC"): 40,
    }
    dist = {"AAA": 0, "BBB": 1, "CCC": 2}
    for (e, i), v in flows.items():
        rows.append(
            {
                "exporter": e,
                "importer": i,
                "year": 2006,
                "trade": v,
                "lndist": abs(dist[e] - dist[i]),
                # AAA-CCC trade more than their distance predicts: a positive coefficient
                "pta": int({e, i} == {"AAA", "CCC"}),
            }
        )
    path = tmp_path / "g.csv"
    pd.DataFrame(rows).to_csv(path, index=False)
    return path


def test_embargo_table_and_files(tmp_path: Path) -> None:
    out = tmp_path / "out"
    res = CliRunner().invoke(
        app,
        [
            "ge",
            str(_dataset(tmp_path)),
            "--embargo",
            "AAA:BBB",
            "--sigma",
            "5",
            "--reference",
            "CCC",
            "--out",
            str(out),
        ],
    )
    assert res.exit_code == 0, res.output
    assert "GE counterfactual" in res.output and "AAA" in res.output
    table = pd.read_csv(out / "results.csv", index_col=0)
    assert table.loc["AAA", "real_gdp_pct"] < 0 and table.loc["BBB", "real_gdp_pct"] < 0
    meta = json.loads((out / "results.json").read_text())
    assert meta["residual"] < 1e-9 and meta["reference"] == "CCC"


def test_pta_and_tariff(tmp_path: Path) -> None:
    res = CliRunner().invoke(
        app,
        [
            "ge",
            str(_dataset(tmp_path)),
            "--pta",
            "AAA-BBB",
            "--costs",
            "lndist",
            "--tariff",
            "CCC:AAA=0.2",
        ],
    )
    assert res.exit_code == 0, res.output
    assert "PPML coefficient of pta" in res.output


def _pta_run(tmp_path: Path, pair: str, pta_pairs: set[frozenset[str]]) -> tuple[int, str]:
    path = _dataset(tmp_path)
    df = pd.read_csv(path)
    pairs = zip(df.exporter, df.importer, strict=True)
    df["pta"] = [int(frozenset(p) in pta_pairs) for p in pairs]
    df.to_csv(path, index=False)
    res = CliRunner().invoke(app, ["ge", str(path), "--pta", pair, "--costs", "lndist"])
    return res.exit_code, res.output


def test_pta_applies_the_change_of_the_dummy(tmp_path: Path) -> None:
    # the coefficient is estimated on the data; a pair that already has the agreement
    # would change nothing, which is an error rather than a silent no-op
    code, out = _pta_run(tmp_path, "AAA-CCC", {frozenset(("AAA", "CCC"))})
    assert code == 2 and "already has the agreement" in out


def test_negative_pta_coefficient_is_flagged(tmp_path: Path) -> None:
    # BBB-CCC trade less than distance predicts: PPML gives the dummy a negative sign,
    # which --pta must not use as an "agreement"
    code, out = _pta_run(tmp_path, "AAA-BBB", {frozenset(("BBB", "CCC"))})
    assert code == 2 and "<= 0" in out and "--pta" in out


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--embargo", "AAA:XYZ"], "XYZ"),
        ([], "no shock"),
        (["--tariff", "AAA:BBB=x"], "tariff"),
        (["--embargo", "AAA:BBB", "--sigma", "1"], "sigma"),
    ],
)
def test_errors_are_clean(tmp_path: Path, args: list[str], message: str) -> None:
    res = CliRunner().invoke(app, ["ge", str(_dataset(tmp_path)), *args])
    assert res.exit_code == 2
    assert message in res.output
