"""Campaigns of one project (with their category's name joined for rendering)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Connection, bindparam, delete, func, insert, or_, select, update

from openvoucher.adapters.db import prepared
from openvoucher.adapters.db.prepared import PROJECT
from openvoucher.adapters.db.schema.catalog import campaigns, categories

ORDER_COLUMNS = {"created_at": campaigns.c.created_at, "updated_at": campaigns.c.updated_at}

CATEGORY_COLUMNS = (
    categories.c.name.label("category_name"),
    categories.c.hierarchy.label("category_hierarchy"),
    categories.c.created_at.label("category_created_at"),
    categories.c.updated_at.label("category_updated_at"),
)


@dataclass(frozen=True)
class CampaignFilter:
    """Filters of ``GET /v1/campaigns``."""

    campaign_type: str | None = None
    campaign_status: str | None = None
    is_referral_code: bool | None = None


class CampaignRepository:
    """SQL for campaigns, scoped to one project."""

    def __init__(self, conn: Connection, project_id: str) -> None:
        self.conn = conn
        self.project_id = project_id

    def _scoped(self) -> Any:
        joined = campaigns.outerjoin(categories, categories.c.id == campaigns.c.category_id)
        return (
            select(campaigns, *CATEGORY_COLUMNS)
            .select_from(joined)
            .where(campaigns.c.project_id == self.project_id)
        )

    def _first(self, query: Any) -> dict[str, Any] | None:
        found = self.conn.execute(query).mappings().first()
        return dict(found) if found else None

    def get(self, campaign_id: str) -> dict[str, Any] | None:
        """By id."""
        return prepared.first(self.conn, BY_ID, {PROJECT: self.project_id, "_id": campaign_id})

    def category_ids(self, campaign_ids: Iterable[str]) -> dict[str, str]:
        """The category id of each of these campaigns that has one."""
        ids = sorted(set(campaign_ids))
        if not ids:
            return {}
        c = campaigns.c
        query = select(c.id, c.category_id).where(
            c.project_id == self.project_id, c.id.in_(ids), c.category_id.is_not(None)
        )
        return {row.id: row.category_id for row in self.conn.execute(query)}

    def get_by_name(self, name: str) -> dict[str, Any] | None:
        """By its (per-project unique) name."""
        return self._first(self._scoped().where(campaigns.c.name == name))

    def get_by_id_or_name(self, ident: str) -> dict[str, Any] | None:
        """By id, falling back to name (Voucherify's paths accept either)."""
        query = self._scoped().where(or_(campaigns.c.id == ident, campaigns.c.name == ident))
        rows = [dict(r) for r in self.conn.execute(query).mappings()]
        rows.sort(key=lambda r: r["id"] != ident)
        return rows[0] if rows else None

    def lock(self, campaign_id: str) -> None:
        """Serialise writers of one campaign (a no-op lock on SQLite, whose writes are serial)."""
        query = select(campaigns.c.id).where(
            campaigns.c.project_id == self.project_id, campaigns.c.id == campaign_id
        )
        self.conn.execute(query.with_for_update())

    def insert(self, row: dict[str, Any]) -> None:
        """Store a new campaign."""
        self.conn.execute(insert(campaigns).values(project_id=self.project_id, **row))

    def update(self, campaign_id: str, values: dict[str, Any]) -> None:
        """Change columns of a campaign."""
        self.conn.execute(
            update(campaigns)
            .where(campaigns.c.project_id == self.project_id, campaigns.c.id == campaign_id)
            .values(**values)
        )

    def add_to_count(self, campaign_id: str, added: int) -> None:
        """Count ``added`` more vouchers in the campaign."""
        self.update(campaign_id, {"vouchers_count": campaigns.c.vouchers_count + added})

    def delete(self, campaign_id: str) -> None:
        """Remove a campaign (its remaining vouchers go with it)."""
        self.conn.execute(
            delete(campaigns).where(
                campaigns.c.project_id == self.project_id, campaigns.c.id == campaign_id
            )
        )

    def page(
        self, filters: CampaignFilter, *, order: str, limit: int, offset: int
    ) -> tuple[list[dict[str, Any]], int]:
        """One page of campaigns and the total matching."""
        conditions = self._conditions(filters)
        column = ORDER_COLUMNS[order.lstrip("-")]
        ordering = column.desc() if order.startswith("-") else column.asc()
        query = self._scoped().where(*conditions).order_by(ordering, campaigns.c.id)
        rows = [dict(r) for r in self.conn.execute(query.limit(limit).offset(offset)).mappings()]
        count = (
            select(func.count())
            .select_from(campaigns)
            .where(campaigns.c.project_id == self.project_id, *conditions)
        )
        return rows, int(self.conn.execute(count).scalar_one())

    def _conditions(self, f: CampaignFilter) -> list[Any]:
        c = campaigns.c
        conditions: list[Any] = []
        if f.campaign_type is not None:
            conditions.append(c.campaign_type == f.campaign_type)
        if f.campaign_status is not None:
            conditions.append(c.attrs["creation_status"].as_string() == f.campaign_status)
        if f.is_referral_code is not None:
            conditions.append(c.attrs["is_referral_code"].as_boolean() == f.is_referral_code)
        return conditions


# Hot statements, built once (see ``adapters.db.prepared``).
BY_ID = (
    select(campaigns, *CATEGORY_COLUMNS)
    .select_from(campaigns.outerjoin(categories, categories.c.id == campaigns.c.category_id))
    .where(campaigns.c.project_id == bindparam(PROJECT), campaigns.c.id == bindparam("_id"))
)
