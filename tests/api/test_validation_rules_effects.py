"""Validation rules at work: validations, redemptions and qualifications judge assigned rules
(a voucher's own and its campaign's), with Voucherify's error keys and messages; CSV imports
assign rules by ``Validation Rule ID``."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from typing import Any

import httpx
import voucherify
from voucherify.api.validations_api import ValidationsApi
from voucherify.models.validations_validate_request_body import ValidationsValidateRequestBody

from tests.api.catalog_helpers import discount_campaign, wait_for_action
from tests.api.redemption_helpers import discount_voucher, redeem, voucher_ref
from tests.support.server import Project


def _rule(http: httpx.Client, rules: dict[str, Any], **extra: Any) -> str:
    reply = http.post("/v1/validation-rules", json={"name": "rule", "rules": rules, **extra})
    assert reply.status_code == 200, reply.text
    rule_id: str = reply.json()["id"]
    return rule_id


def _voucher(http: httpx.Client, code: str, rule_id: str, **discount: Any) -> None:
    off = discount or {"type": "AMOUNT", "amount_off": 500}
    discount_voucher(http, code, off, validation_rules=[rule_id])


def _validate(http: httpx.Client, code: str, **body: Any) -> dict[str, Any]:
    reply = http.post("/v1/validations", json={"redeemables": [voucher_ref(code)], **body})
    assert reply.status_code == 200, reply.text
    result: dict[str, Any] = reply.json()
    return result


MIN_AMOUNT = {
    "1": {
        "name": "order.amount",
        "conditions": {"$more_than_or_equal": [5000]},
        "error": {"message": "Spend at least 50"},
    }
}


def test_sdk_parses_an_order_rule_violation(sdk: voucherify.ApiClient, http: httpx.Client) -> None:
    """Below the minimum the voucher is inapplicable (order_rules_violated, rule message)."""
    _voucher(http, "MIN50", _rule(http, MIN_AMOUNT))
    api = ValidationsApi(sdk)
    failed = api.validate_stacked_discounts(
        ValidationsValidateRequestBody.from_dict(
            {"redeemables": [voucher_ref("MIN50")], "order": {"amount": 4999}}
        )
    )
    assert failed.valid is False
    error = failed.inapplicable_redeemables[0].result.error
    assert error.key == "order_rules_violated"
    assert error.message == "order does not match validation rules"
    assert error.error is not None
    assert error.error.message == "Spend at least 50"
    passed = api.validate_stacked_discounts(
        ValidationsValidateRequestBody.from_dict(
            {"redeemables": [voucher_ref("MIN50")], "order": {"amount": 5000}}
        )
    )
    assert passed.valid is True
    assert passed.order.total_amount == 4500


def test_campaign_customer_rule_is_inherited(http: httpx.Client) -> None:
    """A campaign's customer.metadata rule binds its vouchers: customer_rules_violated."""
    rule_id = _rule(
        http,
        {"1": {"name": "customer.metadata", "property": "tier", "conditions": {"$is": ["gold"]}}},
        error={"message": "Gold members only"},
    )
    campaign = discount_campaign(http, "Gold", validation_rules=[rule_id])
    code = http.post(f"/v1/campaigns/{campaign['id']}/vouchers").json()["code"]
    http.post("/v1/customers", json={"source_id": "ann", "metadata": {"tier": "gold"}})
    http.post("/v1/customers", json={"source_id": "bob", "metadata": {"tier": "silver"}})
    order = {"amount": 10000}
    ok = _validate(http, code, order=order, customer={"source_id": "ann"})
    assert ok["valid"] is True
    assert ok["order"]["total_discount_amount"] == 1000
    denied = _validate(http, code, order=order, customer={"source_id": "bob"})
    error = denied["inapplicable_redeemables"][0]["result"]["error"]
    assert error["key"] == "customer_rules_violated"
    assert error["message"] == "customer does not match validation rules"
    assert error["error"] == {"message": "Gold members only"}
    nobody = _validate(http, code, order=order)
    assert nobody["inapplicable_redeemables"][0]["result"]["error"]["key"] == (
        "customer_rules_violated"
    )
    by_request = _validate(http, code, order=order, customer={"metadata": {"tier": "gold"}})
    assert by_request["valid"] is True


def test_logic_combines_rules(http: httpx.Client) -> None:
    """``(1 and 2) or 3``: big orders from the north shop, or any order with 3+ units."""
    rules = {
        "1": {"name": "order.amount", "conditions": {"$more_than": [8000]}},
        "2": {"name": "order.metadata", "property": "shop", "conditions": {"$is": ["north"]}},
        "3": {"name": "order.items.count", "conditions": {"$more_than_or_equal": [3]}},
        "logic": "(1 and 2) or 3",
    }
    _voucher(http, "LOGIC", _rule(http, rules))
    item = {"product_id": "prod_a", "quantity": 1, "price": 9000}
    north = {"items": [item], "metadata": {"shop": "north"}}
    south = {"items": [item], "metadata": {"shop": "south"}}
    many = {"items": [{**item, "quantity": 3, "price": 100}], "metadata": {"shop": "south"}}
    assert _validate(http, "LOGIC", order=north)["valid"] is True
    assert _validate(http, "LOGIC", order=south)["valid"] is False
    assert _validate(http, "LOGIC", order=many)["valid"] is True


