"""The worked examples of Voucherify's stacking pages, with their numbers, end to end.

Pages: orchestrate/using-stacking-rules-and-categories.mdx ("using"),
guides/manage-stackable-discounts.mdx ("stackable"), orchestrate/stacking-rules.mdx ("rules").
Amounts are in cents ($105 is 10500).
"""

from __future__ import annotations

from typing import Any

import httpx

from tests.api.catalog_helpers import discount_campaign
from tests.api.promotion_helpers import promotion, ref, tier, tier_ids
from tests.api.redemption_helpers import discount_voucher, gift_voucher, redeem, voucher_ref
from tests.scenarios.stacking_helpers import (
    applied,
    category,
    reasons,
    set_rules,
    statuses,
    validate,
)
from tests.support.server import Project, RunningServer

TEN = {"type": "PERCENT", "percent_off": 10}
TWENTY = {"type": "PERCENT", "percent_off": 20}
ABOVE_100 = {"1": {"name": "order.amount", "conditions": {"$more_than": [10000]}}}


def _above_100(http: httpx.Client) -> None:
    """TEN (10% off everything) and TWENTY (20% off orders above $100)."""
    rule = http.post("/v1/validation-rules", json={"name": "above 100", "rules": ABOVE_100})
    assert rule.status_code == 200, rule.text
    discount_voucher(http, "TEN", TEN)
    discount_voucher(http, "TWENTY", TWENTY, validation_rules=[rule.json()["id"]])


def test_requested_order_changes_eligibility(
    server: RunningServer, project: Project, http: httpx.Client
) -> None:
    """using, "Change incentive eligibility": $105; 10% first leaves $94.50 and the 20% coupon
    (above $100) no longer applies; 20% first gives $84 then $75.60. (PARTIAL, so the 10%
    still applies alone, as the page says.)"""
    set_rules(server, project, redeemables_application_mode="PARTIAL")
    _above_100(http)
    order = {"amount": 10500}
    first = validate(http, [voucher_ref("TEN"), voucher_ref("TWENTY")], order=order)
    assert statuses(first) == [("TEN", "APPLICABLE"), ("TWENTY", "INAPPLICABLE")]
    assert first["inapplicable_redeemables"][0]["result"]["error"]["key"] == (
        "order_rules_violated"
    )
    assert first["valid"] is True
    assert first["order"]["total_amount"] == 9450
    second = validate(http, [voucher_ref("TWENTY"), voucher_ref("TEN")], order=order)
    assert applied(second) == {"TWENTY": 2100, "TEN": 840}
    assert second["order"]["total_discount_amount"] == 2940
    assert second["order"]["total_amount"] == 7560


def test_hierarchy_priority_gives_the_same_results(
    server: RunningServer, project: Project, http: httpx.Client
) -> None:
    """using, the note on hierarchy: with CATEGORY_HIERARCHY the lower hierarchy applies first
    whatever the request order ($105: 20% then 10% is $75.60)."""
    set_rules(
        server,
        project,
        redeemables_application_mode="PARTIAL",
        redeemables_sorting_rule="CATEGORY_HIERARCHY",
    )
    first, later = category(http, "first", 0), category(http, "later", 2)
    rule = http.post("/v1/validation-rules", json={"name": "above 100", "rules": ABOVE_100})
    discount_voucher(http, "TEN", TEN, category_id=later)
    discount_voucher(
        http, "TWENTY", TWENTY, category_id=first, validation_rules=[rule.json()["id"]]
    )
    result = validate(http, [voucher_ref("TEN"), voucher_ref("TWENTY")], order={"amount": 10500})
    assert statuses(result) == [("TEN", "APPLICABLE"), ("TWENTY", "APPLICABLE")]
    assert applied(result) == {"TWENTY": 2100, "TEN": 840}
    assert result["order"]["total_amount"] == 7560
    assert result["stacking_rules"]["redeemables_sorting_rule"] == "CATEGORY_HIERARCHY"


def _welcome_and_expired(http: httpx.Client) -> list[dict[str, Any]]:
    discount_voucher(http, "WELCOME", {"type": "AMOUNT", "amount_off": 1500})
    discount_voucher(
        http,
        "SEASONAL",
        {"type": "AMOUNT", "amount_off": 2000},
        expiration_date="2020-01-31T00:00:00Z",
    )
    return [voucher_ref("WELCOME"), voucher_ref("SEASONAL")]


