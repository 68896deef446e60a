"""Benchmark: geolever's exact GE gravity solver against gegravity (USITC), same data and shock.

For each size N the same baseline (observed Y and E, trade costs exp(z'beta)) and the same
shock (a trade agreement between two countries, coefficient on ``pta``) are solved by
gegravity (OneSectorGE: define_experiment + simulate, baseline built once outside the
timing) and by geolever (structural baseline flows + solve_ge, both inside the timing).
Reported per size: median seconds per counterfactual, the ratio, the largest absolute
difference of real-GDP changes (percentage points), and each model's market-clearing
residual max_i |sum_j X'_ij - Y'_i| / Y'_i. The batched all-ordered-pair embargo matrix
(``all_pairs_s``) and the two-way embargo of every unordered pair (``all_pairs_two_way_s``,
both directions shocked in one scenario) are timed at N = 69 and N = 200.

Sizes: N = 30 (gegravity sample_data_set.dlm), 69 (Yotov et al. 2016 ch. 2),
synthetic 150 and 300. Run: ``.venv/bin/python benchmarks/gravity_vs_gegravity.py``
(needs the ``bench`` extra: ``pip install gegravity``). Last line: one JSON object.
"""

from __future__ import annotations

import json
import os
import statistics
import sys
import time
import warnings
from pathlib import Path

import numpy as np
import pandas as pd

from geolever.models.gravity import all_pair_embargoes, solve_ge
from geolever.models.gravity.estimation import estimate_ppml
from geolever.models.gravity.structural import structural_flows, tau_hat_from_coefficient
from geolever.sources.gravity_data import flow_matrix, read_gravity

warnings.filterwarnings("ignore")
DATA = Path(
    os.environ.get("GEOLEVER_SHARED_DATA", Path(__file__).resolve().parents[2] / "shared" / "data")
)
REPS = int(os.environ.get("BENCH_REPS", "5"))
GEGRAVITY_BUDGET_S = float(os.environ.get("BENCH_GEGRAVITY_BUDGET_S", "300"))
COSTS = ["pta", "contiguity", "common_language", "lndist", "international"]


def sample_case() -> tuple[pd.DataFrame, pd.Series, tuple[str, str], str]:
    df = read_gravity(DATA / "gravity" / "sample_data_set.dlm")
    beta = estimate_ppml(df, COSTS, fixed_effects="exporter + importer").coef[COSTS]
    return df, beta, ("CAN", "JPN"), "DEU"


def yotov_case() -> tuple[pd.DataFrame, pd.Series, tuple[str, str], str]:
    d = read_gravity(DATA / "gravity" / "1_TradeWithoutBorder.dta", rename={"ZZZ": "DEU"})
    d = d[["exporter", "importer", "year", "trade", "ln_DIST", "CNTG", "LANG", "INTL_BRDR"]]
    d = d.rename(
        columns={
            "ln_DIST": "lndist",
            "CNTG": "contiguity",
            "LANG": "common_language",
            "INTL_BRDR": "international",
        }
    )
    d["pta"] = 0.0
    d["Y"] = d.groupby("exporter")["trade"].transform("sum")
    d["E"] = d.groupby("importer")["trade"].transform("sum")
    beta = pd.Series(
        {"pta": 0.5, **estimate_ppml(d, COSTS[1:], fixed_effects="exporter + importer").coef}
    )
    return d, beta[COSTS], ("CAN", "JPN"), "DEU"


def synthetic_case(n: int, seed: int = 0) -> tuple[pd.DataFrame, pd.Series, tuple[str, str], str]:
    rng = np.random.default_rng(seed)
    codes = [f"C{k:03d}" for k in range(n)]
    xy = rng.uniform(0, 100, (n, 2))
    dist = np.sqrt(((xy[:, None, :] - xy[None, :, :]) ** 2).sum(-1)) + 1.0
    size = rng.lognormal(10, 1.5, n)
    beta = pd.Series(
        {
            "pta": 0.5,
            "contiguity": 0.7,
            "common_language": 0.2,
            "lndist": -0.8,
            "international": -2.5,
        }
    )
    i, j = np.meshgrid(np.arange(n), np.arange(n), indexing="ij")
    cols = {
        "pta": (rng.random((n, n)) < 0.1) & (i != j),
        "contiguity": (dist < 8) & (i != j),
        "common_language": rng.random((n, n)) < 0.1,
        "lndist": np.log(dist),
        "international": i != j,
    }
    z = sum(beta[k] * np.asarray(v, float) for k, v in cols.items())
    trade = np.outer(size, size) * np.exp(z) * rng.lognormal(0, 0.3, (n, n)) / size.sum()
    df = pd.DataFrame(
        {
            "exporter": np.array(codes)[i.ravel()],
            "importer": np.array(codes)[j.ravel()],
            "year": 2006,
            "trade": trade.ravel(),
            **{k: np.asarray(v, float).ravel() for k, v in cols.items()},
        }
    )
    df["Y"] = df.groupby("exporter")["trade"].transform("sum")
    df["E"] = df.groupby("importer")["trade"].transform("sum")
    pair = (codes[1], codes[2])
    for a, b in (pair, pair[::-1]):
        df.loc[(df.exporter == a) & (df.importer == b), "pta"] = 0.0
    return df, beta, pair, codes[0]


