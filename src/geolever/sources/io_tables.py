"""A labelled multi-regional input-output table, as the readers in ``sources`` return it.

The arrays follow the layout that :mod:`geolever.models.io` expects: ``n = R * S``
region-sectors ordered region-major, ``Z`` (n x n), ``Y`` (n x R*c) region-major with the
same ``c`` final-demand categories per region, ``x`` (n). Regions carry ISO3 codes (or the
table's aggregates, such as ``ROW``, EXIOBASE's ``WA``..``WM`` or GLORIA's ``XAF``..``XEU``,
listed in ``region_members``); sectors carry the table's own codes plus the lever product group each
belongs to (food, energy, metals, chemicals, machinery, other, services).
"""

from __future__ import annotations

import csv
import os
from collections.abc import Sequence
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path

import numpy as np
import numpy.typing as npt

from geolever.core.countries import normalise_country
from geolever.core.errors import DataNotFoundError, InvalidDataError, UnknownCodeError

FloatArray = npt.NDArray[np.float64]
BoolArray = npt.NDArray[np.bool_]

#: The lever product groups that sectors map to, in display order.
PRODUCT_GROUPS: tuple[str, ...] = (
    "food",
    "energy",
    "metals",
    "chemicals",
    "machinery",
    "other",
    "services",
)


def read_sector_groups(filename: str) -> dict[str, str]:
    """Read a sector -> product-group mapping shipped in ``geolever/reference``.

    Parameters
    ----------
    filename
        CSV with columns ``code, group`` (e.g. ``io_sector_groups_wiod2013.csv``).

    Returns
    -------
    dict
        ``{sector code: group}``.
    """
    text = resources.files("geolever.reference").joinpath(filename).read_text("utf-8")
    mapping = {row["code"]: row["group"] for row in csv.DictReader(text.splitlines())}
    bad = sorted(set(mapping.values()) - set(PRODUCT_GROUPS))
    if bad:
        raise InvalidDataError(
            f"unknown product group(s) {bad}",
            field=f"reference/{filename}",
            fix=f"use one of {', '.join(PRODUCT_GROUPS)}",
        )
    return mapping


def _region_code_rows(table: str) -> list[dict[str, str]]:
    text = resources.files("geolever.reference").joinpath("io_region_codes.csv").read_text("utf-8")
    return [r for r in csv.DictReader(text.splitlines()) if r["table"] == table]


def read_region_codes(table: str) -> dict[str, str]:
    """Return a table's own region codes that differ from ISO3 (``{code: ISO3}``)."""
    return {r["code"]: r["iso3"] for r in _region_code_rows(table)}


def map_region_codes(
    table: str, codes: Sequence[str], *, where: str
) -> tuple[tuple[str, ...], dict[str, str]]:
    """Map a table's region codes to ISO3, keeping its aggregates as they are.

    Parameters
    ----------
    table
        Table key in ``reference/io_region_codes.csv`` (e.g. ``exiobase3``).
    codes
        The region codes as the file writes them (ISO3, ISO2 or the table's own).
    where
        The file the codes come from (for the error message).

    Returns
    -------
    regions, region_members
        ISO3 codes (aggregates and former states keep the table's code, e.g. ``WA``,
        ``XEU``, ``ROW``) and ``{aggregate code: what it holds}``.

    Raises
    ------
    InvalidDataError
        For a code that is neither a country nor listed for the table.
    """
    listed = {r["code"]: r for r in _region_code_rows(table)}
    regions: list[str] = []
    members: dict[str, str] = {}
    for code in codes:
        row = listed.get(code)
        if row is not None:
            regions.append(row["iso3"])
            if row["kind"] != "country":
                members[row["iso3"]] = row["note"]
            continue
        try:
            regions.append(normalise_country(code, field="region"))
        except UnknownCodeError as err:
            raise InvalidDataError(
                f"{where}: region code {code!r} is neither a country code nor one of "
                f"{table}'s listed aggregates",
                field=where,
                fix="add the code (with kind aggregate, country or former) to "
                "geolever/reference/io_region_codes.csv",
            ) from err
    if len(set(regions)) != len(regions):
        raise InvalidDataError(
            f"{where}: two region codes map to the same country ({regions})",
            field=where,
            fix="check the region codes of the table",
        )
    return tuple(regions), members


