"""UN Comtrade: reported bilateral trade by HS code, from bulk files or the API.

Two published layouts are read:

* **Comtrade+ (current)**: the bulk 'final' files (``COMTRADE-FINAL-*.gz``/``.txt``,
  tab-separated) and the API's CSV/DataFrame output (``comtradeapicall.getFinalData``),
  with columns ``refYear, freqCode, reporterCode, flowCode, partnerCode, partner2Code,
  cmdCode, customsCode, motCode, netWgt`` (kg) and ``primaryValue`` (US$), among others;
* **legacy Comtrade CSV** (comtrade.un.org 'Download CSV'): ``Year, Trade Flow Code``
  (1 import, 2 export), ``Reporter Code, Partner Code, Commodity Code,
  Netweight (kg), Trade Value (US$)``, ...

Only annual HS 6-digit rows of imports and exports with a partner country are kept
(no World partner, no second partner, all customs procedures and modes of transport),
so that nothing is counted twice. An import report becomes the flow partner -> reporter
(``flow_basis = import_report``, CIF value), an export report the flow reporter ->
partner (``export_report``, FOB); both are kept (mirror data).
"""

from __future__ import annotations

import csv
import gzip
from pathlib import Path

import duckdb

from geolever.core.errors import InvalidDataError
from geolever.core.inputs import reading
from geolever.sources.codes import to_iso3
from geolever.sources.flows import FlowSource, csv_read_error, csv_reader, require_file

COMTRADE_SOURCE = "UN Comtrade"
COMTRADE_CITATION = "United Nations Comtrade Database, https://comtradeplus.un.org"

#: Canonical role -> column name in each layout; ``None`` when the layout has none.
LAYOUTS: dict[str, dict[str, str | None]] = {
    "plus": {
        "year": "refYear",
        "freq": "freqCode",
        "reporter": "reporterCode",
        "reporter_iso": "reporterISO",
        "partner": "partnerCode",
        "partner_iso": "partnerISO",
        "flow": "flowCode",
        "cmd": "cmdCode",
        "value": "primaryValue",
        "weight": "netWgt",
        "partner2": "partner2Code",
        "customs": "customsCode",
        "mot": "motCode",
    },
    "legacy": {
        "year": "Year",
        "freq": None,
        "reporter": "Reporter Code",
        "reporter_iso": "Reporter ISO",
        "partner": "Partner Code",
        "partner_iso": "Partner ISO",
        "flow": "Trade Flow Code",
        "cmd": "Commodity Code",
        "value": "Trade Value (US$)",
        "weight": "Netweight (kg)",
        "partner2": "2nd Partner Code",
        "customs": "Customs Proc. Code",
        "mot": "Mode of Transport Code",
    },
}
_FLOW_CODES = {"plus": ("M", "X"), "legacy": ("1", "2")}
_REQUIRED = ("year", "reporter", "partner", "flow", "cmd", "value", "weight")


def _header(path: Path) -> tuple[list[str], str]:
    with reading(path, "Comtrade file"):
        if path.suffix == ".gz":
            with gzip.open(path, "rt", encoding="utf-8-sig", newline="") as fh:
                first = fh.readline()
        else:
            with path.open(encoding="utf-8-sig", newline="") as fh:
                first = fh.readline()
    if not first.strip():
        raise InvalidDataError(f"{path.name} is empty", field=str(path),
                               fix="give a Comtrade+ bulk/API file or a legacy Comtrade CSV")
    delim = "\t" if first.count("\t") > first.count(",") else ","
    return [c.strip() for c in next(csv.reader([first], delimiter=delim))], delim


