"""The Python API: the CLI's commands as functions that return results for analysis.

Each function validates its input exactly as the matching CLI command does and raises the
same :class:`~geolever.core.errors.GeoleverError` (``str(err)`` is the CLI's one-line
message with the field and the fix), so a notebook and a terminal agree on what is wrong.

>>> import geolever
>>> a = geolever.assess(sender="RUS", target="AZE", year=2024, draws=200, seed=1,
...                     levers=[geolever.levers.RemittanceBan(share=1)])  # doctest: +SKIP
>>> a.to_frame()                                                           # doctest: +SKIP
"""

from __future__ import annotations

import os
from collections.abc import Mapping, Sequence
from importlib import resources
from pathlib import Path
from typing import Any

import pandas as pd
from pydantic import BaseModel

from geolever.api._store import StoreLike, open_store
from geolever.api.plots import heatmap, loss_vs_cost, routes
from geolever.api.results import Assessment, ClaimsCheck
from geolever.core.errors import GeoleverError, ScenarioError
from geolever.scenario import Scenario, load_scenario, parse_scenario, run_scenario

__all__ = [
    "Assessment",
    "ClaimsCheck",
    "GeoleverError",
    "assess",
    "balance",
    "check_claims",
    "ge",
    "heatmap",
    "import_data",
    "io_extract",
    "loss_vs_cost",
    "matrix",
    "pack_scenario",
    "routes",
]


def pack_scenario(name: str = "russia-azerbaijan") -> Scenario:
    """Return the scenario shipped with a case pack (``geolever demo`` runs the flagship's).

    Parameters
    ----------
    name
        Case pack name (``geolever data list`` lists them).

    Returns
    -------
    Scenario
        The validated scenario; change it with :func:`assess`'s keywords.

    Raises
    ------
    GeoleverError
        If the pack is unknown or ships no scenario.
    """
    from geolever.sources.packs import pack_file

    ref = pack_file(name, "scenario.yaml")  # unknown pack: field 'case', the known packs
    if ref is None:
        raise ScenarioError(f"case pack {name!r} ships no scenario.yaml", field="case",
                            fix="pass sender=, target= and levers= to geolever.assess")
    with resources.as_file(ref) as path:
        return load_scenario(path)


def _plain(item: Any) -> Any:
    """Return a lever or claim given as a pydantic object as the mapping the schema reads."""
    return item.model_dump(mode="json") if isinstance(item, BaseModel) else item


def assess(
    scenario: Scenario | Mapping[str, Any] | str | os.PathLike[str] | None = None,
    /,
    *,
    sender: str | None = None,
    target: str | None = None,
    year: int | None = None,
    levers: Sequence[Any] | None = None,
    claims: Sequence[Any] | None = None,
    case: str | None = None,
    title: str | None = None,
    draws: int | None = None,
    seed: int | None = None,
    store: StoreLike = None,
    progress: bool = False,
) -> Assessment:
    """Assess levers (and claims) of a sender on a target, as ``geolever assess`` does.

    Parameters
    ----------
    scenario
        A scenario: a YAML file path (as for ``geolever assess FILE``), a validated
        :class:`~geolever.scenario.Scenario` (e.g. from :func:`pack_scenario`) or a
        mapping of its fields. Omit it to give the fields as keywords.
    sender, target
        ISO3 codes (or country names) of the country pulling the levers and the one they
        act on.
    year
        Year of the data (default: the case pack's).
    levers
        Lever objects (``geolever.levers.RemittanceBan(share=1)``) or mappings with a
        ``kind`` (``{"kind": "remittance_ban", "share": 1}``); ``geolever levers`` lists
        the kinds and their parameters.
    claims
        Structured claims to check (see the scenario schema), optional.
    case, title
        Case pack and report title (scenario fields).
    draws, seed
        Monte Carlo draws (100-100,000) and seed; they override the scenario's, as the
        CLI's ``--draws`` and ``--seed`` do.
    store
        Fact store: an open :class:`~geolever.store.FactStore`, a DuckDB file,
        ``":memory:"``, or None for the CLI's default (``$GEOLEVER_STORE``, else the
        user data folder).
    progress
        Show a Rich progress bar (levers and claims done).

    Returns
    -------
    Assessment
        The typed result: ``summary()``, ``to_frame()``, ``plot()``, HTML display, and the
        run's :class:`~geolever.assessment.CaseAssessment` and claim checks.

    Raises
    ------
    GeoleverError
        The CLI's error for the same input (``ScenarioError`` naming the field and fix;
        data errors naming the missing quantity and how to load it).
    """
    fields = {"sender": sender, "target": target, "year": year, "case": case,
              "title": title, "draws": draws, "seed": seed,
              "levers": None if levers is None else [_plain(lv) for lv in levers],
              "claims": None if claims is None else [_plain(c) for c in claims]}
    given = {k: v for k, v in fields.items() if v is not None}
    origin = "geolever.assess"
    if scenario is None:
        data: dict[str, Any] = given
    elif isinstance(scenario, Scenario):
        data = {**scenario.model_dump(mode="json"), **given}
    elif isinstance(scenario, Mapping):
        data = {**scenario, **given}
    else:
        path = Path(scenario)
        loaded = load_scenario(path)  # file, YAML and schema errors name file and line
        if not given:
            return _run(loaded, store, progress)
        data, origin = {**loaded.model_dump(mode="json"), **given}, str(path)
    return _run(parse_scenario(data, origin=origin), store, progress)


