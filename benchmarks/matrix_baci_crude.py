"""Benchmark: the leverage matrix on a real BACI year (crude oil, HS 270900, 2021), all pairs.

The user's report in issue 17: import the shared BACI crude-oil 2021 file and WDI GDP,
then ``geolever matrix --year 2021 --lever export_ban`` for every country (before:
stalled for more than 16 minutes with no progress shown). This script does the same:

* store: a temporary DuckDB file filled with ``import_source`` exactly as ``geolever data
  import baci FILE --opt blank_country=TWN`` and ``geolever data import wdi gdp.csv`` do
  (the file's blank codes are BACI's "Other Asia, n.e.s.", see its SOURCES.md);
* geolever: ``leverage_matrix`` on every ordered pair of the baseline (every economy with
  GDP, the others in ROW), export ban, sigma 5, closure ``BENCH_CLOSURE`` (default
  ``fixed_share``, the matrix's default);
* anchor: the one-at-a-time loop a user would write, one ``solve_ge`` per pair (dense
  ``tau_hat``, same closure, solved to 1e-12 so that it is exact to the 1e-9 compared), on
  ``BENCH_SAMPLE`` pairs drawn at random with a fixed seed
  from the pairs with a positive flow and extrapolated to them; the batch must equal it
  on every sampled pair where both converge (``loop_max_abs_diff_pp``, real GDP of sender
  and target, percentage points). Two ratios: against that loop over the pairs with a
  flow only (a user who knows that a pair without flow has no effect), and against the
  loop over every pair (the zero-flow pairs timed on a sample of their own).

Reported: pairs, how many converged, the reasons of the others by kind, how many
restrict no flow (reason "no baseline flow: no effect", zero effects), the largest
residual of the converged ones, seconds, peak RSS, the load average before and after.
Needs ``../shared/data`` (or ``GEOLEVER_SHARED_DATA``). Run:
``python benchmarks/matrix_baci_crude.py``. Last line: one JSON object.
"""

from __future__ import annotations

import json
import os
import resource
import tempfile
import time
from collections import Counter
from pathlib import Path

import numpy as np

from geolever.assessment.matrix import leverage_matrix
from geolever.cli.data_sources import import_source
from geolever.core.errors import ConvergenceError
from geolever.models.gravity import solve_ge, solve_pair_shocks
from geolever.store.facts import FactStore
from geolever.world.matrix import baseline_from_store

DATA = Path(os.environ.get("GEOLEVER_SHARED_DATA", Path(__file__).parents[2] / "shared" / "data"))
CLOSURE = os.environ.get("BENCH_CLOSURE", "fixed_share")
SAMPLE = int(os.environ.get("BENCH_SAMPLE", "40"))
SIGMA = 5.0


