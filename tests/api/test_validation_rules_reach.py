"""Validation rules wherever Voucherify applies them: product collections in rules, promotion
tiers (assignments, enforcement in validations, redemptions and qualifications) and earning
rules (points only for orders and customers that meet the rule)."""

from __future__ import annotations

from typing import Any

import httpx
import voucherify
from voucherify.api.promotions_api import PromotionsApi
from voucherify.api.validation_rules_api import ValidationRulesApi
from voucherify.api.validations_api import ValidationsApi
from voucherify.models.validation_rules_assignments_create_request_body import (
    ValidationRulesAssignmentsCreateRequestBody,
)
from voucherify.models.validations_validate_request_body import ValidationsValidateRequestBody

from tests.api.catalog_helpers import discount_campaign, outbox, wait_for_action
from tests.api.loyalty_helpers import card, join, ok, order_rule, programme
from tests.api.promotion_helpers import AMOUNT_OFF, promotion, ref, tier, tier_ids
from tests.api.redemption_helpers import discount_voucher, redeem, voucher_ref
from tests.support.server import Project, RunningServer
from tests.support.webhook_spec import errors

GOLD_ONLY = {
    "1": {
        "name": "customer.metadata",
        "property": "tier",
        "conditions": {"$is": ["gold"]},
        "error": {"message": "Gold members only"},
    }
}


def _rule(http: httpx.Client, rules: dict[str, Any], **extra: Any) -> str:
    reply = http.post("/v1/validation-rules", json={"name": "rule", "rules": rules, **extra})
    assert reply.status_code == 200, reply.text
    rule_id: str = reply.json()["id"]
    return rule_id


def _shirts(http: httpx.Client) -> dict[str, str]:
    """Red (2900) and blue (3100) shirts, and a STATIC collection holding only red."""
    ids = {}
    for source, price in (("red", 2900), ("blue", 3100)):
        body = {"source_id": source, "name": source, "price": price}
        ids[source] = ok(http.post("/v1/products", json=body))["id"]
    body = {"type": "STATIC", "name": "Reds", "products": [{"id": ids["red"], "object": "product"}]}
    ids["reds"] = ok(http.post("/v1/product-collections", json=body))["id"]
    return ids


def _items(ids: dict[str, str], *names: str) -> list[dict[str, Any]]:
    prices = {"red": 2900, "blue": 3100}
    return [{"product_id": ids[name], "quantity": 1, "price": prices[name]} for name in names]


def _validate(http: httpx.Client, *refs: dict[str, Any], **body: Any) -> dict[str, Any]:
    found: dict[str, Any] = ok(
        http.post("/v1/validations", json={"redeemables": list(refs), **body})
    )
    return found


def test_collection_rule_narrows_item_discount(
    sdk: voucherify.ApiClient, http: httpx.Client
) -> None:
    """A product rule naming a collection requires one of its items and discounts only those."""
    ids = _shirts(http)
    collection = {"object": "products_collection", "id": ids["reds"]}
    rule_id = _rule(http, {"1": {"name": "order.items.any", "conditions": {"$is": [collection]}}})
    off = {"type": "PERCENT", "percent_off": 50, "effect": "APPLY_TO_ITEMS"}
    discount_voucher(http, "REDS", off, validation_rules=[rule_id])
    api = ValidationsApi(sdk)
    both = api.validate_stacked_discounts(
        ValidationsValidateRequestBody.from_dict(
            {"redeemables": [voucher_ref("REDS")], "order": {"items": _items(ids, "blue", "red")}}
        )
    )
    assert both.valid is True
    assert both.order.items_discount_amount == 1450
    assert both.order.total_amount == 4550
    targets = both.redeemables[0].applicable_to.data
    assert [(t.object, t.id, t.order_item_indices) for t in targets] == [
        ("products_collection", ids["reds"], [1])
    ]
    blue = _validate(http, voucher_ref("REDS"), order={"items": _items(ids, "blue")})
    error = blue["inapplicable_redeemables"][0]["result"]["error"]
    assert error["key"] == "order_rules_violated"


