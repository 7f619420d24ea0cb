"""Rolling redemptions back: ``POST /v1/redemptions/{id}/rollback`` (one redemption) and
``POST /v1/redemptions/{parentId}/rollbacks`` (a stacked redemption, all its children).

The redemption row is locked first (``FOR UPDATE`` on PostgreSQL, ``BEGIN IMMEDIATE`` on
SQLite), so of two concurrent rollbacks one refunds and the other finds it rolled back: a
FAILED rollback is recorded (``redemption.rollback.failed``) and it answers 400
``already_rolled_back``.

What happens to the order follows the project's stacking rules'
``redeemables_rollback_order_mode``: ``WITH_ORDER`` (the default) takes the rolled-back
discounts off the order and cancels it (``CANCELED``) once none of its redemptions stands;
``WITHOUT_ORDER`` leaves the order as it is. Events and responses carry the resulting order.
"""

from __future__ import annotations

from typing import Any

from openvoucher.catalog.presenters.vouchers import voucher as render_voucher
from openvoucher.catalog.repositories.vouchers import VoucherRepository
from openvoucher.checkout import orders, stacking_rules
from openvoucher.checkout import promotion_redemptions as tier_effects
from openvoucher.checkout import redemption_effects as effects
from openvoucher.checkout.presenters.orders import order as render_order
from openvoucher.checkout.presenters.redemptions import redemption
from openvoucher.checkout.redemptions import require
from openvoucher.checkout.repositories.redemptions import RedemptionRepository, VoucherCounters
from openvoucher.customers import customers
from openvoucher.customers.presenters.customers import customer_ref
from openvoucher.customers.repositories.customers import CustomerRepository
from openvoucher.gift_cards import credits as gift_cards
from openvoucher.kernel import ledger
from openvoucher.kernel.clock import iso
from openvoucher.kernel.errors import NotFound, VoucherifyError
from openvoucher.kernel.idempotency import IdempotencyKey, once
from openvoucher.kernel.ids import new_id
from openvoucher.kernel.unit_of_work import Tx, UnitOfWork


def rollback_one(
    uow: UnitOfWork,
    project_id: str,
    redemption_id: str,
    fields: dict[str, Any],
    idempotency: IdempotencyKey | None = None,
) -> dict[str, Any]:
    """Roll back a redemption of one redeemable; the ``redemption_rollback`` object."""
    with uow.write(project_id) as tx:
        outcome = once(tx, idempotency, lambda: _rollback(tx, redemption_id, fields, False))
    return effects.unwrap(outcome)


def rollback_stacked(
    uow: UnitOfWork,
    project_id: str,
    parent_id: str,
    fields: dict[str, Any],
    idempotency: IdempotencyKey | None = None,
) -> dict[str, Any]:
    """Roll back a (parent) redemption and all it stacked: ``rollbacks``, ``parent_rollback``,
    ``order``."""
    with uow.write(project_id) as tx:
        outcome = once(tx, idempotency, lambda: _rollback(tx, parent_id, fields, True))
    return effects.unwrap(outcome)


def _invalid(details: str) -> VoucherifyError:
    return VoucherifyError("Invalid rollback", details, key="invalid_rollback_params")


def _targets(tx: Tx, target: dict[str, Any], stacked: bool) -> list[dict[str, Any]]:
    """The redemptions to roll back (children of a parent, or the one itself)."""
    if target["object"] != "redemption" or target["result"] != "SUCCESS":
        raise _invalid(f"{target['id']} is not a successful redemption")
    is_parent = _is_parent(target)
    if target["parent_id"] is not None:
        raise _invalid(
            f"{target['id']} is part of the stacked redemption {target['parent_id']}: "
            "roll back the parent with POST /v1/redemptions/{parentId}/rollbacks"
        )
    if is_parent and not stacked:
        raise _invalid(f"{target['id']} is a parent redemption: use /rollbacks")
    if is_parent:
        return RedemptionRepository(tx.conn, tx.project_id).children(target["id"])
    return [target]


def _is_parent(row: dict[str, Any]) -> bool:
    """A parent redemption names neither a voucher nor a promotion tier."""
    return row["voucher_id"] is None and row.get("promotion_tier_id") is None


