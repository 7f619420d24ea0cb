"""Rewards: CRUD, assignments with a points cost, buying rewards with points, rollbacks."""

from __future__ import annotations

from typing import Any

import httpx

from tests.api.loyalty_helpers import card, join, loyalty_events, of_type, ok, programme
from tests.api.reward_helpers import (
    add_points,
    assign,
    buy,
    coupon_campaign,
    gift_campaign,
    reward,
    transactions,
)
from tests.support.server import Project, RunningServer


def test_reward_crud(http: httpx.Client) -> None:
    """Rewards of each type are created, read, changed, listed and deleted."""
    coupons = coupon_campaign(http)
    made = reward(http, {"campaign": {"id": coupons["id"]}}, name="Coupon", metadata={"k": 1})
    assert (made["type"], made["parameters"]) == (
        "CAMPAIGN",
        {"campaign": {"id": coupons["id"], "type": "DISCOUNT_COUPONS"}},
    )
    assert made["id"].startswith("rew_")
    assert made["redeemed"] == 0
    assert made["object"] == "reward"
    coin = reward(http, {"coin": {"exchange_ratio": "0.5", "points_ratio": "10"}}, name="Coin")
    assert coin["parameters"] == {"coin": {"exchange_ratio": 0.5, "points_ratio": 10}}
    product = ok(http.post("/v1/products", json={"name": "Mug", "source_id": "mug", "price": 900}))
    mug = reward(http, {"product": {"id": "mug"}}, name="Mug", stock=3)
    assert (mug["type"], mug["stock"], mug["parameters"]["product"]["id"]) == (
        "MATERIAL",
        3,
        product["id"],
    )
    changed = ok(http.put(f"/v1/rewards/{mug['id']}", json={"name": "Big mug", "stock": 5}))
    assert (changed["name"], changed["stock"], changed["updated_at"] is not None) == (
        "Big mug",
        5,
        True,
    )
    assert ok(http.get(f"/v1/rewards/{coin['id']}"))["name"] == "Coin"
    listed = ok(http.get("/v1/rewards"))
    assert [r["id"] for r in listed["data"]] == [made["id"], coin["id"], mug["id"]]
    assert listed["total"] == 3
    assert http.delete(f"/v1/rewards/{coin['id']}").status_code == 204
    assert http.get(f"/v1/rewards/{coin['id']}").status_code == 404
    wrong = http.put(f"/v1/rewards/{mug['id']}", json={"parameters": {"coin": {}}})
    assert wrong.status_code == 400


def test_assignments(http: httpx.Client) -> None:
    """A reward is offered by a programme for a points cost; both paths manage assignments."""
    club = programme(http)
    coupons = coupon_campaign(http)
    made = reward(http, {"campaign": {"id": coupons["id"]}})
    body = {"campaign": club["id"], "parameters": {"loyalty": {"points": 300}}}
    first = ok(http.post(f"/v1/rewards/{made['id']}/assignments", json=body))
    assert first == {
        "id": first["id"],
        "reward_id": made["id"],
        "created_at": first["created_at"],
        "updated_at": None,
        "object": "reward_assignment",
        "related_object_id": club["id"],
        "related_object_type": "campaign",
        "parameters": {"loyalty": {"points": 300, "auto_redeem": False}},
    }
    again = http.post(f"/v1/rewards/{made['id']}/assignments", json=body)
    assert again.status_code == 409
    url = f"/v1/loyalties/{club['id']}/rewards/{first['id']}"
    moved = ok(http.put(url, json={"parameters": {"loyalty": {"points": 250}}}))
    assert moved["parameters"]["loyalty"]["points"] == 250
    assert ok(http.get(url))["id"] == first["id"]
    both = f"/v1/loyalties/{club['id']}/reward-assignments"
    assert [a["id"] for a in ok(http.get(both))["data"]] == [first["id"]]
    assert ok(http.get(f"{both}/{first['id']}/reward"))["id"] == made["id"]
    assert ok(http.get(f"/v1/rewards/{made['id']}/assignments"))["total"] == 1
    assert ok(http.get("/v1/rewards", params={"assignment_id": first["id"]}))["total"] == 1
    assert http.delete(url).status_code == 204
    assert ok(http.get(both))["total"] == 0
    assert http.get(url).status_code == 404


