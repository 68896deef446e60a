"""Quantities answered from the standard datasets in the store, for any pair and year.

A :class:`~geolever.world.case.Case` asks its questions (``exports`` of a product from
one country to another, ``gdp``, ``budget_revenue`` ...) of the store's facts first: the
case pack's sourced figures and imported fact datasets (WDI, KNOMAD). What the facts do not
hold is answered here from the bulk tables, with DuckDB queries that read only the rows
asked for:

* goods trade by product: ``trade_flows`` (CEPII BACI, UN Comtrade), HS 6-digit rows summed
  to whatever the product names (a named product's HS codes, an HS chapter, heading or
  subheading); a dataset that covers the product but lists no flow for the pair answers 0
  (BACI lists only positive flows);
* goods trade totals: ``trade_totals`` (IMF DOTS), as the reporter reports them (``exports``
  FOB, ``imports`` CIF); world exports are the sum of every reporter's exports;
* groups (``EU27``, ``G7``, ``USA+GBR``): the sum over their members, listing the members
  without data, with each member's part kept (``Quantity.by_member``); as the country
  (a coalition's GDP) every member must have a value; as the partner of a bilateral
  fact (remittances received by UKR from USA+GBR+DEU) the members the bilateral dataset
  lists are summed and the others named (bilateral matrices such as KNOMAD's list no
  zero corridors);
* ``budget_revenue``: WDI revenue (or tax revenue) as a share of GDP times GDP.

Coverage rule for product extracts: a dataset with rows in at least
:data:`FULL_DATASET_CHAPTERS` HS chapters in a year is taken as complete; a smaller extract
(e.g. BACI for crude oil only) answers only for products named at heading or subheading
level whose headings all appear in it (it is taken to hold every code of those headings).
A chapter-level product (``27``, ``food``) needs a complete dataset: an extract never
stands in for a whole chapter.

Every answer is a :class:`~geolever.core.quantity.Quantity` whose source names the dataset
(with its release, e.g. ``baci:HS92:V202401b:2021``) and the year; a question no dataset
answers raises :class:`~geolever.core.errors.DataNotFoundError` naming the missing item and
the ``geolever data import`` command that supplies it (``reference/dataset_imports.csv``).
"""

from __future__ import annotations

import contextlib
import csv
from functools import cache
from importlib import resources
from itertools import count
from typing import Any

import duckdb

from geolever.core.countries import country_name, group_members
from geolever.core.errors import DataNotFoundError
from geolever.core.goods import hs_prefixes, product_info
from geolever.core.quantity import Quantity
from geolever.store import FactStore
from geolever.store.bulk import flow_coverage, readable_schema
from geolever.store.totals import ensure_totals_schema

#: HS chapters a dataset must cover in a year to count as complete (97 exist; 77 is reserved).
FULL_DATASET_CHAPTERS = 90

#: Indicators answered from facts, summed over a group's members.
_SUMMABLE = ("gdp", "household_consumption", "exports_goods_services", "budget_revenue")


@cache
def _imports_table() -> list[dict[str, str]]:
    text = resources.files("geolever.reference").joinpath("dataset_imports.csv").read_text(
        "utf-8")
    return list(csv.DictReader(text.splitlines()))


def import_hint(indicator: str, *, partner: str = "", product: str = "") -> str:
    """Return the dataset and ``geolever data import`` command that supply an indicator."""
    scope = ("total" if product in ("", "TOTAL") else "product") if indicator in (
        "exports", "imports") else ("partner" if partner and partner != "WLD" else "total")
    rows = [r for r in _imports_table() if r["indicator"] == indicator
            and r["scope"] in ("", scope)]
    if not rows:
        return "add a sourced fact to a case pack (geolever pack init) or geolever data import"
    r = rows[0]
    return f"import {r['dataset']}: {r['command']} ({r['note']})"


def _missing(what: str, indicator: str, year: int, **keys: str) -> DataNotFoundError:
    return DataNotFoundError(f"no {what} for {year} in the store", field=indicator,
                             fix=import_hint(indicator, **keys))


#: Focus tables kept per DuckDB connection (the oldest are dropped beyond this many).
_FOCUS_TABLES_KEPT = 8
_focus_cache: dict[int, dict[tuple[object, ...], str]] = {}
_focus_names = count()