def test_collection_in_rule_applicable_to(http: httpx.Client) -> None:
    """A rule set's ``applicable_to`` may name a collection; its excluded items get nothing."""
    ids = _shirts(http)
    excluded = {"excluded": [{"object": "products_collection", "id": ids["reds"]}]}
    rule_id = _rule(
        http,
        {"1": {"name": "order.amount", "conditions": {"$more_than": [0]}}},
        applicable_to=excluded,
    )
    off = {"type": "AMOUNT", "amount_off": 1000, "effect": "APPLY_TO_ITEMS"}
    discount_voucher(http, "NOT-RED", off, validation_rules=[rule_id])
    body = _validate(http, voucher_ref("NOT-RED"), order={"items": _items(ids, "red", "blue")})
    assert body["valid"] is True
    assert body["order"]["items_discount_amount"] == 1000
    assert [i["discount_amount"] for i in body["order"]["items"]] == [0, 1000]


def test_tier_customer_rule_is_enforced(http: httpx.Client) -> None:
    """A tier's own rule: customer_rules_violated with its message in validations, redemptions
    and qualifications; a member who meets it gets the tier."""
    rule_id = _rule(http, GOLD_ONLY)
    campaign = promotion(http, "Gold promo", tier("Gold", AMOUNT_OFF, validation_rules=[rule_id]))
    (tier_id,) = tier_ids(campaign)
    http.post("/v1/customers", json={"source_id": "ann", "metadata": {"tier": "gold"}})
    http.post("/v1/customers", json={"source_id": "bob", "metadata": {"tier": "silver"}})
    order = {"amount": 10000}
    denied = _validate(http, ref(tier_id), order=order, customer={"source_id": "bob"})
    error = denied["inapplicable_redeemables"][0]["result"]["error"]
    assert (error["key"], error["error"]) == (
        "customer_rules_violated",
        {"message": "Gold members only"},
    )
    allowed = _validate(http, ref(tier_id), order=order, customer={"source_id": "ann"})
    assert allowed["valid"] is True
    assert allowed["order"]["total_discount_amount"] == 1000
    failed = redeem(http, ref(tier_id), customer={"source_id": "bob"})
    assert failed.status_code == 400
    assert failed.json()["key"] == "customer_rules_violated"
    assert redeem(http, ref(tier_id), customer={"source_id": "ann"}).status_code == 200

    def qualified(source_id: str) -> list[str]:
        body = {"scenario": "ALL", "customer": {"source_id": source_id}, "order": order}
        found = ok(http.post("/v1/qualifications", json=body))["redeemables"]["data"]
        return [entry["id"] for entry in found]

    assert qualified("ann") == [tier_id]
    assert qualified("bob") == []


def test_campaign_rule_binds_its_tiers_and_counts_per_tier(http: httpx.Client) -> None:
    """A PROMOTION campaign's rule binds each tier; redemption counts are the tier's own."""
    once = {
        "1": {"name": "redemption.count.per_customer", "conditions": {"$less_than_or_equal": [1]}}
    }
    rule_id = _rule(http, once)
    campaign = promotion(http, "Once each", tier("A", AMOUNT_OFF), tier("B", AMOUNT_OFF))
    first, second = tier_ids(campaign)
    path = f"/v1/campaigns/{campaign['id']}"
    assert http.put(path, json={"validation_rules": [rule_id]}).status_code == 200
    ann = {"source_id": "ann"}
    assert redeem(http, ref(first), customer=ann).status_code == 200
    again = redeem(http, ref(first), customer=ann)
    assert (again.status_code, again.json()["key"]) == (400, "customer_rules_violated")
    assert redeem(http, ref(second), customer=ann).status_code == 200
    assert redeem(http, ref(first), customer={"source_id": "bob"}).status_code == 200