def test_member_rewards_affordable(http: httpx.Client) -> None:
    """A member sees the programme's rewards; affordable_only keeps those their points pay."""
    club = programme(http)
    code = join(http, club["id"], "amy")["code"]
    coupons = coupon_campaign(http)
    cheap = reward(http, {"campaign": {"id": coupons["id"]}}, name="Cheap")
    dear = reward(
        http, {"product": {"id": ok(http.post("/v1/products", json={"name": "TV"}))["id"]}}
    )
    assign(http, club["id"], cheap["id"], 100)
    assign(http, club["id"], dear["id"], 5000)
    add_points(http, code, 150)
    every = ok(http.get(f"/v1/loyalties/members/{code}/rewards"))
    assert [(i["reward"]["id"], i["object"]) for i in every["data"]] == [
        (cheap["id"], "loyalty_reward"),
        (dear["id"], "loyalty_reward"),
    ]
    params = {"affordable_only": "true"}
    affordable = ok(http.get(f"/v1/loyalties/members/{code}/rewards", params=params))
    assert [i["reward"]["name"] for i in affordable["data"]] == ["Cheap"]
    assert affordable["data"][0]["assignment"]["parameters"]["loyalty"]["points"] == 100


def test_coupon_reward_bought_and_rolled_back(
    http: httpx.Client, server: RunningServer, project: Project
) -> None:
    """Buying a coupon spends the cost, publishes a coupon to the member, shows as a redemption;
    the rollback refunds the points into the same bucket."""
    club = programme(http)
    code = join(http, club["id"], "bea")["code"]
    coupons = coupon_campaign(http)
    made = reward(http, {"campaign": {"id": coupons["id"]}}, name="5 off")
    offer = assign(http, club["id"], made["id"], 200)
    add_points(http, code, 500)
    before = ok(http.get(f"/v1/loyalties/{club['id']}/members/{code}/points-expiration"))["data"]
    bought = ok(buy(http, code, made["id"], metadata={"channel": "app"}))
    assert (bought["object"], bought["result"], bought["status"]) == (
        "redemption",
        "SUCCESS",
        "SUCCEEDED",
    )
    assert bought["loyalty_card"] == {"points": 200}
    assert (bought["reward"]["id"], bought["reward"]["assignment_id"]) == (made["id"], offer["id"])
    coupon = bought["reward"]["voucher"]
    assert coupon["campaign_id"] == coupons["id"]
    assert coupon["holder_id"] == card(http, code)["holder_id"]
    assert card(http, code)["loyalty_card"]["balance"] == 300
    assert ok(http.get(f"/v1/rewards/{made['id']}"))["redeemed"] == 1
    listed = ok(http.get("/v1/redemptions", params={"voucher": code}))["redemptions"]
    assert bought["id"] in [r["id"] for r in listed]
    spent = transactions(http, code)[-1]
    assert spent["type"] == "POINTS_REDEMPTION"
    assert spent["details"]["reward"] == {"id": made["id"], "name": "5 off"}
    assert spent["details"]["redemption"] == {"id": bought["id"]}
    assert spent["details"]["balance"]["points"] == -200
    rolled = ok(http.post(f"/v1/redemptions/{bought['id']}/rollback", json={"reason": "oops"}))
    assert rolled["loyalty_card"] == {"points": -200}
    refund = transactions(http, code)[-1]
    assert (refund["type"], refund["related_transaction_id"]) == ("POINTS_REFUND", spent["id"])
    assert refund["details"]["rollback"] == {"id": rolled["id"]}
    assert refund["details"]["balance"]["balance"] == 500
    assert card(http, code)["loyalty_card"]["balance"] == 500
    after = ok(http.get(f"/v1/loyalties/{club['id']}/members/{code}/points-expiration"))["data"]
    assert [(b["id"], b["expires_at"], b["bucket"]) for b in after] == [
        (b["id"], b["expires_at"], b["bucket"]) for b in before
    ]
    assert ok(http.get(f"/v1/rewards/{made['id']}"))["redeemed"] == 0
    rows = loyalty_events(server, project)
    rewarded = of_type(rows, "customer.rewarded")
    assert len(rewarded) == 1
    assert rewarded[0]["reward"]["voucher"]["code"] == coupon["code"]
    added = of_type(rows, "customer.voucher.loyalty_card.points_added")
    assert [d["balance"]["points"] for d in added] == [500, 200]
    assert added[-1]["transaction"]["type"] == "POINTS_REFUND"


