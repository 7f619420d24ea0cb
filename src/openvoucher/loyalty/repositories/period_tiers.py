"""SQL for period tiers: points collected in a period (from the ledger), period programmes,
the project's time zone."""

from __future__ import annotations

from collections.abc import Collection
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from sqlalchemy import Connection, func, select

from openvoucher.adapters.db.schema.catalog import campaigns, vouchers
from openvoucher.adapters.db.schema.core import projects
from openvoucher.adapters.db.schema.ledger import voucher_transactions
from openvoucher.kernel.clock import parse_datetime
from openvoucher.loyalty.domain.tier_settings import has_expiring_tiers

EARNING_TYPES = ("POINTS_ACCRUAL", "POINTS_ADDITION", "PENDING_POINTS_ACTIVATION")
"""Transactions that collect points; spending, refunds, transfers and removals do not."""


def collected(
    conn: Connection, project_id: str, voucher_id: str, begin: datetime, end: datetime
) -> int:
    """Points the card collected in ``[begin, end)``."""
    t = voucher_transactions.c
    query = select(func.coalesce(func.sum(t.amount), 0)).where(
        t.project_id == project_id,
        t.voucher_id == voucher_id,
        t.kind == "loyalty",
        t.type.in_(EARNING_TYPES),
        t.amount > 0,
        t.created_at >= begin,
        t.created_at < end,
    )
    return int(conn.execute(query).scalar_one())


def programmes(
    conn: Connection, project_id: str | None, exclude: Collection[str] = ()
) -> list[dict[str, Any]]:
    """Loyalty programmes whose members' tiers expire: points collected in a period or
    CUSTOM balance expiry (of one project, or of every project but ``exclude``)."""
    c = campaigns.c
    query = select(c.id, c.project_id, c.attrs).where(c.campaign_type == "LOYALTY_PROGRAM")
    if project_id is not None:
        query = query.where(c.project_id == project_id)
    elif exclude:
        query = query.where(c.project_id.not_in(list(exclude)))
    rows = [dict(r) for r in conn.execute(query.order_by(c.project_id, c.id)).mappings()]
    return [r for r in rows if has_expiring_tiers(r["attrs"])]


def next_member_expiry(
    conn: Connection, project_id: str, campaign_id: str, after: datetime
) -> datetime | None:
    """The earliest tier expiry after ``after`` among the programme's members."""
    c = vouchers.c
    query = select(c.attrs).where(c.project_id == project_id, c.campaign_id == campaign_id)
    found = []
    for attrs in conn.execute(query).scalars():
        ends = ((attrs or {}).get("loyalty_tier") or {}).get("expires_at")
        if ends is not None and parse_datetime(ends) > after:
            found.append(parse_datetime(ends))
    return min(found) if found else None


def zone(conn: Connection, project_id: str) -> ZoneInfo:
    """The project's time zone (UTC when unset or unknown)."""
    attrs = conn.execute(select(projects.c.attrs).where(projects.c.id == project_id)).scalar()
    name = (attrs or {}).get("timezone") or "UTC"
    try:
        return ZoneInfo(str(name))
    except (ZoneInfoNotFoundError, ValueError):
        return ZoneInfo("UTC")
