"""Loyalty v2 members and their cards (each card a v1 loyalty card), and the ledger figures a
card renders with."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import bindparam, case, func, select

from openvoucher.adapters.db import prepared
from openvoucher.adapters.db.prepared import PROJECT
from openvoucher.adapters.db.schema.ledger import voucher_transactions
from openvoucher.adapters.db.schema.loyalty_v2 import (
    loyalty_v2_cards,
    loyalty_v2_members,
    loyalty_v2_transactions,
)
from openvoucher.adapters.db.schema.pending_points import loyalty_pending_points
from openvoucher.kernel.scoped import ScopedRows


class MemberRepository(ScopedRows):
    """Members of v2 programmes."""

    table = loyalty_v2_members

    def of_customer(self, customer_id: str, program_id: str | None = None) -> list[dict[str, Any]]:
        """The customer's live memberships (in ``program_id``), oldest first."""
        if program_id is None:  # every paid order asks: a statement built once
            params = {PROJECT: self.project_id, "_customer": customer_id}
            return prepared.all_rows(self.conn, MEMBERS_OF_CUSTOMER, params)
        c = self.table.c
        query = self._scoped().where(c.customer_id == customer_id, c.status != "DELETED")
        if program_id is not None:
            query = query.where(c.program_id == program_id)
        return [dict(r) for r in self.conn.execute(query.order_by(c.seq)).mappings()]

    def page(self, program_id: str, offset: int, limit: int, newest: bool) -> list[dict[str, Any]]:
        """``limit + 1`` live members of the programme from ``offset``."""
        c = self.table.c
        query = self._scoped().where(c.program_id == program_id, c.status != "DELETED")
        query = query.order_by(c.seq.desc() if newest else c.seq.asc())
        return [
            dict(r) for r in self.conn.execute(query.offset(offset).limit(limit + 1)).mappings()
        ]

    def get_locked(self, member_id: str) -> dict[str, Any] | None:
        """By id, locked for the transaction."""
        return self._first(self._scoped().where(self.table.c.id == member_id).with_for_update())


class CardRepository(ScopedRows):
    """v2 cards: which v1 loyalty card each member holds per wallet."""

    table = loyalty_v2_cards

    def of_member(self, member_id: str) -> list[dict[str, Any]]:
        """The member's cards, oldest first."""
        params = {PROJECT: self.project_id, "_member": member_id}
        return prepared.all_rows(self.conn, CARDS_OF_MEMBER, params)

    def by_voucher(self, voucher_id: str) -> dict[str, Any] | None:
        """The v2 card of a v1 loyalty card, if it is one."""
        return self._first(self._scoped().where(self.table.c.voucher_id == voucher_id))

    def ledger_totals(self, voucher_id: str) -> dict[str, int]:
        """Transaction type → the sum of its (unsigned) points on the v1 card."""
        t = voucher_transactions.c
        query = (
            select(t.type, func.sum(func.abs(t.amount)))
            .where(t.project_id == self.project_id, t.voucher_id == voucher_id)
            .group_by(t.type)
        )
        return {str(k): int(v or 0) for k, v in self.conn.execute(query)}

    def spent_since(self, voucher_id: str, since: datetime | None) -> int:
        """Points the v1 card spent (redemptions less refunds of them) since ``since``."""
        t = voucher_transactions.c
        signed = case((t.type == "POINTS_REFUND", -func.abs(t.amount)), else_=func.abs(t.amount))
        query = select(func.coalesce(func.sum(signed), 0)).where(
            t.project_id == self.project_id,
            t.voucher_id == voucher_id,
            t.type.in_(("POINTS_REDEMPTION", "POINTS_REFUND")),
        )
        if since is not None:
            query = query.where(t.created_at >= since)
        return max(0, int(self.conn.execute(query).scalar() or 0))

    def pending_totals(self, voucher_id: str) -> dict[str, int]:
        """Pending-points status → points (PENDING, ACTIVATED, CANCELED)."""
        p = loyalty_pending_points.c
        query = (
            select(p.status, func.sum(p.points))
            .where(p.project_id == self.project_id, p.voucher_id == voucher_id)
            .group_by(p.status)
        )
        return {str(k): int(v or 0) for k, v in self.conn.execute(query)}

    def pending_entries(self, voucher_id: str) -> list[dict[str, Any]]:
        """Every pending-points entry of the v1 card, oldest first."""
        return _pending_entries(self.conn, self.project_id, voucher_id)

    def next_activation(self, voucher_id: str) -> dict[str, Any] | None:
        """The soonest PENDING entry's activation moment and the points due then."""
        p = loyalty_pending_points.c
        mine = (p.project_id == self.project_id, p.voucher_id == voucher_id, p.status == "PENDING")
        soonest = self.conn.execute(select(func.min(p.activates_at)).where(*mine)).scalar()
        if soonest is None:
            return None
        points = self.conn.execute(
            select(func.sum(p.points)).where(*mine, p.activates_at == soonest)
        ).scalar()
        return {"date": soonest, "points": int(points or 0)}

    def transactions(
        self, voucher_id: str, offset: int, limit: int, newest: bool
    ) -> list[dict[str, Any]]:
        """``limit + 1`` ledger transactions of the v1 card from ``offset``."""
        t = voucher_transactions.c
        query = (
            select(voucher_transactions)
            .where(t.project_id == self.project_id, t.voucher_id == voucher_id)
            .order_by(t.seq.desc() if newest else t.seq.asc())
            .offset(offset)
            .limit(limit + 1)
        )
        return [dict(r) for r in self.conn.execute(query).mappings()]


