"""Voucher types and their value objects: discount, gift credits, loyalty points.

Pure checks of what a client sent, returning the normalised Voucherify objects we store.
"""

from __future__ import annotations

from typing import Any

from openvoucher.kernel.errors import InvalidPayload
from openvoucher.kernel.formula_env import check_discount_formulas

VOUCHER_TYPES = ("DISCOUNT_VOUCHER", "GIFT_VOUCHER", "LOYALTY_CARD")

EFFECTS = {
    "AMOUNT": (
        "APPLY_TO_ORDER",
        "APPLY_TO_ITEMS",
        "APPLY_TO_ITEMS_PROPORTIONALLY",
        "APPLY_TO_ITEMS_PROPORTIONALLY_BY_QUANTITY",
        "APPLY_TO_ITEMS_BY_QUANTITY",
    ),
    "PERCENT": ("APPLY_TO_ORDER", "APPLY_TO_ITEMS"),
    "FIXED": ("APPLY_TO_ORDER", "APPLY_TO_ITEMS"),
    "UNIT": ("ADD_MISSING_ITEMS", "ADD_NEW_ITEMS", "ADD_MANY_ITEMS"),
}
REQUIRED = {"AMOUNT": "amount_off", "PERCENT": "percent_off", "FIXED": "fixed_amount"}
GIFT_EFFECTS = ("APPLY_TO_ORDER", "APPLY_TO_ITEMS")


def _invalid(details: str) -> InvalidPayload:
    return InvalidPayload("Invalid payload", details)


def check_discount(raw: dict[str, Any] | None) -> dict[str, Any]:
    """A valid ``discount`` object: its type's value present, its effect allowed."""
    if not raw:
        raise _invalid("discount is required for a DISCOUNT_VOUCHER")
    kind = raw.get("type")
    if kind not in EFFECTS:
        raise _invalid(f"discount.type must be one of: {', '.join(EFFECTS)}")
    discount = {key: value for key, value in raw.items() if not _blank(key, value)}
    effect = discount.setdefault("effect", EFFECTS[kind][0])
    if effect not in EFFECTS[kind]:
        raise _invalid(f"discount.effect {effect} is not allowed for a {kind} discount")
    if kind in REQUIRED:
        _require_amount(discount, REQUIRED[kind])
    else:
        _check_unit(discount)
    if kind == "PERCENT" and not 0 <= discount.get("percent_off", 0) <= 100:
        raise _invalid("discount.percent_off must be between 0 and 100")
    check_discount_formulas(discount)
    return discount


def _blank(key: str, value: Any) -> bool:
    """A null field, or an empty formula (no formula at all)."""
    return value is None or (key.endswith("_formula") and value == "")


def _require_amount(discount: dict[str, Any], name: str) -> None:
    value = discount.get(name)
    if value is None and discount.get(f"{name}_formula") is None:
        raise _invalid(f"discount.{name} is required for a {discount['type']} discount")
    if value is not None and value < 0:
        raise _invalid(f"discount.{name} must not be negative")


def _check_unit(discount: dict[str, Any]) -> None:
    if discount["effect"] == "ADD_MANY_ITEMS":
        if not discount.get("units"):
            raise _invalid("discount.units is required for an ADD_MANY_ITEMS discount")
        discount["units"] = [
            {**unit, "effect": unit.get("effect") or EFFECTS["UNIT"][0]}
            for unit in discount["units"]
        ]
        return
    if discount.get("unit_off") is None and discount.get("unit_off_formula") is None:
        raise _invalid("discount.unit_off is required for a UNIT discount")
    if not discount.get("unit_type"):
        raise _invalid("discount.unit_type is required for a UNIT discount")


def check_gift(raw: dict[str, Any] | None) -> dict[str, Any]:
    """A valid ``gift``: a non-negative integer ``amount``; the balance starts at it."""
    if not raw or raw.get("amount") is None:
        raise _invalid("gift.amount is required for a GIFT_VOUCHER")
    amount = raw["amount"]
    if amount < 0:
        raise _invalid("gift.amount must not be negative")
    effect = raw.get("effect") or "APPLY_TO_ORDER"
    if effect not in GIFT_EFFECTS:
        raise _invalid(f"gift.effect must be one of: {', '.join(GIFT_EFFECTS)}")
    return {"amount": amount, "effect": effect}


def check_loyalty_card(raw: dict[str, Any] | None) -> dict[str, Any]:
    """A valid ``loyalty_card``: non-negative integer ``points``."""
    if not raw or raw.get("points") is None:
        raise _invalid("loyalty_card.points is required for a LOYALTY_CARD")
    if raw["points"] < 0:
        raise _invalid("loyalty_card.points must not be negative")
    card = {"points": raw["points"]}
    if raw.get("expiration_rules"):
        card["expiration_rules"] = raw["expiration_rules"]
    return card


def check_value(voucher_type: str, fields: dict[str, Any]) -> dict[str, Any]:
    """The value object of a voucher of ``voucher_type``: ``{discount|gift|loyalty_card: …}``."""
    if voucher_type == "DISCOUNT_VOUCHER":
        return {"discount": check_discount(fields.get("discount"))}
    if voucher_type == "GIFT_VOUCHER":
        return {"gift": check_gift(fields.get("gift"))}
    if voucher_type == "LOYALTY_CARD":
        return {"loyalty_card": check_loyalty_card(fields.get("loyalty_card"))}
    raise _invalid(f"type must be one of: {', '.join(VOUCHER_TYPES)}")


def check_quantity(redemption: dict[str, Any] | None) -> int | None:
    """The redemption ``quantity`` limit (None = unlimited)."""
    quantity = (redemption or {}).get("quantity")
    if quantity is not None and quantity < 1:
        raise _invalid("redemption.quantity must be a positive integer or null")
    return quantity if quantity is None else int(quantity)


TYPE_BY_OBJECT = (
    ("discount", "DISCOUNT_VOUCHER"),
    ("gift", "GIFT_VOUCHER"),
    ("loyalty_card", "LOYALTY_CARD"),
)


def inferred_type(fields: dict[str, Any]) -> str:
    """``type`` as given, or inferred from ``discount``, ``gift`` or ``loyalty_card``."""
    given_type: str | None = fields.get("type")
    if given_type is not None:
        return given_type
    found = [kind for name, kind in TYPE_BY_OBJECT if fields.get(name) is not None]
    if len(found) != 1:
        raise _invalid(
            "type is required unless exactly one of discount, gift or loyalty_card is given"
        )
    return found[0]