def _q(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def comtrade_source(path: Path, *, dataset: str | None = None) -> FlowSource:
    """Describe a UN Comtrade bulk or API CSV file for streaming into the store.

    Parameters
    ----------
    path
        Comtrade+ bulk/API file (``.txt``/``.csv``/``.tsv``, optionally ``.gz``;
        tab- or comma-separated) or a legacy Comtrade CSV.
    dataset
        Dataset name; default ``comtrade:<file stem>``.

    Returns
    -------
    FlowSource
        Values in US$ (``primaryValue``), quantities in tonnes (net weight / 1000).

    Raises
    ------
    InvalidDataError
        When a required column is missing.
    """
    path = require_file(Path(path), "Comtrade")
    header, delim = _header(path)
    layout = "plus" if "refYear" in header else "legacy"
    cols = LAYOUTS[layout]
    missing = [cols[r] for r in _REQUIRED if cols[r] not in header]
    if missing:
        raise InvalidDataError(
            f"{path.name} lacks the Comtrade column(s) {missing} (layout {layout}); it has "
            f"{header[:12]}",
            field=str(missing[0]),
            fix="give a Comtrade+ bulk/API file (refYear, reporterCode, flowCode, partnerCode, "
            "cmdCode, primaryValue, netWgt) or a legacy Comtrade CSV",
        )

    def col(role: str) -> str:
        name = cols[role]
        assert name is not None
        return f"trim({_q(name)})"

    imp, exp = _FLOW_CODES[layout]
    keep = [
        f"{col('flow')} IN ('{imp}', '{exp}')",
        f"{col('partner')} NOT IN ('0', '')",
        f"length({col('cmd')}) BETWEEN 5 AND 6",
        f"{col('cmd')} <> 'TOTAL'",
    ]
    for role, ok in (
        ("partner2", "'0', ''"),
        ("customs", "'C00', ''"),
        ("mot", "'0', ''"),
        ("freq", "'A'"),
    ):
        name = cols[role]
        if name and name in header:
            keep.append(f"coalesce({col(role)}, '') IN ({ok})")
    is_exp = f"{col('flow')} = '{exp}'"
    read = csv_reader(path, header, delim)
    relation = (
        f"SELECT {col('year')} AS year_raw, "
        f"CASE WHEN {is_exp} THEN {col('reporter')} ELSE {col('partner')} END AS exporter_code, "
        f"CASE WHEN {is_exp} THEN {col('partner')} ELSE {col('reporter')} END AS importer_code, "
        f"{col('cmd')} AS hs_raw, {col('value')} AS value_raw, "
        f"{col('weight')} AS quantity_raw, "
        f"CASE WHEN {is_exp} THEN 'export_report' ELSE 'import_report' END AS flow_basis, "
        f"({' AND '.join(keep)}) AS keep FROM {read}"
    )
    # every country code of the file, with its ISO3 label where the layout has one
    iso = {r: cols[f"{r}_iso"] for r in ("reporter", "partner")}
    parts = [
        f"SELECT DISTINCT {col(r)} AS code, "
        f"{f'trim({_q(str(iso[r]))})' if iso[r] in header else 'NULL'} AS label FROM {read}"
        for r in ("reporter", "partner")
    ]
    con = duckdb.connect()
    try:
        found = con.execute(" UNION ".join(parts)).fetchall()
    except duckdb.Error as err:
        raise csv_read_error(err, path) from None
    finally:
        con.close()
    codes = [c for c, _ in found if c not in (None, "", "0")]
    labels = [lab or "" for c, lab in found if c not in (None, "", "0")]
    columns = {
        "year": cols["year"],
        "exporter": f"{cols['reporter']}/{cols['partner']}",
        "importer": f"{cols['partner']}/{cols['reporter']}",
        "hs6": cols["cmd"],
        "value": cols["value"],
        "quantity": cols["weight"],
    }
    return FlowSource(
        dataset=dataset or f"comtrade:{path.name.split('.')[0]}",
        kind="comtrade",
        relation=relation,
        columns={k: str(v) for k, v in columns.items()},
        value_scale=1.0,
        quantity_scale=0.001,
        countries=to_iso3(codes, names=labels),
        source=COMTRADE_SOURCE,
        citation=COMTRADE_CITATION + f"; file {path.name}",
        origin=str(path),
        size_bytes=path.stat().st_size,
        missing_quantity=("", "NA", "null"),
    )
