"""Reward redemptions, pay with points and referral holders answer with every field the spec's
examples show."""

from __future__ import annotations

from typing import Any

import httpx

from tests.api.loyalty_helpers import card, join, ok, programme
from tests.api.reward_helpers import add_points, assign, buy, coupon_campaign, reward
from tests.api.test_referral_holders import _published


def _coin(http: httpx.Client, club: dict[str, Any]) -> dict[str, Any]:
    coin = reward(http, {"coin": {"exchange_ratio": 20, "points_ratio": 100}}, name="100 = $20")
    assign(http, club["id"], coin["id"], None)
    return coin


def test_member_pays_with_a_number_of_points(http: httpx.Client) -> None:
    """The spec's "Redeem Pay with Points Reward with a specific number of Points": 100 points
    at 100 = $20 take 2000 off a 45000 order; ``amount`` is the points, the order shows what
    was applied."""
    club = programme(http)
    code = join(http, club["id"], "bob")["code"]
    coin = _coin(http, club)
    add_points(http, code, 5474)
    paid = ok(buy(http, code, coin["id"], reward={"points": 100}, order={"amount": 45000}))
    assert paid["amount"] == 100
    assert paid["loyalty_card"] == {"points": 100}
    order = paid["order"]
    assert (order["amount"], order["discount_amount"], order["total_amount"]) == (
        45000,
        2000,
        43000,
    )
    assert (order["applied_discount_amount"], order["total_applied_discount_amount"]) == (
        2000,
        2000,
    )
    entry = order["redemptions"][paid["id"]]
    assert (entry["related_object_id"], entry["related_object_parent_id"]) == (
        paid["voucher"]["id"],
        club["id"],
    )
    assert paid["voucher"]["loyalty_card"]["balance"] == 5374
    again = ok(http.get(f"/v1/redemptions/{paid['id']}"))
    assert (again["amount"], again["order"]["applied_discount_amount"]) == (100, 2000)


def test_reward_redemption_amount_is_its_points_and_rollback_gives_them_back(
    http: httpx.Client,
) -> None:
    """A coupon reward costing 2 points: the redemption's ``amount`` is 2, its rollback's -2,
    and the points return to the card."""
    club = programme(http)
    code = join(http, club["id"], "bob")["code"]
    coupon = reward(http, {"campaign": {"id": coupon_campaign(http)["id"]}})
    assign(http, club["id"], coupon["id"], 2)
    add_points(http, code, 10)
    bought = ok(buy(http, code, coupon["id"]))
    assert bought["amount"] == 2
    assert card(http, code)["loyalty_card"]["balance"] == 8
    undone = ok(http.post(f"/v1/redemptions/{bought['id']}/rollback", json={}))
    assert undone["amount"] == -2
    assert card(http, code)["loyalty_card"]["balance"] == 10


def test_stacked_pay_with_points_amount(http: httpx.Client) -> None:
    """Paying with a card in ``POST /v1/redemptions``: the child's ``amount`` is the points."""
    club = programme(http)
    code = join(http, club["id"], "fay")["code"]
    coin = _coin(http, club)
    add_points(http, code, 1000)
    stack = [{"object": "voucher", "id": code, "reward": {"id": coin["id"], "points": 300}}]
    body = {"redeemables": stack, "order": {"amount": 50000}, "customer": {"source_id": "fay"}}
    paid = ok(http.post("/v1/redemptions", json=body))
    (child,) = paid["redemptions"]
    assert (child["amount"], child["order"]["applied_discount_amount"]) == (300, 6000)


def test_referral_holders_keep_their_metadata(http: httpx.Client) -> None:
    """Holders added with ``metadata`` keep it in the answer and the listing."""
    made = _published(http)
    code = made["voucher"]["code"]
    body = {"holders": [{"source_id": "bob"}], "metadata": {"channel": "shop"}}
    added = ok(http.post(f"/v1/referrals/members/{code}/holders", json=body))
    assert [h["metadata"] for h in added["holders"]] == [{"channel": "shop"}]
    listed = ok(http.get(f"/v1/referrals/members/{code}/holders"))["data"]
    assert sorted(str(h["metadata"]) for h in listed) == ["{'channel': 'shop'}", "{}"]
