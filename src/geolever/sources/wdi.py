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

from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from geolever.core.countries import country_names
from geolever.core.errors import InvalidDataError, UnknownCodeError
from geolever.core.facts import Fact
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
    for line, (country, year, value) in zip(
        frame.index,
        zip(countries[keep], frame["Year"], frame["Value"], strict=True),
        strict=True,
    ):
        try:
            y, v = int(year), float(value)
        except (TypeError, ValueError):
            raise InvalidDataError(
                f"cannot read year {year!r} / value {value!r}",
                field=f"{path.name} row {line + 2}",
                fix="years must be integers and values plain numbers",
            ) from None
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
