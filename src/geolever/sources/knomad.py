"""World Bank / KNOMAD bilateral remittance matrix (xlsx) as facts.

Published format (World Bank and KNOMAD, 'Bilateral Remittance Matrix', e.g.
``bilateralremittancematrix2021_Nov2022.xlsx``): one sheet whose first cell is the title
(``Bilateral Remittance Estimates for 2021 using Migrant Stocks, Host Country Incomes,
and Origin Country Incomes (millions of US$)``), then a header row whose first cell reads
``Remittance-receiving country (across) - Remittance-sending country (down)`` followed
by the receiving countries' names; each further row is a sending country's name and its
estimates in **millions of US$**; a ``WORLD`` row and column hold the totals. Notes
follow the matrix after a blank row. The 2021 workbook (sheet ``FINAL BRM 2021``, December
2022 version) and the 2017 one (``Bilateral_Remittances_2017``, header ``receiving
(across) / sending (down)``) share this layout; blank (``' '``) and ``'-'`` cells mean no
estimate.

Each positive cell becomes a fact ``remittances_received`` (country = receiver,
partner = sender; the WORLD row gives partner ``WLD``), measure
``knomad_bilateral_estimate``, quality ``estimate`` (the matrix is a model allocation of
each receiver's total, not a reported flow). Empty and zero cells are left out.
Country names are mapped to ISO3 by ``country_converter``; names it cannot map (e.g.
'Other South', Kosovo, Channel Islands) are left out and listed.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from geolever.core.errors import InvalidDataError
from geolever.core.facts import Fact
from geolever.core.inputs import reading
from geolever.sources.codes import to_iso3
from geolever.sources.flows import require_file

KNOMAD_SOURCE = "World Bank/KNOMAD bilateral remittance matrix"
KNOMAD_CITATION = (
    "World Bank and KNOMAD, Bilateral Remittance Matrix, https://www.knomad.org/data/remittances"
)
MEASURE = "knomad_bilateral_estimate"


@dataclass(frozen=True)
class KnomadRead:
    """Facts read from a bilateral remittance matrix, its year and the names left out."""

    facts: list[Fact]
    year: int
    skipped: list[str]


def _header_row(raw: pd.DataFrame) -> int:
    for r in range(min(len(raw), 30)):
        first = str(raw.iat[r, 0]).lower()
        if "receiving" in first or "sending" in first:
            return r
    raise InvalidDataError(
        "no header row naming the receiving/sending countries in the first 30 rows",
        field="header",
        fix="give the published matrix: a row starting 'Remittance-receiving country "
        "(across) - Remittance-sending country (down)' followed by country names",
    )


def read_knomad_xlsx(path: Path, *, year: int | None = None, sheet: str | int = 0) -> KnomadRead:
    """Read the bilateral remittance matrix into validated facts.

    Parameters
    ----------
    path
        The published ``.xlsx`` file.
    year
        Year of the estimates; default from the title (``Estimates for 2021``) or the
        file name.
    sheet
        Sheet name or index (default the first).

    Returns
    -------
    KnomadRead
        Facts in US$ (the file's millions x 1e6), the year and the names left out.

    Raises
    ------
    InvalidDataError
        Without a header row, a year, or with a negative or non-numeric cell (naming
        the cell).
    """
    path = require_file(Path(path), "KNOMAD remittance matrix")
    with reading(path, "KNOMAD workbook (.xlsx)",
                 fix="give the World Bank/KNOMAD bilateral remittance matrix (.xlsx)"):
        raw = pd.read_excel(path, sheet_name=sheet, header=None, dtype=object,
                            engine="calamine")
    try:
        head = _header_row(raw)
    except InvalidDataError as err:
        raise InvalidDataError(err.message, field=f"{path.name}, {err.field}",
                               fix=err.fix) from None
    title = " ".join(str(x) for x in raw.iloc[:head, 0].dropna())
    if year is None:
        found = re.search(r"\b(19|20)\d\d\b", title) or re.search(r"(19|20)\d\d", path.name)
        if not found:
            raise InvalidDataError(
                "no year in the title or file name", field="year", fix="pass year="
            )
        year = int(found.group(0))
    scale = 1e6 if "million" in title.lower() or not title else 1.0
    corner = str(raw.iat[head, 0]).lower()
    receivers_across = corner.find("receiving") < corner.find("sending") or (
        "sending" not in corner
    )
    cols = [str(c).strip() for c in raw.iloc[head, 1:]]
    # the matrix ends at the first row without a name: notes follow (sentences, not names)
    names_down = raw.iloc[head + 1 :, 0]
    blank = names_down.isna() | (names_down.astype(str).str.strip() == "")
    end = int(blank.to_numpy().argmax()) if blank.any() else len(names_down)
    rows = [str(r).strip() for r in names_down.iloc[:end]]
    body = raw.iloc[head + 1 : head + 1 + end, 1:]
    names = sorted({*cols, *rows} - {"nan", "", "None"})
    mapping = to_iso3(names, names=names).set_index("code")["iso3"]
    world = {n for n in names if n.upper() == "WORLD"}
    hits = {n: ("WLD" if n in world else mapping.get(n)) for n in names}
    iso: dict[str, str] = {n: c for n, c in hits.items() if isinstance(c, str)}
    skipped = sorted(n for n in names if n not in iso)
    facts = []
    seen: dict[tuple[str, str], tuple[float, str]] = {}
    for r, row_name in enumerate(rows):
        for c, col_name in enumerate(cols):
            value = body.iat[r, c]
            if value is None or (isinstance(value, float) and value != value) or (
                    isinstance(value, str) and value.strip() in ("", "-")):
                continue  # blank or '-': not estimated (e.g. corridors set to zero)
            try:
                v = float(str(value))
            except (TypeError, ValueError):
                raise InvalidDataError(
                    f"cell {value!r} is not a number",
                    field=f"{path.name} row {head + r + 2}, column {col_name!r}",
                    fix="cells must be numbers (millions of US$) or empty",
                ) from None
            if not math.isfinite(v):
                raise InvalidDataError(
                    f"cell {value!r} is not a finite number",
                    field=f"{path.name} row {head + r + 2}, column {col_name!r}",
                    fix="cells must be finite numbers (millions of US$) or empty",
                )
            if v < 0:
                raise InvalidDataError(
                    f"negative remittance {v}",
                    field=f"{path.name} row {head + r + 2}, column {col_name!r}",
                    fix="remittance estimates cannot be negative",
                )
            sender, receiver = (row_name, col_name) if receivers_across else (col_name, row_name)
            if v == 0 or sender not in iso or receiver not in iso or iso[receiver] == "WLD":
                continue
            if iso[sender] == iso[receiver]:
                continue
            pair = (iso[sender], iso[receiver])
            if pair in seen and seen[pair][0] != v:
                raise InvalidDataError(
                    f"two different values for {pair[0]} -> {pair[1]}: {seen[pair][0]:g} "
                    f"({seen[pair][1]}) and {v:g}",
                    field=f"{path.name} row {head + r + 2}, column {col_name!r}",
                    fix="each sending/receiving pair may appear once (a duplicated row or "
                    "two names for one country?)",
                )
            seen[pair] = (v, f"row {head + r + 2}")
            facts.append(
                Fact(
                    indicator="remittances_received",
                    country=iso[receiver],
                    partner=iso[sender],
                    measure=MEASURE,
                    year=year,
                    value=v * scale,
                    unit="USD",
                    quality="estimate",
                    source=KNOMAD_SOURCE,
                    citation=KNOMAD_CITATION,
                    note=f"{path.name}: {sender} -> {receiver}",
                )
            )
    return KnomadRead(facts=facts, year=year, skipped=skipped)
