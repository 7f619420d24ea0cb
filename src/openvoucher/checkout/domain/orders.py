"""Order arithmetic: item amounts and order totals, in integer minor units."""

from __future__ import annotations

from typing import Any

from openvoucher.kernel.errors import InvalidPayload

STATUSES = ("CREATED", "PAID", "CANCELED", "FULFILLED")


def _int_field(item: dict[str, Any], name: str) -> int | None:
    value = item.get(name)
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        raise InvalidPayload(
            "Invalid order", f"Item '{name}' must be a non-negative integer", key="invalid_order"
        )
    return value


def compute_item(item: dict[str, Any]) -> dict[str, Any]:
    """An item with ``amount`` (given, or quantity × price) and ``subtotal_amount`` filled."""
    quantity = _int_field(item, "quantity")
    price = _int_field(item, "price")
    amount = _int_field(item, "amount")
    if amount is None and quantity is not None and price is not None:
        amount = quantity * price
    discount = _int_field(item, "discount_amount") or 0
    applied = _int_field(item, "applied_discount_amount") or 0
    computed = {k: v for k, v in item.items() if v is not None}
    if amount is not None:
        computed["amount"] = amount
        computed.setdefault("initial_amount", amount)
        computed["subtotal_amount"] = max(amount - discount - applied, 0)
    if quantity is not None:
        computed.setdefault("initial_quantity", quantity)
    computed["object"] = "order_item"
    return computed


def order_amount(given: int | None, items: list[dict[str, Any]]) -> int:
    """The order's amount: as given, else the sum of its items' amounts."""
    if given is not None:
        if given < 0:
            raise InvalidPayload(
                "Invalid amount", "Order amount must not be negative", key="invalid_amount"
            )
        return given
    return sum(int(item.get("amount") or 0) for item in items)


def totals(
    amount: int, items: list[dict[str, Any]], discount_amount: int, applied_discount_amount: int = 0
) -> dict[str, int]:
    """Discount and total fields of an order (Voucherify's calculated order)."""
    items_discount = sum(int(item.get("discount_amount") or 0) for item in items)
    items_applied = sum(int(item.get("applied_discount_amount") or 0) for item in items)
    total_discount = discount_amount + items_discount
    total_applied = applied_discount_amount + items_applied
    return {
        "amount": amount,
        "discount_amount": discount_amount,
        "items_discount_amount": items_discount,
        "total_discount_amount": total_discount,
        "applied_discount_amount": applied_discount_amount,
        "items_applied_discount_amount": items_applied,
        "total_applied_discount_amount": total_applied,
        "total_amount": max(amount - total_discount - total_applied, 0),
    }
