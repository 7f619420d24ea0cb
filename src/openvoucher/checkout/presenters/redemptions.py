"""Redemptions, rollbacks, validation results and their webhook shapes, Voucherify-style.

A redemption row keeps snapshots taken in its transaction (``attrs.order``, ``attrs.customer``,
``attrs.voucher``) so it always shows the values at the moment of the redemption.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from openvoucher.checkout.domain.items import applicable_list, targets
from openvoucher.checkout.domain.order_totals import Totals
from openvoucher.checkout.domain.redeemables import INAPPLICABLE, SKIPPED, Evaluation, Outcome
from openvoucher.kernel.clock import iso
from openvoucher.kernel.lists import listing

EMPTY_LIST = {"data": [], "total": 0, "data_ref": "data", "object": "list"}


@dataclass
class Rendered:
    """Order items already rendered in one response: each by (item's ``id()``, done, applied),
    and each list of them by (the item tuple's ``id()``, the items' discounts, what the step
    applied to each). The items live as long as the evaluation whose outcomes are rendered,
    so their ``id()`` is theirs throughout."""

    items: dict[tuple[int, int, int], Mapping[str, Any]] = field(default_factory=dict)
    lists: dict[tuple[int, tuple[int, ...], tuple[int, ...]], list[Mapping[str, Any]]] = field(
        default_factory=dict
    )


def with_totals(
    order: dict[str, Any], totals: Totals, rendered: Rendered | None = None
) -> dict[str, Any]:
    """A rendered order showing ``totals``: all discounts so far, and what the last step applied.
    ``rendered``: items rendered before in the same response (an item a step left as it was is
    rendered once and shared: the same JSON)."""
    items_discount = int(order.get("items_discount_amount") or 0)
    items_applied = int(order.get("items_applied_discount_amount") or 0)
    body = dict(order)
    items = totals.items or order.get("items") or []
    if totals.item_discounts and len(totals.item_discounts) == len(items):
        items_discount = totals.items_discount_amount
        items_applied = totals.items_applied_discount_amount
        if rendered is None:
            figures = zip(items, totals.item_discounts, totals.item_applied, strict=True)
            body["items"] = [_item(item, done, applied) for item, done, applied in figures]
        else:
            body["items"] = _shared_items(rendered, items, totals)
    body.update(
        amount=totals.amount,
        discount_amount=totals.discount_amount,
        items_discount_amount=items_discount,
        total_discount_amount=totals.discount_amount + items_discount,
        applied_discount_amount=totals.applied_discount_amount,
        items_applied_discount_amount=items_applied,
        total_applied_discount_amount=totals.applied_discount_amount + items_applied,
        total_amount=max(totals.amount - totals.discount_amount - items_discount, 0),
    )
    return body


def _item(item: Mapping[str, Any], done: int, applied: int) -> Mapping[str, Any]:
    """An order item with its discounts so far and what the step applied to it."""
    if "amount" not in item:
        return item
    body = {**item, "discount_amount": done, "subtotal_amount": max(item["amount"] - done, 0)}
    if applied:
        body["applied_discount_amount"] = applied
    else:
        body.pop("applied_discount_amount", None)
    return body


def _shared_items(
    rendered: Rendered, items: Sequence[Mapping[str, Any]], totals: Totals
) -> list[Mapping[str, Any]]:
    """The rendered items of ``totals``, once per list of figures in a response (a step that
    left every item as the one before it did shares that list: the same JSON), each item once
    per (item, done, applied)."""
    key = (id(items), totals.item_discounts, totals.item_applied)
    found = rendered.lists.get(key)
    if found is None:
        memo = rendered.items
        found = []
        figures = zip(items, totals.item_discounts, totals.item_applied, strict=True)
        for item, done, applied in figures:
            mine = (id(item), done, applied)
            one = memo.get(mine)
            if one is None:
                one = memo[mine] = _item(item, done, applied)
            found.append(one)
        rendered.lists[key] = found
    return found


def _targets(outcome: Outcome, order: dict[str, Any]) -> dict[str, Any]:
    """The redeemable's ``applicable_to`` and ``inapplicable_to`` lists."""
    facts = outcome.facts
    if facts is None or not (facts.applicable_to or facts.inapplicable_to):
        return {"applicable_to": dict(EMPTY_LIST), "inapplicable_to": dict(EMPTY_LIST)}
    items = order.get("items") or []
    chosen = targets(items, facts.applicable_to, facts.inapplicable_to, facts.members)
    return {
        "applicable_to": applicable_list(facts.applicable_to, items, chosen, facts.members),
        "inapplicable_to": applicable_list(facts.inapplicable_to, items, None, facts.members),
    }


def _error(outcome: Outcome) -> dict[str, Any]:
    code = 404 if outcome.error == "resource_not_found" else 400
    error: dict[str, Any] = {
        "code": code,
        "key": outcome.error,
        "message": outcome.message,
        "details": f"{outcome.request.id}: {outcome.message}",
    }
    if outcome.error == "resource_not_found":
        error["resource_id"] = outcome.request.id
        error["resource_type"] = outcome.request.object
    if outcome.rule_message:
        error["error"] = {"message": outcome.rule_message}
    return error


def _named(outcome: Outcome, campaigns: dict[str, Any]) -> dict[str, Any]:
    facts = outcome.facts
    body: dict[str, Any] = {
        "status": outcome.status,
        "id": outcome.request.id,
        "object": "promotion_tier" if outcome.request.object == "promotion_tier" else "voucher",
    }
    named = campaigns.get(facts.id) if facts else None
    if named:
        body.update(campaign_name=named["name"], campaign_id=named["id"])
    return body


def redeemable(
    outcome: Outcome,
    order: dict[str, Any],
    campaigns: dict[str, Any],
    rendered: Rendered | None = None,
) -> dict[str, Any]:
    """One entry of ``redeemables`` (APPLICABLE, INAPPLICABLE or SKIPPED); ``rendered``: see
    :func:`with_totals`."""
    body = _named(outcome, campaigns)
    if outcome.status == "APPLICABLE":
        assert outcome.order is not None
        body.update(
            order=with_totals(order, outcome.order, rendered),
            **_targets(outcome, order),
            result=outcome.result,
        )
    elif outcome.status == "SKIPPED":
        body["result"] = {"details": {"key": outcome.error, "message": outcome.message}}
    else:
        body["result"] = {
            "error": _error(outcome),
            "details": {"key": outcome.error, "message": outcome.message},
        }
    body["metadata"] = {}
    return body


def validation(
    validation_id: str,
    evaluation: Evaluation,
    order: dict[str, Any],
    *,
    tracking_id: str | None,
    session: dict[str, Any] | None,
    campaigns: dict[str, Any],
    stacking_rules: dict[str, Any],
) -> dict[str, Any]:
    """The ``POST /v1/validations`` body; empty inapplicable/skipped lists are left out;
    ``stacking_rules`` are the rules the evaluation ran under."""
    items = Rendered()
    entries = [(o.status, redeemable(o, order, campaigns, items)) for o in evaluation.outcomes]
    body: dict[str, Any] = {
        "id": validation_id,
        "valid": evaluation.valid,
        "redeemables": [entry for _, entry in entries],
    }
    # Each outcome is rendered once; the lists below share its entry (same JSON).
    inapplicable = [entry for status, entry in entries if status == INAPPLICABLE]
    skipped = [entry for status, entry in entries if status == SKIPPED]
    if inapplicable:
        body["inapplicable_redeemables"] = inapplicable
    if skipped:
        body["skipped_redeemables"] = skipped
    body["order"] = with_totals(order, evaluation.totals)
    body["tracking_id"] = tracking_id
    if session is not None:
        body["session"] = session
    body["stacking_rules"] = stacking_rules
    return body


def _related(attrs: dict[str, Any]) -> dict[str, Any] | None:
    rollbacks = attrs.get("rollbacks") or []
    if not rollbacks:
        return None
    return {"rollbacks": rollbacks, "redemptions": []}


def redemption(row: dict[str, Any]) -> dict[str, Any]:
    """A ``redemption`` or ``redemption_rollback`` object."""
    attrs = row["attrs"]
    body: dict[str, Any] = {
        "id": row["id"],
        "object": row["object"],
        "date": iso(row["created_at"]),
        "customer_id": row["customer_id"],
        "tracking_id": row["tracking_id"],
        "metadata": attrs.get("metadata") or {},
        "amount": row["amount"],
        "redemption": row["redemption_id"],
        "result": row["result"],
        "status": row["status"],
        "failure_code": row["failure_code"],
        "failure_message": attrs.get("failure_message"),
        "order": attrs.get("order"),
        "channel": {
            "channel_id": attrs.get("channel_id"),
            "channel_type": attrs.get("channel_type") or "API",
        },
        "customer": attrs.get("customer"),
        "related_object_type": row["related_object_type"],
        "related_object_id": row["related_object_id"],
    }
    if attrs.get("voucher") is not None:
        body["voucher"] = attrs["voucher"]
    if attrs.get("promotion_tier") is not None:
        body["promotion_tier"] = attrs["promotion_tier"]
    if attrs.get("gift") is not None:
        body["gift"] = attrs["gift"]
    if attrs.get("loyalty_card") is not None:
        body["loyalty_card"] = {"points": attrs["loyalty_card"]["points"]}
    if attrs.get("reward") is not None:
        body["reward"] = attrs["reward"]
    if row["object"] == "redemption_rollback":
        body["reason"] = attrs.get("reason")
    else:
        body["related_redemptions"] = _related(attrs)
        if attrs.get("session_key"):
            body["session"] = {"key": attrs["session_key"]}
    return body


def event_redemption(row: dict[str, Any]) -> dict[str, Any]:
    """The ``SimpleRedemption`` webhooks carry (its status spelled as the webhook spec does;
    a rollback without an order has no ``order``, not an empty one)."""
    body = redemption(row)
    body["order"] = body["order"] or None
    if body["status"] == "ROLLED_BACK":
        body["status"] = "ROLLED BACK"
    body.pop("related_redemptions", None)
    return body


def redemptions_list(rows: list[dict[str, Any]], total: int) -> dict[str, Any]:
    """The ``GET /v1/redemptions`` envelope."""
    return listing([redemption(row) for row in rows], total, "redemptions")


def voucher_redemptions(
    voucher: dict[str, Any], rows: list[dict[str, Any]], total: int
) -> dict[str, Any]:
    """The ``GET /v1/vouchers/{code}/redemption`` envelope."""
    summary = voucher["redemption"]
    return {
        "quantity": summary["quantity"],
        "redeemed_quantity": summary["redeemed_quantity"],
        "object": "list",
        "url": summary["url"],
        "data_ref": "redemption_entries",
        "total": total,
        "redemption_entries": [redemption(row) for row in rows],
    }