def _focus_table(store: FactStore, year: int, countries: frozenset[str]) -> str:
    """Return a temporary table of the year's flows with a focus country on either side.

    A full BACI year holds about 10 million rows; a pair's own rows are about 1-2% of
    them. Product questions about the pair (bilateral flows, each side's world exports and
    imports of a good) then scan those rows only. The table is shared by the cases of the
    same connection, countries and year, and rebuilt when the flow datasets change (it is
    keyed by what ``flow_datasets`` lists); at most :data:`_FOCUS_TABLES_KEPT` are kept.
    """
    con = store.con
    stamp = tuple(con.execute("SELECT name, rows, loaded_at FROM flow_datasets "
                              "ORDER BY name").fetchall())
    key = (year, tuple(sorted(countries)), stamp)
    tables = _focus_cache.setdefault(id(con), {})
    if key in tables:
        try:
            con.execute(f"SELECT 1 FROM {tables[key]} LIMIT 0").fetchall()
            return tables[key]
        except duckdb.Error:  # the connection was closed and its id reused
            tables.clear()
    name = f"_gl_focus_{next(_focus_names)}"
    con.execute(
        f"CREATE OR REPLACE TEMP TABLE {name} AS SELECT exporter, importer, year, hs6, "
        "value_usd, "
        "flow_basis, dataset FROM trade_flows WHERE year = ? AND (exporter IN "
        "(SELECT unnest(?)) OR importer IN (SELECT unnest(?)))",
        [year, sorted(countries), sorted(countries)]).fetchall()
    tables[key] = name
    while len(tables) > _FOCUS_TABLES_KEPT:
        oldest = next(iter(tables))
        with contextlib.suppress(duckdb.Error):
            con.execute(f"DROP TABLE IF EXISTS {tables.pop(oldest)}").fetchall()
    return name


def _first(rows: list[tuple[Any, ...]]) -> tuple[Any, ...] | None:
    """Return the first row of a fetched result, or None."""
    return rows[0] if rows else None


def _members(code: str) -> tuple[str, ...]:
    return group_members(code) if code not in ("WLD", "") else ()


