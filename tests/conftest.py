"""Shared fixtures: where the real public datasets live (read in place), and a store of them."""

from __future__ import annotations

import os
import shutil
from collections.abc import Callable
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


@pytest.fixture(scope="session")
def pair_datasets_store(shared_data: Path, tmp_path_factory: pytest.TempPathFactory,
                        ) -> Callable[[], Path]:
    """Return a function giving a fresh copy of a store with the datasets any pair needs.

    WDI GDP, WDI personal remittances received and the World Bank/KNOMAD bilateral
    remittance matrix 2021, imported once per session as ``geolever data import`` does; each
    call copies the file, so a test may write to its copy (a server loading the packs).
    """
    from geolever.cli.data_sources import import_source
    from geolever.store import FactStore

    template = tmp_path_factory.mktemp("pair-datasets") / "store.duckdb"
    with FactStore(template) as store:
        import_source("wdi", shared_data / "wdi-gdp" / "gdp.csv", store)
        import_source("wdi", shared_data / "wdi-indicators"
                      / "API_BX.TRF.PWKR.CD.DT_DS2_en_csv_v2_38454.csv", store)
        import_source("knomad", shared_data / "knomad-remittances"
                      / "bilateral_remittance_matrix_2021_0.xlsx", store)

    def fresh_copy() -> Path:
        path = tmp_path_factory.mktemp("pair-store") / "store.duckdb"
        shutil.copyfile(template, path)
        return path

    return fresh_copy