def test_all_mode_fails_the_whole_stack(http: httpx.Client) -> None:
    """using, "Partial and all-or-nothing", scenario A (ALL, the default): the expired incentive
    fails the validation and the redemption; no discount."""
    refs = _welcome_and_expired(http)
    result = validate(http, refs)
    assert result["valid"] is False
    assert statuses(result) == [("WELCOME", "APPLICABLE"), ("SEASONAL", "INAPPLICABLE")]
    assert result["inapplicable_redeemables"][0]["result"]["error"]["key"] == "voucher_expired"
    reply = redeem(http, *refs)
    assert reply.status_code == 400
    assert reply.json()["key"] == "voucher_expired"
    welcome = http.get("/v1/vouchers/WELCOME").json()
    assert welcome["redemption"]["redeemed_quantity"] == 0


def test_preceding_failure_skips_the_rest_in_all_mode(http: httpx.Client) -> None:
    """rules/spec (ALL): once a redeemable is inapplicable the later ones are SKIPPED with
    ``preceding_validation_failed``."""
    refs = _welcome_and_expired(http)
    result = validate(http, list(reversed(refs)))
    assert statuses(result) == [("SEASONAL", "INAPPLICABLE"), ("WELCOME", "SKIPPED")]
    assert reasons(result) == {"WELCOME": "preceding_validation_failed"}
    assert result["order"]["total_discount_amount"] == 0


def test_partial_mode_applies_the_valid_one(
    server: RunningServer, project: Project, http: httpx.Client
) -> None:
    """using, "Partial and all-or-nothing", scenario B (PARTIAL): the welcome incentive applies,
    the expired one is reported inapplicable, and the redemption goes through."""
    set_rules(server, project, redeemables_application_mode="PARTIAL")
    refs = _welcome_and_expired(http)
    result = validate(http, refs)
    assert result["valid"] is True
    assert result["order"]["total_amount"] == 8500
    reply = redeem(http, *refs)
    assert reply.status_code == 200, reply.text
    body = reply.json()
    assert [r["voucher"]["code"] for r in body["redemptions"]] == ["WELCOME"]
    assert body["inapplicable_redeemables"][0]["id"] == "SEASONAL"
    assert body["order"]["total_amount"] == 8500


def test_never_stackable_blocks_common(
    server: RunningServer, project: Project, http: httpx.Client
) -> None:
    """using, "Exclusive incentive with Never stackable category": the 50% VIP coupon applies,
    the 10% newsletter coupon does not, whichever is sent first."""
    vip, common = category(http, "vip"), category(http, "newsletter")
    set_rules(server, project, exclusive_categories=[vip])
    discount_voucher(http, "VIP", {"type": "PERCENT", "percent_off": 50}, category_id=vip)
    discount_voucher(http, "NEWS", TEN, category_id=common)
    for refs in (
        [voucher_ref("NEWS"), voucher_ref("VIP")],
        [voucher_ref("VIP"), voucher_ref("NEWS")],
    ):
        result = validate(http, refs)
        assert result["valid"] is True
        assert reasons(result) == {"NEWS": "exclusion_rules_not_met"}
        assert applied(result) == {"VIP": 5000}
        assert result["order"]["total_amount"] == 5000
    reply = redeem(http, voucher_ref("NEWS"), voucher_ref("VIP"))
    assert reply.status_code == 200, reply.text
    assert [r["voucher"]["code"] for r in reply.json()["redemptions"]] == ["VIP"]
    assert reply.json()["skipped_redeemables"][0]["id"] == "NEWS"


def test_always_stackable_joins_never_stackable(
    server: RunningServer, project: Project, http: httpx.Client
) -> None:
    """using, "Combining Never stackable and Always stackable": both apply together (and a
    common coupon in the same stack is still blocked)."""
    exclusive, joint, common = category(http, "ex"), category(http, "joint"), category(http, "c")
    set_rules(server, project, exclusive_categories=[exclusive], joint_categories=[joint])
    discount_voucher(http, "EXCL", {"type": "AMOUNT", "amount_off": 3000}, category_id=exclusive)
    discount_voucher(http, "GIVEAWAY", {"type": "AMOUNT", "amount_off": 500}, category_id=joint)
    discount_voucher(http, "PLAIN", {"type": "AMOUNT", "amount_off": 700}, category_id=common)
    refs = [voucher_ref("GIVEAWAY"), voucher_ref("PLAIN"), voucher_ref("EXCL")]
    result = validate(http, refs)
    assert applied(result) == {"GIVEAWAY": 500, "EXCL": 3000}
    assert reasons(result) == {"PLAIN": "exclusion_rules_not_met"}
    assert result["order"]["total_amount"] == 6500


def test_category_stacking_limit(
    server: RunningServer, project: Project, http: httpx.Client
) -> None:
    """using, "Category stacking limit": three flash sale coupons of one category limited to 2;
    the third is skipped."""
    flash = category(http, "flash")
    set_rules(server, project, applicable_redeemables_category_limits={flash: 2})
    for code in ("FLASH1", "FLASH2", "FLASH3"):
        discount_voucher(http, code, {"type": "AMOUNT", "amount_off": 1000}, category_id=flash)
    result = validate(http, [voucher_ref(c) for c in ("FLASH1", "FLASH2", "FLASH3")])
    assert result["valid"] is True
    assert statuses(result)[2] == ("FLASH3", "SKIPPED")
    assert reasons(result) == {"FLASH3": "applicable_redeemables_per_category_limit_exceeded"}
    assert result["order"]["total_amount"] == 8000


