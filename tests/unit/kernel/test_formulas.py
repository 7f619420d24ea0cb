"""Dynamic formulas (optimize/dynamic-formula-reference.mdx): every documented operand and
operator, the fallback, and the parser's bounds."""

from __future__ import annotations

from datetime import UTC, date, datetime
from decimal import Decimal

import pytest

from openvoucher.kernel import formula_env
from openvoucher.kernel.errors import VoucherifyError
from openvoucher.kernel.formula_parser import MAX_DEPTH, MAX_LENGTH, FormulaError, parse
from openvoucher.kernel.formulas import Env, money, number, percent, whole

ITEMS = [
    {"price": 600, "amount": 1200, "quantity": 2, "metadata": {"Size": "S"},
     "product": {"metadata": {"category": "mugs"}}},
    {"price": 1000, "amount": 1000, "subtotal_amount": 900, "quantity": 1,
     "metadata": {"Size": "L"}, "product": {"metadata": {"category": "vases"}}},
    {"price": 600, "amount": 600, "subtotal_amount": 500, "quantity": 1,
     "metadata": {"Size": "M"}},
]  # fmt: skip


def _env() -> Env:
    operands, metadata = formula_env.order_operands(25000, ITEMS)
    operands.update(
        VOUCHER_REDEMPTION_QUANTITY=10,
        VOUCHER_REDEEMED_QUANTITY=3,
        VOUCHER_PUBLISH_COUNT=1,
        VOUCHER_START_DATE=datetime(2026, 1, 1, tzinfo=UTC),
        VOUCHER_EXPIRATION_DATE=datetime(2027, 3, 15, tzinfo=UTC),
        PROMOTION_TIER_START_DATE=datetime(2026, 11, 1, tzinfo=UTC),
        PROMOTION_TIER_EXPIRATION_DATE=datetime(2026, 12, 31, tzinfo=UTC),
        CUSTOMER_BIRTHDATE="1990-12-24",
    )
    metadata.update(
        ORDER_METADATA={"day_of_week": 5, "store_city": "Boston", "number_of_store_visits": 7},
        CUSTOMER_METADATA={"customer_life_time_value": 75.55, "tier": "VIP", "visits": 12},
        REDEEMABLE_METADATA={"membership_duration": 4},
        REDEMPTION_METADATA={"store_list": 8},
        PUBLICATION_METADATA={"year": 2026},
    )
    now = datetime(2026, 12, 7, 10, 0, tzinfo=UTC)
    return Env(now=now, today=now.date(), operands=operands, metadata=metadata)