@dataclass(frozen=True)
class IOTable:
    """A multi-regional input-output table with labels and provenance.

    Attributes
    ----------
    name
        Table identifier (e.g. ``wiod2013``).
    year
        Reference year.
    Z
        Intermediate flows (n x n), ``unit``.
    Y
        Final demand (n x R*c), ``unit``, columns region-major.
    x
        Gross output (n,), ``unit``: ``Z 1 + Y 1`` so the table balances.
    regions
        ISO3 codes (or ``ROW``) of the R regions, in table order.
    sectors
        The table's sector codes (S), in table order.
    sector_groups
        Product group of each sector (S), one of :data:`PRODUCT_GROUPS`.
    fd_categories
        Final-demand categories per region (c).
    unit
        Currency unit of the flows (e.g. ``USD million``).
    source
        Where the numbers come from (file and publisher).
    region_members
        For aggregate regions (``ROW``, ``WA``, ``XEU``, ...), a note on what they contain;
        they are never substituted for a country.
    """

    name: str
    year: int
    Z: FloatArray
    Y: FloatArray
    x: FloatArray
    regions: tuple[str, ...]
    sectors: tuple[str, ...]
    sector_groups: tuple[str, ...]
    fd_categories: tuple[str, ...]
    unit: str
    source: str
    region_members: dict[str, str] = field(default_factory=dict)

    def __post_init__(self) -> None:
        n = len(self.regions) * len(self.sectors)
        n_fd = len(self.regions) * len(self.fd_categories)
        if self.Z.shape != (n, n) or self.Y.shape != (n, n_fd):
            raise InvalidDataError(
                f"{self.name}: Z {self.Z.shape} and Y {self.Y.shape} do not match "
                f"{len(self.regions)} regions x {len(self.sectors)} sectors",
                field="Z",
                fix="order rows and columns region-major, sectors within regions",
            )
        if len(self.sector_groups) != len(self.sectors):
            raise InvalidDataError(
                "one product group per sector is required", field="sector_groups", fix=None
            )

    @property
    def label(self) -> str:
        """Human-readable name of the table and year (e.g. ``wiod2013 2008``)."""
        return f"{self.name} {self.year}"

    def region_index(self, code: str, *, field: str = "country") -> int:
        """Return the position of a country in the table.

        Parameters
        ----------
        code
            ISO3 code (or alias accepted by :func:`geolever.core.countries.normalise_country`).
        field
            Name of the input that carried ``code`` (for the error message).

        Returns
        -------
        int
            0-based region index.

        Raises
        ------
        DataNotFoundError
            If the table has no separate region for the country: the message says which
            aggregate holds it; no other region is ever substituted.
        UnknownCodeError
            If ``code`` is not a country code at all.
        """
        key = code.strip().upper()
        # A table's own aggregate (ROW, EXIOBASE's WA..WM, GLORIA's XAF..XEU) is chosen
        # only by its exact code, before the code is read as a country.
        if key in self.region_members and key in self.regions:
            return self.regions.index(key)
        iso = normalise_country(code, field=field)
        if iso in self.regions:
            return self.regions.index(iso)
        holders = [r for r in self.regions if r in self.region_members or r == "ROW"]
        if len(holders) == 1:
            where = f"; it is inside the table's rest-of-world region {holders[0]}"
        elif holders:
            where = (
                "; it is inside one of the table's aggregate regions ("
                + "; ".join(
                    f"{h}: {self.region_members.get(h, 'rest of the world')}" for h in holders
                )
                + ")"
            )
        else:
            where = "; the table does not cover it"
        raise DataNotFoundError(
            f"{self.label} has no separate region for {iso}{where}. geolever does not "
            "substitute another region for it",
            field=field,
            fix=f"use a table that lists {iso} separately (e.g. GLORIA), or choose one of: "
            + " ".join(self.regions),
        )

    def group_mask(self, groups: str | Sequence[str]) -> BoolArray:
        """Boolean mask (S,) of the sectors in one or more product groups (or sector codes).

        Parameters
        ----------
        groups
            A product group (``food``), a sector code (``c3``), ``all``, or several of
            them (comma-separated string or list).

        Returns
        -------
        numpy.ndarray
            True for the sectors selected.
        """
        items = [g.strip() for g in groups.split(",")] if isinstance(groups, str) else list(groups)
        mask = np.zeros(len(self.sectors), dtype=bool)
        for item in items:
            if item == "all":
                mask[:] = True
            elif item in PRODUCT_GROUPS:
                mask |= np.asarray(self.sector_groups) == item
            elif item in self.sectors:
                mask[self.sectors.index(item)] = True
            else:
                raise UnknownCodeError(
                    f"unknown sector or product group {item!r} for {self.name}",
                    field="sectors",
                    fix=f"use 'all', one of {', '.join(PRODUCT_GROUPS)} or a sector code "
                    f"({self.sectors[0]}..{self.sectors[-1]})",
                )
        return mask

    def group_masks(self) -> dict[str, BoolArray]:
        """Return ``{product group: mask}`` for every group present, plus ``all``."""
        masks = {g: self.group_mask(g) for g in PRODUCT_GROUPS if g in self.sector_groups}
        masks["all"] = np.ones(len(self.sectors), dtype=bool)
        return masks


def shared_data_dir(data_dir: Path | None = None) -> Path:
    """Folder of the public datasets: ``data_dir``, ``$GEOLEVER_SHARED_DATA`` or ../shared/data."""
    if data_dir is not None:
        return data_dir
    env = os.environ.get("GEOLEVER_SHARED_DATA")
    return Path(env) if env else Path.cwd().parent / "shared" / "data"


def check_table_year(label: str, year: int, years: range) -> None:
    """Raise unless the release ``label`` (e.g. ``WIOD 2013``) publishes a table for ``year``.

    Raises
    ------
    DataNotFoundError
        Naming the release's years (field ``year``).
    """
    if year not in years:
        raise DataNotFoundError(
            f"{label} has no table for {year}",
            field="year",
            fix=f"choose a year from {years[0]} to {years[-1]}",
        )


def find_table_file(folder: Path | str, subfolders: Sequence[str], names: Sequence[str], *,
                    what: str, fix: str) -> Path:
    """Return the first ``folder/<subfolder>/<name>`` that exists (a file or an unpacked folder).

    Parameters
    ----------
    folder
        Where the user points (``''`` in ``subfolders`` is the folder itself).
    subfolders, names
        Tried in order: every name in the first subfolder, then in the next.
    what, fix
        The error's words when none exists: ``no <what> under <folder>`` and its fix.

    Raises
    ------
    DataNotFoundError
        If none of them exists (field ``table``).
    """
    base = Path(folder)
    for sub in subfolders:
        for name in names:
            candidate = base / sub / name
            if candidate.exists():
                return candidate
    raise DataNotFoundError(f"no {what} under {base}", field="table", fix=fix)
