"""Benchmark: the multi-sector GE gravity solver (Caliendo-Parro 2015), batched vs a loop.

Synthetic, seeded worlds of N = 30 and 69 countries x S = 2 and 5 sectors: per sector
balanced log-normal flows (``x + x.T``) with large domestic sales, input-output links
(value-added shares 0.3-0.9 of costs, Dirichlet input mixes, scaled so that final demand
stays positive), elasticities spread evenly over 3..8. For each size:

* ``single_s``: one counterfactual (two-way embargo between countries 0 and 1 in sector
  0), median of ``BENCH_REPEAT`` (>= 5) runs of ``solve_ge_multisector``;
* ``batch_s``: every two-way embargo between two countries in sector 0 (N (N-1) / 2
  scenarios) as one batched ``solve_ge_multisector`` call (it chunks internally, so
  memory stays bounded; ``BENCH_CHUNK`` sets its ``chunk``, default: the solver's own);
* ``loop_s``: the naive loop a user would write, one ``solve_ge_multisector`` call per
  scenario. It runs over every scenario when that takes under ``BENCH_LOOP_BUDGET``
  seconds (estimated from ``single_s``), otherwise over an evenly spaced sample of
  ``BENCH_LOOP_SAMPLE`` scenarios, extrapolated to the whole batch (``loop_sampled`` says
  how many ran); the batch must agree with the loop on those scenarios
  (``max_abs_diff_pp``, real GDP, percentage points).

``speedup = loop_s / batch_s`` (target, issue 17: >= 10 at 69 x 5); ``max_residual`` is
the largest factor-market residual of any solve (``BENCH_SPARSE=1``: the batch given as
changed cells to ``solve_sector_shocks``, solved chunk by chunk, so no (B, S, N, N) array
is formed for it); ``peak_rss_mb_so_far`` the process's peak
RSS after that size (sizes run in order; ``BENCH_SIZES=69x5`` runs one); the load
average before and after is in the JSON line. Run:
``python benchmarks/gravity_multisector.py``. The last line is one JSON object.
"""

from __future__ import annotations

import json
import os
import resource
import statistics
import time

import numpy as np

from geolever.models.gravity import solve_ge_multisector, solve_sector_shocks

SIZES = [
    (int(n), int(s))
    for n, s in (
        part.split("x") for part in os.environ.get("BENCH_SIZES", "30x2,30x5,69x2,69x5").split(",")
    )
]
REPEAT = max(5, int(os.environ.get("BENCH_REPEAT", "7")))
CHUNK = int(os.environ["BENCH_CHUNK"]) if os.environ.get("BENCH_CHUNK") else None
LOOP_BUDGET = float(os.environ.get("BENCH_LOOP_BUDGET", "60"))
LOOP_SAMPLE = int(os.environ.get("BENCH_LOOP_SAMPLE", "100"))
SPARSE = os.environ.get("BENCH_SPARSE", "0") != "0"


