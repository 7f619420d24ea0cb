"""Stacking rules of one project."""

from __future__ import annotations

from typing import Any

from openvoucher.adapters.db.schema.project_settings import stacking_rules
from openvoucher.kernel.scoped import ScopedRows


class StackingRulesRepository(ScopedRows):
    """SQL for the project's (single) stacking rules row."""

    table = stacking_rules

    def current(self) -> dict[str, Any] | None:
        """The project's own rules, or None when it uses the defaults."""
        return self._first(self._scoped())
