"""A structural-gravity application end to end: PPML, trade costs, counterfactual, GE.

:func:`trade_costs` (steps 1-3) and :func:`solve_costs` (step 4) run the steps of Yotov
et al. (2016, ch. 2) on a long gravity table (``geolever ge --spec`` calls them through the
``trade_cost_change`` lever kind and the GE trade-cost engine:
:func:`geolever.scenario.ge_replication.run_spec`):

1. derived columns (``Estimation.derive``), the years used, PPML of the formula with the
   chosen fixed effects (:func:`~geolever.models.gravity.estimation.estimate_ppml`);
2. the trade-cost term of the baseline year ``T_ij = exp(z_ij' beta)``; with pair fixed
   effects ``T_ij = exp(gamma_ij + z_ij' beta)``, taken from the fitted flows of that year
   (``mu_ij = exp(gamma_ij + a_i + b_j + z_ij' beta)``, the exporter and importer factors
   ``a_i, b_j`` cancel in every general-equilibrium result and in the fill-in
   regression, which has exporter and importer effects too); pairs that never trade have
   no ``gamma_ij`` and get the second-stage prediction (``Estimation.fill_in``);
3. the counterfactual: the changed regressor columns, terms recomputed,
   ``T'_ij = T_ij exp((z'_ij - z_ij)' beta)``;
4. the general equilibrium: ``exact`` (:func:`~geolever.models.gravity.solve_ge` on the
   fitted or observed baseline, ``tau_hat = (T' / T) ** (1 / (1 - sigma))``) or
   ``yotov2016`` (:func:`~geolever.models.gravity.yotov.solve_yotov2016`).

Results per country (:meth:`Replication.table`) use the book's definitions, and can be
reported in its convention for the effect of an *existing* policy.
"""

from __future__ import annotations

import dataclasses
import difflib
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Literal

import numpy as np
import pandas as pd
from numpy.typing import NDArray

from geolever.core.errors import InvalidDataError, UnknownCodeError
from geolever.core.gravity_spec import Baseline, Change, Estimation, Solution
from geolever.models.gravity.estimation import (
    DOMESTIC_PAIR,
    PPMLResult,
    estimate_ppml,
    evaluate_terms,
    pair_ids,
    parse_formula,
    split_terms,
)
from geolever.models.gravity.single import GEResult, solve_ge
from geolever.models.gravity.structural import structural_flows
from geolever.models.gravity.yotov import Progress, solve_yotov2016

FloatArray = NDArray[np.float64]
Convention = Literal["counterfactual", "existing_policy"]
#: Called when a step starts, with its name.
StepCallback = Callable[[str], None]

#: Columns of the per-country result table.
TABLE_COLUMNS = (
    "iso3",
    "factory_price_change_pct",
    "exports_change_pct",
    "real_gdp_change_pct",
    "imr_change_pct",
    "omr_change_pct",
)
#: The steps a replication run reports to ``on_step`` (for progress bars).
STEPS = ("estimate PPML", "trade costs", "solve")

_FE = {
    "exporter + importer": "exporter + importer",
    "exporter-year + importer-year": "exporter^year + importer^year",
    "pair + exporter-year + importer-year": "_pair + exporter^year + importer^year",
}


@dataclass(frozen=True)
class CostChange:
    """The trade costs of an application before and after its counterfactual (steps 1-3).

    Attributes
    ----------
    coefficients
        Table of stage (``estimation``, ``fill_in``), term, coef, se, nobs.
    year
        Baseline year.
    countries
        Country codes in matrix order.
    observed
        Observed flows of the baseline year (N, N), the data's currency unit (USD).
    cost_baseline, cost_counterfactual
        Trade-cost terms ``T`` and ``T'`` (N, N), dimensionless.
    filled
        Ordered pairs whose baseline trade cost came from the fill-in regression.
    changed
        Number of ordered pairs whose trade cost the counterfactual changes.
    """

    coefficients: pd.DataFrame
    year: int
    countries: list[str]
    observed: FloatArray
    cost_baseline: FloatArray
    cost_counterfactual: FloatArray
    filled: list[tuple[str, str]] = field(default_factory=list)
    changed: int = 0


