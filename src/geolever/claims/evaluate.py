"""Evaluate structured claims for every year the data covers.

Numeric verdicts compare the claimed value with the computed one (ratio computed/claimed):

==============  =============================================
accurate        within 10% of the computed value
roughly right   within 30%
misleading      within a factor of 1.5 (or the claim compares unlike things)
false           further off
unverifiable    no data for any year
==============  =============================================

Comparison claims are judged with the model results (:func:`geolever.assessment.assess_levers`
run for the lever the claim is about, seeded, :data:`LEVER_DRAWS` draws):

* ``lever_asymmetry`` (ratio): median target loss / median sender cost, each as % of its own
  GDP. "It would hurt the sender more than the target" is ``at most 1``; "it would hurt the
  target more" is ``at least 1``.
* ``lever_substitution_1y`` (pct): median share of the cut flow the target replaces within a
  year. "The target can find alternative markets" is read as ``at least 50`` (half the lost
  flow redirected within a year); "it cannot" as ``at most 50``.

A claim that is numerically close but compares unlike things (remittances, which are
household income, against the state budget) is ``misleading``, never ``accurate``.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field, replace
from functools import lru_cache
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from geolever.claims import model_view
from geolever.claims.months import is_fiscal
from geolever.core.countries import country_name
from geolever.core.errors import DataNotFoundError, UnknownCodeError
from geolever.core.quantity import Quantity
from geolever.core.units import PERIOD_MONTHS, format_amount
from geolever.shocks import REMITTANCE_MEASURES
from geolever.world import Case
from geolever.world.case import Edge, country_key

ACCURATE_WITHIN = 0.10
ROUGHLY_WITHIN = 0.30
MISLEADING_FACTOR = 1.5
LEVER_DRAWS = model_view.LEVER_DRAWS
LEVER_SEED = model_view.LEVER_SEED
lever_assessment = model_view.lever_assessment


class ClaimSpec(BaseModel):
    """A structured claim, as written in a scenario file or extracted from a text."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    text: str = Field(..., min_length=3, description="The claim as stated")
    metric: str = Field(..., description="What it is about; one of CLAIM_METRICS")
    claimed: float = Field(..., description="The number claimed, in `unit`")
    unit: str = Field(..., description="Unit of `claimed`: pct, USD, flag (1 = operating), Mt")
    years: list[int] | None = Field(None, description="Years to check; default: all with data")
    asset: str | None = Field(None, description="Asset id, for asset metrics")
    comparison: Literal["about", "at least", "at most", "between"] = "about"
    high: float | None = Field(
        None, description="Upper end of a claimed range (comparison 'between'; `claimed` is "
        "the lower end)")
    product: str | None = Field(
        None, description="Product code (reference/products.csv) for trade metrics; "
        "default: all goods")
    lever: dict[str, Any] | None = Field(
        None, description="The lever a model-judged claim (lever_*) is about, as in scenarios")
    country: str | None = Field(
        None, description="ISO3 of the country the claim is about, if not the case's target")
    partner: str | None = Field(
        None, description="ISO3 of its partner (the other end of the flow), if not the sender")
    period: str | None = Field(
        None, description="A partial period the claim states (H1, Jan-May, ...): compared "
        "with a figure for that period only")
    flow: Literal["exports", "imports", "trade"] | None = Field(
        None, description="For partner_rank: which of the country's flows ranks its partners "
        "(exports: its buyers; imports: its suppliers; trade: both summed; default trade); "
        "for partner_ratio: which flows are compared")
    versus: str | None = Field(
        None, description="For partner_ratio: ISO3 of the partner the first one (`partner`, "
        "default the sender) is compared with")


@dataclass(frozen=True)
class Metric:
    """A computable quantity a claim can be about."""

    unit: str
    describe: str
    compute: Callable[[Case, int, ClaimSpec], tuple[float, list[Quantity]]]
    years: Callable[[Case, ClaimSpec], list[int]]
    category_note: str = ""
    model: bool = False  # judged on the assessment: a threshold claim is met or not
    strict: bool = False  # "more than" / "less than" is met or not (no 10% band)


def _remittances(case: Case, year: int, spec: ClaimSpec) -> tuple[float, list[Quantity]]:
    label = f"remittances received by {case.target} from {case.sender}"
    q = spec.period and _period_value(case, "remittances_received", case.target, case.sender,
                                      "", year, spec.period, label, REMITTANCE_MEASURES)
    if q:
        return q.value, [q]
    q = case.quantity("remittances_received", case.target, partner=case.sender, year=year,
                      unit="USD", measures=REMITTANCE_MEASURES, allow_partial=True,
                      label=f"remittances received by {case.target} from {case.sender}",
                      record=False)
    return q.value, [q]


#: All remittances a country receives may also come from WDI's personal remittances
#: (BX.TRF.PWKR.CD.DT, partner WLD): the same balance-of-payments total KNOMAD's matrix
#: sums to, and the only one for the years between KNOMAD's matrices.
TOTAL_REMITTANCE_MEASURES = (*REMITTANCE_MEASURES, "wdi_personal_remittances")


def _remittances_total(case: Case, year: int, spec: ClaimSpec) -> tuple[float, list[Quantity]]:
    label = f"remittances received by {case.target}, total"
    q = spec.period and _period_value(case, "remittances_received", case.target, "WLD", "",
                                      year, spec.period, label, TOTAL_REMITTANCE_MEASURES)
    if q:
        return q.value, [q]
    q = case.quantity("remittances_received", case.target, partner="WLD", year=year,
                      unit="USD", measures=TOTAL_REMITTANCE_MEASURES, allow_partial=True,
                      label=f"remittances received by {case.target}, total", record=False)
    return q.value, [q]


