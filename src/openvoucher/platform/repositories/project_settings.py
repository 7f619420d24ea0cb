"""Stacking rules of one project."""

from __future__ import annotations

from typing import Any

from sqlalchemy import bindparam, select

from openvoucher.adapters.db import prepared
from openvoucher.adapters.db.schema.project_settings import stacking_rules
from openvoucher.kernel.scoped import ScopedRows


class StackingRulesRepository(ScopedRows):
    """SQL for the project's (single) stacking rules row."""

    table = stacking_rules

    def current(self) -> dict[str, Any] | None:
        """The project's own rules, or None when it uses the defaults."""
        return prepared.first(self.conn, _RULES, {prepared.PROJECT: self.project_id})


# Hot statement, built once (see ``adapters.db.prepared``): every redemption reads it.
_RULES = select(stacking_rules).where(stacking_rules.c.project_id == bindparam(prepared.PROJECT))
