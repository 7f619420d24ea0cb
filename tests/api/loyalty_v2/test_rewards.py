"""``/v2/loyalties/rewards``, programme reward stock, purchases and refunds."""

from __future__ import annotations

from typing import Any

from tests.api.loyalty_v2.helpers import (
    card_definition,
    customer,
    earning_rule,
    member,
    points,
)
from tests.support.loyalty_v2 import V2

BASE = "/v2/loyalties/rewards"


def _reward(v2: V2, wallet: str, cost: int, **extra: Any) -> dict[str, Any]:
    body = {
        "name": "Mug",
        "type": "MATERIAL",
        "status": "ACTIVE",
        "material": {"type": "PRODUCT", "product": {"id": "prod_mug"}},
        "costs": [{"spending": [{"points": cost, "card_definition_id": wallet}]}],
        **extra,
    }
    return v2.ok("POST", BASE, json=body)


def test_reward_lifecycle(v2: V2) -> None:
    """A reward keeps its costs with ids; deactivate/draft/activate; a coupon reward of an
    unknown campaign is 404."""
    wallet = card_definition(v2)
    reward = _reward(v2, wallet["id"], 100)
    assert reward["id"].startswith("lrew_")
    assert reward["costs"][0]["spending"][0]["points"] == 100
    assert reward["costs"][0]["id"].startswith("lrcst_")
    url = f"{BASE}/{reward['id']}"
    assert v2.ok("POST", f"{url}/deactivate")["status"] == "INACTIVE"
    assert v2.ok("POST", f"{url}/draft")["status"] == "DRAFT"
    assert v2.ok("POST", f"{url}/activate")["status"] == "ACTIVE"
    assert v2.ok("PUT", url, json={"name": "Cup"})["name"] == "Cup"
    assert v2.ok("GET", url)["name"] == "Cup"
    assert [r["id"] for r in v2.ok("GET", BASE)["data"]] == [reward["id"]]
    kinds = [a["type"] for a in v2.ok("GET", f"{url}/activities")["data"]]
    assert kinds[-1] == "vl.reward.created"
    coupons = {"type": "DISCOUNT_COUPONS", "discount_coupons": {"campaign_id": "camp_1"}}
    refused = v2.post(
        BASE, json={"name": "C", "type": "DIGITAL", "digital": coupons, "costs": reward["costs"]}
    )
    assert refused.status_code == 404
    assert refused.json()["key"] == "not_found"
    assert v2.ok("DELETE", url)["status"] == "DELETED"


def _club_with_reward(
    v2: V2, stock: dict[str, Any], **reward: Any
) -> tuple[str, str, dict[str, Any], dict[str, Any]]:
    wallet = card_definition(v2)
    gift = _reward(v2, wallet["id"], 100, **reward)
    rule = earning_rule(v2, [points(wallet["id"], 1)])
    body = {
        "name": "Club",
        "status": "ACTIVE",
        "card_definitions": [{"id": wallet["id"]}],
        "earning_rules": [{"id": rule["id"]}],
        "rewards": [{"id": gift["id"], "stock": stock}],
    }
    club = v2.ok("POST", "/v2/loyalties/programs", json=body)
    assert club["rewards"] == [{"id": gift["id"], "stock": stock}]
    joined = member(v2, club["id"], customer(v2, "ann")["id"])
    card = joined["cards"][0]["card"]
    url = f"/v2/loyalties/programs/{club['id']}/members/{joined['id']}"
    return club["id"], url, card, gift


def test_purchase_and_refund(v2: V2) -> None:
    """Buying spends the cost and counts against stock; out of stock and too few points are
    refused; a refund of a refundable reward gives the points and the stock back once."""
    club, url, card, gift = _club_with_reward(
        v2, {"type": "LIMITED", "limited": {"quantity": 1}}, refunds={"type": "REFUNDABLE"}
    )
    v2.ok("POST", f"{url}/cards/{card['id']}/points", json={"points": 250})
    dry = v2.ok(
        "POST", f"{url}/rewards/purchases", json={"reward_id": gift["id"], "mode": "DRY_RUN"}
    )
    assert (dry["status"], dry["transaction"]["details"]["points"]["total"]) == ("DRY_RUN", 100)
    bought = v2.ok("POST", f"{url}/rewards/purchases", status=202, json={"reward_id": gift["id"]})
    purchase_id = bought["transaction"]["id"]
    assert bought["transaction"]["details"]["result"]["material"]["product"] == {"id": "prod_mug"}
    again = v2.post(f"{url}/rewards/purchases", json={"reward_id": gift["id"]})
    assert (again.status_code, again.json()["key"]) == (400, "reward_not_available")
    rewards = v2.ok("GET", f"/v2/loyalties/programs/{club}/rewards")["data"]
    assert rewards[0]["redeemed"] == 1
    assert v2.ok("GET", url)["cards"][0]["card"]["balance"]["points"] == 150
    refund_url = f"/v2/loyalties/programs/{club}/rewards/purchases/{purchase_id}/refund"
    refunded = v2.ok("POST", refund_url, status=202, json={})
    assert refunded["transaction"]["type"] == "REFUND"
    assert v2.post(refund_url, json={}).status_code == 409
    assert v2.ok("GET", url)["cards"][0]["card"]["balance"]["points"] == 250
    assert v2.ok("GET", f"/v2/loyalties/programs/{club}/rewards")["data"][0]["redeemed"] == 0
    listed = v2.ok("GET", f"{url}/rewards/purchases")["data"]
    assert [(t["type"], t["status"]) for t in listed] == [
        ("REFUND", "APPROVED"),
        ("PURCHASE", "REFUNDED"),
    ]
    stock = {"stock": {"type": "LIMITED", "limited": {"quantity": 5}}}
    assert (
        v2.ok("PUT", f"/v2/loyalties/programs/{club}/rewards/{gift['id']}", json=stock)["stock"]
        == stock["stock"]
    )


