"""The cuts of ``geolever io extract`` (and ``geolever.io_extract``) on a world input-output table.

A cut is a ``trade_restriction`` lever (:func:`supply_cut`: direction ``exports``, the
input-output model ``{name: io, table, year, sectors, share, intermediate, final}``)
compiled against the table the world layer loads (:func:`geolever.world.io.io_table`)
and extracted by the input-output engine
(:func:`geolever.effects.engines.io_extraction.extract_link_cut`). The command line and
the Python API both call :func:`extract_frame`.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

import numpy as np
import pandas as pd
from numpy.typing import NDArray

from geolever.effects.engines.io_extraction import ExtractionResult, extract_link_cut
from geolever.levers.kinds.trade_restriction import TradeRestriction
from geolever.world.io import IOTable

#: What the extraction assumes (printed with every result).
MODEL_NOTE = (
    "Hypothetical extraction (Miller and Blair 2009, ch. 12): coefficients of the cut link "
    "scaled by 1 - share, everything else fixed, no substitution. Backward losses: "
    "demand-driven Leontief model (the sender and its suppliers sell less). Forward losses: "
    "supply-driven Ghosh model (the target's industries and their customers get fewer "
    "inputs). Value-added losses assume fixed value added per unit of output."
)


def supply_cut(table: str, year: int, sectors: Sequence[str], share: float = 1.0, *,
               intermediate: bool = True, final: bool = True) -> TradeRestriction:
    """Return the lever of ``geolever io``: the sender embargoes its supply of ``sectors``.

    A ``trade_restriction`` on all goods, direction ``exports``, with the input-output
    model ``{name: io, table, year, sectors, share, intermediate, final}``.
    """
    return TradeRestriction.model_validate({
        "goods": ["TOTAL"], "direction": "exports",
        "model": {"name": "io", "table": table, "year": year, "sectors": list(sectors),
                  "share": share, "intermediate": intermediate, "final": final}})


def extract_frame(
    tbl: IOTable,
    s: int,
    t: int,
    mask: NDArray[np.bool_],
    share: float = 1.0,
    *,
    intermediate: bool = True,
    final: bool = True,
    on_step: Callable[[str], None] | None = None,
) -> tuple[ExtractionResult, pd.DataFrame]:
    """Cut (a share of) region ``s``'s supply of the ``mask`` sectors to region ``t``.

    The cut is a ``trade_restriction`` lever (:func:`supply_cut`) compiled against the
    table and extracted by the input-output engine.

    Parameters
    ----------
    tbl
        The input-output table (:func:`geolever.world.io.io_table`).
    s, t
        Sender and target region indices (``tbl.region_index``).
    mask
        Boolean mask of the sender's sectors cut (``tbl.group_mask``).
    share
        Share of the link cut, 0..1.
    intermediate, final
        Cut the target's industries' purchases, and its final purchases.
    on_step
        Called with the name of each step as it starts (for a progress bar).

    Returns
    -------
    tuple
        As :func:`~geolever.effects.engines.io_extraction.extract_link_cut`: the
        extraction and its per-(region, sector) table of losses.
    """
    sectors = [c for c, m in zip(tbl.sectors, mask, strict=True) if m]
    lever = supply_cut(tbl.name, tbl.year, sectors, share, intermediate=intermediate,
                       final=final)
    shock = lever.compile_table(tbl, tbl.regions[s], tbl.regions[t])
    return extract_link_cut(shock, on_step=on_step)


__all__ = ["MODEL_NOTE", "extract_frame", "supply_cut"]
