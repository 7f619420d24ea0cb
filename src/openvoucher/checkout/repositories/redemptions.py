"""Redemptions and rollbacks (one table), voucher counters and locks used while redeeming."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import ColumnElement, Connection, and_, bindparam, func, insert, or_, select, update

from openvoucher.adapters.db import prepared
from openvoucher.adapters.db.prepared import PROJECT
from openvoucher.adapters.db.schema.catalog import campaigns, vouchers
from openvoucher.adapters.db.schema.redemptions import redemptions

ORDER_COLUMNS = {
    "created_at": redemptions.c.seq,
    "id": redemptions.c.id,
    "voucher_code": redemptions.c.voucher_code,
    "tracking_id": redemptions.c.tracking_id,
    "customer_id": redemptions.c.customer_id,
}

STRING_FILTERS = {
    "voucher_code": redemptions.c.voucher_code,
    "related_object_id": redemptions.c.related_object_id,
    "related_object_parent_id": redemptions.c.campaign_id,
    "parent_redemption_id": redemptions.c.parent_id,
    "failure_code": redemptions.c.failure_code,
    "result": redemptions.c.result,
    "object": redemptions.c.object,
    "customer_id": redemptions.c.customer_id,
    "campaign_name": redemptions.c.campaign_name,
}
"""``filters[<field>]`` of ``GET /v1/redemptions`` and the column each one reads."""


@dataclass(frozen=True)
class Condition:
    """One ``filters[field][conditions][$op]=value`` condition."""

    field: str
    op: str
    values: tuple[str, ...]


@dataclass(frozen=True)
class RedemptionFilter:
    """What ``GET /v1/redemptions`` narrows by."""

    conditions: tuple[Condition, ...] = ()
    junction: str = "and"
    result: str | None = None
    campaign: str | None = None
    customer_id: str | None = None
    created_after: datetime | None = None
    created_before: datetime | None = None
    after_id: str | None = None
    """Keyset cursor for newest-first pages (``-created_at``, which is ``seq`` order): the
    rows after this redemption, on the ``(project_id, seq)`` index, never an offset."""


Op = Callable[[Any, tuple[str, ...], str], ColumnElement[bool]]

OPERATORS: dict[str, Op] = {
    "$in": lambda column, values, _: column.in_(values),
    "$not_in": lambda column, values, _: or_(column.is_(None), column.not_in(values)),
    "$is": lambda column, _, first: column == first,
    "$is_not": lambda column, _, first: or_(column.is_(None), column != first),
    "$has_value": lambda column, _, __: column.is_not(None),
    "$is_unknown": lambda column, _, __: column.is_(None),
    "$starts_with": lambda column, _, first: column.startswith(first, autoescape=True),
    "$ends_with": lambda column, _, first: column.endswith(first, autoescape=True),
    "$contains": lambda column, _, first: column.contains(first, autoescape=True),
    "$not_contain": lambda column, _, first: or_(
        column.is_(None), ~column.contains(first, autoescape=True)
    ),
}
"""Voucherify's string filter conditions as SQL."""


def _condition(condition: Condition) -> ColumnElement[bool]:
    first = condition.values[0] if condition.values else ""
    return OPERATORS[condition.op](STRING_FILTERS[condition.field], condition.values, first)


class RedemptionRepository:
    """SQL for redemptions and rollbacks, scoped to one project."""

    def __init__(self, conn: Connection, project_id: str) -> None:
        self.conn = conn
        self.project_id = project_id

    def insert(self, rows: Sequence[dict[str, Any]]) -> None:
        """Store redemptions or rollbacks."""
        if rows:
            self.conn.execute(INSERT, [{"project_id": self.project_id, **row} for row in rows])

    def _scoped(self) -> Any:
        return select(redemptions).where(redemptions.c.project_id == self.project_id)

    def get(self, redemption_id: str, *, lock: bool = False) -> dict[str, Any] | None:
        """By id; ``lock`` takes the row lock (``FOR UPDATE`` on PostgreSQL)."""
        params = {PROJECT: self.project_id, "_id": redemption_id}
        return prepared.first(self.conn, BY_ID_LOCKED if lock else BY_ID, params)

    def children(self, parent_id: str) -> list[dict[str, Any]]:
        """The stacked children of a parent redemption or rollback, in order."""
        query = self._scoped().where(redemptions.c.parent_id == parent_id)
        rows = self.conn.execute(query.order_by(redemptions.c.seq)).mappings()
        return [dict(row) for row in rows]

    def update(self, redemption_id: str, values: dict[str, Any]) -> None:
        """Change columns of one row (status, attrs)."""
        self.conn.execute(
            update(redemptions)
            .where(redemptions.c.project_id == self.project_id, redemptions.c.id == redemption_id)
            .values(**values)
        )

    def _where(self, filters: RedemptionFilter) -> list[ColumnElement[bool]]:
        clauses: list[ColumnElement[bool]] = [redemptions.c.project_id == self.project_id]
        if filters.conditions:
            parts = [_condition(condition) for condition in filters.conditions]
            clauses.append(and_(*parts) if filters.junction == "and" else or_(*parts))
        if filters.result:
            clauses.append(redemptions.c.result == filters.result.upper())
        if filters.campaign:
            clauses.append(
                or_(
                    redemptions.c.campaign_name == filters.campaign,
                    redemptions.c.campaign_id == filters.campaign,
                )
            )
        if filters.customer_id:
            clauses.append(redemptions.c.customer_id == filters.customer_id)
        if filters.created_after:
            clauses.append(redemptions.c.created_at > filters.created_after)
        if filters.created_before:
            clauses.append(redemptions.c.created_at < filters.created_before)
        if filters.after_id:
            r = redemptions.c
            cursor = select(r.seq).where(r.project_id == self.project_id, r.id == filters.after_id)
            clauses.append(r.seq < cursor.scalar_subquery())
        return clauses

    def page(
        self, filters: RedemptionFilter, *, order: str, limit: int, offset: int
    ) -> tuple[list[dict[str, Any]], int]:
        """One page of rows and the total matching."""
        clauses = self._where(filters)
        column = ORDER_COLUMNS[order.lstrip("-")]
        sort = column.desc() if order.startswith("-") else column.asc()
        query = self._scoped().where(*clauses).order_by(sort, redemptions.c.seq.desc())
        rows = self.conn.execute(query.limit(limit).offset(offset)).mappings()
        total = self.conn.execute(select(func.count()).where(*clauses)).scalar_one()
        return [dict(row) for row in rows], int(total)

    def of_voucher(
        self, voucher_id: str, limit: int, offset: int
    ) -> tuple[list[dict[str, Any]], int]:
        """A voucher's redemptions and rollbacks, newest first, and how many there are."""
        where = (
            redemptions.c.project_id == self.project_id,
            redemptions.c.voucher_id == voucher_id,
        )
        query = select(redemptions).where(*where).order_by(redemptions.c.seq.desc())
        rows = self.conn.execute(query.limit(limit).offset(offset)).mappings()
        total = self.conn.execute(select(func.count()).where(*where)).scalar_one()
        return [dict(row) for row in rows], int(total)


