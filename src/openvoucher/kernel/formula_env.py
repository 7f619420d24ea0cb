"""Where dynamic formulas meet requests: checking a stored formula (400 naming the field and
the position) and the operands an order gives. Pure.

Per-item operands (``ORDER_ITEM_…``) belong to product discounts: with ``APPLY_TO_ITEMS`` and
``APPLY_TO_ITEMS_BY_QUANTITY`` such a formula is computed for each applicable item
(:func:`item_formulas`) when the discount is shared out; a UNIT discount's formulas read the
order's line of the unit's product. Elsewhere (order discounts, discounts split over items,
points) they are refused when saved (``not_supported``), as are operands the context cannot
have (voucher operands in earning rules).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import replace
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
PRODUCT_EFFECTS = frozenset({"APPLY_TO_ITEMS", "APPLY_TO_ITEMS_BY_QUANTITY"})
"""Discount effects computed item by item: the ones whose formulas may read ``ORDER_ITEM_…``."""
ItemValues = Callable[[Mapping[str, Any], int], dict[str, Any]]
"""An item and what is left of it → the discount's values computed for that item."""


def check(text: Any, where: str, *, earning: bool = False, per_item: bool = False) -> str:
    """A formula to store: it parses and uses only operands its context has (``per_item``: a
    product discount's, which may read the item's); else a 400 whose details name ``where``
    and the position."""
    if not isinstance(text, str):
        raise InvalidPayload("Invalid formula", f"{where} must be a text")
    try:
        tree = parse(text)
        _check_dates(tree)
    except FormulaError as exc:
        raise InvalidPayload("Invalid formula", f"{where}: {exc}") from None
    used = names(tree)
    banned = (frozenset() if per_item else PER_ITEM) | (NOT_IN_EARNING if earning else frozenset())
    refused = sorted(used & banned)
    if refused:
        only = " (product discounts only)" if set(refused) & PER_ITEM else ""
        raise VoucherifyError(
            "Not supported",
            f"{where}: {', '.join(refused)} cannot be used here{only}",
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
    unit = discount.get("type") == "UNIT"
    per_item = unit or discount.get("effect") in PRODUCT_EFFECTS
    for key in list(formula_fields(discount)):
        check(discount[key], f"discount.{key}", per_item=per_item)
    for index, entry in enumerate(discount.get("units") or []):
        if entry.get("unit_off_formula"):
            where = f"discount.units[{index}].unit_off_formula"
            check(entry["unit_off_formula"], where, per_item=unit)


def _per_item(text: str) -> bool:
    try:
        return bool(names(parse(text)) & PER_ITEM)
    except FormulaError:
        return False


def _value(discount: Mapping[str, Any], key: str, env: Env) -> tuple[str, Any] | None:
    """The field a formula computes and its value (the stored value is the fallback)."""
    field = key.removesuffix("_formula")
    text = str(discount[key])
    if field in {"amount_off", "fixed_amount"}:
        return field, money(text, env, int(discount.get(field) or 0))
    if field == "percent_off":
        return field, percent(text, env, float(discount.get(field) or 0))
    if field == "unit_off":
        return field, whole(text, env, int(discount.get(field) or 0))
    return None


Line = Callable[[str], Mapping[str, Any] | None]
"""A unit's ``unit_type`` → the order's line for it (None: not in the order)."""


def _line_env(env: Env, line: Line | None, unit_type: Any) -> Env:
    """``env`` with the operands of the order's line for ``unit_type`` (a UNIT discount's
    ``ORDER_ITEM_…``); unchanged when the order has no such line (the formula falls back)."""
    item = line(str(unit_type)) if line is not None and unit_type else None
    if item is None:
        return env
    operands, metadata = item_operands(item, _subtotal(item))
    return replace(
        env, operands={**env.operands, **operands}, metadata={**env.metadata, **metadata}
    )


def resolved_discount(
    discount: Mapping[str, Any], env: Env, line: Line | None = None
) -> dict[str, Any]:
    """The discount with each formula's value in the field it computes (the stored value is
    the fallback); formulas stay beside them. Per-item formulas of item discounts keep the
    stored value here (:func:`item_formulas` computes them item by item); a UNIT discount's
    read the order's line of its ``unit_type`` (``line``)."""
    done = dict(discount)
    for key in list(formula_fields(discount)):
        own = env
        if _per_item(str(discount[key])):
            if discount.get("type") != "UNIT":
                continue
            own = _line_env(env, line, discount.get("unit_type"))
        found = _value(discount, key, own)
        if found is not None:
            done[found[0]] = found[1]
    if any(unit.get("unit_off_formula") for unit in discount.get("units") or []):
        done["units"] = [_unit(unit, env, line) for unit in discount["units"]]
    return done


def item_operands(
    item: Mapping[str, Any], left: Any
) -> tuple[dict[str, Any], dict[str, Mapping[str, Any]]]:
    """One order item's operands: its unit price, its amount before discounts, its subtotal
    (what is left of it after the discounts applied before), its units; and its metadata."""
    operands = {
        "ORDER_ITEM_PRICE": _main(item.get("price")),
        "ORDER_ITEM_AMOUNT": _main(item.get("amount")),
        "ORDER_ITEM_SUBTOTAL": _main(left),
        "ORDER_ITEM_UNITS_QUANTITY": _quantity(item),
    }
    return operands, _item_metadata("ORDER_ITEM", item)


def item_formulas(discount: Mapping[str, Any] | None, env: Env) -> ItemValues | None:
    """For a product discount whose formulas read ``ORDER_ITEM_…``: a function giving the
    discount's values for one item (None: no such formula)."""
    keys = [k for k in formula_fields(discount or {}) if _per_item(str((discount or {})[k]))]
    if discount is None or not keys:
        return None

    def values(item: Mapping[str, Any], left: int) -> dict[str, Any]:
        operands, metadata = item_operands(item, left)
        own = replace(
            env,
            operands={**env.operands, **operands},
            metadata={**env.metadata, **metadata},
        )
        found = (_value(discount, key, own) for key in keys)
        return dict(pair for pair in found if pair is not None)

    return values


def _unit(unit: Mapping[str, Any], env: Env, line: Line | None) -> dict[str, Any]:
    if not unit.get("unit_off_formula"):
        return dict(unit)
    text = str(unit["unit_off_formula"])
    if _per_item(text):
        env = _line_env(env, line, unit.get("unit_type"))
    value = whole(text, env, int(unit.get("unit_off") or 0))
    return {**unit, "unit_off": value}


def has_formula(discount: Mapping[str, Any] | None) -> bool:
    """Whether a discount computes any of its values."""
    if not discount:
        return False
    units = discount.get("units") or []
    return any(True for _ in formula_fields(discount)) or any(
        u.get("unit_off_formula") for u in units
    )
