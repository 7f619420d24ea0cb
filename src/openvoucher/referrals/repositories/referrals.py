"""SQL for referral code holders and the referrals counted (scoped to one project)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import ColumnElement, Connection, RowMapping, delete, func, insert, select

from openvoucher.adapters.db import filters as listing
from openvoucher.adapters.db.schema.referrals import redeemable_holders, referrals
from openvoucher.kernel.filters import Filters
from openvoucher.referrals.model import Holder

HOLDER_FIELDS = {
    "id": listing.column(redeemable_holders.c.id, "string"),
    "created_at": listing.column(redeemable_holders.c.created_at, "date"),
    "holder_role": listing.column(redeemable_holders.c.holder_role, "string"),
    "customer_id": listing.column(redeemable_holders.c.customer_id, "string"),
}
"""Fields of the holders list's ``filters``."""


def _holder(row: RowMapping) -> Holder:
    return Holder(
        id=row["id"],
        voucher_id=row["voucher_id"],
        campaign_id=row["campaign_id"],
        customer_id=row["customer_id"],
        holder_role=row["holder_role"],
        publication_id=row["publication_id"],
        metadata=(row["attrs"] or {}).get("metadata") or {},
        created_at=row["created_at"],
    )


class HolderRepository:
    """The holders of referral codes (``rh_…``)."""

    def __init__(self, conn: Connection, project_id: str) -> None:
        self.conn = conn
        self.project_id = project_id

    def insert(self, holder: Holder) -> None:
        """Store a new holder."""
        self.conn.execute(
            insert(redeemable_holders).values(
                project_id=self.project_id,
                id=holder.id,
                voucher_id=holder.voucher_id,
                campaign_id=holder.campaign_id,
                customer_id=holder.customer_id,
                holder_role=holder.holder_role,
                publication_id=holder.publication_id,
                attrs={"metadata": holder.metadata},
                created_at=holder.created_at,
            )
        )

    def _scoped(self, *conditions: ColumnElement[bool]) -> list[ColumnElement[bool]]:
        return [redeemable_holders.c.project_id == self.project_id, *conditions]

    def get(self, holder_id: str) -> Holder | None:
        """One holder by id."""
        scoped = self._scoped(redeemable_holders.c.id == holder_id)
        query = select(redeemable_holders).where(*scoped)
        found = self.conn.execute(query).mappings().first()
        return _holder(found) if found else None

    def of_customer(self, voucher_id: str, customer_id: str) -> Holder | None:
        """The customer's holder row of the code, or None."""
        c = redeemable_holders.c
        query = select(redeemable_holders).where(
            *self._scoped(c.voucher_id == voucher_id, c.customer_id == customer_id)
        )
        found = self.conn.execute(query).mappings().first()
        return _holder(found) if found else None

    def page(
        self,
        voucher_id: str,
        filters: Filters,
        now: datetime,
        *,
        descending: bool,
        after: tuple[datetime, str] | None,
        limit: int,
    ) -> tuple[list[Holder], int]:
        """A page of the code's holders by (created_at, id) after the cursor, and their number."""
        c = redeemable_holders.c
        where = self._scoped(c.voucher_id == voucher_id)
        chosen = listing.where(filters, HOLDER_FIELDS, self.conn.dialect, now)
        if chosen is not None:
            where.append(chosen)
        counted = select(func.count()).select_from(redeemable_holders).where(*where)
        total = self.conn.execute(counted)
        key = (c.created_at, c.id)
        if after is not None:
            earlier = (c.created_at < after[0]) | ((c.created_at == after[0]) & (c.id < after[1]))
            later = (c.created_at > after[0]) | ((c.created_at == after[0]) & (c.id > after[1]))
            where.append(earlier if descending else later)
        order = [k.desc() for k in key] if descending else list(key)
        query = select(redeemable_holders).where(*where).order_by(*order).limit(limit)
        rows = [_holder(r) for r in self.conn.execute(query).mappings()]
        return rows, int(total.scalar_one())

    def delete(self, holder_id: str) -> None:
        """Remove a holder."""
        self.conn.execute(
            delete(redeemable_holders).where(*self._scoped(redeemable_holders.c.id == holder_id))
        )


class ReferralRepository:
    """The referrals counted: one per referee and referrer in a campaign."""

    def __init__(self, conn: Connection, project_id: str) -> None:
        self.conn = conn
        self.project_id = project_id

    def exists(self, campaign_id: str, referrer_id: str, referee_id: str) -> bool:
        """Whether the referee was already counted for the referrer in the campaign."""
        c = referrals.c
        query = select(c.id).where(
            c.project_id == self.project_id,
            c.campaign_id == campaign_id,
            c.referrer_id == referrer_id,
            c.referee_id == referee_id,
        )
        return self.conn.execute(query).first() is not None

    def insert(self, row: dict[str, Any]) -> None:
        """Count a referral."""
        self.conn.execute(insert(referrals).values(project_id=self.project_id, **row))

    def count_in(self, campaign_id: str, start: datetime | None, end: datetime | None) -> int:
        """How many referrals the campaign counted in ``[start, end)`` (open bounds)."""
        c = referrals.c
        where = [c.project_id == self.project_id, c.campaign_id == campaign_id]
        if start is not None:
            where.append(c.created_at >= start)
        if end is not None:
            where.append(c.created_at < end)
        return int(self.conn.execute(select(func.count()).where(*where)).scalar_one())
