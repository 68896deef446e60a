"""CEPII BACI: reconciled bilateral trade at the HS 6-digit level, one CSV per year.

Published format (CEPII, http://www.cepii.fr/CEPII/en/bdd_modele/bdd_modele_item.asp?id=37),
release files ``BACI_HS92_Y2021_V202401b.csv`` with the columns

======  ==============================================================
``t``   year
``i``   exporter, BACI numeric country code (UN Comtrade based)
``j``   importer, same codes
``k``   product, HS 6-digit code (leading zero may be dropped)
``v``   value, **thousand US dollars** (FOB, reconciled)
``q``   quantity, **metric tonnes**; ``NA`` (padded with spaces) when unknown
======  ==============================================================

plus, in the same folder, ``country_codes_V202401b.csv``
(``country_code,country_name,country_iso2,country_iso3``; releases before 2024:
``country_code,country_name_abbreviation,country_name_full,iso_2digit_alpha,
iso_3digit_alpha``) and ``product_codes_HS92_V202401b.csv`` (``code,description``).

Extracts that keep BACI's content but use the OEC/QuantEcon layout (``year,
product_id, export_value`` in US dollars, ``Quantity (in metric tons)``,
``location_code, partner_code`` as ISO3) are read too (see :func:`baci_source`).
"""

from __future__ import annotations

import csv
import re
from pathlib import Path

import pandas as pd

from geolever.core.errors import InvalidDataError
from geolever.core.inputs import reading
from geolever.sources.codes import to_iso3
from geolever.sources.flows import FlowSource, csv_read_error, csv_reader, require_file, sql_string

BACI_SOURCE = "CEPII BACI"
BACI_CITATION = (
    "CEPII BACI (Gaulier and Zignago 2010, CEPII Working Paper 2010-23), "
    "http://www.cepii.fr/CEPII/en/bdd_modele/bdd_modele_item.asp?id=37"
)

_BACI_COLUMNS = ("t", "i", "j", "k", "v", "q")
_EXTRACT_COLUMNS = (
    "year",
    "product_id",
    "export_value",
    "Quantity (in metric tons)",
    "location_code",
    "partner_code",
)
_RELEASE = re.compile(r"BACI_(HS\d\d)_Y(\d{4})_(V\w+)", re.IGNORECASE)


def _header(path: Path) -> tuple[list[str], str]:
    with reading(path, "BACI CSV"), path.open(newline="", encoding="utf-8-sig") as fh:
        head = fh.read(8192)
    if not head.strip():
        raise InvalidDataError(f"{path.name} is empty", field=str(path),
                               fix="give a BACI_HS*_Y*_V*.csv file as published by CEPII")
    try:
        delim = csv.Sniffer().sniff(head.splitlines()[0], delimiters=",;\t|").delimiter
    except (csv.Error, IndexError):
        delim = ","
    first = next(csv.reader([head.splitlines()[0] if head else ""], delimiter=delim), [])
    return [c.strip() for c in first], delim


def _read_table(path: Path) -> pd.DataFrame:
    with reading(path, "BACI code table (CSV)"):
        return pd.read_csv(
            path, dtype=str, keep_default_na=False, encoding="utf-8-sig",
            encoding_errors="replace"
        )


def read_country_codes(path: Path) -> pd.DataFrame:
    """Read BACI's ``country_codes_V*.csv`` and map every code to ISO3.

    Parameters
    ----------
    path
        The country code table of the BACI release (either column layout).

    Returns
    -------
    pandas.DataFrame
        ``code`` (BACI numeric code as text), ``name``, ``iso3`` (None when the code is
        not a country geolever knows, e.g. 'Special Categories').
    """
    table = _read_table(require_file(path, "BACI country code"))
    cols = {c.lower(): c for c in table.columns}
    code = cols.get("country_code")
    name = (
        cols.get("country_name")
        or cols.get("country_name_full")
        or cols.get("country_name_abbreviation")
    )
    iso = cols.get("country_iso3") or cols.get("iso_3digit_alpha")
    if not (code and name and iso):
        raise InvalidDataError(
            f"{path.name} is not a BACI country table (columns {list(table.columns)})",
            field=path.name,
            fix="use the release's country_codes_V*.csv (country_code, country_name, country_iso3)",
        )
    # the table's ISO3 where it is one, else the name, else the numeric code
    iso_col = table[iso].str.strip()
    key = iso_col.where(iso_col.str.fullmatch(r"[A-Za-z][A-Za-z0-9]{2}"), table[name].str.strip())
    by_key = key.map(to_iso3(key).set_index("code")["iso3"])
    codes = table[code].str.strip()
    by_code = codes.map(to_iso3(codes).set_index("code")["iso3"])
    iso3 = by_key.where(by_key.notna(), by_code)
    iso3 = iso3.astype(object).where(iso3.notna(), None)
    return pd.DataFrame({"code": table[code].str.strip(), "name": table[name], "iso3": iso3})


def read_product_codes(path: Path) -> pd.DataFrame:
    """Read BACI's ``product_codes_HS*_V*.csv`` (``code,description``).

    Returns
    -------
    pandas.DataFrame
        ``hs6`` (six digits, zero-padded) and ``description``.
    """
    table = _read_table(require_file(path, "BACI product code"))
    if "code" not in table.columns:
        raise InvalidDataError(
            f"{path.name} is not a BACI product table (columns {list(table.columns)})",
            field=path.name,
            fix="use the release's product_codes_HS*_V*.csv (code, description)",
        )
    return pd.DataFrame(
        {"hs6": table["code"].str.strip().str.zfill(6), "description": table.get("description", "")}
    )


