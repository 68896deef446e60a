"""World Bank World Development Indicators (WDI) as facts.

Three published layouts are read:

* **long** (``Country Name,Country Code,Year,Value``), as packaged by datasets.io
  (``github.com/datasets/gdp``: indicator NY.GDP.MKTP.CD, GDP in current US$);
* **wide** World Bank download (``API_<indicator>_DS2_en_csv_v2_*.csv``): four metadata
  lines (absent in some copies: the header line is found, not assumed), then
  ``Country Name,Country Code,Indicator Name,Indicator Code,1960,...``;
* the same wide table in the World Bank's **Excel** download (``API_*_excel_v2_*.xls``,
  sheet ``Data``, three preamble rows).

Indicators in US$ are stored in ``USD``; shares of GDP or of exports (``..ZS``) in ``pct``.

World Bank regional and income aggregates (``EUU``, ``ARB``, ...) and codes outside ISO
3166 (``XKX`` Kosovo, ``CHI`` Channel Islands) are not countries geolever knows: they
are left out and listed in :attr:`WdiRead.skipped`; ``WLD`` (World) is kept.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from geolever.core.countries import country_names
from geolever.core.errors import InvalidDataError, UnknownCodeError
from geolever.core.facts import Fact
from geolever.core.inputs import reading
from geolever.sources.flows import require_file

WDI_SOURCE = "World Bank WDI"
WDI_CITATION = "World Bank, World Development Indicators, https://data.worldbank.org/indicator/"

#: WDI indicator code -> (geolever indicator, measure, partner, product, unit)
WDI_INDICATORS: dict[str, tuple[str, str, str, str, str]] = {
    "NY.GDP.MKTP.CD": ("gdp", "", "", "", "USD"),
    "NE.CON.PRVT.CD": ("household_consumption", "", "", "", "USD"),
    "BX.TRF.PWKR.CD.DT": ("remittances_received", "wdi_personal_remittances", "WLD", "", "USD"),
    "NE.EXP.GNFS.CD": ("exports_goods_services", "", "", "", "USD"),
    "GC.REV.XGRT.GD.ZS": ("revenue_share_gdp", "wdi_revenue_excl_grants", "", "", "pct"),
    "GC.TAX.TOTL.GD.ZS": ("revenue_share_gdp", "wdi_tax_revenue", "", "", "pct"),
    "TX.VAL.FUEL.ZS.UN": ("fuel_exports_share", "", "", "", "pct"),
    "NY.GDP.PETR.RT.ZS": ("oil_rents_share_gdp", "", "", "", "pct"),
}


@dataclass(frozen=True)
class WdiRead:
    """Facts read from a WDI file and the codes left out (aggregates, non-ISO codes)."""

    facts: list[Fact]
    skipped: list[str]
    indicator: str


def _frame(path: Path) -> pd.DataFrame:
    with reading(path, "WDI CSV"):
        return _parse(path)


def _wide_header_line(path: Path) -> int | None:
    """Line index of the wide layout's header (``Country Name,...,Indicator Code``), or None."""
    with path.open(encoding="utf-8-sig") as fh:
        for number, line in enumerate(fh):
            if number > 10:
                return None
            if line.lstrip('"').startswith("Country Name") and "Indicator Code" in line:
                return number
    return None


def _parse(path: Path) -> pd.DataFrame:
    header = None if path.suffix.lower() in (".xls", ".xlsx") else _wide_header_line(path)
    if path.suffix.lower() in (".xls", ".xlsx") or header is not None:
        if header is None:
            raw = pd.read_excel(path, sheet_name="Data", header=None, engine="calamine")
            first = raw.index[raw.iloc[:, 0].astype(str).str.startswith("Country Name")]
            if first.empty:
                raise InvalidDataError(
                    f"{path.name}: no 'Country Name' header in sheet Data", field=path.name,
                    fix="give the World Bank's Excel download (sheet Data)")
            wide = raw.iloc[first[0] + 1:].set_axis(
                [str(c).removesuffix(".0") for c in raw.iloc[first[0]]], axis=1)
        else:
            wide = pd.read_csv(path, skiprows=header, dtype={"Country Code": str})
        years = [c for c in wide.columns if str(c).strip().isdigit()]
        long = wide.melt(
            id_vars=["Country Name", "Country Code", "Indicator Code"],
            value_vars=years,
            var_name="Year",
            value_name="Value",
        )
        return long.dropna(subset=["Value"])
    frame = pd.read_csv(path, dtype={"Country Code": str})
    if not isinstance(frame.index, pd.RangeIndex):
        # pandas reads rows longer than the header by turning the surplus into an index
        raise InvalidDataError(
            f"{path.name}: the rows have more fields than the header "
            f"({len(frame.columns)} columns)", field=f"{path.name}, line 2",
            fix="quote fields that contain commas; give every row the header's fields")
    need = ["Country Code", "Year", "Value"]
    missing = [c for c in need if c not in frame.columns]
    if missing:
        raise InvalidDataError(
            f"{path.name} is not a WDI CSV: missing {missing} (has {list(frame.columns)[:8]})",
            field=missing[0],
            fix="give a long file (Country Name, Country Code, Year, Value) or the World "
            "Bank's wide API_*.csv download",
        )
    return frame