def test_gift_and_points_rewards(
    http: httpx.Client, server: RunningServer, project: Project
) -> None:
    """Gift credits go onto a gift card published to the member; points onto their card of
    another programme (enrolled on the way), with customer.rewarded.loyalty_points."""
    club = programme(http)
    other = programme(http, "Partner club")
    code = join(http, club["id"], "cid")["code"]
    gifts = gift_campaign(http)
    credits = reward(http, {"campaign": {"id": gifts["id"], "balance": 2500}}, name="Credits")
    partner = reward(http, {"campaign": {"id": other["id"], "balance": 70}}, name="Partner")
    assign(http, club["id"], credits["id"], 100)
    assign(http, club["id"], partner["id"], 50)
    add_points(http, code, 300)
    gift = ok(buy(http, code, credits["id"]))["reward"]["voucher"]
    assert gift["gift"]["balance"] == 2500
    assert gift["campaign_id"] == gifts["id"]
    again = ok(buy(http, code, credits["id"]))["reward"]["voucher"]
    assert (again["code"], again["gift"]["balance"]) == (gift["code"], 5000)
    points = ok(buy(http, code, partner["id"]))["reward"]["voucher"]
    assert points["campaign_id"] == other["id"]
    assert points["loyalty_card"]["balance"] == 70
    assert card(http, code)["loyalty_card"]["balance"] == 50
    rows = loyalty_events(server, project)
    loyalty_points = of_type(rows, "customer.rewarded.loyalty_points")
    assert [(d["voucher"]["code"], d["balance"]["points"]) for d in loyalty_points] == [
        (points["code"], 70)
    ]
    rewarded = of_type(rows, "customer.rewarded")
    assert [d["balance"] for d in rewarded] == [{"amount": 2500}, {"amount": 2500}, {"points": 70}]


def test_material_reward_stock(http: httpx.Client) -> None:
    """A material reward has a stock; a rollback returns the unit."""
    club = programme(http)
    code = join(http, club["id"], "dot")["code"]
    product = ok(http.post("/v1/products", json={"name": "Bottle", "source_id": "btl"}))
    bottle = reward(http, {"product": {"id": product["id"]}}, name="Bottle", stock=1)
    assign(http, club["id"], bottle["id"], 10)
    add_points(http, code, 100)
    first = ok(buy(http, code, bottle["id"]))
    assert first["reward"]["product"] == {"id": product["id"], "source_id": "btl", "name": "Bottle"}
    second = buy(http, code, bottle["id"])
    assert (second.status_code, second.json()["key"]) == (400, "quantity_exceeded")
    assert card(http, code)["loyalty_card"]["balance"] == 90
    ok(http.post(f"/v1/redemptions/{first['id']}/rollback", json={}))
    assert ok(buy(http, code, bottle["id"]))["reward"]["id"] == bottle["id"]


def test_bad_reward_redemptions_change_nothing(http: httpx.Client) -> None:
    """Too expensive, unknown, of another programme, self-rewarding: clear 4xx, nothing written."""
    club = programme(http)
    other = programme(http, "Other club")
    code = join(http, club["id"], "eli")["code"]
    coupons = coupon_campaign(http)
    made = reward(http, {"campaign": {"id": coupons["id"]}})
    assign(http, club["id"], made["id"], 200)
    add_points(http, code, 199)
    dear = buy(http, code, made["id"])
    assert (dear.status_code, dear.json()["key"]) == (400, "loyalty_card_points_exceeded")
    unknown = buy(http, code, "rew_nothing")
    assert (unknown.status_code, unknown.json()["key"]) == (404, "not_found")
    foreign = reward(http, {"campaign": {"id": coupons["id"]}}, name="Foreign")
    offer = assign(http, other["id"], foreign["id"], 1)
    assert buy(http, code, foreign["id"]).status_code == 400
    assert buy(http, code, offer["id"]).status_code == 400
    missing = http.post(f"/v1/loyalties/members/{code}/redemption", json={})
    assert (missing.status_code, missing.json()["key"]) == (400, "missing_reward")
    itself = reward(http, {"campaign": {"id": club["id"], "balance": 10}})
    assert (
        http.post(
            f"/v1/loyalties/{club['id']}/rewards",
            json=[{"reward": itself["id"], "parameters": {"loyalty": {"points": 1}}}],
        ).status_code
        == 400
    )
    bad_coin = http.post(
        "/v1/rewards", json={"parameters": {"coin": {"exchange_ratio": 0, "points_ratio": 1}}}
    )
    assert bad_coin.status_code == 400
    no_cost = http.post(f"/v1/loyalties/{club['id']}/rewards", json=[{"reward": made["id"]}])
    assert no_cost.status_code in {400, 409}
    assert card(http, code)["loyalty_card"]["balance"] == 199
    assert [t["type"] for t in transactions(http, code)] == ["POINTS_ADDITION"]
    assert ok(http.get(f"/v1/rewards/{made['id']}"))["redeemed"] == 0
    assert ok(http.get("/v1/redemptions"))["total"] == 0


