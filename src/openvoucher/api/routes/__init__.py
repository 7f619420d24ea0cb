"""One module per Voucherify resource, one sub-package per context; each has ``routes: Routes``."""

from __future__ import annotations

import importlib
import pkgutil

from openvoucher.api.routing import Routes, RouteSpec


def all_routes() -> list[RouteSpec]:
    """Every route of every resource module in this package and its sub-packages."""
    collected: list[RouteSpec] = []
    found = pkgutil.walk_packages(__path__, prefix=f"{__name__}.")
    for name in sorted(info.name for info in found if not info.ispkg):
        module = importlib.import_module(name)
        table = getattr(module, "routes", None)
        if isinstance(table, Routes):
            collected.extend(table.items)
    return collected