def _no_effect_stack(http: httpx.Client) -> list[dict[str, Any]]:
    """FULL takes the whole 10 000 off, so the single-use ONCE coupon after it has no effect."""
    discount_voucher(http, "FULL", {"type": "AMOUNT", "amount_off": 10000})
    discount_voucher(http, "ONCE", TEN, redemption={"quantity": 1})
    return [voucher_ref("FULL"), voucher_ref("ONCE")]


def test_no_effect_prevent_redemption(
    server: RunningServer, project: Project, http: httpx.Client
) -> None:
    """using, "No-effect incentive", scenario A (prevent redemption): the coupon is skipped,
    not redeemed, and stays available."""
    set_rules(server, project, redeemables_no_effect_rule="SKIP")
    refs = _no_effect_stack(http)
    assert reasons(validate(http, refs)) == {"ONCE": "no_effect"}
    reply = redeem(http, *refs)
    assert reply.status_code == 200, reply.text
    assert [r["voucher"]["code"] for r in reply.json()["redemptions"]] == ["FULL"]
    assert http.get("/v1/vouchers/ONCE").json()["redemption"]["redeemed_quantity"] == 0
    assert validate(http, [voucher_ref("ONCE")])["valid"] is True


def test_no_effect_force_redemption(http: httpx.Client) -> None:
    """using, "No-effect incentive", scenario B (force redemption, the default): the coupon is
    redeemed with no discount and cannot be used again."""
    refs = _no_effect_stack(http)
    reply = redeem(http, *refs)
    assert reply.status_code == 200, reply.text
    codes = [r["voucher"]["code"] for r in reply.json()["redemptions"]]
    assert codes == ["FULL", "ONCE"]
    again = validate(http, [voucher_ref("ONCE")])
    assert again["inapplicable_redeemables"][0]["result"]["error"]["key"] == "quantity_exceeded"


def test_no_effect_categories_override_the_rule(
    server: RunningServer, project: Project, http: httpx.Client
) -> None:
    """rules, "No effect" per category: no_effect_skip_categories skip under REDEEM_ANYWAY."""
    skip = category(http, "skip")
    set_rules(server, project, no_effect_skip_categories=[skip])
    discount_voucher(http, "FULL", {"type": "AMOUNT", "amount_off": 10000})
    discount_voucher(http, "SKIPPY", TEN, category_id=skip)
    discount_voucher(http, "PLAIN", {"type": "AMOUNT", "amount_off": 100})
    result = validate(http, [voucher_ref("FULL"), voucher_ref("SKIPPY"), voucher_ref("PLAIN")])
    assert reasons(result) == {"SKIPPY": "no_effect"}
    assert statuses(result)[2] == ("PLAIN", "APPLICABLE")


def test_calculation_mode_initial_and_discounted(
    server: RunningServer, project: Project, http: httpx.Client
) -> None:
    """using, "Discount calculation mode": 10% then 20% of $100 is $30 off on the initial
    amount and $28 off on the discounted amount."""
    discount_voucher(http, "TEN", TEN)
    discount_voucher(http, "TWENTY", TWENTY)
    refs = [voucher_ref("TEN"), voucher_ref("TWENTY")]
    discounted = validate(http, refs)
    assert applied(discounted) == {"TEN": 1000, "TWENTY": 1800}
    assert discounted["order"]["total_discount_amount"] == 2800
    set_rules(server, project, discount_calculation_mode="INITIAL_AMOUNT")
    initial = validate(http, refs)
    assert applied(initial) == {"TEN": 1000, "TWENTY": 2000}
    assert initial["order"]["total_discount_amount"] == 3000


