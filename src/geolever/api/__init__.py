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
    "check_claims",
    "heatmap",
    "import_data",
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
    from geolever.sources.packs import read_pack

    read_pack(name)  # unknown pack: the store's own error (field 'case', the known packs)
    ref = resources.files("geolever.packs").joinpath(f"{name}/scenario.yaml")
    if not ref.is_file():
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


def _run(scenario: Scenario, store: StoreLike, progress: bool) -> Assessment:
    with open_store(store) as db:
        if progress:
            from geolever.cli import progress_bar

            with progress_bar(len(scenario.levers) + len(scenario.claims),
                              "assessing levers and claims") as tick:
                result = Assessment(run_scenario(scenario, db, progress=tick))
        else:
            result = Assessment(run_scenario(scenario, db))
        result.document  # noqa: B018  (result.json lists the store's datasets: read them now)
        return result


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
    from geolever.assessment.matrix import baseline_from_store, leverage_matrix

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