def _customer(tx: Tx, target: dict[str, Any], fields: dict[str, Any]) -> dict[str, Any] | None:
    if fields.get("customer"):
        return customers.resolve(tx, fields["customer"])
    if target["customer_id"] is None:
        return None
    return CustomerRepository(tx.conn, tx.project_id).get(target["customer_id"])


def _rollback(tx: Tx, ident: str, fields: dict[str, Any], stacked: bool) -> dict[str, Any]:
    target = require(tx, ident, lock=True)
    targets = _targets(tx, target, stacked)
    customer = _customer(tx, target, fields)
    if target["status"] == "ROLLED_BACK":
        return _already(tx, target, targets, customer, fields)
    parent_rollback = new_id("rollback") if _is_parent(target) else None
    ids = [new_id("rollback") for _ in targets]
    mode = str(stacking_rules.get_effective(tx)["redeemables_rollback_order_mode"] or WITH_ORDER)
    tx.memo[_MODE] = mode
    if mode == WITH_ORDER:
        order_body = _update_order(tx, target, targets, fields, ids, parent_rollback)
    else:
        order_body = _order_as_is(tx, target)
    rows = [
        _undo(tx, child, rid, parent_rollback, customer, order_body, fields)
        for child, rid in zip(targets, ids, strict=True)
    ]
    credits = sum(_gift_credits(child) for child in targets)
    effects.count(
        tx, customer, total_rolled_back=len(rows), total_rollback_succeeded=len(rows), gift=-credits
    )
    if parent_rollback is None:
        body = redemption(rows[0])
        return body if not stacked else {"rollbacks": [body], "order": order_body}
    parent = _row(tx, parent_rollback, target, None, customer, order_body, fields)
    RedemptionRepository(tx.conn, tx.project_id).insert([parent])
    _mark_rolled_back(tx, target, parent_rollback)
    return {
        "rollbacks": [redemption(row) for row in rows],
        "parent_rollback": redemption(parent),
        "order": order_body,
    }


def _gift_credits(child: dict[str, Any]) -> int:
    """The gift credits a redemption took (its ``amount`` counts points when it spent them)."""
    return int((child["attrs"].get("gift") or {}).get("amount") or 0)


def _row(
    tx: Tx,
    rid: str,
    target: dict[str, Any],
    voucher: dict[str, Any] | None,
    customer: dict[str, Any] | None,
    order_body: dict[str, Any] | None,
    fields: dict[str, Any],
) -> dict[str, Any]:
    row = effects.base_row(
        tx,
        row_id=rid,
        voucher=voucher,
        customer=customer,
        order=order_body,
        tracking_id=fields.get("tracking_id") or target["tracking_id"],
    )
    row.update(object="redemption_rollback", redemption_id=target["id"])
    row.update(result="SUCCESS", status="SUCCEEDED")
    if voucher is None:
        row.update(related_object_type="redemption", related_object_id=target["id"])
    row["attrs"] = {
        "order": order_body,
        "customer": customer_ref(customer),
        "voucher": render_voucher(voucher, tx.base_url) if voucher else None,
        "metadata": fields.get("metadata") or {},
        "reason": fields.get("reason"),
    }
    return row


def _require_voucher(tx: Tx, child: dict[str, Any]) -> None:
    """404 when the redeemed voucher is gone (deleted for good): nothing to give back to."""
    if VoucherRepository(tx.conn, tx.project_id).get(child["voucher_id"]) is None:
        code = (child["attrs"].get("voucher") or {}).get("code") or child["voucher_id"]
        raise NotFound("voucher", str(code))


