"""Item values that validation rules read: unit prices, line amounts, item metadata, the
aggregated and per-item conditions of ``order.items.*`` rules, the cheapest/dearest item."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from openvoucher.catalog.domain import rule_logic

Item = Mapping[str, Any]


def unit_price(item: Item) -> int:
    """An item's price per unit (its ``price``, else amount / quantity)."""
    if item.get("price") is not None:
        return int(item["price"])
    return int(item.get("amount") or 0) // max(int(item.get("quantity") or 1), 1)


def line_amount(item: Item) -> int:
    """An item's amount before discounts (``amount``, else price × quantity)."""
    if item.get("amount") is not None:
        return int(item["amount"])
    return unit_price(item) * int(item.get("quantity") or 1)


def item_metadata(item: Item, key: str) -> Any:
    """The item's metadata ``key``, else its product's."""
    own = item.get("metadata") or {}
    if key in own:
        return own[key]
    return ((item.get("product") or {}).get("metadata") or {}).get(key)


def item_value(kind: str, rule: Mapping[str, Any], items: list[Item]) -> bool:
    """Whether ``items`` meet an item rule's ``conditions`` read as ``kind``."""
    conditions = rule["conditions"]
    if kind == "quantity":
        total = sum(int(item.get("quantity") or 1) for item in items)
        return rule_logic.satisfied(total, conditions)
    if kind == "amount":
        return rule_logic.satisfied(sum(line_amount(item) for item in items), conditions)
    read: Callable[[Item], Any] = unit_price
    if kind == "quantity_any":
        read = lambda item: int(item.get("quantity") or 1)  # noqa: E731
    if kind.startswith("metadata"):
        read = lambda item: item_metadata(item, rule["property"])  # noqa: E731
    met = [rule_logic.satisfied(read(item), conditions) for item in items]
    if kind.endswith("_each"):
        return bool(met) and all(met)
    return any(met)


def extreme(items: list[Item], how: str, matched: list[Item]) -> list[Item]:
    """The cheapest (or most expensive) item of the order, when it is one of ``matched``."""
    if not items:
        return []
    sign = 1 if how == "cheapest" else -1
    chosen = min(items, key=lambda item: sign * unit_price(item))
    return [chosen] if any(chosen is item for item in matched) else []
