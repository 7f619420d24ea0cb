"""Read-only aggregates of one project for the dashboard's overview: counts, and daily sums
grouped in SQL (days in the project's time zone) so a chart costs one indexed scan."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import ColumnElement, Connection, case, func, select
from sqlalchemy.sql.expression import literal_column

from openvoucher.adapters.db.schema.catalog import campaigns, customers, vouchers
from openvoucher.adapters.db.schema.ledger import voucher_transactions
from openvoucher.adapters.db.schema.redemptions import redemptions
from openvoucher.adapters.db.schema.sales import orders
from openvoucher.adapters.db.schema.webhooks import webhook_sendouts


def _day(conn: Connection, column: Any, zone: str, offset_seconds: int) -> ColumnElement[Any]:
    """The local calendar day of a UTC timestamp column, as ``YYYY-MM-DD`` text."""
    if conn.dialect.name == "sqlite":
        return func.date(column, f"{offset_seconds:+d} seconds")
    local = func.timezone(zone, column)
    return func.to_char(local, literal_column("'YYYY-MM-DD'"))


def counts(conn: Connection, project_id: str) -> dict[str, int]:
    """How many campaigns, customers and orders the project has (vouchers: ``voucher_groups``,
    which reads them once for both their count and the gift credits)."""
    found: dict[str, int] = {}
    for name, table in (("campaigns", campaigns), ("customers", customers), ("orders", orders)):
        query = select(func.count()).select_from(table).where(table.c.project_id == project_id)
        found[name] = int(conn.execute(query).scalar_one())
    return found


def voucher_groups(
    conn: Connection, project_id: str
) -> list[tuple[str | None, str, bool, int, int]]:
    """``(campaign id, type, active, gift credits left, cards)`` per group of the project's
    vouchers: one pass over the covering ``ix_vouchers_project_gift_sum`` index, in its order
    (docs/adr/0074-dashboard-overview-from-indexes.md)."""
    v = vouchers.c
    left = func.coalesce(func.sum(v.gift_balance), 0)
    query = (
        select(v.campaign_id, v.type, v.active, left, func.count())
        .where(v.project_id == project_id)
        .group_by(v.type, v.active, v.campaign_id)
    )
    return [
        (campaign, str(kind), bool(active), int(total), int(n))
        for campaign, kind, active, total, n in conn.execute(query)
    ]


def campaign_names(conn: Connection, project_id: str, ids: list[str]) -> dict[str, str]:
    """The names of the campaigns ``ids``."""
    if not ids:
        return {}
    c = campaigns.c
    query = select(c.id, c.name).where(c.project_id == project_id, c.id.in_(ids))
    return {str(ident): str(name) for ident, name in conn.execute(query)}


def daily_redemptions(
    conn: Connection, project_id: str, since: datetime, zone: str, offset: int
) -> list[tuple[str, str, int]]:
    """``(day, result, count)`` of redemptions (not rollbacks) since ``since``."""
    r = redemptions.c
    day = _day(conn, r.created_at, zone, offset).label("day")
    query = (
        select(day, r.result, func.count())
        .where(r.project_id == project_id, r.object == "redemption", r.created_at >= since)
        .group_by(day, r.result)
    )
    return [(str(d), str(res), int(n)) for d, res, n in conn.execute(query)]


def daily_points(
    conn: Connection, project_id: str, since: datetime, zone: str, offset: int
) -> list[tuple[str, str, int]]:
    """``(day, earned|spent|expired, points)`` of loyalty transactions since ``since``."""
    t = voucher_transactions.c
    day = _day(conn, t.created_at, zone, offset).label("day")
    kind = case(
        (t.type.like("%EXPIR%"), "expired"),
        (t.amount < 0, "spent"),
        else_="earned",
    ).label("kind")
    query = (
        select(day, kind, func.sum(func.abs(t.amount)))
        .where(t.project_id == project_id, t.kind == "loyalty", t.created_at >= since)
        .group_by(day, kind)
    )
    return [(str(d), str(k), int(n or 0)) for d, k, n in conn.execute(query)]


def sendout_statuses(conn: Connection, project_id: str, since: datetime) -> list[tuple[str, int]]:
    """``(status, count)`` of webhook sendouts created since ``since``."""
    s = webhook_sendouts.c
    query = (
        select(s.status, func.count())
        .where(s.project_id == project_id, s.created_at >= since)
        .group_by(s.status)
    )
    return [(str(status), int(n)) for status, n in conn.execute(query)]
