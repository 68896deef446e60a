"""``geolever data import SOURCE PATH``: every supported source into the store.

Sources and what they become:

=========  =====================================================  ======================
SOURCE     PATH                                                   stored as
=========  =====================================================  ======================
baci       ``BACI_HS*_Y*_V*.csv`` (code tables beside it)         bulk ``trade_flows``
comtrade   Comtrade+ bulk/API file or legacy CSV;                 bulk ``trade_flows``
           ``api:YEAR:REPORTERS`` (needs COMTRADE_API_KEY)
wdi        WDI CSV (long or wide) or Excel download;             facts (gdp, ...)
           ``api:INDICATOR`` (wbgapi)
dots       IMF DOTS workbook(s) ``.xlsx``, or their folder        ``trade_totals``
gem        GEM pipeline map data (GOIT or Europe Gas Tracker CSV)  ``pipelines``
knomad     bilateral remittance matrix ``.xlsx``                  facts
           (remittances_received)
gravity    gravity dataset (.csv/.tsv/.dlm/.dta/.parquet)         bulk ``trade_flows``
facts      CSV/Parquet in the pack format                         facts
pack       name of a shipped case pack                            facts
=========  =====================================================  ======================

``options`` carries source-specific settings given on the command line as KEY=VALUE:
``blank_country`` (baci), ``rename`` (gravity, ``ZZZ:DEU,ROM:ROU``), ``indicator``
(wdi), ``year`` (knomad), ``dataset`` (baci, comtrade, gravity), ``unit`` (gravity: the
flows' unit, ``USD_million`` etc., when the file is not documented in
``reference/gravity_units.csv``).
"""

from __future__ import annotations

import tempfile
from collections.abc import Callable, Mapping
from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from geolever.core.errors import GeoleverError, InvalidDataError, UnknownCodeError
from geolever.sources.baci import baci_source
from geolever.sources.comtrade import comtrade_source
from geolever.sources.dots import DOTS_CITATION, DOTS_SOURCE, read_dots
from geolever.sources.gem import GEM_CITATION, read_gem_csv
from geolever.sources.gravity_flows import gravity_flow_source
from geolever.sources.knomad import read_knomad_xlsx
from geolever.sources.online import fetch_comtrade, fetch_wdi
from geolever.sources.wdi import read_wdi_csv
from geolever.store.assets import ingest_pipelines
from geolever.store.bulk import ingest_flows
from geolever.store.facts import FactStore
from geolever.store.totals import ingest_totals

SOURCES = ("baci", "comtrade", "wdi", "knomad", "dots", "gem", "gravity", "facts", "pack")

#: The ``--opt`` keys each source accepts.
SOURCE_OPTIONS = {
    "baci": ("blank_country", "dataset"),
    "comtrade": ("dataset",),
    "wdi": ("indicator",),
    "knomad": ("year",),
    "dots": ("dataset",),
    "gem": ("dataset",),
    "gravity": ("rename", "dataset", "unit"),
    "facts": (),
    "pack": (),
}


class ImportOptions(BaseModel):
    """``--opt KEY=VALUE`` settings of ``data import``, validated like every other input."""

    model_config = ConfigDict(extra="forbid")

    blank_country: str | None = Field(None, pattern=r"^[A-Za-z]{3}$",
                                      description="ISO3 code for blank country cells")
    rename: dict[str, str] | None = Field(
        None, description="Country codes to recode, OLD:NEW,OLD:NEW (e.g. ZZZ:DEU)")
    indicator: str | None = Field(None, max_length=40, description="WDI indicator code")
    year: int | None = Field(None, ge=1960, le=2100, description="Year of the estimates")
    dataset: str | None = Field(None, pattern=r"^[A-Za-z0-9_.:+-]{1,100}$",
                                description="Dataset name in the store")
    unit: str | None = Field(None, pattern=r"^USD(_thousand|_million|_billion)?$",
                             description="Unit of a gravity file's flows (USD, USD_thousand, "
                             "USD_million, USD_billion)")

    @field_validator("rename", mode="before")
    @classmethod
    def _pairs(cls, v: object) -> object:
        if not isinstance(v, str):
            return v
        pairs = [p.split(":", 1) for p in v.split(",") if p.strip()]
        bad = [":".join(p) for p in pairs if len(p) != 2 or not p[0].strip() or not p[1].strip()]
        if bad or not pairs:
            raise ValueError(f"{bad[0] if bad else v!r} is not OLD:NEW (e.g. ZZZ:DEU,ROM:ROU)")
        return {a.strip().upper(): b.strip().upper() for a, b in pairs}


def parse_options(source: str, options: Mapping[str, str]) -> ImportOptions:
    """Validate ``--opt`` settings for ``source``; raise naming the option and the fix."""
    allowed = SOURCE_OPTIONS.get(source.strip().lower(), ())
    for key in options:
        if key not in allowed:
            raise InvalidDataError(
                f"option {key!r} does not apply to {source}", field=f"--opt {key}",
                fix=f"{source} takes {', '.join(allowed) if allowed else 'no options'}")
    try:
        return ImportOptions.model_validate(dict(options))
    except ValidationError as err:
        first = err.errors()[0]
        key = ".".join(str(p) for p in first["loc"])
        raise InvalidDataError(str(first["msg"]).removeprefix("Value error, "),
                               field=f"--opt {key}", fix="correct the value as described"
                               ) from None

