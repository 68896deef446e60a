"""Bounded load test of the web API on loopback.

Starts ``geolever.web.create_app`` under uvicorn in a subprocess (its own store file), then
sends a fixed number of requests (default 500) with a fixed concurrency (default 20): a
seeded mix of cheap GETs (health, countries, lever kinds, cases, the dashboard page, job
status polls) and small assessment submissions (1-2 levers, 200 draws). Afterwards it
waits for every submitted job and counts failed ones as errors. Every non-2xx answer or
transport error is an error; the script exits 1 if there is any.

The anchor is a bare FastAPI app with one JSON endpoint under the same uvicorn, client and
concurrency: ``ratio_p50_vs_bare`` is the overhead of geolever's handlers and middleware.

The claims-check stall scenario (issue 14) runs first: three maximum-size (50,000
characters) claims checks at once, each needing minutes of pure-Python work, while
``/api/health`` is probed every 50 ms; it reports the probes' latency (the target is
p95 < 100 ms: the checks run in niced worker processes within a time budget, not on the
event loop) and how the checks ended (200, or 422 when stopped at the budget). Every
5xx answer, in the stall or in the flood, is counted and makes the script exit 1.

Run: ``.venv/bin/python benchmarks/web_load.py [--requests 500] [--concurrency 20]
[--claims-budget 10]``.
The last line printed is one JSON object.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import random
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import httpx
import numpy as np

GEOLEVER_SERVER = """
import sys, uvicorn
from geolever.web import create_app
app = create_app(store_path=sys.argv[2], max_jobs=2, max_queue=int(sys.argv[3]),
                 claims_budget_s=float(sys.argv[4]))
uvicorn.run(app, host="127.0.0.1", port=int(sys.argv[1]), log_level="warning")
"""
BARE_SERVER = """
import sys, uvicorn
from fastapi import FastAPI
app = FastAPI()
@app.get("/ping")
def ping() -> dict:
    return {"status": "ok"}
