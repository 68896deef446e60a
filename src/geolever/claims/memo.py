"""A read-only, remembering view of the fact store for one text check.

A long text asks the store the same questions many times (the same indicator and pair for
many sentences and years); each DuckDB query plus its pandas selection costs milliseconds.
:class:`MemoStore` answers a repeated ``query``, ``get`` or ``years`` from memory, so the
cost of a check grows with the number of distinct quantities, not with the text's length.
It is made fresh for each check and never writes.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import pandas as pd

from geolever.core.errors import GeoleverError
from geolever.core.quantity import Quantity
from geolever.store import FactStore


class MemoStore(FactStore):
    """The same store, with ``query``/``get``/``years`` answers remembered."""

    def __init__(self, store: FactStore) -> None:
        self.__dict__.update(store.__dict__)
        self._memo: dict[tuple[Any, ...], Any] = {}

    def _remember(self, key: tuple[Any, ...], compute: Any) -> Any:
        if key not in self._memo:
            try:
                self._memo[key] = compute()
            except GeoleverError as err:
                self._memo[key] = err
        value = self._memo[key]
        if isinstance(value, GeoleverError):
            raise value
        return value

    def query(self, **filters: str | int | None) -> pd.DataFrame:
        """Return facts matching the filters (remembered; callers must not modify it)."""
        key = ("query", tuple(sorted(filters.items())))
        frame: pd.DataFrame = self._remember(key, lambda: FactStore.query(self, **filters))
        return frame

    def get(self, indicator: str, country: str, year: int, *, partner: str = "",
            product: str = "", entity: str = "", measures: Sequence[str] | None = None,
            allow_partial: bool = False, label: str | None = None,
            prefer: str | None = None) -> Quantity:
        """Select one value as :meth:`FactStore.get` does (remembered)."""
        key = ("get", indicator, country, year, partner, product, entity,
               None if measures is None else tuple(measures), allow_partial, label, prefer)
        q: Quantity = self._remember(key, lambda: FactStore.get(
            self, indicator, country, year, partner=partner, product=product, entity=entity,
            measures=measures, allow_partial=allow_partial, label=label, prefer=prefer))
        return q

    def years(self, indicator: str, country: str, partner: str = "", product: str = "",
              entity: str = "", measure: str | None = None) -> list[int]:
        """Years with any value for the quantity (remembered)."""
        key = ("years", indicator, country, partner, product, entity, measure)
        return list(self._remember(key, lambda: FactStore.years(
            self, indicator, country, partner, product, entity, measure)))