def _run(scenario: Scenario, store: StoreLike, progress: bool,
         total: int | None = None) -> Assessment:
    with open_store(store) as db:
        if progress:
            from geolever.cli import progress_bar

            with progress_bar(total or len(scenario.levers) + len(scenario.claims),
                              "assessing levers and claims") as tick:
                result = Assessment(run_scenario(scenario, db, progress=tick))
        else:
            result = Assessment(run_scenario(scenario, db))
        result.document  # noqa: B018  (result.json lists the store's datasets: read them now)
        return result


def balance(sender: str, target: str, *, year: int | None = None, draws: int | None = None,
            seed: int | None = None, allow_earlier_year: bool = False,
            store: StoreLike = None, progress: bool = False) -> Assessment:
    """Assess both directions of a pair and the balance between them (``geolever balance``).

    The sender's levers on the target and the target's counter-levers on the sender: the
    pair's case pack scenario (its ``levers`` and ``counter_levers``) when one is shipped,
    else the standard levers every pair's datasets can assess.

    Parameters
    ----------
    sender, target
        ISO3 codes (or groups) of the two sides.
    year
        Case year (default: the pack's; required without a pack).
    draws, seed
        Monte Carlo draws and seed (default: the pack scenario's, else 2000 and 0).
    allow_earlier_year
        Where a value for the year is missing, use the latest earlier one (flagged).
    store
        An open ``FactStore``, a store file or ``":memory:"`` (default: as the CLI).
    progress
        Show a progress bar.

    Returns
    -------
    Assessment
        With ``balance`` (:class:`~geolever.assessment.balance.BalanceAssessment`: both
        directions, ``summary`` of the two sides and the escalation, ``answer``) and
        ``document`` (result.json, with ``directions``, ``balance`` and ``answer``).

    Raises
    ------
    GeoleverError
        The CLI's one-line message: an unknown country, the target equal to the sender, a
        year without data.
    """
    from geolever.cli.balance_cmd import balance_scenario
    from geolever.scenario.run import counter_levers

    scenario = balance_scenario(sender, target, year, draws=draws, seed=seed,
                                allow_earlier_year=allow_earlier_year)
    n = len(scenario.levers) + len(counter_levers(scenario)) + len(scenario.claims)
    return _run(scenario, store, progress, total=n)


def check_claims(
    text: str,
    *,
    case: str = "russia-azerbaijan",
    fmt: str = "auto",
    year: int | None = None,
    sender: str | None = None,
    target: str | None = None,
    published: int | None = None,
    store: StoreLike = None,
) -> ClaimsCheck:
    """Find the check-worthy sentences of a text and check each, as ``geolever claims check``.

    Parameters
    ----------
    text
        Plain text, Markdown or HTML (at most 1 MB).
    case
        Case pack (sender and target default to the pack's).
    fmt
        ``"auto"``, ``"text"``, ``"md"`` or ``"html"``.
    year
        Reference year (default: the pack's).
    sender, target
        ISO3 codes of the pair the text is about, if not the pack's.
    published
        Year the text was published ("last year" resolves against it).
    store
        Fact store; None: ``$GEOLEVER_STORE`` if set, else an in-memory store with the
        case pack (as the CLI).

    Returns
    -------
    ClaimsCheck
        Every candidate sentence, checked (claims, verdicts, evidence) or not (why);
        ``to_frame()``, ``summary()`` and HTML display.

    Raises
    ------
    GeoleverError
        Unknown case or format, empty text, text over 1 MB (the CLI's messages).
    """
    from geolever.claims.text import check_text

    with open_store(store, default=os.environ.get("GEOLEVER_STORE") or ":memory:") as db:
        return ClaimsCheck(check_text(text, case=case, fmt=fmt,  # type: ignore[arg-type]
                                      store=db, year=year, sender=sender, target=target,
                                      published=published))


