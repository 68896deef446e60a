"""PPML estimation of gravity equations with high-dimensional fixed effects (pyfixest).

PPML (Santos Silva and Tenreyro 2006) with exporter(-year) and importer(-year) fixed
effects, and pair effects in panels, is the estimator of Yotov et al. (2016); pyfixest's
``fepois`` demeans the fixed effects (like Stata's ppmlhdfe / R's fixest), so no dummy
columns are built. Regressors are *terms*: a column name or an expression of columns in
pandas ``eval`` syntax (``log(DIST)``, ``INTL_BRDR - INTL_BRDR_AB``), named by its text.
"""

from __future__ import annotations

import re
import warnings
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd
import pyfixest as pf

from geolever.core.errors import ConvergenceError, InvalidDataError

#: The shared pair id of all domestic flows (their common pair effect, the reference).
DOMESTIC_PAIR = "__domestic__"
#: Convergence tolerances of the PPML fit (tight enough to reproduce Stata to 1e-7).
_TOL = 1e-10
_NAME = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")
#: Functions a term may call (pandas eval math functions).
FUNCTIONS = ("log", "exp", "sqrt", "abs", "log1p")
_SAFE = re.compile(r"^[A-Za-z0-9_+\-*/() .]*$")
_CALL = re.compile(r"([A-Za-z_][A-Za-z0-9_]*)\s*\(")
_DOT = re.compile(r"(?<![0-9])\.|\.(?![0-9])")


def _check_term(term: str, field: str) -> None:
    """Allow only column names, numbers, + - * / ** ( ) and :data:`FUNCTIONS`."""
    calls = _CALL.findall(term)
    if (not _SAFE.match(term) or "__" in term or _DOT.search(term)
            or any(c not in FUNCTIONS for c in calls)):
        raise InvalidDataError(
            f"the term {term!r} is not a column or an arithmetic expression of columns",
            field=field,
            fix=f"use column names, numbers, + - * / ** ( ) and {', '.join(FUNCTIONS)}()",
        )


@dataclass(frozen=True)
class PPMLResult:
    """Coefficients of a PPML gravity regression.

    Attributes
    ----------
    coef
        Coefficients by term (semi-elasticities of trade, dimensionless).
    se
        Standard errors by term (pyfixest's ``vcov``: robust or clustered).
    fixed_effects
        The pyfixest fixed-effects formula used, e.g. ``"exporter^year + importer^year"``.
    nobs
        Observations used (rows separated by the fixed effects, e.g. pairs that never
        trade, are dropped).
    fitted
        Fitted flows (USD), aligned with the input rows; NaN for dropped rows.
    predicted
        Predictions for the rows of ``predict_for`` (USD; None if not asked for).
    """

    coef: pd.Series
    se: pd.Series
    fixed_effects: str
    nobs: int
    fitted: pd.Series
    predicted: pd.Series | None = None

    def summary(self) -> pd.DataFrame:
        """Return a table of coefficients, standard errors and z statistics."""
        return pd.DataFrame({"coef": self.coef, "se": self.se, "z": self.coef / self.se})


def _demeaner() -> dict[str, object]:
    """Return the fixed-effect tolerance as this pyfixest takes it (0.60: ``demeaner=``)."""
    if hasattr(pf, "MapDemeaner"):
        return {"demeaner": pf.MapDemeaner(fixef_tol=_TOL)}
    return {"fixef_tol": _TOL}


def parse_formula(formula: str) -> tuple[str, list[str]]:
    """Split ``'trade ~ log(DIST) + CNTG'`` into the flow column and the terms.

    Terms are separated by ``+`` outside parentheses.

    Raises
    ------
    InvalidDataError
        If there is no ``~``, no flow column or no term.
    """
    lhs, tilde, rhs = formula.partition("~")
    if not tilde or not _NAME.match(lhs.strip()):
        raise InvalidDataError(
            f"cannot read the formula {formula!r}",
            field="estimation.formula",
            fix="write FLOW ~ TERM + TERM, e.g. 'trade ~ log(DIST) + CNTG + INTL_BRDR'",
        )
    return lhs.strip(), split_terms(rhs, field="estimation.formula")


