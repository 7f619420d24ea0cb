"""What a campaign's summary counts: its redemptions, ledger, vouchers and publications."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, func, select

from openvoucher.adapters.db.schema.catalog import publication_vouchers, publications, vouchers
from openvoucher.adapters.db.schema.ledger import voucher_transactions as vtx
from openvoucher.adapters.db.schema.redemptions import redemptions

BATCH = 500
TOTAL_CHANGES = (
    "CREDITS_ADDITION",
    "CREDITS_REMOVAL",
    "POINTS_ADDITION",
    "POINTS_ACCRUAL",
    "POINTS_TRANSFER_IN",
)
"""Transactions that change a card's total (``gift.amount``, lifetime ``loyalty_card.points``)."""


def _within(column: Any, start: datetime | None, end: datetime | None) -> list[Any]:
    """``start`` <= column < ``end`` (either bound may be open)."""
    bounds = []
    if start is not None:
        bounds.append(column >= start)
    if end is not None:
        bounds.append(column < end)
    return bounds


class CampaignSummaryRepository:
    """Reads for ``GET /v1/campaigns/{id}/summary``, scoped to one project."""

    def __init__(self, conn: Connection, project_id: str) -> None:
        self.conn = conn
        self.project_id = project_id

    def redemptions(
        self, campaign_id: str, start: datetime | None, end: datetime | None
    ) -> Iterator[dict[str, Any]]:
        """The campaign's redemptions and rollbacks in the period, a page at a time."""
        r = redemptions.c
        query = select(r.object, r.result, r.status, r.order_id, r.attrs).where(
            r.project_id == self.project_id,
            r.campaign_id == campaign_id,
            *_within(r.created_at, start, end),
        )
        result = self.conn.execution_options(yield_per=BATCH).execute(query.order_by(r.seq))
        for part in result.mappings().partitions():
            yield from (dict(row) for row in part)

    def ledger(
        self, campaign_id: str, start: datetime | None, end: datetime | None
    ) -> dict[str, int]:
        """Transaction type → the sum of its amounts, over the campaign's cards."""
        query = (
            select(vtx.c.type, func.sum(vtx.c.amount))
            .where(
                vtx.c.project_id == self.project_id,
                vtx.c.campaign_id == campaign_id,
                *_within(vtx.c.created_at, start, end),
            )
            .group_by(vtx.c.type)
        )
        return {str(kind): int(total or 0) for kind, total in self.conn.execute(query)}

    def vouchers(
        self, campaign_id: str, start: datetime | None, end: datetime | None
    ) -> tuple[int, int, int]:
        """Vouchers created in the period: how many, and the credits and points they were
        created with (today's ``gift.amount``/``loyalty_card.points`` less what the ledger
        added to or removed from those totals since)."""
        v = vouchers.c
        created = [
            v.project_id == self.project_id,
            v.campaign_id == campaign_id,
            *_within(v.created_at, start, end),
        ]
        credits = func.coalesce(func.sum(v.gift_amount), 0)
        points = func.coalesce(func.sum(v.loyalty_points), 0)
        count, total, held = self.conn.execute(
            select(func.count(), credits, points).where(*created)
        ).one()
        changes = (
            select(vtx.c.kind, func.sum(vtx.c.amount))
            .select_from(vtx.join(vouchers, vouchers.c.id == vtx.c.voucher_id))
            .where(*created, vtx.c.project_id == self.project_id, vtx.c.type.in_(TOTAL_CHANGES))
            .group_by(vtx.c.kind)
        )
        changed = {str(kind): int(amount or 0) for kind, amount in self.conn.execute(changes)}
        return (
            int(count),
            int(total) - changed.get("gift", 0),
            int(held) - changed.get("loyalty", 0),
        )

    def publications(self, campaign_id: str, start: datetime | None, end: datetime | None) -> int:
        """Vouchers of the campaign published in the period."""
        pv = publication_vouchers.c
        query = (
            select(func.count())
            .select_from(
                publication_vouchers.join(
                    publications, publications.c.id == pv.publication_id
                ).join(vouchers, vouchers.c.id == pv.voucher_id)
            )
            .where(
                pv.project_id == self.project_id,
                vouchers.c.campaign_id == campaign_id,
                *_within(publications.c.created_at, start, end),
            )
        )
        return int(self.conn.execute(query).scalar_one())
