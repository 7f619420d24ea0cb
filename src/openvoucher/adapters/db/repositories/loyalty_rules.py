"""SQL for earning rules, loyalty tiers and custom events (scoped to one project)."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Connection, Table, delete, func, insert, select, update

from openvoucher.adapters.db.schema.loyalty import custom_events, earning_rules, loyalty_tiers


class _Rows:
    """Insert/get/update/delete of one table's rows by id."""

    table: Table

    def __init__(self, conn: Connection, project_id: str) -> None:
        self.conn = conn
        self.project_id = project_id

    def _scoped(self) -> Any:
        return select(self.table).where(self.table.c.project_id == self.project_id)

    def insert(self, row: dict[str, Any]) -> None:
        """Store a new row."""
        self.conn.execute(insert(self.table).values(project_id=self.project_id, **row))

    def get(self, row_id: str) -> dict[str, Any] | None:
        """By id."""
        found = self.conn.execute(self._scoped().where(self.table.c.id == row_id)).mappings()
        first = found.first()
        return dict(first) if first else None

    def update(self, row_id: str, values: dict[str, Any]) -> None:
        """Change columns of a row."""
        self.conn.execute(
            update(self.table)
            .where(self.table.c.project_id == self.project_id, self.table.c.id == row_id)
            .values(**values)
        )

    def delete(self, row_id: str) -> None:
        """Remove a row."""
        self.conn.execute(
            delete(self.table).where(
                self.table.c.project_id == self.project_id, self.table.c.id == row_id
            )
        )


class EarningRuleRepository(_Rows):
    """Earning rules of loyalty campaigns."""

    table = earning_rules

    def page(
        self, campaign_id: str, *, limit: int, offset: int
    ) -> tuple[list[dict[str, Any]], int]:
        """A page of a campaign's rules (oldest first) and their number."""
        c = earning_rules.c
        query = self._scoped().where(c.campaign_id == campaign_id).order_by(c.created_at, c.id)
        rows = [dict(r) for r in self.conn.execute(query.limit(limit).offset(offset)).mappings()]
        count = (
            select(func.count())
            .select_from(earning_rules)
            .where(c.project_id == self.project_id, c.campaign_id == campaign_id)
        )
        return rows, int(self.conn.execute(count).scalar_one())

    def active_for(self, event: str, campaign_id: str | None = None) -> list[dict[str, Any]]:
        """Active rules listening to ``event`` (in one campaign, or all), oldest first."""
        c = earning_rules.c
        query = self._scoped().where(c.event == event, c.active.is_(True))
        if campaign_id is not None:
            query = query.where(c.campaign_id == campaign_id)
        return [dict(r) for r in self.conn.execute(query.order_by(c.created_at, c.id)).mappings()]


class TierRepository(_Rows):
    """Loyalty tiers (points ranges) of loyalty campaigns."""

    table = loyalty_tiers

    def of_campaign(self, campaign_id: str) -> list[dict[str, Any]]:
        """A campaign's tiers, lowest range first."""
        c = loyalty_tiers.c
        query = self._scoped().where(c.campaign_id == campaign_id).order_by(c.points_from, c.id)
        return [dict(r) for r in self.conn.execute(query).mappings()]


class CustomEventRepository(_Rows):
    """Custom events tracked with ``POST /v1/events``."""

    table = custom_events