uvicorn.run(app, host="127.0.0.1", port=int(sys.argv[1]), log_level="warning")
"""
LEVERS = [
    {"kind": "remittance_ban", "share": 0.5},
    {"kind": "trade_restriction", "goods": ["wheat"], "direction": "exports"},
    {"kind": "transit_block", "asset": "BAKU_NOVOROSSIYSK"},
    {"kind": "corridor_exclusion", "corridor": "instc"},
]
GETS = ["/api/health", "/api/countries", "/api/levers", "/api/cases", "/"]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@contextmanager
def server(code: str, *args: str, timeout_s: float = 60) -> Iterator[str]:
    port = free_port()
    proc = subprocess.Popen(
        [sys.executable, "-c", code, str(port), *args],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + timeout_s
        while True:
            if proc.poll() is not None:
                raise RuntimeError(f"server exited: {proc.stderr.read().decode()[-2000:]}")
            try:
                httpx.get(url + ("/ping" if "FastAPI()" in code else "/api/health"), timeout=1)
                break
            except httpx.TransportError:
                if time.monotonic() > deadline:
                    raise RuntimeError("server did not start") from None
                time.sleep(0.1)
        yield url
    finally:
        proc.terminate()
        try:
            proc.wait(10)
        except subprocess.TimeoutExpired:
            proc.kill()


def plan(n: int, submit_share: float, seed: int) -> list[tuple[str, Any]]:
    rng = random.Random(seed)
    ops: list[tuple[str, Any]] = []
    for i in range(n):
        if rng.random() < submit_share:
            k = rng.randint(1, 2)
            ops.append(
                (
                    "submit",
                    {
                        "sender": "RUS",
                        "target": "AZE",
                        "draws": 200,
                        "seed": i,
                        "levers": rng.sample(LEVERS, k),
                    },
                )
            )
        elif rng.random() < 0.25:
            ops.append(("poll", None))
        else:
            ops.append(("get", rng.choice(GETS)))
    return ops


async def run_load(
    url: str,
    ops: list[tuple[str, Any]],
    concurrency: int,
) -> tuple[list[tuple[str, float]], list[str], list[str]]:
    timings: list[tuple[str, float]] = []
    errors: list[str] = []
    job_ids: list[str] = []
    queue: asyncio.Queue[tuple[str, Any]] = asyncio.Queue()
    for op in ops:
        queue.put_nowait(op)
    limits = httpx.Limits(max_connections=concurrency, max_keepalive_connections=concurrency)
    async with httpx.AsyncClient(base_url=url, timeout=60, limits=limits) as client:

        async def worker() -> None:
            while not queue.empty():
                kind, arg = queue.get_nowait()
                if kind == "poll" and not job_ids:
                    kind, arg = "get", "/api/health"
                t0 = time.perf_counter()
                try:
                    if kind == "submit":
                        r = await client.post("/api/assessments", json=arg)
                    elif kind == "poll":
                        r = await client.get(f"/api/assessments/{random.choice(job_ids)}")
                    else:
                        r = await client.get(arg)
                    elapsed = time.perf_counter() - t0
                    if r.status_code >= 300:
                        errors.append(
                            f"{kind} {arg if kind == 'get' else ''}: HTTP "
                            f"{r.status_code} {r.text[:200]}"
                        )
                    elif kind == "submit":
                        job_ids.append(r.json()["id"])
                    timings.append((kind, elapsed))
                except httpx.HTTPError as err:
                    errors.append(f"{kind}: {type(err).__name__} {err}")

        await asyncio.gather(*(worker() for _ in range(concurrency)))
    return timings, errors, job_ids


STALL_TEXT = Path(__file__).resolve().parents[1] / "tests" / "fixtures" / "claims" / "oped.md"


async def run_stall(url: str, checks: int, interval_s: float) -> dict[str, Any]:
    """Probe /api/health while ``checks`` maximum-size claims checks run at once."""
    text = STALL_TEXT.read_text("utf-8")
    text = (text * (50_000 // len(text) + 1))[:50_000]
    statuses: list[int] = []
    probes: list[float] = []
    probe_errors: list[str] = []
    async with httpx.AsyncClient(base_url=url, timeout=600) as client:

        async def check() -> None:
            r = await client.post("/api/claims/check", json={"text": text})
            statuses.append(r.status_code)

        tasks = [asyncio.create_task(check()) for _ in range(checks)]
        await asyncio.sleep(0.5)  # the checks are on the server before the probes start
        async with httpx.AsyncClient(base_url=url, timeout=30) as prober:
            while not all(t.done() for t in tasks):
                t0 = time.perf_counter()
                r = await prober.get("/api/health")
                probes.append(time.perf_counter() - t0)
                if r.status_code != 200:
                    probe_errors.append(f"health: HTTP {r.status_code}")
                await asyncio.sleep(interval_s)
        await asyncio.gather(*tasks)
    return {
        "checks": checks,
        "text_chars": len(text),
        "check_statuses": sorted(statuses),
        "health": pct_ms(probes),
        "health_errors": probe_errors,
        "responses_5xx": sum(s >= 500 for s in statuses),
    }


def wait_jobs(url: str, job_ids: list[str], timeout_s: float) -> tuple[list[float], list[str]]:
    durations: list[float] = []
    errors: list[str] = []
    deadline = time.monotonic() + timeout_s
    with httpx.Client(base_url=url, timeout=30) as client:
        for job_id in job_ids:
            while True:
                status = client.get(f"/api/assessments/{job_id}").json()
                if status["state"] == "done":
                    durations.append(status["finished"] - status["created"])
                    break
                if status["state"] == "failed":
                    errors.append(f"job {job_id}: {status['error']}")
                    break
                if time.monotonic() > deadline:
                    errors.append(f"job {job_id}: not finished within {timeout_s}s")
                    break
                time.sleep(0.1)
    return durations, errors


def pct_ms(values: list[float]) -> dict[str, float]:
    if not values:
        return {}
    arr = np.array(values) * 1000
    return {
        "n": len(values),
        "p50_ms": round(float(np.percentile(arr, 50)), 2),
        "p95_ms": round(float(np.percentile(arr, 95)), 2),
        "p99_ms": round(float(np.percentile(arr, 99)), 2),
        "max_ms": round(float(arr.max()), 2),
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=500)
    parser.add_argument("--concurrency", type=int, default=20)
    parser.add_argument("--submit-share", type=float, default=0.1)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--timeout", type=float, default=300, help="overall limit, seconds")
    parser.add_argument("--claims-budget", type=float, default=10.0,
                        help="the server's claims-check time budget, seconds")
    parser.add_argument("--stall-checks", type=int, default=3)
    args = parser.parse_args()
    ops = plan(args.requests, args.submit_share, args.seed)
    n_submit = sum(k == "submit" for k, _ in ops)
    random.seed(args.seed)

    with tempfile.TemporaryDirectory() as tmp:
        store = str(Path(tmp) / "store.duckdb")
        with server(GEOLEVER_SERVER, store, str(n_submit), str(args.claims_budget)) as url:
            stall = asyncio.run(run_stall(url, args.stall_checks, 0.05))
            t0 = time.perf_counter()
            timings, errors, job_ids = asyncio.run(
                asyncio.wait_for(run_load(url, ops, args.concurrency), args.timeout)
            )
            wall = time.perf_counter() - t0
            durations, job_errors = wait_jobs(url, job_ids, args.timeout)
    with server(BARE_SERVER) as bare_url:
        bare_ops = [("get", "/ping")] * args.requests
        bare_timings, bare_errors, _ = asyncio.run(
            asyncio.wait_for(run_load(bare_url, bare_ops, args.concurrency), args.timeout)
        )

    all_errors = errors + job_errors + bare_errors + stall["health_errors"]
    flood_5xx = sum(" HTTP 5" in e for e in errors)
    for err in all_errors[:20]:
        print("error:", err, file=sys.stderr)
    overall = pct_ms([t for _, t in timings])
    bare = pct_ms([t for _, t in bare_timings])
    by_kind = {
        k: pct_ms([t for kind, t in timings if kind == k]) for k in ("get", "poll", "submit")
    }
    print(
        f"{len(timings)} requests, {args.concurrency} concurrent, {wall:.1f}s, "
        f"{len(all_errors)} errors; p50 {overall['p50_ms']} ms, p95 {overall['p95_ms']} ms "
        f"(bare FastAPI p50 {bare['p50_ms']} ms); claims stall: health p95 "
        f"{stall['health'].get('p95_ms')} ms over {stall['health'].get('n')} probes, checks "
        f"{stall['check_statuses']}, 5xx in the flood {flood_5xx}",
        file=sys.stderr,
    )
    print(
        json.dumps(
            {
                "benchmark": "web_load",
                "requests": len(timings) + len(errors),
                "concurrency": args.concurrency,
                "errors": len(all_errors),
                "wall_s": round(wall, 2),
                "throughput_rps": round(len(timings) / wall, 1),
                **{k: v for k, v in overall.items() if k != "n"},
                "by_kind": by_kind,
                "jobs": {
                    "submitted": len(job_ids),
                    "done": len(durations),
                    "failed_or_late": len(job_errors),
                    "p50_s": round(float(np.percentile(durations, 50)), 3) if durations else None,
                    "p95_s": round(float(np.percentile(durations, 95)), 3) if durations else None,
                },
                "anchor": {
                    "name": "bare FastAPI JSON endpoint, same uvicorn/client/concurrency",
                    **bare,
                },
                "ratio_p50_vs_bare": round(overall["p50_ms"] / bare["p50_ms"], 2),
                "ratio_p95_vs_bare": round(overall["p95_ms"] / bare["p95_ms"], 2),
                "responses_5xx_flood": flood_5xx,
                "claims_stall": stall,
                "claims_stall_health_p95_under_100ms": bool(
                    stall["health"] and stall["health"]["p95_ms"] < 100),
                "cpus": os.cpu_count(),
            }
        )
    )
    bad = all_errors or flood_5xx or stall["responses_5xx"]
    return 1 if bad else 0


if __name__ == "__main__":
    raise SystemExit(main())
