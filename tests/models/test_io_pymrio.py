"""geolever.models.io against pymrio on the real WIOD 2013 table (2008), to 1e-9 relative."""

# Matrix names (Z, Y, A, L, G) follow the input-output literature and pymrio.
# ruff: noqa: N806

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from geolever.models import io as iom
from geolever.sources.io_tables import IOTable
from geolever.sources.wiod import read_wiod2013

pymrio = pytest.importorskip("pymrio")

RTOL = 1e-9


@pytest.fixture(scope="module")
def wiod(shared_data: Path) -> IOTable:
    return read_wiod2013(shared_data / "wiod2013", 2008)


@pytest.fixture(scope="module")
def mrio(wiod: IOTable):
    idx = pd.MultiIndex.from_product([wiod.regions, wiod.sectors], names=["region", "sector"])
    fd = pd.MultiIndex.from_product(
        [wiod.regions, wiod.fd_categories], names=["region", "category"]
    )
    Z = pd.DataFrame(wiod.Z, index=idx, columns=idx)
    Y = pd.DataFrame(wiod.Y, index=idx, columns=fd)
    va = wiod.x - wiod.Z.sum(axis=0)
    # Value added by the region where it arises, as an extension: M = S L is then the
    # value-added multiplier split by region of origin.
    F = pd.DataFrame(
        np.kron(np.eye(len(wiod.regions)), np.ones(len(wiod.sectors))) * va[None, :],
        index=pd.Index([f"VA {r}" for r in wiod.regions], name="stressor"),
        columns=idx,
    )
    io = pymrio.IOSystem(Z=Z, Y=Y, name="wiod2013")
    io.va = pymrio.Extension(name="va", F=F)
    io.calc_all()
    return io


@pytest.fixture(scope="module")
def prepared(wiod: IOTable) -> iom.PreparedTable:
    return iom.prepare_table(wiod.Z, wiod.Y, wiod.x, len(wiod.sectors))


def _rel(a: np.ndarray, b: np.ndarray) -> float:
    """Largest difference relative to the largest reference value."""
    return float(np.max(np.abs(np.asarray(a) - np.asarray(b))) / np.max(np.abs(b)))


def test_output_equals_pymrio(wiod: IOTable, mrio, prepared: iom.PreparedTable) -> None:
    np.testing.assert_allclose(wiod.x, mrio.x.to_numpy().ravel(), rtol=RTOL)
    np.testing.assert_allclose(prepared.x, mrio.x.to_numpy().ravel(), rtol=RTOL)
    np.testing.assert_allclose(
        iom.technical_coefficients(wiod.Z, wiod.x), mrio.A.to_numpy(), rtol=RTOL
    )


def test_leontief_and_ghosh_equal_pymrio(wiod: IOTable, mrio, prepared) -> None:
    L_ref = mrio.L.to_numpy()
    np.testing.assert_allclose(prepared.L, L_ref, rtol=RTOL, atol=0)
    B_ref = pymrio.calc_B(mrio.Z, mrio.x).to_numpy()
    np.testing.assert_allclose(iom.allocation_coefficients(wiod.Z, wiod.x), B_ref, rtol=RTOL)
    G_ref = pymrio.calc_G(B_ref)
    assert _rel(prepared.G, G_ref) < RTOL


def test_multipliers_equal_pymrio(wiod: IOTable, mrio, prepared) -> None:
    np.testing.assert_allclose(
        iom.output_multipliers(prepared.L), mrio.L.to_numpy().sum(axis=0), rtol=RTOL
    )
    mine = iom.value_added_multipliers(prepared.L, prepared.va_coefficients, len(wiod.regions))
    ref = mrio.va.M.to_numpy()
    assert _rel(mine, ref) < RTOL
    # Each product's value added, summed over the world, is its price: 1 (non-zero output).
    live = wiod.x > 0
    np.testing.assert_allclose(mine.sum(axis=0)[live], 1.0, rtol=1e-9)


