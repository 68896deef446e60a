"""World Bank World Development Indicators (WDI) as facts.

Two published CSV layouts are read:

* **long** (``Country Name,Country Code,Year,Value``), as packaged by datasets.io
  (``github.com/datasets/gdp``: indicator NY.GDP.MKTP.CD, GDP in current US$);
* **wide** World Bank download (``API_<indicator>_DS2_en_csv_v2_*.csv``): four metadata
  lines, then ``Country Name,Country Code,Indicator Name,Indicator Code,1960,...``.

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

#: WDI indicator code -> (geolever indicator, measure, partner)
WDI_INDICATORS: dict[str, tuple[str, str, str]] = {
    "NY.GDP.MKTP.CD": ("gdp", "", ""),
    "NE.CON.PRVT.CD": ("household_consumption", "", ""),
    "BX.TRF.PWKR.CD.DT": ("remittances_received", "wdi_personal_remittances", "WLD"),
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


def _parse(path: Path) -> pd.DataFrame:
    with path.open(encoding="utf-8-sig") as fh:
        first = fh.readline()
    if first.startswith('"Data Source"') or first.startswith("Data Source"):
        wide = pd.read_csv(path, skiprows=4, dtype={"Country Code": str})
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
        Facts (US$ values, full years, quality ``reported``) and the codes left out.

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
    indicator, measure, partner = WDI_INDICATORS[code]
    known = country_names()
    countries = frame["Country Code"].astype(str).str.strip().str.upper()
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
                measure=measure,
                year=y,
                value=v,
                unit="USD",
                quality="reported",
                source=f"{WDI_SOURCE} {code}",
                citation=WDI_CITATION + code,
                note=f"read from {path.name}",
            )
        )
    return WdiRead(facts=facts, skipped=skipped, indicator=code)