@pytest.mark.parametrize(
    ("formula", "expected"),
    [
        ("2", "2"),
        ('IF("VIP" is "VIP";1;0)', "1"),
        ('ORDER_METADATA("day_of_week")', "5"),
        ('REDEEMABLE_METADATA("membership_duration")', "4"),
        ('CUSTOMER_METADATA("customer_life_time_value")', "75.55"),
        ('REDEMPTION_METADATA("store_list")', "8"),
        ('PUBLICATION_METADATA("year")', "2026"),
        ("CHEAPEST_ORDER_ITEM_PRICE", "6"),
        ("CHEAPEST_ORDER_ITEM_AMOUNT", "6"),  # of two at 6.00 the lower subtotal (5.00) wins
        ("CHEAPEST_ORDER_ITEM_SUBTOTAL", "5"),
        ("CHEAPEST_ORDER_ITEM_UNITS_QUANTITY", "1"),
        ('IF(CHEAPEST_ORDER_ITEM_METADATA("Size") is "M";1;0)', "1"),
        ('DEFAULT_TO(CHEAPEST_ORDER_ITEM_PRODUCT_METADATA("category");7)', "7"),
        ("MOST_EXPENSIVE_ORDER_ITEM_PRICE", "10"),
        ("MOST_EXPENSIVE_ORDER_ITEM_AMOUNT", "10"),
        ("MOST_EXPENSIVE_ORDER_ITEM_SUBTOTAL", "9"),
        ("MOST_EXPENSIVE_ORDER_ITEM_UNITS_QUANTITY", "1"),
        ('IF(MOST_EXPENSIVE_ORDER_ITEM_METADATA("Size") is "L";1;0)', "1"),
        ('IF(MOST_EXPENSIVE_ORDER_ITEM_PRODUCT_METADATA("category") is "vases";1;0)', "1"),
        ("ORDER_AMOUNT", "250"),
        ("ORDER_ITEMS_QUANTITY", "3"),
        ("ORDER_UNITS_QUANTITY", "4"),
        ("VOUCHER_REDEMPTION_QUANTITY - VOUCHER_REDEEMED_QUANTITY", "7"),
        ("VOUCHER_PUBLISH_COUNT", "1"),
        ("DAYS_SINCE(VOUCHER_START_DATE)", "340"),
        ("MONTHS_UNTIL(VOUCHER_EXPIRATION_DATE)", "3"),
        ("DAYS_UNTIL(PROMOTION_TIER_EXPIRATION_DATE)", "24"),
        ("DAY_OF_MONTH(PROMOTION_TIER_START_DATE)", "1"),
        ("DAY_OF_MONTH(CUSTOMER_BIRTHDATE)", "24"),
        ("MONTH(TODAY)", "12"),
        ("YEAR(CUSTOMER_BIRTHDATE)", "1990"),
        ("YEARS_SINCE(CUSTOMER_BIRTHDATE)", "35"),
        ('MONTHS_SINCE(DATE("2026-10-08"))', "1"),
        ('IF(NOW IS_AFTER DATE_TIME("2026-12-07T09:00:00.000Z");1;0)', "1"),
        ('IF(TODAY DATE_IS DATE("2026-12-07");1;0)', "1"),
        ('IF(TODAY DATE_IS_NOT DATE("2026-12-07");1;0)', "0"),
        ('IF(TODAY IS_BEFORE DATE("2027-01-01");1;0)', "1"),
        ('(10 - ORDER_METADATA("number_of_store_visits"))', "3"),
        (
            'MIN(PUBLICATION_METADATA("year");CUSTOMER_METADATA("customer_life_time_value"))',
            "75.55",
        ),
        ('MAX(PUBLICATION_METADATA("year");CUSTOMER_METADATA("customer_life_time_value"))', "2026"),
        ('POW(ORDER_METADATA("number_of_store_visits");2)', "49"),
        ('IF(ORDER_METADATA("number_of_store_visits") > 5;10;3)', "10"),
        ('DEFAULT_TO(REDEMPTION_METADATA("store_list") / 2;5)', "4"),
        ('DEFAULT_TO(REDEMPTION_METADATA("nope") / 2;5)', "5"),
        ('ROUND(CUSTOMER_METADATA("customer_life_time_value");1)', "75.6"),
        ('ROUND(CUSTOMER_METADATA("customer_life_time_value");0)', "76"),
        ('ROUND(CUSTOMER_METADATA("customer_life_time_value");-1)', "80"),
        ('FLOOR(CUSTOMER_METADATA("customer_life_time_value");1)', "75.5"),
        ('FLOOR(CUSTOMER_METADATA("customer_life_time_value");-1)', "70"),
        ("CEIL(74.44;1)", "74.5"),
        ("CEIL(74.44;0)", "75"),
        ("CEIL(74.44;-1)", "80"),
        ("7 + 2", "9"),
        ("7 - 2", "5"),
        ('ORDER_METADATA("day_of_week") x 2', "10"),
        ("3 * 2 × 2", "12"),
        ("9 ÷ 2", "4.5"),
        ("9 / 4", "2.25"),
        ("7 % 3", "1"),
        ("IF(2 < 3;1;0)", "1"),
        ("IF(2 = 2;1;0)", "1"),
        ('IF(ORDER_METADATA("day_of_week") IN_ARRAY "1,5";1;0)', "1"),
        ('IF(ORDER_METADATA("day_of_week") NOT_IN_ARRAY "1,5";1;0)', "0"),
        ('IF(CUSTOMER_METADATA("tier") isNot "Beginner";1;0)', "1"),
        ('IF(ORDER_METADATA("store_city") contains "ost";1;0)', "1"),
        ('IF(ORDER_METADATA("store_city") startsWith "Bo";1;0)', "1"),
        ('IF(ORDER_METADATA("store_city") endsWith "ton";1;0)', "1"),
        ('IF(ORDER_METADATA("store_city") IN_ARRAY "EU,Boston";1;0)', "1"),
        ('IF(ORDER_METADATA("store_city") NOT_IN_ARRAY "EU,EMEA";1;0)', "1"),
        (
            'IF(CUSTOMER_METADATA("visits") > 10 AND ORDER_METADATA("day_of_week") = 5;20;3)',
            "20",
        ),
        ('IF(CUSTOMER_METADATA("visits") > 20 OR ORDER_METADATA("day_of_week") = 5;20;3)', "20"),
        ("IF(ORDER_ITEMS_QUANTITY > 4;IF(ORDER_AMOUNT > 200;25;15);10)", "10"),
        (
            'SWITCH(ORDER_METADATA("store_city");SWITCH_CASE("Boston";10) '
            'SWITCH_CASE("New York";15);5)',
            "10",
        ),
        ('SWITCH(ORDER_METADATA("none");SWITCH_CASE("Boston";10);5)', "5"),
        ("-3 + 1", "-2"),
    ],
)
def test_documented_operands_and_operators(formula: str, expected: str) -> None:
    """Each operand, function and operator of the reference page gives the documented value."""
    assert number(formula, _env()) == Decimal(expected)


