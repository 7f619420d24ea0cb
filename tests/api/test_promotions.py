"""Promotion tiers over HTTP: PROMOTION campaigns, tier CRUD, events and error bodies."""

from __future__ import annotations

from datetime import timedelta

import httpx

from openvoucher.kernel.clock import iso
from tests.api.catalog_helpers import event_types, outbox
from tests.api.promotion_helpers import AMOUNT_OFF, PERCENT_OFF, promotion, ref, tier, tier_ids
from tests.support.server import Project, RunningServer


def test_promotion_campaign_is_created_with_its_tiers(http: httpx.Client) -> None:
    """POST /v1/campaigns with campaign_type PROMOTION stores its tiers by hierarchy."""
    created = promotion(http, "Spring", tier("Ten off", AMOUNT_OFF), tier("Pct", PERCENT_OFF))
    assert created["campaign_type"] == "PROMOTION"
    assert "voucher" not in created
    tiers = created["promotion"]["tiers"]
    assert [t["name"] for t in tiers] == ["Ten off", "Pct"]
    assert [t["hierarchy"] for t in tiers] == [1, 2]
    assert tiers[0]["action"]["discount"] == {**AMOUNT_OFF, "effect": "APPLY_TO_ORDER"}
    assert tiers[0]["campaign"]["id"] == created["id"]
    assert tiers[0]["summary"] == {
        "redemptions": {"total_redeemed": 0},
        "orders": {"total_amount": 0, "total_discount_amount": 0},
    }
    fetched = http.get(f"/v1/campaigns/{created['id']}").json()
    assert tier_ids(fetched) == tier_ids(created)


def test_tier_crud_and_events(server: RunningServer, project: Project, http: httpx.Client) -> None:
    """Add, update, disable, enable and delete a tier; each emits its campaign event."""
    campaign = promotion(http, "Crud", tier("First", AMOUNT_OFF))
    added = http.post(f"/v1/promotions/{campaign['id']}/tiers", json=tier("Second", PERCENT_OFF))
    assert added.status_code == 200, added.text
    second = added.json()
    assert second["hierarchy"] == 2
    assert second["id"].startswith("promo_")
    changed = http.put(
        f"/v1/promotions/tiers/{second['id']}", json={"name": "Renamed", "metadata": {"k": 1}}
    ).json()
    assert (changed["name"], changed["metadata"], changed["banner"]) == (
        "Renamed",
        {"k": 1},
        "Second!",
    )
    assert changed["updated_at"] is not None
    assert http.post(f"/v1/promotions/tiers/{second['id']}/disable").json()["active"] is False
    assert http.post(f"/v1/promotions/tiers/{second['id']}/enable").json()["active"] is True
    assert http.delete(f"/v1/promotions/tiers/{second['id']}").status_code == 204
    assert http.get(f"/v1/promotions/tiers/{second['id']}").status_code == 404
    kinds = [k for k in event_types(server, project) if "promotion_tier" in k]
    assert kinds == [
        "campaign.promotion_tier.created",
        "campaign.promotion_tier.created",
        "campaign.promotion_tier.updated",
        "campaign.promotion_tier.disabled",
        "campaign.promotion_tier.enabled",
        "campaign.promotion_tier.deleted",
    ]
    deleted = outbox(server, project)[-1]["data"]
    assert deleted["promotion_tier"]["name"] == "Renamed"
    assert deleted["campaign"]["id"] == campaign["id"]


def test_tier_lists_filter_by_campaign_and_availability(http: httpx.Client) -> None:
    """GET /v1/promotions/tiers lists every tier; is_available drops disabled ones."""
    one = promotion(http, "One", tier("A", AMOUNT_OFF), tier("B", AMOUNT_OFF))
    promotion(http, "Two", tier("C", AMOUNT_OFF))
    http.post(f"/v1/promotions/tiers/{tier_ids(one)[1]}/disable")
    listed = http.get("/v1/promotions/tiers").json()
    assert (listed["object"], listed["data_ref"], listed["total"]) == ("list", "tiers", 3)
    available = http.get("/v1/promotions/tiers", params={"is_available": "true"}).json()
    assert sorted(t["name"] for t in available["tiers"]) == ["A", "C"]
    of_one = http.get(f"/v1/promotions/{one['id']}/tiers", params={"limit": 1}).json()
    assert (of_one["total"], of_one["has_more"], len(of_one["tiers"])) == (2, True, 1)


def test_bad_tier_input_gets_voucherify_errors(http: httpx.Client) -> None:
    """A tier without a discount, an unknown campaign or a non-promotion campaign is a 4xx."""
    campaign = promotion(http, "Errors")
    no_discount = http.post(f"/v1/promotions/{campaign['id']}/tiers", json={"name": "x"})
    assert (no_discount.status_code, no_discount.json()["key"]) == (400, "invalid_payload")
    unknown = http.post("/v1/promotions/camp_nope/tiers", json=tier("x", AMOUNT_OFF))
    assert (unknown.status_code, unknown.json()["key"]) == (404, "not_found")
    coupons = http.post(
        "/v1/campaigns", json={"name": "Coupons", "voucher": {"discount": AMOUNT_OFF}}
    )
    other = http.post(f"/v1/promotions/{coupons.json()['id']}/tiers", json=tier("x", AMOUNT_OFF))
    assert other.status_code == 400
    vouchers = http.post(f"/v1/campaigns/{campaign['id']}/vouchers")
    assert vouchers.status_code == 400


def test_tier_errors_in_validation(server: RunningServer, http: httpx.Client) -> None:
    """Disabled → promotion_inactive; out of its dates → promotion_not_active_now."""
    later = iso(server.clock.now() + timedelta(days=3))
    campaign = promotion(
        http, "Errs", tier("Off", AMOUNT_OFF), tier("Later", AMOUNT_OFF, start_date=later)
    )
    off, future = tier_ids(campaign)
    http.post(f"/v1/promotions/tiers/{off}/disable")
    body = {"redeemables": [ref(off), ref(future), ref("promo_missing")], "order": {"amount": 5000}}
    result = http.post("/v1/validations", json=body).json()
    assert result["valid"] is False
    keys = [r["result"]["error"]["key"] for r in result["inapplicable_redeemables"]]
    assert keys == ["promotion_inactive", "promotion_not_active_now", "resource_not_found"]
    assert result["redeemables"][0]["object"] == "promotion_tier"
    assert result["redeemables"][0]["campaign_id"] == campaign["id"]
