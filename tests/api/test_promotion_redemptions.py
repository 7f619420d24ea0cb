"""Validating, redeeming, rolling back and qualifying promotion tiers and stacks."""

from __future__ import annotations

import httpx

from tests.api.catalog_helpers import outbox, wait_for_action
from tests.api.promotion_helpers import AMOUNT_OFF, PERCENT_OFF, promotion, ref, tier, tier_ids
from tests.api.redemption_helpers import discount_voucher
from tests.support.server import Project, RunningServer


def test_tier_and_voucher_validate_together(http: httpx.Client) -> None:
    """A tier's discount runs like a voucher's: 10 off, then 10% of the rest."""
    campaign = promotion(http, "Val", tier("Ten", AMOUNT_OFF))
    discount_voucher(http, "PCT10", PERCENT_OFF)
    body = {"redeemables": [ref(tier_ids(campaign)[0]), {"id": "PCT10"}], "order": {"amount": 5000}}
    result = http.post("/v1/validations", json=body).json()
    assert result["valid"] is True
    assert result["order"]["discount_amount"] == 1000 + 400
    assert result["order"]["total_amount"] == 3600
    first = result["redeemables"][0]
    assert (first["object"], first["status"]) == ("promotion_tier", "APPLICABLE")
    assert first["result"]["discount"]["amount_off"] == 1000
    assert first["campaign_name"] == "Val"


def test_redeeming_a_tier_counts_and_rolls_back(
    server: RunningServer, project: Project, http: httpx.Client
) -> None:
    """A tier redemption names the tier; summary counts it; a rollback takes it back."""
    campaign = promotion(http, "Red", tier("Ten", AMOUNT_OFF))
    tier_id = tier_ids(campaign)[0]
    body = {
        "redeemables": [ref(tier_id)],
        "order": {"amount": 5000},
        "customer": {"source_id": "c1"},
    }
    reply = http.post("/v1/redemptions", json=body)
    assert reply.status_code == 200, reply.text
    redemption = reply.json()["redemptions"][0]
    assert "voucher" not in redemption
    assert (redemption["related_object_type"], redemption["related_object_id"]) == (
        "promotion_tier",
        tier_id,
    )
    assert redemption["promotion_tier"]["id"] == tier_id
    assert redemption["order"]["total_amount"] == 4000
    summary = http.get(f"/v1/promotions/tiers/{tier_id}").json()["summary"]
    assert summary["redemptions"]["total_redeemed"] == 1
    assert summary["orders"] == {"total_amount": 5000, "total_discount_amount": 1000}
    event = outbox(server, project)[-2]
    assert event["type"] == "redemption.succeeded"
    assert event["data"]["promotion_tier"]["id"] == tier_id
    assert event["data"]["campaign"]["id"] == campaign["id"]
    rolled = http.post(f"/v1/redemptions/{redemption['id']}/rollback", json={"reason": "x"})
    assert rolled.status_code == 200, rolled.text
    assert rolled.json()["promotion_tier"]["id"] == tier_id
    assert rolled.json()["order"]["discount_amount"] == 0
    summary = http.get(f"/v1/promotions/tiers/{tier_id}").json()["summary"]
    assert summary["redemptions"]["total_redeemed"] == 0
    assert summary["orders"] == {"total_amount": 0, "total_discount_amount": 0}
    again = http.post(f"/v1/redemptions/{redemption['id']}/rollback", json={})
    assert (again.status_code, again.json()["key"]) == (400, "already_rolled_back")


def test_failed_tier_redemption_is_recorded(http: httpx.Client) -> None:
    """Redeeming a disabled tier fails with promotion_inactive and records the failure."""
    campaign = promotion(http, "Fail", tier("Ten", AMOUNT_OFF))
    tier_id = tier_ids(campaign)[0]
    http.post(f"/v1/promotions/tiers/{tier_id}/disable")
    reply = http.post(
        "/v1/redemptions", json={"redeemables": [ref(tier_id)], "order": {"amount": 100}}
    )
    assert (reply.status_code, reply.json()["key"]) == (400, "promotion_inactive")
    failed = http.get(f"/v1/redemptions/{reply.json()['resource_id']}").json()
    assert (failed["result"], failed["failure_code"]) == ("FAILURE", "promotion_inactive")
    assert failed["promotion_tier"]["id"] == tier_id


