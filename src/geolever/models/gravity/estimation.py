"""PPML estimation of gravity equations with high-dimensional fixed effects (pyfixest).

PPML (Santos Silva and Tenreyro 2006) with exporter(-year) and importer(-year) fixed
effects is the estimator of Yotov et al. (2016); pyfixest's ``fepois`` demeans the fixed
effects (like Stata's ppmlhdfe / R's fixest), so no dummy columns are built.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd
import pyfixest as pf

from geolever.core.errors import ConvergenceError, InvalidDataError


@dataclass(frozen=True)
class PPMLResult:
    """Coefficients of a PPML gravity regression.

    Attributes
    ----------
    coef
        Coefficients by regressor (semi-elasticities of trade, dimensionless).
    se
        Heteroskedasticity-robust (or clustered) standard errors by regressor.
    fixed_effects
        The fixed-effects specification used, e.g. ``"exporter^year + importer^year"``.
    nobs
        Observations used.
    fitted
        Fitted flows (USD), aligned with the input rows.
    """

    coef: pd.Series
    se: pd.Series
    fixed_effects: str
    nobs: int
    fitted: pd.Series

    def summary(self) -> pd.DataFrame:
        """Return a table of coefficients, standard errors and z statistics."""
        return pd.DataFrame({"coef": self.coef, "se": self.se, "z": self.coef / self.se})


def estimate_ppml(
    df: pd.DataFrame,
    regressors: Sequence[str],
    *,
    trade: str = "trade",
    fixed_effects: str = "exporter^year + importer^year",
    vcov: str | dict[str, str] = "hetero",
) -> PPMLResult:
    """Estimate a structural gravity equation by PPML with fixed effects.

    Parameters
    ----------
    df
        Long gravity table (one row per exporter, importer, year), flows in USD.
    regressors
        Trade-cost regressors (e.g. ``["ln_DIST", "CNTG", "INTL_BRDR"]``).
    trade
        Column with the flows (USD, >= 0).
    fixed_effects
        pyfixest fixed-effects formula; the default is exporter-year and importer-year
        effects; add ``+ pair`` (a pair id column) for pair fixed effects.
    vcov
        pyfixest variance specification (``"hetero"`` = robust, or ``{"CRV1": "pair"}``).

    Returns
    -------
    PPMLResult
        Coefficients, standard errors, and fitted flows.
    """
    need = [trade, *regressors]
    missing = [c for c in need if c not in df.columns]
    if missing:
        raise InvalidDataError(
            f"column(s) {missing} not in the gravity table",
            field=missing[0],
            fix="compute the regressor first or fix its name",
        )
    bad = df[need].isna().any(axis=1)
    if bad.any():
        raise InvalidDataError(
            f"{int(bad.sum())} row(s) with missing values in {need}",
            field=str(need),
            fix="drop or fill missing values",
        )
    formula = f"{trade} ~ {' + '.join(regressors)} | {fixed_effects}"
    fit = pf.fepois(formula, data=df, vcov=vcov)
    if not getattr(fit, "convergence", True):
        raise ConvergenceError(
            "PPML did not converge", field="trade", fix="rescale trade or check separation"
        )
    coef = fit.coef()
    se = fit.se()
    if not np.isfinite(coef.to_numpy()).all():
        raise ConvergenceError(
            "PPML returned non-finite coefficients",
            field=str(list(regressors)),
            fix="drop collinear regressors",
        )
    fitted = pd.Series(np.asarray(fit.predict(), dtype=float), name="fitted")
    return PPMLResult(
        coef=coef.rename(None),
        se=se.rename(None),
        fixed_effects=fixed_effects,
        nobs=int(fit._N),
        fitted=fitted,
    )
