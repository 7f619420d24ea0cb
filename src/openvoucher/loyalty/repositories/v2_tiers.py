"""Loyalty v2 tier transactions (``kind`` ``tier`` rows of ``loyalty_v2_transactions``,
append-only)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import select

from openvoucher.adapters.db import filters as listing
from openvoucher.adapters.db.schema.loyalty_v2 import loyalty_v2_cards, loyalty_v2_transactions
from openvoucher.kernel.filters import Filters
from openvoucher.kernel.scoped import ScopedRows

KIND = "tier"
t = loyalty_v2_transactions.c
TRANSACTION_FILTERS = {
    "card_id": listing.column(t.card_id, "string"),
    "created_at": listing.column(t.created_at, "date"),
}
"""Fields of ``filters[…]`` on a member's tier transactions."""
REPORT_FILTERS = {
    "tier_structure_id": listing.json_path(t.attrs, "tier_structure_id", kind="string"),
    "tier_id": listing.json_path(t.attrs, "tier_id", kind="string"),
}
"""Fields of ``filters[…]`` on the programme's tiers reports."""


class TierTransactionRepository(ScopedRows):
    """Tier joins, upgrades, downgrades, prolongations and exits of v2 members."""

    table = loyalty_v2_transactions

    def add(self, row: dict[str, Any]) -> None:
        """Append one tier transaction."""
        self.insert({**row, "kind": KIND, "order_id": None})

    def _filtered(self, query: Any, filters: Filters | None, fields: Any, now: datetime) -> Any:
        if filters:
            clause = listing.where(filters, fields, self.conn.dialect, now)
            if clause is not None:
                query = query.where(clause)
        return query

    def page(
        self, member_id: str, filters: Filters | None, window: tuple[int, int, bool], now: datetime
    ) -> list[dict[str, Any]]:
        """``limit + 1`` of the member's tier transactions from ``offset`` (``window``:
        offset, limit, newest first)."""
        offset, limit, newest = window
        query = self._scoped().where(t.member_id == member_id, t.kind == KIND)
        query = self._filtered(query, filters, TRANSACTION_FILTERS, now)
        query = query.order_by(t.seq.desc() if newest else t.seq.asc())
        return [
            dict(r) for r in self.conn.execute(query.offset(offset).limit(limit + 1)).mappings()
        ]

    def of_program(
        self, program_id: str, filters: Filters | None, now: datetime
    ) -> list[dict[str, Any]]:
        """Every tier transaction of the programme's cards, oldest first."""
        c = loyalty_v2_cards.c
        query = (
            select(loyalty_v2_transactions)
            .join(loyalty_v2_cards, c.id == t.card_id)
            .where(t.project_id == self.project_id, c.project_id == self.project_id)
            .where(c.program_id == program_id, t.kind == KIND)
            .order_by(t.seq)
        )
        query = self._filtered(query, filters, REPORT_FILTERS, now)
        return [dict(r) for r in self.conn.execute(query).mappings()]
