"""An order's figures while redeemables apply to it, and one item-level discount's step.

Pure and integer. :class:`Totals` is what the evaluation carries from one redeemable to the
next; :func:`item_step` applies an item-level discount (a UNIT discount first adds its units,
see :mod:`openvoucher.checkout.domain.units`; the others share out by
:mod:`openvoucher.checkout.domain.items`).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from openvoucher.checkout.domain import items as item_level
from openvoucher.checkout.domain import units
from openvoucher.kernel.formula_env import ItemValues


@dataclass(frozen=True)
class Totals:
    """The order's figures after some redeemables were applied."""

    amount: int
    discount_amount: int
    applied_discount_amount: int = 0
    item_discounts: tuple[int, ...] = ()
    """Per order item: every item-level discount so far (those the order came with included)."""
    item_applied: tuple[int, ...] = ()
    """Per order item: what the last step (or, on the final totals, the request) took off it."""
    items: tuple[Mapping[str, Any], ...] = ()
    """The order's items as they stand (UNIT discounts may add units and lines)."""
    item_added: tuple[int, ...] = ()
    """Per order item: the units the last step added (UNIT discounts)."""
    item_freed: tuple[int, ...] = ()
    """Per order item: the units the last step made free (UNIT discounts)."""

    @property
    def items_discount_amount(self) -> int:
        """The sum of the items' discounts."""
        return sum(self.item_discounts)

    @property
    def items_applied_discount_amount(self) -> int:
        """The sum of what was applied to the items."""
        return sum(self.item_applied)

    @property
    def total_amount(self) -> int:
        """What is left to pay."""
        return max(self.amount - self.discount_amount - self.items_discount_amount, 0)


def padded(values: tuple[int, ...], length: int) -> tuple[int, ...]:
    """Per-item figures for an order that gained lines (the new ones at 0)."""
    return values + (0,) * (length - len(values))


def _within(taken: list[int], remaining: int) -> list[int]:
    """Item discounts never take more than is left to pay on the order."""
    if sum(taken) <= remaining:
        return taken
    return item_level.share(remaining, taken)


def _changes(
    before: Sequence[Mapping[str, Any]], after: Sequence[Mapping[str, Any]], key: str
) -> tuple[int, ...]:
    """Per line of ``after``: how much ``key`` grew since ``before`` (new lines from 0)."""
    old = padded(tuple(int(item.get(key) or 0) for item in before), len(after))
    return tuple(int(item.get(key) or 0) - was for item, was in zip(after, old, strict=True))


@dataclass(frozen=True)
class StepMode:
    """How the stacking rules bend one item-level step."""

    closed: tuple[bool, ...] = ()
    """Per item: already discounted by this request and off limits (products mode ONCE)."""
    initial: tuple[int, ...] | None = None
    """Per item: what was left of it before this request, when a percent is taken of that."""
    item_values: ItemValues | None = None
    """Per-item formulas: an item and what is left of it → the discount's values for it."""


def _shared(
    discount: Mapping[str, Any],
    items: Sequence[Mapping[str, Any]],
    left: list[int],
    lists: tuple[Sequence[Mapping[str, Any]], Sequence[Mapping[str, Any]], item_level.Members],
    mode: StepMode,
) -> list[int]:
    """An item discount's parts; with ``initial``, a percent of what each item was before this
    request, never more than is left of it."""
    applicable_to, inapplicable_to, members = lists
    chosen = item_level.targets(items, applicable_to, inapplicable_to, members)
    initial, values = mode.initial, mode.item_values
    if initial is None or discount.get("type") != "PERCENT":
        return item_level.item_discounts(discount, items, left, chosen, applicable_to, values)
    bases = [
        base if room else 0 for base, room in zip(padded(initial, len(items)), left, strict=True)
    ]
    taken = item_level.item_discounts(discount, items, bases, chosen, applicable_to, values)
    return [min(part, room) for part, room in zip(taken, left, strict=True)]


def item_step(
    discount: Mapping[str, Any],
    totals: Totals,
    catalog: units.Catalog,
    lists: tuple[Sequence[Mapping[str, Any]], Sequence[Mapping[str, Any]], item_level.Members],
    mode: StepMode | None = None,
) -> Totals:
    """``totals`` after an item-level ``discount``; ``lists``: the voucher's ``applicable_to``,
    ``inapplicable_to`` and the order's items in the collections they name."""
    items = list(totals.items)
    amounts = [int(item.get("amount") or 0) for item in items]
    amount = totals.amount
    if discount.get("type") == "UNIT":  # units may add lines and units, and so amount
        items = units.grow(discount, items, catalog)
        grown_amounts = [int(item.get("amount") or 0) for item in items]
        amount += sum(grown_amounts) - sum(amounts)
        amounts = grown_amounts
    done = padded(totals.item_discounts, len(items))
    grown = Totals(amount, totals.discount_amount, 0, done, (0,) * len(items), tuple(items))
    mode = mode or StepMode()
    closed = mode.closed + (False,) * (len(items) - len(mode.closed))
    left = [
        0 if shut else max(value - taken, 0)
        for value, taken, shut in zip(amounts, done, closed, strict=True)
    ]
    if discount.get("type") == "UNIT":
        taken = units.discounts(discount, items, left, catalog)
    else:
        taken = _shared(discount, items, left, lists, mode)
    taken = _within(taken, grown.total_amount)
    unit = discount.get("type") == "UNIT"
    none = (0,) * len(items)
    return Totals(
        amount,
        totals.discount_amount,
        0,
        tuple(a + b for a, b in zip(done, taken, strict=True)),
        tuple(taken),
        tuple(items),
        _changes(totals.items, items, "quantity") if unit else none,
        _changes(totals.items, items, "discount_quantity") if unit else none,
    )
