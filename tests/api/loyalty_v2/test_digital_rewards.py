"""``DIGITAL`` coupon and gift voucher rewards: a purchase publishes a code of the reward's
campaign to the member's customer (a gift voucher loaded with the balance), refused with
nothing spent when the campaign has no code left; a refund takes the gift balance back."""

from __future__ import annotations

from typing import Any

from tests.api.catalog_helpers import discount_campaign
from tests.api.loyalty_v2.helpers import card_definition, customer, earning_rule, member, points
from tests.api.reward_helpers import gift_campaign
from tests.support.loyalty_v2 import V2

BASE = "/v2/loyalties/rewards"


def _club(v2: V2, digital: dict[str, Any]) -> dict[str, Any]:
    """A programme offering a 100-point digital reward (refundable), member ann with 250."""
    wallet = card_definition(v2)["id"]
    body = {
        "name": "Prize",
        "type": "DIGITAL",
        "status": "ACTIVE",
        "digital": digital,
        "refunds": {"type": "REFUNDABLE"},
        "costs": [{"spending": [{"points": 100, "card_definition_id": wallet}]}],
    }
    reward = v2.ok("POST", BASE, json=body)
    assert reward["digital"] == digital
    rule = earning_rule(v2, [points(wallet, 1)])
    club = {
        "name": "Club",
        "status": "ACTIVE",
        "card_definitions": [{"id": wallet}],
        "earning_rules": [{"id": rule["id"]}],
        "rewards": [{"id": reward["id"], "stock": {"type": "UNLIMITED"}}],
    }
    program = v2.ok("POST", "/v2/loyalties/programs", json=club)
    ann = customer(v2, "ann")
    joined = member(v2, program["id"], ann["id"])
    card = joined["cards"][0]["card"]
    url = f"/v2/loyalties/programs/{program['id']}/members/{joined['id']}"
    v2.ok("POST", f"{url}/cards/{card['id']}/points", json={"points": 250})
    return {"reward": reward["id"], "url": url, "customer": ann["id"], "club": program["id"]}


def _points(v2: V2, url: str) -> int:
    found: int = v2.ok("GET", url)["cards"][0]["card"]["balance"]["points"]
    return found


def test_coupon_reward_publishes_a_code_until_none_is_left(v2: V2) -> None:
    """A dry run names no coupon; the purchase publishes the campaign's only code to ann and
    names it; the next purchase is 400 ``reward_not_available`` with no points spent."""
    campaign = discount_campaign(v2.client, "One", type="STATIC")
    added = v2.client.post(f"/v1/campaigns/{campaign['id']}/vouchers/ONE-1", json={})
    assert added.status_code == 200, added.text
    ids = _club(
        v2, {"type": "DISCOUNT_COUPONS", "discount_coupons": {"campaign_id": campaign["id"]}}
    )
    buy = f"{ids['url']}/rewards/purchases"
    dry = v2.ok("POST", buy, json={"reward_id": ids["reward"], "mode": "DRY_RUN"})
    assert dry["transaction"]["details"]["result"]["digital"] == {
        "type": "DISCOUNT_COUPONS",
        "discount_coupons": [],
    }
    bought = v2.ok("POST", buy, status=202, json={"reward_id": ids["reward"]})
    coupon = v2.client.get("/v1/vouchers/ONE-1").json()
    assert coupon["holder_id"] == ids["customer"]
    assert bought["transaction"]["details"]["result"]["digital"]["discount_coupons"] == [
        {"id": coupon["id"], "code": "ONE-1"}
    ]
    assert _points(v2, ids["url"]) == 150
    again = v2.post(buy, json={"reward_id": ids["reward"]})
    assert (again.status_code, again.json()["key"]) == (400, "reward_not_available")
    assert _points(v2, ids["url"]) == 150
    assert len(v2.ok("GET", buy)["data"]) == 1


def test_gift_reward_loads_the_balance_and_refund_takes_it_back(v2: V2) -> None:
    """A gift voucher reward with balance 1500: ann's new gift card holds 1500 and the result
    says so; the refund gives the points back and takes the 1500 off the card."""
    campaign = gift_campaign(v2.client)
    digital = {
        "type": "GIFT_VOUCHERS",
        "gift_vouchers": {"campaign_id": campaign["id"], "balance": 1_500},
    }
    ids = _club(v2, digital)
    bought = v2.ok(
        "POST", f"{ids['url']}/rewards/purchases", status=202, json={"reward_id": ids["reward"]}
    )
    (given,) = bought["transaction"]["details"]["result"]["digital"]["gift_vouchers"]
    assert (given["amount"], given["balance"]) == (1_500, 1_500)
    card = v2.client.get(f"/v1/vouchers/{given['code']}").json()
    assert (card["holder_id"], card["gift"]["balance"]) == (ids["customer"], 1_500)
    purchase = bought["transaction"]["id"]
    refund = f"/v2/loyalties/programs/{ids['club']}/rewards/purchases/{purchase}/refund"
    v2.ok("POST", refund, status=202, json={})
    assert v2.client.get(f"/v1/vouchers/{given['code']}").json()["gift"]["balance"] == 0
    assert _points(v2, ids["url"]) == 250


def test_digital_reward_campaign_is_checked(v2: V2) -> None:
    """A coupon reward naming a gift campaign, or a gift reward without balance, is 400."""
    gifts = gift_campaign(v2.client)
    wallet = card_definition(v2)["id"]
    costs = [{"spending": [{"points": 1, "card_definition_id": wallet}]}]
    for digital in (
        {"type": "DISCOUNT_COUPONS", "discount_coupons": {"campaign_id": gifts["id"]}},
        {"type": "GIFT_VOUCHERS", "gift_vouchers": {"campaign_id": gifts["id"]}},
    ):
        body = {"name": "P", "type": "DIGITAL", "digital": digital, "costs": costs}
        assert v2.post(BASE, json=body).status_code == 400, digital
    assert v2.ok("GET", BASE)["data"] == []