def test_assignments_to_tiers_are_listed(
    sdk: voucherify.ApiClient, http: httpx.Client, server: RunningServer, project: Project
) -> None:
    """Assigning a rule to a tier (SDK), listing it on the rule and on the tier, replacing the
    tier's rules by update, and dropping them with the tier; the events match the spec."""
    rule_id = _rule(http, {"1": {"name": "order.amount", "conditions": {"$more_than": [100]}}})
    other_id = _rule(http, {"1": {"name": "order.amount", "conditions": {"$more_than": [1]}}})
    campaign = promotion(http, "Listed", tier("T", AMOUNT_OFF, validation_rules=[other_id]))
    (tier_id,) = tier_ids(campaign)
    body = ValidationRulesAssignmentsCreateRequestBody(
        related_object_type="promotion_tier", related_object_id=tier_id
    )
    made = ValidationRulesApi(sdk).create_validation_rule_assignment(rule_id, None, body)
    assert (made.related_object_type, made.related_object_id) == ("promotion_tier", tier_id)
    listed = ValidationRulesApi(sdk).list_validation_rule_assignments(rule_id)
    assert [a.id for a in listed.data] == [made.id]
    shown = PromotionsApi(sdk).get_promotion_tier(tier_id)
    assert sorted(a.rule_id for a in shown.validation_rule_assignments.data) == sorted(
        [rule_id, other_id]
    )
    updated = ok(http.put(f"/v1/promotions/tiers/{tier_id}", json={"validation_rules": [rule_id]}))
    assert [a["rule_id"] for a in updated["validation_rule_assignments"]["data"]] == [rule_id]
    in_list = ok(http.get(f"/v1/promotions/{campaign['id']}/tiers"))["tiers"][0]
    assert in_list["validation_rule_assignments"]["total"] == 1
    rows = [r for r in outbox(server, project) if r["type"].endswith("assignment.created")]
    assert [r["data"].get("promotion_tier", {}).get("id") for r in rows] == [tier_id, tier_id]
    for row in rows:
        # The spec's BusValRuleAssignment lists no promotion_tier type (its event data does
        # carry a promotion_tier): the assignment is checked against ValidationRuleAssignment.
        data = {k: v for k, v in row["data"].items() if k != "assignment"}
        assert errors(data, "EventBusValRuleAssignmentCreatedData", null_fields=True) == []
        assert errors(row["data"]["assignment"], "ValidationRuleAssignment") == []
    assert http.delete(f"/v1/promotions/tiers/{tier_id}").status_code == 204
    assert ok(http.get(f"/v1/validation-rules/{rule_id}/assignments"))["total"] == 0


def test_earning_rule_fires_only_when_its_rule_holds(http: httpx.Client) -> None:
    """An order.paid rule with a validation rule (order of 50.00+ with a red shirt, from a gold
    customer) gives no points for an order or customer that fails it."""
    ids = _shirts(http)
    reds = {"object": "products_collection", "id": ids["reds"]}
    rules = {
        "1": {"name": "order.amount", "conditions": {"$more_than_or_equal": [5000]}},
        "2": {"name": "order.items.any", "conditions": {"$is": [reds]}},
        "3": GOLD_ONLY["1"],
    }
    rule_id = _rule(http, rules, context_type="earning_rule.order.paid")
    club = programme(http)
    earning = order_rule(http, club["id"])
    path = f"/v1/loyalties/{club['id']}/earning-rules/{earning['id']}"
    changed = ok(http.put(path, json={"validation_rule_id": rule_id}))
    assert changed["validation_rule_id"] == rule_id
    http.post("/v1/customers", json={"source_id": "ann", "metadata": {"tier": "gold"}})
    http.post("/v1/customers", json={"source_id": "bob", "metadata": {"tier": "silver"}})
    ann = join(http, club["id"], "ann")["code"]
    bob = join(http, club["id"], "bob")["code"]

    def pay(source_id: str, *names: str) -> None:
        body = {
            "status": "PAID",
            "customer": {"source_id": source_id},
            "items": _items(ids, *names),
        }
        ok(http.post("/v1/orders", json=body))

    pay("ann", "blue", "blue")  # 62.00 without a red shirt
    pay("ann", "red")  # a red shirt, 29.00
    pay("bob", "red", "blue")  # silver customer
    assert card(http, ann)["loyalty_card"]["points"] == 0
    assert card(http, bob)["loyalty_card"]["points"] == 0
    pay("ann", "red", "blue")  # 60.00 with a red shirt, gold: 1 point per 1.00
    assert card(http, ann)["loyalty_card"]["points"] == 60