def split_terms(rhs: str, *, field: str) -> list[str]:
    """Split a right-hand side ``'log(DIST) + CNTG'`` into terms (``+`` outside brackets)."""
    terms, depth, cur = [], 0, ""
    for ch in rhs:
        depth += {"(": 1, ")": -1}.get(ch, 0)
        if ch == "+" and depth == 0:
            terms.append(cur.strip())
            cur = ""
        else:
            cur += ch
    terms.append(cur.strip())
    if depth != 0 or not all(terms) or len(set(terms)) != len(terms):
        raise InvalidDataError(
            f"cannot read the terms {rhs.strip()!r}",
            field=field,
            fix="separate distinct terms with +, balance the brackets",
        )
    return terms


def evaluate_terms(df: pd.DataFrame, terms: Sequence[str], *, field: str) -> pd.DataFrame:
    """Evaluate regressor terms on a gravity table.

    Parameters
    ----------
    df
        Long gravity table.
    terms
        Column names or expressions in pandas ``eval`` syntax (``log(DIST)``).
    field
        Input field named in errors.

    Returns
    -------
    pandas.DataFrame
        One float column per term, named by the term, aligned with ``df``.

    Raises
    ------
    InvalidDataError
        Unknown column, unreadable expression, or a non-finite value (first row named).
    """
    out = {}
    for term in terms:
        if term not in df.columns:
            _check_term(term, field)
        try:
            val = df[term] if term in df.columns else df.eval(term, engine="python")
        except (KeyError, NameError, SyntaxError, TypeError, ValueError,
                pd.errors.UndefinedVariableError) as err:
            raise InvalidDataError(
                f"cannot evaluate the term {term!r}: {err}",
                field=field,
                fix=f"use column names of the data ({', '.join(map(str, df.columns[:12]))}, "
                "...) and functions such as log(X)",
            ) from None
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", RuntimeWarning)
            arr = np.asarray(pd.to_numeric(pd.Series(val, index=df.index), errors="coerce"),
                             dtype=np.float64)
        bad = ~np.isfinite(arr)
        if bad.any():
            k = int(np.flatnonzero(bad)[0])
            row = df.iloc[k]
            raise InvalidDataError(
                f"term {term!r} is not a finite number in {int(bad.sum())} row(s), first "
                f"{row.get('exporter')}->{row.get('importer')} {row.get('year')}",
                field=field,
                fix="fill the column's missing values, or drop log() of zero or negative values",
            )
        out[term] = arr
    return pd.DataFrame(out, index=df.index)


def pair_ids(
    exporter: pd.Series, importer: pd.Series, *, symmetric: bool = True,
    shared_domestic: bool = True,
) -> pd.Series:
    """Pair identifiers for pair fixed effects.

    Parameters
    ----------
    exporter, importer
        Country codes per row.
    symmetric
        One id for A->B and B->A (``"A-B"`` with A < B), else one per direction.
    shared_domestic
        All domestic rows share :data:`DOMESTIC_PAIR` (one effect for internal trade).

    Returns
    -------
    pandas.Series
        String ids aligned with the rows.
    """
    e, i = exporter.astype(str), importer.astype(str)
    if symmetric:
        lo, hi = e.where(e < i, i), i.where(e < i, e)
        ids = lo + "-" + hi
    else:
        ids = e + ":" + i
    if shared_domestic:
        ids = ids.where(e != i, DOMESTIC_PAIR)
    return ids


