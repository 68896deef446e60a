"""Read-only, remembering views of the store and the case for one text check.

A long text asks the same questions many times (the same indicator and pair for many
sentences and years). Two views make the cost of a check grow with the number of distinct
quantities, not with the text's length, and keep the DuckDB round trips per run bounded:

* :class:`MemoStore` reads the facts of one country with ONE query the first time the
  country is asked about (every indicator, partner, product, entity and year of it),
  indexes them by quantity in memory, and answers ``query``/``get``/``years`` from that
  index; each distinct answer is remembered. The store's own selection rule
  (:meth:`FactStore.get`) still picks the value: only where the rows come from changes.
* :class:`MemoCase` remembers the case's lookups (facts, then bulk datasets, then an
  earlier year), its years, networks, assets and exchange rates.

Both are made fresh for each check and never write. Errors are remembered too: a quantity
the store cannot answer is not asked again.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any, cast

import numpy as np
import pandas as pd

from geolever.core.errors import GeoleverError
from geolever.core.facts import KEY_COLUMNS
from geolever.core.quantity import Quantity
from geolever.store import FactStore
from geolever.world import Case
from geolever.world.case import Edge, Network
from geolever.world.datasets import StoreDatasets

#: The columns that name one quantity of a country (the index of a country's facts).
_QUANTITY = ("indicator", "partner", "product", "entity")


def _remember(memo: dict[tuple[Any, ...], Any], key: tuple[Any, ...],
              compute: Callable[[], Any]) -> Any:
    """``memo[key]``, computed once; a GeoleverError is remembered and raised again."""
    if key not in memo:
        try:
            memo[key] = compute()
        except GeoleverError as err:
            memo[key] = err
    value = memo[key]
    if isinstance(value, GeoleverError):
        raise value.with_traceback(None)
    return value


class MemoStore(FactStore):
    """The same store: a country's facts read once, answers remembered.

    Parameters
    ----------
    store
        The open store to read (its connection is shared, never written).
    """

    def __init__(self, store: FactStore) -> None:
        self.__dict__.update(store.__dict__)
        self._memo: dict[tuple[Any, ...], Any] = {}
        self._countries: dict[str, tuple[pd.DataFrame, dict[tuple[str, ...], np.ndarray]]] = {}
        self._records: dict[str, tuple[list[dict[str, Any]], dict[tuple[str, ...], list[int]]]] = {}

    def _rows(self, country: str) -> tuple[list[dict[str, Any]], dict[tuple[str, ...], list[int]]]:
        """All facts of ``country`` as plain rows (one DuckDB query), positions by quantity.

        The rows are in the store's key order, ties by fact id (the order of :meth:`_country`);
        no DataFrame is made: a text check asks about some 20 countries, and a frame cost
        about 20 ms each.
        """
        if country not in self._records:
            cursor = self.con.execute(
                f"SELECT * FROM facts WHERE country = ? ORDER BY {', '.join(KEY_COLUMNS)}, "
                "fact_id", [country])
            columns = [d[0] for d in cursor.description or []]
            records = [dict(zip(columns, r, strict=True)) for r in cursor.fetchall()]
            index: dict[tuple[str, ...], list[int]] = {}
            for i, r in enumerate(records):
                index.setdefault(tuple(str(r[k]) for k in _QUANTITY), []).append(i)
            self._records[country] = (records, index)
        return self._records[country]

    def _country(self, country: str) -> tuple[pd.DataFrame, dict[tuple[str, ...], np.ndarray]]:
        """All facts of ``country`` as a frame (one DuckDB query), row numbers by quantity."""
        if country not in self._countries:
            frame = FactStore.query(self, country=country).sort_values(
                [*KEY_COLUMNS, "fact_id"], kind="stable", ignore_index=True)  # ties: by id
            # plain Python strings: the store's small per-quantity selections run faster
            frame = frame.astype({c: object for c in frame.columns
                                  if isinstance(frame[c].dtype, pd.StringDtype)})
            index: dict[tuple[str, ...], np.ndarray] = {}
            if not frame.empty:
                groups: dict[Any, Any] = frame.groupby(list(_QUANTITY), sort=False).indices
                index = {tuple(str(v) for v in k): np.asarray(rows) for k, rows in groups.items()}
            self._countries[country] = (frame, index)
        return self._countries[country]

    def _select(self, filters: dict[str, Any]) -> pd.DataFrame:
        active = {k: v for k, v in filters.items() if v is not None}
        country = active.get("country")
        if not isinstance(country, str) or set(active) - {*KEY_COLUMNS, "dataset"}:
            return FactStore.query(self, **filters)
        frame, index = self._country(country)
        if all(k in active for k in _QUANTITY):
            rows = index.get(tuple(str(active[k]) for k in _QUANTITY))
            part = frame.iloc[rows] if rows is not None else frame.iloc[0:0]
        else:
            part = frame
        rest = {k: v for k, v in active.items() if k not in ("country", *(
            _QUANTITY if all(k in active for k in _QUANTITY) else ()))}
        if rest:
            mask = np.ones(len(part), dtype=bool)
            for k, v in rest.items():
                mask &= (part[k] == v).to_numpy()
            part = part[mask]
        return part.reset_index(drop=True)

    def query(self, **filters: str | int | None) -> pd.DataFrame:
        """Return facts matching the filters (remembered; callers must not modify it)."""
        key = ("query", tuple(sorted(filters.items())))
        frame: pd.DataFrame = _remember(self._memo, key, lambda: self._select(filters))
        return frame

    def fact_rows(self, **filters: str) -> list[dict[str, Any]]:
        """Return the quantity's fact rows from the country's facts in memory (see query)."""
        country = filters.get("country")
        if isinstance(country, str) and set(filters) == {"country", *_QUANTITY}:
            # the rows of one quantity, from the country's records made once (a
            # DataFrame per quantity costs milliseconds each, most of a long check)
            records, index = self._rows(country)
            return [records[i] for i in index.get(tuple(str(filters[k]) for k in _QUANTITY), ())]
        key = ("rows", tuple(sorted(filters.items())))
        rows: list[dict[str, Any]] = _remember(
            self._memo, key, lambda: self.query(**filters).to_dict("records"))
        return rows

    def get(self, indicator: str, country: str, year: int, *, partner: str = "",
            product: str = "", entity: str = "", measures: Sequence[str] | None = None,
            allow_partial: bool = False, label: str | None = None,
            prefer: str | None = None) -> Quantity:
        """Select one value as :meth:`FactStore.get` does (remembered)."""
        key = ("get", indicator, country, year, partner, product, entity,
               None if measures is None else tuple(measures), allow_partial, label, prefer)
        q: Quantity = _remember(self._memo, key, lambda: FactStore.get(
            self, indicator, country, year, partner=partner, product=product, entity=entity,
            measures=measures, allow_partial=allow_partial, label=label, prefer=prefer))
        return q

    def years(self, indicator: str, country: str, partner: str = "", product: str = "",
              entity: str = "", measure: str | None = None) -> list[int]:
        """Years with any value for the quantity (any period), from the country's rows."""
        if None in (partner, product, entity):  # "any": the store's own query
            return FactStore.years(self, indicator, country, partner, product, entity, measure)
        rows = self.fact_rows(indicator=indicator, country=country, partner=partner,
                              product=product, entity=entity)
        return sorted({int(r["year"]) for r in rows if measure is None or r["measure"] == measure})


