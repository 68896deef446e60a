"""An aggregated world trade matrix for a case, with the provenance of every cell.

The general-equilibrium gravity model needs a complete matrix of flows between a few
named regions and the rest of the world (ROW), domestic sales included. Cells come, in
this order of preference, from:

1. ``reported``/``mirror``/``derived`` facts of the store (exporter's ``exports`` or
   importer's ``imports``; partial years annualised and flagged);
2. ``filled``: the cells left (named pairs without any fact, and the flows to and from
   ROW) are filled biproportionally (RAS): a frictionless-gravity seed ``X_i * M_j / W``
   (total exports times total imports over world trade) is scaled until every named
   region's row adds up to its total exports and its column to its total imports.
   ROW's totals are world exports minus the named regions' (less the trade within a
   group, e.g. the EU27 or G7, when a group is one region).

Domestic sales (the diagonal) are left to the model that needs them, with GDP given here:
the GE gravity model takes output = GDP (:func:`domestic_from_gdp`).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from geolever.core.countries import is_group
from geolever.core.errors import DataNotFoundError, InvalidDataError
from geolever.core.quantity import Quantity
from geolever.world.case import Case


def domestic_from_gdp(
    exports: npt.NDArray[np.float64], gdp: npt.NDArray[np.float64], floor: float = 0.05
) -> tuple[npt.NDArray[np.float64], npt.NDArray[np.bool_]]:
    """Return domestic sales from GDP: ``max(GDP - exports, floor * max(GDP, exports))``.

    Parameters
    ----------
    exports
        Goods exports to the other units, US$, shape (N,).
    gdp
        GDP, US$, shape (N,).
    floor
        Smallest domestic share (dimensionless, 0-1).

    Returns
    -------
    domestic, floored
        Domestic sales (US$) and which units hit the floor.
    """
    raw = gdp - exports
    low = floor * np.maximum(gdp, exports)
    return np.maximum(raw, low), raw < low


ROW = "ROW"


@dataclass(frozen=True)
class TradeMatrix:
    """Flows between regions in US$ per year (exporter rows, importer columns).

    Attributes
    ----------
    regions
        Region codes, ROW last.
    year
        Year of the flows.
    flows
        (N, N) US$ per year between regions; the diagonal (domestic sales) is zero.
    provenance
        (N, N) how each cell was obtained (``reported: <source>``, ``filled: ...``, ...).
    gdp
        (N,) GDP in US$ of the year.
    sources
        The facts used.
    """

    regions: tuple[str, ...]
    year: int
    flows: npt.NDArray[np.float64]
    provenance: npt.NDArray[np.str_]
    gdp: npt.NDArray[np.float64]
    sources: tuple[Quantity, ...]

    def index(self, region: str) -> int:
        """Return the position of ``region`` (raises if the matrix does not list it separately)."""
        if region not in self.regions:
            raise DataNotFoundError(
                f"the {self.year} trade matrix has no separate region {region}",
                field="regions",
                fix=f"add {region} to ge_regions, or use one of {', '.join(self.regions)}",
            )
        return self.regions.index(region)

    def table(self) -> list[dict[str, object]]:
        """Return the cells as records (exporter, importer, value_usd, provenance) for reports."""
        return [
            {"exporter": a, "importer": b, "value_usd": float(self.flows[i, j]),
             "provenance": str(self.provenance[i, j])}
            for i, a in enumerate(self.regions) for j, b in enumerate(self.regions)
        ]


def trade_matrix(case: Case, regions: Sequence[str], year: int) -> TradeMatrix:
    """Build the trade matrix of ``regions`` (plus ROW) for ``year`` from the case's store.

    Parameters
    ----------
    case
        Case whose store holds the facts (exports/imports with partner WLD for totals,
        bilateral cells, GDP, world exports as ``exports`` WLD -> WLD).
    regions
        Named regions (ISO3 or EU27); ROW is added (or kept last) automatically.
    year
        Year of the flows.
    """
    named = [r for r in dict.fromkeys(regions) if r != ROW]
    if len(named) < 2:
        raise InvalidDataError("a trade matrix needs at least two named regions",
                               field="ge_regions", fix="list the sender, the target and partners")
    n = len(named) + 1
    flows = np.full((n, n), np.nan)
    prov = np.full((n, n), "", dtype=object)
    used: list[Quantity] = []

    def total(indicator: str, country: str) -> float:
        q = case.quantity(indicator, country, partner="WLD", product="TOTAL", year=year,
                          unit="USD", allow_partial=True, record=False,
                          label=f"goods {indicator} of {country}, all partners")
        used.append(q)
        return q.value

    exports = np.array([total("exports", r) for r in named])
    imports = np.array([total("imports", r) for r in named])
    gdp_named = np.array([case.gdp_usd(r, year).value for r in named])
    world_gdp = case.quantity("gdp", "WLD", year=year, unit="USD", record=False)
    world = case.quantity("exports", "WLD", partner="WLD", product="TOTAL", year=year,
                          unit="USD", record=False, label="world merchandise exports")
    used += [world_gdp, world]
    world_ext = world.value
    for group in (r for r in named if is_group(r)):
        # a group's totals include trade among its members, which is inside the region
        intra = case.quantity("exports", group, partner=group, product="TOTAL", year=year,
                              unit="USD", record=False, label=f"exports within {group}")
        used.append(intra)
        world_ext -= intra.value
    row_imports = world_ext - imports.sum()

    for i, a in enumerate(named):
        for j, b in enumerate(named):
            if i == j:
                continue
            try:
                q = case.bilateral(a, b, "TOTAL", year=year, record=False)
            except DataNotFoundError:
                continue
            flows[i, j] = q.value
            prov[i, j] = f"{q.quality}{' (annualised)' if q.annualised else ''}: {q.source}"
            used.append(q)
    k = len(named)
    known = ~np.isnan(flows)
    unknown = ~known
    np.fill_diagonal(unknown, False)
    unknown[k, k] = False  # trade inside ROW is ROW's domestic sales
    row_exports = world_ext - exports.sum()
    # Frictionless gravity X_i M_j / W, in US$: the free ROW row and column keep their
    # natural size while the named margins are matched.
    seed = np.outer(np.append(exports, row_exports), np.append(imports, row_imports)) / world_ext
    filled = np.where(unknown, seed, 0.0)
    row_target = np.clip(exports - np.where(known[:k], flows[:k], 0.0).sum(axis=1), 0.0, None)
    col_target = np.clip(imports - np.where(known[:, :k], flows[:, :k], 0.0).sum(axis=0),
                         0.0, None)
    filled = _ras(filled, row_target, col_target)
    flows = np.where(unknown, filled, flows)
    for i in range(n):
        for j in range(n):
            if unknown[i, j]:
                prov[i, j] = ("filled: biproportional (RAS) fill from a gravity seed, "
                              "matching each named region's total exports and imports")
    gdp = np.append(gdp_named, world_gdp.value - gdp_named.sum())
    for i in range(n):
        flows[i, i] = 0.0
        prov[i, i] = "domestic: set by the model from GDP"
    return TradeMatrix(tuple([*named, ROW]), year, flows, prov.astype(str), gdp, tuple(used))


def case_world_matrix(case: Case) -> TradeMatrix | None:
    """Return the case's GE world trade matrix (``ge_world``), or None if it has none.

    The regions of ``ge_world`` (a pack's ``pack.yaml``, or for a case from the datasets
    the pair and the target's largest partners in the DOTS totals) plus the sender and
    the target, in its year (:func:`trade_matrix`).
    """
    spec = case.meta.ge_world
    if spec is None:
        return None
    regions = list(dict.fromkeys([*spec.regions, case.sender, case.target]))
    return trade_matrix(case, regions, spec.year)


def _ras(seed: npt.NDArray[np.float64], rows: npt.NDArray[np.float64],
         cols: npt.NDArray[np.float64], *, tol: float = 1e-10,
         max_iter: int = 1000) -> npt.NDArray[np.float64]:
    """Scale ``seed`` so its first rows/columns sum to ``rows``/``cols`` (the last is free).

    Iterative proportional fitting; raises if the margins cannot be matched.
    """
    out = seed.copy()
    k = len(rows)
    for _ in range(max_iter):
        rs = out[:k].sum(axis=1)
        out[:k] *= np.divide(rows, rs, out=np.zeros_like(rs), where=rs > 0)[:, None]
        cs = out[:, :k].sum(axis=0)
        out[:, :k] *= np.divide(cols, cs, out=np.zeros_like(cs), where=cs > 0)[None, :]
        gap = np.abs(out[:k].sum(axis=1) - rows).max(initial=0.0)
        if gap <= tol * max(1.0, rows.max(initial=1.0)):
            return out
    raise InvalidDataError(
        "the trade totals and the known cells cannot be reconciled (RAS did not converge)",
        field="trade matrix",
        fix="check that no region's known cells exceed its total exports or imports",
    )
