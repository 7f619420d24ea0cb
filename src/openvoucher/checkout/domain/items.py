"""Item-level discounts: which order items a voucher applies to, and what each item gets.

Pure and integer. A voucher's ``applicable_to`` / ``inapplicable_to`` entries name products,
SKUs or product collections (``{object, id | source_id, effect?, quantity_limit?,
aggregated_quantity_limit?, amount_limit?, aggregated_amount_limit?, price?}``). An item
matches a product or SKU entry when its product or SKU id or source id equals the entry's, and
a ``products_collection`` entry when the caller found it in the collection (``members``: the
collection id → the key sets, see :func:`item_keys`, of the order's items in it). Items matched
by ``inapplicable_to`` never get an item discount; without ``applicable_to`` every other item
is applicable.

Effects (``discount.effect``):

- ``APPLY_TO_ITEMS``: AMOUNT takes ``amount_off`` off each applicable item; PERCENT takes
  ``percent_off`` % of each item (half up), with ``amount_limit`` capping the sum; FIXED ("new
  price") prices each unit at ``fixed_amount`` (the line costs ``fixed_amount × quantity``, never
  more than it did); an entry's ``price`` sets its items' unit price the same way.
- ``APPLY_TO_ITEMS_PROPORTIONALLY``: ``amount_off`` split over the applicable items in
  proportion to what is left of each; the parts are floored and the remainder goes one unit
  at a time to the largest fractional parts (earlier item first on ties), so they sum exactly.
- ``APPLY_TO_ITEMS_PROPORTIONALLY_BY_QUANTITY``: ``amount_off`` split over the applicable
  items in proportion to their quantities (within ``quantity_limit``), never above what is left
  of an item (what one cannot take goes to the others, again by quantity).
- ``APPLY_TO_ITEMS_BY_QUANTITY``: ``amount_off`` off each applicable unit.
- UNIT discounts are shared out by :mod:`openvoucher.checkout.domain.units`.

No item discount exceeds what is left of the item.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from openvoucher.checkout.domain.discounts import percent_of
from openvoucher.kernel.formula_env import ItemValues

ITEM_EFFECTS = frozenset(
    {
        "APPLY_TO_ITEMS",
        "APPLY_TO_ITEMS_PROPORTIONALLY",
        "APPLY_TO_ITEMS_PROPORTIONALLY_BY_QUANTITY",
        "APPLY_TO_ITEMS_BY_QUANTITY",
    }
)
DEFAULT_ENTRY_EFFECT = "APPLY_TO_EVERY"
COLLECTION = "products_collection"

Item = Mapping[str, Any]
Members = Mapping[str, frozenset[frozenset[str]]]
"""Product collection id → the key sets (:func:`item_keys`) of the order's items in it."""
NO_MEMBERS: Members = {}


def is_item_level(discount: Mapping[str, Any] | None) -> bool:
    """True when the discount is shared out over items rather than taken off the order."""
    if not discount:
        return False
    return discount.get("type") == "UNIT" or discount.get("effect") in ITEM_EFFECTS


def item_keys(item: Item) -> set[str]:
    """The ids and source ids an item can be matched by."""
    product = item.get("product") or {}
    sku = item.get("sku") or {}
    found = {
        item.get("product_id"),
        item.get("sku_id"),
        item.get("source_id"),
        product.get("id"),
        product.get("source_id"),
        sku.get("id"),
        sku.get("source_id"),
    }
    return {str(key) for key in found if key}


def matches(entry: Mapping[str, Any], item: Item, members: Members = NO_MEMBERS) -> bool:
    """Whether the ``applicable_to`` entry names the item's product or SKU (or its collection)."""
    keys = item_keys(item)
    if entry.get("object") == COLLECTION:
        return frozenset(keys) in members.get(str(entry.get("id")), frozenset())
    return any(entry.get(name) and str(entry[name]) in keys for name in ("id", "source_id"))


