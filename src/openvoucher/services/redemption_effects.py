"""What redemptions and rollbacks share: stored rows, events, customer counters, failures."""

from __future__ import annotations

from typing import Any

from openvoucher.adapters.db.repositories.customers import CustomerRepository
from openvoucher.adapters.db.repositories.vouchers import VoucherRepository
from openvoucher.domain.errors import VoucherifyError
from openvoucher.domain.events import Event
from openvoucher.presenters.customers import customer_ref
from openvoucher.presenters.redemptions import event_redemption
from openvoucher.services import vouchers
from openvoucher.services.unit_of_work import Tx

FAILURE = "__failure__"
"""Key of a stored outcome that is an error (kept so an idempotent replay fails the same way)."""


def failure(status: int, key: str, message: str, details: str, **extra: Any) -> dict[str, Any]:
    """A failed outcome to return from the transaction (it commits what was recorded)."""
    return {FAILURE: {"code": status, "key": key, "message": message, "details": details, **extra}}


def unwrap(outcome: dict[str, Any]) -> dict[str, Any]:
    """The response body, or the recorded failure raised as its Voucherify error."""
    if FAILURE not in outcome:
        return outcome
    error = dict(outcome[FAILURE])
    status, key = error.pop("code"), error.pop("key")
    message, details = error.pop("message"), error.pop("details")
    raise VoucherifyError(message, details, key=key, status=status, extra=error)


def voucher_row(tx: Tx, voucher_id: str) -> dict[str, Any]:
    """A voucher row read afresh (after counters or balances changed)."""
    row = VoucherRepository(tx.conn, tx.project_id).get(voucher_id)
    assert row is not None
    return row


def base_row(
    tx: Tx,
    *,
    row_id: str,
    voucher: dict[str, Any] | None,
    customer: dict[str, Any] | None,
    order: dict[str, Any] | None,
    tracking_id: str | None,
) -> dict[str, Any]:
    """Columns every redemption or rollback row has; callers add result, status and attrs."""
    return {
        "id": row_id,
        "object": "redemption",
        "parent_id": None,
        "redemption_id": None,
        "voucher_id": voucher["id"] if voucher else None,
        "voucher_code": voucher["code"] if voucher else None,
        "campaign_id": voucher["campaign_id"] if voucher else None,
        "campaign_name": voucher.get("campaign_name") if voucher else None,
        "customer_id": customer["id"] if customer else None,
        "order_id": order["id"] if order else None,
        "tracking_id": tracking_id,
        "amount": None,
        "failure_code": None,
        "related_object_type": "voucher" if voucher else "redemption",
        "related_object_id": voucher["id"] if voucher else row_id,
        "created_at": tx.now,
    }


def event_data(
    tx: Tx,
    voucher: dict[str, Any],
    customer: dict[str, Any] | None,
    order: dict[str, Any] | None,
    **redemptions: dict[str, Any],
) -> dict[str, Any]:
    """The data of a ``redemption.*`` event: voucher, campaign, customer, order, holder …"""
    holder = None
    if voucher["holder_id"] is not None:
        holder = CustomerRepository(tx.conn, tx.project_id).get(voucher["holder_id"])
    data = {
        **vouchers.event_data(tx, voucher),
        "customer": customer_ref(customer),
        "order": order,
        "holder": customer_ref(holder),
    }
    for name, row in redemptions.items():
        data[name] = event_redemption(row)
    return data


def emit(tx: Tx, kind: str, data: dict[str, Any], customer: dict[str, Any] | None) -> None:
    """``kind`` for the project, and ``customer.<kind>`` too when there is a customer."""
    entity = data["voucher"]["id"]
    tx.emit(Event(kind, data, entity_id=entity))
    if customer is not None and kind in {"redemption.succeeded", "redemption.rollback.succeeded"}:
        tx.emit(Event("customer." + kind, data, entity_id=customer["id"]))


def count(tx: Tx, customer: dict[str, Any] | None, **changes: int) -> None:
    """Add to the customer's ``summary.redemptions`` counters (``gift`` = redeemed credits)."""
    if customer is None:
        return
    repo = CustomerRepository(tx.conn, tx.project_id)
    current = repo.get(customer["id"])
    if current is None:
        return
    attrs = dict(current["attrs"])
    summary = dict(attrs.get("summary") or {})
    stats = dict(summary.get("redemptions") or {})
    gift = dict(stats.get("gift") or {"redeemed_amount": 0, "amount_to_go": 0})
    gift["redeemed_amount"] = int(gift.get("redeemed_amount", 0)) + changes.pop("gift", 0)
    for name, delta in changes.items():
        stats[name] = int(stats.get(name, 0)) + delta
    stats["gift"] = gift
    summary["redemptions"] = stats
    attrs["summary"] = summary
    repo.update(customer["id"], {"attrs": attrs})
