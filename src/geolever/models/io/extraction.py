"""Hypothetical extraction of bilateral links, one pair or all pairs from one factorisation.

The extraction of sender ``S``'s supply to target ``T`` in chosen sectors scales the
coefficients ``A[S_k, T_*]`` (intermediate use) and the final demand ``Y[S_k, T]`` (final use)
by ``1 - share``. The *backward* (demand-driven, Leontief) loss is what S and its suppliers
lose because T buys less; the *forward* (supply-driven, Ghosh) loss is what T's industries,
and those downstream of them, lose because they get fewer inputs from S. Both come from
the baseline inverses (:mod:`geolever.models.io.calc`) via Woodbury updates of rank at most
the number of sectors (Miller and Blair 2009, ch. 12; Dietzenbacher and Lahr, 2013).
Conventions (layout, units) as in :mod:`geolever.models.io.calc`.
"""

# Matrix names (Z, Y, A, L, G) follow the input-output literature and pymrio.
# ruff: noqa: N803, N806

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt
import pandas as pd

from geolever.core.errors import InvalidDataError
from geolever.models.io.calc import (
    BoolArray,
    FloatArray,
    IntArray,
    _as_float,
    _safe_reciprocal,
    allocation_coefficients,
    ghosh_inverse,
    leontief_inverse,
    technical_coefficients,
    total_output,
    value_added,
)

__all__ = [
    "ExtractionResult",
    "PairChunk",
    "PreparedTable",
    "extract_link",
    "iter_all_pairs_extraction",
    "prepare_table",
]


# --------------------------------------------------------------------------- prepared table


@dataclass(frozen=True)
class PreparedTable:
    """A table with its inverses factorised once, shared by all extractions.

    Attributes
    ----------
    Z
        Intermediate flows (n x n), currency unit.
    y_by_region
        Final demand summed by the region that buys it (n x R), currency unit.
    x_table
        Output the coefficients are built from (n,), currency unit.
    x
        Baseline output of the demand model ``L y`` (n,), currency unit.
    x_supply
        Baseline output of the supply model ``v' G`` (n,), currency unit (equal to ``x``
        for a balanced table).
    va_coefficients
        Value added per unit of output (n,), unitless.
    L
        Leontief inverse (n x n).
    G
        Ghosh inverse (n x n), or None when the supply-driven model was not requested.
    n_regions, n_sectors
        Table dimensions (``n = n_regions * n_sectors``).
    """

    Z: FloatArray
    y_by_region: FloatArray
    x_table: FloatArray
    x: FloatArray
    x_supply: FloatArray | None
    va_coefficients: FloatArray
    L: FloatArray
    G: FloatArray | None
    n_regions: int
    n_sectors: int


