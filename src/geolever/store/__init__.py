"""The fact store: an embedded DuckDB database where every value carries unit, year and source."""

from geolever.store.facts import FactStore, default_store_path, rank_facts

__all__ = ["FactStore", "default_store_path", "rank_facts"]