#: Percent-point progress callback (total 100), e.g. a Rich bar's ``advance``.
Progress = Callable[[int], None]


def _done(progress: Progress | None) -> None:
    if progress is not None:
        progress(100)


def _api_parts(path: Path) -> list[str] | None:
    text = str(path)
    return text.split(":")[1:] if text.startswith("api") else None


def import_source(
    source: str,
    path: Path,
    store: FactStore,
    progress: Progress | None = None,
    options: Mapping[str, str] | None = None,
) -> int:
    """Import one file (or online query) of a supported source into the store.

    Parameters
    ----------
    source
        One of :data:`SOURCES`.
    path
        The file to read; for ``pack`` the pack's name; for ``wdi`` and ``comtrade`` also
        ``api:...`` to fetch online (see the module docstring).
    store
        The fact store to fill.
    progress
        Called with percent points advanced (total 100), for a progress bar.
    options
        Source-specific settings (see the module docstring).

    Returns
    -------
    int
        Rows now stored for bulk sources (the dataset's row count, unchanged by a
        re-import), or the number of new facts for fact sources (0 on a re-import).

    Raises
    ------
    GeoleverError
        Unknown source, missing file, a bad row (named with file, line and column; nothing
        is written), or an online source that cannot be used here
        (:class:`geolever.sources.online.OnlineUnavailableError`, with the reason).
    """
    name = source.strip().lower()
    if name not in SOURCES:
        raise UnknownCodeError(
            f"unknown source {source!r}", field="SOURCE", fix=f"use one of: {', '.join(SOURCES)}"
        )
    checked = parse_options(name, options or {})
    opts = {k: v for k, v in checked.model_dump().items() if v is not None}
    api = _api_parts(path)
    if name == "baci":
        flow = baci_source(
            path, blank_country=opts.get("blank_country"), dataset=opts.get("dataset")
        )
        return ingest_flows(store, flow, progress=progress)
    if name == "comtrade":
        if api is not None:
            if len(api) != 2:
                raise InvalidDataError(
                    f"cannot read {path}",
                    field="PATH",
                    fix="write api:YEAR:REPORTERS, e.g. api:2021:31,643 (Comtrade codes)",
                )
            with tempfile.TemporaryDirectory() as tmp:
                file = fetch_comtrade(
                    int(api[0]), api[1].split(","), Path(tmp) / f"comtrade-{api[0]}-{api[1]}.csv"
                )
                flow = comtrade_source(
                    file, dataset=opts.get("dataset") or f"comtrade:api:{api[0]}:{api[1]}"
                )
                return ingest_flows(store, flow, progress=progress)
        return ingest_flows(
            store, comtrade_source(path, dataset=opts.get("dataset")), progress=progress
        )
    if name == "gravity":
        rename = checked.rename
        flow = gravity_flow_source(path, rename=rename, dataset=opts.get("dataset"),
                                   unit=checked.unit)
        return ingest_flows(store, flow, progress=progress)
    if name == "wdi":
        if api is not None:
            indicator = api[0] if api and api[0] else opts.get("indicator", "NY.GDP.MKTP.CD")
            with tempfile.TemporaryDirectory() as tmp:
                file = fetch_wdi(indicator, Path(tmp) / f"wdi-{indicator}.csv")
                read = read_wdi_csv(file, indicator_code=indicator)
        else:
            read = read_wdi_csv(path, indicator_code=opts.get("indicator"))
        added = store.add_facts(
            read.facts, dataset=f"wdi:{read.indicator}", kind="wdi", origin=str(path)
        )
        _done(progress)
        return added
    if name == "knomad":
        year = checked.year
        knomad = read_knomad_xlsx(path, year=year)
        added = store.add_facts(
            knomad.facts, dataset=f"knomad:{knomad.year}", kind="knomad", origin=str(path)
        )
        _done(progress)
        return added
    if name == "dots":
        dots = read_dots(path)
        rows = ingest_totals(store, dots.frame, dataset=opts.get("dataset") or "imf:dots",
                             source=DOTS_SOURCE, citation=DOTS_CITATION, origin=str(path))
        _done(progress)
        return rows
    if name == "gem":
        gem = read_gem_csv(path)
        rows = ingest_pipelines(store, gem.frame, dataset=opts.get("dataset") or
                                f"gem:{Path(path).stem}", source=f"Global Energy Monitor, "
                                f"{gem.tracker}", citation=GEM_CITATION, origin=str(path))
        _done(progress)
        return rows
    if name == "facts":
        added = store.import_file(path)
        _done(progress)
        return added
    if name == "pack":
        added = store.load_pack(str(path))
        _done(progress)
        return added
    raise UnknownCodeError(
        f"unknown source {source!r}", field="SOURCE", fix=f"use one of: {', '.join(SOURCES)}"
    )


__all__ = ["SOURCES", "GeoleverError", "import_source"]
