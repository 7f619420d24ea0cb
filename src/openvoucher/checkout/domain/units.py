"""UNIT discounts: free units of a product or SKU, added to the order as the effect says.

Pure and integer. A unit is ``{unit_type, unit_off, effect}``; a discount is one unit, or with
``ADD_MANY_ITEMS`` several (``units``), each done in turn with its own effect:

- ``ADD_MISSING_ITEMS``: the order's line of ``unit_type`` is topped up to ``unit_off`` units
  (a line is appended when the order has none);
- ``ADD_NEW_ITEMS``: ``unit_off`` units are always added (to the line, else on a new line).

Then ``unit_off`` units of the line are free: their unit price each comes off the line (never
more than is left of it). Added units cost the line's unit price, else the catalogue's.

The line of a unit is the first item whose product or SKU id or source id is the ``unit_type``
(or the id or source id of the catalogue's product or SKU it names). The catalogue is read by
the caller: ``unit_type`` → ``{object: product|sku, id, source_id, name|sku, price,
product_id?, product?}``. A changed or added line carries, besides its new ``quantity`` and
``amount``, how many units the request added (``applied_quantity``, ``applied_quantity_amount``)
and made free (``discount_quantity``, ``applied_discount_quantity``).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from openvoucher.checkout.domain.items import item_keys, unit_price

Catalog = Mapping[str, Mapping[str, Any]]
"""``unit_type`` → the product or SKU it names (see the module docstring)."""

MISSING_PRODUCT = "product_not_found"
"""Error key: a unit's product is neither in the order nor in the catalogue."""


def units_of(discount: Mapping[str, Any] | None) -> list[Mapping[str, Any]]:
    """The units a UNIT discount gives (one, or its ``units`` for ADD_MANY_ITEMS)."""
    if not discount or discount.get("type") != "UNIT":
        return []
    if discount.get("effect") == "ADD_MANY_ITEMS":
        return list(discount.get("units") or [])
    return [discount]


def unit_types(discount: Mapping[str, Any] | None) -> set[str]:
    """The products or SKUs a UNIT discount names."""
    return {str(unit["unit_type"]) for unit in units_of(discount) if unit.get("unit_type")}


def _aliases(unit_type: str, catalog: Catalog) -> set[str]:
    entry = catalog.get(unit_type) or {}
    return {unit_type, *(str(entry[key]) for key in ("id", "source_id") if entry.get(key))}


def line_of(unit_type: str, items: Sequence[Mapping[str, Any]], catalog: Catalog) -> int | None:
    """The index of the order's line for ``unit_type``, or None."""
    aliases = _aliases(unit_type, catalog)
    return next((i for i, item in enumerate(items) if aliases & item_keys(item)), None)


def problem(
    discount: Mapping[str, Any] | None, items: Sequence[Mapping[str, Any]], catalog: Catalog
) -> str | None:
    """Why the units cannot be given: a product neither in the order nor in the catalogue."""
    for unit in units_of(discount):
        unit_type = str(unit.get("unit_type") or "")
        if unit_type not in catalog and line_of(unit_type, items, catalog) is None:
            return MISSING_PRODUCT
    return None


def _wanted(unit: Mapping[str, Any], line: Mapping[str, Any]) -> int:
    """How many units the unit's effect adds to ``line``."""
    off = int(unit.get("unit_off") or 0)
    if unit.get("effect") == "ADD_NEW_ITEMS":
        return off
    return max(off - int(line.get("quantity") or 0), 0)


def _new_line(entry: Mapping[str, Any]) -> dict[str, Any]:
    """An empty order line for a catalogue product or SKU."""
    price = int(entry.get("price") or 0)
    line: dict[str, Any] = {"object": "order_item", "quantity": 0, "amount": 0, "price": price}
    line.update(initial_quantity=0, initial_amount=0)
    if entry.get("object") == "sku":
        line.update(sku_id=entry["id"], product_id=entry.get("product_id"))
        line["sku"] = {k: entry.get(k) for k in ("id", "source_id", "sku", "price")}
        if entry.get("product"):
            line["product"] = dict(entry["product"])
    else:
        line["product_id"] = entry["id"]
        line["product"] = {k: entry.get(k) for k in ("id", "source_id", "name", "price")}
    return line


def _grant(line: Mapping[str, Any], added: int, free: int, price: int) -> dict[str, Any]:
    """``line`` with ``added`` units more, ``free`` of them counted as discounted."""
    changed = dict(line)
    changed["quantity"] = int(line.get("quantity") or 0) + added
    changed["amount"] = int(line.get("amount") or 0) + added * price
    if changed.get("price") is None:
        changed["price"] = price
    for key, value in (
        ("applied_quantity", added),
        ("applied_quantity_amount", added * price),
        ("discount_quantity", free),
        ("applied_discount_quantity", free),
    ):
        changed[key] = int(line.get(key) or 0) + value
    return changed


def grow(
    discount: Mapping[str, Any], items: Sequence[Mapping[str, Any]], catalog: Catalog
) -> list[Mapping[str, Any]]:
    """The order's items with the units the discount adds (lines changed or appended)."""
    grown: list[Mapping[str, Any]] = list(items)
    for unit in units_of(discount):
        unit_type = str(unit.get("unit_type") or "")
        index = line_of(unit_type, grown, catalog)
        if index is None:
            if unit_type not in catalog:
                continue
            grown.append(_new_line(catalog[unit_type]))
            index = len(grown) - 1
        line = grown[index]
        price = _price(line, catalog.get(unit_type))
        free = int(unit.get("unit_off") or 0)
        grown[index] = _grant(line, _wanted(unit, line), free, price)
    return grown


def _price(line: Mapping[str, Any], entry: Mapping[str, Any] | None) -> int:
    if line.get("price") is not None or not entry or entry.get("price") is None:
        return unit_price(line)
    return int(entry["price"])


def discounts(
    discount: Mapping[str, Any],
    items: Sequence[Mapping[str, Any]],
    left: Sequence[int],
    catalog: Catalog,
) -> list[int]:
    """What the units take off each line of the (grown) order: ``unit_off`` units at its price."""
    wanted = [0] * len(items)
    for unit in units_of(discount):
        index = line_of(str(unit.get("unit_type") or ""), items, catalog)
        if index is None:
            continue
        units = min(int(unit.get("unit_off") or 0), int(items[index].get("quantity") or 0))
        wanted[index] += units * unit_price(items[index])
    return [min(value, left[i]) for i, value in enumerate(wanted)]


def described(discount: Mapping[str, Any], catalog: Catalog) -> dict[str, Any]:
    """The discount as a redeemable's result shows it: each unit with its catalogue product
    (and SKU) as ``{id, source_id, name}``."""
    if discount.get("type") != "UNIT":
        return dict(discount)
    if discount.get("effect") == "ADD_MANY_ITEMS":
        units = [_with_refs(unit, catalog) for unit in discount.get("units") or []]
        return {**discount, "units": units}
    return _with_refs(discount, catalog)


def _with_refs(unit: Mapping[str, Any], catalog: Catalog) -> dict[str, Any]:
    entry = catalog.get(str(unit.get("unit_type") or ""))
    if not entry:
        return dict(unit)
    if entry.get("object") != "sku":
        return {**unit, "product": {k: entry.get(k) for k in ("id", "source_id", "name")}}
    product = entry.get("product") or {}
    return {
        **unit,
        "product": {k: product.get(k) for k in ("id", "source_id", "name")},
        "sku": {"id": entry["id"], "source_id": entry.get("source_id"), "name": entry.get("sku")},
    }
