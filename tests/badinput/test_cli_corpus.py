"""The bad-input corpus of the command line (issue 14): every command, format and store.

Each case asserts exit status 2, one ``error:`` line naming the field/file (and line or
column where there is one) and the fix, no traceback, and the store and --out unchanged.
``CASES`` is grouped by category; ``test_corpus_counts`` keeps the corpus from shrinking.
"""

from __future__ import annotations

import shutil
import sqlite3
from collections import Counter
from pathlib import Path

import pytest

from .conftest import FIXTURES, Case, Ctx, fake_zip, random_bytes, run_case, xlsx_bytes

LATIN1 = "café".encode("latin-1")
BACI_HEAD = "t,i,j,k,v,q\n"
BACI_OK = "2021,31,251,270900,  1200000.000,  2400000.000\n"
WDI_HEAD = "Country Name,Country Code,Year,Value\n"
FACTS_HEAD = ("indicator,country,partner,product,entity,measure,year,period,value,unit,"
              "quality,preferred,source,citation,note\n")
FACT_OK = "gdp,AZE,,,,,2021,FY,54825411764,USD,reported,,World Bank WDI,https://x.test,\n"
GRAVITY_HEAD = "exporter,importer,year,trade\n"
SMALL = "sender: RUS\ntarget: AZE\ndraws: 100\nlevers:\n  - kind: remittance_ban\n"


def baci(body: str | bytes, name: str = "BACI_HS92_Y2021_V202401b.csv"):
    def make(c: Ctx) -> list[str]:
        src = FIXTURES / "sources" / "baci"
        for table in ("country_codes_V202401b.csv", "product_codes_HS92_V202401b.csv"):
            shutil.copyfile(src / table, c.root / table)
        return ["data", "import", "baci", c.file(name, body)]
    return make


def source(kind: str, name: str, body: str | bytes, *opts: str):
    return lambda c: ["data", "import", kind, c.file(name, body), *opts]


def scenario(text: str | bytes, *extra: str, name: str = "s.yaml"):
    return lambda c: ["assess", c.file(name, text), *extra]


def lever(extra: str) -> str:
    return f"sender: RUS\ntarget: AZE\ndraws: 100\nlevers:\n  - kind: remittance_ban\n{extra}"


def trade(extra: str) -> str:
    return ("sender: RUS\ntarget: AZE\ndraws: 100\nlevers:\n  - kind: trade_restriction\n"
            f"    goods: [food]\n{extra}")


def claim(extra: str) -> str:
    return SMALL + ("claims:\n  - text: remittances are 7% of the budget\n"
                    "    metric: remittances_pct_budget\n    unit: pct\n" + extra)


# ------------------------------------------------------------------ store set-ups
def store_bytes(data: bytes):
    return lambda c: c.store.write_bytes(data)