def _pymrio_extraction(wiod: IOTable, mrio, s: int, t: int, mask: np.ndarray, share: float):
    """The same extraction by recomputation with pymrio's calc_* functions."""
    S = len(wiod.sectors)
    rows = s * S + np.flatnonzero(mask)
    cols = np.arange(t * S, (t + 1) * S)
    A = mrio.A.to_numpy().copy()
    A[np.ix_(rows, cols)] *= 1 - share
    Yr = mrio.Y.T.groupby(level="region", sort=False).sum().T.to_numpy().copy()
    Yr[rows, t] *= 1 - share
    x_new = pymrio.calc_x_from_L(pymrio.calc_L(A), Yr.sum(axis=1))
    B = pymrio.calc_B(mrio.Z, mrio.x).to_numpy().copy()
    B[np.ix_(rows, cols)] *= 1 - share
    va = wiod.x - wiod.Z.sum(axis=0)
    x_fwd = va @ pymrio.calc_G(B)
    x0 = mrio.x.to_numpy().ravel()
    return x0 - np.asarray(x_new).ravel(), x0 - x_fwd


@pytest.mark.parametrize(
    ("sender", "target", "groups", "share"),
    [("RUS", "TUR", "food", 1.0), ("RUS", "DEU", "energy", 0.5), ("CHN", "USA", "all", 1.0)],
)
def test_extraction_equals_pymrio(wiod, mrio, prepared, sender, target, groups, share) -> None:
    s, t = wiod.region_index(sender), wiod.region_index(target)
    mask = wiod.group_mask(groups)
    res = iom.extract_link(wiod.Z, wiod.Y, wiod.x, s, t, mask, share, prepared=prepared)
    back_ref, fwd_ref = _pymrio_extraction(wiod, mrio, s, t, mask, share)
    assert np.abs(back_ref).max() > 1.0  # a real flow was cut (M USD)
    assert _rel(res.output_loss.ravel(), back_ref) < RTOL
    assert res.forward_output_loss is not None
    assert _rel(res.forward_output_loss.ravel(), fwd_ref) < RTOL
    # The loss falls first of all on the sender's sectors that were cut.
    by_region = res.output_loss_by_region
    assert by_region[s] == by_region.max()


def test_rus_tur_2008_food_figures(wiod: IOTable, prepared) -> None:
    s, t = wiod.region_index("RUS"), wiod.region_index("TUR")
    mask = wiod.group_mask("food")
    res = iom.extract_link(wiod.Z, wiod.Y, wiod.x, s, t, mask, 1.0, prepared=prepared)
    S = len(wiod.sectors)
    rows = s * S + np.flatnonzero(mask)
    direct_int = wiod.Z[rows, t * S : (t + 1) * S].sum()
    direct_fin = wiod.Y[rows, t * 5 : (t + 1) * 5].sum()
    assert res.extracted_intermediate == pytest.approx(direct_int)
    assert res.extracted_final == pytest.approx(direct_fin)
    # The sender loses at least the flow it no longer sells, more through its suppliers.
    assert res.output_loss[s].sum() >= direct_int + direct_fin - 1e-6


def test_all_pairs_match_single_extraction_on_wiod(wiod: IOTable, prepared) -> None:
    s = wiod.region_index("RUS")
    masks = {"food": wiod.group_mask("food")}
    chunk = next(
        iom.iter_all_pairs_extraction(
            wiod.Z, wiod.Y, wiod.x, masks, 1.0, senders=[s], prepared=prepared
        )
    )
    t = wiod.region_index("TUR")
    i = int(np.flatnonzero(chunk.targets == t)[0])
    one = iom.extract_link(wiod.Z, wiod.Y, wiod.x, s, t, masks["food"], 1.0, prepared=prepared)
    assert _rel(chunk.output_loss[i], one.output_loss) < 1e-12
    assert chunk.output_loss.shape == (len(wiod.regions) - 1, len(wiod.regions), len(wiod.sectors))