def _coin(http: httpx.Client, club: dict[str, Any]) -> dict[str, Any]:
    coin = reward(http, {"coin": {"exchange_ratio": 1, "points_ratio": 10}}, name="Pay")
    assign(http, club["id"], coin["id"], None)
    return coin


def test_pay_with_points(http: httpx.Client, server: RunningServer, project: Project) -> None:
    """A loyalty card with a COIN reward pays part of an order (10 points = 1.00); validation
    reports it; the rollback refunds the points."""
    club = programme(http)
    code = join(http, club["id"], "fay")["code"]
    coin = _coin(http, club)
    add_points(http, code, 1000)
    stack = [{"object": "voucher", "id": code, "reward": {"id": coin["id"], "points": 300}}]
    body = {"redeemables": stack, "order": {"amount": 5000}, "customer": {"source_id": "fay"}}
    checked = ok(http.post("/v1/validations", json=body))
    assert checked["valid"] is True
    assert checked["redeemables"][0]["result"] == {"loyalty_card": {"points": 300}}
    assert checked["order"]["total_amount"] == 2000
    paid = ok(http.post("/v1/redemptions", json=body))
    (child,) = paid["redemptions"]
    assert child["loyalty_card"] == {"points": 300}
    assert child["reward"]["id"] == coin["id"]
    assert paid["order"]["discount_amount"] == 3000
    assert paid["order"]["total_amount"] == 2000
    assert card(http, code)["loyalty_card"]["balance"] == 700
    spent = transactions(http, code)[-1]
    assert (spent["type"], spent["details"]["order"]["id"]) == (
        "POINTS_REDEMPTION",
        paid["order"]["id"],
    )
    assert spent["details"]["reward"] == {"id": coin["id"], "name": "Pay"}
    big = {**body, "order": {"amount": 1234}}
    capped = ok(http.post("/v1/redemptions", json=big))
    assert capped["redemptions"][0]["loyalty_card"] == {"points": 124}
    assert capped["order"]["total_amount"] == 0
    assert card(http, code)["loyalty_card"]["balance"] == 576
    ok(http.post(f"/v1/redemptions/{child['id']}/rollback", json={}))
    assert card(http, code)["loyalty_card"]["balance"] == 876
    loyalty_events(server, project)


def test_pay_with_points_bad_input(http: httpx.Client) -> None:
    """Pay with points needs a COIN reward of the card's programme and points it holds."""
    club = programme(http)
    code = join(http, club["id"], "gus")["code"]
    coin = _coin(http, club)
    other = _coin(http, programme(http, "Elsewhere"))
    add_points(http, code, 50)
    for entry, key in (
        ({}, "missing_reward"),
        ({"reward": {"id": other["id"], "points": 10}}, "reward_not_found"),
        ({"reward": {"id": coin["id"], "points": 51}}, "loyalty_card_points_exceeded"),
    ):
        body = {"redeemables": [{"id": code, **entry}], "order": {"amount": 1000}}
        response = http.post("/v1/redemptions", json=body)
        assert (response.status_code, response.json()["key"]) == (400, key)
    assert card(http, code)["loyalty_card"]["balance"] == 50
