"""UNIT discounts (domain/units.py): units added to the order and what they take off."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from openvoucher.catalog.domain.validity import Validity
from openvoucher.checkout.domain.redeemables import OrderContext, Requested, VoucherFacts
from openvoucher.checkout.domain.stacking import evaluate
from openvoucher.checkout.domain.units import discounts, grow, line_of, problem

SHIRT = {"object": "product", "id": "prod_shirt", "source_id": "shirt", "name": "T", "price": 2900}
MUG = {
    "object": "sku",
    "id": "sku_mug",
    "source_id": "mug-1",
    "sku": "Mug",
    "price": 1500,
    "product_id": "prod_mug",
    "product": {"id": "prod_mug", "source_id": None, "name": "Mugs", "price": 1700},
}
CATALOG = {"prod_shirt": SHIRT, "shirt": SHIRT, "mug-1": MUG}
"""As the service reads it: keyed by the names the discounts use."""
ORDER = [{"product_id": "prod_shirt", "quantity": 1, "price": 2900, "amount": 2900}]


def _unit(unit_type: str, off: int, effect: str) -> dict[str, Any]:
    return {"type": "UNIT", "unit_type": unit_type, "unit_off": off, "effect": effect}


def _apply(discount: dict[str, Any], items: list[dict[str, Any]]) -> tuple[list[Any], list[int]]:
    grown = grow(discount, items, CATALOG)
    left = [int(item["amount"]) for item in grown]
    return grown, discounts(discount, grown, left, CATALOG)


def test_add_missing_items_tops_the_line_up() -> None:
    """ADD_MISSING_ITEMS adds only the units the line lacks; all unit_off units are free."""
    grown, taken = _apply(_unit("prod_shirt", 3, "ADD_MISSING_ITEMS"), ORDER)
    assert len(grown) == 1
    line = grown[0]
    assert (line["quantity"], line["amount"], line["applied_quantity"]) == (3, 8700, 2)
    assert (line["applied_quantity_amount"], line["discount_quantity"]) == (5800, 3)
    assert taken == [8700]
    grown, taken = _apply(_unit("prod_shirt", 1, "ADD_MISSING_ITEMS"), ORDER)
    assert (grown[0]["quantity"], grown[0]["applied_quantity"], taken) == (1, 0, [2900])


def test_add_new_items_always_adds() -> None:
    """ADD_NEW_ITEMS adds unit_off units to the existing line (its price) and frees them."""
    grown, taken = _apply(_unit("shirt", 1, "ADD_NEW_ITEMS"), ORDER)
    assert (grown[0]["quantity"], grown[0]["amount"], grown[0]["discount_quantity"]) == (2, 5800, 1)
    assert taken == [2900]


def test_missing_line_is_appended_from_the_catalogue() -> None:
    """A SKU not in the order is appended as a new line at its catalogue price."""
    grown, taken = _apply(_unit("mug-1", 2, "ADD_MISSING_ITEMS"), ORDER)
    assert len(grown) == 2
    line = grown[1]
    assert line["sku_id"] == "sku_mug"
    assert line["product_id"] == "prod_mug"
    assert (line["quantity"], line["price"], line["amount"]) == (2, 1500, 3000)
    assert (line["initial_quantity"], line["initial_amount"]) == (0, 0)
    assert line["sku"] == {"id": "sku_mug", "source_id": "mug-1", "sku": "Mug", "price": 1500}
    assert taken == [0, 3000]
    assert line_of("mug-1", grown, CATALOG) == 1


def test_add_many_items_does_each_unit() -> None:
    """ADD_MANY_ITEMS gives each unit with its own effect."""
    discount = {
        "type": "UNIT",
        "effect": "ADD_MANY_ITEMS",
        "units": [
            {"unit_type": "prod_shirt", "unit_off": 1, "effect": "ADD_MISSING_ITEMS"},
            {"unit_type": "mug-1", "unit_off": 1, "effect": "ADD_NEW_ITEMS"},
        ],
    }
    grown, taken = _apply(discount, ORDER)
    assert [line["quantity"] for line in grown] == [1, 1]
    assert taken == [2900, 1500]


def test_unknown_product_is_a_problem_only_when_units_must_be_added() -> None:
    """A unit type neither in the order nor in the catalogue cannot be given."""
    assert problem(_unit("prod_x", 1, "ADD_NEW_ITEMS"), ORDER, CATALOG) == "product_not_found"
    assert problem(_unit("prod_shirt", 5, "ADD_NEW_ITEMS"), ORDER, {}) is None
    assert problem({"type": "AMOUNT", "amount_off": 1}, ORDER, {}) is None


def test_evaluation_grows_the_order() -> None:
    """In an evaluation the added units raise the order's amount; later steps see the new line."""

    def facts(code: str, discount: dict[str, Any]) -> VoucherFacts:
        return VoucherFacts(
            code, code, "DISCOUNT_VOUCHER", True, Validity(None, None), discount=discount
        )

    known = {
        "MUGS": facts("MUGS", _unit("mug-1", 1, "ADD_NEW_ITEMS")),
        "HALF": facts("HALF", {"type": "PERCENT", "percent_off": 50, "effect": "APPLY_TO_ITEMS"}),
    }
    order = OrderContext(amount=2900, items=ORDER, catalog=CATALOG)
    requests = [Requested("voucher", "MUGS"), Requested("voucher", "HALF")]
    result = evaluate(requests, known, order, datetime(2026, 1, 1, tzinfo=UTC))
    totals = result.totals
    assert (totals.amount, len(totals.items)) == (4400, 2)
    # the mug is free (1500); half of the shirt (1450); nothing left of the mug for HALF
    assert totals.item_discounts == (1450, 1500)
    assert (totals.item_applied, totals.total_amount) == ((1450, 1500), 1450)
    assert result.outcomes[0].order is not None
    assert result.outcomes[0].order.item_added == (0, 1)
