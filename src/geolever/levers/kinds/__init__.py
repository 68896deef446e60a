"""The lever kinds, one module each; every module found here is imported and registered.

To add a kind, add a module with a :class:`~geolever.levers.base.LeverKind` subclass
decorated with :func:`~geolever.levers.registry.register` (see CONTRIBUTING.md).
"""

from importlib import import_module
from pkgutil import iter_modules

for _info in iter_modules(__path__):
    import_module(f"{__name__}.{_info.name}")