def _share_of(denominator: Callable[[Case, int], Quantity],
              numerator: Callable[[Case, int, ClaimSpec], tuple[float, list[Quantity]]],
              ) -> Callable[[Case, int, ClaimSpec], tuple[float, list[Quantity]]]:
    def compute(case: Case, year: int, spec: ClaimSpec) -> tuple[float, list[Quantity]]:
        num, used = numerator(case, year, spec)
        den = denominator(case, year)
        return 100.0 * num / den.value, [*used, den]
    return compute


def _budget(case: Case, year: int) -> Quantity:
    return case.quantity("budget_revenue", case.target, year=year, unit="USD", record=False,
                         label=f"state budget revenue of {case.target}")


def _gdp(case: Case, year: int) -> Quantity:
    return case.quantity("gdp", case.target, year=year, unit="USD", record=False,
                         label=f"GDP of {case.target}")


def _period_value(case: Case, indicator: str, country: str, partner: str, product: str,
                  year: int, period: str, label: str,
                  measures: tuple[str, ...] | None = None) -> Quantity | None:
    """Return the value of one stated partial period (H1, Jan-Nov ...), or None.

    The store's selection rule picks among that period's values (annualised, as the store
    gives every partial value). The store's own rule prefers a full year, then the longest
    period: a claim about January-November is compared with January-November.
    """
    remember = getattr(case, "remember", None)  # a check's MemoCase: each figure once
    key = ("period_value", indicator, country, partner, product, year, period, label, measures)
    if remember is not None:
        found: Quantity | None = remember(key, lambda: _period_value_of(
            case, indicator, country, partner, product, year, period, label, measures))
        return found
    return _period_value_of(case, indicator, country, partner, product, year, period, label,
                            measures)


def _period_value_of(case: Case, indicator: str, country: str, partner: str, product: str,
                     year: int, period: str, label: str,
                     measures: tuple[str, ...] | None) -> Quantity | None:
    from geolever.store.facts import fact_rank_key

    # the quantity's rows (every year) as plain records, then this year and period
    rows = [r for r in case.store.fact_rows(
                indicator=indicator, country=country_key(indicator, country),
                partner=partner, product=product, entity="")
            if int(r["year"]) == year and r["period"] == period
            and (measures is None or r["measure"] in measures)]
    if not rows:
        return None
    best = min(rows, key=fact_rank_key(list(measures) if measures else None, prefer="pack:"))
    q = case.store._to_quantity(best, label)
    return q if q.unit == "USD" else q.to("USD", fx_per_usd=case.fx_per_usd(year))


def _period_flow(case: Case, exporter: str, importer: str, product: str, year: int,
                 period: str) -> Quantity:
    """Return the flow of a stated partial period, as the exporter or the importer reports it."""
    label = f"exports of {product} from {exporter} to {importer}"
    q = _period_value(case, "exports", exporter, importer, product, year, period, label) or \
        _period_value(case, "imports", importer, exporter, product, year, period, label)
    if q is None:
        raise DataNotFoundError(f"no {period} {year} value of {label}", field="period",
                                fix="add a sourced fact for that period")
    return q


def _flow(case: Case, exporter: str, importer: str, product: str, year: int,
          period: str | None = None) -> Quantity:
    from geolever.shocks import bilateral_flow

    if period:  # "in January-November, turnover was ...": that period's figures, not FY
        try:
            return _period_flow(case, exporter, importer, product, year, period)
        except DataNotFoundError:
            pass
    q = bilateral_flow(case, exporter, importer, product, year)
    if q.note == "sum of item-level values":
        # A sum over the items that have data is only a lower bound: not a basis for a verdict.
        raise DataNotFoundError(
            f"only a lower bound (sum of item-level values) for {product} {exporter}->"
            f"{importer} in {year}", field="product", fix="add a group-level fact")
    return q


def _trade(exporter_is_target: bool) -> Callable[[Case, int, ClaimSpec],
                                                 tuple[float, list[Quantity]]]:
    def compute(case: Case, year: int, spec: ClaimSpec) -> tuple[float, list[Quantity]]:
        a, b = (case.target, case.sender) if exporter_is_target else (case.sender, case.target)
        q = _flow(case, a, b, spec.product or "TOTAL", year, spec.period)
        return q.value, [q]
    return compute


def _turnover(case: Case, year: int, spec: ClaimSpec) -> tuple[float, list[Quantity]]:
    product = spec.product or "TOTAL"
    out = _flow(case, case.target, case.sender, product, year, spec.period)
    inn = _flow(case, case.sender, case.target, product, year, spec.period)
    return out.value + inn.value, [out, inn]


def _export_share(case: Case, year: int, spec: ClaimSpec) -> tuple[float, list[Quantity]]:
    product = spec.product or "TOTAL"
    part = _flow(case, case.target, case.sender, product, year)
    total = case.quantity("exports", case.target, partner="WLD", product=product, year=year,
                          unit="USD", allow_partial=True, record=False,
                          label=f"exports of {product} from {case.target}, all partners")
    return 100.0 * part.value / total.value, [part, total]


def _target_indicator(indicator: str, unit: str) -> Callable[[Case, int, ClaimSpec],
                                                             tuple[float, list[Quantity]]]:
    def compute(case: Case, year: int, _: ClaimSpec) -> tuple[float, list[Quantity]]:
        q = case.quantity(indicator, case.target, year=year, unit=unit, allow_partial=True,
                          record=False, label=f"{indicator.replace('_', ' ')} of {case.target}")
        return q.value, [q]
    return compute


