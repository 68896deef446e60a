"""Benchmark: the all-pairs leverage matrix at N = 200 (39,800 ordered pairs), local and Dask.

Synthetic world of N countries (log-normal GDPs, gravity flows ``GDP_i GDP_j / d^1.5``,
goods trade 30 % of world GDP, domestic sales = GDP - exports as in the matrix's
assumption). Every ordered export ban is solved with the batched GE solver:

* geolever local: ``leverage_matrix`` (chunks run one after another in this process);
* geolever on Dask: the same chunks as tasks on a 2-worker ``LocalCluster``
  (processes, one thread each); the results must be identical;
* geolever solver only: ``all_pair_embargoes`` (every ordered pair through
  ``solve_pair_shocks``, the shared-baseline chord), with its largest residual;
* anchor: the one-counterfactual-at-a-time loop a user would write with ``solve_ge``
  (dense ``tau_hat``, one call per pair, same closure, solved to 1e-12 so that it is
  exact to the 1e-9 compared), timed on a sample of pairs and
  extrapolated; the batch must equal it on the sample (``loop_max_abs_diff_pct``).

Targets: issue 6, under 60 s locally on 2 cores; issue 17, all ordered pairs at N = 200
under 3 s. Peak RSS of the process and the load average before and after are reported. Run:
``python benchmarks/matrix_all_pairs.py`` (``BENCH_N`` to change N, ``BENCH_DASK=0`` to
skip the Dask run). Last line: one JSON object.
"""

from __future__ import annotations

import json
import os
import resource
import time

import numpy as np

from geolever.assessment.matrix import leverage_matrix
from geolever.models.gravity import all_pair_embargoes, solve_ge
from geolever.world.matrix import MatrixBaseline

N = int(os.environ.get("BENCH_N", "200"))
SAMPLE = int(os.environ.get("BENCH_SAMPLE", "20"))
DASK = os.environ.get("BENCH_DASK", "1") != "0"
CLOSURE = "fixed_share"  # the matrix's default


def world(n: int, seed: int = 0) -> MatrixBaseline:
    rng = np.random.default_rng(seed)
    gdp = rng.lognormal(25.0, 1.5, n)
    dist = rng.uniform(1.0, 10.0, (n, n))
    x = np.outer(gdp, gdp) / dist**1.5
    np.fill_diagonal(x, 0.0)
    x *= 0.3 * gdp.sum() / x.sum()
    np.fill_diagonal(x, np.maximum(gdp - x.sum(axis=1), 0.05 * gdp))
    off = x.copy()
    np.fill_diagonal(off, 0.0)
    return MatrixBaseline(countries=tuple(f"C{k:03d}" for k in range(n)), flows=x, restricted=off)


def main() -> None:
    load_before = os.getloadavg()[0]
    base = world(N)
    t0, c0 = time.perf_counter(), time.process_time()
    local = leverage_matrix(base, lever="export_ban", closure=CLOSURE)
    local_s, local_cpu = time.perf_counter() - t0, time.process_time() - c0
    t0 = time.perf_counter()
    _, solved = all_pair_embargoes(base.flows, 5.0, closure=CLOSURE)
    solver_s = time.perf_counter() - t0
    dask_s, identical, max_diff = None, None, None
    if DASK:
        from distributed import Client, LocalCluster

        with (
            LocalCluster(
                n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None
            ) as cluster,
            Client(cluster) as client,
        ):
            client.submit(sum, [1]).result()  # workers up before timing
            t0 = time.perf_counter()
            remote = leverage_matrix(base, lever="export_ban", client=client, closure=CLOSURE)
            dask_s = round(time.perf_counter() - t0, 2)
        identical = bool(
            np.array_equal(
                local[["target_loss_pct", "sender_cost_pct"]].to_numpy(),
                remote[["target_loss_pct", "sender_cost_pct"]].to_numpy(),
            )
        )
        max_diff = float(np.nanmax(np.abs(local.target_loss_pct - remote.target_loss_pct)))
    rng = np.random.default_rng(1)
    sample = rng.choice(len(local), SAMPLE, replace=False)
    t0, c0 = time.perf_counter(), time.process_time()
    loop_err = 0.0
    for k in sample:
        s, t = base.countries.index(local.sender[k]), base.countries.index(local.target[k])
        tau = np.ones((N, N))
        tau[s, t] = np.inf
        r = solve_ge(base.flows, tau, 5.0, keep_flows=False, closure=CLOSURE, tol=1e-12)
        loop_err = max(
            loop_err,
            abs(-r.real_gdp_pct[t] - local.target_loss_pct[k]),
            abs(-r.real_gdp_pct[s] - local.sender_cost_pct[k]),
        )
    loop_per = (time.perf_counter() - t0) / SAMPLE
    loop_cpu = (time.process_time() - c0) / SAMPLE
    pairs = len(local)
    print(
        json.dumps(
            {
                "benchmark": "matrix_all_pairs",
                "n": N,
                "pairs": pairs,
                "closure": CLOSURE,
                "chunk": local.attrs["chunk"],
                "local_s": round(local_s, 2),
                "local_cpu_s": round(local_cpu, 2),
                "per_pair_loop_cpu_s_extrapolated": round(loop_cpu * len(local), 1),
                "solver_all_pair_embargoes_s": round(solver_s, 2),
                "solver_max_residual": float(np.max(solved.residual)),
                "dask_2workers_s": dask_s,
                "dask_bitwise_identical": identical,
                "dask_max_abs_diff_pct": max_diff,
                "per_pair_loop_s_extrapolated": round(loop_per * pairs, 1),
                "speedup_local_vs_loop": round(loop_per * pairs / local_s, 1),
                "loop_max_abs_diff_pct": loop_err,
                "converged": int(local.converged.sum()),
                "peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024),
                "target_met": local_s < 3,
                "cpus": os.cpu_count(),
                "load_avg_1min_before_after": [round(load_before, 2),
                                               round(os.getloadavg()[0], 2)],
            }
        )
    )


if __name__ == "__main__":
    main()
