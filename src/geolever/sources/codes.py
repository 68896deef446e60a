"""Country and product codes of trade sources, normalised to geolever's vocabulary.

Countries: every source code (ISO3, ISO numeric, UN Comtrade/BACI numeric, old codes,
English or World Bank names) becomes an ISO 3166-1 alpha-3 code known to
:mod:`geolever.core.countries`. The conversion is done by ``country_converter`` (a
maintained table of classifications and name patterns); the statistical codes that are
not countries in ISO 3166 (BACI/Comtrade's 'Other Asia, nes' = Taiwan, France incl.
Monaco as 251, the old Belgium-Luxembourg, ...) come from
``reference/country_code_aliases.csv``.

Products: an HS code's chapter (first two digits) gives its lever group from
``reference/hs_chapter_groups.csv``, which agrees with the group rows of
``reference/products.csv``.
"""

from __future__ import annotations

import csv
import logging
from collections.abc import Iterable
from functools import cache
from importlib import resources
from typing import Any

import pandas as pd

from geolever.core.countries import country_names

#: Groups a traded product can belong to (the lever groups of ``products.csv``).
PRODUCT_GROUPS = ("food", "energy", "metals", "chemicals", "machinery", "other")

_MISSING = "<not found>"


def _reference_rows(name: str) -> list[dict[str, str]]:
    text = resources.files("geolever.reference").joinpath(name).read_text("utf-8")
    return list(csv.DictReader(text.splitlines()))


@cache
def code_aliases() -> dict[str, str]:
    """Return ``{source code or name (upper case): ISO3}`` for the non-ISO statistical codes."""
    rows = _reference_rows("country_code_aliases.csv")
    return {r["code"].strip().upper(): r["iso3"] for r in rows}


@cache
def hs_chapter_groups() -> dict[str, str]:
    """Return ``{two-digit HS chapter: lever group}`` (chapters 01-99)."""
    return {r["chapter"]: r["group"] for r in _reference_rows("hs_chapter_groups.csv")}


def hs_group(code: str) -> str | None:
    """Return the lever group of an HS code (any length >= 2), or None if not an HS code."""
    key = code.strip()
    if len(key) % 2 == 1 and key.isdigit():
        key = "0" + key  # chapters 01-09 lose their zero in numeric columns
    return hs_chapter_groups().get(key[:2]) if key[:2].isdigit() else None


@cache
def _converter() -> Any:
    import country_converter.country_converter as ccm

    # read the table ourselves: pandas >= 3 turns Namibia's ISO2 'NA' into a missing value
    data = pd.read_csv(
        ccm.COUNTRY_DATA_FILE,
        sep="\t",
        encoding="utf-8",
        dtype=str,
        keep_default_na=False,
        na_values=[""],
    )
    for col in (
        "ISOnumeric",
        "UNcode",
        "FAOcode",
        "GBDcode",
        "EURO",
        "UN",
        "UNmember",
        "obsolete",
        "GEOnumeric",
    ):
        if col in data:
            data[col] = pd.to_numeric(data[col], errors="coerce").astype("Int64")
    return ccm.CountryConverter(country_data=data)


def _convert(values: list[str], src: str | None) -> list[str | None]:
    if not values:
        return []
    log = logging.getLogger("country_converter")
    level = log.level
    log.setLevel(logging.CRITICAL)  # 'not found' is an expected answer here, not a warning
    try:
        kwargs: dict[str, Any] = {"to": "ISO3", "not_found": _MISSING}
        if src:
            kwargs["src"] = src
        out = _converter().convert(values, **kwargs)
    finally:
        log.setLevel(level)
    out = out if isinstance(out, list) else [out]
    return [o if isinstance(o, str) and o != _MISSING else None for o in out]


def to_iso3(codes: Iterable[object], *, names: Iterable[object] | None = None) -> pd.DataFrame:
    """Map source country codes (and optional names) to ISO3; unknown ones map to None.

    Parameters
    ----------
    codes
        Codes as published: ISO3, ISO2, ISO/UN numeric (as int or text, with or
        without leading zeros), or names.
    names
        The source's name for each code (same order), tried when the code is not found.

    Returns
    -------
    pandas.DataFrame
        Columns ``code`` (the code as text, stripped), ``iso3`` (a code known to
        :func:`geolever.core.countries.country_names`, or None when it cannot be mapped).
    """
    raw = ["" if c is None or (isinstance(c, float) and c != c) else str(c).strip() for c in codes]
    raw = [c[:-2] if c.endswith(".0") and c[:-2].isdigit() else c for c in raw]
    labels = (
        [str(n).strip() if isinstance(n, str) else "" for n in names]
        if names is not None
        else [""] * len(raw)
    )
    known = country_names()
    aliases = code_aliases()
    result: dict[str, str | None] = {}
    numeric = sorted({c for c in raw if c.isdigit()})
    by_number = dict(
        zip(numeric, _convert([str(int(c)) for c in numeric], "ISOnumeric"), strict=True)
    )
    pending: list[tuple[str, str]] = []
    for code, label in zip(raw, labels, strict=True):
        if code in result:
            continue
        key = code.upper()
        hit: str | None = None
        if key.lstrip("0") in aliases and key.isdigit():
            hit = aliases[key.lstrip("0")]
        elif key in aliases:
            hit = aliases[key]
        elif len(key) == 3 and key in known and not key.isdigit():
            hit = key
        elif key.isdigit():
            hit = by_number.get(code)
        if hit is None and label.upper() in aliases:
            hit = aliases[label.upper()]
        if hit is None:
            pending.append((code, label or code))
        result[code] = hit
    if pending:
        found = _convert([p[1] for p in pending], None)
        for (code, _), hit3 in zip(pending, found, strict=True):
            result[code] = hit3
    mapped = [result[c] if result[c] in known else None for c in raw]
    frame = pd.DataFrame(
        {"code": pd.Series(raw, dtype=object), "iso3": pd.Series(mapped, dtype=object)}
    )
    return frame.drop_duplicates("code", ignore_index=True)
