"""Readers of input-output tables: WIOD 2013 (RData, in place) and OECD ICIO via pymrio."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from geolever.core.errors import DataNotFoundError, UnknownCodeError
from geolever.sources.io_tables import PRODUCT_GROUPS, read_sector_groups
from geolever.sources.wiod import read_wiod2013

FIXTURES = Path(__file__).parents[1] / "fixtures" / "io"


@pytest.fixture(scope="module")
def wiod2008(shared_data: Path):
    return read_wiod2013(shared_data / "wiod2013", 2008)


def test_wiod_shape_and_codes(wiod2008) -> None:
    t = wiod2008
    assert (len(t.regions), len(t.sectors), t.Z.shape, t.Y.shape) == (
        41,
        35,
        (1435, 1435),
        (1435, 205),
    )
    # WIOD quirks mapped to ISO3: ROM -> ROU, RoW -> ROW; no raw codes left.
    assert "ROU" in t.regions and "ROW" in t.regions
    assert "ROM" not in t.regions and "RoW" not in t.regions
    assert t.regions.index("ROU") == 32 and t.regions[-1] == "ROW"
    assert t.unit == "USD million" and t.year == 2008 and "WIOD" in t.source


def test_wiod_published_figures(wiod2008, shared_data: Path) -> None:
    # SOURCES.md: RUS exports to DEU in 2008, intermediate plus final = 48,174 M USD.
    t, n_sec = wiod2008, 35
    r, d = t.region_index("RUS"), t.region_index("DEU")
    rows = slice(r * n_sec, (r + 1) * n_sec)
    flow = t.Z[rows, d * n_sec : (d + 1) * n_sec].sum() + t.Y[rows, d * 5 : (d + 1) * 5].sum()
    assert flow == pytest.approx(48174, abs=0.5)
    # SOURCES.md: RUS 2011 gross output 3,262,680 M USD (file column; rows sum within
    # rounding of whole millions per cell).
    t11 = read_wiod2013(shared_data / "wiod2013", 2011)
    r = t11.region_index("RUS")
    assert t11.x[r * n_sec : (r + 1) * n_sec].sum() == pytest.approx(3_262_680, rel=1e-3)
    # Value added is non-negative in every column, up to the packager's rounding to whole
    # millions (three columns come out at -1 to -4 M USD in 2011).
    assert np.all(t11.x - t11.Z.sum(axis=0) >= -5)


def test_missing_country_is_reported_not_substituted(wiod2008) -> None:
    with pytest.raises(DataNotFoundError) as info:
        wiod2008.region_index("AZE", field="target")
    err = info.value
    assert err.field == "target"
    assert "AZE" in err.message and "ROW" in err.message and "not substitute" in err.message
    with pytest.raises(UnknownCodeError):
        wiod2008.region_index("AZR")
    # ROW itself can be chosen explicitly, and aliases resolve.
    assert wiod2008.region_index("row") == 40
    assert wiod2008.region_index("Romania") == 32


def test_wiod_sector_groups(wiod2008) -> None:
    mapping = read_sector_groups("io_sector_groups_wiod2013.csv")
    assert len(mapping) == 35 and set(mapping.values()) <= set(PRODUCT_GROUPS)
    t = wiod2008
    assert [t.sectors[i] for i in np.flatnonzero(t.group_mask("food"))] == ["c1", "c3"]
    assert [t.sectors[i] for i in np.flatnonzero(t.group_mask("energy"))] == ["c2", "c8", "c17"]
    assert t.group_mask("food,c9").sum() == 3
    assert t.group_mask("all").all()
    masks = t.group_masks()
    # Groups partition the sectors.
    parts = sum(m.astype(int) for g, m in masks.items() if g != "all")
    assert np.all(parts == 1)
    with pytest.raises(UnknownCodeError, match="sector"):
        t.group_mask("fish")


def test_wiod_bad_year(shared_data: Path) -> None:
    with pytest.raises(DataNotFoundError, match="1995 to 2011"):
        read_wiod2013(shared_data / "wiod2013", 2014)


def test_oecd_icio_fixture() -> None:
    pytest.importorskip("pymrio")
    from geolever.sources.pymrio_tables import read_oecd_icio

    path = FIXTURES / "ICIO2023_2019.csv"
    t = read_oecd_icio(path)
    assert (t.name, t.year) == ("oecd_icio", 2019)
    assert t.regions == ("CHN", "ROW", "TUR")
    assert t.sectors == ("A01_02", "C19", "C26")
    assert t.sector_groups == ("food", "energy", "machinery")
    assert t.fd_categories == ("HFCE", "NPISH", "GGFC", "GFCF", "INVNT", "DPABR")
    raw = pd.read_csv(path, index_col=0)
    out = raw["OUT"].drop(["TLS", "VA", "OUT"])
    # CN1 and CN2 (processing-trade splits) are merged into CHN.
    chn = sum(out[f"{r}_A01_02"] for r in ("CHN", "CN1", "CN2"))
    assert t.x[0] == pytest.approx(chn)
    assert t.x[3:].tolist() == pytest.approx(out.filter(regex="^(ROW|TUR)_").tolist())
    assert t.Z[3, 6] == raw.loc["ROW_A01_02", "TUR_A01_02"]
    with pytest.raises(DataNotFoundError, match="AZE"):
        t.region_index("AZE")