def store_truncated(c: Ctx) -> None:
    data = c.store.read_bytes()
    c.store.write_bytes(data[: len(data) * 3 // 4])


def store_dir(c: Ctx) -> None:
    c.store.unlink()
    c.store.mkdir()


def store_sqlite(c: Ctx) -> None:
    c.store.unlink()
    con = sqlite3.connect(c.store)
    con.execute("CREATE TABLE facts (a)")
    con.commit()
    con.close()


def store_foreign(c: Ctx) -> None:
    import duckdb

    c.store.unlink()
    con = duckdb.connect(str(c.store))
    con.execute("CREATE TABLE facts (a INTEGER, b VARCHAR)")
    con.close()


def store_under_file(c: Ctx) -> None:
    blocker = c.root / "blocker"
    blocker.write_text("a file, not a folder")
    c.store = blocker / "store.duckdb"


STORES = {
    "random": (store_bytes(random_bytes(70_000)), "not a geolever store"),
    "empty": (store_bytes(b""), "not a geolever store"),
    "directory": (store_dir, "is a folder"),
    "sqlite": (store_sqlite, "SQLite"),
    "truncated": (store_truncated, "damaged"),
    "locked": (lambda c: c.lock_store(), "in use by another process"),
    "unwritable": (store_under_file, "is a file"),
    "foreign-duckdb": (store_foreign, "not a geolever store"),
}
STORE_COMMANDS = {
    "assess": lambda c: ["assess", c.file("s.yaml", SMALL), "--store", str(c.store)],
    "data-list": lambda c: ["data", "list", "--store", str(c.store)],
    "data-show": lambda c: ["data", "show", "gdp", "--store", str(c.store)],
    "data-import": lambda c: ["data", "import", "facts", c.file("f.csv", FACTS_HEAD + FACT_OK),
                              "--store", str(c.store)],
    "data-export": lambda c: ["data", "export", str(c.root / "x.parquet"), "--store",
                              str(c.store)],
    "matrix": lambda c: ["matrix", "--year", "2021", "--store", str(c.store)],
    "claims-check": lambda c: ["claims", "check", c.file("a.txt", "Remittances are 7% of "
                               "the budget."), "--store", str(c.store)],
}


def _store_case(kind: str, command: str) -> Case:
    setup, expect = STORES[kind]
    make = STORE_COMMANDS[command]
    return Case(f"store-{kind}-{command}", "store", make, ("--store", expect), setup)


CASES: list[Case] = [
    _store_case(kind, command) for kind in STORES for command in STORE_COMMANDS
    if not (kind == "unwritable" and command in ("data-export",))
]

# ------------------------------------------------------------------ scenario files
CASES += [
    Case("scn-not-utf8", "scenario", scenario(b"sender: R\xe9S\n"), ("line 1, column 10",
                                                                     "UTF-8")),
    Case("scn-deep-yaml", "scenario", scenario("[" * 5000 + "]" * 5000), ("nested",)),
    Case("scn-deep-mapping", "scenario",
         scenario("".join(f"{' ' * i}k{i}:\n" for i in range(300)) + " " * 300 + "v: 1\n"),
         ("nested",)),
    Case("scn-billion-laughs", "scenario",
         scenario("a: &a [x, x, x, x, x, x, x, x, x]\n" + "".join(
             f"{n}: &{n} [{', '.join(['*' + p] * 9)}]\n"
             for p, n in zip("abcdefghi", "bcdefghij", strict=True))), ("aliases",)),
    Case("scn-50mb", "scenario", lambda c: ["assess", _big(c)], ("bytes", "SCENARIO")),
    Case("scn-malformed", "scenario", scenario("sender: RUS\n  target: [AZE\n"),
         ("malformed YAML", "line")),
    Case("scn-list", "scenario", scenario("- a\n- b\n"), ("mapping",)),
    Case("scn-empty", "scenario", scenario(""), ("mapping",)),
    Case("scn-binary", "scenario", scenario(random_bytes(3000)), ("UTF-8|YAML",)),
    Case("scn-directory", "scenario", lambda c: ["assess", str(c.root)], ("folder",)),
    Case("scn-missing", "scenario", lambda c: ["assess", str(c.root / "nope.yaml")],
         ("no such file",)),
    Case("scn-no-sender", "scenario", scenario("target: AZE\nlevers:\n  - kind: "
                                               "remittance_ban\n"), ("sender",)),
    Case("scn-sender-is-target", "scenario",
         scenario("sender: RUS\ntarget: RUS\nlevers:\n  - kind: remittance_ban\n"),
         ("target", "also the sender")),
    Case("scn-unknown-country", "scenario",
         scenario("sender: RUS\ntarget: ZZZ\nlevers:\n  - kind: remittance_ban\n"), ("target",)),
    Case("scn-duplicate-ids", "scenario", scenario(lever("    id: a\n  - kind: remittance_ban\n"
                                                         "    id: a\n")), ("levers", "'a'")),
    Case("scn-duplicate-default-ids", "scenario",
         scenario(lever("    id: remittance_ban_2\n  - kind: remittance_ban\n")),
         ("remittance_ban_2",)),
    Case("scn-dangling-alternative", "scenario", scenario(lever("    alternative_to: nope\n")),
         ("alternative_to", "nope")),
    Case("scn-self-alternative", "scenario",
         scenario(lever("    id: a\n    alternative_to: a\n")), ("alternative_to",)),
    Case("scn-id-traversal", "scenario", scenario(lever("    id: x/../../../elsewhere/name\n")),
         ("levers\\[0\\]\\.id", "pattern")),
    Case("scn-id-too-long", "scenario", scenario(lever(f"    id: {'a' * 65}\n")), ("id",)),
    Case("scn-unknown-kind", "scenario",
         scenario("sender: RUS\ntarget: AZE\nlevers:\n  - kind: nuke\n"), ("kind",)),
    Case("scn-unknown-field", "scenario", scenario(lever("    colour: red\n")), ("colour",)),
    Case("scn-draws-0", "scenario", scenario(SMALL.replace("draws: 100", "draws: 0")),
         ("draws", "line 3")),
    Case("scn-draws-huge", "scenario",
         scenario(SMALL.replace("draws: 100", "draws: 1000000000")), ("draws",)),
    Case("scn-seed-negative", "scenario", scenario(SMALL + "seed: -1\n"), ("seed",)),
    Case("scn-year-fraction", "scenario", scenario(SMALL + "year: 2021.5\n"), ("year",)),
    Case("scn-share-nan", "scenario", scenario(lever("    share: .nan\n")),
         ("levers\\[0\\]\\.share", "NaN")),
    Case("scn-share-inf", "scenario", scenario(lever("    share: .inf\n")), ("share",)),
    Case("scn-tariff-minus-100", "scenario",
         scenario(trade("    measure: tariff\n    tariff_pct: -100\n")), ("tariff_pct",)),
    Case("scn-tariff-tiny-negative", "scenario",
         scenario(trade("    measure: tariff\n    tariff_pct: -0.999999999999\n")),
         ("tariff_pct",)),
    Case("scn-tariff-inf", "scenario",
         scenario(trade("    measure: tariff\n    tariff_pct: .inf\n")), ("tariff_pct",)),
    Case("scn-unknown-goods", "scenario",
         scenario(trade("").replace("[food]", "[unobtainium]")), ("goods",)),
    Case("scn-claimed-nan", "scenario", scenario(claim("    claimed: .nan\n")),
         ("claims\\[0\\]\\.claimed", "NaN")),
    Case("scn-claimed-text", "scenario", scenario(claim("    claimed: lots\n")), ("claimed",)),
    Case("scn-too-many-levers", "scenario",
         scenario("sender: RUS\ntarget: AZE\nlevers:\n" + "".join(
             f"  - kind: remittance_ban\n    id: r{i}\n" for i in range(25))), ("levers",)),
    Case("scn-unknown-case", "scenario", scenario(SMALL + "case: nowhere\n"), ("case|pack",)),
]


def _big(c: Ctx) -> str:
    path = c.root / "big.yaml"
    with path.open("wb") as fh:
        fh.write(SMALL.encode())
        fh.truncate(50 * 1024 * 1024)  # a sparse 50 MB file: refused by size, never read
    return str(path)


# ------------------------------------------------------------------ assess/demo options
def assess(*extra: str):
    return lambda c: ["assess", c.file("s.yaml", SMALL), *extra]


def out_is_file(c: Ctx) -> None:
    c.out.write_text("a file, not a folder")


def out_has_dir_report(c: Ctx) -> None:
    (c.out / "report.html").mkdir(parents=True)


CASES += [
    Case("opt-draws-0", "options", assess("--draws", "0"), ("--draws", "100")),
    Case("opt-draws-99", "options", assess("--draws", "99"), ("--draws",)),
    Case("opt-draws-1e9", "options", assess("--draws", "1e9"), ("--draws",)),
    Case("opt-draws-huge", "options", assess("--draws", "1000000000"), ("--draws",)),
    Case("opt-seed-negative", "options", assess("--seed", "-1"), ("--seed",)),
    Case("opt-demo-draws-0", "options", lambda c: ["demo", "--draws", "0", "--out",
                                                   str(c.out)], ("--draws",)),
    Case("opt-demo-seed-negative", "options", lambda c: ["demo", "--seed", "-1", "--out",
                                                         str(c.out)], ("--seed",)),
    Case("opt-unknown-option", "options", assess("--colour", "red"), ("--colour",)),
    Case("opt-unknown-command", "options", lambda c: ["asses"], ("asses",)),
    Case("out-assess-is-file", "outputs", lambda c: ["assess", c.file("s.yaml", SMALL), "--out",
                                                     str(c.out)], ("--out",), out_is_file),
    Case("out-assess-report-is-dir", "outputs",
         lambda c: ["assess", c.file("s.yaml", SMALL), "--out", str(c.out)], ("report.html",),
         out_has_dir_report),
    Case("out-assess-under-file", "outputs",
         lambda c: ["assess", c.file("s.yaml", SMALL), "--out",
                    c.file("blocker", "x") + "/report"], ("--out|blocker",)),
    Case("out-data-export-under-file", "outputs",
         lambda c: ["data", "export", c.file("blocker", "x") + "/facts.parquet"],
         ("blocker",)),
    Case("out-data-export-is-dir", "outputs", lambda c: ["data", "export", str(c.root)],
         ("folder|directory",)),
    Case("out-data-export-proc", "outputs", lambda c: ["data", "export", "/proc/x.parquet"],
         ("/proc",)),
]

# ------------------------------------------------------------------ data import
CASES += [
    # BACI
    Case("baci-not-utf8", "baci",
         baci((BACI_HEAD + BACI_OK).encode() + b"2021,31,251,2709\xe9,1,2\n"),
         ("line 3", "UTF-8")),
    Case("baci-header-only", "baci", baci(BACI_HEAD), ("no data rows|no rows|empty",)),
    Case("baci-empty-file", "baci", baci(""), ("BACI|empty",)),
    Case("baci-ragged", "baci", baci(BACI_HEAD + BACI_OK + "2021,31,251,270900,5,6,7,8\n"),
         ("line 3",)),
    Case("baci-truncated", "baci", baci(BACI_HEAD + BACI_OK + "2021,31,25"), ("line 3",)),
    Case("baci-inf", "baci", baci(BACI_HEAD + "2021,31,251,270900,inf,1\n"), ("line 2", "v")),
    Case("baci-1e309", "baci", baci(BACI_HEAD + "2021,31,251,270900,1e309,1\n"), ("line 2",)),
    Case("baci-nan", "baci", baci(BACI_HEAD + "2021,31,251,270900,nan,1\n"), ("line 2",)),
    Case("baci-negative", "baci", baci(BACI_HEAD + "2021,31,251,270900,-5,1\n"), ("line 2",)),
    Case("baci-year-fraction", "baci", baci(BACI_HEAD + "2021.5,31,251,270900,5,1\n"),
         ("line 2", "t")),
    Case("baci-value-text", "baci", baci(BACI_HEAD + "2021,31,251,270900,lots,1\n"),
         ("line 2",)),
    Case("baci-unknown-country", "baci", baci(BACI_HEAD + "2021,99999,251,270900,5,1\n"),
         ("line 2",)),
    Case("baci-wrong-columns", "baci", baci("a,b,c\n1,2,3\n"), ("columns",)),
    Case("baci-binary", "baci", baci(random_bytes(5000)), ("BACI|UTF-8",)),
    Case("baci-directory", "baci", lambda c: ["data", "import", "baci", str(c.root)],
         ("folder|not found",)),
    Case("baci-missing", "baci", lambda c: ["data", "import", "baci", str(c.root / "no.csv")],
         ("not found|no such",)),
    # Comtrade
    Case("comtrade-not-utf8", "comtrade",
         lambda c: ["data", "import", "comtrade", c.file(
             "ct.csv", (FIXTURES / "sources" / "comtrade_legacy_2021.csv").read_bytes()
             .replace(b"Azerbaijan", b"Azerba\xefjan", 1))], ("line 2", "UTF-8")),
    Case("comtrade-header-only", "comtrade",
         lambda c: ["data", "import", "comtrade", c.file(
             "ct.csv", (FIXTURES / "sources" / "comtrade_legacy_2021.csv").read_text()
             .splitlines()[0] + "\n")], ("no data rows|no rows|empty",)),
    Case("comtrade-truncated", "comtrade",
         lambda c: ["data", "import", "comtrade", c.file(
             "ct.csv", (FIXTURES / "sources" / "comtrade_legacy_2021.csv").read_text()[:900])],
         ("line",)),
    Case("comtrade-empty", "comtrade", source("comtrade", "ct.csv", ""), ("Comtrade|empty",)),
    Case("comtrade-wrong-columns", "comtrade", source("comtrade", "ct.csv", "a,b\n1,2\n"),
         ("column",)),
    Case("comtrade-binary", "comtrade", source("comtrade", "ct.csv", random_bytes(4000)),
         ("Comtrade|UTF-8",)),
    # WDI
    Case("wdi-not-utf8", "wdi", source("wdi", "w.csv", WDI_HEAD.encode() +
                                       b"Azerba\xefjan,AZE,2021,5e10\n"), ("line 2", "UTF-8")),
    Case("wdi-ragged", "wdi", source("wdi", "w.csv", WDI_HEAD + "A,AZE,2021,5e10,9,9\n"),
         ("line 2",)),
    Case("wdi-missing-column", "wdi", source("wdi", "w.csv", "Country Code,Value\nAZE,1\n"),
         ("Year",)),
    Case("wdi-inf", "wdi", source("wdi", "w.csv", WDI_HEAD + "A,AZE,2021,inf\n"), ("Value",)),
    Case("wdi-year-fraction", "wdi", source("wdi", "w.csv", WDI_HEAD + "A,AZE,2021.5,5e10\n"),
         ("Year",)),
    Case("wdi-value-text", "wdi", source("wdi", "w.csv", WDI_HEAD + "A,AZE,2021,lots\n"),
         ("Value",)),
    Case("wdi-conflicting-duplicates", "wdi",
         source("wdi", "w.csv", WDI_HEAD + "A,AZE,2021,5e10\nA,AZE,2021,6e10\n"),
         ("AZE", "2021", "line 3")),
    Case("wdi-empty", "wdi", source("wdi", "w.csv", ""), ("WDI|empty",)),
    Case("wdi-binary", "wdi", source("wdi", "w.csv", random_bytes(3000)), ("WDI|UTF-8",)),
    # KNOMAD
    Case("knomad-not-xlsx", "knomad", source("knomad", "k.xlsx", "just, some, text\n"),
         ("k.xlsx", "workbook")),
    Case("knomad-fake-zip", "knomad", source("knomad", "k.xlsx", fake_zip()),
         ("k.xlsx", "workbook")),
    Case("knomad-truncated", "knomad",
         lambda c: ["data", "import", "knomad", c.file(
             "k.xlsx", (FIXTURES / "sources" / "bilateralremittancematrix2021_fixture.xlsx")
             .read_bytes()[:3000])], ("k.xlsx",)),
    Case("knomad-empty-sheet", "knomad", source("knomad", "k.xlsx", xlsx_bytes([["x"]])),
         ("k.xlsx|KNOMAD",)),
    Case("knomad-conflicting-duplicates", "knomad",
         source("knomad", "k.xlsx", xlsx_bytes([
             ["Bilateral Remittance Matrix 2021 (US$ millions)"],
             ["Remittance-receiving country (across) - Remittance-sending country (down)",
              "Azerbaijan", "Russian Federation"],
             ["Russian Federation", 1200, 0],
             ["Russian Federation", 1300, 0],
             ["Azerbaijan", 0, 50],
         ])), ("Russia|RUS", "conflict|twice|duplicate")),
    Case("knomad-bad-year-opt", "knomad",
         lambda c: ["data", "import", "knomad", str(FIXTURES / "sources" /
                    "bilateralremittancematrix2021_fixture.xlsx"), "--opt", "year=abc"],
         ("year",)),
    # gravity
    Case("gravity-not-utf8", "gravity", source("gravity", "g.csv", GRAVITY_HEAD.encode() +
                                               b"AUS,CAN,2006,5\nAU\xd3,CAN,2006,5\n"),
         ("line 3", "UTF-8")),
    Case("gravity-ragged", "gravity",
         source("gravity", "g.csv", GRAVITY_HEAD + "AUS,CAN,2006,5\nAUS,CAN,2006,5,7,8\n"),
         ("line 3",)),
    Case("gravity-truncated", "gravity", source("gravity", "g.csv", GRAVITY_HEAD + "AUS,CA"),
         ("g.csv",)),
    Case("gravity-fake-dta", "gravity", source("gravity", "g.dta", random_bytes(2000)),
         ("g.dta", "Stata")),
    Case("gravity-truncated-dta", "gravity",
         lambda c: ["data", "import", "gravity", c.file("g.dta", (
             REPO_DATA / "gravity" / "Chapter2Application1.dta").read_bytes()[:5000]
             if (REPO_DATA / "gravity").is_dir() else random_bytes(5000))], ("g.dta",)),
    Case("gravity-fake-parquet", "gravity", source("gravity", "g.parquet", b"PAR1" +
                                                   random_bytes(500) + b"PAR1"),
         ("g.parquet", "Parquet")),
    Case("gravity-text-parquet", "gravity", source("gravity", "g.parquet", "a,b\n"),
         ("g.parquet",)),
    Case("gravity-unknown-suffix", "gravity", source("gravity", "g.xyz", "a"), ("g.xyz",)),
    Case("gravity-bad-rename", "gravity",
         lambda c: ["data", "import", "gravity", c.file("g.csv", GRAVITY_HEAD +
                    "AUS,CAN,2006,5\n"), "--opt", "rename=AUS"], ("rename",)),
    Case("gravity-inf", "gravity", source("gravity", "g.csv", GRAVITY_HEAD + "AUS,CAN,2006,inf\n"),
         ("trade",)),
    Case("gravity-year-fraction", "gravity",
         source("gravity", "g.csv", GRAVITY_HEAD + "AUS,CAN,2006.5,5\n"), ("year",)),
    # facts
    Case("facts-not-utf8", "facts", source("facts", "f.csv", FACTS_HEAD.encode() +
                                           FACT_OK.encode().replace(b"World", b"W\xf6rld")),
         ("line 2", "UTF-8")),
    Case("facts-ragged", "facts", source("facts", "f.csv", FACTS_HEAD + FACT_OK.strip() + ",x,y\n"),
         ("line 2|f.csv",)),
    Case("facts-inf", "facts", source("facts", "f.csv", FACTS_HEAD + FACT_OK.replace(
        "54825411764", "inf")), ("value",)),
    Case("facts-nan", "facts", source("facts", "f.csv", FACTS_HEAD + FACT_OK.replace(
        "54825411764", "nan")), ("value",)),
    Case("facts-year-fraction", "facts", source("facts", "f.csv", FACTS_HEAD + FACT_OK.replace(
        "2021", "2021.5")), ("year",)),
    Case("facts-unknown-indicator", "facts", source("facts", "f.csv", FACTS_HEAD + FACT_OK.replace(
        "gdp", "happiness", 1)), ("indicator",)),
    Case("facts-header-only", "facts", source("facts", "f.csv", FACTS_HEAD), ("no facts|empty",)),
    Case("facts-fake-parquet", "facts", source("facts", "f.parquet", random_bytes(300)),
         ("f.parquet",)),
    Case("facts-binary-csv", "facts", source("facts", "f.csv", random_bytes(3000)),
         ("f.csv",)),
    # options and sources
    Case("import-opt-no-equals", "import", lambda c: ["data", "import", "facts", c.file(
        "f.csv", FACTS_HEAD + FACT_OK), "--opt", "year"], ("--opt",)),
    Case("import-opt-unknown", "import", lambda c: ["data", "import", "facts", c.file(
        "f.csv", FACTS_HEAD + FACT_OK), "--opt", "colour=red"], ("--opt", "colour")),
    Case("import-unknown-source", "import", lambda c: ["data", "import", "excel", c.file(
        "f.csv", "x")], ("SOURCE",)),
    Case("import-pack-traversal", "import", lambda c: ["data", "import", "pack",
                                                       "../../etc"], ("pack",)),
    Case("import-pack-unknown", "import", lambda c: ["data", "import", "pack", "nowhere"],
         ("pack",)),
    Case("show-unknown-indicator", "import", lambda c: ["data", "show", "happiness"],
         ("INDICATOR",)),
    Case("show-bad-country", "import", lambda c: ["data", "show", "gdp", "--country", "ZZZ"],
         ("country",)),
    Case("show-bad-year", "import", lambda c: ["data", "show", "gdp", "--year", "abc"],
         ("--year",)),
]

REPO_DATA = Path(__file__).resolve().parents[3] / "shared" / "data"

# ------------------------------------------------------------------ matrix, ge, io, claims
def matrix(*extra: str):
    return lambda c: ["matrix", "--year", "2021", *extra]


GRAVITY_ROWS = GRAVITY_HEAD + "".join(
    f"{e},{i},2006,{10 + 3 * n}\n" for n, (e, i) in enumerate(
        (e, i) for e in ("CAN", "JPN", "USA") for i in ("CAN", "JPN", "USA")))


def ge(*extra: str):
    return lambda c: ["ge", c.file("g.csv", GRAVITY_ROWS), *extra]


CASES += [
    Case("matrix-chunk-negative", "matrix", matrix("--chunk", "-5"), ("--chunk",)),
    Case("matrix-chunk-zero", "matrix", matrix("--chunk", "0"), ("--chunk",)),
    Case("matrix-tariff-minus-100", "matrix", matrix("--tariff-pct", "-100"), ("--tariff-pct",)),
    Case("matrix-tariff-tiny-negative", "matrix", matrix("--tariff-pct", "-0.999999999999"),
         ("--tariff-pct",)),
    Case("matrix-tariff-nan", "matrix", matrix("--tariff-pct", "nan"), ("--tariff-pct",)),
    Case("matrix-sigma-one", "matrix", matrix("--sigma", "1"), ("--sigma",)),
    Case("matrix-sigma-nan", "matrix", matrix("--sigma", "nan"), ("--sigma",)),
    Case("matrix-chart-value", "matrix", matrix("--chart-value", "nonsense"),
         ("--chart-value",)),
    Case("matrix-duplicate-countries", "matrix", matrix("--countries", "RUS,RUS,AZE"),
         ("--countries", "RUS")),
    Case("matrix-unknown-lever", "matrix", matrix("--lever", "nuke"), ("--lever",)),
    Case("matrix-unknown-engine", "matrix", matrix("--engine", "gpu"), ("--engine",)),
    Case("matrix-year-text", "matrix", lambda c: ["matrix", "--year", "abc"], ("--year",)),
    Case("matrix-out-under-file", "matrix",
         lambda c: ["matrix", "--year", "2021", "--out", c.file("blocker", "x") + "/m.parquet"],
         ("--out|blocker",)),
    Case("ge-sigma-near-one", "ge", ge("--embargo", "CAN:JPN", "--sigma", "1.0000001"),
         ("--sigma",)),
    Case("ge-sigma-below-one", "ge", ge("--embargo", "CAN:JPN", "--sigma", "0.5"), ("--sigma",)),
    Case("ge-sigma-nan", "ge", ge("--embargo", "CAN:JPN", "--sigma", "nan"), ("--sigma",)),
    Case("ge-rename-no-equals", "ge", ge("--rename", "ZZZ"), ("--rename",)),
    Case("ge-out-is-file", "ge",
         lambda c: ["ge", c.file("g.csv", GRAVITY_ROWS), "--embargo", "CAN:JPN", "--out",
                    c.file("blocker", "x")], ("--out|blocker",)),
    Case("ge-not-utf8", "ge", lambda c: ["ge", c.file("g.csv", GRAVITY_HEAD.encode() +
                                         b"AUS,CAN,2006,5\nAU\xd3,CAN,2006,5\n")],
         ("line 3", "UTF-8")),
    Case("ge-fake-dta", "ge", lambda c: ["ge", c.file("g.dta", random_bytes(999))], ("g.dta",)),
    Case("ge-fake-parquet", "ge", lambda c: ["ge", c.file("g.parquet", random_bytes(999))],
         ("g.parquet",)),
    Case("ge-ragged", "ge", lambda c: ["ge", c.file("g.csv", GRAVITY_HEAD + "AUS,CAN,2006,5\n"
                                                    "AUS,CAN,2006,5,1,2\n")], ("line 3",)),
    Case("ge-bad-embargo", "ge", ge("--embargo", "CAN"), ("--embargo",)),
    Case("io-out-dir-is-file", "io",
         lambda c: ["io", "extract", "--sender", "RUS", "--target", "TUR", "--out-dir",
                    c.file("blocker", "x")], ("--out-dir|blocker",)),
    Case("io-share-above-one", "io",
         lambda c: ["io", "extract", "--sender", "RUS", "--target", "TUR", "--share", "2",
                    "--out-dir", str(c.out)],
         ("--share",)),
    Case("io-share-nan", "io",
         lambda c: ["io", "extract", "--sender", "RUS", "--target", "TUR", "--share", "nan",
                    "--out-dir", str(c.out)],
         ("--share",)),
    Case("io-unknown-table", "io",
         lambda c: ["io", "extract", "--sender", "RUS", "--target", "TUR", "--table", "nope",
                    "--out-dir", str(c.out)],
         ("--table|table",)),
    Case("claims-not-utf8", "claims", lambda c: ["claims", "check", c.file(
        "a.txt", b"Remittances are 7% of the budget. Caf\xe9.")], ("UTF-8",)),
    Case("claims-too-large", "claims", lambda c: ["claims", "check", c.file(
        "a.txt", "7% " * 400_000)], ("MB|bytes|large",)),
    Case("claims-directory", "claims", lambda c: ["claims", "check", str(c.root)],
         ("folder|directory|file",)),
    Case("claims-missing", "claims", lambda c: ["claims", "check", str(c.root / "no.txt")],
         ("no such|not found|exist",)),
    Case("claims-bad-format", "claims", lambda c: ["claims", "check", c.file(
        "a.txt", "x is 7%."), "--format", "pdf"], ("--format",)),
    Case("claims-out-is-file", "claims", lambda c: ["claims", "check", c.file(
        "a.txt", "Remittances are 7% of the budget."), "--out", c.file("blocker", "x")],
         ("--out|blocker",)),
    Case("claims-unknown-case", "claims", lambda c: ["claims", "check", c.file(
        "a.txt", "x is 7%."), "--case", "nowhere"], ("case|pack",)),
    Case("serve-bad-store", "store", lambda c: ["serve", "--store", str(c.store)],
         ("--store", "not a geolever store"), store_bytes(random_bytes(9000))),
    Case("serve-bad-port", "options", lambda c: ["serve", "--port", "0"], ("--port",)),
]

# `geolever balance SENDER TARGET` (issue 19): the pair, the year and the options.
CASES += [
    Case("bal-unknown-sender", "balance", lambda c: ["balance", "XYZ", "AZE", "--year", "2024"],
         ("SENDER", "XYZ")),
    Case("bal-unknown-target", "balance", lambda c: ["balance", "RUS", "Atlantis"],
         ("TARGET", "Atlantis")),
    Case("bal-sender-is-target", "balance", lambda c: ["balance", "RUS", "rus", "--year", "2024"],
         ("TARGET", "SENDER", "different")),
    Case("bal-no-year-no-pack", "balance", lambda c: ["balance", "CHN", "AUS"], ("year",)),
    Case("bal-year-without-data", "balance",
         lambda c: ["balance", "CHN", "AUS", "--year", "1995"], ("GDP", "year")),
    Case("bal-year-out-of-range", "balance",
         lambda c: ["balance", "CHN", "AUS", "--year", "1800"], ("year", "1990")),
    Case("bal-draws-0", "balance", lambda c: ["balance", "RUS", "AZE", "--draws", "0"],
         ("--draws",)),
    Case("bal-out-is-file", "balance",
         lambda c: ["balance", "RUS", "AZE", "--out", str(c.out)], ("--out",), out_is_file),
]

# A user's case pack (geolever.core.pack_schema): pack.yaml, infrastructure.yaml and
# parameters.yaml are validated when the pack is read, by `pack check` and by `assess --pack`.
PACK_OK = "name: mine\ntitle: A pack\nsender: RUS\ntarget: AZE\ndefault_year: 2021\n"
EDGE_OK = ("networks:\n  oil:\n    origin: A\n    destination: B\n    edges:\n"
           "      - {id: P1, name: Pipe, from: A, to: B, mode: pipeline, countries: [AZE, RUS]}\n")
PARAM_OK = ("parameters:\n  p1:\n    description: a share\n    distribution: triangular\n"
            "    low: 0.1\n    mode: 0.2\n    high: 0.3\n    unit: share\n    basis: assumption\n")


def pack(command: str = "check", **files: str | bytes):
    """A pack folder ``mine`` (a valid one, with ``files`` replacing its files) and the command."""
    def make(c: Ctx) -> list[str]:
        base: dict[str, str | bytes] = {"pack.yaml": PACK_OK,
                                        "facts.csv": FACTS_HEAD + FACT_OK}
        given = {name.replace("_", "."): text for name, text in files.items()}
        for name, text in {**base, **given}.items():
            c.file(f"mine/{name}", text)
        if command == "check":
            return ["pack", "check", str(c.root / "mine")]
        return ["assess", c.file("s.yaml", SMALL), "--pack", str(c.root / "mine"), "--out",
                str(c.out)]
    return make


CASES += [
    Case("pack-meta-misspelt-field", "pack", pack(pack_yaml=PACK_OK + "defualt_year: 2020\n"),
         ("mine/pack.yaml, defualt_year, line 6", "spelling")),
    Case("pack-meta-misspelt-field-assess", "pack",
         pack("assess", pack_yaml=PACK_OK.replace("title", "titel")),
         ("mine/pack.yaml, titel", "spelling")),
    Case("pack-meta-unknown-sender", "pack", pack(pack_yaml=PACK_OK.replace("RUS", "RUZ")),
         ("pack.yaml, sender, line 3", "RUZ", "RUS \\(Russian")),
    Case("pack-meta-year-text", "pack",
         pack(pack_yaml=PACK_OK.replace("2021", "next year")), ("default_year", "integer")),
    Case("pack-ge-world-no-regions", "pack",
         pack(pack_yaml=PACK_OK + "ge_world:\n  year: 2021\n"),
         ("ge_world.regions", "add this field")),
    Case("pack-yaml-not-mapping", "pack", pack(pack_yaml="- RUS\n- AZE\n"), ("mapping",)),
    Case("pack-yaml-malformed", "pack", pack(pack_yaml="sender: [RUS\n"),
         ("pack.yaml, line", "malformed YAML")),
    Case("pack-yaml-latin1", "pack", pack(pack_yaml=PACK_OK.encode() + b"title: " + LATIN1),
         ("pack.yaml", "UTF-8")),
    Case("pack-edge-without-from", "pack",
         pack(infrastructure_yaml=EDGE_OK.replace("from: A, ", "")),
         (r"infrastructure.yaml, networks.oil.edges\[0\].from, line 6", "add this field")),
    Case("pack-edge-without-from-assess", "pack",
         pack("assess", infrastructure_yaml=EDGE_OK.replace("from: A, ", "")),
         (r"networks.oil.edges\[0\].from",)),
    Case("pack-edge-misspelt-mode", "pack",
         pack(infrastructure_yaml=EDGE_OK.replace("pipeline", "pipline")),
         ("edges\\[0\\].mode", "pipeline", "port")),
    Case("pack-edge-unknown-country", "pack",
         pack(infrastructure_yaml=EDGE_OK.replace("[AZE, RUS]", "[AZE, RUSIA]")),
         ("edges\\[0\\].countries", "RUSIA")),
    Case("pack-networks-a-list", "pack", pack(infrastructure_yaml="networks: [oil, gas]\n"),
         ("infrastructure.yaml, networks", "dictionary")),
    Case("pack-network-without-edges", "pack",
         pack(infrastructure_yaml=EDGE_OK.split("    edges:")[0]),
         ("networks.oil.edges", "add this field")),
    Case("pack-param-misspelt-distribution", "pack",
         pack(parameters_yaml=PARAM_OK.replace("triangular", "triangle")),
         ("parameters.yaml, parameters.p1.distribution, line 4", "triangular")),
    Case("pack-param-unordered-bounds", "pack",
         pack(parameters_yaml=PARAM_OK.replace("high: 0.3", "high: 0.15")),
         ("mine/parameters.yaml, parameters.p1", "order the bounds")),
    Case("pack-param-without-unit", "pack",
         pack(parameters_yaml=PARAM_OK.replace("    unit: share\n", "")),
         ("parameters.p1.unit", "add this field")),
]


@pytest.mark.parametrize("case", CASES, ids=[c.id for c in CASES])
def test_bad_input(case: Case, ctx: Ctx, capsys: pytest.CaptureFixture[str]) -> None:
    """Exit 2, one error line naming the field and the fix, nothing changed."""
    run_case(case, ctx, capsys)


def test_corpus_counts() -> None:
    """The corpus covers every category with at least 120 CLI cases (issue 14)."""
    counts = Counter(c.category for c in CASES)
    assert len({c.id for c in CASES}) == len(CASES)
    assert sum(counts.values()) >= 120, counts
    for category in ("store", "scenario", "options", "outputs", "baci", "comtrade", "wdi",
                     "knomad", "gravity", "facts", "import", "matrix", "ge", "io", "claims",
                     "balance", "pack"):
        assert counts[category] >= 2, (category, counts)