def test_campaign_redemption_budgets(http: httpx.Client) -> None:
    """``campaign.redemptions.count`` ≤ 3 and ``customers_count`` ≤ 2 over all the campaign's
    codes: a customer's third code fails (customer rule), the campaign's fourth redemption fails
    (order rule), a rollback frees one again."""
    rules = {
        "1": {"name": "campaign.redemptions.count", "conditions": {"$less_than_or_equal": [3]}},
        "2": {
            "name": "campaign.redemptions.customers_count",
            "conditions": {"$less_than_or_equal": [2]},
        },
    }
    campaign = discount_campaign(http, "Budget", validation_rules=[_rule(http, rules)])
    codes = [ok(http.post(f"/v1/campaigns/{campaign['id']}/vouchers"))["code"] for _ in range(5)]
    ann, bob = {"source_id": "ann"}, {"source_id": "bob"}
    assert redeem(http, voucher_ref(codes[0]), customer=ann).status_code == 200
    assert redeem(http, voucher_ref(codes[1]), customer=ann).status_code == 200
    third = redeem(http, voucher_ref(codes[2]), customer=ann)
    assert (third.status_code, third.json()["key"]) == (400, "customer_rules_violated")
    last = redeem(http, voucher_ref(codes[2]), customer=bob)
    assert last.status_code == 200
    full = redeem(http, voucher_ref(codes[3]), customer=bob)
    assert (full.status_code, full.json()["key"]) == (400, "order_rules_violated")
    rolled = last.json()["redemptions"][0]["id"]
    assert http.post(f"/v1/redemptions/{rolled}/rollback", json={}).status_code == 200
    assert redeem(http, voucher_ref(codes[3]), customer=bob).status_code == 200


def test_campaign_amount_budgets_on_tiers(http: httpx.Client) -> None:
    """A PROMOTION campaign's ``campaign.orders.amount_discounted`` ≤ 25.00 and
    ``campaign.orders.amount`` ≤ 300.00 count every tier's redemptions, this one included."""
    rules = {
        "1": {
            "name": "campaign.orders.amount_discounted",
            "conditions": {"$less_than_or_equal": [2500]},
            "error": {"message": "Discount budget spent"},
        },
        "2": {"name": "campaign.orders.amount", "conditions": {"$less_than_or_equal": [30000]}},
    }
    campaign = promotion(http, "Budget", tier("A", AMOUNT_OFF), tier("B", AMOUNT_OFF))
    first, second = tier_ids(campaign)
    assert (
        http.put(
            f"/v1/campaigns/{campaign['id']}", json={"validation_rules": [_rule(http, rules)]}
        ).status_code
        == 200
    )
    assert redeem(http, ref(first), order={"amount": 10000}).status_code == 200
    assert redeem(http, ref(second), order={"amount": 10000}).status_code == 200
    spent = _validate(http, ref(first), order={"amount": 10000})
    error = spent["inapplicable_redeemables"][0]["result"]["error"]
    assert (error["key"], error["error"]) == (
        "order_rules_violated",
        {"message": "Discount budget spent"},
    )
    small = {"type": "AMOUNT", "amount_off": 500}
    third = ok(http.post(f"/v1/promotions/{campaign['id']}/tiers", json=tier("C", small)))["id"]
    assert _validate(http, ref(third), order={"amount": 10000})["valid"] is True
    too_big = _validate(http, ref(third), order={"amount": 10001})
    assert too_big["valid"] is False