def main() -> None:
    load_before = os.getloadavg()[0]
    with tempfile.TemporaryDirectory() as tmp, FactStore(Path(tmp) / "store.duckdb") as db:
        import_source(
            "baci",
            DATA / "baci-crude-oil-2021" / "crude_oil_hs270900_2021.csv",
            db,
            options={"blank_country": "TWN"},
        )
        import_source("wdi", DATA / "wdi-gdp" / "gdp.csv", db)
        base = baseline_from_store(db, 2021)
    t0, c0 = time.perf_counter(), time.process_time()
    frame = leverage_matrix(base, lever="export_ban", sigma=SIGMA, closure=CLOSURE)  # type: ignore[arg-type]
    batch_s, batch_cpu = time.perf_counter() - t0, time.process_time() - c0
    # residuals of the converged pairs, recomputed by the solver's own float64 check
    idx = {c: k for k, c in enumerate(base.countries)}
    cells = np.stack([frame.sender.map(idx).to_numpy(), frame.target.map(idx).to_numpy()], 1)
    ok = frame.converged.to_numpy()
    check = solve_pair_shocks(
        base.flows,
        cells[ok],
        np.inf,
        SIGMA,
        closure=CLOSURE,
        on_failure="nan",  # type: ignore[arg-type]
    )
    # the loop anchor on pairs with a positive flow (the rest change nothing)
    live = np.flatnonzero(base.flows[cells[:, 0], cells[:, 1]] > 0)
    rng = np.random.default_rng(17)
    sample = rng.choice(live, min(SAMPLE, live.size), replace=False)
    diff, loop_failed, both = 0.0, 0, 0
    t0, c0 = time.perf_counter(), time.process_time()
    for k in sample:
        s, t = cells[k]
        tau = np.ones((base.n, base.n))
        tau[s, t] = np.inf
        try:
            r = solve_ge(base.flows, tau, SIGMA, closure=CLOSURE, keep_flows=False, tol=1e-12)  # type: ignore[arg-type]
        except ConvergenceError:
            loop_failed += 1
            continue
        if ok[k]:
            both += 1
            diff = max(
                diff,
                abs(-r.real_gdp_pct[t] - frame.target_loss_pct[k]),
                abs(-r.real_gdp_pct[s] - frame.sender_cost_pct[k]),
            )
    loop_per = (time.perf_counter() - t0) / sample.size
    loop_cpu = (time.process_time() - c0) / sample.size
    # the same loop over pairs without flow (a user's loop over every pair solves them too)
    dead = np.setdiff1d(np.arange(len(frame)), live)
    zero_sample = rng.choice(dead, min(SAMPLE, dead.size), replace=False)
    t0 = time.perf_counter()
    for k in zero_sample:
        s, t = cells[k]
        tau = np.ones((base.n, base.n))
        tau[s, t] = np.inf
        solve_ge(base.flows, tau, SIGMA, closure=CLOSURE, keep_flows=False, tol=1e-12)  # type: ignore[arg-type]
    zero_per = (time.perf_counter() - t0) / max(zero_sample.size, 1)
    loop_all = loop_per * live.size + zero_per * dead.size
    kinds = Counter(r.split(":")[0] for r, good in zip(frame.reason, ok, strict=True)
                    if r and not good)
    reported = bool((ok | (frame.reason.str.len() > 0).to_numpy()).all())
    examples = {
        kind: f"{row.sender}->{row.target}: {row.reason.split(': ', 1)[-1]}"
        for kind in kinds
        for row in [frame[~frame.converged & frame.reason.str.startswith(kind)].iloc[0]]
    }
    print(
        json.dumps(
            {
                "benchmark": "matrix_baci_crude",
                "data": "CEPII BACI HS92 270900 (crude oil) 2021 via QuantEcon; WDI GDP 2021",
                "closure": CLOSURE,
                "units": base.n,
                "pairs": len(frame),
                "pairs_with_flow": int(live.size),
                "converged": int(ok.sum()),
                "not_converged": int((~ok).sum()),
                "not_converged_by_reason": dict(kinds),
                "no_effect_pairs": int((frame.reason == "no baseline flow: no effect").sum()),
                "reason_examples": examples,
                "max_residual_converged": float(np.max(check.residual)),
                "batch_s": round(batch_s, 2),
                "batch_cpu_s": round(batch_cpu, 2),
                "loop_cpu_s_extrapolated": round(loop_cpu * live.size, 1),
                "loop_s_per_pair_with_flow": round(loop_per, 4),
                "loop_s_extrapolated": round(loop_per * live.size, 1),
                "speedup_vs_loop_pairs_with_flow": round(loop_per * live.size / batch_s, 1),
                "loop_all_pairs_s_extrapolated": round(loop_all, 1),
                "speedup_vs_loop_all_pairs": round(loop_all / batch_s, 1),
                "loop_sampled": int(sample.size),
                "loop_not_converged_in_sample": loop_failed,
                "loop_max_abs_diff_pp": diff,
                "loop_compared": both,
                "peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024),
                "every_pair_converged_or_reported": reported,
                "target_met": bool(batch_s < 30 and reported),
                "cpus": os.cpu_count(),
                "load_avg_1min_before_after": [round(load_before, 2),
                                               round(os.getloadavg()[0], 2)],
            }
        )
    )


if __name__ == "__main__":
    main()