def _frozen(value: Any) -> Any:
    """Return a hashable stand-in for a lookup argument (lists of measures become tuples)."""
    if isinstance(value, list | tuple):
        return tuple(_frozen(v) for v in value)
    if isinstance(value, dict):
        return tuple(sorted((k, _frozen(v)) for k, v in value.items()))
    return value


class _RememberedDatasets:
    """The case's bulk-dataset view (:class:`StoreDatasets`) with every answer remembered."""

    def __init__(self, inner: StoreDatasets) -> None:
        self._inner = inner
        self._memo: dict[tuple[Any, ...], Any] = {}

    def __getattr__(self, name: str) -> Any:
        attr = getattr(self._inner, name)
        if not callable(attr):
            return attr

        def call(*args: Any, **kwargs: Any) -> Any:
            return _remember(self._memo, (name, _frozen(list(args)), _frozen(kwargs)),
                             lambda: attr(*args, **kwargs))
        return call


@dataclass
class MemoCase(Case):
    """The same case, its lookups remembered for one check.

    The memory is shared by the copies ``dataclasses.replace`` makes (another year or
    pair): every key names the year, pair and flags it depends on.
    """

    _memo: dict[tuple[Any, ...], Any] = field(default_factory=dict, repr=False,
                                              compare=False)
    _replayed: set[tuple[Any, ...]] = field(default_factory=set, repr=False, compare=False)

    @classmethod
    def of(cls, case: Case) -> MemoCase:
        """Wrap ``case`` (its store wrapped in a :class:`MemoStore`)."""
        fields = {k: v for k, v in case.__dict__.items() if k != "_datasets"}
        store = case.store if isinstance(case.store, MemoStore) else MemoStore(case.store)
        return cls(**{**fields, "store": store})

    @property
    def datasets(self) -> StoreDatasets:
        """The store's bulk datasets, their answers remembered."""
        if self._datasets is None:
            self._datasets = cast(StoreDatasets, _RememberedDatasets(StoreDatasets(self.store)))
        return self._datasets

    def remember(self, key: tuple[Any, ...], compute: Callable[[], Any]) -> Any:
        """``compute()`` once per key for this check (claims' own derived figures)."""
        return _remember(self._memo, ("own", *key), compute)

    def _lookup(self, indicator: str, country: str, year: int, keys: dict[str, Any]) -> Quantity:
        key = ("lookup", indicator, country, year, _frozen(keys), self.allow_earlier_year)
        q: Quantity = _remember(self._memo, key,
                                lambda: Case._lookup(self, indicator, country, year, keys))
        return q

    def years(self, indicator: str, country: str, **keys: Any) -> list[int]:
        """Years with a value, as :meth:`Case.years` (remembered)."""
        key = ("years", indicator, country, _frozen(keys))
        return list(_remember(self._memo, key, lambda: Case.years(self, indicator, country,
                                                                   **keys)))

    def fx_per_usd(self, year: int) -> dict[str, float]:
        """Exchange rates of ``year``, as :meth:`Case.fx_per_usd` (remembered)."""
        return dict(_remember(self._memo, ("fx", year), lambda: Case.fx_per_usd(self, year)))

    def _cited(self, key: tuple[Any, ...], compute: Callable[[], Any]) -> Any:
        """Like :func:`_remember`, and the facts the first call cited are cited again.

        A network's capacities, volumes and statuses are recorded in :attr:`used` (the run's
        sources) each time it is built; a remembered network must not drop them.
        """
        def first() -> tuple[Any, list[Quantity]]:
            n = len(self.used)
            value = compute()
            return value, self.used[n:]
        value, cited = _remember(self._memo, key, first)
        if key in self._replayed:
            self.used.extend(cited)
        self._replayed.add(key)
        return value

    def network(self, name: str, year: int | None = None) -> Network:
        """Network ``name`` of ``year``, as :meth:`Case.network` (remembered, facts cited)."""
        y = self.year if year is None else year
        net: Network = self._cited(("network", name, y), lambda: Case.network(self, name, y))
        return net

    def find_asset(self, asset: str) -> tuple[str, Edge]:
        """(network, edge) of an asset, as :meth:`Case.find_asset` (remembered, facts cited)."""
        found: tuple[str, Edge] = self._cited(("asset", asset, self.year),
                                              lambda: Case.find_asset(self, asset))
        return found
