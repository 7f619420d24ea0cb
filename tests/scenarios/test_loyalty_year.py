"""A merchant's year with a loyalty programme: members join, orders accrue points, a manual
bonus, a transfer, a removal, a reward bought with points and rolled back, tiers move, and
unspent points expire after 12 months."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import httpx

from openvoucher.loyalty.points_expiration import expire_due_points
from tests.api.loyalty_helpers import (
    card,
    clock_at,
    join,
    loyalty_events,
    of_type,
    ok,
    order_rule,
    pay,
    programme,
)
from tests.api.reward_helpers import assign, buy, coupon_campaign, reward
from tests.support.server import Project, RunningServer

START = datetime(2025, 1, 15, 10, 0, tzinfo=UTC)


def _tiers(http: httpx.Client, campaign_id: str, rule_id: str) -> list[dict[str, Any]]:
    body = [
        {"name": "Bronze", "points": {"from": 0, "to": 499}},
        {
            "name": "Silver",
            "points": {"from": 500, "to": 999},
            "earning_rules": {rule_id: {"type": "MULTIPLY", "multiplier": 2}},
        },
        {"name": "Gold", "points": {"from": 1000, "to": None}},
    ]
    created: list[dict[str, Any]] = ok(http.post(f"/v1/loyalties/{campaign_id}/tiers", json=body))
    return created


def _balance(http: httpx.Client, code: str, points: int, **extra: Any) -> dict[str, Any]:
    body = {"points": points, **extra}
    found: dict[str, Any] = ok(http.post(f"/v1/loyalties/members/{code}/balance", json=body))
    return found


def _buckets(http: httpx.Client, campaign_id: str, code: str) -> list[tuple[str, int]]:
    url = f"/v1/loyalties/{campaign_id}/members/{code}/points-expiration"
    body = ok(http.get(url))
    return [(b["expires_at"], b["bucket"]["total_points"]) for b in body["data"]]


def _at(server: RunningServer, *parts: int) -> None:
    server.clock.set(datetime(*parts, tzinfo=UTC))  # type: ignore[misc]


def _first_half(server: RunningServer, http: httpx.Client, club: dict[str, Any]) -> tuple[str, str]:
    alice = join(http, club["id"], "alice")["code"]
    bob = join(http, club["id"], "bob")["code"]
    pay(http, "alice", 25_000)  # 250 points
    pay(http, "bob", 9_999)  # 99 points (rounded down)
    _at(server, 2025, 2, 15, 9)
    added = _balance(http, alice, 300, reason="Spring time", source_id="bonus-1")
    assert added == {
        "points": 300,
        "total": 550,
        "balance": 550,
        "type": "loyalty_card",
        "object": "balance",
        "related_object": {"id": card(http, alice)["id"], "type": "voucher"},
        "operation_type": "MANUAL",
    }
    _at(server, 2025, 3, 10, 12)
    pay(http, "alice", 10_000)  # 100 points, doubled in Silver
    _at(server, 2025, 4, 1, 8)
    moved = ok(
        http.post(
            f"/v1/loyalties/{club['id']}/members/{alice}/transfers",
            json=[{"code": bob, "points": 50, "reason": "family pooling"}],
        )
    )
    assert moved["loyalty_card"]["balance"] == 800
    _at(server, 2025, 5, 1, 8)
    removed = _balance(http, alice, -100, reason="correction")
    assert (removed["points"], removed["total"], removed["balance"]) == (-100, 800, 700)
    return alice, bob


def _reward_round_trip(
    server: RunningServer, http: httpx.Client, club: dict[str, Any], alice: str
) -> None:
    """Alice buys a 200-point coupon (soonest-expiring points first) and the merchant rolls the
    redemption back: the points return to the very buckets they left."""
    _at(server, 2025, 6, 1, 9)
    coupon = reward(http, {"campaign": {"id": coupon_campaign(http)["id"]}}, name="Coupon")
    assign(http, club["id"], coupon["id"], 200)
    bought = ok(buy(http, alice, coupon["id"]))
    assert bought["loyalty_card"] == {"points": 200}
    assert card(http, alice)["loyalty_card"]["balance"] == 500
    assert _buckets(http, club["id"], alice) == [
        ("2026-02-15", 250),
        ("2026-03-10", 200),
        ("2026-04-01", 50),
    ]
    rolled = ok(http.post(f"/v1/redemptions/{bought['id']}/rollback", json={"reason": "returned"}))
    assert rolled["loyalty_card"] == {"points": -200}
    assert card(http, alice)["loyalty_card"]["balance"] == 700
    assert ok(http.get(f"/v1/rewards/{coupon['id']}"))["redeemed"] == 0


def test_merchants_year(http: httpx.Client, server: RunningServer, project: Project) -> None:
    """Points accrue, move and expire as Voucherify describes; every balance, bucket and event
    carries the exact numbers."""
    with clock_at(server, START):
        club = programme(http)
        rule = order_rule(http, club["id"])
        tiers = {t["name"]: t for t in _tiers(http, club["id"], rule["id"])}
        alice, bob = _first_half(server, http, club)
        _reward_round_trip(server, http, club, alice)
        alice_card = card(http, alice)
        assert alice_card["loyalty_card"] == {
            "points": 800,
            "balance": 700,
            "next_expiration_date": "2026-01-15",
            "next_expiration_points": 150,
            "expired_points": 0,
            "subtracted_points": 100,
        }
        assert card(http, bob)["loyalty_card"]["balance"] == 49
        assert _buckets(http, club["id"], alice) == [
            ("2026-01-15", 150),
            ("2026-02-15", 300),
            ("2026-03-10", 200),
            ("2026-04-01", 50),
        ]
        assert _buckets(http, club["id"], bob) == [("2026-01-15", 49)]
        _at(server, 2026, 1, 16, 0, 0, 1)
        assert expire_due_points(server.container.uow, project.id, server.clock.now()) == 2
        assert card(http, alice)["loyalty_card"]["balance"] == 550
        assert card(http, bob)["loyalty_card"] == {
            "points": 99,
            "balance": 0,
            "next_expiration_date": None,
            "next_expiration_points": None,
            "expired_points": 49,
            "subtracted_points": 50,
        }
        _at(server, 2026, 4, 2, 0, 30)
        assert expire_due_points(server.container.uow, project.id, server.clock.now()) == 3
        assert expire_due_points(server.container.uow, None, server.clock.now()) == 0
        assert card(http, alice)["loyalty_card"]["balance"] == 0
        assert _buckets(http, club["id"], alice) == []
        _check_ledger(http, alice, bob)
        _check_events(server, project, alice_card, tiers)
        _check_tiers(http, alice, bob, tiers)


def _check_ledger(http: httpx.Client, alice: str, bob: str) -> None:
    body = ok(
        http.get(
            f"/v1/loyalties/members/{alice}/transactions", params={"order": "id", "limit": 100}
        )
    )
    kinds = [
        (t["type"], t["details"]["balance"]["points"], t["details"]["balance"]["balance"])
        for t in body["data"]
    ]
    assert kinds == [
        ("POINTS_ACCRUAL", 250, 250),
        ("POINTS_ADDITION", 300, 550),
        ("POINTS_ACCRUAL", 200, 750),
        ("POINTS_TRANSFER_IN", 50, 800),
        ("POINTS_REMOVAL", -100, 700),
        ("POINTS_REDEMPTION", -200, 500),
        ("POINTS_REFUND", 200, 700),
        ("POINTS_EXPIRATION", -150, 550),
        ("POINTS_EXPIRATION", -550, 0),
    ]
    accrual = body["data"][2]
    assert accrual["details"]["loyalty_tier"]["name"] == "Silver"
    assert accrual["details"]["earning_rule"]["source"] == {"banner": "Basic points"}
    assert accrual["source"] == "Automation"
    assert body["data"][3]["details"]["source_voucher"]["code"] == bob
    bob_rows = ok(http.get(f"/v1/loyalties/members/{bob}/transactions", params={"order": "id"}))[
        "data"
    ]
    assert [(t["type"], t["details"]["balance"]["points"]) for t in bob_rows] == [
        ("POINTS_ACCRUAL", 99),
        ("POINTS_TRANSFER_OUT", -50),
        ("POINTS_EXPIRATION", -49),
    ]
    assert body["data"][3]["related_transaction_id"] == bob_rows[1]["id"]
    for rows, code in ((body["data"], alice), (bob_rows, bob)):
        replayed = sum(t["details"]["balance"]["points"] for t in rows)
        assert replayed == card(http, code)["loyalty_card"]["balance"]


def _check_events(
    server: RunningServer, project: Project, alice_card: dict[str, Any], tiers: dict[str, Any]
) -> None:
    rows = loyalty_events(server, project)
    created = of_type(rows, "voucher.loyalty_card.transaction.created")
    types = [d["transaction"]["type"] for d in created]
    assert sorted(set(types)) == [
        "POINTS_ACCRUAL",
        "POINTS_ADDITION",
        "POINTS_EXPIRATION",
        "POINTS_REDEMPTION",
        "POINTS_REFUND",
        "POINTS_REMOVAL",
        "POINTS_TRANSFER_IN",
        "POINTS_TRANSFER_OUT",
    ]
    assert len(created) == 12
    refund = next(d for d in created if d["transaction"]["type"] == "POINTS_REFUND")
    spent = next(d for d in created if d["transaction"]["type"] == "POINTS_REDEMPTION")
    assert refund["transaction"]["related_transaction_id"] == spent["transaction"]["id"]
    assert refund["rollback"]["id"].startswith("rr_")
    assert spent["reward"]["name"] == "Coupon"
    (bought,) = of_type(rows, "customer.rewarded")
    assert bought["redemption"]["id"] == spent["redemption"]["id"]
    first = created[0]
    assert first["holder"]["source_id"] == "alice"
    assert first["order"]["amount"] == 25_000
    assert first["event"]["type"] == "customer.order.paid"
    assert (
        first["earning_rule"]["parameters"]["loyalty"]["calculation_type"] == "ORDER_TOTAL_AMOUNT"
    )
    assert first["holder_loyalty_tier"]["name"] == "Bronze"
    assert first["balance"]["points"] == 250
    silver = next(
        d
        for d in created
        if d["transaction"]["type"] == "POINTS_ACCRUAL" and d["balance"]["points"] == 200
    )
    assert silver["loyalty_tier"]["id"] == tiers["Silver"]["id"]
    out = next(d for d in created if d["transaction"]["type"] == "POINTS_TRANSFER_OUT")
    assert out["destination_voucher"]["code"] == alice_card["code"]
    added = of_type(rows, "customer.voucher.loyalty_card.points_added")
    assert [(d["customer"]["source_id"], d["balance"]["points"]) for d in added] == [
        ("alice", 250),
        ("bob", 99),
        ("alice", 300),
        ("alice", 200),
        ("alice", 50),
        ("alice", 200),
    ]
    assert added[2]["transaction"]["reason"] == "Spring time"
    assert added[5]["transaction"]["type"] == "POINTS_REFUND"
    assert len(of_type(rows, "voucher.loyalty_card.points_added")) == 6
    expired = of_type(rows, "voucher.loyalty_card.points_expired")
    assert sorted((d["customer"]["source_id"], d["points"]) for d in expired) == [
        ("alice", 50),
        ("alice", 150),
        ("alice", 200),
        ("alice", 300),
        ("bob", 49),
    ]
    assert all(d["buckets"]["status"] == "EXPIRED" for d in expired)
    by_customer = of_type(rows, "customer.voucher.loyalty_card.points_expired")
    assert sorted((d["customer"]["source_id"], d["points"]) for d in by_customer) == [
        ("alice", 150),
        ("alice", 550),
        ("bob", 49),
    ]
    last = next(d for d in by_customer if d["points"] == 550)
    assert sorted(b["bucket"]["total_points"] for b in last["buckets"]) == [50, 200, 300]
    assert last["transaction"]["details"]["balance"] == {
        "points": -550,
        "total": 800,
        "balance": 0,
        "type": "loyalty_card",
        "object": "balance",
        "related_object": {"id": alice_card["id"], "type": "voucher"},
        "operation_type": "AUTOMATIC",
    }
    rewarded = of_type(rows, "customer.rewarded.loyalty_points")
    assert [d["balance"]["points"] for d in rewarded] == [250, 99, 200]


def _check_tiers(http: httpx.Client, alice: str, bob: str, tiers: dict[str, Any]) -> None:
    (now,) = ok(http.get(f"/v1/loyalties/members/{alice}/tiers"))["data"]
    assert now["name"] == "Bronze"
    activity = ok(
        http.get(
            f"/v1/loyalties/members/{alice}/activity", params={"order": "created_at", "limit": 100}
        )
    )
    moves = [a["type"] for a in activity["data"] if a["type"].startswith("customer.loyalty.tier")]
    assert moves == [
        "customer.loyalty.tier.joined",
        "customer.loyalty.tier.upgraded",
        "customer.loyalty.tier.downgraded",
    ]
    upgrade = next(a for a in activity["data"] if a["type"] == "customer.loyalty.tier.upgraded")
    assert upgrade["data"]["loyalty_tier_from"]["id"] == tiers["Bronze"]["id"]
    assert upgrade["data"]["loyalty_tier_to"]["id"] == tiers["Silver"]["id"]
    assert ok(http.get(f"/v1/loyalties/members/{bob}/tiers"))["data"][0]["name"] == "Bronze"
