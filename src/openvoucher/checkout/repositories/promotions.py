"""Promotion tiers (with their campaign's flags joined) and promotion stacks of one project."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from typing import Any

from sqlalchemy import and_, delete, func, or_, select, update

from openvoucher.adapters.db.schema.catalog import campaigns
from openvoucher.adapters.db.schema.promotions import promotion_stacks, promotion_tiers
from openvoucher.kernel.scoped import ScopedRows

TIER_ORDERS = {
    "created_at": promotion_tiers.c.created_at,
    "updated_at": promotion_tiers.c.updated_at,
}
STACK_ORDERS = {
    "created_at": promotion_stacks.c.created_at,
    "updated_at": promotion_stacks.c.updated_at,
    "name": promotion_stacks.c.name,
}

CAMPAIGN_COLUMNS = (
    campaigns.c.name.label("campaign_name"),
    campaigns.c.active.label("campaign_active"),
    campaigns.c.attrs.label("campaign_attrs"),
    campaigns.c.category_id.label("campaign_category_id"),
)


def _ordering(columns: dict[str, Any], order: str) -> Any:
    column = columns[order.lstrip("-")]
    return column.desc() if order.startswith("-") else column.asc()


class PromotionTierRepository(ScopedRows):
    """SQL for promotion tiers; reads carry ``campaign_name``, ``campaign_active``,
    ``campaign_attrs`` and ``campaign_category_id``."""

    table = promotion_tiers

    def _scoped(self) -> Any:
        joined = promotion_tiers.join(campaigns, campaigns.c.id == promotion_tiers.c.campaign_id)
        return (
            select(promotion_tiers, *CAMPAIGN_COLUMNS)
            .select_from(joined)
            .where(promotion_tiers.c.project_id == self.project_id)
        )

    def many(self, tier_ids: Iterable[str]) -> dict[str, dict[str, Any]]:
        """The tiers with these ids, by id (unknown ids are left out)."""
        ids = sorted(set(tier_ids))
        if not ids:
            return {}
        query = self._scoped().where(promotion_tiers.c.id.in_(ids))
        return {row["id"]: dict(row) for row in self.conn.execute(query).mappings()}

    def of_campaign(self, campaign_id: str) -> list[dict[str, Any]]:
        """The campaign's tiers by hierarchy."""
        c = promotion_tiers.c
        query = self._scoped().where(c.campaign_id == campaign_id)
        rows = self.conn.execute(query.order_by(c.hierarchy, c.created_at, c.id)).mappings()
        return [dict(row) for row in rows]

    def next_hierarchy(self, campaign_id: str) -> int:
        """One more than the campaign's highest hierarchy (1 for the first tier)."""
        c = promotion_tiers.c
        query = select(func.max(c.hierarchy)).where(
            c.project_id == self.project_id, c.campaign_id == campaign_id
        )
        return int(self.conn.execute(query).scalar_one() or 0) + 1

    def page(
        self,
        campaign_id: str | None,
        available_at: datetime | None,
        *,
        order: str,
        limit: int,
        offset: int,
    ) -> tuple[list[dict[str, Any]], int]:
        """One page of tiers (of a campaign, or all; only those usable at ``available_at``)."""
        c = promotion_tiers.c
        conditions: list[Any] = []
        if campaign_id is not None:
            conditions.append(c.campaign_id == campaign_id)
        if available_at is not None:
            conditions += [
                c.active.is_(True),
                campaigns.c.active.is_(True),
                or_(c.start_date.is_(None), c.start_date <= available_at),
                or_(c.expiration_date.is_(None), c.expiration_date >= available_at),
            ]
        ordering = (_ordering(TIER_ORDERS, order), c.hierarchy, c.id)
        query = self._scoped().where(*conditions).order_by(*ordering)
        rows = self.conn.execute(query.limit(limit).offset(offset)).mappings()
        joined = promotion_tiers.join(campaigns, campaigns.c.id == c.campaign_id)
        count = (
            select(func.count())
            .select_from(joined)
            .where(c.project_id == self.project_id, *conditions)
        )
        return [dict(row) for row in rows], int(self.conn.execute(count).scalar_one())

    def count_redemption(self, tier_id: str, uses: int, amount: int, discount: int) -> None:
        """Add to the tier's redemption and order counters (negative when rolled back)."""
        c = promotion_tiers.c
        self.conn.execute(
            update(promotion_tiers)
            .where(and_(c.project_id == self.project_id, c.id == tier_id))
            .values(
                redeemed_quantity=c.redeemed_quantity + uses,
                orders_amount=c.orders_amount + amount,
                orders_discount=c.orders_discount + discount,
            )
        )

    def delete_of_campaign(self, campaign_id: str) -> None:
        """Remove every tier of a campaign."""
        c = promotion_tiers.c
        self.conn.execute(
            delete(promotion_tiers).where(
                c.project_id == self.project_id, c.campaign_id == campaign_id
            )
        )


class PromotionStackRepository(ScopedRows):
    """SQL for promotion stacks."""

    table = promotion_stacks

    def page(
        self, campaign_id: str | None, *, order: str, limit: int, offset: int, **dates: Any
    ) -> tuple[list[dict[str, Any]], int]:
        """One page of stacks (of a campaign, or all), filtered by ``created_*``/``updated_*``
        (``{column}_{before|after}`` keywords)."""
        c = promotion_stacks.c
        conditions: list[Any] = []
        if campaign_id is not None:
            conditions.append(c.campaign_id == campaign_id)
        for name, moment in dates.items():
            if moment is None:
                continue
            column, side = name.rsplit("_", 1)
            conditions.append(c[column] < moment if side == "before" else c[column] > moment)
        query = self._scoped().where(*conditions).order_by(_ordering(STACK_ORDERS, order), c.id)
        rows = [dict(r) for r in self.conn.execute(query.limit(limit).offset(offset)).mappings()]
        return rows, self._count(*conditions)