def prepare_table(
    Z: npt.ArrayLike,
    Y: npt.ArrayLike,
    x: npt.ArrayLike | None,
    n_sectors: int,
    *,
    supply_model: bool = True,
) -> PreparedTable:
    """Factorise a table once for any number of extractions.

    Parameters
    ----------
    Z
        Intermediate flows (n x n), currency unit.
    Y
        Final demand (n x R*c), columns region-major with c categories per region.
    x
        Gross output (n,), same unit; None derives it as ``Z 1 + Y 1`` (as pymrio does).
        Coefficients use this ``x``; the baseline of the demand model is ``L y``.
    n_sectors
        Sectors per region, S (so R = n / S).
    supply_model
        Also factorise the Ghosh model (needed for forward losses).

    Returns
    -------
    PreparedTable
    """
    z = _as_float(Z, "Z", 2)
    yy = _as_float(Y, "Y", 2)
    n = z.shape[0]
    if z.shape != (n, n) or yy.shape[0] != n:
        raise InvalidDataError(
            f"Z has shape {z.shape} and Y has shape {yy.shape}; both need n = {n} rows",
            field="Z",
            fix="pass Z as n x n and Y as n x m with the same row order",
        )
    if n_sectors <= 0 or n % n_sectors:
        raise InvalidDataError(
            f"{n} region-sectors are not a whole number of regions of {n_sectors} sectors",
            field="n_sectors",
            fix="pass the number of sectors per region (len(sector_mask))",
        )
    n_regions = n // n_sectors
    if yy.shape[1] % n_regions:
        raise InvalidDataError(
            f"Y has {yy.shape[1]} columns, not a multiple of the {n_regions} regions",
            field="Y",
            fix="order final-demand columns region-major with the same categories per region",
        )
    xx = total_output(z, yy) if x is None else _as_float(x, "x", 1)
    if xx.shape != (n,):
        raise InvalidDataError(
            f"x has shape {xx.shape}, expected ({n},)", field="x", fix="pass one output per row"
        )
    y_reg = yy.reshape(n, n_regions, -1).sum(axis=2)
    L = leontief_inverse(technical_coefficients(z, xx))
    va = value_added(z, xx)
    G = ghosh_inverse(allocation_coefficients(z, xx)) if supply_model else None
    return PreparedTable(
        Z=z,
        y_by_region=y_reg,
        x_table=xx,
        x=L @ y_reg.sum(axis=1),
        x_supply=None if G is None else va @ G,
        va_coefficients=va * _safe_reciprocal(xx),
        L=L,
        G=G,
        n_regions=n_regions,
        n_sectors=n_sectors,
    )


# --------------------------------------------------------------------------- extraction


@dataclass(frozen=True)
class PairChunk:
    """Extraction results for one sender and one sector group against many targets.

    Flows are in the table's currency unit; arrays of losses have shape
    (n_targets, R, S): ``output_loss[t, r, s]`` is the fall in gross output of sector s of
    region r when the link sender -> ``targets[t]`` is extracted. Positive = loss.

    Attributes
    ----------
    group
        Name of the sector group extracted.
    sender
        Sender region index.
    targets
        Target region indices (n_targets,).
    share
        Share of the link extracted, per sector of the sender (S,), unitless.
    output_loss, value_added_loss
        Backward (demand-driven, Leontief) losses: S and its suppliers sell less.
    forward_output_loss, forward_value_added_loss
        Forward (supply-driven, Ghosh) losses: T's industries and their customers lack
        inputs; None when the supply model was not requested. Value-added losses assume
        fixed value added per unit of output.
    extracted_intermediate, extracted_final
        Flow removed from the table per target (n_targets,): intermediate and final use.
    """

    group: str
    sender: int
    targets: IntArray
    share: FloatArray
    output_loss: FloatArray
    value_added_loss: FloatArray
    forward_output_loss: FloatArray | None
    forward_value_added_loss: FloatArray | None
    extracted_intermediate: FloatArray
    extracted_final: FloatArray

    def to_frame(
        self, regions: Sequence[str], sectors: Sequence[str], *, by_sector: bool = True
    ) -> pd.DataFrame:
        """Return the chunk as a long table (one row per target x region [x sector]).

        Parameters
        ----------
        regions, sectors
            Labels of the table's regions (R) and sectors (S).
        by_sector
            Keep one row per sector; False sums the losses over the sectors of a region.

        Returns
        -------
        pandas.DataFrame
            Columns ``group, sender, target, region[, sector], output_loss,
            value_added_loss[, forward_output_loss, forward_value_added_loss]``.
        """
        regs = np.asarray(regions, dtype=object)
        secs = np.asarray(sectors, dtype=object)
        nt, R, S = self.output_loss.shape
        arrays = {"output_loss": self.output_loss, "value_added_loss": self.value_added_loss}
        if self.forward_output_loss is not None and self.forward_value_added_loss is not None:
            arrays["forward_output_loss"] = self.forward_output_loss
            arrays["forward_value_added_loss"] = self.forward_value_added_loss
        if by_sector:
            shape: tuple[int, ...] = (nt, R, S)
            cols = {
                "target": regs[self.targets][:, None, None],
                "region": regs[:, None][None],
                "sector": secs[None, None, :],
            }
        else:
            shape = (nt, R)
            arrays = {k: v.sum(axis=2) for k, v in arrays.items()}
            cols = {"target": regs[self.targets][:, None], "region": regs[None, :]}
        data: dict[str, object] = {
            "group": self.group,
            "sender": str(regs[self.sender]),
        }
        data.update({k: np.broadcast_to(v, shape).ravel() for k, v in cols.items()})
        data.update({k: v.ravel() for k, v in arrays.items()})
        return pd.DataFrame(data)