def _oil_exports(case: Case, year: int, _: ClaimSpec) -> tuple[float, list[Quantity]]:
    q = case.quantity("oil_exports", case.target, year=year, unit="Mt", allow_partial=True,
                      record=False, label=f"crude oil exports of {case.target}")
    return q.value, [q]


def _case_year(case: Case, _: ClaimSpec) -> list[int]:
    return [case.year]


def _flow_years(case: Case, spec: ClaimSpec) -> list[int]:
    product = spec.product or "TOTAL"
    years: set[int] = set()
    for ind, c, p in (("exports", case.target, case.sender), ("exports", case.sender, case.target),
                      ("imports", case.target, case.sender)):
        years.update(case.store.years(ind, c, partner=p, product=product))
    return sorted(years)


def asset_edge(case: Case, asset: str) -> tuple[str, Edge]:
    """Return (network, edge) of an asset; a corridor named whole, its route via the target.

    "The North-South corridor carried 814,000 tonnes", read for Azerbaijan: the corridor's
    one route through Azerbaijan (the pack's INSTC_WEST), not the routes around it.
    """
    try:
        return case.find_asset(asset)
    except UnknownCodeError:
        nets = case.infrastructure.networks
        if asset.lower() not in nets:
            raise
        routes = [e.id for e in nets[asset.lower()].edges if case.target in e.countries]
        if len(routes) != 1:
            raise
        return case.find_asset(routes[0])


def _volume_indicator(case: Case, network: str, indicator: str) -> str:
    """Return the indicator of what an asset carried: its network's (a corridor's freight)."""
    if indicator != "pipeline_throughput":
        return indicator
    nets = case.infrastructure.networks
    return nets[network].volume_indicator if network in nets else indicator


def _asset(indicator: str) -> Callable[[Case, int, ClaimSpec], tuple[float, list[Quantity]]]:
    def compute(case: Case, year: int, spec: ClaimSpec) -> tuple[float, list[Quantity]]:
        if not spec.asset:
            raise UnknownCodeError("this claim needs an asset", field="asset",
                                   fix="name the asset, e.g. asset: BAKU_NOVOROSSIYSK")
        network, edge = asset_edge(case, spec.asset)
        indicator_here = _volume_indicator(case, network, indicator)
        country = edge.countries[0]
        if indicator == "asset_status":
            q = case.latest("asset_status", country, up_to=year, entity=edge.id)
            q = Quantity(**{**q.__dict__, "year": year}) if q.year != year else q
        else:
            status = _status_in(case, country, edge.id, year)
            if status is not None and status.value == 0:
                # A suspended asset carries nothing: its status decides before any volume
                # (a plan or contract figure for the same year is passed over).
                try:
                    planned = case.quantity(indicator_here, country, year=year,
                                            entity=edge.id, unit="Mt", allow_partial=True,
                                            record=False)
                    passed = (f"; passed over: {planned.value:g} Mt ({planned.quality}, "
                              f"{planned.source})")
                except DataNotFoundError:
                    passed = ""
                q = Quantity(value=0.0, unit="Mt", year=year, label=f"{edge.id} throughput "
                             f"(suspended in {year})", source=status.source,
                             citation=status.citation, quality=status.quality,
                             note=f"status in {year}: not operating, so nothing is carried"
                             + passed)
                return 0.0, [q]
            q = case.quantity(indicator_here, country, year=year, entity=edge.id, unit="Mt",
                              allow_partial=True, record=False)
        return q.value, [q]
    return compute


def _status_in(case: Case, country: str, entity: str, year: int) -> Quantity | None:
    """Return the asset's status stated for ``year`` itself, or None."""
    try:
        q = case.latest("asset_status", country, up_to=year, entity=entity)
    except DataNotFoundError:
        return None
    return q if q.year == year else None


def _years_of(indicator: str, *, partner: str | None = "sender") -> Callable[
        [Case, ClaimSpec], list[int]]:
    def years(case: Case, spec: ClaimSpec) -> list[int]:
        if spec.asset:
            network, edge = asset_edge(case, spec.asset)
            ind = _volume_indicator(case, network, indicator)
            return case.store.years(ind, country_key(ind, edge.countries[0]), entity=edge.id)
        who = {"sender": case.sender, "world": "WLD", None: ""}[partner]
        return case.store.years(indicator, case.target, partner=who)
    return years


def _world(indicator: str, product: str = "TOTAL") -> Callable[[Case, int], Quantity]:
    def get(case: Case, year: int) -> Quantity:
        return case.quantity(indicator, case.target, partner="WLD", product=product, year=year,
                             unit="USD", record=False,
                             label=f"{indicator} of {case.target}, all partners")
    return get


def _import_share(case: Case, year: int, spec: ClaimSpec) -> tuple[float, list[Quantity]]:
    product = spec.product or "TOTAL"
    part = _flow(case, case.sender, case.target, product, year)
    total = _world("imports", product)(case, year)
    return 100.0 * part.value / total.value, [part, total]


def _target_trade(case: Case, year: int) -> tuple[float, list[Quantity]]:
    exp, imp = _world("exports")(case, year), _world("imports")(case, year)
    return exp.value + imp.value, [exp, imp]


def _trade_share_of(whose: str) -> Callable[[Case, int, ClaimSpec], tuple[float, list[Quantity]]]:
    def compute(case: Case, year: int, spec: ClaimSpec) -> tuple[float, list[Quantity]]:
        pair, used = _turnover(case, year, spec)
        who = case if whose == "target" else replace(case, target=case.sender,
                                                    sender=case.target)
        total, used_total = _target_trade(who, year)
        return 100.0 * pair / total, [*used, *used_total]
    return compute