def test_fallback_when_an_operand_is_missing() -> None:
    """A missing operand, a division by zero or a text result give the fallback."""
    env = _env()
    assert money('ORDER_METADATA("missing") * 2', env, 150) == 150
    assert whole("1 / 0", env, 7) == 7
    assert percent('CUSTOMER_METADATA("tier")', env, 5.0) == 5.0
    assert whole("POW(10;60)", env, 3) == 3  # beyond the bounded range


def test_results_in_minor_units_and_whole_numbers() -> None:
    """Amount formulas are in main units (x100, half up); points and units round down."""
    env = _env()
    assert money("IF(ORDER_AMOUNT > 200;ORDER_AMOUNT * 0.15;ORDER_AMOUNT * 0.05)", env, 0) == 3750
    assert money("CHEAPEST_ORDER_ITEM_PRICE * 0.01 + 1", env, 0) == 106
    assert whole("IF(ORDER_UNITS_QUANTITY > 3;FLOOR(ORDER_UNITS_QUANTITY / 3;0);1)", env, 0) == 1
    assert whole("ORDER_AMOUNT * 1.5 + 0.9", env, 0) == 375
    assert percent('IF(CUSTOMER_METADATA("tier") is "VIP";25;10)', env, 0) == 25.0
    assert whole("0 - 5", env, 9) == 0


