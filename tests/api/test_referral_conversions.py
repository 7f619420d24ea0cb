"""Referral conversions: a referee redeems a referral code (or sends the programme's custom
event with it) and the referrer is rewarded, once per referee, in the same transaction."""

from __future__ import annotations

from typing import Any

import httpx
import voucherify
from voucherify.api.redemptions_api import RedemptionsApi
from voucherify.models.redemptions_redeem_request_body import RedemptionsRedeemRequestBody

from tests.api.loyalty_helpers import card, loyalty_events, of_type, ok
from tests.api.loyalty_helpers import programme as make_programme
from tests.api.reward_helpers import gift_campaign, reward
from tests.api.test_referrals import referral_campaign
from tests.support.server import Project, RunningServer


def _setup(http: httpx.Client, **program: Any) -> dict[str, Any]:
    """A referral campaign whose referrers get 500 gift credits per referee and whose referees
    get 100 points in the Club programme; one code published to ann."""
    club = make_programme(http)
    gifts = gift_campaign(http)
    referee_reward = {
        "type": "LOYALTY_CARD",
        "amount": 100,
        "related_object_parent": {"id": club["id"], "object": "CAMPAIGN"},
    }
    campaign = referral_campaign(http, referee_reward=referee_reward, **program)
    credits = reward(http, {"campaign": {"id": gifts["id"], "balance": 500}}, name="Credits")
    assigned = ok(
        http.post(f"/v1/rewards/{credits['id']}/assignments", json={"campaign": campaign["id"]})
    )
    published = ok(
        http.post(
            "/v1/publications",
            json={"campaign": {"name": campaign["name"]}, "customer": {"source_id": "ann"}},
        )
    )
    return {
        "club": club,
        "gifts": gifts,
        "campaign": campaign,
        "reward": credits,
        "assignment": assigned,
        "code": published["voucher"]["code"],
        "ann": published["customer_id"],
    }


def _redeem(sdk: voucherify.ApiClient, code: str, who: str, amount: int = 5000) -> Any:
    body = RedemptionsRedeemRequestBody.from_dict(
        {
            "redeemables": [{"object": "voucher", "id": code}],
            "customer": {"source_id": who},
            "order": {"amount": amount},
        }
    )
    return RedemptionsApi(sdk).redeem_stacked_discounts(body)


def _gift_balance(http: httpx.Client, customer_id: str, campaign_id: str) -> int | None:
    found = ok(
        http.get("/v1/vouchers", params={"customer": customer_id, "campaign_id": campaign_id})
    )["vouchers"]
    return None if not found else int(found[0]["gift"]["balance"])


def test_referee_redemption_rewards_referrer(
    http: httpx.Client, sdk: voucherify.ApiClient, server: RunningServer, project: Project
) -> None:
    """bob redeems ann's code: the order names ann as referrer, ann gets 500 credits and bob 100
    points; bob again counts no more; cat's redemption gives ann 500 more."""
    made = _setup(http)
    first = _redeem(sdk, made["code"], "bob")
    assert first.order.referrer_id == made["ann"]
    assert first.order.total_discount_amount == 1000
    assert _gift_balance(http, made["ann"], made["gifts"]["id"]) == 500
    bob = ok(http.get("/v1/customers/bob"))
    assert bob["referrals"]["total"] == 1
    assert bob["referrals"]["campaigns"][0]["referrer_id"] == made["ann"]
    assert bob["referrals"]["campaigns"][0]["related_object_id"] == first.redemptions[0].id
    bob_card = ok(
        http.get("/v1/vouchers", params={"customer": bob["id"], "campaign_id": made["club"]["id"]})
    )
    assert card(http, bob_card["vouchers"][0]["code"])["loyalty_card"]["balance"] == 100
    _redeem(sdk, made["code"], "bob")
    assert _gift_balance(http, made["ann"], made["gifts"]["id"]) == 500
    _redeem(sdk, made["code"], "cat")
    assert _gift_balance(http, made["ann"], made["gifts"]["id"]) == 1000
    ann = ok(http.get(f"/v1/customers/{made['ann']}"))
    assert ann["loyalty"]["referred_customers"] == 2
    assert ann["loyalty"]["campaigns"]["Refer"]["referred_customers"] == 2
    assert ok(http.get(f"/v1/rewards/{made['reward']['id']}"))["redeemed"] == 2
    orders = of_type(loyalty_events(server, project), "customer.order.created")
    assert [d["referrer"]["id"] for d in orders] == [made["ann"]] * 3
    summary = ok(http.get(f"/v1/campaigns/{made['campaign']['id']}/summary"))
    assert summary["referred_customers"] == 2
    rewarded = of_type(loyalty_events(server, project), "customer.rewarded")
    assert len(rewarded) == 2
    event = rewarded[0]
    assert event["customer"]["id"] == made["ann"]
    assert event["voucher"]["code"] == made["code"]
    assert event["voucher"]["is_referral_code"] is True
    assert event["campaign"]["id"] == made["campaign"]["id"]
    assert event["reward"]["id"] == made["reward"]["id"]
    assert event["reward"]["assignment_id"] == made["assignment"]["id"]
    assert event["balance"] == {"amount": 500}
    assert event["referral_tier"]["campaign_id"] == made["campaign"]["id"]
    assert event["redemption"]["id"] == first.redemptions[0].id