def _totals(which: str) -> Callable[[Case, int, ClaimSpec], tuple[float, list[Quantity]]]:
    def compute(case: Case, year: int, spec: ClaimSpec) -> tuple[float, list[Quantity]]:
        product = spec.product or "TOTAL"
        if which == "trade" and product == "TOTAL":
            return _target_trade(case, year)
        if which == "trade":
            exp, imp = _world("exports", product)(case, year), _world("imports", product)(
                case, year)
            return exp.value + imp.value, [exp, imp]
        # "Australia exported $64 billion worth of coal": that product's total, not all goods
        try:
            q = _world(which, product)(case, year)
        except DataNotFoundError:
            if (which, product) != ("exports", "energy"):
                raise
            return _fuel_exports(case, year)
        return q.value, [q]
    return compute


def _fuel_exports(case: Case, year: int) -> tuple[float, list[Quantity]]:
    """Return the target's fuel exports in US$: WDI's fuel share x its total goods exports.

    WDI TX.VAL.FUEL.ZS.UN (indicator ``fuel_exports_share``, % of merchandise exports; SITC 3,
    mineral fuels, about HS 27) times the target's exports to all partners (IMF DOTS): the
    figure "the $29.3 billion ... from its exports of crude oil and other hydrocarbon
    products" is checked against, when the store holds no fuel exports by value.
    """
    share = case.quantity("fuel_exports_share", case.target, year=year, unit="pct",
                          allow_partial=False, record=False,
                          label=f"fuel exports of {case.target}, % of its goods exports")
    total = _world("exports")(case, year)
    value = share.value / 100.0 * total.value
    derived = Quantity(value=value, unit="USD", year=year, period=total.period,
                       label=f"fuel exports of {case.target}, all partners (fuel share x "
                       "total goods exports)", source=f"{share.source} x {total.source}",
                       citation="; ".join(c for c in (share.citation, total.citation) if c),
                       quality="derived",
                       note=f"{share.value:.2f}% of {_format(total.value, 'USD')}")
    return value, [derived, share, total]


def _world_years(case: Case, _: ClaimSpec) -> list[int]:
    return case.store.years("exports", case.target, partner="WLD", product="TOTAL")


def _remittance_share(case: Case, year: int, spec: ClaimSpec) -> tuple[float, list[Quantity]]:
    part, used = _remittances(case, year, spec)
    total, used_total = _remittances_total(case, year, spec)
    return 100.0 * part / total, [*used, *used_total]


def _capacity(case: Case, year: int, spec: ClaimSpec) -> tuple[float, list[Quantity]]:
    if not spec.asset:
        raise UnknownCodeError("this claim needs an asset", field="asset",
                               fix="name the asset, e.g. asset: BAKU_NOVOROSSIYSK")
    _, edge = case.find_asset(spec.asset)
    q = case.latest("pipeline_capacity", edge.countries[0], up_to=year, entity=edge.id,
                    or_later=True)
    return q.value, [q]


def _asset_share(case: Case, year: int, spec: ClaimSpec) -> tuple[float, list[Quantity]]:
    flow, used = _asset("pipeline_throughput")(case, year, spec)
    total, used_total = _oil_exports(case, year, spec)
    return 100.0 * flow / total, [*used, *used_total]


REMITTANCE_NOTE = (
    "Remittances are transfers to households, not state budget revenue: the ratio compares "
    "unlike things. The budget would lose only the consumption taxes on the part of that "
    "income that is not rerouted."
)

def _partner_rank(case: Case, year: int, spec: ClaimSpec) -> tuple[float, list[Quantity]]:
    """Return the sender's rank among the target's partners by one flow (IMF DOTS totals)."""
    flow = spec.flow or "trade"
    if spec.period:
        raise DataNotFoundError(
            f"a ranking for {spec.period} {year}: the store ranks partners by full-year totals "
            "only (IMF DOTS), and a part of a year may rank them otherwise", field="period",
            fix="import partner totals for that period to rank by it")
    if spec.product not in (None, "TOTAL"):
        raise DataNotFoundError(
            f"a ranking of partners in {spec.product}: the store ranks partners by total "
            "goods trade only (IMF DOTS)", field="product",
            fix="import product-level trade of every partner to rank by product")
    ranking = case.datasets.partner_ranking(case.target, year, flow)
    if not ranking:
        raise DataNotFoundError(
            f"no goods trade of {case.target} by partner for {year} (IMF DOTS totals)",
            field="year", fix="geolever data import dots ../shared/data/imf-dots")
    order = [p for p, *_ in ranking]
    if case.sender not in order:
        raise DataNotFoundError(f"{case.sender} is not among {case.target}'s partners in the "
                                f"{year} totals", field="partner", fix="check the partner")
    rank = order.index(case.sender) + 1
    what = {"exports": "goods exports of {t} to {p}", "imports": "goods imports of {t} from {p}",
            "trade": "goods trade of {t} with {p}"}[flow]
    shown = sorted({0, *range(max(0, rank - 3), min(len(ranking), rank + 1))})
    used = [Quantity(value=v, unit="USD", year=year, period="FY",
                     label=what.format(t=case.target, p=p) + f" (rank {i + 1} of {len(ranking)})",
                     source=src, citation=cit, quality="estimate" if est else "reported",
                     note="as the reporter reports it (DOTS)")
            for i, (p, v, est, src, cit) in enumerate(ranking) if i in shown]
    # the ranked partner's own figure first: it is the one the claim is about
    used.sort(key=lambda q: f"with {case.sender} " not in q.label
              and f"to {case.sender} " not in q.label and f"from {case.sender} " not in q.label)
    return float(rank), used