@dataclass(frozen=True, kw_only=True)
class Replication(CostChange):
    """Everything a replication produced: its trade costs (steps 1-3) and their solution.

    The attributes of :class:`CostChange` (coefficients, year, countries, observed flows,
    trade-cost terms, fill-ins, pairs changed), and:

    Attributes
    ----------
    result
        The general-equilibrium result (percent changes, flows, market-clearing residual).
    method
        ``"exact"`` or ``"yotov2016"``.
    baseline
        The baseline used (fitted or observed flows).
    """

    result: GEResult
    method: str
    baseline: Baseline = field(default_factory=lambda: Baseline())

    @classmethod
    def of(cls, costs: CostChange, result: GEResult, method: str,
           baseline: Baseline) -> Replication:
        """Return the replication of ``costs`` solved as ``result`` (step 4)."""
        parts = {f.name: getattr(costs, f.name) for f in dataclasses.fields(CostChange)}
        return cls(**parts, result=result, method=method, baseline=baseline)

    @property
    def output(self) -> FloatArray:
        """Baseline output per country (row sums of the observed flows), USD."""
        return self.observed.sum(axis=1)

    def table(self, convention: Convention = "counterfactual") -> pd.DataFrame:
        """Per-country percent changes, in the book's definitions.

        Parameters
        ----------
        convention
            ``"counterfactual"``: ``100 (new / baseline - 1)``. ``"existing_policy"``: the
            effect of the policy the counterfactual removes, as Yotov et al. (2016, ch. 2
            application 2) report it: factory price ``100 (1 - p_hat)``, every other
            column ``100 (baseline / new - 1)``.

        Returns
        -------
        pandas.DataFrame
            Columns :data:`TABLE_COLUMNS`: factory-gate price, international exports,
            real GDP ``Y / P``, inward multilateral resistance ``P`` (the consumer price
            index; the reference's is unchanged) and outward multilateral resistance
            ``Pi`` defined, as in the book's programs, by ``X_ij = Y_i E_j t_ij /
            (Pi_i^(1-sigma) P_j^(1-sigma))`` (no world-output factor). Percent.
        """
        res = self.result
        omr = res.outward_mr_pct
        if self.method == "exact":
            # solve_ge's Pi carries the world-output factor of Anderson-van Wincoop's
            # X = Y E / Yw (t / (Pi P))^(1-sigma); the book's programs have none
            sig1 = 1.0 - res.sigma
            w = 1.0 + res.factory_price_pct / 100.0
            yw_hat = float((w * self.output).sum() / self.output.sum())
            omr = 100.0 * (((1.0 + omr / 100.0) ** sig1 * yw_hat) ** (1.0 / sig1) - 1.0)
        cols = {
            "factory_price_change_pct": res.factory_price_pct,
            "exports_change_pct": res.exports_pct,
            "real_gdp_change_pct": res.real_gdp_pct,
            "imr_change_pct": res.inward_mr_pct,
            "omr_change_pct": omr,
        }
        out = pd.DataFrame({"iso3": self.countries, **cols})
        if convention == "existing_policy":
            for c in cols:
                if c == "factory_price_change_pct":
                    out[c] = -out[c]
                else:
                    out[c] = 100.0 * (1.0 / (1.0 + out[c] / 100.0) - 1.0)
        return out

    @property
    def residual(self) -> float:
        """Largest market-clearing error of the solution, dimensionless."""
        return float(np.max(self.result.residual))


def prepare(df: pd.DataFrame, est: Estimation) -> pd.DataFrame:
    """Add the derived columns (in order) to a copy of the gravity table.

    Raises
    ------
    InvalidDataError
        Bad column name or expression (naming ``estimation.derive.NAME``).
    """
    out = df.copy()
    for name, expr in est.derive.items():
        where = f"estimation.derive.{name}"
        if not name.isidentifier() or name in ("exporter", "importer", "year"):
            raise InvalidDataError(
                f"cannot derive a column named {name!r}",
                field=where,
                fix="use a plain column name other than exporter, importer, year",
            )
        out[name] = evaluate_terms(out, [expr], field=where)[expr]
    return out


def _codes_in(pairs: Sequence[tuple[str, str]], codes: list[str], where: str) -> None:
    for code in {c for p in pairs for c in p}:
        if code not in codes:
            near = difflib.get_close_matches(code, codes, n=3)
            hint = f" (did you mean {', '.join(near)}?)" if near else ""
            raise UnknownCodeError(
                f"country {code!r} is not in the data",
                field=where,
                fix=f"use one of the data's country codes{hint}",
            )