@dataclass(frozen=True)
class ExtractionResult:
    """Effects of extracting (a share of) sender S's supply to target T.

    All flows are in the table's currency unit; arrays of shape (R, S) are indexed
    ``[region, sector]``. Losses are positive when output falls.

    Attributes
    ----------
    sender, target
        Region indices.
    sector_mask
        Sectors of the sender whose supply was cut (S,).
    share
        Share of the link extracted per sector of the sender (S,), unitless.
    intermediate, final
        Whether intermediate use and final use of the link were cut.
    output_loss, value_added_loss
        Backward (demand-driven, Leontief) losses (R, S).
    forward_output_loss, forward_value_added_loss
        Forward (supply-driven, Ghosh) losses (R, S); None without the supply model.
    baseline_output, baseline_value_added
        Baseline gross output ``L y`` and value added (R, S).
    extracted_intermediate, extracted_final
        Flow removed from the table (scalars).
    """

    sender: int
    target: int
    sector_mask: BoolArray
    share: FloatArray
    intermediate: bool
    final: bool
    output_loss: FloatArray
    value_added_loss: FloatArray
    forward_output_loss: FloatArray | None
    forward_value_added_loss: FloatArray | None
    baseline_output: FloatArray
    baseline_value_added: FloatArray
    extracted_intermediate: float
    extracted_final: float

    @property
    def output_loss_by_region(self) -> FloatArray:
        """Backward output loss summed over sectors (R,), currency unit."""
        return np.asarray(self.output_loss.sum(axis=1))

    @property
    def value_added_loss_by_region(self) -> FloatArray:
        """Backward value-added loss summed over sectors (R,), currency unit."""
        return np.asarray(self.value_added_loss.sum(axis=1))

    def to_frame(self, regions: Sequence[str], sectors: Sequence[str]) -> pd.DataFrame:
        """Return the losses as a table indexed by (region, sector).

        Parameters
        ----------
        regions, sectors
            Labels of the table's regions (R) and sectors (S).

        Returns
        -------
        pandas.DataFrame
            Columns ``baseline_output, output_loss, value_added_loss`` (and the forward
            losses when present), currency unit.
        """
        idx = pd.MultiIndex.from_product([list(regions), list(sectors)], names=["region", "sector"])
        data = {
            "baseline_output": self.baseline_output.ravel(),
            "baseline_value_added": self.baseline_value_added.ravel(),
            "output_loss": self.output_loss.ravel(),
            "value_added_loss": self.value_added_loss.ravel(),
        }
        if self.forward_output_loss is not None and self.forward_value_added_loss is not None:
            data["forward_output_loss"] = self.forward_output_loss.ravel()
            data["forward_value_added_loss"] = self.forward_value_added_loss.ravel()
        return pd.DataFrame(data, index=idx)


def _share_vector(share: float | npt.ArrayLike, n_sectors: int) -> FloatArray:
    sh = np.broadcast_to(np.asarray(share, dtype=np.float64), (n_sectors,)).copy()
    if not np.all(np.isfinite(sh)) or np.any(sh < 0) or np.any(sh > 1):
        raise InvalidDataError(
            "the share of the link to extract must lie in [0, 1]",
            field="share",
            fix="pass 1.0 for a full cut, 0.5 for half of the flow",
        )
    return sh