def _partner_ratio(case: Case, year: int, spec: ClaimSpec) -> tuple[float, list[Quantity]]:
    """Return one partner's flow with the target over another's (DOTS totals or a product).

    ``case.target`` is the country whose trade is compared, ``case.sender`` the first
    partner, ``spec.versus`` the second; ``spec.flow`` says which flow (the country's exports
    to each, its imports from each, or both summed).
    """
    flow = spec.flow or "trade"
    first, second = case.sender, spec.versus
    if second is None:
        raise DataNotFoundError("a partner comparison without the second partner",
                                field="versus", fix="name the partner compared with")
    product = spec.product or "TOTAL"
    if product == "TOTAL":
        ranking = {p: (v, est, src, cit) for p, v, est, src, cit in
                   case.datasets.partner_ranking(case.target, year, flow)}
        if not ranking:
            raise DataNotFoundError(
                f"no goods trade of {case.target} by partner for {year} (IMF DOTS totals)",
                field="year", fix="geolever data import dots ../shared/data/imf-dots")
        what = {"exports": "goods exports of {t} to {p}",
                "imports": "goods imports of {t} from {p}",
                "trade": "goods trade of {t} with {p}"}[flow]
        used = []
        for p in (first, second):
            if p not in ranking:
                raise DataNotFoundError(
                    f"{p} is not among {case.target}'s partners in the {year} totals (DOTS)",
                    field="partner", fix="check the partner")
            v, est, src, cit = ranking[p]
            used.append(Quantity(value=v, unit="USD", year=year, period="FY",
                                 label=what.format(t=case.target, p=p), source=src,
                                 citation=cit, quality="estimate" if est else "reported",
                                 note="as the reporter reports it (DOTS)"))
    else:
        used = []
        for p in (first, second):
            pairs = {"exports": [(case.target, p)], "imports": [(p, case.target)],
                     "trade": [(case.target, p), (p, case.target)]}[flow]
            used += [_flow(case, a, b, product, year) for a, b in pairs]
    half = len(used) // 2
    a, b = sum(q.value for q in used[:half]), sum(q.value for q in used[half:])
    if b == 0:
        raise DataNotFoundError(f"no {flow} of {case.target} with {second} in {year} to "
                                "compare with", field="versus", fix="check the partner")
    return a / b, used


def _ratio_years(case: Case, spec: ClaimSpec) -> list[int]:
    if spec.product not in (None, "TOTAL"):
        return _flow_years(case, spec)
    return _rank_years(case, spec)


def _rank_years(case: Case, spec: ClaimSpec) -> list[int]:
    flow = "imports" if spec.flow == "imports" else "exports"
    return case.datasets.years(flow, case.target)


CLAIM_METRICS: dict[str, Metric] = {
    "remittances": Metric("USD", "annual remittances from the sender to the target",
                          _remittances, _years_of("remittances_received")),
    "remittances_total": Metric("USD", "annual remittances received by the target, all senders",
                                _remittances_total, _years_of("remittances_received",
                                                              partner="world")),
    "remittances_share_of_budget": Metric(
        "pct", "remittances from the sender as % of the target's state budget revenue",
        _share_of(_budget, _remittances), _years_of("remittances_received"), REMITTANCE_NOTE),
    "remittances_total_share_of_budget": Metric(
        "pct", "all remittances as % of the target's state budget revenue",
        _share_of(_budget, _remittances_total),
        _years_of("remittances_received", partner="world"), REMITTANCE_NOTE),
    "remittances_share_of_gdp": Metric(
        "pct", "remittances from the sender as % of the target's GDP",
        _share_of(_gdp, _remittances), _years_of("remittances_received")),
    "remittances_total_share_of_gdp": Metric(
        "pct", "all remittances the target receives (every sender) as % of its GDP",
        _share_of(_gdp, _remittances_total),
        _years_of("remittances_received", partner="world")),
    "exports_to_sender": Metric("USD", "the target's goods exports to the sender",
                                _trade(True), _flow_years),
    "imports_from_sender": Metric("USD", "the target's goods imports from the sender",
                                  _trade(False), _flow_years),
    "asset_status": Metric("flag", "whether the asset operates (1) or not (0)",
                           _asset("asset_status"), _years_of("asset_status")),
    "asset_throughput": Metric("Mt", "oil or freight carried by the asset in the year",
                               _asset("pipeline_throughput"), _years_of("pipeline_throughput")),
    "trade_turnover": Metric("USD", "goods trade between the target and the sender, both ways",
                             _turnover, _flow_years),
    "exports_to_sender_share": Metric(
        "pct", "share of the target's goods exports that go to the sender", _export_share,
        _flow_years),
    "oil_exports": Metric("Mt", "the target's crude oil exports (all routes)", _oil_exports,
                          _years_of("oil_exports", partner=None)),
    "budget_revenue": Metric("USD", "the target's state budget revenue",
                             _target_indicator("budget_revenue", "USD"),
                             _years_of("budget_revenue", partner=None)),
    "imports_from_sender_share": Metric(
        "pct", "share of the target's goods imports that come from the sender", _import_share,
        _flow_years),
    "trade_share_of_target": Metric(
        "pct", "the pair's trade as % of the target's total goods trade",
        _trade_share_of("target"), _flow_years),
    "sender_trade_share": Metric(
        "pct", "the pair's trade as % of the sender's total goods trade",
        _trade_share_of("sender"), _flow_years),
    "target_trade_total": Metric("USD", "the target's total goods trade (exports + imports)",
                                 _totals("trade"), _world_years),
    "target_exports_total": Metric("USD", "the target's total goods exports",
                                   _totals("exports"), _world_years),
    "target_imports_total": Metric("USD", "the target's total goods imports",
                                   _totals("imports"), _world_years),
    "remittances_sender_share": Metric(
        "pct", "the sender's share of all remittances the target receives", _remittance_share,
        _years_of("remittances_received")),
    "asset_capacity": Metric("Mt", "the asset's capacity per year", _capacity,
                             _years_of("pipeline_capacity")),
    "asset_share_of_oil_exports": Metric(
        "pct", "the asset's throughput as % of the target's crude oil exports", _asset_share,
        _years_of("pipeline_throughput")),
    "partner_rank": Metric(
        "rank", "the sender's rank among the target's partners (1 = largest) by goods "
        "exports, imports or both (IMF DOTS totals)", _partner_rank, _rank_years),
    "partner_ratio": Metric(
        "ratio", "one partner's goods flow with the country over another's (exports, imports "
        "or both; IMF DOTS totals, or the two bilateral flows of a product)", _partner_ratio,
        _ratio_years, strict=True),
    "lever_asymmetry": Metric(
        "ratio", "the lever's target loss / sender cost, each as % of own GDP (model median)",
        model_view.lever_asymmetry, _case_year, model=True),
    "lever_substitution_1y": Metric(
        "pct", "the share of the cut flow the target replaces within a year (model median)",
        model_view.lever_substitution, _case_year, model=True),
    "lever_rerouted_1y": Metric(
        "pct", "the share of the freight the lever cuts that other routes carry within the "
        "year (model; it has no time to find or build new routes)", model_view.lever_rerouted,
        _case_year, model=True),
    "lever_target_loss": Metric(
        "pct", "the target's loss from the lever as % of its GDP (model median; 0 when the "
        "lever cannot be pulled)", model_view.lever_target_loss, _case_year, model=True),
    "lever_any_leverage": Metric(
        "pct", "the largest target damage (% of the target's GDP, model medians) of a lever, "
        "or of all feasible levers together, whose leverage verdict is 'weak leverage' or "
        "stronger; 0 when none has leverage (reference/verdict_scales.yaml)",
        model_view.lever_any_leverage, _case_year, model=True),
}
#: The metric's name before the verdict scales (issue 19), still accepted in scenario files.
CLAIM_METRICS["lever_any_effective"] = CLAIM_METRICS["lever_any_leverage"]


