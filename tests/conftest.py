"""Shared fixtures: where the real public datasets live (read in place, never copied)."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from hypothesis import settings

# Property tests check invariants, not speed: no per-example deadline (CI machines are shared
# and a first example that compiles or imports can exceed Hypothesis' 200 ms default).
settings.register_profile("geolever", deadline=None)
settings.load_profile("geolever")

REPO_ROOT = Path(__file__).resolve().parents[1]


def shared_data_dir() -> Path:
    """Return the folder of real public datasets (``GEOLEVER_SHARED_DATA`` or ../shared/data)."""
    return Path(os.environ.get("GEOLEVER_SHARED_DATA", REPO_ROOT.parent / "shared" / "data"))


@pytest.fixture(scope="session")
def shared_data() -> Path:
    """The ../shared/data folder; tests that need it are skipped, with the reason, if absent."""
    path = shared_data_dir()
    if not path.is_dir():
        pytest.skip(f"real datasets not found at {path}; set GEOLEVER_SHARED_DATA to that folder")
    return path