@dataclass(frozen=True)
class Targets:
    """Which items an item-level discount may touch, and by which entry."""

    entries: tuple[int | None, ...]
    """Per item: index of the ``applicable_to`` entry it matches (-1: no list), None: excluded."""

    def indices(self) -> list[int]:
        """Indices of the applicable items."""
        return [i for i, entry in enumerate(self.entries) if entry is not None]


def targets(
    items: Sequence[Item],
    applicable_to: Sequence[Mapping[str, Any]],
    inapplicable_to: Sequence[Mapping[str, Any]],
    members: Members = NO_MEMBERS,
) -> Targets:
    """The applicable item of each index (see :class:`Targets`)."""
    if not applicable_to and not inapplicable_to:
        return Targets((-1,) * len(items))  # no lists: every item, by no entry
    found: list[int | None] = []
    for item in items:
        chosen: int | None = None
        if not any(matches(entry, item, members) for entry in inapplicable_to):
            chosen = next(
                (n for n, entry in enumerate(applicable_to) if matches(entry, item, members)),
                None if applicable_to else -1,
            )
        found.append(chosen)
    return Targets(tuple(_narrow(found, items, applicable_to)))


def _narrow(
    found: list[int | None], items: Sequence[Item], applicable_to: Sequence[Mapping[str, Any]]
) -> list[int | None]:
    """An entry with APPLY_TO_CHEAPEST / APPLY_TO_MOST_EXPENSIVE keeps only one of its items."""
    for n, entry in enumerate(applicable_to):
        effect = entry.get("effect") or DEFAULT_ENTRY_EFFECT
        if effect not in {"APPLY_TO_CHEAPEST", "APPLY_TO_MOST_EXPENSIVE"}:
            continue
        mine = [i for i, chosen in enumerate(found) if chosen == n]
        if not mine:
            continue
        sign = 1 if effect == "APPLY_TO_CHEAPEST" else -1
        keep = min(mine, key=lambda i: (sign * unit_price(items[i]), i))
        for i in mine:
            if i != keep:
                found[i] = None
    return found


def unit_price(item: Item) -> int:
    """The item's unit price: ``price``, else its amount per unit."""
    price = item.get("price")
    if price is not None:
        return int(price)
    quantity = int(item.get("quantity") or 1)
    return int(item.get("amount") or 0) // max(quantity, 1)


def _quantity(item: Item, entry: Mapping[str, Any] | None) -> int:
    quantity = int(item.get("quantity") or 1)
    limit = (entry or {}).get("quantity_limit")
    return min(quantity, int(limit)) if limit else quantity


