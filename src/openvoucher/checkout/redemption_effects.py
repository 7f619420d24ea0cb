"""What redemptions and rollbacks share: stored rows, events, customer counters, failures."""

from __future__ import annotations

from typing import Any

from openvoucher.catalog import tx_cache
from openvoucher.catalog.repositories.vouchers import VoucherRepository
from openvoucher.checkout.presenters.redemptions import event_redemption
from openvoucher.customers.presenters.customers import customer_ref
from openvoucher.customers.repositories.customers import CustomerRepository
from openvoucher.kernel.clock import iso
from openvoucher.kernel.errors import VoucherifyError
from openvoucher.kernel.events import Event
from openvoucher.kernel.unit_of_work import Tx

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
        "promotion_tier_id": None,
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
    """The data of a ``redemption.*`` event: voucher, campaign, customer, order (``null``
    without one: an empty order is no ``SimpleOrder``), holder …"""
    holder = None
    if voucher["holder_id"] is not None:
        holder = CustomerRepository(tx.conn, tx.project_id).get(voucher["holder_id"])
    data = {
        **tx_cache.voucher_event_data(tx, voucher),
        "customer": customer_ref(customer),
        "order": order or None,
        "holder": customer_ref(holder),
    }
    for name, row in redemptions.items():
        data[name] = event_redemption(row)
    return data


def emit(tx: Tx, kind: str, data: dict[str, Any], customer: dict[str, Any] | None) -> None:
    """``kind`` for the project, and ``customer.<kind>`` too when there is a customer."""
    entity = (data.get("voucher") or data.get("promotion_tier") or {}).get("id")
    tx.emit(Event(kind, data, entity_id=entity))
    if customer is not None and kind in {"redemption.succeeded", "redemption.rollback.succeeded"}:
        tx.emit(Event("customer." + kind, data, entity_id=customer["id"]))


def count(tx: Tx, customer: dict[str, Any] | None, **changes: int) -> None:
    """Add to the customer's ``summary.redemptions`` counters (``gift`` = redeemed credits)."""
    if customer is None:
        return
    gift_delta = changes.pop("gift", 0)

    def add(attrs: dict[str, Any]) -> dict[str, Any]:
        summary = dict(attrs.get("summary") or {})
        stats = dict(summary.get("redemptions") or {})
        gift = dict(stats.get("gift") or {"redeemed_amount": 0, "amount_to_go": 0})
        gift["redeemed_amount"] = int(gift.get("redeemed_amount", 0)) + gift_delta
        for name, delta in changes.items():
            stats[name] = int(stats.get(name, 0)) + delta
        stats["gift"] = gift
        summary["redemptions"] = stats
        return {**attrs, "summary": summary}

    CustomerRepository(tx.conn, tx.project_id).change_attrs(customer["id"], add)


def simple_redemption(
    tx: Tx,
    row_id: str,
    *,
    rollback: bool = False,
    customer: dict[str, Any] | None = None,
    tracking_id: str | None = None,
    metadata: dict[str, Any] | None = None,
) -> dict[str, Any]:
    """The ``SimpleRedemption`` a points transaction's events carry, before its row is stored."""
    body = {
        "id": row_id,
        "object": "redemption_rollback" if rollback else "redemption",
        "date": iso(tx.now),
        "customer_id": customer["id"] if customer else None,
        "metadata": metadata or {},
        "result": "SUCCESS",
        "status": "SUCCEEDED",
    }
    if tracking_id is not None:
        body["tracking_id"] = tracking_id
    return body


def pay_with_points(
    tx: Tx,
    context: Any,
    outcome: Any,
    order: dict[str, Any],
    rid: str,
    tracking_id: str | None,
    body: dict[str, Any],
) -> dict[str, Any]:
    """Spend the points a loyalty card pays with (``outcome.result.loyalty_card.points``) as
    ``POINTS_REDEMPTION``; the attrs the redemption row keeps (empty for other vouchers)."""
    points = int((outcome.result.get("loyalty_card") or {}).get("points") or 0)
    if outcome.facts.type != "LOYALTY_CARD" or points <= 0:
        return {}
    from openvoucher.loyalty import reward_redemptions

    card = context.vouchers.rows[outcome.facts.id]
    offer = outcome.facts.coin_rewards[str(outcome.request.reward["id"])]
    redemption = simple_redemption(
        tx, rid, customer=context.customer, tracking_id=tracking_id, metadata=body.get("metadata")
    )
    return reward_redemptions.spend(
        tx, card, points, offer["assignment_id"], order=order, redemption=redemption
    )


def refund_points(
    tx: Tx, child: dict[str, Any], rollback_id: str, order: dict[str, Any] | None
) -> dict[str, Any]:
    """Give back the points a rolled-back redemption spent (``POINTS_REFUND``); the attrs the
    rollback row keeps (empty when it spent none)."""
    if not (child["attrs"].get("loyalty_card") or {}).get("points"):
        return {}
    from openvoucher.loyalty import reward_redemptions

    return reward_redemptions.refund(tx, child, rollback_id, order)
