"""Sourced bilateral flows and partner shares that flow-cut shocks are built from.

Lever kinds call these helpers when they compile into a :class:`FlowCut`; the helpers
know the case's data but nothing about lever names or how effects are modelled.
"""

from __future__ import annotations

from dataclasses import replace

from geolever.core.errors import DataNotFoundError
from geolever.core.facts import product_table
from geolever.core.goods import product_info
from geolever.core.quantity import Quantity
from geolever.core.units import annualise
from geolever.shocks.types import CutFlow
from geolever.world import Case
from geolever.world.facts import same_period_value

#: Definitions of bilateral remittances, preferred first: by-country money-transfer data
#: are the only series with a country split; the others are used when it is missing.
REMITTANCE_MEASURES = ("money_transfer_systems", "bop_personal_remittances",
                       "remittance_inflows_unspecified", "", "knomad_bilateral_estimate")


def _group_items(product: str) -> list[str]:
    table = product_table()
    return [k for k, r in table.items() if r["group"] == product and k != product]


def _item_flows(case: Case, exporter: str, importer: str, product: str,
                year: int | None) -> dict[str, Quantity]:
    """Item-level flows of a product group that have data (empty if none)."""
    found = {}
    for item in _group_items(product):
        try:
            found[item] = case.bilateral(exporter, importer, item, year=year)
        except DataNotFoundError:
            continue
    return found


def bilateral_flow(case: Case, exporter: str, importer: str, product: str,
                   year: int | None = None) -> Quantity:
    """Return the goods flow exporter -> importer of ``product`` (US$/yr) with sources.

    A product group without a group-level value is the sum of its items that have data,
    labelled as a lower bound.
    """
    try:
        return case.bilateral(exporter, importer, product, year=year)
    except DataNotFoundError as err:
        found = _item_flows(case, exporter, importer, product, year)
        if not found:
            raise err from None
        first = next(iter(found.values()))
        return Quantity(
            value=sum(q.value for q in found.values()),
            unit="USD",
            year=first.year,
            label=f"exports of {product} from {exporter} to {importer} (sum of "
            f"{', '.join(found)}; a lower bound: items without data are missing)",
            source="; ".join(sorted({q.source for q in found.values()})),
            quality="derived",
            annualised=any(q.annualised for q in found.values()),
            note="sum of item-level values: " + ", ".join(found),
        )


def _total(case: Case, indicator: str, country: str, product: str,
           year: int | None) -> Quantity | None:
    try:
        return case.quantity(indicator, country, partner="WLD", product=product, year=year,
                             unit="USD", allow_partial=True)
    except DataNotFoundError:
        return None


def _share(case: Case, part: Quantity, indicator: str, country: str, product: str,
           partner: str, year: int | None) -> Quantity | None:
    """Part / the country's world total of the product, as a share (None if no total).

    For a group summed from items, the share is over the items whose world total is
    known (items without one are left out of both sums).
    """
    total = _total(case, indicator, country, product, year)
    numerator = part.value
    if total is None and part.note.startswith("sum of item-level values"):
        origin, dest = (country, partner) if indicator == "exports" else (partner, country)
        items = _item_flows(case, origin, dest, product, year)
        totals = {i: _total(case, indicator, country, i, year) for i in items}
        known = {i: t for i, t in totals.items() if t is not None}
        if known:
            numerator = sum(items[i].value for i in known)
            total = Quantity(value=sum(t.value for t in known.values()), unit="USD",
                             year=part.year, label=f"{indicator} of {', '.join(known)}",
                             source="; ".join(sorted({t.source for t in known.values()})),
                             quality="derived")
    if total is None or total.value <= 0:
        return None
    return replace(
        part,
        value=min(1.0, numerator / total.value),
        unit="share",
        label=f"share of {part.label} in {country}'s total {indicator} of {product}",
        source=f"{part.source}; {total.source}",
        quality="derived",
        note=f"{numerator / 1e6:,.1f}m / {total.value / 1e6:,.1f}m US$",
        alternatives=(),
    )


def trade_links(case: Case, direction: str) -> list[tuple[str, str]]:
    """Return the (exporter, importer) links a restriction cuts in ``direction``.

    ``imports`` stops what the sender buys from the target, ``exports`` what it sells to
    it, ``both`` both.
    """
    links: list[tuple[str, str]] = []
    if direction in ("imports", "both"):
        links.append((case.target, case.sender))
    if direction in ("exports", "both"):
        links.append((case.sender, case.target))
    return links


def goods_flows(case: Case, goods: list[str], direction: str, tariff_pct: float | None,
                year: int | None) -> list[CutFlow]:
    """Return the sourced goods flows a restriction cuts, with both sides' partner shares.

    Parameters
    ----------
    case
        The case (sender, target, year, data).
    goods
        Product codes (already resolved).
    direction
        ``imports``, ``exports`` or ``both``, seen from the sender.
    tariff_pct
        Ad-valorem tariff in % (None: an embargo, the whole flow is cut).
    year
        Year of the flows (None: the case year).

    Raises
    ------
    DataNotFoundError
        If no flow of any of the goods and directions has data.
    """
    flows = []
    missing = []
    fixes: list[str] = []
    for exporter, importer in trade_links(case, direction):
        for product in goods:
            try:
                value = bilateral_flow(case, exporter, importer, product, year)
            except DataNotFoundError as err:
                missing.append(f"{exporter}->{importer} {product}: {err.message}")
                fixes.extend([err.fix] if err.fix and err.fix not in fixes else [])
                continue
            flows.append(
                CutFlow(
                    channel="goods",
                    origin=exporter,
                    destination=importer,
                    product=product,
                    value=value,
                    cut_share=1.0 if tariff_pct is None else None,
                    tariff=None if tariff_pct is None else tariff_pct / 100,
                    market=(product_info(product) or {}).get("market", "specific"),
                    origin_share=_share(case, value, "exports", exporter, product, importer,
                                        year),
                    destination_share=_share(case, value, "imports", importer, product,
                                             exporter, year),
                )
            )
    if not flows:
        raise DataNotFoundError(
            "no trade data for any of the goods and directions asked: " + "; ".join(missing),
            field="goods",
            fix="; ".join(fixes) or "choose goods with data for this year (geolever data "
            "show exports) or import sourced trade facts",
        )
    return flows


def remittance_share(case: Case, part: Quantity) -> Quantity | None:
    """Share of the sender in the target's remittances (same year, period and definition)."""
    total = same_period_value(case, "remittances_received", case.target, partner="WLD",
                              year=part.year, period=part.period, measure=part.measure)
    if total is None:
        return None
    return replace(part, value=min(1.0, part.value / annualise(total, part.period)),
                   unit="share", quality="derived", alternatives=(),
                   label=f"share of {case.sender} in {case.target}'s remittances received",
                   note=f"{part.value / 1e6:,.1f}m of {annualise(total, part.period) / 1e6:,.1f}"
                   "m US$ (same period and definition)")