def _undo(
    tx: Tx,
    child: dict[str, Any],
    rid: str,
    parent: str | None,
    customer: dict[str, Any] | None,
    order_body: dict[str, Any],
    fields: dict[str, Any],
) -> dict[str, Any]:
    """Roll back one child: credits refunded, counter restored, rows written, events."""
    if child.get("promotion_tier_id") is not None:
        return _undo_tier(tx, child, rid, parent, customer, order_body, fields)
    voucher_id = child["voucher_id"]
    counters = VoucherCounters(tx.conn, tx.project_id)
    counters.lock([voucher_id])
    _require_voucher(tx, child)
    credits = _gift_credits(child)
    if credits > 0:
        gift_cards.apply_credits(
            tx,
            effects.voucher_row(tx, voucher_id),
            ledger.CREDITS_REFUND,
            credits,
            order=order_body,
            redemption=_simple(tx, child, customer),
            rollback=effects.simple_redemption(
                tx,
                rid,
                rollback=True,
                customer=customer,
                tracking_id=child.get("tracking_id"),
                metadata=fields.get("metadata"),
            ),
            related_transaction_id=child["attrs"].get("transaction_id"),
        )
    refunded = effects.refund_points(tx, child, rid, order_body or None)
    counters.add_redeemed(voucher_id, -1, tx.now)
    after = effects.voucher_row(tx, voucher_id)
    row = _row(tx, rid, child, after, customer, order_body, fields)
    row["parent_id"] = parent
    if credits > 0:
        row["amount"] = -credits
        row["attrs"]["gift"] = {"amount": -credits}
    row["attrs"].update(refunded)
    if refunded:  # points given back: the rollback's amount, as the redemption's was
        row["amount"] = int(refunded["loyalty_card"]["points"])
    RedemptionRepository(tx.conn, tx.project_id).insert([row])
    _mark_rolled_back(tx, child, rid)
    updated = require(tx, child["id"])
    data = effects.event_data(
        tx, after, customer, order_body, redemption=updated, redemption_rollback=row
    )
    effects.emit(tx, "redemption.rollback.succeeded", data, customer)
    return row


def _undo_tier(
    tx: Tx,
    child: dict[str, Any],
    rid: str,
    parent: str | None,
    customer: dict[str, Any] | None,
    order_body: dict[str, Any],
    fields: dict[str, Any],
) -> dict[str, Any]:
    """Roll back a promotion tier's redemption: its counters given back, rows, events."""
    row = _row(tx, rid, child, None, customer, order_body, fields)
    row["parent_id"] = parent
    tier = tier_effects.uncounted(tx, child, row)
    RedemptionRepository(tx.conn, tx.project_id).insert([row])
    _mark_rolled_back(tx, child, rid)
    updated = require(tx, child["id"])
    data = tier_effects.event_data(
        tx, tier, customer, order_body, redemption=updated, redemption_rollback=row
    )
    effects.emit(tx, "redemption.rollback.succeeded", data, customer)
    return row


def _mark_rolled_back(tx: Tx, row: dict[str, Any], rollback_id: str) -> None:
    attrs = dict(row["attrs"])
    mode = tx.memo.get(_MODE, WITH_ORDER)
    entry = {"id": rollback_id, "date": iso(tx.now), "rollback_order_mode": mode}
    attrs["rollbacks"] = [*(attrs.get("rollbacks") or []), entry]
    RedemptionRepository(tx.conn, tx.project_id).update(
        row["id"], {"status": "ROLLED_BACK", "attrs": attrs}
    )


WITH_ORDER = "WITH_ORDER"
_MODE = ("rollbacks", "order_mode")
"""Where ``_rollback`` keeps the rollback order mode for the rest of the transaction."""


def _order_as_is(tx: Tx, target: dict[str, Any]) -> dict[str, Any]:
    """``WITHOUT_ORDER``: the order untouched (its discounts and status stay)."""
    if target["order_id"] is None:
        return {}
    return render_order(orders.require(tx, target["order_id"]))


def _update_order(
    tx: Tx,
    target: dict[str, Any],
    targets: list[dict[str, Any]],
    fields: dict[str, Any],
    ids: list[str],
    parent_rollback: str | None,
) -> dict[str, Any]:
    """The order without the rolled-back discounts (and with the request's changes)."""
    if target["order_id"] is None:
        return {}
    current = orders.require(tx, target["order_id"])
    removed = sum(int(child["attrs"].get("discount") or 0) for child in targets)
    linked = dict((current["attrs"].get("redemptions") or {}).get(target["id"]) or {})
    linked.update(rollback_id=parent_rollback or ids[0], rollback_date=iso(tx.now))
    if parent_rollback is not None:
        linked["rollback_stacked"] = ids
    spec = {k: v for k, v in (fields.get("order") or {}).items() if k not in {"customer", "id"}}
    spec.update(
        id=current["id"],
        discount_amount=max(int(current["attrs"].get("discount_amount") or 0) - removed, 0),
        redemptions={target["id"]: linked},
    )
    if "status" not in spec and _none_stands(current, target["id"]):
        spec["status"] = "CANCELED"
    items = _items_without(current, targets)
    if items is not None and "items" not in spec:
        spec["items"] = items
    return render_order(orders.upsert(tx, spec))