def apply_changes(
    sub: pd.DataFrame, changes: Sequence[Change], codes: list[str]
) -> pd.DataFrame:
    """Return a copy of one year's rows with the counterfactual values of the changes.

    Raises
    ------
    InvalidDataError
        A change to a column the data does not have.
    UnknownCodeError
        A selected country that is not in the data.
    """
    out = sub.copy()
    for k, ch in enumerate(changes):
        where = f"counterfactual[{k}] ({ch.text})"
        if ch.variable not in out.columns:
            raise InvalidDataError(
                f"the data has no column {ch.variable!r}",
                field=where,
                fix="change a regressor column of the data (or one made by estimation.derive)",
            )
        if ch.pairs is None:
            mask = np.ones(len(out), dtype=bool)
        else:
            _codes_in(ch.pairs, codes, where)
            keys = pd.MultiIndex.from_arrays([out["exporter"], out["importer"]])
            mask = keys.isin(pd.MultiIndex.from_tuples(list(ch.pairs)))
        out.loc[mask, ch.variable] = ch.value
    return out


def _matrix(frame: pd.DataFrame, value: str, codes: list[str], year: int) -> FloatArray:
    """Pivot one year's rows into an (N, N) matrix; every ordered pair must be there."""
    wide = frame.pivot(index="exporter", columns="importer", values=value)
    arr = wide.reindex(index=codes, columns=codes).to_numpy(dtype=np.float64)
    if np.isnan(arr).any():
        e, i = np.argwhere(np.isnan(arr))[0]
        raise InvalidDataError(
            f"{int(np.isnan(arr).sum())} ordered pair(s) missing in {year}, e.g. "
            f"{codes[e]}->{codes[i]}",
            field=f"{codes[e]}->{codes[i]}",
            fix="the GE model needs every pair including domestic sales; add 0 for no trade",
        )
    return arr


def _check_signs(coef: pd.Series, est: Estimation) -> None:
    for term, sign in est.expected_signs.items():
        if term not in coef.index:
            raise InvalidDataError(
                f"expected_signs names {term!r}, which is not a term of the formula",
                field=f"estimation.expected_signs.{term}",
                fix=f"use one of {', '.join(coef.index)}",
            )
        b = float(coef[term])
        if (sign == "+" and b <= 0) or (sign == "-" and b >= 0):
            hint = (" (is distance in levels? use log(DIST))"
                    if any("DIST" in t and "log" not in t for t in coef.index) else "")
            raise InvalidDataError(
                f"the PPML coefficient of {term} is {b:.4f}, expected {sign}{hint}; "
                "it would be used with the wrong sign",
                field=f"estimation.expected_signs.{term}",
                fix="check the formula, fixed effects and years; drop the expectation only "
                "if the sign is really plausible",
            )


def _pair_costs(
    sub: pd.DataFrame, resid: pd.Series, codes: list[str], est: Estimation
) -> pd.Series:
    """Pair effects ``exp(gamma_ij)`` of the baseline year, the domestic one being 1.

    ``resid = log(mu_ij) - z_ij' beta = gamma_ij + a_i + b_j`` for the year's fitted flows
    ``mu``; with symmetric pair effects and one shared domestic effect ``gamma_D``,
    ``gamma_ij - gamma_D = (r_ij + r_ji - r_ii - r_jj) / 2`` exactly, whatever the
    normalisation of the fixed effects (the book omits the domestic pair's dummy, so its
    ``gamma_D = 0``). NaN for pairs without a pair effect (never traded).
    """
    if not (est.pair_effects.symmetric and est.pair_effects.shared_domestic):
        raise InvalidDataError(
            "trade costs from pair effects need symmetric pair effects with one shared "
            "domestic effect (otherwise they are not identified against the country effects)",
            field="estimation.pair_effects",
            fix="set symmetric: true and shared_domestic: true",
        )
    r = resid.to_frame("r").assign(exporter=sub["exporter"], importer=sub["importer"])
    m = r.pivot(index="exporter", columns="importer", values="r").reindex(
        index=codes, columns=codes).to_numpy(dtype=np.float64)
    d = np.diag(m).copy()
    gamma = 0.5 * (m + m.T - d[:, None] - d[None, :])
    pos = {c: k for k, c in enumerate(codes)}
    i = sub["exporter"].map(pos).to_numpy()
    j = sub["importer"].map(pos).to_numpy()
    return pd.Series(np.exp(gamma[i, j]), index=sub.index)


def _fill_in(
    est: Estimation, sub: pd.DataFrame, h: pd.Series, where: str
) -> tuple[pd.Series, PPMLResult]:
    """Second stage: predict the pair-cost factor ``h`` of the pairs without one."""
    assert est.fill_in is not None
    terms = split_terms(est.fill_in.formula, field="estimation.fill_in.formula")
    domestic = sub["exporter"] == sub["importer"]
    missing = h.isna()
    if (missing & domestic).any():
        r = sub[missing & domestic].iloc[0]
        raise InvalidDataError(
            f"domestic flows of {r['exporter']} have no pair effect",
            field=where,
            fix="use pair_effects.shared_domestic: true (one effect for all domestic flows)",
        )
    train = sub[~domestic & ~missing].assign(_h=h[~domestic & ~missing])
    fit = estimate_ppml(
        train,
        terms,
        trade="_h",
        fixed_effects="exporter + importer",
        vcov={"CRV1": "_pair"},
        field="estimation.fill_in.formula",
        predict_for=sub[missing],
    )
    assert fit.predicted is not None
    return h.fillna(fit.predicted), fit


