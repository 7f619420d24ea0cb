"""SQL for earning rules, loyalty tiers and custom events (scoped to one project)."""

from __future__ import annotations

from typing import Any

from sqlalchemy import bindparam, select

from openvoucher.adapters.db import prepared
from openvoucher.adapters.db.prepared import PROJECT
from openvoucher.adapters.db.schema.loyalty import custom_events, earning_rules, loyalty_tiers
from openvoucher.kernel.scoped import ScopedRows


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
        params = {PROJECT: self.project_id, "_event": event}
        if campaign_id is None:
            return prepared.all_rows(self.conn, ACTIVE_RULES, params)
        params["_campaign"] = campaign_id
        return prepared.all_rows(self.conn, ACTIVE_RULES_OF_CAMPAIGN, params)


class TierRepository(ScopedRows):
    """Loyalty tiers (points ranges) of loyalty campaigns."""

    table = loyalty_tiers

    def of_campaign(self, campaign_id: str) -> list[dict[str, Any]]:
        """A campaign's tiers, lowest range first."""
        params = {PROJECT: self.project_id, "_campaign": campaign_id}
        return prepared.all_rows(self.conn, TIERS_OF_CAMPAIGN, params)

    def get(self, row_id: str) -> dict[str, Any] | None:
        """By id."""
        return prepared.first(self.conn, TIER_BY_ID, {PROJECT: self.project_id, "_id": row_id})


class CustomEventRepository(ScopedRows):
    """Custom events tracked with ``POST /v1/events``."""

    table = custom_events


# Hot statements, built once (see ``adapters.db.prepared``).
_RULES = select(earning_rules).where(
    earning_rules.c.project_id == bindparam(PROJECT),
    earning_rules.c.event == bindparam("_event"),
    earning_rules.c.active.is_(True),
)
_RULE_ORDER = (earning_rules.c.created_at, earning_rules.c.id)
ACTIVE_RULES = _RULES.order_by(*_RULE_ORDER)
ACTIVE_RULES_OF_CAMPAIGN = _RULES.where(
    earning_rules.c.campaign_id == bindparam("_campaign")
).order_by(*_RULE_ORDER)
_TIERS = select(loyalty_tiers).where(loyalty_tiers.c.project_id == bindparam(PROJECT))
TIERS_OF_CAMPAIGN = _TIERS.where(loyalty_tiers.c.campaign_id == bindparam("_campaign")).order_by(
    loyalty_tiers.c.points_from, loyalty_tiers.c.id
)
TIER_BY_ID = _TIERS.where(loyalty_tiers.c.id == bindparam("_id"))