def test_product_rule_narrows_item_discount(http: httpx.Client) -> None:
    """A product.id rule requires the product and makes it the discount's only target."""
    rule_id = _rule(http, {"1": {"name": "product.id", "conditions": {"$is": ["prod_a"]}}})
    _voucher(http, "ITEMS", rule_id, type="PERCENT", percent_off=50, effect="APPLY_TO_ITEMS")
    items = [
        {"product_id": "prod_a", "quantity": 1, "price": 2000},
        {"product_id": "prod_b", "quantity": 1, "price": 3000},
    ]
    body = _validate(http, "ITEMS", order={"items": items})
    assert body["valid"] is True
    assert body["order"]["items_discount_amount"] == 1000
    assert body["order"]["total_amount"] == 4000
    targets = body["redeemables"][0]["applicable_to"]["data"]
    assert [(t["id"], t["order_item_indices"]) for t in targets] == [("prod_a", [0])]
    without = _validate(http, "ITEMS", order={"items": items[1:]})
    assert without["inapplicable_redeemables"][0]["result"]["error"]["key"] == (
        "order_rules_violated"
    )


def test_per_customer_limit_counts_stored_redemptions(http: httpx.Client) -> None:
    """``redemption.count.per_customer`` ≤ 1: a second redemption by the same customer fails
    (recorded as failed), another customer may still redeem, and a rollback frees it again."""
    rules = {
        "1": {
            "name": "redemption.count.per_customer",
            "conditions": {"$less_than_or_equal": [1]},
            "error": {"message": "Once per customer"},
        }
    }
    _voucher(http, "ONCE", _rule(http, rules))
    first = redeem(http, voucher_ref("ONCE"), customer={"source_id": "ann"})
    assert first.status_code == 200, first.text
    second = redeem(http, voucher_ref("ONCE"), customer={"source_id": "ann"})
    assert second.status_code == 400
    body = second.json()
    assert body["key"] == "customer_rules_violated"
    assert body["error"] == {"message": "Once per customer"}
    failure = body["inapplicable_redeemables"][0]["result"]["error"]
    assert failure["error"] == {"message": "Once per customer"}
    stored = http.get("/v1/redemptions", params={"voucher": "ONCE"}).json()["redemptions"]
    assert [r["result"] for r in stored] == ["FAILURE", "SUCCESS"]
    assert stored[0]["failure_code"] == "customer_rules_violated"
    other = redeem(http, voucher_ref("ONCE"), customer={"source_id": "bob"})
    assert other.status_code == 200
    redeemed = first.json()["redemptions"][0]["id"]
    assert http.post(f"/v1/redemptions/{redeemed}/rollback", json={}).status_code == 200
    again = redeem(http, voucher_ref("ONCE"), customer={"source_id": "ann"})
    assert again.status_code == 200, again.text


def test_qualifications_leave_out_rule_breakers(http: httpx.Client) -> None:
    """Qualifications return only the vouchers whose rules the order meets, with their
    assignments."""
    rule_id = _rule(http, MIN_AMOUNT)
    _voucher(http, "BIG-ONLY", rule_id)
    discount_voucher(http, "ANY", {"type": "AMOUNT", "amount_off": 100})

    def qualified(amount: int) -> dict[str, list[str]]:
        body = {"scenario": "ALL", "order": {"amount": amount}}
        reply = http.post("/v1/qualifications", json=body).json()
        return {
            entry["id"]: [a["rule_id"] for a in entry["validation_rules_assignments"]["data"]]
            for entry in reply["redeemables"]["data"]
        }

    assert qualified(6000) == {"ANY": [], "BIG-ONLY": [rule_id]}
    assert qualified(1000) == {"ANY": []}


def test_csv_import_assigns_rules(http: httpx.Client) -> None:
    """A ``Validation Rule ID`` column assigns the rule; an unknown id fails only its row."""
    rule_id = _rule(http, MIN_AMOUNT)
    text = (
        "Code,Voucher Type,Value,Discount Type,Validation Rule ID\n"
        f"CSV-1,DISCOUNT_VOUCHER,500,AMOUNT,{rule_id}\n"
        "CSV-2,DISCOUNT_VOUCHER,500,AMOUNT,val_missing\n"
        "CSV-3,DISCOUNT_VOUCHER,500,AMOUNT,\n"
    )
    files = {"file": ("vouchers.csv", text.encode(), "text/csv")}
    action_id = http.post("/v1/vouchers/importCSV", files=files).json()["async_action_id"]
    result = wait_for_action(http, action_id)["result"]
    assert (result["done_count"], result["failed_count"]) == (2, 1)
    assert result["failed"][0]["field"] == "Validation Rule ID"
    assert result["failed"][0]["reason"] == "Validation rule val_missing does not exist"
    listed = http.get("/v1/vouchers/CSV-1").json()["validation_rules_assignments"]["data"]
    assert [a["rule_id"] for a in listed] == [rule_id]
    assert http.get("/v1/vouchers/CSV-3").json()["validation_rules_assignments"]["total"] == 0
    assert _validate(http, "CSV-1", order={"amount": 100})["valid"] is False
    assert _validate(http, "CSV-3", order={"amount": 100})["valid"] is True


def test_concurrent_redemptions_respect_per_customer_limit(
    http: httpx.Client, project: Project
) -> None:
    """Eight simultaneous redemptions by one customer under a limit of 2: exactly 2 succeed."""
    rules = {
        "1": {"name": "redemption.count.per_customer", "conditions": {"$less_than_or_equal": [2]}}
    }
    _voucher(http, "TWICE", _rule(http, rules))
    http.post("/v1/customers", json={"source_id": "zoe"})  # (not created by racing requests)

    def attempt(_: int) -> int:
        with project.client() as client:
            reply = redeem(client, voucher_ref("TWICE"), customer={"source_id": "zoe"})
            return reply.status_code

    with ThreadPoolExecutor(max_workers=8) as pool:
        codes = sorted(pool.map(attempt, range(8)))
    assert codes == [200, 200] + [400] * 6
    assert http.get("/v1/vouchers/TWICE").json()["redemption"]["redeemed_quantity"] == 2