def estimate_ppml(
    df: pd.DataFrame,
    regressors: Sequence[str],
    *,
    trade: str = "trade",
    fixed_effects: str = "exporter^year + importer^year",
    vcov: str | dict[str, str] = "hetero",
    field: str = "regressors",
    predict_for: pd.DataFrame | None = None,
) -> PPMLResult:
    """Estimate a structural gravity equation by PPML with fixed effects.

    Parameters
    ----------
    df
        Long gravity table (one row per exporter, importer, year), flows in USD.
    regressors
        Trade-cost terms: column names or expressions (``["log(DIST)", "CNTG",
        "INTL_BRDR"]``), see :func:`evaluate_terms`.
    trade
        Column with the flows (USD, >= 0).
    fixed_effects
        pyfixest fixed-effects formula over columns of ``df``; the default is
        exporter-year and importer-year effects; add ``+ pair`` (a pair id column, see
        :func:`pair_ids`) for pair fixed effects.
    vcov
        pyfixest variance specification (``"hetero"`` = robust, or ``{"CRV1": "pair"}``).
    field
        Input field named in errors.
    predict_for
        Rows (same columns) to predict with the estimated coefficients and fixed
        effects, e.g. pairs left out of the estimation; their fixed-effect levels must
        occur in the estimation sample.

    Returns
    -------
    PPMLResult
        Coefficients (named by term), standard errors, fitted flows and predictions.

    Raises
    ------
    InvalidDataError
        Missing columns or values, or no term.
    ConvergenceError
        If PPML does not converge or gives non-finite coefficients.
    """
    if trade not in df.columns:
        raise InvalidDataError(
            f"flow column {trade!r} not in the gravity table",
            field=trade,
            fix="name the flow column of the data",
        )
    if not regressors:
        raise InvalidDataError("no regressor", field=field, fix="give at least one term")
    z = evaluate_terms(df, regressors, field=field)
    names = {t: f"_x{k}" for k, t in enumerate(regressors)}
    work = pd.concat([df, z.rename(columns=names)], axis=1).reset_index(drop=True)
    if work[trade].isna().any():
        raise InvalidDataError(
            f"{int(work[trade].isna().sum())} row(s) with a missing {trade}",
            field=trade,
            fix="drop or fill missing values",
        )
    formula = f"{trade} ~ {' + '.join(names.values())} | {fixed_effects}"
    with warnings.catch_warnings():
        # separation (pairs that never trade) is expected; the dropped rows get NaN fits
        warnings.filterwarnings("ignore", message=".*separation.*")
        fit = pf.fepois(formula, data=work, vcov=vcov, iwls_tol=_TOL, **_demeaner())
    if not getattr(fit, "convergence", True):
        raise ConvergenceError(
            "PPML did not converge", field=trade, fix="rescale trade or check separation"
        )
    back = {v: k for k, v in names.items()}
    coef = fit.coef().rename(index=back).rename(None)
    se = fit.se().rename(index=back).rename(None)
    if not np.isfinite(coef.to_numpy()).all() or len(coef) != len(regressors):
        raise ConvergenceError(
            "PPML returned non-finite or too few coefficients",
            field=field,
            fix="drop collinear terms (one absorbed by the fixed effects?)",
        )
    dropped = np.zeros(len(work), dtype=bool)
    na = np.asarray(getattr(fit, "na_index", []), dtype=np.int64)
    dropped[na] = True
    fitted = np.full(len(work), np.nan)
    fitted[~dropped] = np.asarray(fit.predict(type="response"), dtype=float)
    predicted = None
    if predict_for is not None:
        zp = evaluate_terms(predict_for, regressors, field=field).rename(columns=names)
        new = pd.concat([predict_for, zp], axis=1).reset_index(drop=True)
        values = np.asarray(fit.predict(newdata=new, type="response"), dtype=float)
        if not np.isfinite(values).all():
            raise InvalidDataError(
                "a row to predict has a fixed-effect level the estimation did not see",
                field=field,
                fix="predict only for countries (pairs) present in the estimation sample",
            )
        predicted = pd.Series(values, index=predict_for.index, name="predicted")
    return PPMLResult(
        coef=coef.loc[list(regressors)],
        se=se.loc[list(regressors)],
        fixed_effects=fixed_effects,
        nobs=int(fit._N),
        fitted=pd.Series(fitted, index=df.index, name="fitted"),
        predicted=predicted,
    )