#: Currencies a money claim may be stated in (geolever.claims.numbers): judged against the
#: US$ figure at the year's rate from the store.
CLAIM_CURRENCIES = ("EUR", "AZN", "RUB", "AUD")


def numeric_verdict(claimed: float, computed: float, comparison: str = "about",
                    high: float | None = None) -> str:
    """Verdict for one year by the thresholds in the module docstring.

    A range (``comparison="between"``, ``claimed`` to ``high``) is accurate when the computed
    value lies in it, and is otherwise judged against its nearer end.
    """
    if comparison == "between" and high is not None:
        if claimed <= computed <= high:
            return "accurate"
        return numeric_verdict(high if computed > high else claimed, computed)
    if comparison == "at least" and computed >= claimed:
        return "accurate"
    if comparison == "at most" and computed <= claimed:
        return "accurate"
    if claimed == 0 or computed == 0:
        return "accurate" if claimed == computed else "false"
    ratio = computed / claimed
    off = abs(ratio - 1)
    if off <= ACCURATE_WITHIN:
        return "accurate"
    if off <= ROUGHLY_WITHIN:
        return "roughly right"
    if 1 / MISLEADING_FACTOR <= ratio <= MISLEADING_FACTOR:
        return "misleading"
    return "false"


@dataclass
class YearCheck:
    """The check of a claim against one year's data."""

    year: int
    computed: float | None
    ratio: float | None
    verdict: str
    sources: list[Quantity]
    note: str = ""


@dataclass
class ClaimResult:
    """A claim with its per-year checks and the headline verdict."""

    spec: ClaimSpec
    checks: list[YearCheck]
    verdict: str
    year: int | None
    explanation: str
    sources: list[dict[str, Any]] = field(default_factory=list)

    def headline(self) -> YearCheck | None:
        """Return the check for the headline year (latest year with data)."""
        return next((c for c in self.checks if c.year == self.year), None)

    def to_dict(self) -> dict[str, Any]:
        """Return the claim entry of result.json."""
        head = self.headline()
        return {
            "text": self.spec.text, "indicator": self.spec.metric, "unit": self.spec.unit,
            "year": self.year, "claimed": self.spec.claimed,
            "computed": None if head is None else head.computed,
            "verdict": self.verdict, "explanation": self.explanation,
            "sources": self.sources,
            "by_year": [{"year": c.year, "computed": c.computed, "ratio": c.ratio,
                         "verdict": c.verdict, "note": c.note,
                         "sources": [q.cite() for q in c.sources],
                         # the facts' own caveats (e.g. "treat as outlier") reach the report
                         "fact_notes": list(dict.fromkeys(q.note for q in c.sources
                                                          if q.note))} for c in self.checks],
        }


def _format(value: float | None, unit: str) -> str:
    """:func:`format_amount`, remembered: a long text shows the same figures many times."""
    if not value:  # 0, -0.0 and None compare equal as keys but are not written alike
        return format_amount(value, unit)
    return _format_cached(type(value).__name__, value, unit)


@lru_cache(maxsize=8192)
def _format_cached(_: str, value: float, unit: str) -> str:
    return format_amount(value, unit)