def share(total: int, weights: Sequence[int]) -> list[int]:
    """``total`` split in proportion to ``weights`` (largest remainder; sums to ``total``)."""
    whole = sum(weights)
    if whole <= 0 or total <= 0:
        return [0] * len(weights)
    parts = [total * w // whole for w in weights]
    order = sorted(range(len(weights)), key=lambda i: (-(total * weights[i] % whole), i))
    for i in order[: total - sum(parts)]:
        parts[i] += 1
    return parts


def share_within(total: int, weights: Sequence[int], caps: Sequence[int]) -> list[int]:
    """``total`` split by ``weights`` (as :func:`share`), no part above its cap: what a capped
    part cannot take goes to the others, again by weight (never more than the caps allow)."""
    parts = [0] * len(weights)
    rest = min(total, sum(caps))
    room = [i for i, cap in enumerate(caps) if cap > 0 and weights[i] > 0]
    while rest > 0 and room:
        for i, given in zip(room, share(rest, [weights[i] for i in room]), strict=True):
            taken = min(given, caps[i] - parts[i])
            parts[i] += taken
            rest -= taken
        room = [i for i in room if parts[i] < caps[i]]
    return parts


def item_discounts(
    discount: Mapping[str, Any],
    items: Sequence[Item],
    left: Sequence[int],
    chosen: Targets,
    applicable_to: Sequence[Mapping[str, Any]] = (),
    values: ItemValues | None = None,
) -> list[int]:
    """What the discount takes off each item; ``left`` is what remains of each item;
    ``values``: its per-item formulas (``ORDER_ITEM_…``), computed for each item."""
    indices = chosen.indices()
    entry_of = {
        i: applicable_to[n] if (n := chosen.entries[i]) is not None and n >= 0 else None
        for i in indices
    }
    wanted = [0] * len(items)
    kind = discount.get("type")
    effect = discount.get("effect")
    if effect in {"APPLY_TO_ITEMS_PROPORTIONALLY", "APPLY_TO_ITEMS_PROPORTIONALLY_BY_QUANTITY"}:
        by_quantity = effect == "APPLY_TO_ITEMS_PROPORTIONALLY_BY_QUANTITY"
        weights = [_quantity(items[i], entry_of[i]) if by_quantity else left[i] for i in indices]
        parts = share_within(
            int(discount.get("amount_off") or 0), weights, [left[i] for i in indices]
        )
        for i, part in zip(indices, parts, strict=True):
            wanted[i] = part
        return wanted
    for i in indices:
        own = {**discount, **values(items[i], left[i])} if values is not None else discount
        wanted[i] = _per_item(own, items[i], left[i], entry_of[i])
    if kind == "PERCENT" and discount.get("amount_limit") is not None:
        limit = int(discount["amount_limit"])
        if sum(wanted) > limit:
            wanted = share(limit, wanted)
    return _entry_limits(wanted, left, entry_of)


def _per_item(
    discount: Mapping[str, Any], item: Item, left: int, entry: Mapping[str, Any] | None
) -> int:
    quantity = _quantity(item, entry)
    base = min(left, unit_price(item) * quantity) if entry and entry.get("quantity_limit") else left
    if entry is not None and entry.get("price") is not None:
        value = base - int(entry["price"]) * quantity
    elif discount.get("type") == "AMOUNT":
        value = int(discount.get("amount_off") or 0)
        if discount.get("effect") == "APPLY_TO_ITEMS_BY_QUANTITY":
            value *= quantity
    elif discount.get("type") == "PERCENT":
        value = percent_of(base, discount.get("percent_off") or 0)
    elif discount.get("type") == "FIXED":
        value = base - int(discount.get("fixed_amount") or 0) * quantity
    else:
        value = 0
    limit = (entry or {}).get("amount_limit")
    if limit is not None:
        value = min(value, int(limit))
    return max(0, min(value, base))


def _entry_limits(
    wanted: list[int], left: Sequence[int], entry_of: Mapping[int, Mapping[str, Any] | None]
) -> list[int]:
    """An entry's ``aggregated_amount_limit`` caps the sum over its items."""
    seen: dict[int, list[int]] = {}
    for i, entry in entry_of.items():
        if entry is not None and entry.get("aggregated_amount_limit") is not None:
            seen.setdefault(id(entry), []).append(i)
    for mine in seen.values():
        entry = entry_of[mine[0]]
        assert entry is not None
        limit = int(entry["aggregated_amount_limit"])
        if sum(wanted[i] for i in mine) > limit:
            for i, part in zip(mine, share(limit, [wanted[i] for i in mine]), strict=True):
                wanted[i] = part
    return [min(w, left[i]) for i, w in enumerate(wanted)]


def applicable_list(
    entries: Sequence[Mapping[str, Any]],
    items: Sequence[Item],
    chosen: Targets | None = None,
    members: Members = NO_MEMBERS,
) -> dict[str, Any]:
    """An ``ApplicableToResultList``: the entries with their effect and matched item indices."""
    data = []
    for n, entry in enumerate(entries):
        body = {k: v for k, v in entry.items() if v is not None}
        body.setdefault("effect", DEFAULT_ENTRY_EFFECT)
        if chosen is not None:
            body["order_item_indices"] = [i for i, e in enumerate(chosen.entries) if e == n]
        else:
            body["order_item_indices"] = [
                i for i, it in enumerate(items) if matches(entry, it, members)
            ]
        data.append(body)
    return {"data": data, "total": len(data), "data_ref": "data", "object": "list"}