def test_stacked_tier_and_voucher_roll_back_together(http: httpx.Client) -> None:
    """A tier stacked with a voucher gets a parent redemption; /rollbacks undoes both."""
    campaign = promotion(http, "Stacked", tier("Ten", AMOUNT_OFF))
    discount_voucher(http, "ST-PCT", PERCENT_OFF)
    tier_id = tier_ids(campaign)[0]
    body = {"redeemables": [ref(tier_id), {"id": "ST-PCT"}], "order": {"amount": 5000}}
    redeemed = http.post("/v1/redemptions", json=body).json()
    parent = redeemed["parent_redemption"]["id"]
    assert redeemed["order"]["total_amount"] == 3600
    rolled = http.post(f"/v1/redemptions/{parent}/rollbacks", json={}).json()
    assert len(rolled["rollbacks"]) == 2
    assert rolled["order"]["discount_amount"] == 0
    voucher = http.get("/v1/vouchers/ST-PCT").json()
    assert voucher["redemption"]["redeemed_quantity"] == 0
    tier_now = http.get(f"/v1/promotions/tiers/{tier_id}").json()
    assert tier_now["summary"]["redemptions"]["total_redeemed"] == 0


def test_promotion_stack_crud_and_redemption(http: httpx.Client) -> None:
    """A stack lists tiers in order; redeeming it redeems each of its tiers."""
    campaign = promotion(http, "Stacks", tier("Ten", AMOUNT_OFF), tier("Pct", PERCENT_OFF))
    ten, pct = tier_ids(campaign)
    path = f"/v1/promotions/{campaign['id']}/stacks"
    created = http.post(path, json={"name": "Both", "tiers": {"ids": [pct, ten]}})
    assert created.status_code == 200, created.text
    stack = created.json()
    assert stack["tiers"] == {"ids": [pct, ten], "hierarchy_mode": "MANUAL"}
    assert http.get(f"{path}/{stack['id']}").json()["name"] == "Both"
    updated = http.put(
        f"{path}/{stack['id']}", json={"name": "Renamed", "tiers": {"ids": [ten, pct]}}
    )
    assert updated.json()["tiers"]["ids"] == [ten, pct]
    assert http.get("/v1/promotions/stacks").json()["total"] == 1
    body = {
        "redeemables": [{"object": "promotion_stack", "id": stack["id"]}],
        "order": {"amount": 5000},
    }
    redeemed = http.post("/v1/redemptions", json=body).json()
    assert len(redeemed["redemptions"]) == 2
    assert redeemed["order"]["discount_amount"] == 1000 + 400
    two = [
        {"object": "promotion_stack", "id": stack["id"]},
        {"object": "promotion_stack", "id": "x"},
    ]
    twice = http.post("/v1/validations", json={"redeemables": two, "order": {"amount": 1}})
    assert (twice.status_code, twice.json()["key"]) == (400, "invalid_payload")
    bad = http.post(path, json={"name": "Bad", "tiers": {"ids": ["promo_nope"]}})
    assert (bad.status_code, bad.json()["key"]) == (404, "not_found")
    assert http.delete(f"{path}/{stack['id']}").status_code == 204
    assert http.get(f"{path}/{stack['id']}").status_code == 404


def test_qualifications_return_applicable_tiers(http: httpx.Client) -> None:
    """Qualifications list tiers usable now next to vouchers, with their discount applied."""
    campaign = promotion(http, "Qual", tier("Ten", AMOUNT_OFF), tier("Pct", PERCENT_OFF))
    ten, pct = tier_ids(campaign)
    http.post(f"/v1/promotions/tiers/{pct}/disable")
    discount_voucher(http, "Q-OFF", AMOUNT_OFF)
    body = {"order": {"amount": 3000}, "scenario": "ALL", "options": {"limit": 10}}
    found = http.post("/v1/qualifications", json=body).json()["redeemables"]["data"]
    assert [(e["object"], e["id"]) for e in found] == [
        ("voucher", "Q-OFF"),
        ("promotion_tier", ten),
    ]
    assert found[1]["order"]["total_amount"] == 2000
    assert found[1]["name"] == "Ten"