def test_pay_with_points_reward_rules(http: httpx.Client) -> None:
    """A COIN reward assignment's rule (orders of 50.00+) binds paying with that reward."""
    rule_id = _rule(
        http,
        {"1": {"name": "order.amount", "conditions": {"$more_than_or_equal": [5000]}}},
        error={"message": "Pay with points from 50.00"},
        context_type="reward_assignment.pay_with_points",
    )
    club = programme(http)
    code = join(http, club["id"], "fay")["code"]
    ok(http.post(f"/v1/loyalties/members/{code}/balance", json={"points": 1000}))
    coin = ok(
        http.post(
            "/v1/rewards",
            json={"name": "Pay", "parameters": {"coin": {"exchange_ratio": 1, "points_ratio": 10}}},
        )
    )
    body = {"campaign": club["id"], "validation_rules": [rule_id]}
    ok(http.post(f"/v1/rewards/{coin['id']}/assignments", json=body))
    paying = {"object": "voucher", "id": code, "reward": {"id": coin["id"], "points": 300}}
    small = _validate(http, paying, order={"amount": 4999}, customer={"source_id": "fay"})
    error = small["inapplicable_redeemables"][0]["result"]["error"]
    assert (error["key"], error["error"]) == (
        "order_rules_violated",
        {"message": "Pay with points from 50.00"},
    )
    big = _validate(http, paying, order={"amount": 5000}, customer={"source_id": "fay"})
    assert big["valid"] is True
    assert big["order"]["total_amount"] == 2000
    refused = redeem(http, paying, order={"amount": 4999}, customer={"source_id": "fay"})
    assert (refused.status_code, refused.json()["key"]) == (400, "order_rules_violated")
    assert card(http, code)["loyalty_card"]["balance"] == 1000


def test_custom_event_rule_with_customer_rule(http: httpx.Client) -> None:
    """A custom-event earning rule with a customer rule (given at creation) gives points only
    to customers who meet it; with auto_join the others are not even enrolled."""
    club = programme(http)
    ok(http.put(f"/v1/loyalties/{club['id']}", json={"auto_join": True}))
    earning = {
        "event": "review_written",
        "loyalty": {"type": "FIXED", "points": 5},
        "validation_rule_id": _rule(http, GOLD_ONLY),
    }
    ok(http.post(f"/v1/loyalties/{club['id']}/earning-rules", json=[earning]))
    http.post("/v1/customers", json={"source_id": "ann", "metadata": {"tier": "gold"}})
    http.post("/v1/customers", json={"source_id": "bob", "metadata": {"tier": "silver"}})
    for source_id in ("ann", "bob"):
        ok(
            http.post(
                "/v1/events", json={"event": "review_written", "customer": {"source_id": source_id}}
            )
        )

    def balances(source_id: str) -> list[int]:
        params = {"customer": source_id}
        found = ok(http.get(f"/v1/loyalties/{club['id']}/members", params=params))["vouchers"]
        return [member["loyalty_card"]["balance"] for member in found]

    assert balances("ann") == [5]
    assert balances("bob") == []


def test_deleting_a_promotion_campaign_drops_its_tiers_and_their_assignments(
    http: httpx.Client,
) -> None:
    """A deleted PROMOTION campaign takes its tiers with it, and their rule assignments too."""
    rule_id = _rule(http, {"1": {"name": "order.amount", "conditions": {"$more_than": [1]}}})
    campaign = promotion(http, "Gone", tier("T", AMOUNT_OFF, validation_rules=[rule_id]))
    (tier_id,) = tier_ids(campaign)
    assert ok(http.get(f"/v1/validation-rules/{rule_id}/assignments"))["total"] == 1
    deleted = http.delete(f"/v1/campaigns/{campaign['id']}", params={"force": "true"})
    assert deleted.status_code == 202, deleted.text
    assert wait_for_action(http, deleted.json()["async_action_id"])["status"] == "DONE"
    assert http.get(f"/v1/promotions/tiers/{tier_id}").status_code == 404
    assert ok(http.get(f"/v1/validation-rules/{rule_id}/assignments"))["total"] == 0
