"""The append-only balance ledger of gift cards and loyalty cards, and the voucher lock.

Rows are only ever inserted; ``seq`` orders them (ids are random). A voucher's cached
balance equals its first ``balance_after`` minus that row's ``amount`` plus every ``amount``.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import (
    BigInteger,
    ColumnElement,
    Connection,
    bindparam,
    cast,
    func,
    insert,
    literal_column,
    or_,
    select,
    update,
)

from openvoucher.adapters.db import filters as listing
from openvoucher.adapters.db import prepared
from openvoucher.adapters.db.prepared import PROJECT
from openvoucher.adapters.db.schema.catalog import vouchers
from openvoucher.adapters.db.schema.ledger import voucher_transactions as vtx
from openvoucher.kernel.filters import Filters

CAMPAIGN_FILTERS = {
    "id": listing.column(vtx.c.id, "string"),
    "voucher_id": listing.column(vtx.c.voucher_id, "string"),
}
"""Fields of ``GET /v1/campaigns/{campaignId}/transactions?filters[…]``."""


@dataclass(frozen=True)
class GiftShift:
    """What one gift transaction does to the card's columns: ``balance`` and ``amount``
    (``gift_balance`` / ``gift_amount``) and ``redeemed`` (``redeemed_quantity``) are added,
    ``subtracted`` is added to ``attrs.gift_subtracted_amount``; ``ceiling`` caps the amount."""

    balance: int
    amount: int = 0
    redeemed: int = 0
    subtracted: int = 0
    ceiling: int = 2**53


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

    def shift_gift(self, voucher_id: str, shift: GiftShift, now: datetime) -> dict[str, Any] | None:
        """Change a gift card's figures by ``shift`` in one statement that takes the card's row
        lock (PostgreSQL: the lock-late path, ADR 0089); the voucher's columns as now stored,
        or None when the card is gone or the change would take its balance below zero or its
        total above ``shift.ceiling`` (nothing changed)."""
        params = {
            PROJECT: self.project_id,
            "_id": voucher_id,
            "_balance": shift.balance,
            "_amount": shift.amount,
            "_redeemed": shift.redeemed,
            "_ceiling": shift.ceiling,
            "_now": now,
        }
        if shift.subtracted:
            params["_subtracted"] = shift.subtracted
            return prepared.first(self.conn, SHIFT_SUBTRACTING, params)
        return prepared.first(self.conn, SHIFT, params)

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
_SHIFT = (
    update(vouchers)
    .where(
        vouchers.c.project_id == bindparam(PROJECT),
        vouchers.c.id == bindparam("_id"),
        vouchers.c.gift_balance + bindparam("_balance", type_=BigInteger) >= 0,
        vouchers.c.gift_amount + bindparam("_amount", type_=BigInteger)
        <= bindparam("_ceiling", type_=BigInteger),
    )
    .values(
        gift_balance=vouchers.c.gift_balance + bindparam("_balance", type_=BigInteger),
        gift_amount=vouchers.c.gift_amount + bindparam("_amount", type_=BigInteger),
        redeemed_quantity=vouchers.c.redeemed_quantity + bindparam("_redeemed", type_=BigInteger),
        updated_at=bindparam("_now", type_=vouchers.c.updated_at.type),
    )
)
SHIFT = _SHIFT.returning(*vouchers.c)
_KEY: ColumnElement[str] = literal_column("'gift_subtracted_amount'")
_SUBTRACTED = func.coalesce(cast(vouchers.c.attrs.op("->>")(_KEY), BigInteger), 0) + bindparam(
    "_subtracted", type_=BigInteger
)
SHIFT_SUBTRACTING = _SHIFT.values(
    attrs=vouchers.c.attrs.op("||")(func.jsonb_build_object(_KEY, _SUBTRACTED))
).returning(*vouchers.c)
"""PostgreSQL only (``jsonb``): lock-late is PostgreSQL's path; SQLite keeps its own."""
