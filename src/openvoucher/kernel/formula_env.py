"""Where dynamic formulas meet requests: checking a stored formula (400 naming the field and
the position) and the operands an order gives. Pure.

Per-item operands (``ORDER_ITEM_…``) need a discount evaluated item by item, which the
engine does not do: a formula using them is refused when saved (``not_supported``), as are
operands the context cannot have (voucher operands in earning rules).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from openvoucher.kernel.errors import InvalidPayload, VoucherifyError
from openvoucher.kernel.formula_parser import FormulaError, Node, names, parse
from openvoucher.kernel.formulas import MONEY, Env, money, percent, whole

PER_ITEM = frozenset(
    {f"ORDER_ITEM_{f}" for f in ("PRICE", "AMOUNT", "SUBTOTAL", "UNITS_QUANTITY")}
    | {"ORDER_ITEM_METADATA", "ORDER_ITEM_PRODUCT_METADATA"}
)
NOT_IN_EARNING = frozenset(
    {"VOUCHER_REDEMPTION_QUANTITY", "VOUCHER_REDEEMED_QUANTITY", "VOUCHER_PUBLISH_COUNT"}
    | {"VOUCHER_START_DATE", "VOUCHER_EXPIRATION_DATE", "PROMOTION_TIER_START_DATE"}
    | {"PROMOTION_TIER_EXPIRATION_DATE", "REDEEMABLE_METADATA", "REDEMPTION_METADATA"}
    | {"PUBLICATION_METADATA"}
)
"""Operands the dynamic points formulas do not have (discount formulas only)."""


def check(text: Any, where: str, *, earning: bool = False) -> str:
    """A formula to store: it parses and uses only operands its context has; else a 400 whose
    details name ``where`` and the position."""
    if not isinstance(text, str):
        raise InvalidPayload("Invalid formula", f"{where} must be a text")
    try:
        tree = parse(text)
        _check_dates(tree)
    except FormulaError as exc:
        raise InvalidPayload("Invalid formula", f"{where}: {exc}") from None
    used = names(tree)
    refused = sorted(used & (PER_ITEM | (NOT_IN_EARNING if earning else frozenset())))
    if refused:
        raise VoucherifyError(
            "Not supported",
            f"{where}: {', '.join(refused)} cannot be used here",
            key="not_supported",
        )
    return text


def _check_dates(tree: Node) -> None:
    if tree.kind == "call" and tree.value in {"DATE", "DATE_TIME"}:
        text = str(tree.args[0].value)
        try:
            if tree.value == "DATE":
                date.fromisoformat(text)
            else:
                datetime.fromisoformat(text.replace("Z", "+00:00"))
        except ValueError:
            raise FormulaError(f"{text!r} is not a {tree.value}", tree.args[0].position) from None
    for arg in tree.args:
        _check_dates(arg)


def _main(amount: Any) -> Decimal | None:
    if isinstance(amount, bool) or not isinstance(amount, int | float):
        return None
    return Decimal(str(amount)) / MONEY


def _quantity(item: Mapping[str, Any]) -> int:
    value = item.get("quantity")
    return int(value) if isinstance(value, int) and not isinstance(value, bool) else 0


def _subtotal(item: Mapping[str, Any]) -> Any:
    given = item.get("subtotal_amount")
    return given if given is not None else item.get("amount")


def _pick(items: Sequence[Mapping[str, Any]], cheapest: bool) -> Mapping[str, Any] | None:
    """The cheapest (or most expensive) priced item; ties: the lowest subtotal, then the first."""
    priced = [i for i in items if isinstance(i.get("price"), int | float)]
    if not priced:
        return None
    best = min(i["price"] for i in priced) if cheapest else max(i["price"] for i in priced)
    tied = [i for i in priced if i["price"] == best]
    return min(tied, key=lambda i: _subtotal(i) or 0)


def _item_operands(prefix: str, item: Mapping[str, Any] | None) -> dict[str, Any]:
    item = item or {}
    return {
        f"{prefix}_PRICE": _main(item.get("price")),
        f"{prefix}_AMOUNT": _main(item.get("amount")),
        f"{prefix}_SUBTOTAL": _main(_subtotal(item)),
        f"{prefix}_UNITS_QUANTITY": _quantity(item) if item else None,
    }


def _item_metadata(prefix: str, item: Mapping[str, Any] | None) -> dict[str, Mapping[str, Any]]:
    item = item or {}
    product = item.get("product") or {}
    return {
        f"{prefix}_METADATA": item.get("metadata") or {},
        f"{prefix}_PRODUCT_METADATA": product.get("metadata") or {},
    }


def order_operands(
    amount: int | None, items: Sequence[Mapping[str, Any]]
) -> tuple[dict[str, Any], dict[str, Mapping[str, Any]]]:
    """The order-level operands and item metadata of an order (money in main units)."""
    cheapest, dearest = _pick(items, True), _pick(items, False)
    operands: dict[str, Any] = {
        "ORDER_AMOUNT": _main(amount),
        "ORDER_ITEMS_QUANTITY": len(items),
        "ORDER_UNITS_QUANTITY": sum(_quantity(i) for i in items),
        **_item_operands("CHEAPEST_ORDER_ITEM", cheapest),
        **_item_operands("MOST_EXPENSIVE_ORDER_ITEM", dearest),
    }
    metadata = {
        **_item_metadata("CHEAPEST_ORDER_ITEM", cheapest),
        **_item_metadata("MOST_EXPENSIVE_ORDER_ITEM", dearest),
    }
    return operands, metadata


def formula_fields(discount: Mapping[str, Any]) -> Iterable[str]:
    """The ``…_formula`` fields a discount holds."""
    return (key for key, value in discount.items() if key.endswith("_formula") and value)


def check_discount_formulas(discount: dict[str, Any]) -> None:
    """Every formula of a discount (and of its ``units``) parses and fits a discount."""
    for key in list(formula_fields(discount)):
        check(discount[key], f"discount.{key}")
    for index, unit in enumerate(discount.get("units") or []):
        if unit.get("unit_off_formula"):
            check(unit["unit_off_formula"], f"discount.units[{index}].unit_off_formula")


def resolved_discount(discount: Mapping[str, Any], env: Env) -> dict[str, Any]:
    """The discount with each formula's value in the field it computes (the stored value is
    the fallback); formulas stay beside them."""
    done = dict(discount)
    for key in list(formula_fields(discount)):
        field = key.removesuffix("_formula")
        text = str(discount[key])
        if field in {"amount_off", "fixed_amount"}:
            done[field] = money(text, env, int(discount.get(field) or 0))
        elif field == "percent_off":
            done[field] = percent(text, env, float(discount.get(field) or 0))
        elif field == "unit_off":
            done[field] = whole(text, env, int(discount.get(field) or 0))
    if any(unit.get("unit_off_formula") for unit in discount.get("units") or []):
        done["units"] = [_unit(unit, env) for unit in discount["units"]]
    return done


def _unit(unit: Mapping[str, Any], env: Env) -> dict[str, Any]:
    if not unit.get("unit_off_formula"):
        return dict(unit)
    value = whole(str(unit["unit_off_formula"]), env, int(unit.get("unit_off") or 0))
    return {**unit, "unit_off": value}


def has_formula(discount: Mapping[str, Any] | None) -> bool:
    """Whether a discount computes any of its values."""
    if not discount:
        return False
    units = discount.get("units") or []
    return any(True for _ in formula_fields(discount)) or any(
        u.get("unit_off_formula") for u in units
    )