def test_referrer_cannot_redeem_own_code(http: httpx.Client) -> None:
    """ann redeeming the code published to her is 400 referrer_not_permitted_to_redeem."""
    made = _setup(http)
    body = {
        "redeemables": [{"object": "voucher", "id": made["code"]}],
        "customer": {"source_id": "ann"},
        "order": {"amount": 5000},
    }
    response = http.post("/v1/redemptions", json=body)
    assert response.status_code == 400
    assert response.json()["key"] == "referrer_not_permitted_to_redeem"
    validated = ok(http.post("/v1/validations", json=body))
    assert validated["valid"] is False
    reasons = [r["result"]["error"]["key"] for r in validated["inapplicable_redeemables"]]
    assert reasons == ["referrer_not_permitted_to_redeem"]
    assert _gift_balance(http, made["ann"], made["gifts"]["id"]) is None


def test_custom_event_conversion(
    http: httpx.Client, sdk: voucherify.ApiClient, server: RunningServer, project: Project
) -> None:
    """With a custom-event conversion, redeeming does not reward; the event with the code does,
    once per referee."""
    made = _setup(http, conversion_event_type="custom_event", custom_event={"name": "signed_up"})
    redeemed = _redeem(sdk, made["code"], "bob")
    assert redeemed.order.referrer_id == made["ann"]
    assert _gift_balance(http, made["ann"], made["gifts"]["id"]) is None
    other = {
        "event": "clicked",
        "customer": {"source_id": "bob"},
        "referral": {"code": made["code"]},
    }
    ok(http.post("/v1/events", json=other))
    assert _gift_balance(http, made["ann"], made["gifts"]["id"]) is None
    event = {
        "event": "signed_up",
        "customer": {"source_id": "bob"},
        "referral": {"code": made["code"]},
    }
    ok(http.post("/v1/events", json=event))
    ok(http.post("/v1/events", json=event))
    assert _gift_balance(http, made["ann"], made["gifts"]["id"]) == 500
    bob = ok(http.get("/v1/customers/bob"))
    assert bob["referrals"]["campaigns"][0]["related_object_type"] == "custom_event"
    tracked = of_type(loyalty_events(server, project), "customer.custom_event")
    signed = [d for d in tracked if d["event"]["type"] == "signed_up"]
    assert signed[0]["referral"]["referrer"]["id"] == made["ann"]
    assert signed[0]["referral"]["voucher"]["code"] == made["code"]
    assert signed[0]["referral"]["campaign"]["id"] == made["campaign"]["id"]
    rewarded = of_type(loyalty_events(server, project), "customer.rewarded")
    assert [d["custom_event"]["type"] for d in rewarded] == ["signed_up"]


def test_gift_credits_for_referee(http: httpx.Client, sdk: voucherify.ApiClient) -> None:
    """A GIFT_VOUCHER referee reward publishes a gift card of that campaign to the referee with
    the amount as its balance."""
    gifts = gift_campaign(http, name="Welcome cards")
    reward_spec = {
        "type": "GIFT_VOUCHER",
        "amount": 2500,
        "related_object_parent": {"id": gifts["name"], "object": "CAMPAIGN"},
    }
    campaign = referral_campaign(http, referee_reward=reward_spec)
    assert campaign["referral_program"]["referee_reward"]["related_object_parent"] == {
        "id": gifts["id"],
        "name": "Welcome cards",
        "object": "CAMPAIGN",
    }
    body = {"campaign": {"name": campaign["name"]}, "customer": {"source_id": "ann"}}
    code = ok(http.post("/v1/publications", json=body))["voucher"]["code"]
    _redeem(sdk, code, "dan")
    dan = ok(http.get("/v1/customers/dan"))
    assert _gift_balance(http, dan["id"], gifts["id"]) == 2500
