"""Stores shared by the claims tests."""

from __future__ import annotations

from collections.abc import Sequence

import pandas as pd

from geolever.store import FactStore
from geolever.store.totals import ingest_totals


def dots_store(rows: Sequence[tuple[str, str, float]], *, reporter: str = "AZE",
               year: int = 2019) -> FactStore:
    """An in-memory store holding ``reporter``'s DOTS totals: (partner, flow, US$) rows."""
    store = FactStore(":memory:")
    frame = pd.DataFrame([(reporter, p, year, f, v) for p, f, v in rows],
                         columns=["reporter", "partner", "year", "flow", "value_usd"])
    ingest_totals(store, frame.assign(estimated=False, origin="test.xlsx"),
                  dataset="imf-dots-test", source="IMF DOTS", citation="https://data.imf.org",
                  origin="test")
    return store