def test_stackable_api_validation_and_redemption_example(http: httpx.Client) -> None:
    """stackable, "Validation" and "Redemption": a gift card (100 credits), a 20% coupon and an
    8000 promotion tier on 200 000, each on what the previous left."""
    gift_voucher(http, "dBj56oqJ", 20500)
    discount_voucher(http, "39vnjyS8", TWENTY)
    campaign = promotion(
        http, "time frame", tier("time frame test 3", {"type": "AMOUNT", "amount_off": 8000})
    )
    tier_id = tier_ids(campaign)[0]
    refs = [voucher_ref("dBj56oqJ", 100), voucher_ref("39vnjyS8"), ref(tier_id)]
    order = {"amount": 200000}
    result = validate(http, refs, order=order, customer={"source_id": "stacker"})
    assert result["valid"] is True
    steps = [
        (
            e["order"]["discount_amount"],
            e["order"]["applied_discount_amount"],
            e["order"]["total_amount"],
        )
        for e in result["redeemables"]
    ]
    assert steps == [(100, 100, 199900), (40080, 39980, 159920), (48080, 8000, 151920)]
    assert result["order"]["total_discount_amount"] == 48080
    assert result["order"]["total_amount"] == 151920
    reply = redeem(http, *refs, order=order, customer={"source_id": "stacker"})
    assert reply.status_code == 200, reply.text
    body = reply.json()
    children = [(r["amount"], r["order"]["applied_discount_amount"]) for r in body["redemptions"]]
    assert children[0] == (100, 100)
    assert [c[1] for c in children] == [100, 39980, 8000]
    assert body["order"]["total_amount"] == 151920
    assert http.get("/v1/vouchers/dBj56oqJ").json()["gift"]["balance"] == 20400


def test_rules_limits_from_the_project(
    server: RunningServer, project: Project, http: httpx.Client
) -> None:
    """rules, "Global limits": the project's applicable limit (2) skips the third coupon, its
    redeemables limit (3) refuses a fourth redeemable, and validations report those rules."""
    set_rules(server, project, redeemables_limit=3, applicable_redeemables_limit=2)
    for code in ("A1", "A2", "A3", "A4"):
        discount_voucher(http, code, {"type": "AMOUNT", "amount_off": 100})
    result = validate(http, [voucher_ref(c) for c in ("A1", "A2", "A3")])
    assert reasons(result) == {"A3": "applicable_redeemables_limit_exceeded"}
    assert result["skipped_redeemables"][0]["result"]["details"]["message"] == (
        "Applicable redeemables limit exceeded"
    )
    assert result["stacking_rules"]["applicable_redeemables_limit"] == 2
    assert result["stacking_rules"]["redeemables_limit"] == 3
    too_many = http.post(
        "/v1/validations",
        json={
            "redeemables": [voucher_ref(c) for c in ("A1", "A2", "A3", "A4")],
            "order": {"amount": 1000},
        },
    )
    assert too_many.status_code == 400
    assert "redeemables_limit" in too_many.json()["details"]


def test_products_mode_once(server: RunningServer, project: Project, http: httpx.Client) -> None:
    """rules, "Product stack policy" (single application): an item discounted by the first
    coupon is not discounted by the second; the other item still is."""
    set_rules(server, project, redeemables_products_application_mode="ONCE")
    mug = {"object": "product", "id": "prod_mug"}
    effect = {"type": "AMOUNT", "amount_off": 300, "effect": "APPLY_TO_ITEMS"}
    discount_voucher(http, "MUG", effect, applicable_to=[mug])
    discount_voucher(http, "ALL", {**effect, "amount_off": 200})
    items = [
        {"product_id": "prod_mug", "quantity": 2, "price": 1000},
        {"product_id": "prod_tee", "quantity": 1, "price": 2000},
    ]
    result = validate(http, [voucher_ref("MUG"), voucher_ref("ALL")], order={"items": items})
    assert [i["discount_amount"] for i in result["order"]["items"]] == [300, 200]
    assert result["order"]["total_amount"] == 3500


def test_campaign_and_tier_categories_count(
    server: RunningServer, project: Project, http: httpx.Client
) -> None:
    """using, "Manage categories": a campaign's category is its coupons' and a tier's own
    category is the tier's; a Never stackable campaign blocks a common coupon but not an Always
    stackable tier, and qualifications report the rules in force."""
    vip, joint, common = category(http, "vip"), category(http, "joint"), category(http, "c")
    set_rules(server, project, exclusive_categories=[vip], joint_categories=[joint])
    campaign = discount_campaign(http, "VIP", category_id=vip)
    coupon = http.post(f"/v1/campaigns/{campaign['id']}/vouchers", json={}).json()["code"]
    discount_voucher(http, "PLAIN", {"type": "AMOUNT", "amount_off": 300}, category_id=common)
    promo = promotion(http, "Tiers", tier("five", {"type": "AMOUNT", "amount_off": 500}))
    tier_id = tier_ids(promo)[0]
    changed = http.put(f"/v1/promotions/tiers/{tier_id}", json={"category_id": joint})
    assert changed.status_code == 200, changed.text
    result = validate(http, [ref(tier_id), voucher_ref("PLAIN"), voucher_ref(coupon)])
    assert reasons(result) == {"PLAIN": "exclusion_rules_not_met"}
    assert applied(result) == {tier_id: 500, coupon: 950}
    found = http.post("/v1/qualifications", json={"order": {"amount": 10000}}).json()
    assert found["stacking_rules"]["exclusive_categories"] == [vip]
