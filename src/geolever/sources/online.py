"""Online sources: the UN Comtrade API (``comtradeapicall``) and the World Bank API (``wbgapi``).

Both are optional (``pip install geolever[online]``). Each fetch first checks what it
needs (the package, an API key in ``COMTRADE_API_KEY`` for Comtrade, a network route to
the service) and raises :class:`OnlineUnavailableError` with a message saying what is
missing when it cannot run; the CLI prints it and tests skip on it. Fetched data are
written to a file in the published layout and read by the file loaders, so online and
offline imports go through the same validation.
"""

from __future__ import annotations

import importlib.util
import os
import socket
from collections.abc import Sequence
from pathlib import Path

import pandas as pd

from geolever.core.errors import DataNotFoundError

COMTRADE_KEY_ENV = "COMTRADE_API_KEY"
_HOSTS = {"comtrade": "comtradeapi.un.org", "worldbank": "api.worldbank.org"}


class OnlineUnavailableError(DataNotFoundError):
    """An online source cannot be used here (no package, no key or no network)."""


def _reachable(host: str, timeout: float = 3.0) -> bool:
    try:
        with socket.create_connection((host, 443), timeout=timeout):
            return True
    except OSError:
        return False


def online_unavailable(service: str) -> str | None:
    """Return why ``service`` (``comtrade`` or ``worldbank``) cannot be used, or None.

    Parameters
    ----------
    service
        ``comtrade`` (needs ``comtradeapicall``, the ``COMTRADE_API_KEY`` environment
        variable and the network) or ``worldbank`` (needs ``wbgapi`` and the network).
    """
    package = {"comtrade": "comtradeapicall", "worldbank": "wbgapi"}[service]
    if importlib.util.find_spec(package) is None:
        return f"the package {package} is not installed (pip install 'geolever[online]')"
    if service == "comtrade" and not os.environ.get(COMTRADE_KEY_ENV):
        return f"no Comtrade API key: set {COMTRADE_KEY_ENV} (a comtradeplus.un.org key)"
    if not _reachable(_HOSTS[service]):
        return f"no network route to {_HOSTS[service]}"
    return None


def _require(service: str) -> None:
    why = online_unavailable(service)
    if why:
        raise OnlineUnavailableError(
            f"{service} API skipped: {why}",
            field=service,
            fix="import a downloaded file instead (geolever data import SOURCE FILE)",
        )


def fetch_comtrade(
    year: int, reporters: Sequence[str], out: Path, *, classification: str = "HS"
) -> Path:
    """Download a year of annual HS trade of the reporters to a Comtrade+ CSV file.

    Parameters
    ----------
    year
        Reference year.
    reporters
        Comtrade numeric reporter codes (e.g. ``["31", "643"]`` for AZE and RUS).
    out
        CSV file to write (Comtrade+ columns; read it with
        :func:`geolever.sources.comtrade.comtrade_source`).
    classification
        Comtrade classification code (``HS`` = as reported).

    Returns
    -------
    Path
        ``out``.

    Raises
    ------
    OnlineUnavailableError
        Without the package, the key or a network.
    """
    _require("comtrade")
    import comtradeapicall

    frame = comtradeapicall.getFinalData(
        os.environ[COMTRADE_KEY_ENV],
        typeCode="C",
        freqCode="A",
        clCode=classification,
        period=str(year),
        reporterCode=",".join(reporters),
        cmdCode="AG6",
        flowCode="M,X",
        partnerCode=None,
        partner2Code="0",
        customsCode="C00",
        motCode="0",
        maxRecords=250000,
        format_output="JSON",
        includeDesc=False,
    )
    if frame is None or len(frame) == 0:
        raise DataNotFoundError(
            f"Comtrade returned no rows for {year} {list(reporters)}",
            field="reporters",
            fix="check the year and reporter codes",
        )
    out.parent.mkdir(parents=True, exist_ok=True)
    pd.DataFrame(frame).to_csv(out, index=False)
    return out


def fetch_wdi(indicator: str, out: Path, *, years: tuple[int, int] = (2000, 2023)) -> Path:
    """Download a WDI indicator for every economy to a long CSV (the datasets.io layout).

    Parameters
    ----------
    indicator
        WDI code, e.g. ``NY.GDP.MKTP.CD`` (GDP, current US$).
    out
        CSV file to write (``Country Name,Country Code,Year,Value``).
    years
        Inclusive range of years.

    Returns
    -------
    Path
        ``out``.

    Raises
    ------
    OnlineUnavailableError
        Without the package or a network.
    """
    _require("worldbank")
    import wbgapi

    rows = [
        {
            "Country Name": r.get("economy"),
            "Country Code": r["economy"],
            "Year": int(str(r["time"]).removeprefix("YR")),
            "Value": r["value"],
        }
        for r in wbgapi.data.fetch(indicator, time=range(years[0], years[1] + 1))
        if r.get("value") is not None
    ]
    out.parent.mkdir(parents=True, exist_ok=True)
    pd.DataFrame(rows, columns=["Country Name", "Country Code", "Year", "Value"]).to_csv(
        out, index=False
    )
    return out