def _mask_vector(mask: npt.ArrayLike, n_sectors: int, name: str) -> BoolArray:
    m = np.asarray(mask, dtype=bool)
    if m.shape != (n_sectors,):
        raise InvalidDataError(
            f"sector mask has shape {m.shape}, expected ({n_sectors},)",
            field=name,
            fix="pass one True/False per sector of a region",
        )
    return m


def _check_region(idx: int, n_regions: int, name: str) -> int:
    i = int(idx)
    if not 0 <= i < n_regions:
        raise InvalidDataError(
            f"region index {i} outside 0..{n_regions - 1}",
            field=name,
            fix="look the region up in the table's region labels",
        )
    return i


def _sender_block(
    prep: PreparedTable,
    sender: int,
    mask: BoolArray,
    share: FloatArray,
    targets: IntArray,
    *,
    intermediate: bool,
    final: bool,
    forward: bool,
) -> tuple[FloatArray, FloatArray | None, FloatArray, FloatArray]:
    """Losses for one sender and sector mask against a batch of targets.

    Woodbury: with ``A* = A - E_r D E_c'`` (rows r = sender's masked sectors, columns c =
    the target's sectors, ``D = share * A[r, c]``) and ``y* = y - dy``,
    ``x - x* = L[:, r] (dy_r + K^-1 D z_c)`` with ``K = I + D L[c, r]`` (k x k) and
    ``z = x - L[:, r] dy_r``. The forward (Ghosh) loss is the transposed update of G.
    Everything is batched over targets; nothing n x n is formed per pair.
    """
    R, S, n = prep.n_regions, prep.n_sectors, prep.Z.shape[0]
    nt = targets.size
    r = sender * S + np.flatnonzero(mask)
    k = r.size
    sh = share[mask]
    back = np.zeros((nt, n))
    fwd = np.zeros((nt, n)) if forward else None
    ext_int = np.zeros(nt)
    ext_fin = np.zeros(nt)
    if k == 0 or nt == 0 or not (intermediate or final) or not np.any(sh):
        return back, fwd, ext_int, ext_fin

    Zr = prep.Z[r].reshape(k, R, S)[:, targets, :]  # (k, nt, S) flows S_k -> T_s
    inv_x_cols = _safe_reciprocal(prep.x_table.reshape(R, S)[targets])  # (nt, S)
    Lr = prep.L[:, r]  # (n, k)
    Lcr = Lr.reshape(R, S, k)[targets]  # (nt, S, k) = L[c_T, r]
    x0c = prep.x.reshape(R, S)[targets]  # (nt, S)

    if intermediate:
        D = Zr * inv_x_cols[None] * sh[:, None, None]  # share * A[r, c_T]
        ext_int = np.einsum("kts,k->t", Zr, sh)
    else:
        D = np.zeros_like(Zr)
    if final:
        dy = prep.y_by_region[r][:, targets] * sh[:, None]  # (k, nt)
        ext_fin = dy.sum(axis=0)
    else:
        dy = np.zeros((k, nt))

    K = np.eye(k)[None] + np.einsum("kts,tsl->tkl", D, Lcr)
    zc = x0c - np.einsum("tsk,kt->ts", Lcr, dy)
    rhs = np.einsum("kts,ts->tk", D, zc)
    w = dy.T + np.linalg.solve(K, rhs[..., None])[..., 0]
    back = w @ Lr.T

    if forward and intermediate:
        assert prep.G is not None and prep.x_supply is not None and fwd is not None
        # Ghosh: B* = B - E_r Db E_c', Db = share * B[r, c]; x*' = x' - x_r' Kf^-1 Db G[c, :].
        inv_x_r = _safe_reciprocal(prep.x_table[r])
        Db = Zr * (inv_x_r * sh)[:, None, None]  # (k, nt, S)
        Gcr = prep.G[:, r].reshape(R, S, k)[targets]  # (nt, S, k) = G[c_T, r]
        Kf = np.eye(k)[None] + np.einsum("kts,tsl->tkl", Db, Gcr)
        xr = np.broadcast_to(prep.x_supply[r], (nt, k))
        u = np.linalg.solve(np.swapaxes(Kf, 1, 2), xr[..., None])[..., 0]
        q = np.einsum("tk,kts->ts", u, Db)  # (nt, S)
        G3 = prep.G.reshape(R, S, n)
        # Only the targets' row blocks of G are needed; avoid gathering them when all are.
        G3t = G3 if nt == R and np.array_equal(targets, np.arange(R)) else G3[targets]
        fwd = np.einsum("ts,tsn->tn", q, G3t)
    return back, fwd, ext_int, ext_fin