def matrix(
    year: int,
    *,
    lever: str = "export_ban",
    countries: Sequence[str] | None = None,
    goods: Sequence[str] | None = None,
    tariff_pct: float | None = None,
    sigma: float = 5.0,
    dataset: str | None = None,
    chunk: int | None = None,
    client: Any = None,
    store: StoreLike = None,
) -> pd.DataFrame:
    """Compute the all-pairs leverage matrix from stored trade flows (``geolever matrix``).

    Parameters
    ----------
    year
        Year of the trade flows (import BACI, Comtrade or a gravity dataset with
        ``geolever data import`` or :func:`import_data` first).
    lever
        ``export_ban`` (the sender stops selling to the target), ``import_ban`` or
        ``embargo`` (both directions).
    countries
        ISO3 codes to keep (the others form a rest of the world); default every country.
    goods
        Restricted product groups (food, energy, metals, chemicals, machinery, other);
        default all trade.
    tariff_pct
        Ad-valorem tariff in percent instead of an embargo.
    sigma
        Elasticity of substitution (> 1).
    dataset
        Store dataset of flows, when several hold the year.
    chunk, client
        Pairs per task, and a ``dask.distributed.Client`` to run the tasks on.
    store
        Fact store (default as the CLI: ``$GEOLEVER_STORE``, else the user data folder).

    Returns
    -------
    pandas.DataFrame
        One row per ordered pair: ``sender``, ``target``, ``flow_cut_usd``,
        ``target_loss_pct`` and ``sender_cost_pct`` (% of own real income), ``ratio``,
        US$ losses and ``converged``; ``attrs`` carry lever, year, sigma, goods and the
        assumptions. Draw it with :func:`heatmap`.

    Raises
    ------
    GeoleverError
        The CLI's errors: unknown lever or country, no flows or GDP for the year.
    """
    from geolever.assessment.matrix import leverage_matrix
    from geolever.world.matrix import baseline_from_store

    groups = [g.strip().lower() for g in (goods or []) if g.strip()]
    groups = [] if groups == ["total"] else groups
    with open_store(store) as db:
        base = baseline_from_store(db, year, list(countries) if countries else None,
                                   goods=groups or None, dataset=dataset)
    frame = leverage_matrix(base, lever=lever, sigma=sigma, tariff_pct=tariff_pct, chunk=chunk,
                            client=client)
    frame.attrs["goods"] = groups or ["TOTAL"]
    return frame


def import_data(source: str, path: str | os.PathLike[str], *, store: StoreLike = None,
                options: Mapping[str, str] | None = None) -> int:
    """Import a dataset into the store, as ``geolever data import SOURCE PATH``.

    Parameters
    ----------
    source
        ``baci``, ``comtrade``, ``wdi``, ``knomad``, ``gravity``, ``facts``, ``pack``, ...
        (``geolever data import --help`` lists them).
    path
        The file (the pack's name for ``pack``; ``api:...`` for online wdi/comtrade).
    store
        Fact store to fill (default as the CLI).
    options
        Source options (the CLI's ``--opt KEY=VALUE``).

    Returns
    -------
    int
        Rows stored for bulk sources, or the new facts for fact sources.

    Raises
    ------
    GeoleverError
        The CLI's error for a bad file (nothing is written).
    """
    from geolever.cli.data_sources import import_source

    with open_store(store) as db:
        return import_source(source, Path(path), db, options=dict(options or {}))


