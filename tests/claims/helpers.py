"""Stores and readers shared by the claims tests."""

from __future__ import annotations

from collections.abc import Sequence

import pandas as pd

from geolever.claims import check_text
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


def claims_of(text: str, fields: Sequence[str], *, target: str, published: int,
              sender: str = "RUS") -> list[tuple[object, ...]]:
    """Check plain ``text`` on an empty store; one tuple of ``fields`` per claim made.

    A field is a :class:`~geolever.claims.results.TextClaim` attribute, or ``verdict``
    (the claim's verdict, None where it was not evaluated).
    """
    result = check_text(text, fmt="text", store=FactStore(":memory:"), sender=sender,
                        target=target, published=published)
    return [tuple((c.result.verdict if c.result else None) if f == "verdict" else getattr(c, f)
                  for f in fields)
            for s in result.sentences for c in s.claims]
