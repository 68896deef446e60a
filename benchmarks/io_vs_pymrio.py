"""Every ordered sender -> target link extracted: pymrio recomputation vs geolever's batch.

Same table, same extractions (whole bilateral link: every sector of the sender, as
intermediate and final use, share 1; demand-driven Leontief losses), same run:

* naive: for each pair, pymrio recomputes ``A`` (calc_A), ``L`` (calc_L, one n x n
  inverse) and ``x`` (calc_x_from_L). This is timed on a SAMPLE of pairs and
  extrapolated to all pairs (the full loop would take hours); the output says so.
* geolever: ``iter_all_pairs_extraction`` -- one factorisation, then batched rank-k
  Woodbury updates, results streamed per sender. Timed in full, in a child process whose
  peak RSS is reported (``peak_rss_mb``, includes building the table).

Sizes: the WIOD 2013 world table for 2008 (n = 41 x 35 = 1435) read from ../shared/data,
and a seeded synthetic table with n = 60 x 50 = 3000. ``max_rel_diff`` is, over the
sampled pairs, max |loss_geolever - loss_pymrio| / max |loss_pymrio| per pair.

Usage: ``.venv/bin/python benchmarks/io_vs_pymrio.py [--sample 6]``. The last line is
one JSON object.
"""

# ruff: noqa: N803, N806

from __future__ import annotations

import argparse
import json
import multiprocessing as mp
import os
import resource
import sys
import time
from pathlib import Path
from typing import Any

import numpy as np

REPO = Path(__file__).resolve().parents[1]
SHARED = Path(os.environ.get("GEOLEVER_SHARED_DATA", REPO.parent / "shared" / "data"))