class TransactionRepository(ScopedRows):
    """Order payments (and reward purchases) of v2 members."""

    table = loyalty_v2_transactions

    def paid_for(self, order_id: str) -> int:
        """The amount already paid with points for the order."""
        t = self.table.c
        query = select(t.attrs).where(
            t.project_id == self.project_id, t.order_id == order_id, t.kind == "order_payment"
        )
        rows = self.conn.execute(query).scalars()
        return sum(int(a["payment"]["amount"]) for a in rows if not a.get("refunded_at"))

    def payments_of_order(self, order_id: str) -> list[dict[str, Any]]:
        """The order's payments with points, locked (``FOR UPDATE``), oldest first."""
        t = self.table.c
        query = self._scoped().where(t.order_id == order_id, t.kind == "order_payment")
        query = query.order_by(t.seq.asc()).with_for_update()
        return [dict(r) for r in self.conn.execute(query).mappings()]

    def page(
        self, member_id: str, kind: str, offset: int, limit: int, newest: bool
    ) -> list[dict[str, Any]]:
        """``limit + 1`` of the member's ``kind`` transactions from ``offset``."""
        t = self.table.c
        query = self._scoped().where(t.member_id == member_id, t.kind == kind)
        query = query.order_by(t.seq.desc() if newest else t.seq.asc())
        return [
            dict(r) for r in self.conn.execute(query.offset(offset).limit(limit + 1)).mappings()
        ]


def _pending_entries(conn: Any, project_id: str, voucher_id: str) -> list[dict[str, Any]]:
    p = loyalty_pending_points.c
    query = (
        select(loyalty_pending_points)
        .where(p.project_id == project_id, p.voucher_id == voucher_id)
        .order_by(p.seq)
    )
    return [dict(r) for r in conn.execute(query).mappings()]


def spends_of_program(conn: Any, project_id: str, program_id: str) -> list[dict[str, Any]]:
    """The programme's order payments and reward purchases, each with its card's wallet."""
    t, c = loyalty_v2_transactions.c, loyalty_v2_cards.c
    query = (
        select(loyalty_v2_transactions, c.card_definition_id)
        .join(loyalty_v2_cards, c.id == t.card_id)
        .where(t.project_id == project_id, c.project_id == project_id, c.program_id == program_id)
        .order_by(t.seq)
    )
    return [dict(r) for r in conn.execute(query).mappings()]


_m = loyalty_v2_members.c
MEMBERS_OF_CUSTOMER = (
    select(loyalty_v2_members)
    .where(
        _m.project_id == bindparam(PROJECT),
        _m.customer_id == bindparam("_customer"),
        _m.status != "DELETED",
    )
    .order_by(_m.seq)
)
"""``MemberRepository.of_customer``'s statement (``adapters/db/prepared.py``)."""
CARDS_OF_MEMBER = (
    select(loyalty_v2_cards)
    .where(
        loyalty_v2_cards.c.project_id == bindparam(PROJECT),
        loyalty_v2_cards.c.member_id == bindparam("_member"),
    )
    .order_by(loyalty_v2_cards.c.seq)
)
"""``CardRepository.of_member``'s statement."""
