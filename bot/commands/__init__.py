"""Command families; importing one registers its commands in `bot.core.registry`."""

from __future__ import annotations

import importlib
import pkgutil

from bot.core import Registry, registry


def load_all() -> Registry:
    """Import every module of this package once; the registry then holds every command."""
    for module in pkgutil.iter_modules(__path__):
        importlib.import_module(f"{__name__}.{module.name}")
    return registry