def trade_costs(
    df: pd.DataFrame,
    estimation: Estimation,
    baseline: Baseline,
    changes: Sequence[Change],
    *,
    reference: str | None = None,
    on_step: StepCallback | None = None,
) -> CostChange:
    """Estimate the gravity equation and the trade costs before and after the changes.

    Steps 1-3 of the module docstring: PPML, the baseline year's trade-cost terms ``T``
    (with pair effects and their fill-in where the formula has them) and the
    counterfactual terms ``T'`` of the changed regressor columns.

    Parameters
    ----------
    df
        Long gravity table, flows in USD, every ordered pair (domestic included) in the
        baseline year.
    estimation, baseline
        The parts of the specification (:mod:`geolever.core.gravity_spec`).
    changes
        Counterfactual changes of regressor columns (at least one).
    reference
        Reference country of the solution, checked against the data's codes (None: not
        checked).
    on_step
        Called with ``"estimate PPML"`` and ``"trade costs"`` when they start.

    Returns
    -------
    CostChange
        Coefficients, observed flows, ``T`` and ``T'`` and diagnostics.

    Raises
    ------
    InvalidDataError, UnknownCodeError
        Bad specification or data (the message names the field).
    """
    step = on_step or (lambda _name: None)
    if not changes:
        raise InvalidDataError(
            "no counterfactual change", field="counterfactual",
            fix="add a change such as INTL_BRDR=0 or RTA=0@CAN-USA",
        )
    data = prepare(df, estimation)
    flow, terms = parse_formula(estimation.formula)
    years = sorted(int(y) for y in data["year"].unique())
    if estimation.years:
        absent = sorted(set(estimation.years) - set(years))
        if absent:
            raise InvalidDataError(
                f"year(s) {absent} not in the data ({years[0]}..{years[-1]})",
                field="estimation.years",
                fix="use years the data holds",
            )
        data = data[data["year"].isin(estimation.years)]
        years = sorted(estimation.years)
    pair_fe = estimation.fixed_effects.startswith("pair")
    if pair_fe:
        data = data.assign(_pair=pair_ids(
            data["exporter"], data["importer"],
            symmetric=estimation.pair_effects.symmetric,
            shared_domestic=estimation.pair_effects.shared_domestic,
        ))
    year = baseline.year
    if year is None:
        if len(years) != 1:
            raise InvalidDataError(
                f"the estimation uses {len(years)} years ({years[0]}..{years[-1]})",
                field="baseline.year",
                fix="name the baseline year",
            )
        year = years[0]
    if year not in years:
        raise InvalidDataError(
            f"baseline year {year} is not among the estimation years {years}",
            field="baseline.year",
            fix="use one of the estimation years",
        )

    step("estimate PPML")
    fit = estimate_ppml(data, terms, trade=flow, fixed_effects=_FE[estimation.fixed_effects],
                        field="estimation.formula")
    _check_signs(fit.coef, estimation)
    rows = [("estimation", t, float(fit.coef[t]), float(fit.se[t]), fit.nobs) for t in terms]

    step("trade costs")
    sub = data[data["year"] == year].sort_values(["exporter", "importer"])
    codes = sorted(set(sub["exporter"]) | set(sub["importer"]))
    beta = fit.coef.loc[terms].to_numpy()
    z0 = evaluate_terms(sub, terms, field="estimation.formula")
    lin0 = pd.Series(z0.to_numpy() @ beta, index=sub.index)
    filled: list[tuple[str, str]] = []
    if pair_fe:
        h = _pair_costs(sub, np.log(fit.fitted.loc[sub.index]) - lin0, codes, estimation)
        if h.isna().any():
            if estimation.fill_in is None:
                r = sub[h.isna()].iloc[0]
                raise InvalidDataError(
                    f"{int(h.isna().sum())} pair(s) have no pair effect (no trade in any "
                    f"year), e.g. {r['exporter']}->{r['importer']}",
                    field="estimation.fill_in",
                    fix="add estimation.fill_in with a formula such as "
                    "'log(DIST) + CNTG + LANG + CLNY'",
                )
            filled = list(zip(sub.loc[h.isna(), "exporter"], sub.loc[h.isna(), "importer"],
                              strict=True))
            h, fit2 = _fill_in(estimation, sub, h, "estimation.fill_in")
            rows += [("fill_in", t, float(fit2.coef[t]), float(fit2.se[t]), fit2.nobs)
                     for t in fit2.coef.index]
        t0 = h * np.exp(lin0)
    else:
        t0 = pd.Series(np.exp(lin0.to_numpy()), index=sub.index)
    if reference is not None:
        _codes_in([(reference, reference)], codes, "solution.reference")
    cf = apply_changes(sub, changes, codes)
    z1 = evaluate_terms(cf, terms, field="counterfactual")
    dlin = pd.Series((z1.to_numpy() - z0.to_numpy()) @ beta, index=sub.index)
    changed = int((dlin != 0).sum())
    if changed == 0:
        raise InvalidDataError(
            "the counterfactual changes no trade cost (the columns are not in the formula, "
            "or already have those values for the selected pairs)",
            field="counterfactual",
            fix="change a regressor of the formula to a value it does not have",
        )
    t1 = t0 * np.exp(dlin)
    frame = sub.assign(_t0=t0, _t1=t1)
    x, cost0, cost1 = (_matrix(frame, v, codes, year) for v in (flow, "_t0", "_t1"))
    coefficients = pd.DataFrame(rows, columns=["stage", "term", "coef", "se", "nobs"])
    return CostChange(coefficients=coefficients, year=int(year), countries=codes, observed=x,
                      cost_baseline=cost0, cost_counterfactual=cost1, filled=filled,
                      changed=changed)