def geolever_baseline(df: pd.DataFrame, beta: pd.Series) -> tuple[list[str], np.ndarray]:
    codes = sorted(set(df.exporter))
    y = df.groupby("exporter")["Y"].first().reindex(codes).to_numpy(float)
    e = df.groupby("importer")["E"].first().reindex(codes).to_numpy(float)
    t = df.assign(_t=np.exp(df[list(beta.index)].to_numpy() @ beta.to_numpy()))
    return codes, structural_flows(y, e, flow_matrix(t, value="_t", countries=codes)[1])


def geolever_run(
    codes: list[str],
    base: np.ndarray,
    beta: pd.Series,
    pair: tuple[str, str],
    ref: str,
    sigma: float,
):
    change = np.zeros((len(codes), len(codes)))
    a, b = codes.index(pair[0]), codes.index(pair[1])
    change[a, b] = change[b, a] = 1.0
    tau = tau_hat_from_coefficient(beta["pta"], change, sigma)
    res = solve_ge(base, tau, sigma, reference=ref, countries=codes, keep_flows=False)
    return res


def gegravity_model(df: pd.DataFrame, beta: pd.Series, ref: str, sigma: float):
    import gegravity as ge

    d = df.copy()
    d["year"] = d["year"].astype(str)
    coefs = pd.DataFrame({"var": beta.index, "coeff": beta.values, "ste": 0.01})
    cc = ge.CostCoeffs(estimates=coefs, identifier_col="var", coeff_col="coeff", stderr_col="ste")
    base = ge.BaselineData(
        d,
        trade_var_name="trade",
        imp_var_name="importer",
        exp_var_name="exporter",
        year_var_name="year",
        output_var_name="Y",
        expend_var_name="E",
    )
    m = ge.OneSectorGE(
        base,
        year="2006",
        reference_importer=ref,
        sigma=sigma,
        cost_variables=list(beta.index),
        cost_coeff_values=cc,
        quiet=True,
    )
    for rescale in (100, 10, 1, 1000, 0.1, 10_000):  # gegravity needs a workable OMR scale
        try:
            m.build_baseline(omr_rescale=rescale)
            return m
        except ValueError:
            continue
    raise RuntimeError("gegravity could not build its baseline with any omr_rescale")


def gegravity_run(m, pair: tuple[str, str]):
    exp = m.baseline_data.copy()
    for a, b in (pair, pair[::-1]):
        exp.loc[(exp.importer == a) & (exp.exporter == b), "pta"] = 1.0
    m.define_experiment(exp)
    m.simulate()
    return m


def gegravity_residual(m) -> float:
    bil = m.bilateral_trade_results.reset_index()
    sales = bil.groupby("exporter")["experiment trade"].sum()
    out = m.outputs_expenditures["experiment output"]
    # gegravity's flows are in its own scale; compare shares of world sales to output shares
    return float((sales / sales.sum() / (out / out.sum()) - 1).abs().max())