class StoreDatasets:
    """Answer quantities from the store's bulk datasets (see the module docstring).

    Parameters
    ----------
    store
        The fact store whose DuckDB database holds ``trade_flows`` and ``trade_totals``.
    """

    def __init__(self, store: FactStore, focus: tuple[str, ...] = ()):
        self.store = store
        readable_schema(store)  # never writes the store: missing tables read as empty
        ensure_totals_schema(store)
        self._coverage: dict[int, list[tuple[str, str, str, int, frozenset[str]]]] = {}
        #: Countries the case asks about most (the pair's members): their flows of a year
        #: are read once into a temporary table, so that each product question scans
        #: only their rows instead of the whole year (see :func:`_focus_table`).
        self.focus = frozenset(m for c in focus for m in group_members(c))
        self._focus_tables: dict[int, str] = {}
        #: Years of the goods-trade totals by (flow, reporter), and the years of the flows:
        #: read once (a text check asks for some 140 totals and year lists, 1-3 ms each).
        self._report_years: dict[tuple[str, str], set[int]] | None = None
        self._flow_years: list[int] | None = None

    def _reported(self, flow: str, reporters: tuple[str, ...]) -> set[int]:
        """Years with a ``trade_totals`` row of ``flow`` by one of ``reporters`` (() = any)."""
        if self._report_years is None:
            self._report_years = {}
            for f, reporter, y in self.store.con.execute(
                    "SELECT DISTINCT flow, reporter, year FROM trade_totals").fetchall():
                self._report_years.setdefault((str(f), str(reporter)), set()).add(int(y))
        return set().union(*(ys for (f, r), ys in self._report_years.items()
                             if f == flow and (not reporters or r in reporters)))

    # ---------------------------------------------------------------- public
    def quantity(self, indicator: str, country: str, year: int, *, partner: str = "",
                 product: str = "", label: str | None = None) -> Quantity:
        """Return one value from the datasets (see the module docstring).

        Raises
        ------
        DataNotFoundError
            Naming the missing item and the import command that would supply it.
        """
        text = label or " ".join(x for x in (indicator.replace("_", " "), country,
                                             f"from/to {partner}" if partner else "",
                                             product) if x)
        if indicator in ("exports", "imports"):
            if product in ("", "TOTAL"):
                return self._total(indicator, country, partner or "WLD", year, text)
            return self._by_product(indicator, country, partner or "WLD", product, year, text)
        if indicator == "budget_revenue" and len(group_members(country)) == 1:
            return self._revenue(country, year, text)
        if indicator in _SUMMABLE and len(group_members(country)) > 1:
            return self._group_sum(indicator, country, year, text)
        if partner and len(_members(partner)) > 1 and len(group_members(country)) == 1:
            return self._partner_group_sum(indicator, country, partner, year, text)
        raise _missing(f"{indicator.replace('_', ' ')} of {country}", indicator, year,
                       partner=partner, product=product)

    def years(self, indicator: str, country: str, *, partner: str = "",
              product: str = "") -> list[int]:
        """Years for which :meth:`quantity` can answer (trade indicators only; else [])."""
        con = self.store.con
        if indicator not in ("exports", "imports"):
            return []
        if product in ("", "TOTAL"):
            return sorted(self._reported(indicator, _members(country)))
        if self._flow_years is None:
            self._flow_years = [int(r[0]) for r in con.execute(
                "SELECT DISTINCT year FROM trade_flows ORDER BY 1").fetchall()]
        return [y for y in self._flow_years if self._datasets_for(product, y)]

    def latest_total_year(self, up_to: int) -> int | None:
        """Latest year not after ``up_to`` with goods-trade totals (DOTS), or None."""
        # fetchall, not fetchone: a half-read result makes DuckDB refuse a later register()
        row = _first(self.store.con.execute(
            "SELECT max(year) FROM trade_totals WHERE year <= ?", [up_to]).fetchall())
        return None if row is None or row[0] is None else int(row[0])

    def top_partners(self, country: str, year: int, *, n: int = 5,
                     exclude: tuple[str, ...] = ()) -> list[str]:
        """Return the ``n`` largest goods-trade partners of ``country`` (exports + imports)."""
        skip = [*exclude, *[m for e in exclude for m in group_members(e)], "WLD"]
        rows = self.store.con.execute(
            "SELECT partner FROM trade_totals WHERE reporter IN (SELECT unnest(?)) "
            "AND year = ? AND partner NOT IN (SELECT unnest(?)) "
            "AND partner NOT IN (SELECT unnest(?)) GROUP BY partner "
            "ORDER BY sum(value_usd) DESC, partner LIMIT ?",
            [list(group_members(country)), year, skip, list(group_members(country)), n],
        ).fetchall()
        return [str(r[0]) for r in rows]

    def partner_ranking(self, country: str, year: int,
                        flow: str) -> list[tuple[str, float, bool, str, str]]:
        """Partners of ``country`` by goods trade in ``year`` (DOTS, as it reports), largest first.

        Parameters
        ----------
        country
            ISO3 code of the reporter.
        flow
            ``exports`` (its buyers), ``imports`` (its suppliers) or ``trade`` (both, summed).

        Returns
        -------
        list of (partner ISO3, US$, estimated, source, citation)
            Every partner with a value, ``WLD`` left out; empty when the year has no report.
        """
        flows = ["exports", "imports"] if flow == "trade" else [flow]
        rows = self.store.con.execute(
            "SELECT partner, sum(value_usd), bool_or(estimated), any_value(source), "
            "any_value(citation) FROM trade_totals WHERE reporter = ? AND year = ? "
            "AND flow IN (SELECT unnest(?)) AND partner NOT IN ('WLD', reporter) "
            "AND dataset = (SELECT max(dataset) FROM trade_totals WHERE reporter = ? "
            "AND year = ?) GROUP BY partner ORDER BY 2 DESC, partner",
            [country, year, flows, country, year]).fetchall()
        return [(str(r[0]), float(r[1]), bool(r[2]), str(r[3]), str(r[4])) for r in rows]

    # -------------------------------------------------------------- totals
    def _total(self, indicator: str, country: str, partner: str, year: int,
               label: str) -> Quantity:
        reporters, partners = _members(country), _members(partner)
        filters = ["flow = ?", "year = ?"]
        params: list[object] = [indicator, year]
        if reporters:
            filters.append("reporter IN (SELECT unnest(?))")
            params.append(list(reporters))
        if partners:
            filters.append("partner IN (SELECT unnest(?)) AND partner <> reporter")
            params.append(list(partners))
        else:
            filters.append("partner = 'WLD'")
        row = None if year not in self._reported(indicator, reporters) else _first(
            self.store.con.execute(
                "SELECT sum(value_usd), list(DISTINCT reporter), bool_or(estimated), "
                "string_agg(DISTINCT dataset, ', '), any_value(source), any_value(citation), "
                "count(*) FROM trade_totals WHERE " + " AND ".join(filters), params).fetchall())
        if row is None or not row[6]:
            raise _missing(f"{indicator} of goods of {country} "
                           f"{'to' if indicator == 'exports' else 'from'} {partner}",
                           indicator, year)
        value, found, estimated, datasets, source, citation, _ = row
        notes = []
        missing = sorted(set(reporters) - set(found)) if reporters else []
        if missing:
            notes.append(f"sum over the members that report; no {year} report for "
                         + ", ".join(missing))
        if estimated:
            notes.append("includes cells the IMF marks as estimates ('e')")
        basis = "FOB, as the exporter reports" if indicator == "exports" else \
            "CIF, as the importer reports"
        summed = len(reporters) > 1 or len(partners) > 1 or not reporters
        by_member: tuple[tuple[str, float], ...] = ()
        side = "reporter" if len(reporters) > 1 else "partner" if len(partners) > 1 else ""
        if side:  # a coalition's trade: keep each member's part (costs are shared by it)
            parts = self.store.con.execute(
                f"SELECT {side}, sum(value_usd) FROM trade_totals WHERE "
                + " AND ".join(filters) + f" GROUP BY {side} ORDER BY {side}",
                params).fetchall()
            by_member = tuple((str(m), float(v)) for m, v in parts)
        return Quantity(
            value=float(value), unit="USD", year=year, label=label,
            source=f"{source} ({datasets})", citation=str(citation),
            quality="derived" if summed or missing else ("estimate" if estimated
                                                          else "reported"),
            note="; ".join([f"goods {indicator} {basis}", *notes]),
            measure="dots_total", by_member=by_member)

    # ------------------------------------------------------------- products
    def _coverage_of(self, year: int) -> list[tuple[str, str, str, int, frozenset[str]]]:
        """(dataset, source, citation, chapters, headings) of every flow dataset of ``year``."""
        if year not in self._coverage:
            self._coverage[year] = flow_coverage(self.store, year)
        return self._coverage[year]

    def _flows_relation(self, year: int, countries: set[str]) -> str:
        """Return the table to read a product question from (the focus rows if they hold it)."""
        if not self.focus or not countries or not countries <= self.focus:
            return "trade_flows"
        if year not in self._focus_tables:
            self._focus_tables[year] = _focus_table(self.store, year, self.focus)
        return self._focus_tables[year]

    def _datasets_for(self, product: str, year: int) -> list[tuple[str, str, str]]:
        prefixes = hs_prefixes(product)
        out = []
        for dataset, source, citation, chapters, headings in self._coverage_of(year):
            if chapters >= FULL_DATASET_CHAPTERS or (
                    prefixes and all(len(p) >= 4 and p[:4] in headings for p in prefixes)):
                out.append((dataset, source, citation))
        return out

    def _by_product(self, indicator: str, country: str, partner: str, product: str,
                    year: int, label: str) -> Quantity:
        info = product_info(product)
        name = info["name"] if info else product
        covering = self._datasets_for(product, year)
        if not covering:
            raise _missing(f"trade data by product covering {product} ({name})", indicator,
                           year, product=product)
        dataset, source, citation = covering[0]
        prefixes = hs_prefixes(product)
        own, other = ("exporter", "importer") if indicator == "exports" else (
            "importer", "exporter")
        filters = ["dataset = ?", "year = ?",
                   "regexp_matches(hs6, ?)", f"{own} IN (SELECT unnest(?))",
                   f"{own} <> {other}"]
        params: list[object] = [dataset, year, "^(" + "|".join(prefixes) + ")",
                                list(group_members(country))]
        if partner != "WLD":
            filters.append(f"{other} IN (SELECT unnest(?))")
            params.append(list(group_members(partner)))
        # a coalition (on either side): each member's flows, to keep its part
        side = own if len(group_members(country)) > 1 else other if (
            partner != "WLD" and len(group_members(partner)) > 1) else ""
        side_parts = (f"list({side} ORDER BY {side}), list(value_usd ORDER BY {side})"
                      if side else "NULL, NULL")
        # every row a question reads has a focus country on its own side (exports of X,
        # imports of X): the focus rows hold them all
        relation = self._flows_relation(year, set(group_members(country)))
        row = _first(self.store.con.execute(
            f"""
            WITH ranked AS (
                SELECT exporter, importer, hs6, value_usd,
                    CASE flow_basis WHEN 'reconciled' THEN 0 WHEN 'import_report' THEN 1
                        ELSE 2 END AS pref
                FROM {relation} WHERE {" AND ".join(filters)}
            ), one AS (
                SELECT * FROM ranked
                QUALIFY pref = min(pref) OVER (PARTITION BY exporter, importer, hs6)
            )
            SELECT coalesce(sum(value_usd), 0), count(*),
                {side_parts}
            FROM one
            """, params).fetchall())
        value, n = (float(row[0]), int(row[1])) if row else (0.0, 0)
        by_member: dict[str, float] = {}
        if row is not None and row[2] is not None:  # a coalition: each member's part
            for member, part in zip(row[2], row[3], strict=True):
                by_member[str(member)] = by_member.get(str(member), 0.0) + float(part)
        note = (f"HS {' '.join(prefixes)} summed over {n} HS 6-digit flows"
                if n else f"{dataset} lists no flow of HS {' '.join(prefixes)} for this "
                "pair in this year (BACI lists only positive flows): zero")
        return Quantity(value=value, unit="USD", year=year, label=label,
                        source=f"{source} ({dataset})", citation=citation,
                        quality="derived", note=note, measure="hs6_sum",
                        by_member=tuple(by_member.items()))

    # ------------------------------------------------------------- derived
    def _revenue(self, country: str, year: int, label: str) -> Quantity:
        try:
            share = self.store.get("revenue_share_gdp", country, year,
                                   measures=["wdi_revenue_excl_grants", "wdi_tax_revenue"])
            gdp = self.store.get("gdp", country, year)
        except DataNotFoundError:
            raise _missing(f"government revenue of {country_name(country)}",
                           "budget_revenue", year) from None
        what = ("tax revenue only (WDI GC.TAX.TOTL.GD.ZS; revenue excluding grants not in "
                "the store)" if share.measure == "wdi_tax_revenue"
                else "general government revenue excluding grants")
        return Quantity(
            value=share.value / 100 * gdp.value, unit="USD", year=year, label=label,
            source=f"{share.source} x {gdp.source}", citation=share.citation,
            quality="derived", measure=share.measure,
            note=f"{what}: {share.value:.1f}% of GDP x GDP {gdp.value / 1e9:,.1f}bn US$")

    def _group_sum(self, indicator: str, group: str, year: int, label: str) -> Quantity:
        parts: list[Quantity] = []
        missing: list[str] = []
        for member in group_members(group):
            q: Quantity | None
            try:
                q = self.store.get(indicator, member, year)
            except DataNotFoundError:
                try:
                    q = self._revenue(member, year, label) if indicator == "budget_revenue" \
                        else None
                except DataNotFoundError:
                    q = None
            if q is None or q.unit != "USD":
                missing.append(member)
            else:
                parts.append(q)
        if missing:
            raise DataNotFoundError(
                f"no {indicator.replace('_', ' ')} for {year} of {', '.join(missing)} "
                f"(members of {group})", field=indicator, fix=import_hint(indicator))
        return Quantity(value=sum(q.value for q in parts), unit="USD", year=year, label=label,
                        source="; ".join(sorted({q.source for q in parts})),
                        citation=parts[0].citation, quality="derived",
                        note=f"sum over the {len(parts)} members of {group}",
                        by_member=tuple(zip(group_members(group), (q.value for q in parts),
                                            strict=True)))

    def _partner_group_sum(self, indicator: str, country: str, group: str, year: int,
                           label: str) -> Quantity:
        """Sum a bilateral fact over the members of the partner group (see module doc)."""
        parts: list[tuple[str, Quantity]] = []
        for member in group_members(group):
            try:
                parts.append((member, self.store.get(indicator, country, year,
                                                     partner=member)))
            except DataNotFoundError:
                continue
        parts = [(m, q) for m, q in parts
                 if (q.unit, q.period) == (parts[0][1].unit, parts[0][1].period)]
        if not parts:
            raise _missing(f"{indicator.replace('_', ' ')} of {country} from any member of "
                           f"{group}", indicator, year, partner=group)
        listed = {m for m, _ in parts}
        absent = [m for m in group_members(group) if m not in listed]
        note = f"sum over {len(parts)} of the {len(group_members(group))} members of {group}"
        if absent:
            note += ("; no bilateral value for " + ", ".join(absent)
                     + " (the dataset lists none: counted as nothing)")
        return Quantity(value=sum(q.value for _, q in parts), unit=parts[0][1].unit,
                        year=year, label=label,
                        source="; ".join(sorted({q.source for _, q in parts})),
                        citation=parts[0][1].citation, quality="derived", note=note,
                        period=parts[0][1].period,
                        by_member=tuple((m, q.value) for m, q in parts))
