"""What v2 earning rules gave members (``loyalty_v2_earnings``, append-only) and the benefit
transactions of their ``BENEFIT`` effects (``loyalty_v2_benefit_transactions``)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import func, insert, select

from openvoucher.adapters.db import filters as listing
from openvoucher.adapters.db.schema.loyalty_v2 import (
    loyalty_v2_benefit_transactions,
    loyalty_v2_earnings,
)
from openvoucher.kernel.filters import Filters
from openvoucher.kernel.scoped import ScopedRows

Between = tuple[datetime, datetime] | None
"""``[since, until)`` of a report's window, or None for all time."""
earnings = loyalty_v2_earnings
benefit_transactions = loyalty_v2_benefit_transactions

REPORT_FILTER_FIELDS = {
    "earning_rule_id": listing.column(earnings.c.earning_rule_id, "string"),
    "card_definition_id": listing.column(earnings.c.card_definition_id, "string"),
}
"""Fields of ``filters[…]`` on the programme's earning reports."""
BENEFIT_FILTER_FIELDS = {
    "benefit_id": listing.column(benefit_transactions.c.benefit_id, "string"),
    "created_at": listing.column(benefit_transactions.c.created_at, "date"),
}
"""Fields of ``filters[…]`` on a member's benefit transactions."""


RECORD = insert(earnings)
"""Built once (``adapters/db/prepared.py``): it runs in every paid order's transaction."""


def record_earning(conn: Any, project_id: str, row: dict[str, Any]) -> None:
    """Append what a rule's firing gave (``kind`` POINTS, PENDING_POINTS or BENEFIT)."""
    conn.execute(RECORD, {"project_id": project_id, **row})


def earnings_of_program(
    conn: Any,
    project_id: str,
    program_id: str,
    window: tuple[Filters | None, datetime, Between],
    kinds: tuple[str, ...],
) -> list[dict[str, Any]]:
    """The programme's earnings of ``kinds`` that meet the filters (and were made in
    ``[since, until)`` when given), oldest first."""
    filters, now, between = window
    e = earnings.c
    query = select(earnings).where(
        e.project_id == project_id, e.program_id == program_id, e.kind.in_(kinds)
    )
    if between is not None:
        query = query.where(e.created_at >= between[0], e.created_at < between[1])
    if filters:
        clause = listing.where(filters, REPORT_FILTER_FIELDS, conn.dialect, now)
        if clause is not None:
            query = query.where(clause)
    return [dict(r) for r in conn.execute(query.order_by(e.seq)).mappings()]


def fires_of_member(
    conn: Any, project_id: str, path: tuple[str, str], between: Between
) -> list[dict[str, Any]]:
    """Each firing of the rule for the member (``path``: member, rule), made in
    ``[since, until)`` when given: ``fire_id`` and ``created_at``, oldest first."""
    e = earnings.c
    query = (
        select(e.fire_id, e.created_at)
        .where(
            e.project_id == project_id,
            e.member_id == path[0],
            e.earning_rule_id == path[1],
        )
        .order_by(e.seq)
    )
    if between is not None:
        query = query.where(e.created_at >= between[0], e.created_at < between[1])
    found: dict[str, dict[str, Any]] = {}
    for row in conn.execute(query).mappings():
        found.setdefault(row["fire_id"], dict(row))
    return list(found.values())


class BenefitTransactionRepository(ScopedRows):
    """Benefit grants (fulfilments) of v2 members."""

    table = loyalty_v2_benefit_transactions

    def page(
        self,
        member_id: str,
        window: tuple[int, int, bool],
        filters: Filters | None,
        now: datetime,
    ) -> list[dict[str, Any]]:
        """``limit + 1`` of the member's benefit transactions from ``offset``."""
        offset, limit, newest = window
        c = self.table.c
        query = self._scoped().where(c.member_id == member_id)
        if filters:
            clause = listing.where(filters, BENEFIT_FILTER_FIELDS, self.conn.dialect, now)
            if clause is not None:
                query = query.where(clause)
        query = query.order_by(c.seq.desc() if newest else c.seq.asc())
        return [
            dict(r) for r in self.conn.execute(query.offset(offset).limit(limit + 1)).mappings()
        ]


def earned_since(conn: Any, project_id: str, card: tuple[str, str], since: datetime | None) -> int:
    """The points (given or pending) the member's card of a wallet (``(member, wallet)``)
    earned from rules since ``since`` (all time when None)."""
    e = earnings.c
    query = select(func.coalesce(func.sum(e.points), 0)).where(
        e.project_id == project_id,
        e.member_id == card[0],
        e.card_definition_id == card[1],
        e.kind.in_(("POINTS", "PENDING_POINTS")),
    )
    if since is not None:
        query = query.where(e.created_at >= since)
    return int(conn.execute(query).scalar() or 0)
