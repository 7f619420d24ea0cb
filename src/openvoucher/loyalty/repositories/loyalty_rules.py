"""SQL for earning rules, loyalty tiers and custom events (scoped to one project)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from sqlalchemy import bindparam, select

from openvoucher.adapters.db import prepared
from openvoucher.adapters.db.prepared import PROJECT
from openvoucher.adapters.db.schema.loyalty import custom_events, earning_rules, loyalty_tiers
from openvoucher.kernel.scoped import ScopedRows
from openvoucher.loyalty.model import EarningRule

RULE_SETTINGS = (
    "validation_rule_id",
    "validity_timeframe",
    "validity_day_of_week",
    "validity_hours",
    "custom_event",
    "loyalty_tier",
    "segment",
    "expiration_rules",
    "pending_points",
)
"""A rule's optional settings, kept in ``attrs`` when set."""


def _rule(row: Mapping[Any, Any]) -> EarningRule:
    attrs = row["attrs"]
    return EarningRule(
        id=row["id"],
        campaign_id=row["campaign_id"],
        event=row["event"],
        active=bool(row["active"]),
        loyalty=attrs["loyalty"],
        automation_id=attrs["automation_id"],
        banner=attrs.get("banner"),
        metadata=attrs.get("metadata") or {},
        start_date=attrs.get("start_date"),
        expiration_date=attrs.get("expiration_date"),
        created_at=row["created_at"],
        updated_at=row["updated_at"],
        **{name: attrs[name] for name in RULE_SETTINGS if attrs.get(name) is not None},
    )


def rule_columns(rule: EarningRule) -> dict[str, Any]:
    """The columns of a rule (all but its id, campaign, event and activity in ``attrs``)."""
    attrs: dict[str, Any] = {
        name: getattr(rule, name) for name in RULE_SETTINGS if getattr(rule, name) is not None
    }
    attrs.update(
        start_date=rule.start_date,
        expiration_date=rule.expiration_date,
        loyalty=rule.loyalty,
        banner=rule.banner,
        metadata=rule.metadata,
        automation_id=rule.automation_id,
    )
    return {
        "id": rule.id,
        "campaign_id": rule.campaign_id,
        "event": rule.event,
        "active": rule.active,
        "attrs": attrs,
        "created_at": rule.created_at,
        "updated_at": rule.updated_at,
    }


class EarningRuleRepository(ScopedRows):
    """Earning rules of loyalty campaigns."""

    table = earning_rules

    def rule(self, rule_id: str) -> EarningRule | None:
        """By id."""
        found = self.get(rule_id)
        return _rule(found) if found else None

    def add(self, rule: EarningRule) -> None:
        """Store a new rule."""
        self.insert(rule_columns(rule))

    def save(self, rule: EarningRule) -> None:
        """Write a changed rule (every column but its id)."""
        columns = rule_columns(rule)
        del columns["id"]
        self.update(rule.id, columns)

    def page(self, campaign_id: str, *, limit: int, offset: int) -> tuple[list[EarningRule], int]:
        """A page of a campaign's rules (oldest first) and their number."""
        c = earning_rules.c
        query = self._scoped().where(c.campaign_id == campaign_id).order_by(c.created_at, c.id)
        rows = [_rule(r) for r in self.conn.execute(query.limit(limit).offset(offset)).mappings()]
        return rows, self._count(c.campaign_id == campaign_id)

    def active_for(self, event: str, campaign_id: str | None = None) -> list[EarningRule]:
        """Active rules listening to ``event`` (in one campaign, or all), oldest first."""
        params = {PROJECT: self.project_id, "_event": event}
        if campaign_id is None:
            return [_rule(r) for r in prepared.all_rows(self.conn, ACTIVE_RULES, params)]
        params["_campaign"] = campaign_id
        return [_rule(r) for r in prepared.all_rows(self.conn, ACTIVE_RULES_OF_CAMPAIGN, params)]


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
