"""The fact store: an embedded DuckDB database where every value carries unit, year and source."""

from geolever.store.facts import FactStore, default_store_path

__all__ = ["FactStore", "default_store_path"]