def world(n: int, s: int, seed: int = 0) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Flows (S, N, N), value-added shares (S, N) and input shares (N, S, S), consistent."""
    rng = np.random.default_rng(seed)
    x = np.empty((s, n, n))
    for k in range(s):
        m = rng.lognormal(0.0, 1.0, (n, n)) + np.diag(rng.uniform(20, 80, n) * n)
        x[k] = m + m.T
    y, e = x.sum(axis=2).T, x.sum(axis=1).T
    inter = 1.0 - rng.uniform(0.3, 0.9, (n, s))
    mix = np.swapaxes(rng.dirichlet(np.ones(s), size=(n, s)), 1, 2)  # mix[n, k, j]
    use = np.einsum("njk,nk->nj", mix * inter[:, None, :], y)
    inter = inter * np.minimum(1.0, 0.8 / (use / e).max(axis=1))[:, None]
    return x, (1.0 - inter).T, mix * inter[:, None, :]


def embargo_batch(n: int, s: int, pairs: tuple[np.ndarray, np.ndarray]) -> np.ndarray:
    """``tau_hat`` (B, S, N, N) of two-way embargoes in sector 0 between the given pairs."""
    i, j = pairs
    tau = np.ones((i.size, s, n, n))
    b = np.arange(i.size)
    tau[b, 0, i, j] = np.inf
    tau[b, 0, j, i] = np.inf
    return tau


def bench(n: int, s: int) -> dict[str, float | int]:
    x, va, io = world(n, s)
    sigma = np.linspace(3.0, 8.0, s)

    def solve(tau: np.ndarray) -> tuple[np.ndarray, float]:
        r = solve_ge_multisector(x, tau, sigma, va, io, keep_flows=False, chunk=CHUNK)
        return r.real_gdp_pct, float(np.max(r.residual))

    one = embargo_batch(n, s, (np.array([0]), np.array([1])))[0]
    times, resid = [], 0.0
    for _ in range(REPEAT):
        t0 = time.perf_counter()
        _, res = solve(one)
        times.append(time.perf_counter() - t0)
        resid = max(resid, res)
    single_s = statistics.median(times)

    pairs = np.triu_indices(n, 1)
    nb = pairs[0].size
    t0, c0 = time.perf_counter(), time.process_time()
    if SPARSE:  # the changed cells only: never a (B, S, N, N) array for the whole batch
        zero = np.zeros(nb, dtype=np.intp)
        cells = np.stack([np.stack([zero, pairs[0], pairs[1]], 1),
                          np.stack([zero, pairs[1], pairs[0]], 1)], axis=1)
        r = solve_sector_shocks(x, cells, np.inf, sigma, va, io)
        gdp, res = r.real_gdp_pct, float(np.max(r.residual))
    else:
        tau_all = embargo_batch(n, s, pairs)
        gdp, res = solve(tau_all)
        del tau_all
    resid = max(resid, res)
    batch_s, batch_cpu = time.perf_counter() - t0, time.process_time() - c0

    full = nb * single_s <= LOOP_BUDGET
    rows = np.arange(nb) if full else np.linspace(0, nb - 1, LOOP_SAMPLE).round().astype(int)
    diff = 0.0
    t0, c0 = time.perf_counter(), time.process_time()
    for b in rows:
        g, res = solve(embargo_batch(n, s, (pairs[0][b : b + 1], pairs[1][b : b + 1]))[0])
        resid = max(resid, res)
        diff = max(diff, float(np.abs(g - gdp[b]).max()))
    loop_s = (time.perf_counter() - t0) * nb / rows.size
    loop_cpu = (time.process_time() - c0) * nb / rows.size
    return {
        "n": n,
        "s": s,
        "batch": nb,
        "single_s": round(single_s, 5),
        "batch_s": round(batch_s, 3),
        "loop_s": round(loop_s, 3),
        "loop_sampled": int(rows.size),
        "speedup": round(loop_s / batch_s, 2),
        "batch_cpu_s": round(batch_cpu, 3),
        "loop_cpu_s": round(loop_cpu, 3),
        "speedup_cpu": round(loop_cpu / batch_cpu, 2),
        "max_residual": resid,
        "max_abs_diff_pp": diff,
        "peak_rss_mb_so_far": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024),
        "sparse_cells_api": SPARSE,
    }


def main() -> None:
    load_before = os.getloadavg()[0]
    results = []
    for n, s in SIZES:
        r = bench(n, s)
        print(
            f"N={n:3d} S={s}: single {r['single_s']:.4f} s, batch of {r['batch']} "
            f"{r['batch_s']:.2f} s, loop {r['loop_s']:.2f} s "
            f"({r['loop_sampled']} run), speedup {r['speedup']:.1f}x, "
            f"residual {r['max_residual']:.1e}, batch-loop diff {r['max_abs_diff_pp']:.1e} pp",
            flush=True,
        )
        results.append(r)
    print(
        json.dumps(
            {
                "benchmark": "gravity_multisector",
                "cores": os.cpu_count(),
                "repeat": REPEAT,
                "chunk": CHUNK,
                "results": results,
                "load_avg_1min_before_after": [round(load_before, 2),
                                               round(os.getloadavg()[0], 2)],
            }
        )
    )


if __name__ == "__main__":
    main()
