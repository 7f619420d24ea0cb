"""The append-only balance ledger of gift cards and loyalty cards, and the voucher lock.

Rows are only ever inserted; ``seq`` orders them (ids are random). A voucher's cached
balance equals its first ``balance_after`` minus that row's ``amount`` plus every ``amount``.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import Connection, bindparam, insert, or_, select

from openvoucher.adapters.db import filters as listing
from openvoucher.adapters.db.prepared import PROJECT
from openvoucher.adapters.db.schema.catalog import vouchers
from openvoucher.adapters.db.schema.ledger import voucher_transactions as vtx
from openvoucher.kernel.filters import Filters

CAMPAIGN_FILTERS = {
    "id": listing.column(vtx.c.id, "string"),
    "voucher_id": listing.column(vtx.c.voucher_id, "string"),
}
"""Fields of ``GET /v1/campaigns/{campaignId}/transactions?filters[…]``."""


class VoucherTransactionRepository:
    """SQL for the ledger, scoped to one project."""

    def __init__(self, conn: Connection, project_id: str) -> None:
        self.conn = conn
        self.project_id = project_id

    def lock_voucher(self, ident: str) -> str | None:
        """Lock the voucher with this code (or id) for the transaction; its id, or None.

        ``SELECT … FOR UPDATE`` on PostgreSQL; SQLite ignores it (BEGIN IMMEDIATE already
        serialises writers). A code wins over an id, as in ``get_by_code_or_id``.
        """
        rows = list(
            self.conn.execute(LOCK_BY_CODE_OR_ID, {PROJECT: self.project_id, "_ident": ident})
        )
        rows.sort(key=lambda row: row.code != ident)
        return str(rows[0].id) if rows else None

    def lock_voucher_id(self, voucher_id: str) -> bool:
        """Lock the voucher with this id for the transaction; False when there is none."""
        params = {PROJECT: self.project_id, "_id": voucher_id}
        return self.conn.execute(LOCK_BY_ID, params).first() is not None

    def insert(self, row: dict[str, Any]) -> dict[str, Any]:
        """Append one transaction; returns it as stored (with its ``seq``)."""
        result = self.conn.execute(INSERT, {"project_id": self.project_id, **row})
        return {"project_id": self.project_id, **row, "seq": int(result.scalar_one())}

    def get(self, transaction_id: str) -> dict[str, Any] | None:
        """One transaction by id."""
        query = select(vtx).where(vtx.c.project_id == self.project_id, vtx.c.id == transaction_id)
        found = self.conn.execute(query).mappings().first()
        return dict(found) if found else None

    def page(
        self, voucher_id: str, *, limit: int, newest_first: bool, after_id: str | None
    ) -> tuple[list[dict[str, Any]], bool]:
        """Up to ``limit`` transactions of a voucher after ``after_id``; and whether more follow."""
        return self._page(vtx.c.voucher_id, voucher_id, [], limit, newest_first, after_id)

    def campaign_page(
        self,
        campaign_id: str,
        filters: Filters,
        now: datetime,
        *,
        limit: int,
        newest_first: bool,
        after_id: str | None,
    ) -> tuple[list[dict[str, Any]], bool]:
        """Up to ``limit`` transactions of a campaign's cards after ``after_id`` that pass
        ``filters`` (fields :data:`CAMPAIGN_FILTERS`); and whether more follow."""
        extra = [listing.where(filters, CAMPAIGN_FILTERS, self.conn.dialect, now)]
        extra = [clause for clause in extra if clause is not None]
        return self._page(vtx.c.campaign_id, campaign_id, extra, limit, newest_first, after_id)

    def _page(
        self,
        scope: Any,
        value: str,
        extra: list[Any],
        limit: int,
        newest_first: bool,
        after_id: str | None,
    ) -> tuple[list[dict[str, Any]], bool]:
        query = select(vtx).where(vtx.c.project_id == self.project_id, scope == value, *extra)
        if after_id is not None:
            anchor = self.get(after_id)
            seq = anchor["seq"] if anchor and anchor[scope.name] == value else None
            if seq is None:
                return [], False
            query = query.where(vtx.c.seq < seq if newest_first else vtx.c.seq > seq)
        order = vtx.c.seq.desc() if newest_first else vtx.c.seq.asc()
        rows = [
            dict(r) for r in self.conn.execute(query.order_by(order).limit(limit + 1)).mappings()
        ]
        return rows[:limit], len(rows) > limit


# Hot statements, built once (see ``adapters.db.prepared``).
LOCK_BY_CODE_OR_ID = (
    select(vouchers.c.id, vouchers.c.code)
    .where(
        vouchers.c.project_id == bindparam(PROJECT),
        or_(vouchers.c.code == bindparam("_ident"), vouchers.c.id == bindparam("_ident")),
    )
    .with_for_update()
)
LOCK_BY_ID = (
    select(vouchers.c.id)
    .where(vouchers.c.project_id == bindparam(PROJECT), vouchers.c.id == bindparam("_id"))
    .with_for_update()
)
INSERT = insert(vtx).returning(vtx.c.seq)
