"""geolever: measure economic leverage between countries, with numbers and their sources."""

from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("geolever")
except PackageNotFoundError:  # running from a source tree without installation
    __version__ = "0.0.0+unknown"

__all__ = ["__version__"]
