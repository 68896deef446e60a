"""Benchmark: stream a 10M-row BACI-format year into the store (DuckDB) vs pandas.read_csv.

A synthetic file in BACI's exact layout (``t,i,j,k,v,q``; BACI numeric country codes,
6-digit HS codes, padded values in thousand US$, ``NA`` quantities) plus its
``country_codes`` and ``product_codes`` tables is written to a temporary folder (never
committed). Each contender runs in a fresh subprocess so its peak RSS is its own:

* geolever: ``baci_source`` + ``ingest_flows`` into a DuckDB file store (validation,
  code mapping, product groups, provenance; one transaction);
* anchor: ``pandas.read_csv`` of the same file (pyarrow engine), which only parses it
  into memory (no validation, no storage).

Targets (issue 6): geolever under 60 s and under 2 GiB peak RSS. Run:
``.venv/bin/python benchmarks/ingest_baci.py`` (``BENCH_ROWS`` to change the size).
Last line: one JSON object.
"""

from __future__ import annotations

import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import duckdb
import pycountry

ROWS = int(os.environ.get("BENCH_ROWS", "10000000"))
PRODUCTS = 5000


def write_files(folder: Path, rows: int) -> Path:
    """Write BACI_HS92_Y2021_VBENCH.csv and its code tables; return the data file."""
    codes = sorted(int(c.numeric) for c in pycountry.countries)[:200]
    with (folder / "country_codes_VBENCH.csv").open("w") as fh:
        fh.write("country_code,country_name,country_iso2,country_iso3\n")
        for c in codes:
            rec = pycountry.countries.get(numeric=f"{c:03d}")
            fh.write(f'{c},"{rec.name}",{rec.alpha_2},{rec.alpha_3}\n')
    con = duckdb.connect()
    con.execute("CREATE TABLE cc (code INTEGER, pos INTEGER)")
    con.executemany("INSERT INTO cc VALUES (?, ?)", [[c, k + 1] for k, c in enumerate(codes)])
    con.execute(
        f"COPY (SELECT lpad(CAST(10000 + (r * 7) % 890000 AS VARCHAR), 6, '0') AS code, "
        f"'product ' || r AS description FROM range({PRODUCTS}) t(r)) "
        f"TO '{folder / 'product_codes_HS92_VBENCH.csv'}' (HEADER, DELIMITER ',')"
    )
    # row r -> product r % P, ordered pair r // P (exporter != importer), like BACI
    data = folder / "BACI_HS92_Y2021_VBENCH.csv"
    n = len(codes)
    con.execute(
        f"""
        COPY (
          SELECT 2021 AS t, ce.code AS i, ci.code AS j,
                 CAST(10000 + ((r % {PRODUCTS}) * 7) % 890000 AS VARCHAR) AS k,
                 printf('%12.3f', 0.001 + (hash(r) % 1000000) / 100.0) AS v,
                 CASE WHEN r % 17 = 0 THEN '          NA'
                      ELSE printf('%12.3f', (hash(r + 1) % 100000) / 10.0) END AS q
          FROM range({rows}) t(r)
          JOIN cc ce ON ce.pos = (r // {PRODUCTS}) // {n - 1} + 1
          JOIN cc ci ON ci.pos = ((r // {PRODUCTS}) % {n - 1} + (r // {PRODUCTS}) // {n - 1}
                                  + 1) % {n} + 1
        ) TO '{data}' (HEADER, DELIMITER ',', QUOTE '')
        """
    )
    con.close()
    return data


def child(mode: str, path: str, store: str) -> None:
    start = time.perf_counter()
    if mode == "geolever":
        from geolever.sources.baci import baci_source
        from geolever.store import FactStore
        from geolever.store.bulk import ingest_flows

        with FactStore(store) as db:
            rows = ingest_flows(db, baci_source(Path(path)))
    else:
        import pandas as pd

        rows = len(pd.read_csv(path, engine="pyarrow", dtype={"k": str}))
    wall = time.perf_counter() - start
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KiB -> MiB on Linux
    print(json.dumps({"rows": rows, "wall_s": wall, "peak_rss_mib": peak}))


def run(mode: str, path: Path, store: Path) -> dict[str, float]:
    out = subprocess.run(
        [sys.executable, __file__, "--child", mode, str(path), str(store)],
        check=True,
        capture_output=True,
        text=True,
    )
    return json.loads(out.stdout.strip().splitlines()[-1])


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        t0 = time.perf_counter()
        data = write_files(folder, ROWS)
        gen_s = time.perf_counter() - t0
        geo = run("geolever", data, folder / "store.duckdb")
        again = run("geolever", data, folder / "store.duckdb")  # idempotent re-import
        anchor = run("pandas", data, folder / "unused")
        size_mib = data.stat().st_size / 2**20
    result = {
        "benchmark": "ingest_baci",
        "rows": geo["rows"],
        "file_mib": round(size_mib, 1),
        "generate_s": round(gen_s, 2),
        "geolever_s": round(geo["wall_s"], 2),
        "geolever_rows_per_s": round(geo["rows"] / geo["wall_s"]),
        "geolever_peak_rss_mib": round(geo["peak_rss_mib"]),
        "reimport_s": round(again["wall_s"], 2),
        "reimport_rows": again["rows"],
        "pandas_read_csv_s": round(anchor["wall_s"], 2),
        "pandas_peak_rss_mib": round(anchor["peak_rss_mib"]),
        "time_ratio_geolever_over_pandas": round(geo["wall_s"] / anchor["wall_s"], 2),
        "rss_ratio_geolever_over_pandas": round(geo["peak_rss_mib"] / anchor["peak_rss_mib"], 2),
        "target_met": geo["wall_s"] < 60 and geo["peak_rss_mib"] < 2048,
        "cpus": os.cpu_count(),
    }
    print(json.dumps(result))


if __name__ == "__main__":
    if len(sys.argv) > 1 and sys.argv[1] == "--child":
        child(sys.argv[2], sys.argv[3], sys.argv[4])
    else:
        main()