def _none_stands(current: dict[str, Any], rolled_back: str) -> bool:
    """Whether, with ``rolled_back`` undone, none of the order's redemptions stands."""
    linked = current["attrs"].get("redemptions") or {}
    return all(ident == rolled_back or entry.get("rollback_id") for ident, entry in linked.items())


ITEM_CHANGES = ("item_discounts", "item_units", "item_freed")
"""What a redemption's item-level step did to each order line (see redemptions._item_changes)."""


def _items_without(current: dict[str, Any], targets: list[dict[str, Any]]) -> list[Any] | None:
    """The order's items without what the rolled-back redemptions did to them: their item
    discounts, and the units UNIT discounts added and made free (None: nothing to undo)."""
    items = list(current["attrs"].get("items") or [])
    undone = [
        [child["attrs"].get(key) or [0] * len(items) for key in ITEM_CHANGES]
        for child in targets
        if any(child["attrs"].get(key) for key in ITEM_CHANGES)
    ]
    if not undone or any(len(values) != len(items) for one in undone for values in one):
        return None
    return [
        _item_without(item, *(sum(one[k][i] for one in undone) for k in range(3)))
        for i, item in enumerate(items)
    ]


def _item_without(item: dict[str, Any], discount: int, units: int, freed: int) -> dict[str, Any]:
    """One line less ``discount``, ``units`` added and ``freed`` units made free."""
    changed = {**item, "discount_amount": max(int(item.get("discount_amount") or 0) - discount, 0)}
    if units or freed:
        price = int(item.get("price") or 0)
        changed["quantity"] = max(int(item.get("quantity") or 0) - units, 0)
        changed["amount"] = max(int(item.get("amount") or 0) - units * price, 0)
        changed["discount_quantity"] = max(int(item.get("discount_quantity") or 0) - freed, 0)
    return changed


def _already(
    tx: Tx,
    target: dict[str, Any],
    targets: list[dict[str, Any]],
    customer: dict[str, Any] | None,
    fields: dict[str, Any],
) -> dict[str, Any]:
    """Record the failed rollback of each child (and its event); answer already_rolled_back."""
    repo = RedemptionRepository(tx.conn, tx.project_id)
    failed: list[str] = []
    for child in targets:
        tiered = child.get("promotion_tier_id") is not None
        voucher = None if tiered else effects.voucher_row(tx, child["voucher_id"])
        order = child["attrs"]["order"]
        row = _row(tx, new_id("rollback"), child, voucher, customer, order, fields)
        row.update(result="FAILURE", status="FAILED", failure_code="already_rolled_back")
        row["attrs"]["failure_message"] = "Redemption was already rolled back"
        if voucher is None:
            tier = tier_effects.failed_rollback(tx, child, row)
            data = tier_effects.event_data(
                tx, tier, customer, order, redemption=child, redemption_rollback=row
            )
        else:
            data = effects.event_data(
                tx, voucher, customer, order, redemption=child, redemption_rollback=row
            )
        repo.insert([row])
        effects.emit(tx, "redemption.rollback.failed", data, customer)
        failed.append(row["id"])
    effects.count(tx, customer, total_rollback_failed=len(failed))
    return effects.failure(
        400,
        "already_rolled_back",
        "Already rolled back",
        f"Redemption {target['id']} was already rolled back",
        resource_id=target["id"],
        resource_type="redemption",
    )


def _simple(tx: Tx, child: dict[str, Any], customer: dict[str, Any] | None) -> dict[str, Any]:
    """The rolled-back redemption as a ``SimpleRedemption`` (now ``ROLLED BACK``)."""
    body = effects.simple_redemption(
        tx,
        child["id"],
        customer=customer,
        tracking_id=child.get("tracking_id"),
        metadata=child.get("metadata"),
    )
    return {**body, "date": iso(child["created_at"]), "status": "ROLLED BACK"}