def ge(
    dataset: str | os.PathLike[str] | None = None,
    *,
    spec: Any = None,
    embargo: Sequence[str] = (),
    tariff: Sequence[str] = (),
    pta: Sequence[str] = (),
    pta_var: str = "pta",
    costs: Sequence[str] | None = None,
    sigma: float | Mapping[str, float] | None = None,
    reference: str | None = None,
    year: int | None = None,
    rename: Mapping[str, str] | None = None,
    sector_col: str | None = None,
    io_shares: str | os.PathLike[str] | None = None,
    va_share: str | os.PathLike[str] | None = None,
) -> Any:
    """Run a general-equilibrium gravity counterfactual, as ``geolever ge``.

    Parameters
    ----------
    dataset
        Gravity dataset file (.csv/.tsv/.dlm/.dta/.parquet); a ``sector`` column (or
        ``sector_col``) runs the multi-sector (Caliendo-Parro) model.
    spec
        A replication spec instead (a YAML file such as ``examples/gravity/*.yaml``, a
        mapping of its fields or a ``ReplicationSpec``): estimation, counterfactual and
        solution as the spec says (``geolever ge --spec``); the other keywords are unused.
    embargo, tariff, pta
        Shocks in the CLI's syntax: ``"RUS:AZE"`` (one direction), ``"CAN-JPN"`` (both),
        ``"CAN:JPN=0.1"`` (trade-cost change +10 %), ``"RUS:AZE@food"`` (one sector).
    pta_var, costs
        Agreement dummy column for ``pta`` and the trade-cost regressors of its PPML
        estimation.
    sigma
        Elasticity of substitution (> 1; default 5), or ``{sector: value}``.
    reference
        Reference (numeraire) country; default the first code.
    year
        Year of the baseline.
    rename
        Country codes to recode, ``{"ZZZ": "DEU"}``.
    sector_col, io_shares, va_share
        Sector column, input cost shares and value-added shares (multi-sector model).

    Returns
    -------
    GEResult or MultiGEResult or Replication
        Per-country percent changes (real GDP, prices, trade) with ``to_frame()``; for a
        spec, the replication (its ``result``, ``coefficients`` and ``table()``).

    Raises
    ------
    GeoleverError
        The CLI's error for the same options (option named, with the fix).
    """
    from geolever.core.errors import InvalidDataError
    from geolever.scenario.ge_dataset import solve_dataset
    from geolever.scenario.ge_replication import ReplicationSpec, load_spec, parse_spec, run_spec
    from geolever.sources.gravity_data import read_gravity

    if spec is not None:
        if isinstance(spec, ReplicationSpec):
            model = spec
        elif isinstance(spec, Mapping):
            model = parse_spec(dict(spec), origin="geolever.ge")
        else:
            model = load_spec(Path(spec))
        return run_spec(model)
    if dataset is None:
        raise InvalidDataError("no dataset given", field="DATASET",
                               fix="name a gravity file, or pass spec=")
    if isinstance(sigma, Mapping):
        sigma_specs = [f"{k}={v}" for k, v in sigma.items()]
    else:
        sigma_specs = [] if sigma is None else [str(sigma)]
    df = read_gravity(Path(dataset),
                      rename={k.upper(): v.upper() for k, v in (rename or {}).items()} or None,
                      sector=sector_col or "sector", sector_optional=sector_col is None)
    return solve_dataset(
        df, embargo=list(embargo), tariff=list(tariff), pta=list(pta), pta_var=pta_var,
        costs=",".join(costs) if costs else None, sigma_specs=sigma_specs,
        reference=reference, year=year,
        io_path=None if io_shares is None else Path(io_shares),
        va_path=None if va_share is None else Path(va_share),
    ).result


def io_extract(
    sender: str,
    target: str,
    *,
    table: str = "wiod2013",
    year: int = 2008,
    sectors: str | Sequence[str] = "all",
    share: float = 1.0,
    intermediate: bool = True,
    final: bool = True,
    data_dir: str | os.PathLike[str] | None = None,
) -> pd.DataFrame:
    """Cut a sender's supply to a target in a world input-output table, as ``geolever io extract``.

    Parameters
    ----------
    sender, target
        ISO3 codes (regions of the table).
    table, year
        Input-output table (``wiod2013``, ...) and its year.
    sectors
        Product groups or sector codes (comma-separated or a list), or ``"all"``.
    share
        Share of the link cut, 0..1.
    intermediate, final
        Cut the target's industries' purchases, and its final purchases.
    data_dir
        Folder with the table's files (default ``../shared/data``).

    Returns
    -------
    pandas.DataFrame
        One row per (region, sector): backward (Leontief) and forward (Ghosh) output
        losses and value-added losses, in the table's unit; ``attrs`` name the table,
        year, unit, source, sender, target, the sectors cut and the flow extracted.

    Raises
    ------
    GeoleverError
        The CLI's error (unknown table, year, region or sector).
    """
    from geolever.assessment.io_extract import MODEL_NOTE, extract_frame
    from geolever.world.io import io_table

    groups = sectors if isinstance(sectors, str) else ",".join(sectors)
    tbl = io_table(table, year, None if data_dir is None else Path(data_dir))
    s = tbl.region_index(sender, field="sender")
    t = tbl.region_index(target, field="target")
    mask = tbl.group_mask(groups)
    res, frame = extract_frame(tbl, s, t, mask, share, intermediate=intermediate, final=final)
    frame.attrs.update(
        table=tbl.name, year=tbl.year, unit=tbl.unit, source=tbl.source,
        sender=tbl.regions[s], target=tbl.regions[t],
        sectors_cut=[c for c, m in zip(tbl.sectors, mask, strict=True) if m],
        extracted_intermediate=res.extracted_intermediate,
        extracted_final=res.extracted_final, model=MODEL_NOTE)
    return frame