def bench_size(label: str, case, sigma: float, rng_reps: int) -> dict[str, object]:
    df, beta, pair, ref = case
    n = df.exporter.nunique()
    codes, base = geolever_baseline(df, beta)  # built once, like gegravity's build_baseline
    times = []
    for _ in range(max(rng_reps, 5)):
        t0 = time.perf_counter()
        res = geolever_run(codes, base, beta, pair, ref, sigma)
        times.append(time.perf_counter() - t0)
    out: dict[str, object] = {
        "case": label,
        "n": n,
        "geolever_s": statistics.median(times),
        "geolever_reps": len(times),
        "residual": float(res.residual),
    }
    try:
        m = gegravity_model(df, beta, ref, sigma)
        gtimes: list[float] = []
        start = time.perf_counter()
        while len(gtimes) < rng_reps and (
            time.perf_counter() - start < GEGRAVITY_BUDGET_S or not gtimes
        ):
            if gtimes:  # a fresh model per run (simulate mutates it); built outside the timing
                m = gegravity_model(df, beta, ref, sigma)
            t0 = time.perf_counter()
            m = gegravity_run(m, pair)
            gtimes.append(time.perf_counter() - t0)
        ours = pd.Series(res.real_gdp_pct, index=codes)
        theirs = m.country_results["GDP change (percent)"].reindex(codes)
        out.update(
            {
                "gegravity_s": statistics.median(gtimes),
                "gegravity_reps": len(gtimes),
                "speedup": statistics.median(gtimes) / statistics.median(times),
                "max_abs_diff_pp": float((ours - theirs).abs().max()),
                "gegravity_residual": gegravity_residual(m),
                "diff_country": str((ours - theirs).abs().idxmax()),
            }
        )
    except ImportError as exc:
        out.update(
            {
                "gegravity_s": None,
                "speedup": None,
                "max_abs_diff_pp": None,
                "gegravity_error": f"gegravity not installed: {exc}",
            }
        )
    return out


def bench_all_pairs(case, sigma: float) -> dict[str, object]:
    df, beta, _, ref = case
    codes, base = geolever_baseline(df, beta)
    t0 = time.perf_counter()
    pairs, res = all_pair_embargoes(base, sigma, reference=ref, countries=codes)
    secs = time.perf_counter() - t0
    # two-way embargoes (both directions of every unordered pair), same batched path
    t0 = time.perf_counter()
    pairs2, res2 = all_pair_embargoes(base, sigma, two_way=True, reference=ref, countries=codes)
    secs2 = time.perf_counter() - t0
    return {
        "n": len(codes),
        "scenarios": len(pairs),
        "all_pairs_s": secs,
        "residual": float(res.residual.max()),
        "iterations": res.iterations,
        "two_way_scenarios": len(pairs2),
        "all_pairs_two_way_s": secs2,
        "two_way_residual": float(res2.residual.max()),
        "two_way_iterations": res2.iterations,
    }


def main() -> None:
    sizes = [("sample", sample_case(), 5.0), ("yotov", yotov_case(), 7.0)]
    sizes += [(f"synthetic{n}", synthetic_case(n), 5.0) for n in (150, 300)]
    rows = []
    for label, case, sigma in sizes:
        row = bench_size(label, case, sigma, REPS)
        print(json.dumps(row), file=sys.stderr, flush=True)
        rows.append(row)
    pairs = {}
    for label, case, sigma in (
        ("yotov", sizes[1][1], 7.0),
        ("synthetic200", synthetic_case(200), 5.0),
    ):
        pairs[label] = bench_all_pairs(case, sigma)
        print(json.dumps(pairs[label]), file=sys.stderr, flush=True)
    for row in rows:
        match = [p for p in pairs.values() if p["n"] == row["n"]]
        row["all_pairs_s"] = match[0]["all_pairs_s"] if match else None
    summary = {
        "cores": os.cpu_count(),
        "n": [r["n"] for r in rows],
        "gegravity_s": [r.get("gegravity_s") for r in rows],
        "geolever_s": [r["geolever_s"] for r in rows],
        "speedup": [r.get("speedup") for r in rows],
        "max_abs_diff_pp": [r.get("max_abs_diff_pp") for r in rows],
        "residual": [r["residual"] for r in rows],
        "gegravity_residual": [r.get("gegravity_residual") for r in rows],
        "gegravity_reps": [r.get("gegravity_reps") for r in rows],
        "all_pairs_s": {str(p["n"]): p["all_pairs_s"] for p in pairs.values()},
        "all_pairs_residual": {str(p["n"]): p["residual"] for p in pairs.values()},
        "all_pairs_two_way_s": {str(p["n"]): p["all_pairs_two_way_s"] for p in pairs.values()},
        "all_pairs_two_way_residual": {str(p["n"]): p["two_way_residual"] for p in pairs.values()},
        "sizes": rows,
    }
    print(json.dumps(summary))


if __name__ == "__main__":
    main()
