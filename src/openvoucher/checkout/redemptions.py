"""``POST /v1/redemptions`` (all redeemables or none, in one transaction) and the reads.

The evaluation is the validation's; when it is valid every applicable redeemable is applied:
voucher counters, gift credits through the gift-card ledger, the order upserted with the
discount and linked, the customer's counters, and the events — all in one transaction.
When any redeemable is inapplicable nothing is applied: the failures are recorded
(``redemption.failed``) and the request answers 400 (404 for an unknown code).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from openvoucher.catalog import tx_cache
from openvoucher.catalog.metadata_schemas import enforce
from openvoucher.catalog.presenters.vouchers import voucher as render_voucher
from openvoucher.checkout import evaluation, lock_late, orders, sessions
from openvoucher.checkout import promotion_redemptions as tier_effects
from openvoucher.checkout import redemption_effects as effects
from openvoucher.checkout.domain.order_totals import padded
from openvoucher.checkout.domain.redeemables import Outcome
from openvoucher.checkout.presenters.orders import order as render_order
from openvoucher.checkout.presenters.redemptions import (
    redeemable,
    redemption,
    with_totals,
)
from openvoucher.checkout.repositories.redemptions import (
    RedemptionRepository,
    VoucherCounters,
)
from openvoucher.customers import customers
from openvoucher.customers.presenters.customers import customer_ref
from openvoucher.gift_cards import credits as gift_cards
from openvoucher.kernel import ledger
from openvoucher.kernel.clock import iso
from openvoucher.kernel.errors import NotFound
from openvoucher.kernel.idempotency import IdempotencyKey, once
from openvoucher.kernel.ids import new_id
from openvoucher.kernel.unit_of_work import Tx, UnitOfWork
from openvoucher.referrals import conversions as referrals


def redeem(
    uow: UnitOfWork,
    project_id: str,
    body: dict[str, Any],
    idempotency: IdempotencyKey | None = None,
) -> dict[str, Any]:
    """Redeem the stack; the same Idempotency-Key and body give the stored outcome again.

    On PostgreSQL one voucher is first tried lock-late (``lock_late``, ADR 0089); when the
    voucher moved so that its evaluation may not hold, that transaction rolls back and the
    redemption runs again, locking the voucher before evaluating it.
    """
    try:
        with uow.write(project_id) as tx:
            outcome = once(tx, idempotency, lambda: _redeem(tx, body, late=True))
    except lock_late.Stale:
        with uow.write(project_id) as tx:
            outcome = once(tx, idempotency, lambda: _redeem(tx, body, late=False))
    return effects.unwrap(outcome)


def _customer(tx: Tx, body: dict[str, Any]) -> dict[str, Any] | None:
    spec = body.get("customer") or (body.get("order") or {}).get("customer")
    return customers.resolve(tx, spec) if spec else None


def _redeem(tx: Tx, body: dict[str, Any], *, late: bool) -> dict[str, Any]:
    enforce(tx, "redemption", body.get("metadata"))
    customer = _customer(tx, body)
    late = late and lock_late.eligible(tx, body)
    context = evaluation.run(tx, body, customer, lock=not late)
    if not context.evaluation.valid:
        return _fail(tx, body, context)
    return _succeed(tx, body, context)


def _fail(tx: Tx, body: dict[str, Any], context: evaluation.Context) -> dict[str, Any]:
    tracking = evaluation.tracking_id(body, context.customer)
    recorded: list[str] = []
    for outcome in context.evaluation.inapplicable:
        if outcome.facts is None:
            continue
        if outcome.facts.object == "promotion_tier":
            recorded.append(_fail_tier(tx, body, context, outcome, tracking))
            continue
        row = effects.base_row(
            tx,
            row_id=new_id("redemption"),
            voucher=context.vouchers.rows[outcome.facts.id],
            customer=context.customer,
            order=None,
            tracking_id=tracking,
        )
        row.update(result="FAILURE", status="FAILED", failure_code=outcome.error)
        row["attrs"] = _attrs(tx, body, context, context.order, row["voucher_id"])
        row["attrs"]["failure_message"] = outcome.message
        RedemptionRepository(tx.conn, tx.project_id).insert([row])
        data = effects.event_data(
            tx, context.vouchers.rows[outcome.facts.id], context.customer, None, redemption=row
        )
        effects.emit(tx, "redemption.failed", data, context.customer)
        recorded.append(row["id"])
    effects.count(tx, context.customer, total_failed=len(recorded), total_redeemed=len(recorded))
    first = context.evaluation.inapplicable[0]
    names = evaluation.campaign_names(context.vouchers, context.tiers)
    listed = [redeemable(o, context.order, names) for o in context.evaluation.inapplicable]
    not_found = first.error == "resource_not_found"
    return effects.failure(
        404 if not_found else 400,
        first.error or "invalid_payload",
        first.message,
        f"{first.request.id}: {first.message}",
        resource_id=recorded[0] if recorded else first.request.id,
        resource_type="redemption" if recorded else first.request.object,
        inapplicable_redeemables=listed,
        **({"error": {"message": first.rule_message}} if first.rule_message else {}),
    )


def _fail_tier(
    tx: Tx, body: dict[str, Any], context: evaluation.Context, outcome: Outcome, tracking: Any
) -> str:
    """Record the failed redemption of a promotion tier; its id."""
    row = effects.base_row(
        tx,
        row_id=new_id("redemption"),
        voucher=None,
        customer=context.customer,
        order=None,
        tracking_id=tracking,
    )
    row.update(result="FAILURE", status="FAILED", failure_code=outcome.error)
    row["attrs"] = _attrs(tx, body, context, context.order, None)
    row["attrs"]["failure_message"] = outcome.message
    tier_effects.failed(tx, outcome, row, context.customer)
    return str(row["id"])


def _attrs(
    tx: Tx, body: dict[str, Any], context: evaluation.Context, order: dict[str, Any], voucher: Any
) -> dict[str, Any]:
    row = context.vouchers.rows.get(voucher) if voucher else None
    return {
        "order": order,
        "customer": customer_ref(context.customer),
        "voucher": render_voucher(row, tx.base_url) if row else None,
        "metadata": body.get("metadata") or {},
        "session_key": (body.get("session") or {}).get("key"),
    }


def _order_spec(
    tx: Tx, body: dict[str, Any], context: evaluation.Context, ids: list[str], parent: str | None
) -> dict[str, Any]:
    spec = {k: v for k, v in (body.get("order") or {}).items() if k != "customer"}
    if context.customer is not None:
        spec["customer_id"] = context.customer["id"]
    spec["status"] = spec.get("status") or "PAID"
    referrer = referrals.referrer_in(context.vouchers.rows, context.customer)
    if referrer is not None and not spec.get("referrer") and not spec.get("referrer_id"):
        spec["referrer_id"] = referrer
    totals = context.evaluation.totals
    spec["discount_amount"] = totals.discount_amount
    if totals.amount != context.order["amount"]:  # UNIT discounts added units
        spec.update(amount=totals.amount, initial_amount=context.order["initial_amount"])
    if any(totals.item_applied) or list(totals.items) != list(context.order["items"]):
        spec["items"] = [  # item-level discounts: each item keeps its own (and added units)
            _stored_item(item, done)
            for item, done in zip(totals.items, totals.item_discounts, strict=True)
        ]
    if parent is not None:
        entry = {"related_object_type": "redemption", "related_object_id": parent, "stacked": ids}
    else:
        facts = context.evaluation.applicable[0].facts
        assert facts is not None
        entry = {"related_object_type": facts.object, "related_object_id": facts.id}
    spec["redemptions"] = {parent or ids[0]: {"date": iso(tx.now), **entry}}
    return spec


REQUEST_ONLY = frozenset(
    {"applied_quantity", "applied_quantity_amount", "applied_discount_quantity"}
)
"""Item fields about what one request did, not stored on the order."""


def _stored_item(item: Mapping[str, Any], done: int) -> dict[str, Any]:
    """An order item as stored after the redemption: its discounts, not what the request did."""
    kept = {k: v for k, v in item.items() if k not in REQUEST_ONLY}
    return {**kept, "discount_amount": done, "applied_discount_amount": 0}


def _succeed(tx: Tx, body: dict[str, Any], context: evaluation.Context) -> dict[str, Any]:
    applied = context.evaluation.applicable
    ids = [new_id("redemption") for _ in applied]
    parent = new_id("redemption") if len(applied) > 1 else None
    if not context.locked:  # the voucher's change first: its lock before the order's
        lock_late.take(tx, context)
    order_row = orders.upsert(tx, _order_spec(tx, body, context, ids, parent))
    order_body = render_order(order_row)
    tracking = evaluation.tracking_id(body, context.customer)
    children = [
        _apply(tx, body, context, outcome, rid, parent, order_body, tracking)
        for rid, outcome in zip(ids, applied, strict=True)
    ]
    repo = RedemptionRepository(tx.conn, tx.project_id)
    totals = context.evaluation.totals
    final_order = with_totals(order_body, totals)
    response: dict[str, Any] = {"redemptions": [redemption(row) for row in children]}
    if parent is not None:
        row = effects.base_row(
            tx,
            row_id=parent,
            voucher=None,
            customer=context.customer,
            order=order_row,
            tracking_id=tracking,
        )
        row.update(result="SUCCESS", status="SUCCEEDED")
        row["attrs"] = {**_attrs(tx, body, context, final_order, None), "stacked": ids}
        repo.insert([row])
        response["parent_redemption"] = redemption(row)
    credits = sum(outcome.credits for outcome in applied)
    effects.count(
        tx, context.customer, total_redeemed=len(ids), total_succeeded=len(ids), gift=credits
    )
    sessions.consume(tx, (body.get("session") or {}).get("key"), list(context.vouchers.rows))
    response["order"] = final_order
    names = evaluation.campaign_names(context.vouchers, context.tiers)
    for key, left_out in (
        ("inapplicable_redeemables", context.evaluation.inapplicable),
        ("skipped_redeemables", context.evaluation.skipped),
    ):
        if left_out:
            response[key] = [redeemable(o, context.order, names) for o in left_out]
    return response


def _apply(
    tx: Tx,
    body: dict[str, Any],
    context: evaluation.Context,
    outcome: Outcome,
    rid: str,
    parent: str | None,
    order_body: dict[str, Any],
    tracking: str | None,
) -> dict[str, Any]:
    """Apply one redeemable: counters, gift credits, its row and its events."""
    assert outcome.facts is not None
    assert outcome.order is not None
    if outcome.facts.object == "promotion_tier":
        return _apply_tier(tx, body, context, outcome, rid, parent, order_body, tracking)
    redemption = effects.simple_redemption(
        tx, rid, customer=context.customer, tracking_id=tracking, metadata=body.get("metadata")
    )
    after, transaction_id = _count_and_credit(tx, context, outcome, redemption, order_body)
    paid = effects.pay_with_points(tx, context, outcome, order_body, rid, tracking, body)
    if paid:  # the points ledger changed the card
        after = effects.voucher_row(tx, outcome.facts.id)
    row = effects.base_row(
        tx,
        row_id=rid,
        voucher=after,
        customer=context.customer,
        order=order_body,
        tracking_id=tracking,
    )
    gift = after["type"] == "GIFT_VOUCHER"
    row.update(parent_id=parent, redemption_id=parent, result="SUCCESS", status="SUCCEEDED")
    row["amount"] = outcome.credits if gift else None
    if paid:  # pay with points: the points spent
        row["amount"] = int(paid["loyalty_card"]["points"])
    row["attrs"] = {
        **_attrs(tx, body, context, with_totals(order_body, outcome.order), None),
        "voucher": tx_cache.voucher_view(tx, after),
        "discount": 0 if any(outcome.order.item_applied) else outcome.discount,
        "credits": outcome.credits,
        "transaction_id": transaction_id,
    }
    if gift:
        row["attrs"]["gift"] = {"amount": outcome.credits}
    row["attrs"].update(paid)
    row["attrs"].update(_item_changes(context, outcome))
    RedemptionRepository(tx.conn, tx.project_id).insert([row])
    data = effects.event_data(tx, after, context.customer, order_body, redemption=row)
    effects.emit(tx, "redemption.succeeded", data, context.customer)
    referrals.on_redeemed(tx, context.vouchers.rows[outcome.facts.id], context.customer, row)
    return row


def _item_changes(context: evaluation.Context, outcome: Outcome) -> dict[str, list[int]]:
    """What an item-level step did to each line of the final order (a rollback undoes it):
    ``item_discounts`` taken, ``item_units`` added and ``item_freed`` units made free."""
    assert outcome.order is not None
    lines = len(context.evaluation.totals.item_discounts)  # later steps may add lines
    changes = {
        "item_discounts": outcome.order.item_applied,
        "item_units": outcome.order.item_added,
        "item_freed": outcome.order.item_freed,
    }
    return {key: list(padded(values, lines)) for key, values in changes.items() if any(values)}


def _apply_tier(
    tx: Tx,
    body: dict[str, Any],
    context: evaluation.Context,
    outcome: Outcome,
    rid: str,
    parent: str | None,
    order_body: dict[str, Any],
    tracking: str | None,
) -> dict[str, Any]:
    """Apply a promotion tier: its row (no voucher), its counters and its events."""
    assert outcome.order is not None
    row = effects.base_row(
        tx,
        row_id=rid,
        voucher=None,
        customer=context.customer,
        order=order_body,
        tracking_id=tracking,
    )
    row.update(parent_id=parent, redemption_id=parent, result="SUCCESS", status="SUCCEEDED")
    row["attrs"] = _attrs(tx, body, context, with_totals(order_body, outcome.order), None)
    row["attrs"].update(_item_changes(context, outcome))
    return tier_effects.redeemed(tx, outcome, row, order_body, context.customer)


def _count_and_credit(
    tx: Tx,
    context: evaluation.Context,
    outcome: Outcome,
    redemption: dict[str, Any],
    order_body: dict[str, Any],
) -> tuple[dict[str, Any], str | None]:
    """Count the use and pay the gift credits: the voucher as it is now, and the gift
    transaction's id (None without credits).

    The voucher was locked and read by the evaluation; ``UPDATE … RETURNING`` gives it as
    now stored, so the gift ledger uses it as is instead of reading it again.
    """
    assert outcome.facts is not None
    if not context.locked:
        return lock_late.count_and_credit(tx, outcome, redemption, order_body)
    counters = VoucherCounters(tx.conn, tx.project_id)
    after = counters.add_redeemed_returning(context.vouchers.rows[outcome.facts.id], 1, tx.now)
    if outcome.credits <= 0:
        return after, None
    applied = gift_cards.apply(
        tx,
        after,
        ledger.CREDITS_REDEMPTION,
        outcome.credits,
        order=order_body,
        redemption=redemption,
        current=True,
    )
    return applied.voucher, str(applied.transaction["id"])


def require(tx: Tx, redemption_id: str, *, lock: bool = False) -> dict[str, Any]:
    """The redemption or rollback with this id, or 404."""
    found = RedemptionRepository(tx.conn, tx.project_id).get(redemption_id, lock=lock)
    if found is None:
        raise NotFound("redemption", redemption_id)
    return found
