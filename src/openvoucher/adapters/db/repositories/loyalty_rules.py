"""SQL for earning rules, loyalty tiers and custom events (scoped to one project)."""

from __future__ import annotations

from typing import Any

from openvoucher.adapters.db.repositories.scoped import ScopedRows
from openvoucher.adapters.db.schema.loyalty import custom_events, earning_rules, loyalty_tiers


class EarningRuleRepository(ScopedRows):
    """Earning rules of loyalty campaigns."""

    table = earning_rules

    def page(
        self, campaign_id: str, *, limit: int, offset: int
    ) -> tuple[list[dict[str, Any]], int]:
        """A page of a campaign's rules (oldest first) and their number."""
        c = earning_rules.c
        query = self._scoped().where(c.campaign_id == campaign_id).order_by(c.created_at, c.id)
        rows = [dict(r) for r in self.conn.execute(query.limit(limit).offset(offset)).mappings()]
        return rows, self._count(c.campaign_id == campaign_id)

    def active_for(self, event: str, campaign_id: str | None = None) -> list[dict[str, Any]]:
        """Active rules listening to ``event`` (in one campaign, or all), oldest first."""
        c = earning_rules.c
        query = self._scoped().where(c.event == event, c.active.is_(True))
        if campaign_id is not None:
            query = query.where(c.campaign_id == campaign_id)
        return [dict(r) for r in self.conn.execute(query.order_by(c.created_at, c.id)).mappings()]


class TierRepository(ScopedRows):
    """Loyalty tiers (points ranges) of loyalty campaigns."""

    table = loyalty_tiers

    def of_campaign(self, campaign_id: str) -> list[dict[str, Any]]:
        """A campaign's tiers, lowest range first."""
        c = loyalty_tiers.c
        query = self._scoped().where(c.campaign_id == campaign_id).order_by(c.points_from, c.id)
        return [dict(r) for r in self.conn.execute(query).mappings()]


class CustomEventRepository(ScopedRows):
    """Custom events tracked with ``POST /v1/events``."""

    table = custom_events
