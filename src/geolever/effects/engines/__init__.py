"""The engines, one module each; every module found here is imported and registers itself.

To add an engine, add a module that decorates its function with
:func:`geolever.effects.registry.register` for the shock types it evaluates (see
CONTRIBUTING.md).
"""

from importlib import import_module
from pkgutil import iter_modules

for _info in iter_modules(__path__):
    import_module(f"{__name__}.{_info.name}")