def _figure(q: Quantity) -> str:
    period = "" if q.period in ("FY", "point") else f" {q.period}"
    return (f"{q.label} {q.year}{period}: {_format(q.value, q.unit)} ({q.quality}"
            + (", annualised" if q.annualised else "") + f"; {q.source})")


def used_and_passed_over(head: YearCheck, with_data: list[YearCheck]) -> str:
    """Say which figures decided the headline and which were passed over, and why."""
    # each figure once: a model run over several levers reads the same pack fact for each
    used = "; ".join(dict.fromkeys(_figure(q) for q in head.sources))
    passed = list(dict.fromkeys(f"{_figure(a)} (ranked lower by the store's rule)"
                                for q in head.sources for a in q.alternatives))
    passed += [f"{c.year} ({'annualised from a partial period' if c.note else 'other year'})"
               for c in with_data if c is not head and c.year > head.year]
    return f"Used: {used}." + (f" Passed over: {'; '.join(passed)}." if passed else "")


def _computed(metric: Metric, case: Case, year: int,
              spec: ClaimSpec) -> tuple[float, list[Quantity]]:
    """``metric.compute(case, year, spec)``, remembered by a case that remembers.

    The computed side of a claim depends on the metric, the pair, the year and what the claim
    is about (product, asset, partial period, flow, lever), never on the claimed value: a
    long text asking the same question with other numbers ("trade was $4bn in 2023", later
    "$4.4bn in 2023") computes it once. Model-judged metrics are remembered by
    :mod:`~geolever.claims.model_view` itself and are not cached here.
    """
    remember = getattr(case, "remember", None)
    if remember is None or metric.model:
        return metric.compute(case, year, spec)
    key = ("claim_compute", spec.metric, spec.unit, case.sender, case.target, case.year,
           case.allow_earlier_year, year, spec.asset, spec.product, spec.period, spec.flow,
           None if spec.lever is None else repr(sorted(spec.lever.items())))
    computed: tuple[float, list[Quantity]] = remember(
        key, lambda: metric.compute(case, year, spec))
    return computed[0], list(computed[1])


def evaluate_claim(spec: ClaimSpec, case: Case, *,
                   headline: Literal["latest", "latest_full", "all", "past"] = "latest",
                   assessment: Any = None) -> ClaimResult:
    """Check ``spec`` against the case's data for every year it covers.

    The headline verdict is that of the latest year with data (``headline="latest"``), of
    the latest year whose values are all full-year, not annualised (``"latest_full"``, used
    for claims that state no period; falls back to the latest), or the worst of all years
    (``"all"``: a claim about a span, "has not operated for years"), or the latest year that
    meets the claim (``"past"``: an unspecified past period, "historically more than 30
    percent"; the latest year when none does); a category error (see
    :data:`REMITTANCE_NOTE`) caps it at ``misleading``. A claim about another pair than the
    case's (``country``/``partner``) is computed for that pair from the same store; one about
    a partial period (``period``) is compared with a figure for that period only.

    ``assessment`` is the run's finished :class:`~geolever.assessment.CaseAssessment`: a
    claim about one of its levers is judged on that lever's own numbers and draws (see
    :mod:`geolever.claims.model_view`).
    """
    with model_view.use_assessment(assessment):
        result = _evaluate(spec, case, headline)
        return _earlier_model_year(result, spec, case, headline)


#: How many years before the model year a lever claim may be judged on, when the model has
#: no data for that year (the latest WDI or DOTS year is often a year or two behind).
MODEL_YEARS_BACK = 3


def _earlier_model_year(result: ClaimResult, spec: ClaimSpec, case: Case,
                        headline: Literal["latest", "latest_full", "all", "past"]
                        ) -> ClaimResult:
    """Judge a lever claim with no data for its one model year on the latest earlier year.

    The same rule as a data claim's headline (the latest year with data), for a model run
    that can only be made for one year at a time; the explanation says which year was used.
    """
    metric = CLAIM_METRICS.get(spec.metric)
    if result.verdict != "unverifiable" or metric is None or not metric.model or \
            not spec.years or len(spec.years) != 1:
        return result
    year = spec.years[0]
    for earlier in range(year - 1, year - 1 - MODEL_YEARS_BACK, -1):
        found = _evaluate(spec.model_copy(update={"years": [earlier]}), case, headline)
        if found.verdict != "unverifiable":
            return replace(found, explanation=f"{found.explanation} The model has no data "
                           f"for {year}: judged on {earlier}, the latest earlier year with "
                           f"data.")
    return result


def _years_text(years: list[int]) -> str:
    """Years as spans: [2012, 2013, 2014, 2017] -> "2012-2014, 2017"."""
    spans: list[list[int]] = []
    for y in sorted(set(years)):
        if spans and y == spans[-1][1] + 1:
            spans[-1][1] = y
        else:
            spans.append([y, y])
    return ", ".join(f"{a}-{b}" if b > a else str(a) for a, b in spans)


def _pair_text(case: Case) -> str:
    """Return the pair a claim is about as the explanation names it ("Russia -> Azerbaijan").

    One country's own figure (Russia's total exports, read from a text about Russia and
    Azerbaijan) names that country alone, not "Russian Federation -> Russian Federation".
    """
    if case.sender == case.target:
        return country_name(case.target)
    return f"{country_name(case.sender)} -> {country_name(case.target)}"