class VoucherCounters:
    """Locks and counters on vouchers that redemptions change."""

    def __init__(self, conn: Connection, project_id: str) -> None:
        self.conn = conn
        self.project_id = project_id

    def lock(self, voucher_ids: Iterable[str]) -> bool:
        """Lock the vouchers in id order (no deadlocks between overlapping stacks).

        False when nothing needed locking: SQLite's BEGIN IMMEDIATE already serialises writers.
        """
        ids = sorted(set(voucher_ids))
        if not ids or self.conn.dialect.name != "postgresql":
            return False
        self.conn.execute(LOCK_VOUCHERS, {PROJECT: self.project_id, "_ids": ids}).all()
        return True

    def add_redeemed(self, voucher_id: str, delta: int, now: datetime) -> None:
        """Change a voucher's ``redeemed_quantity`` by ``delta``."""
        params = {PROJECT: self.project_id, "_id": voucher_id, "_delta": delta, "_now": now}
        self.conn.execute(ADD_REDEEMED, params)

    def add_redeemed_returning(
        self, row: dict[str, Any], delta: int, now: datetime
    ) -> dict[str, Any]:
        """``add_redeemed`` for the voucher ``row``; the row as now stored (with ``row``'s
        joined campaign and category columns, which a transaction never changes)."""
        params = {PROJECT: self.project_id, "_id": row["id"], "_delta": delta, "_now": now}
        fresh = prepared.first(self.conn, ADD_REDEEMED_RETURNING, params)
        assert fresh is not None, "the voucher was read in this transaction"
        return {**row, **fresh}

    def campaigns_active(self, campaign_ids: Iterable[str]) -> dict[str, bool]:
        """``active`` of each campaign."""
        ids = sorted(set(campaign_ids))
        if not ids:
            return {}
        params = {PROJECT: self.project_id, "_ids": ids}
        return {row.id: bool(row.active) for row in self.conn.execute(CAMPAIGNS_ACTIVE, params)}

    def candidates(self, holder_id: str | None, *, public: bool, limit: int) -> list[str]:
        """Active vouchers of ``holder_id`` and/or (``public``) of no one: ids, newest first."""
        holders: list[ColumnElement[bool]] = []
        if holder_id is not None:
            holders.append(vouchers.c.holder_id == holder_id)
        if public:
            holders.append(vouchers.c.holder_id.is_(None))
        if not holders:
            return []
        query = (
            select(vouchers.c.id)
            .where(vouchers.c.project_id == self.project_id, vouchers.c.active.is_(True))
            .where(or_(*holders))
            .order_by(vouchers.c.created_at.desc(), vouchers.c.id)
            .limit(limit)
        )
        return [str(row.id) for row in self.conn.execute(query)]


# Hot statements, built once (see ``adapters.db.prepared``).
INSERT = insert(redemptions)
BY_ID = select(redemptions).where(
    redemptions.c.project_id == bindparam(PROJECT), redemptions.c.id == bindparam("_id")
)
BY_ID_LOCKED = BY_ID.with_for_update()
_VOUCHER = (vouchers.c.project_id == bindparam(PROJECT), vouchers.c.id == bindparam("_id"))
LOCK_VOUCHERS = (
    select(vouchers.c.id)
    .where(
        vouchers.c.project_id == bindparam(PROJECT),
        vouchers.c.id.in_(bindparam("_ids", expanding=True)),
    )
    .order_by(vouchers.c.id)
    .with_for_update()
)
ADD_REDEEMED = (
    update(vouchers)
    .where(*_VOUCHER)
    .values(
        redeemed_quantity=vouchers.c.redeemed_quantity + bindparam("_delta"),
        updated_at=bindparam("_now", type_=vouchers.c.updated_at.type),
    )
)
ADD_REDEEMED_RETURNING = ADD_REDEEMED.returning(*vouchers.c)
CAMPAIGNS_ACTIVE = select(campaigns.c.id, campaigns.c.active).where(
    campaigns.c.project_id == bindparam(PROJECT),
    campaigns.c.id.in_(bindparam("_ids", expanding=True)),
)
