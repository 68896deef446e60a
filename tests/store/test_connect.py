"""``store.connect``'s integrity check: a truncated store is refused, a healthy one is not."""

from __future__ import annotations

from pathlib import Path

import pytest

from geolever.core.errors import StoreError
from geolever.store.connect import _HEADER_BYTES, check_integrity

BLOCK = 262_144


class _Sizes:
    """What ``pragma_database_size()`` answers: block size, total, used blocks."""

    def __init__(self, total: int, used: int) -> None:
        self.row = (BLOCK, total, used)

    def execute(self, sql: str) -> _Sizes:
        assert "pragma_database_size" in sql
        return self

    def fetchall(self) -> list[tuple[int, int, int]]:
        return [self.row]


def _file(tmp_path: Path, blocks: int) -> Path:
    path = tmp_path / "s.duckdb"
    path.write_bytes(b"\0" * (_HEADER_BYTES + blocks * BLOCK))
    return path


def test_a_trailing_free_block_not_on_disk_is_healthy(tmp_path: Path) -> None:
    # The default store of 2026-12-02: 7 blocks counted, 6 in use, 6 on disk; DuckDB read
    # every table of it, and geolever refused it as "damaged".
    check_integrity(_Sizes(total=7, used=6), _file(tmp_path, 6))  # type: ignore[arg-type]


def test_a_store_missing_blocks_in_use_is_damaged(tmp_path: Path) -> None:
    with pytest.raises(StoreError, match=r"damaged: .* 6 blocks in use"):
        check_integrity(_Sizes(total=7, used=6), _file(tmp_path, 5))  # type: ignore[arg-type]


def test_a_real_truncated_store_is_refused(tmp_path: Path) -> None:
    from geolever.store import FactStore

    path = tmp_path / "real.duckdb"
    with FactStore(path) as store:
        store.load_pack("russia-azerbaijan")
    data = path.read_bytes()
    path.write_bytes(data[: len(data) * 3 // 4])
    with pytest.raises(StoreError, match="damaged"):
        FactStore(path)