def _evaluate(spec: ClaimSpec, case: Case,
              headline: Literal["latest", "latest_full", "all", "past"]) -> ClaimResult:
    if spec.country or spec.partner:
        case = replace(case, target=spec.country or case.target,
                       sender=spec.partner or case.sender)
    if spec.metric not in CLAIM_METRICS:
        raise UnknownCodeError(
            f"unknown claim metric {spec.metric!r}", field="metric",
            fix=f"use one of: {', '.join(CLAIM_METRICS)}",
        )
    metric = CLAIM_METRICS[spec.metric]
    currency = spec.unit if metric.unit == "USD" and spec.unit in CLAIM_CURRENCIES else None
    if spec.unit != metric.unit and currency is None:
        raise UnknownCodeError(
            f"metric {spec.metric} is measured in {metric.unit}, the claim gives {spec.unit}",
            field="unit", fix=f"state the claimed value in {metric.unit}",
        )
    years = spec.years or metric.years(case, spec)
    checks = []
    for year in sorted(set(years)):
        try:
            value, used = _computed(metric, case, year, spec)
        except DataNotFoundError as err:
            checks.append(YearCheck(year, None, None, "unverifiable", [], err.message))
            continue
        if currency is not None:
            rate = case.fx_per_usd(year).get(currency)
            if rate is None:
                checks.append(YearCheck(year, None, None, "unverifiable", [],
                                        f"no {currency} per US$ rate for {year} in the store "
                                        f"to compare the claim in {currency} with the US$ "
                                        f"figure ({_format(value, 'USD')})"))
                continue
            value *= rate
        if spec.period and used and used[0].period != spec.period and is_fiscal(spec.period):
            # a July-June or April-March year is not a calendar year, for a share too: the
            # calendar year's figure is shown, not judged
            span = "the calendar year" if used[0].period == "FY" else used[0].period
            checks.append(YearCheck(year, None, None, "unverifiable", [],
                                    f"a {spec.period} is not a calendar year: the store's "
                                    f"{year} figure ({_format(value, metric.unit)}) is for "
                                    f"{span}, and it has none for the fiscal year"))
            continue
        if spec.period and used and used[0].period != spec.period and metric.unit != "pct":
            checks.append(YearCheck(year, None, None, "unverifiable", [],
                                    f"no {spec.period} {year} figure (only {used[0].period})"))
            continue
        if spec.period and used and used[0].annualised and metric.unit != "pct":
            value = value * PERIOD_MONTHS[spec.period] / 12.0  # back to the stated period
            used = [Quantity(**{**used[0].__dict__, "value": value, "annualised": False,
                                "label": f"{used[0].label} ({spec.period})"}), *used[1:]]
        verdict = numeric_verdict(spec.claimed, value, spec.comparison, spec.high)
        if metric.unit == "rank" and verdict != "accurate":
            verdict = "false"  # a rank is right or wrong: second is not "roughly" first
        elif metric.unit == "rank" and spec.comparison == "about" and value != spec.claimed:
            verdict = "false"
        if metric.model and spec.comparison in ("at least", "at most") and \
                verdict != "accurate":
            verdict = "false"  # "hits hard" is a threshold: met or not, never "roughly"
        if metric.strict and spec.comparison in ("at least", "at most"):
            # "Russia buys more than Turkey": a ratio of 0.95 is not "more"
            met = value > spec.claimed if spec.comparison == "at least" else \
                value < spec.claimed
            verdict = "accurate" if met else "false"
        annualised = [q for q in (used[:1] if metric.model else used) if q.annualised]
        note = ("; ".join(f"{q.label} annualised from {q.period}" for q in annualised))
        checks.append(YearCheck(year, value, value / spec.claimed if spec.claimed else None,
                                verdict, used, note))
    with_data = [c for c in checks if c.computed is not None]
    if not with_data:
        why = list(dict.fromkeys(c.note for c in checks if c.note))
        return ClaimResult(spec, checks, "unverifiable", None,
                           f"No data to compute {metric.describe} for "
                           f"{', '.join(str(c.year) for c in checks) or 'any year'}."
                           + (f" ({'; '.join(why[:3])})" if why else ""))
    head = with_data[-1]
    if headline == "latest_full":
        head = next((c for c in reversed(with_data) if not c.note), head)
    if headline == "all":
        head = next((c for c in reversed(with_data) if c.verdict != "accurate"), head)
    years_met = [c.year for c in with_data if c.verdict == "accurate"]
    if headline == "past":
        head = next((c for c in reversed(with_data) if c.verdict == "accurate"), head)
    verdict = head.verdict
    if metric.category_note and verdict in ("accurate", "roughly right"):
        verdict = "misleading"
    per_year = "; ".join(f"{c.year}: {_format(c.computed, metric.unit)}"
                         + (" (annualised)" if c.note else "")
                         for c in with_data if c.computed is not None)
    assert head.computed is not None
    explanation = (
        f"Claimed {_format(spec.claimed, metric.unit)} for {metric.describe} "
        f"({_pair_text(case)}); the data give "
        f"{per_year}. In {head.year} the claim is {head.verdict}"
        + (f" (computed/claimed = {head.ratio:.2f})." if head.ratio is not None else ".")
    )
    if headline == "past":
        explanation += (f" A claim about an unspecified past period: it holds in "
                        f"{len(years_met)} of {len(with_data)} years with data"
                        + (f" ({_years_text(years_met)})." if years_met else "."))
    if metric.category_note:
        explanation += " " + metric.category_note
    explanation += " " + used_and_passed_over(head, with_data)
    seen: dict[str, dict[str, Any]] = {}
    for c in with_data:
        for q in c.sources:
            seen.setdefault(q.cite() + q.label, q.to_dict())
    return ClaimResult(spec, checks, verdict, head.year, explanation, list(seen.values()))
