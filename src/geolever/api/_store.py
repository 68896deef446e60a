"""Which fact store an API call reads: the same rule as the CLI's ``--store`` option."""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from geolever.store import FactStore

#: What a ``store=`` argument may be: an open store, a DuckDB file, ``":memory:"`` or None.
StoreLike = FactStore | str | os.PathLike[str] | None


@contextmanager
def open_store(store: StoreLike, *, default: str | None = None) -> Iterator[FactStore]:
    """Yield the fact store an API call should use; close it afterwards if opened here.

    Parameters
    ----------
    store
        An open :class:`~geolever.store.FactStore` (used as is, left open), a file path
        or ``":memory:"`` (opened and closed here), or None: the CLI's default,
        ``$GEOLEVER_STORE``, else the user data folder (see ``geolever.cli.store_path``).
    default
        What None means where the CLI command defaults to something else (``":memory:"``
        for ``geolever claims check``).
    """
    if isinstance(store, FactStore):
        yield store
        return
    if store is None and default is not None:
        path: str | Path = default
    elif store is None:
        from geolever.cli import store_path

        path = store_path(None)
    else:
        path = os.fspath(store)
    with FactStore(path) as db:
        yield db
