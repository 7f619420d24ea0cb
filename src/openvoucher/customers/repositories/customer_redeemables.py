"""The vouchers a customer holds (``GET /v1/customers/{id}/redeemables``).

One holding per voucher whose holder is the customer; its id is ``rh_`` + the voucher id and
it dates from the voucher's first publication to the customer (else the voucher's creation).
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import Connection, String, func, literal, select

from openvoucher.adapters.db import filters as listing
from openvoucher.adapters.db.schema.catalog import (
    campaigns,
    categories,
    publication_vouchers,
    publications,
    vouchers,
)
from openvoucher.catalog.repositories.vouchers import JOINED_COLUMNS
from openvoucher.kernel.filters import Filters

HOLDING_PREFIX = "rh_"

_first_publication = (
    select(func.min(publications.c.created_at))
    .select_from(
        publication_vouchers.join(
            publications, publications.c.id == publication_vouchers.c.publication_id
        )
    )
    .where(
        publication_vouchers.c.voucher_id == vouchers.c.id,
        publications.c.customer_id == vouchers.c.holder_id,
    )
    .scalar_subquery()
)
HELD_SINCE = func.coalesce(_first_publication, vouchers.c.created_at)

FILTER_FIELDS = {
    "id": listing.column(literal(HOLDING_PREFIX, String()) + vouchers.c.id, "string"),
    "created_at": listing.column(HELD_SINCE, "date"),
    "redeemable_id": listing.column(vouchers.c.id, "string"),
    "redeemable_object": listing.column(literal("voucher", String()), "string"),
    "holder_role": listing.column(literal("OWNER", String()), "string"),
    "campaign_id": listing.column(vouchers.c.campaign_id, "string"),
    "campaign_type": listing.column(campaigns.c.campaign_type, "string"),
    "voucher_type": listing.column(vouchers.c.type, "string"),
}
"""Fields of ``filters[…]``."""


class CustomerRedeemableRepository:
    """SQL for a customer's holdings, scoped to one project."""

    def __init__(self, conn: Connection, project_id: str) -> None:
        self.conn = conn
        self.project_id = project_id

    def page(
        self,
        customer_id: str,
        filters: Filters,
        now: datetime,
        *,
        limit: int,
        descending: bool,
        after_voucher: str | None,
    ) -> tuple[list[dict[str, Any]], bool, int]:
        """Up to ``limit`` holdings in voucher-id order after ``after_voucher``, whether more
        follow, and how many match in all."""
        joined = vouchers.outerjoin(campaigns, campaigns.c.id == vouchers.c.campaign_id).outerjoin(
            categories, categories.c.id == vouchers.c.category_id
        )
        conditions = [vouchers.c.project_id == self.project_id, vouchers.c.holder_id == customer_id]
        clause = listing.where(filters, FILTER_FIELDS, self.conn.dialect, now)
        if clause is not None:
            conditions.append(clause)
        total = self.conn.execute(
            select(func.count()).select_from(joined).where(*conditions)
        ).scalar_one()
        if after_voucher is not None:
            after = vouchers.c.id < after_voucher if descending else vouchers.c.id > after_voucher
            conditions.append(after)
        order = vouchers.c.id.desc() if descending else vouchers.c.id.asc()
        columns = (
            vouchers,
            *JOINED_COLUMNS,
            campaigns.c.campaign_type.label("campaign_type"),
            HELD_SINCE.label("held_since"),
        )
        query = select(*columns).select_from(joined).where(*conditions).order_by(order)
        rows = [dict(r) for r in self.conn.execute(query.limit(limit + 1)).mappings()]
        return rows[:limit], len(rows) > limit, int(total)
