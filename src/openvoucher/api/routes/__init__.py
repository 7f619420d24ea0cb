"""One module per Voucherify resource; each exposes ``routes: Routes``."""

from __future__ import annotations

import importlib
import pkgutil

from openvoucher.api.routing import Routes, RouteSpec


def all_routes() -> list[RouteSpec]:
    """Every route of every resource module in this package."""
    collected: list[RouteSpec] = []
    for info in sorted(pkgutil.iter_modules(__path__), key=lambda m: m.name):
        module = importlib.import_module(f"{__name__}.{info.name}")
        table = getattr(module, "routes", None)
        if isinstance(table, Routes):
            collected.extend(table.items)
    return collected