def extract_link(
    Z: npt.ArrayLike,
    Y: npt.ArrayLike,
    x: npt.ArrayLike | None,
    sender_idx: int,
    target_idx: int,
    sector_mask: npt.ArrayLike,
    share: float | npt.ArrayLike = 1.0,
    *,
    intermediate: bool = True,
    final: bool = True,
    supply_model: bool = True,
    prepared: PreparedTable | None = None,
) -> ExtractionResult:
    """Hypothetically extract (a share of) sender S's supply to target T.

    Scales ``A[S_k, T_*]`` (T's industries' purchases of S's products k) and ``Y[S_k, T]``
    (T's final purchases) by ``1 - share`` and reports the output and value-added loss of
    every region-sector: S, T and every third country.

    Parameters
    ----------
    Z
        Intermediate flows (n x n), currency unit (e.g. millions of USD).
    Y
        Final demand (n x R*c), columns region-major, c categories per region.
    x
        Gross output (n,), or None to derive it as ``Z 1 + Y 1``.
    sender_idx, target_idx
        Region indices (0-based, in table order) of S and T; they must differ.
    sector_mask
        Boolean (S,): the sender's sectors whose supply is cut. Its length fixes S.
    share
        Share of the link removed, scalar or per sector (S,), in [0, 1].
    intermediate, final
        Cut the link's intermediate use and/or its final use.
    supply_model
        Also compute forward (Ghosh) losses.
    prepared
        A :class:`PreparedTable` of the same table, to reuse its factorisation (then
        ``Z``, ``Y`` and ``x`` are not factorised again).

    Returns
    -------
    ExtractionResult
        Losses per (region, sector), currency unit; positive = output falls.
    """
    n_sectors = np.asarray(sector_mask).shape[0] if np.ndim(sector_mask) == 1 else 0
    prep = prepared or prepare_table(Z, Y, x, n_sectors, supply_model=supply_model)
    R, S = prep.n_regions, prep.n_sectors
    mask = _mask_vector(sector_mask, S, "sector_mask")
    sh = _share_vector(share, S)
    s = _check_region(sender_idx, R, "sender_idx")
    t = _check_region(target_idx, R, "target_idx")
    if s == t:
        raise InvalidDataError(
            "sender and target are the same region",
            field="target_idx",
            fix="choose a target region other than the sender",
        )
    forward = supply_model and prep.G is not None
    back, fwd, ei, ef = _sender_block(
        prep,
        s,
        mask,
        sh,
        np.array([t], dtype=np.intp),
        intermediate=intermediate,
        final=final,
        forward=forward,
    )
    vc = prep.va_coefficients
    return ExtractionResult(
        sender=s,
        target=t,
        sector_mask=mask,
        share=sh,
        intermediate=intermediate,
        final=final,
        output_loss=back[0].reshape(R, S),
        value_added_loss=(back[0] * vc).reshape(R, S),
        forward_output_loss=None if fwd is None else fwd[0].reshape(R, S),
        forward_value_added_loss=None if fwd is None else (fwd[0] * vc).reshape(R, S),
        baseline_output=prep.x.reshape(R, S),
        baseline_value_added=(prep.x * vc).reshape(R, S),
        extracted_intermediate=float(ei[0]),
        extracted_final=float(ef[0]),
    )


