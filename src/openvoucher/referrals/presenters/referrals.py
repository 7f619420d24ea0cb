"""Referral code holders in Voucherify's shape (``RedeemableHolder``)."""

from __future__ import annotations

from typing import Any

from openvoucher.kernel.clock import iso
from openvoucher.referrals.model import Holder


def holder(row: Holder, voucher_type: str) -> dict[str, Any]:
    """One holder of a referral code."""
    return {
        "id": row.id,
        "created_at": iso(row.created_at),
        "redeemable_id": row.voucher_id,
        "redeemable_object": "voucher",
        "campaign_id": row.campaign_id,
        "campaign_type": "REFERRAL_PROGRAM",
        "voucher_type": voucher_type,
        "customer_id": row.customer_id,
        "holder_role": row.holder_role,
        "metadata": row.metadata,
        "object": "redeemable_holder",
    }


def simple_holder(row: Holder, voucher_type: str) -> dict[str, Any]:
    """The holder of ``customer.holder.assignment.*`` events (``SimpleRedeemableHolder``)."""
    body = holder(row, voucher_type)
    body.pop("metadata")
    body["publication_id"] = row.publication_id
    return body


def holders_list(
    rows: list[Holder], voucher_type: str, total: int, has_more: bool
) -> dict[str, Any]:
    """The holders list envelope (cursor paged)."""
    return {
        "object": "list",
        "data_ref": "data",
        "data": [holder(row, voucher_type) for row in rows],
        "total": total,
        "has_more": has_more,
        "more_starting_after": rows[-1].id if has_more and rows else None,
    }
