"""geolever: measure economic leverage between countries, with numbers and their sources.

The Python API (:mod:`geolever.api`) is exported here and imported on first use, so
``import geolever`` stays fast::

    import geolever
    a = geolever.assess(sender="RUS", target="AZE", year=2024, draws=200,
                        levers=[geolever.levers.RemittanceBan(share=1)])
    a.summary(); a.to_frame(); a.plot()
"""

from importlib import import_module
from importlib.metadata import PackageNotFoundError, version
from typing import Any

try:
    __version__ = version("geolever")
except PackageNotFoundError:  # running from a source tree without installation
    __version__ = "0.0.0+unknown"

#: Public names and the module each comes from (imported on first access).
_LAZY = {
    "Assessment": "geolever.api",
    "ClaimsCheck": "geolever.api",
    "GeoleverError": "geolever.api",
    "assess": "geolever.api",
    "balance": "geolever.api",
    "check_claims": "geolever.api",
    "ge": "geolever.api",
    "io_extract": "geolever.api",
    "heatmap": "geolever.api",
    "import_data": "geolever.api",
    "matrix": "geolever.api",
    "pack_scenario": "geolever.api",
}

__all__ = ["__version__", "levers", *_LAZY]


def __getattr__(name: str) -> Any:
    # By module name, not an import statement: the layers below import __version__ from
    # here, and must not appear to import the API above them.
    if name == "levers":
        return import_module("geolever.levers")
    if name in _LAZY:
        value = getattr(import_module(_LAZY[name]), name)
        globals()[name] = value
        return value
    raise AttributeError(f"module 'geolever' has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted({*globals(), *__all__})