def test_deleted_tier_redemption_still_rolls_back(http: httpx.Client) -> None:
    """A redemption of a tier deleted since rolls back with the tier as it was redeemed."""
    campaign = promotion(http, "Gone", tier("Ten", AMOUNT_OFF))
    tier_id = tier_ids(campaign)[0]
    body = {"redeemables": [ref(tier_id)], "order": {"amount": 2500}}
    redemption = http.post("/v1/redemptions", json=body).json()["redemptions"][0]
    assert http.delete(f"/v1/promotions/tiers/{tier_id}").status_code == 204
    rolled = http.post(f"/v1/redemptions/{redemption['id']}/rollback", json={})
    assert rolled.status_code == 200, rolled.text
    assert rolled.json()["promotion_tier"]["summary"]["redemptions"]["total_redeemed"] == 1
    assert rolled.json()["order"]["total_amount"] == 2500


def test_campaign_switch_and_deletion_reach_its_tiers(http: httpx.Client) -> None:
    """A disabled campaign's tiers are promotion_inactive; deleting it deletes its tiers."""
    campaign = promotion(http, "Switch", tier("Ten", AMOUNT_OFF))
    tier_id = tier_ids(campaign)[0]
    http.post(f"/v1/campaigns/{campaign['id']}/disable")
    body = {"redeemables": [ref(tier_id)], "order": {"amount": 2500}}
    result = http.post("/v1/validations", json=body).json()
    assert result["redeemables"][0]["result"]["error"]["key"] == "promotion_inactive"
    listed = http.get("/v1/promotions/tiers", params={"is_available": "true"}).json()
    assert listed["total"] == 0
    action = http.delete(f"/v1/campaigns/{campaign['id']}").json()["async_action_id"]
    wait_for_action(http, action)
    assert http.get(f"/v1/promotions/tiers/{tier_id}").status_code == 404


def test_item_level_tier_discounts_items_and_rolls_back(http: httpx.Client) -> None:
    """An APPLY_TO_ITEMS tier takes 10% off each item, as a voucher would, and rolls back."""
    discount = {"type": "PERCENT", "percent_off": 10, "effect": "APPLY_TO_ITEMS"}
    campaign = promotion(http, "Items", tier("Items", discount))
    items = [
        {"product_id": "prod_a", "quantity": 2, "price": 1000},
        {"product_id": "prod_b", "quantity": 1, "price": 3000},
    ]
    body = {"redeemables": [ref(tier_ids(campaign)[0])], "order": {"items": items}}
    redeemed = http.post("/v1/redemptions", json=body).json()
    order = redeemed["order"]
    assert [i["discount_amount"] for i in order["items"]] == [200, 300]
    assert (order["items_discount_amount"], order["total_amount"]) == (500, 4500)
    redemption = redeemed["redemptions"][0]
    summary = http.get(f"/v1/promotions/tiers/{tier_ids(campaign)[0]}").json()["summary"]
    assert summary["orders"] == {"total_amount": 5000, "total_discount_amount": 500}
    rolled = http.post(f"/v1/redemptions/{redemption['id']}/rollback", json={}).json()
    assert [i["discount_amount"] for i in rolled["order"]["items"]] == [0, 0]
    assert rolled["order"]["total_amount"] == 5000


def test_lock_session_with_a_tier_holds_only_the_voucher(http: httpx.Client) -> None:
    """A LOCK session holds the voucher (not the tier); redeeming in it uses the hold."""
    campaign = promotion(http, "Session", tier("Ten", AMOUNT_OFF))
    discount_voucher(http, "SES-1", PERCENT_OFF, redemption={"quantity": 1})
    refs = [ref(tier_ids(campaign)[0]), {"id": "SES-1"}]
    session = {"type": "LOCK", "key": "ssn-promo", "ttl": 1, "ttl_unit": "HOURS"}
    held = http.post(
        "/v1/validations", json={"redeemables": refs, "order": {"amount": 5000}, "session": session}
    )
    assert held.json()["valid"] is True
    other = http.post("/v1/validations", json={"redeemables": refs, "order": {"amount": 5000}})
    assert (
        other.json()["inapplicable_redeemables"][0]["result"]["error"]["key"] == "quantity_exceeded"
    )
    body = {"redeemables": refs, "order": {"amount": 5000}, "session": {"key": "ssn-promo"}}
    redeemed = http.post("/v1/redemptions", json=body)
    assert redeemed.status_code == 200, redeemed.text
    assert redeemed.json()["order"]["total_amount"] == 3600