def iter_all_pairs_extraction(
    Z: npt.ArrayLike,
    Y: npt.ArrayLike,
    x: npt.ArrayLike | None,
    sector_groups: Mapping[str, npt.ArrayLike],
    share: float | npt.ArrayLike = 1.0,
    *,
    senders: Sequence[int] | None = None,
    intermediate: bool = True,
    final: bool = True,
    supply_model: bool = True,
    prepared: PreparedTable | None = None,
) -> Iterator[PairChunk]:
    """Extract every ordered sender -> target link, per sector group, from one factorisation.

    The inverses are computed once; each (sender, group) is a batch over all targets of
    rank-k Woodbury updates (k = sectors in the group), so memory stays bounded: one chunk
    of size (R - 1) x n per sender and group is alive at a time, never an n x n per pair.

    Parameters
    ----------
    Z
        Intermediate flows (n x n), currency unit.
    Y
        Final demand (n x R*c), columns region-major.
    x
        Gross output (n,), or None to derive it as ``Z 1 + Y 1``.
    sector_groups
        ``{group name: boolean mask (S,)}``; e.g. ``{"all": np.ones(S, bool)}`` for whole
        links. All masks must have the same length S.
    share
        Share of each link removed, scalar or per sector (S,), in [0, 1].
    senders
        Sender region indices to run (default: all); targets are always all other regions.
    intermediate, final
        Cut the links' intermediate use and/or final use.
    supply_model
        Also compute forward (Ghosh) losses (doubles the factorisation cost).
    prepared
        A :class:`PreparedTable` of the same table to reuse.

    Yields
    ------
    PairChunk
        One per (sender, group), targets = every region but the sender, in table order.
    """
    if not sector_groups:
        raise InvalidDataError(
            "no sector group given", field="sector_groups", fix='pass {"all": np.ones(S, bool)}'
        )
    sizes = {np.asarray(m).shape for m in sector_groups.values()}
    if len(sizes) != 1 or len(next(iter(sizes))) != 1:
        raise InvalidDataError(
            "sector masks must all be 1-D with one entry per sector",
            field="sector_groups",
            fix="build every mask over the same sector list",
        )
    n_sectors = next(iter(sizes))[0]
    prep = prepared or prepare_table(Z, Y, x, n_sectors, supply_model=supply_model)
    R, S = prep.n_regions, prep.n_sectors
    masks = {g: _mask_vector(m, S, f"sector_groups[{g}]") for g, m in sector_groups.items()}
    sh = _share_vector(share, S)
    forward = supply_model and prep.G is not None
    vc = prep.va_coefficients
    all_regions = np.arange(R, dtype=np.intp)
    for s in range(R) if senders is None else senders:
        s = _check_region(s, R, "senders")
        keep = all_regions != s
        for group, mask in masks.items():
            # All R targets in one batch (the sender's own column is dropped) so the
            # forward update reads G's row blocks in place.
            back, fwd, ei, ef = _sender_block(
                prep,
                s,
                mask,
                sh,
                all_regions,
                intermediate=intermediate,
                final=final,
                forward=forward,
            )
            back = back[keep]
            yield PairChunk(
                group=group,
                sender=s,
                targets=all_regions[keep],
                share=sh,
                output_loss=back.reshape(R - 1, R, S),
                value_added_loss=(back * vc).reshape(R - 1, R, S),
                forward_output_loss=None if fwd is None else fwd[keep].reshape(R - 1, R, S),
                forward_value_added_loss=(
                    None if fwd is None else (fwd[keep] * vc).reshape(R - 1, R, S)
                ),
                extracted_intermediate=ei[keep],
                extracted_final=ef[keep],
            )
