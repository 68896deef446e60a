"""Benchmark: the case of one pair from a store holding a full BACI year (10M rows).

A synthetic year in BACI's exact layout (``t,i,j,k,v,q``; ISO numeric country codes, 6-digit
HS codes built from every HS 2022 heading of ``reference/hs_nomenclature.csv`` so that all 97
chapters are present, values in thousand US$) is written to a temporary folder (never
committed) and imported with ``geolever data import baci``; GDP of the pair comes as two
labelled synthetic facts. Then, with DuckDB limited to 2 threads:

* ``case_s``: building the case of one pair (``case_from_store``) and every quantity its levers
  read (bilateral flows both ways and the world totals of each good, summed from HS 6-digit
  rows in DuckDB); ``case_cpu_s`` is the process CPU time of the same step (all threads),
  the fairer figure on a machine shared with other work (``load_avg_1m`` says how busy);
* ``assess_s``: ``run_scenario`` of a scenario with only sender, target, year and six trade
  levers (groups, chapters, headings; embargo and tariff), 2,000 draws each, from a fresh case;
* anchor ``pandas_s``: reading the whole ``trade_flows`` table into pandas and filtering the
  pair (what the store queries avoid).

Targets (issue 12): case < 2 s, all levers < 5 s on 2 cores. Run:
``python benchmarks/case_from_store.py`` (``BENCH_ROWS`` to change the size). Last line: one
JSON object.
"""

from __future__ import annotations

import csv
import json
import os
import tempfile
import time
from importlib import resources
from pathlib import Path

import duckdb
import pycountry

from geolever.cli.data_sources import import_source
from geolever.core.facts import Fact
from geolever.scenario import parse_scenario, run_scenario
from geolever.store import FactStore
from geolever.world import case_from_store

ROWS = int(os.environ.get("BENCH_ROWS", "10000000"))
YEAR = 2021
GOODS = [["food"], ["27"], ["2204"], ["machinery"], ["8703", "8704"]]


def _products() -> list[str]:
    text = resources.files("geolever.reference").joinpath("hs_nomenclature.csv").read_text()
    headings = [r["code"] for r in csv.DictReader(text.splitlines()) if r["level"] == "4"]
    return [h + s for h in headings for s in ("10", "20", "90", "00")]


def write_year(folder: Path, rows: int) -> tuple[Path, str, str]:
    """Write BACI_HS17_Y2021_VBENCH.csv; return it and the (exporter, importer) of a pair."""
    codes = sorted(int(c.numeric) for c in pycountry.countries)[:200]
    products = _products()
    con = duckdb.connect()
    con.execute("CREATE TABLE cc (code INTEGER, pos INTEGER)")
    con.executemany("INSERT INTO cc VALUES (?, ?)", [[c, k] for k, c in enumerate(codes)])
    con.execute("CREATE TABLE pp (k VARCHAR, pos INTEGER)")
    con.executemany("INSERT INTO pp VALUES (?, ?)", [[p, k] for k, p in enumerate(products)])
    n, p = len(codes), len(products)
    pairs = n * (n - 1)
    data = folder / "BACI_HS17_Y2021_VBENCH.csv"
    # row r: product r % P of pair slot r // P, spread over all ordered pairs (no self-trade)
    con.execute(
        f"""
        COPY (
          WITH r AS (SELECT r, r % {p} AS prod, ((r // {p}) * 7919) % {pairs} AS pair
                     FROM range({rows}) t(r))
          SELECT {YEAR} AS t, ce.code AS i, ci.code AS j, pp.k AS k,
                 printf('%.3f', 0.001 + (hash(r.r) % 1000000) / 100.0) AS v,
                 printf('%.3f', (hash(r.r + 1) % 100000) / 10.0) AS q
          FROM r
          JOIN pp ON pp.pos = r.prod
          JOIN cc ce ON ce.pos = r.pair // {n - 1}
          JOIN cc ci ON ci.pos = (r.pair // {n - 1} + 1 + r.pair % {n - 1}) % {n}
        ) TO '{data}' (HEADER, DELIMITER ',', QUOTE '')
        """)
    row = con.execute(f"SELECT i, j FROM read_csv('{data}') LIMIT 1").fetchone()
    con.close()
    assert row is not None
    iso = {int(c.numeric): c.alpha_3 for c in pycountry.countries}
    return data, iso[int(row[0])], iso[int(row[1])]


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        t0 = time.perf_counter()
        data, exporter, importer = write_year(folder, ROWS)
        write_s = time.perf_counter() - t0
        store = FactStore(folder / "store.duckdb")
        store.con.execute("SET threads = 2")
        t0 = time.perf_counter()
        stored = import_source("baci", data, store)
        ingest_s = time.perf_counter() - t0
        store.add_facts([Fact(indicator="gdp", country=c, year=YEAR, value=v, unit="USD",
                              source="synthetic benchmark value")
                         for c, v in ((exporter, 5e11), (importer, 2e12))],
                        dataset="bench:gdp")
        sender, target = importer, exporter  # the sender stops buying the target's goods

        t0, c0 = time.perf_counter(), time.process_time()
        case = case_from_store(store, sender, target, YEAR)
        for goods in GOODS:
            for g in goods:
                for a, b in ((target, sender), (sender, target)):
                    case.bilateral(a, b, g)
                case.quantity("exports", target, partner="WLD", product=g)
                case.quantity("imports", sender, partner="WLD", product=g)
        case.gdp_usd(target)
        case.gdp_usd(sender)
        case_s, case_cpu = time.perf_counter() - t0, time.process_time() - c0

        levers = [{"kind": "trade_restriction", "goods": g, "direction": "both"}
                  for g in GOODS]
        levers.append({"kind": "trade_restriction", "goods": ["food"], "direction": "imports",
                       "measure": "tariff", "tariff_pct": 25})
        scenario = parse_scenario({"sender": sender, "target": target, "year": YEAR,
                                   "levers": levers, "draws": 2000})
        t0, c0 = time.perf_counter(), time.process_time()
        result = run_scenario(scenario, store).to_dict()
        assess_s, assess_cpu = time.perf_counter() - t0, time.process_time() - c0
        verdicts = [lv["verdict"] for lv in result["levers"]]

        t0 = time.perf_counter()
        frame = store.con.execute("SELECT * FROM trade_flows").df()
        frame[(frame["exporter"] == target) & (frame["importer"] == sender)]
        pandas_s = time.perf_counter() - t0
        store.close()
    print(json.dumps({
        "benchmark": "case_from_store", "rows": stored, "threads": 2,
        "pair": f"{sender}<-{target}", "write_s": round(write_s, 2),
        "ingest_s": round(ingest_s, 2), "case_s": round(case_s, 3),
        "assess_s": round(assess_s, 3), "case_cpu_s": round(case_cpu, 3),
        "assess_cpu_s": round(assess_cpu, 3), "load_avg_1m": round(os.getloadavg()[0], 1),
        "levers": len(levers), "verdicts": verdicts,
        "pandas_whole_table_s": round(pandas_s, 3),
        "case_vs_pandas": round(pandas_s / case_s, 1),
        "targets": {"case_s": 2.0, "assess_s": 5.0},
        "ok": case_s < 2.0 and assess_s < 5.0,
    }))


if __name__ == "__main__":
    main()
