"""``GET /v1/campaigns/{campaignId}/summary``: figures per campaign type, over a period."""

from __future__ import annotations

from typing import Any

import httpx
import voucherify
from voucherify.api.campaigns_api import CampaignsApi

from tests.api.catalog_helpers import discount_campaign
from tests.api.loyalty_helpers import join, ok, programme
from tests.api.redemption_helpers import redeem, voucher_ref
from tests.api.test_campaign_ledger import adjust, gift_campaign

ZERO_VALIDATIONS = {"validations": 0, "validations_succeeded": 0, "validations_failed": 0}


def figures(body: dict[str, Any]) -> dict[str, Any]:
    """The summary without its campaign object."""
    return {key: value for key, value in body.items() if key != "campaign"}


def test_discount_campaign_summary(sdk: voucherify.ApiClient, http: httpx.Client) -> None:
    """Redemptions, a rollback, discounts, orders, vouchers and publications are counted."""
    campaign = discount_campaign(http)
    for code in ("SPR-1", "SPR-2"):
        ok(http.post(f"/v1/campaigns/{campaign['id']}/vouchers/{code}", json={}))
    ok(http.post("/v1/publications", json={"voucher": "SPR-1", "customer": {"source_id": "c"}}))
    ok(redeem(http, voucher_ref("SPR-1"), order={"amount": 2000}))
    second = ok(redeem(http, voucher_ref("SPR-2"), order={"amount": 3000}))
    ok(http.post(f"/v1/redemptions/{second['redemptions'][0]['id']}/rollback"))
    body = ok(http.get(f"/v1/campaigns/{campaign['id']}/summary"))
    assert body["campaign"]["id"] == campaign["id"]
    assert figures(body) == {
        "object": "campaign_summary",
        "redemptions": 2,
        "redemptions_succeeded": 2,
        "redemptions_failed": 0,
        "rollbacks": 1,
        "rollbacks_succeeded": 1,
        "rollbacks_failed": 0,
        **ZERO_VALIDATIONS,
        "orders_amount": 5000,
        "orders_rolledback_amount": 3000,
        "discounted_amount": 500,
        "rolledback_discounted_amount": 300,
        "vouchers_created": 2,
        "vouchers_deleted": 0,
        "publications": 1,
        "publications_succeeded": 1,
        "publications_failed": 0,
    }
    parsed = CampaignsApi(sdk).get_campaign_summary(campaign["id"])
    assert parsed.redemptions == 2
    before = ok(
        http.get(f"/v1/campaigns/{campaign['id']}/summary", params={"end_date": "2000-01-01"})
    )
    assert (before["redemptions"], before["vouchers_created"], before["publications"]) == (0, 0, 0)
    today = body["campaign"]["created_at"][:10]
    within = ok(
        http.get(
            f"/v1/campaigns/{campaign['id']}/summary",
            params={"start_date": today, "end_date": today},
        )
    )
    assert figures(within) == figures(body)


def test_gift_and_loyalty_summaries(sdk: voucherify.ApiClient, http: httpx.Client) -> None:
    """Gift credits and loyalty points figures come from the campaign's ledger."""
    gifts = gift_campaign(http, "G-1", "G-2")
    adjust(http, ("G-1", 500), ("G-2", -200))
    ok(redeem(http, voucher_ref("G-1", credits=300), order={"amount": 300}))
    gift = ok(http.get(f"/v1/campaigns/{gifts['id']}/summary"))
    assert {key: gift[key] for key in gift if key.startswith("amount_")} == {
        "amount_added": 500,
        "amount_subtracted": 200,
        "amount_redeemed": 300,
        "amount_rolledback": 0,
        "amount_deleted": 0,
    }
    assert (gift["vouchers_created"], gift["redemptions"], gift["orders_amount"]) == (2, 1, 300)
    assert gift["created_vouchers_amount"] == 2000
    assert "discounted_amount" not in gift
    club = programme(http)
    member = join(http, club["id"], "ann")
    path = f"/v1/loyalties/{club['id']}/members/{member['id']}/balance"
    ok(http.post(path, json={"points": 70}))
    ok(http.post(path, json={"points": -20}))
    loyalty = ok(http.get(f"/v1/campaigns/{club['id']}/summary"))
    assert (loyalty["points_added"], loyalty["points_subtracted"]) == (70, 20)
    assert (loyalty["vouchers_created"], loyalty["publications"]) == (1, 1)
    assert loyalty["created_vouchers_points"] == 0
    parsed = CampaignsApi(sdk).get_campaign_summary(club["id"])
    assert parsed.points_added == 70
    assert http.get("/v1/campaigns/nope/summary").status_code == 404