def load_table(label: str) -> tuple[np.ndarray, np.ndarray, int, int]:
    """Return (Z, Y, R, S) for a benchmark size."""
    if label == "wiod2013":
        from geolever.sources.wiod import read_wiod2013

        t = read_wiod2013(SHARED / "wiod2013", 2008)
        return t.Z, t.Y, len(t.regions), len(t.sectors)
    R, S = 60, 50
    n = R * S
    rng = np.random.default_rng(20250101)
    # Sparse-ish trade, dense domestic blocks, positive final demand (I - A invertible).
    Z = rng.random((n, n)) * (rng.random((n, n)) < 0.3)
    block = np.kron(np.eye(R), np.ones((S, S)))
    Z *= 1.0 + 30.0 * block
    Y = rng.random((n, R * 3)) * 5.0 + 0.1
    Y[np.arange(n), (np.arange(n) // S) * 3] += 400.0  # home bias in final demand
    return Z, Y, R, S


def sample_pairs(R: int, k: int) -> list[tuple[int, int]]:
    rng = np.random.default_rng(7)
    pairs: list[tuple[int, int]] = []
    while len(pairs) < k:
        s, t = (int(v) for v in rng.choice(R, size=2, replace=False))
        if (s, t) not in pairs:
            pairs.append((s, t))
    return pairs


def geolever_run(label: str, pairs: list[tuple[int, int]], queue: Any) -> None:
    """Child process: the full all-pairs run, its time, peak RSS and the sampled losses."""
    from geolever.models.io import iter_all_pairs_extraction

    Z, Y, R, S = load_table(label)
    wanted = {s: [t for (ss, t) in pairs if ss == s] for s, _ in pairs}
    kept: dict[tuple[int, int], np.ndarray] = {}
    world_loss = np.zeros((R, R))
    t0 = time.perf_counter()
    for chunk in iter_all_pairs_extraction(
        Z, Y, None, {"all": np.ones(S, dtype=bool)}, 1.0, supply_model=False
    ):
        world_loss[chunk.sender, chunk.targets] = chunk.output_loss.sum(axis=(1, 2))
        for t in wanted.get(chunk.sender, []):
            i = int(np.flatnonzero(chunk.targets == t)[0])
            kept[(chunk.sender, t)] = chunk.output_loss[i].ravel().copy()
    elapsed = time.perf_counter() - t0
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024.0
    queue.put(
        {
            "geolever_s": elapsed,
            "peak_rss_mb": peak_mb,
            "kept": kept,
            "n_pairs": int(np.count_nonzero(~np.eye(R, dtype=bool))),
            "world_loss_total": float(world_loss.sum()),
        }
    )


def pymrio_sample(
    Z: np.ndarray, Y: np.ndarray, R: int, S: int, pairs: list[tuple[int, int]]
) -> tuple[float, float, dict[tuple[int, int], np.ndarray]]:
    """Naive loop on the sampled pairs: (baseline seconds, seconds per pair, losses)."""
    import pymrio

    n = R * S
    t0 = time.perf_counter()
    x = pymrio.calc_x(Z, Y)
    x = np.asarray(x).ravel()
    y = Y.reshape(n, R, -1).sum(axis=2)
    baseline_s = time.perf_counter() - t0
    losses: dict[tuple[int, int], np.ndarray] = {}
    t0 = time.perf_counter()
    for s, t in pairs:
        rows = slice(s * S, (s + 1) * S)
        cols = slice(t * S, (t + 1) * S)
        Zp = Z.copy()
        Zp[rows, cols] = 0.0
        yp = y.copy()
        yp[rows, t] = 0.0
        A = pymrio.calc_A(Zp, x)
        L = pymrio.calc_L(A)
        x_new = np.asarray(pymrio.calc_x_from_L(L, yp.sum(axis=1))).ravel()
        losses[(s, t)] = x - x_new
    per_pair = (time.perf_counter() - t0) / len(pairs)
    return baseline_s, per_pair, losses


def run_size(label: str, n_sample: int) -> dict[str, Any]:
    Z, Y, R, S = load_table(label)
    pairs = sample_pairs(R, n_sample)
    ctx = mp.get_context("spawn")
    queue = ctx.Queue()
    proc = ctx.Process(target=geolever_run, args=(label, pairs, queue))
    proc.start()
    geo = queue.get()
    proc.join()
    baseline_s, per_pair, ref = pymrio_sample(Z, Y, R, S, pairs)
    n_pairs = geo["n_pairs"]
    pymrio_s = baseline_s + per_pair * n_pairs
    rel = max(
        float(np.max(np.abs(geo["kept"][p] - ref[p])) / np.max(np.abs(ref[p]))) for p in pairs
    )
    print(
        f"[{label}] n={R * S} ({R} regions x {S} sectors), {n_pairs} ordered pairs. "
        f"pymrio: {per_pair:.3f} s per pair, measured on {len(pairs)} sampled pairs and "
        f"EXTRAPOLATED to all {n_pairs} pairs = {pymrio_s:.0f} s. "
        f"geolever all pairs (measured in full): {geo['geolever_s']:.2f} s, "
        f"peak RSS {geo['peak_rss_mb']:.0f} MB. Speedup {pymrio_s / geo['geolever_s']:.0f}x, "
        f"max relative difference on the sample {rel:.2e}.",
        flush=True,
    )
    return {
        "label": label,
        "n": R * S,
        "pairs": n_pairs,
        "pymrio_s": round(pymrio_s, 3),
        "pymrio_timing": f"extrapolated from {len(pairs)} sampled pairs",
        "geolever_s": round(geo["geolever_s"], 3),
        "speedup": round(pymrio_s / geo["geolever_s"], 1),
        "max_rel_diff": rel,
        "peak_rss_mb": round(geo["peak_rss_mb"], 1),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sample", type=int, default=6, help="pairs timed with pymrio")
    args = parser.parse_args()
    print(
        f"python {sys.version.split()[0]}, numpy {np.__version__}, "
        f"{os.cpu_count()} CPUs; pymrio times are extrapolated from a sample of pairs.",
        flush=True,
    )
    sizes = [run_size(label, args.sample) for label in ("wiod2013", "synthetic")]
    print(json.dumps({"benchmark": "io_vs_pymrio", "sizes": sizes}))


if __name__ == "__main__":
    main()
