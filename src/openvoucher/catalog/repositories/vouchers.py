"""Vouchers of one project, read with their campaign and category joined for rendering."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from operator import itemgetter
from typing import Any

from sqlalchemy import (
    Connection,
    bindparam,
    delete,
    func,
    insert,
    or_,
    select,
    update,
)

from openvoucher.adapters.db import filters as listing
from openvoucher.adapters.db import prepared
from openvoucher.adapters.db.prepared import PROJECT
from openvoucher.adapters.db.schema.catalog import campaigns, categories, vouchers
from openvoucher.catalog.domain.campaigns import REFERRAL
from openvoucher.catalog.repositories.voucher_binds import driver_converter, driver_value
from openvoucher.kernel.filters import NO_FILTERS, Filters

ORDER_COLUMNS = {
    "created_at": vouchers.c.created_at,
    "updated_at": vouchers.c.updated_at,
    "code": vouchers.c.code,
}

FILTER_FIELDS = {
    "id": listing.column(vouchers.c.id, "string"),
    "code": listing.column(vouchers.c.code, "string"),
    "type": listing.column(vouchers.c.type, "string"),
    "campaign_id": listing.column(vouchers.c.campaign_id, "string"),
    "campaign_ids": listing.column(vouchers.c.campaign_id, "string"),
    "campaign": listing.column(campaigns.c.name, "string"),
    "category_id": listing.column(vouchers.c.category_id, "string"),
    "category": listing.column(categories.c.name, "string"),
    "holder_id": listing.column(vouchers.c.holder_id, "string"),
    "active": listing.FieldRef(
        vouchers.c.active,
        "voucher_state",
        start=vouchers.c.start_date,
        end=vouchers.c.expiration_date,
    ),
    "is_referral_code": listing.column(
        func.coalesce(campaigns.c.campaign_type, "") == REFERRAL, "boolean"
    ),
    "created_at": listing.column(vouchers.c.created_at, "date"),
    "updated_at": listing.column(vouchers.c.updated_at, "date"),
    "start_date": listing.column(vouchers.c.start_date, "date"),
    "expiration_date": listing.column(vouchers.c.expiration_date, "date"),
    "redemption.quantity": listing.column(vouchers.c.redemption_quantity, "number"),
    "redemption.redeemed_quantity": listing.column(vouchers.c.redeemed_quantity, "number"),
    "publish.count": listing.column(vouchers.c.publish_count, "number"),
    "gift.amount": listing.column(vouchers.c.gift_amount, "number"),
    "gift.balance": listing.column(vouchers.c.gift_balance, "number"),
    "loyalty_card.points": listing.column(vouchers.c.loyalty_points, "number"),
    "loyalty_card.balance": listing.column(vouchers.c.loyalty_balance, "number"),
    "additional_info": listing.json_path(vouchers.c.attrs, "additional_info", kind="string"),
    "metadata.*": listing.json_path(vouchers.c.attrs, "metadata"),
}
"""Fields of ``GET /v1/vouchers?filters[…]``."""

JOINED_COLUMNS = (
    campaigns.c.name.label("campaign_name"),
    campaigns.c.attrs.label("campaign_attrs"),
    categories.c.name.label("category_name"),
    categories.c.hierarchy.label("category_hierarchy"),
    categories.c.created_at.label("category_created_at"),
    categories.c.updated_at.label("category_updated_at"),
)


@dataclass(frozen=True)
class VoucherFilter:
    """Filters of ``GET /v1/vouchers`` (references already resolved to ids)."""

    campaign_id: str | None = None
    holder_id: str | None = None
    category_id: str | None = None
    code: str | None = None
    code_prefix: str | None = None
    """Codes starting with this text (case-sensitive), found through the code index."""
    code_after: str | None = None
    """Codes sorting after this one: the next page of a list in code order (keyset)."""
    ids: tuple[str, ...] = ()
    created_before: datetime | None = None
    created_after: datetime | None = None
    updated_before: datetime | None = None
    updated_after: datetime | None = None
    filters: Filters = NO_FILTERS
    now: datetime | None = None


class VoucherRepository:
    """SQL for vouchers, scoped to one project."""

    def __init__(self, conn: Connection, project_id: str) -> None:
        self.conn = conn
        self.project_id = project_id

    def _scoped(self) -> Any:
        return (
            select(vouchers, *JOINED_COLUMNS)
            .select_from(_joined())
            .where(vouchers.c.project_id == self.project_id)
        )

    def get(self, voucher_id: str) -> dict[str, Any] | None:
        """By id."""
        return prepared.first(self.conn, BY_ID, {PROJECT: self.project_id, "_id": voucher_id})

    def get_by_code(self, code: str) -> dict[str, Any] | None:
        """By code."""
        return prepared.first(self.conn, BY_CODE, {PROJECT: self.project_id, "_code": code})

    def get_by_code_or_id(self, ident: str, *, lock: bool = False) -> dict[str, Any] | None:
        """By code, falling back to id (Voucherify's paths accept either).

        ``lock`` locks and reads in one statement (``FOR UPDATE OF vouchers`` on PostgreSQL,
        which returns the row as the lock holder left it; SQLite's BEGIN IMMEDIATE already
        serialises writers), so the row can be trusted for the rest of the transaction.
        """
        statement = BY_CODE_OR_ID_LOCKED if lock else BY_CODE_OR_ID
        params = {PROJECT: self.project_id, "_ident": ident}
        rows = code_first(prepared.all_rows(self.conn, statement, params), ident)
        return rows[0] if rows else None

    def many_by_code_or_id(self, idents: Sequence[str]) -> dict[str, dict[str, Any]]:
        """``get_by_code_or_id`` of each of ``idents`` in one statement (unknown ones absent)."""
        wanted = sorted(set(idents))
        if not wanted:
            return {}
        params = {PROJECT: self.project_id, "_idents": wanted}
        rows = prepared.for_dialect(self.conn, BY_CODES_OR_IDS).rows(self.conn, params)
        by_id = {row["id"]: row for row in rows}
        by_code = {row["code"]: row for row in rows}
        found = {ident: by_code.get(ident) or by_id.get(ident) for ident in wanted}
        return {ident: row for ident, row in found.items() if row is not None}

    def get_locked(self, voucher_id: str) -> dict[str, Any] | None:
        """By id, locked and read in one statement (see ``get_by_code_or_id``)."""
        params = {PROJECT: self.project_id, "_id": voucher_id}
        return prepared.first(self.conn, BY_ID_LOCKED, params)

    def card_of(
        self, campaign_id: str, holder_id: str, *, lock: bool = False
    ) -> dict[str, Any] | None:
        """The holder's first card (oldest, then by id) in the campaign; ``lock`` locks and
        reads it in one statement (see ``get_by_code_or_id``)."""
        params = {PROJECT: self.project_id, "_campaign": campaign_id, "_holder": holder_id}
        return prepared.first(self.conn, CARD_OF_LOCKED if lock else CARD_OF, params)

    def relock(self, rows: dict[str, dict[str, Any]]) -> dict[str, dict[str, Any]]:
        """Lock the vouchers of ``rows`` (by id) in id order, so overlapping stacks cannot
        deadlock, and read them again in the same statement: PostgreSQL. SQLite's BEGIN
        IMMEDIATE already serialises writers, so there ``rows`` are current as they are."""
        if self.conn.dialect.name == "sqlite":
            return rows
        params = {PROJECT: self.project_id, "_ids": sorted(rows)}
        fresh = {row["id"]: row for row in prepared.all_rows(self.conn, BY_IDS_LOCKED, params)}
        return {voucher_id: fresh.get(voucher_id, row) for voucher_id, row in rows.items()}

    def update_returning(
        self, row: dict[str, Any], values: dict[str, Any]
    ) -> dict[str, Any] | None:
        """Change plain column values of the voucher ``row`` and return it as now stored, with
        ``row``'s joined campaign and category columns (a transaction never changes those)."""
        params = {PROJECT: self.project_id, "_id": row["id"], **values}
        fresh = prepared.first(self.conn, UPDATE_RETURNING, params)
        return {**row, **fresh} if fresh is not None else None

    def insert(self, row: dict[str, Any]) -> None:
        """Store one voucher (a duplicate code raises ``IntegrityError``)."""
        self.conn.execute(insert(vouchers).values(project_id=self.project_id, **row))

    def insert_new_codes(self, rows: Sequence[dict[str, Any]]) -> int:
        """Store vouchers, skipping codes that already exist; how many were stored."""
        inserted = 0
        for row in rows:
            shared = {k: v for k, v in row.items() if k not in {"id", "code"}}
            inserted += self.insert_batch(shared, [(row["id"], row["code"])])
        return inserted

    def insert_batch(self, shared: dict[str, Any], pairs: Sequence[tuple[str, str]]) -> int:
        """Store one voucher per ``(id, code)`` pair, all other columns from ``shared``, in one
        executemany; codes that already exist are skipped. Returns how many were stored.

        The shared values are converted for the driver once, not once per row, which is what
        makes generating 100 000 codes take seconds.
        """
        if not pairs:
            return 0
        dialect = self.conn.dialect
        names = [name for name in shared if name not in {"id", "code", "project_id"}]
        values = tuple(driver_value(name, shared[name], dialect) for name in names)
        columns = ["project_id", "id", "code", *names]
        mark = "?" if dialect.paramstyle == "qmark" else "%s"
        sql = (
            f"INSERT INTO vouchers ({', '.join(columns)}) "
            f"VALUES ({', '.join([mark] * len(columns))}) "
            "ON CONFLICT (project_id, code) DO NOTHING"
        )
        params = [(self.project_id, voucher_id, code, *values) for voucher_id, code in pairs]
        result = self.conn.exec_driver_sql(sql, params)
        return int(result.rowcount)

    def insert_rows(self, rows: Sequence[dict[str, Any]]) -> int:
        """Store vouchers each with its own values (all rows have the same keys) in one
        executemany; codes that already exist are skipped. Returns how many were stored.

        Values repeated across rows (type, dates, flags) are converted for the driver once.
        """
        if not rows:
            return 0
        dialect = self.conn.dialect
        names = [name for name in rows[0] if name != "project_id"]
        mark = "?" if dialect.paramstyle == "qmark" else "%s"
        sql = (
            f"INSERT INTO vouchers (project_id, {', '.join(names)}) "
            f"VALUES ({', '.join([mark] * (len(names) + 1))}) "
            "ON CONFLICT (project_id, code) DO NOTHING"
        )
        converters = [(i, driver_converter(name, dialect)) for i, name in enumerate(names, 1)]
        converters = [(i, convert) for i, convert in converters if convert is not None]
        values = itemgetter(*names)
        params = []
        for row in rows:
            param = [self.project_id, *values(row)]
            for index, convert in converters:
                param[index] = convert(param[index])
            params.append(tuple(param))
        return int(self.conn.exec_driver_sql(sql, params).rowcount)

    def existing_codes(self, codes: Sequence[str]) -> set[str]:
        """Which of ``codes`` are taken."""
        if not codes:
            return set()
        query = select(vouchers.c.code).where(
            vouchers.c.project_id == self.project_id, vouchers.c.code.in_(codes)
        )
        return set(self.conn.execute(query).scalars())

    def update(self, voucher_id: str, values: dict[str, Any]) -> None:
        """Change columns of a voucher."""
        if prepared.plain(vouchers, values):
            params = {PROJECT: self.project_id, "_id": voucher_id, **values}
            self.conn.execute(UPDATE, params)
            return
        self.conn.execute(
            update(vouchers)
            .where(vouchers.c.project_id == self.project_id, vouchers.c.id == voucher_id)
            .values(**values)
        )

    def delete(self, voucher_id: str) -> None:
        """Remove one voucher."""
        self.conn.execute(
            delete(vouchers).where(
                vouchers.c.project_id == self.project_id, vouchers.c.id == voucher_id
            )
        )

    def delete_some_of_campaign(self, campaign_id: str, limit: int) -> int:
        """Remove up to ``limit`` vouchers of a campaign; how many went."""
        ids = (
            select(vouchers.c.id)
            .where(vouchers.c.project_id == self.project_id, vouchers.c.campaign_id == campaign_id)
            .limit(limit)
            .scalar_subquery()
        )
        result = self.conn.execute(delete(vouchers).where(vouchers.c.id.in_(ids)))
        return int(result.rowcount)

    def _like(self, prefix: str, postfix: str, size: int) -> list[Any]:
        c = vouchers.c
        return [
            c.project_id == self.project_id,
            c.code.startswith(prefix, autoescape=True),
            c.code.endswith(postfix, autoescape=True),
            func.length(c.code) == size,
        ]

    def count_like(self, prefix: str, postfix: str, size: int) -> int:
        """How many codes have this prefix, postfix and total length."""
        query = select(func.count()).select_from(vouchers).where(*self._like(prefix, postfix, size))
        return int(self.conn.execute(query).scalar_one())

    def codes_like(self, prefix: str, postfix: str, size: int) -> list[str]:
        """The codes with this prefix, postfix and total length."""
        query = select(vouchers.c.code).where(*self._like(prefix, postfix, size))
        return list(self.conn.execute(query).scalars())

    def page(
        self, filters: VoucherFilter, *, order: str, limit: int, offset: int
    ) -> tuple[list[dict[str, Any]], int]:
        """One page of vouchers and the total matching."""
        conditions = self._conditions(filters)
        column = ORDER_COLUMNS[order.lstrip("-")]
        ordering = column.desc() if order.startswith("-") else column.asc()
        query = self._scoped().where(*conditions).order_by(ordering, vouchers.c.id)
        rows = [dict(r) for r in self.conn.execute(query.limit(limit).offset(offset)).mappings()]
        count = (
            select(func.count())
            .select_from(_joined() if filters.filters else vouchers)
            .where(vouchers.c.project_id == self.project_id, *conditions)
        )
        return rows, int(self.conn.execute(count).scalar_one())

    def _conditions(self, f: VoucherFilter) -> list[Any]:
        c = vouchers.c
        conditions: list[Any] = []
        for value, column in (
            (f.campaign_id, c.campaign_id),
            (f.holder_id, c.holder_id),
            (f.category_id, c.category_id),
            (f.code, c.code),
        ):
            if value is not None:
                conditions.append(column == value)
        if f.code_prefix:
            # A range on (project_id, code): the unique index answers it, LIKE would scan.
            conditions.extend((c.code >= f.code_prefix, c.code < f.code_prefix + "\U0010ffff"))
        if f.code_after:
            conditions.append(c.code > f.code_after)
        if f.ids:
            conditions.append(c.id.in_(f.ids))
        for moment, column, before in (
            (f.created_before, c.created_at, True),
            (f.created_after, c.created_at, False),
            (f.updated_before, c.updated_at, True),
            (f.updated_after, c.updated_at, False),
        ):
            if moment is not None:
                conditions.append(column < moment if before else column > moment)
        if f.filters:
            assert f.now is not None, "relative filters need the transaction's time"
            conditions.append(listing.where(f.filters, FILTER_FIELDS, self.conn.dialect, f.now))
        return conditions


def code_first(rows: list[dict[str, Any]], ident: str) -> list[dict[str, Any]]:
    """A code that equals another voucher's id: the code match wins."""
    if len(rows) > 1:
        rows.sort(key=lambda r: r["code"] != ident)
    return rows


def _joined() -> Any:
    return vouchers.outerjoin(campaigns, campaigns.c.id == vouchers.c.campaign_id).outerjoin(
        categories, categories.c.id == vouchers.c.category_id
    )


# Hot statements, built once (see ``adapters.db.prepared``).
_HOT = (
    select(vouchers, *JOINED_COLUMNS, campaigns.c.active.label("campaign_active"))
    .select_from(_joined())
    .where(vouchers.c.project_id == bindparam(PROJECT))
)
BY_ID = _HOT.where(vouchers.c.id == bindparam("_id"))
BY_CODE = _HOT.where(vouchers.c.code == bindparam("_code"))
BY_CODE_OR_ID = _HOT.where(
    or_(vouchers.c.code == bindparam("_ident"), vouchers.c.id == bindparam("_ident"))
)
BY_ID_LOCKED = BY_ID.with_for_update(of=vouchers)
_BY_CODE = prepared.in_ids(vouchers.c.code, "_idents")
_BY_ID = prepared.in_ids(vouchers.c.id, "_idents")
BY_CODES_OR_IDS = {
    dialect: prepared.LeanSelect(_HOT.where(or_(_BY_CODE[dialect], _BY_ID[dialect])))
    for dialect in _BY_CODE
}
"""By dialect (see ``prepared.in_ids``); lean rows (a stack reads up to 30 wide rows)."""


CARD_OF = (
    _HOT.where(
        vouchers.c.campaign_id == bindparam("_campaign"),
        vouchers.c.holder_id == bindparam("_holder"),
    )
    .order_by(vouchers.c.created_at, vouchers.c.id)
    .limit(1)
)
CARD_OF_LOCKED = CARD_OF.with_for_update(of=vouchers)
BY_CODE_OR_ID_LOCKED = BY_CODE_OR_ID.with_for_update(of=vouchers)
BY_IDS_LOCKED = (
    _HOT.where(vouchers.c.id.in_(bindparam("_ids", expanding=True)))
    .order_by(vouchers.c.id)
    .with_for_update(of=vouchers)
)
_BY_PK = (vouchers.c.project_id == bindparam(PROJECT), vouchers.c.id == bindparam("_id"))
UPDATE = update(vouchers).where(*_BY_PK)
UPDATE_RETURNING = UPDATE.returning(*vouchers.c)