@pytest.mark.parametrize(
    ("formula", "position"),
    [
        ("IF(1;2", 7),
        ("1 +", 4),
        ("FOO(1)", 1),
        ("IF(1;2;3;4)", 1),
        ("ORDER_METADATA(day)", 16),
        ("1 2", 3),
        ("2 @ 3", 3),
        ('"open', 1),
        ("SWITCH_CASE(1;2)", 1),
        ('DATE("2026-13-45")', 6),
        ("(" * (MAX_DEPTH + 1) + "1" + ")" * (MAX_DEPTH + 1), MAX_DEPTH + 1),
        ("1+" * (MAX_LENGTH // 2) + "1", MAX_LENGTH + 1),
    ],
)
def test_bad_formulas_name_the_position(formula: str, position: int) -> None:
    """Malformed, too deep and too long formulas are refused with the position."""
    with pytest.raises(VoucherifyError) as caught:
        formula_env.check(formula, "discount.amount_off_formula")
    assert f"at position {position}" in caught.value.details
    assert caught.value.details.startswith("discount.amount_off_formula: ")


def test_too_many_elements_refused() -> None:
    """A formula with hundreds of elements is refused even when short enough."""
    with pytest.raises(FormulaError):
        parse("+".join(["1"] * 450))


def test_operands_a_context_lacks_are_not_supported() -> None:
    """Per-item operands outside product discounts, and voucher operands in points formulas,
    are refused."""
    with pytest.raises(VoucherifyError) as caught:
        formula_env.check("ORDER_ITEM_PRICE * 0.01", "discount.amount_off_formula")
    assert caught.value.key == "not_supported"
    assert "product discounts only" in caught.value.details
    for effect in ("APPLY_TO_ORDER", "APPLY_TO_ITEMS_PROPORTIONALLY"):
        discount = {"type": "AMOUNT", "effect": effect, "amount_off_formula": "ORDER_ITEM_PRICE"}
        with pytest.raises(VoucherifyError):
            formula_env.check_discount_formulas(discount)
    product = {
        "type": "AMOUNT",
        "effect": "APPLY_TO_ITEMS",
        "amount_off_formula": "ORDER_ITEM_PRICE",
    }
    formula_env.check_discount_formulas(product)
    with pytest.raises(VoucherifyError) as caught:
        formula_env.check("VOUCHER_PUBLISH_COUNT", "loyalty.points_formula", earning=True)
    assert caught.value.key == "not_supported"
    assert formula_env.check("VOUCHER_PUBLISH_COUNT", "discount.amount_off_formula")


def test_today_is_the_env_day() -> None:
    """TODAY and NOW come from the evaluation's clock."""
    env = Env(now=datetime(2026, 2, 28, 23, 0, tzinfo=UTC), today=date(2026, 2, 28))
    assert number("DAY_OF_MONTH(TODAY) + MONTH(NOW)", env) == Decimal(30)


def test_discount_fields_computed_and_formulas_kept() -> None:
    """``resolved_discount`` fills each computed field (units too) and keeps the formulas."""
    discount = {
        "type": "UNIT",
        "effect": "ADD_MANY_ITEMS",
        "units": [
            {"unit_type": "prod_a", "unit_off": 1, "unit_off_formula": "ORDER_UNITS_QUANTITY / 2"},
            {"unit_type": "prod_b", "unit_off": 3},
        ],
    }
    done = formula_env.resolved_discount(discount, _env())
    assert [u["unit_off"] for u in done["units"]] == [2, 3]
    assert done["units"][0]["unit_off_formula"] == "ORDER_UNITS_QUANTITY / 2"
    amount = {"type": "AMOUNT", "amount_off": 5, "amount_off_formula": "ORDER_AMOUNT / 10"}
    assert formula_env.resolved_discount(amount, _env())["amount_off"] == 2500
    assert formula_env.has_formula(amount)
    assert not formula_env.has_formula({"type": "AMOUNT"})


@pytest.mark.parametrize(
    ("formula", "values"),
    [
        # optimize/dynamic-formula-reference.mdx: "(order item price) × 0.01 + 1": a 6.00 item
        # gets 1.06 off, a 10.00 item 1.10
        ("ORDER_ITEM_PRICE * 0.01 + 1", [106, 110, 106]),
        ("ORDER_ITEM_AMOUNT / 10", [120, 100, 60]),
        ("ORDER_ITEM_SUBTOTAL / 10", [100, 80, 50]),
        ("ORDER_ITEM_UNITS_QUANTITY", [200, 100, 100]),
        ('IF(ORDER_ITEM_METADATA("Size") is "L";5;1)', [100, 500, 100]),
        ('DEFAULT_TO(ORDER_ITEM_PRODUCT_METADATA("weight");3)', [300, 300, 300]),
        ('IF(ORDER_ITEM_PRODUCT_METADATA("category") is "vases";2;1)', [100, 200, 9]),
    ],
)
def test_order_item_operands_per_item(formula: str, values: list[int]) -> None:
    """Each ``ORDER_ITEM_…`` operand read from the item the discount is computed for (the
    subtotal: what is left of it); an item lacking the operand gets the fallback (0.09)."""
    discount = {"type": "AMOUNT", "effect": "APPLY_TO_ITEMS", "amount_off": 9}
    discount["amount_off_formula"] = formula
    per_item = formula_env.item_formulas(discount, _env())
    assert per_item is not None
    left = [1000, 800, 500]
    found = [per_item(item, rest)["amount_off"] for item, rest in zip(ITEMS, left, strict=True)]
    assert found == values
    assert formula_env.resolved_discount(discount, _env())["amount_off"] == 9
    assert formula_env.item_formulas({"type": "AMOUNT", "amount_off": 1}, _env()) is None


def test_unit_formulas_read_the_line_of_their_product() -> None:
    """A UNIT discount's ``ORDER_ITEM_…`` operands are the order's line of its unit_type
    ("buy 3, get 1 free": FLOOR(6 / 3) = 2); with no such line the fallback applies."""
    formula = "FLOOR(ORDER_ITEM_UNITS_QUANTITY / 3;0)"
    discount = {"type": "UNIT", "effect": "ADD_MISSING_ITEMS", "unit_type": "mug"}
    discount |= {"unit_off": 1, "unit_off_formula": formula}
    formula_env.check_discount_formulas(discount)
    lines = {"mug": {"quantity": 6, "price": 500, "amount": 3000}}
    assert formula_env.resolved_discount(discount, _env(), lines.get)["unit_off"] == 2
    assert formula_env.resolved_discount(discount, _env(), {}.get)["unit_off"] == 1
    many = {"type": "UNIT", "effect": "ADD_MANY_ITEMS", "units": [{**discount, "effect": "x"}]}
    formula_env.check_discount_formulas(many)
    assert formula_env.resolved_discount(many, _env(), lines.get)["units"][0]["unit_off"] == 2
