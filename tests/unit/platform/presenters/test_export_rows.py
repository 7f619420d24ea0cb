"""CSV cells of exports, campaign summary figures, tier offers and customer holdings."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from openvoucher.catalog.presenters.campaign_summary import redemption_figures, summary
from openvoucher.customers.presenters.customer_redeemables import holding_status
from openvoucher.loyalty.presenters.tier_offers import tier_earning_rule
from openvoucher.platform.presenters.export_rows import KINDS, cell, csv_row, known_field

WHEN = datetime(2024, 2, 9, 11, 11, 11, 111000, tzinfo=UTC)


def voucher_row(**changes: Any) -> dict[str, Any]:
    """A voucher row as the export query reads it (campaign and holder joined)."""
    row: dict[str, Any] = {
        "id": "v_1",
        "code": "C-1",
        "campaign_id": None,
        "category_id": None,
        "type": "GIFT_VOUCHER",
        "active": True,
        "holder_id": "cust_1",
        "start_date": None,
        "expiration_date": None,
        "redemption_quantity": None,
        "redeemed_quantity": 0,
        "publish_count": 1,
        "gift_amount": 5000,
        "gift_balance": 1200,
        "loyalty_points": None,
        "loyalty_balance": None,
        "attrs": {"metadata": {"tier": "gold", "n": 2}, "validity_day_of_week": [1, 2]},
        "created_at": WHEN,
        "updated_at": None,
        "campaign_name": None,
        "campaign_attrs": None,
        "category_name": None,
        "holder_source_id": "ann",
    }
    row.update(changes)
    return row


def test_cells_are_text_json_or_empty() -> None:
    """None is empty, booleans lower case, objects compact JSON with sorted keys."""
    assert [cell(None), cell(True), cell(0), cell({"b": 1, "a": [1]})] == [
        "",
        "true",
        "0",
        '{"a":[1],"b":1}',
    ]


def test_voucher_columns() -> None:
    """Value is a gift card's balance; metadata by key; days joined; holder's source id."""
    fields = ["code", "value", "gift_balance", "metadata.tier", "metadata.none"]
    fields += ["validity_day_of_week", "customer_id", "customer_source_id", "created_at"]
    assert csv_row(KINDS["voucher"], voucher_row(), fields, "http://h") == [
        *("C-1", "1200", "1200", "gold", "", "1,2", "cust_1", "ann"),
        "2024-02-09T11:11:11.111Z",
    ]
    assert known_field("voucher", "metadata.anything")
    assert not known_field("points_expiration", "metadata.anything")


def test_bucket_expires_on_its_last_day() -> None:
    """A bucket deducted at midnight expires on the day before, as the points list says."""
    row = {
        "id": "lopb_1",
        "campaign_id": "camp_1",
        "voucher_id": "v_1",
        "points": 40,
        "status": "ACTIVE",
        "expires_at": datetime(2025, 3, 1, tzinfo=UTC),
    }
    kind = KINDS["points_expiration"]
    assert csv_row(kind, row, ["expires_at", "points"], "") == ["2025-02-28", "40"]


def redemption(**changes: Any) -> dict[str, Any]:
    """A redemption row for the summary fold."""
    row: dict[str, Any] = {
        "object": "redemption",
        "result": "SUCCESS",
        "status": "SUCCEEDED",
        "order_id": "ord_1",
        "attrs": {"order": {"amount": 2000}, "discount": 200},
    }
    row.update(changes)
    return row


def test_summary_figures_count_each_order_once() -> None:
    """Two redemptions of one order count its amount once; failures and rollbacks counted."""
    rows = [
        redemption(),
        redemption(attrs={"order": {"amount": 2000}, "discount": 0, "item_discounts": [50, 25]}),
        redemption(result="FAILURE", status="FAILED", order_id="ord_2"),
        redemption(order_id="ord_3", status="ROLLED_BACK"),
        redemption(object="redemption_rollback", order_id="ord_3"),
    ]
    figures = redemption_figures(rows)
    assert figures == {
        "redemptions": 4,
        "redemptions_succeeded": 3,
        "redemptions_failed": 1,
        "rollbacks": 1,
        "rollbacks_succeeded": 1,
        "rollbacks_failed": 0,
        "orders_amount": 4000,
        "orders_rolledback_amount": 2000,
        "discounted_amount": 475,
        "rolledback_discounted_amount": 200,
    }
    gift = summary(
        {"campaign_type": "GIFT_VOUCHERS"}, figures, {"CREDITS_REMOVAL": -30}, (2, 9, 0), 1
    )
    assert (gift["amount_subtracted"], gift["created_vouchers_amount"]) == (30, 9)
    assert "discounted_amount" not in gift
    promotion = summary({"campaign_type": "PROMOTION"}, figures, {}, (0, 0, 0), 0)
    assert "vouchers_created" not in promotion


def test_tier_mapping_multiplies_every_points_value() -> None:
    """MULTIPLY rounds down every ``points`` inside ``loyalty``; no mapping leaves it."""
    rule = {
        "id": "ern_1",
        "loyalty": {"type": "PROPORTIONAL", "order": {"amount": {"every": 3, "points": 5}}},
    }
    mapped = tier_earning_rule(rule, {"type": "MULTIPLY", "multiplier": 1.5})
    assert mapped["loyalty"]["order"]["amount"] == {"every": 3, "points": 7}
    assert tier_earning_rule(rule, None) is rule


def test_holding_status() -> None:
    """Disabled, not yet active, expired, used up, empty gift card, else active."""
    now = WHEN
    later, earlier = datetime(2030, 1, 1, tzinfo=UTC), datetime(2020, 1, 1, tzinfo=UTC)
    obj = {"gift": {"balance": 10}}
    cases = [
        (voucher_row(active=False), obj, "DISABLED"),
        (voucher_row(start_date=later), obj, "NOT_ACTIVE_YET"),
        (voucher_row(expiration_date=earlier), obj, "EXPIRED"),
        (voucher_row(redemption_quantity=1, redeemed_quantity=1), obj, "USED"),
        (voucher_row(), {"gift": {"balance": 0}}, "NO_BALANCE"),
        (voucher_row(), obj, "ACTIVE"),
    ]
    assert [holding_status(o, row, now) for row, o, _ in cases] == [s for _, _, s in cases]