def solve_costs(
    x: FloatArray, cost0: FloatArray, cost1: FloatArray, codes: list[str],
    baseline: Baseline, solution: Solution, on_pass: Progress | None,
    tau_hat: FloatArray | None = None,
) -> GEResult:
    """Solve the counterfactual of given trade costs with the spec's method (step 4).

    Parameters
    ----------
    x
        Observed baseline flows (N, N), USD, domestic sales on the diagonal.
    cost0, cost1
        Trade-cost terms ``T`` and ``T'`` (N, N), dimensionless.
    codes
        Country codes in matrix order.
    baseline, solution
        The baseline (fitted or observed flows) and solution of the specification.
    on_pass
        ``yotov2016``: called after every PPML pass.
    tau_hat
        A stated change of the iceberg trade cost on top (N, N), dimensionless (``inf``:
        an embargo), or None.

    Returns
    -------
    GEResult
        Percent changes per country.
    """
    y, e = x.sum(axis=1), x.sum(axis=0)
    if solution.method == "yotov2016":
        if baseline.flows != "fitted" or solution.closure != "proportional":
            raise InvalidDataError(
                "method yotov2016 is the book's procedure: fitted baseline flows and "
                "proportional closure only",
                field="solution.method",
                fix="set baseline.flows: fitted and solution.closure: proportional, or use "
                "method exact",
            )
        if tau_hat is not None:  # as a change of the cost term T = t ** (1 - sigma)
            cost1 = cost1 * tau_hat ** (1.0 - solution.sigma)
        return solve_yotov2016(cost0, cost1, y, e, solution.sigma,
                               reference=solution.reference, countries=codes,
                               tol_sd=solution.tol_sd, tol_max=solution.tol_max,
                               max_iter=solution.max_passes, progress=on_pass)
    base = structural_flows(y, e, cost0) if baseline.flows == "fitted" else x
    tau = (cost1 / cost0) ** (1.0 / (1.0 - solution.sigma))
    if tau_hat is not None:
        tau = tau * tau_hat
    return solve_ge(base, tau, solution.sigma, reference=solution.reference,
                    countries=codes, closure=solution.closure)


def resolve(rep: Replication, solution: Solution, *, baseline: Baseline | None = None,
            on_pass: Progress | None = None) -> Replication:
    """Solve the same trade-cost change again with another solution (method, sigma, ...).

    The PPML estimates and trade costs are reused (sigma only enters the solution).

    Returns
    -------
    Replication
        A copy of ``rep`` with the new result and method.
    """
    _codes_in([(solution.reference, solution.reference)], rep.countries, "solution.reference")
    base = baseline or rep.baseline
    res = solve_costs(rep.observed, rep.cost_baseline, rep.cost_counterfactual, rep.countries,
                 base, solution, on_pass)
    return dataclasses.replace(rep, result=res, method=solution.method, baseline=base)


__all__ = [
    "DOMESTIC_PAIR",
    "STEPS",
    "TABLE_COLUMNS",
    "CostChange",
    "Replication",
    "apply_changes",
    "prepare",
    "resolve",
    "solve_costs",
    "trade_costs",
]