def test_refusals(v2: V2) -> None:
    """Too few points is 400 ``not_enough_points`` with nothing spent; a reward that is not
    refundable refunds only with ``policies.refund: ALLOW``."""
    club, url, card, gift = _club_with_reward(v2, {"type": "UNLIMITED"})
    poor = v2.post(f"{url}/rewards/purchases", json={"reward_id": gift["id"]})
    assert (poor.status_code, poor.json()["key"]) == (400, "not_enough_points")
    v2.ok("POST", f"{url}/cards/{card['id']}/points", json={"points": 100})
    bought = v2.ok("POST", f"{url}/rewards/purchases", status=202, json={"reward_id": gift["id"]})
    refund_url = (
        f"/v2/loyalties/programs/{club}/rewards/purchases/{bought['transaction']['id']}/refund"
    )
    assert v2.post(refund_url, json={}).status_code == 400
    allowed = v2.ok(
        "POST", refund_url, status=202, json={"policies": {"refund": "ALLOW", "stock": "WRITE_OFF"}}
    )
    assert allowed["status"] == "APPROVED"
    assert v2.ok("GET", f"/v2/loyalties/programs/{club}/rewards")["data"][0]["redeemed"] == 1
    assert v2.post(f"{url}/rewards/purchases", json={"reward_id": "lrew_00"}).status_code == 404


def test_examine_rewards(v2: V2) -> None:
    """Examine says which rewards each card can buy: unavailable with the missing points,
    then available once the card holds them; nothing is written."""
    _club, url, card, gift = _club_with_reward(v2, {"type": "UNLIMITED"})
    body = {"customer_identification": {"type": "customer_source_id", "customer_source_id": "ann"}}
    found = v2.ok("POST", "/v2/loyalties/examine/rewards", json=body)
    assert [r["id"] for r in found["rewards"]] == [gift["id"]]
    (estimate,) = found["memberships"][0]["cards"][0]["rewards"]
    assert estimate["status"] == "UNAVAILABLE"
    assert estimate["unavailability_reasons"][0]["details"] == {
        "required": 100,
        "available": 0,
        "missing": 100,
    }
    v2.ok("POST", f"{url}/cards/{card['id']}/points", json={"points": 120})
    again = v2.ok("POST", "/v2/loyalties/examine/rewards", json=body)
    assert again["memberships"][0]["cards"][0]["rewards"][0]["status"] == "AVAILABLE"
    assert v2.ok("GET", f"{url}/rewards/purchases")["data"] == []
    unknown = {"customer_identification": {"type": "member_id", "member_id": "lmbr_00"}}
    assert v2.post("/v2/loyalties/examine/rewards", json=unknown).status_code == 404


def test_batch_reward_assignments(v2: V2) -> None:
    """Rewards are offered and withdrawn in batches, each with its stock; a reward offered
    twice is 409 and the batch changes nothing."""
    wallet = card_definition(v2)
    first, second = _reward(v2, wallet["id"], 10), _reward(v2, wallet["id"], 20)
    club = v2.ok("POST", "/v2/loyalties/programs", json={"name": "Club"})
    url = f"/v2/loyalties/programs/{club['id']}/rewards"
    unlimited = {"type": "UNLIMITED"}
    body = {
        "assign": [
            {"id": first["id"], "stock": unlimited},
            {"id": second["id"], "stock": unlimited},
        ]
    }
    done = v2.ok("POST", f"{url}/batch", json=body)
    assert [a["reward_id"] for a in done["assigned"]] == [first["id"], second["id"]]
    assert v2.post(f"{url}/batch", json={"assign": body["assign"][:1]}).status_code == 409
    swap = {"unassign": [{"id": first["id"]}]}
    assert v2.ok("POST", f"{url}/batch", json=swap)["unassigned"][0]["reward_id"] == first["id"]
    assert [a["reward_id"] for a in v2.ok("GET", url)["data"]] == [second["id"]]