def read_wdi_csv(
    path: Path, *, indicator_code: str | None = None, years: tuple[int, int] | None = None
) -> WdiRead:
    """Read a WDI CSV into validated facts.

    Parameters
    ----------
    path
        Long or wide WDI CSV (see the module docstring).
    indicator_code
        WDI code of the file's indicator when the file does not say (long files);
        default ``NY.GDP.MKTP.CD`` (GDP, current US$). Known codes: :data:`WDI_INDICATORS`.
    years
        Inclusive range of years to keep (default all).

    Returns
    -------
    WdiRead
        Facts (US$ or percent, full years, quality ``reported``) and the codes left out.

    Raises
    ------
    UnknownCodeError
        For a WDI indicator geolever has no indicator for.
    InvalidDataError
        For a malformed file or value (naming the line).
    """
    path = require_file(Path(path), "WDI")
    frame = _frame(path)
    code = indicator_code
    if code is None and "Indicator Code" in frame.columns and not frame.empty:
        code = str(frame["Indicator Code"].iloc[0])
    code = code or "NY.GDP.MKTP.CD"
    if code not in WDI_INDICATORS:
        raise UnknownCodeError(
            f"no geolever indicator for WDI {code!r}",
            field="indicator_code",
            fix=f"use one of {', '.join(WDI_INDICATORS)}",
        )
    indicator, measure, partner, product, unit = WDI_INDICATORS[code]
    known = country_names()
    # fillna first: pandas' string dtype keeps a missing code as NA through astype(str)
    countries = frame["Country Code"].fillna("").astype(str).str.strip().str.upper()
    keep = countries.isin([c for c in known if len(c) == 3 and c not in ("ROW",)])
    skipped = sorted(set(countries[~keep]))
    frame = frame[keep]
    facts = []
    seen: dict[tuple[str, int], tuple[float, int]] = {}
    for line, (country, year, value) in zip(
        frame.index,
        zip(countries[keep], frame["Year"], frame["Value"], strict=True),
        strict=True,
    ):
        try:
            y, v = int(float(year)), float(value)
            if y != float(year) or not math.isfinite(v):  # 2021.5 is no year, inf no value
                raise ValueError
        except (TypeError, ValueError):
            raise InvalidDataError(
                f"cannot read Year {year!r} / Value {value!r} (a whole year and a finite "
                "number are needed)",
                field=f"{path.name} line {line + 2}",
                fix="years must be integers and values plain finite numbers",
            ) from None
        if (country, y) in seen and seen[country, y][0] != v:
            raise InvalidDataError(
                f"two different values for {country} {y}: {seen[country, y][0]:g} (line "
                f"{seen[country, y][1]}) and {v:g}",
                field=f"{path.name} line {line + 2}",
                fix="keep one row per country and year (the file mixes two series?)",
            )
        seen[country, y] = (v, line + 2)
        if years and not years[0] <= y <= years[1]:
            continue
        facts.append(
            Fact(
                indicator=indicator,
                country=country,
                partner=partner,
                product=product,
                measure=measure,
                year=y,
                value=v,
                unit=unit,
                quality="reported",
                source=f"{WDI_SOURCE} {code}",
                citation=WDI_CITATION + code,
                note=f"read from {path.name}",
            )
        )
    return WdiRead(facts=facts, skipped=skipped, indicator=code)