def _companion(folder: Path, pattern: str) -> Path | None:
    found = sorted(folder.glob(pattern))
    return found[-1] if found else None


def baci_source(
    path: Path,
    *,
    country_codes: Path | None = None,
    product_codes: Path | None = None,
    blank_country: str | None = None,
    dataset: str | None = None,
) -> FlowSource:
    """Describe a BACI yearly CSV for streaming into the store.

    Parameters
    ----------
    path
        ``BACI_HS*_Y*_V*.csv`` (columns t,i,j,k,v,q; v in thousand US$, q in tonnes),
        or an extract in the OEC/QuantEcon layout (values in US$, ISO3 codes).
    country_codes, product_codes
        The release's code tables; by default the ``country_codes_V*.csv`` and
        ``product_codes_HS*_V*.csv`` next to ``path`` (without a country table the
        numeric codes are mapped by ``country_converter`` and the alias table; without
        a product table every code of a known HS chapter is accepted).
    blank_country
        ISO3 code to use for blank country cells (extracts written by pandas leave
        BACI's 'Other Asia, nes' blank; it is Taiwan, ``TWN``). Default: blank is an
        error.
    dataset
        Dataset name; default from the release in the file name, e.g.
        ``baci:HS92:V202401b:2021``.

    Returns
    -------
    FlowSource
        The streaming description; nothing is read beyond the header and code tables.

    Raises
    ------
    InvalidDataError
        When the header is neither BACI's nor the extract layout.
    """
    path = require_file(Path(path), "BACI")
    header, delim = _header(path)
    folder = path.parent
    match = _RELEASE.search(path.name)
    name = dataset or (
        f"baci:{match.group(1).upper()}:{match.group(3)}:{match.group(2)}"
        if match
        else f"baci:{path.stem}"
    )
    citation = BACI_CITATION + (
        f"; release {match.group(3)}, {match.group(1).upper()}" if match else f"; file {path.name}"
    )
    read = csv_reader(path, header, delim)
    blank = sql_string(blank_country.upper()) if blank_country else "''"
    if all(c in header for c in _BACI_COLUMNS):
        relation = (
            "SELECT trim(t) AS year_raw, "
            f"coalesce(nullif(trim(i), ''), {blank}) AS exporter_code, "
            f"coalesce(nullif(trim(j), ''), {blank}) AS importer_code, "
            "trim(k) AS hs_raw, trim(v) AS value_raw, trim(q) AS quantity_raw, "
            f"'reconciled' AS flow_basis, TRUE AS keep FROM {read}"
        )
        columns = dict(
            zip(
                ("year", "exporter", "importer", "hs6", "value", "quantity"),
                _BACI_COLUMNS,
                strict=True,
            )
        )
        scale = 1000.0
        countries_file = country_codes or _companion(folder, "country_codes_V*.csv")
        products_file = product_codes or _companion(folder, "product_codes_HS*_V*.csv")
    elif all(c in header for c in _EXTRACT_COLUMNS):
        relation = (
            'SELECT trim("year") AS year_raw, '
            f"coalesce(nullif(trim(location_code), ''), {blank}) AS exporter_code, "
            f"coalesce(nullif(trim(partner_code), ''), {blank}) AS importer_code, "
            "trim(product_id) AS hs_raw, trim(export_value) AS value_raw, "
            '"trim"("Quantity (in metric tons)") AS quantity_raw, '
            f"'reconciled' AS flow_basis, TRUE AS keep FROM {read}"
        )
        columns = dict(
            zip(
                ("year", "exporter", "importer", "hs6", "value", "quantity"),
                (
                    "year",
                    "location_code",
                    "partner_code",
                    "product_id",
                    "export_value",
                    "Quantity (in metric tons)",
                ),
                strict=True,
            )
        )
        scale = 1.0
        countries_file, products_file = country_codes, product_codes
        citation = BACI_CITATION + f"; extract {path.name}"
    else:
        raise InvalidDataError(
            f"{path.name} has neither BACI's columns t,i,j,k,v,q nor the extract layout "
            f"({', '.join(_EXTRACT_COLUMNS)}); it has {header[:10]}",
            field=path.name,
            fix="give a BACI_HS*_Y*_V*.csv file as published by CEPII",
        )
    if countries_file is not None:
        countries = read_country_codes(countries_file)[["code", "iso3"]]
    else:
        import duckdb

        con = duckdb.connect()
        try:
            codes = con.execute(
                f"SELECT DISTINCT exporter_code FROM ({relation}) UNION "
                f"SELECT DISTINCT importer_code FROM ({relation})"
            ).fetchall()
        except duckdb.Error as err:
            raise csv_read_error(err, path) from None
        finally:
            con.close()
        countries = to_iso3([c[0] for c in codes if c[0]])
    if blank_country:
        countries = pd.concat([countries, to_iso3([blank_country])], ignore_index=True)
    products = read_product_codes(products_file) if products_file is not None else None
    return FlowSource(
        dataset=name,
        kind="baci",
        relation=relation,
        columns=columns,
        value_scale=scale,
        quantity_scale=1.0,
        countries=countries.drop_duplicates("code"),
        products=products,
        source=BACI_SOURCE,
        citation=citation,
        origin=str(path),
        size_bytes=path.stat().st_size,
    )
