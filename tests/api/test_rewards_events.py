"""Seed 004: ``voucher.loyalty_card.transaction.created`` for all eight transaction types, each
payload valid against the webhook schema and carrying exact numbers."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import httpx

from openvoucher.loyalty.points_expiration import expire_due_points
from tests.api.loyalty_helpers import card, join, loyalty_events, of_type, ok, order_rule, pay
from tests.api.loyalty_helpers import programme as make_programme
from tests.api.reward_helpers import add_points, assign, buy, coupon_campaign, reward
from tests.support.emitted import known_debt, new_failures
from tests.support.server import Project, RunningServer
from tests.support.webhook_spec import strict_data_errors


def _eight(http: httpx.Client, server: RunningServer, project: Project) -> dict[str, Any]:
    club = make_programme(http)
    order_rule(http, club["id"])
    mine = join(http, club["id"], "hal")["code"]
    theirs = join(http, club["id"], "ivy")["code"]
    paid = pay(http, "hal", 10_000)  # POINTS_ACCRUAL +100
    add_points(http, mine, 50)  # POINTS_ADDITION +50
    ok(http.post(f"/v1/loyalties/members/{mine}/balance", json={"points": -20}))  # REMOVAL
    add_points(http, theirs, 40)
    transfer = [{"code": theirs, "points": 10, "reason": "pool"}]  # TRANSFER_OUT / _IN
    ok(http.post(f"/v1/loyalties/{club['id']}/members/{mine}/transfers", json=transfer))
    made = reward(http, {"campaign": {"id": coupon_campaign(http)["id"]}}, name="Coupon")
    assign(http, club["id"], made["id"], 30)
    bought = ok(buy(http, mine, made["id"]))  # POINTS_REDEMPTION -30
    rolled = ok(http.post(f"/v1/redemptions/{bought['id']}/rollback", json={}))  # REFUND +30
    later = server.clock.now() + timedelta(days=800)
    assert expire_due_points(server.container.uow, project.id, later) == 4  # EXPIRATION
    return {"mine": mine, "paid": paid, "reward": made, "bought": bought, "rolled": rolled}


def test_all_eight_transaction_types(
    http: httpx.Client, server: RunningServer, project: Project
) -> None:
    """Accrual, addition, removal, transfer out/in, redemption, refund and expiration each emit
    a valid transaction.created with their numbers and the fields their type implies."""
    made = _eight(http, server, project)
    rows = loyalty_events(server, project)
    mine = card(http, made["mine"])
    created = of_type(rows, "voucher.loyalty_card.transaction.created")
    own = [d for d in created if d["voucher"]["id"] == mine["id"]]
    assert [
        (d["transaction"]["type"], d["balance"]["points"], d["balance"]["balance"]) for d in own
    ] == [
        ("POINTS_ACCRUAL", 100, 100),
        ("POINTS_ADDITION", 50, 150),
        ("POINTS_REMOVAL", -20, 130),
        ("POINTS_TRANSFER_IN", 10, 140),
        ("POINTS_REDEMPTION", -30, 110),
        ("POINTS_REFUND", 30, 140),
        ("POINTS_EXPIRATION", -140, 0),
    ]
    kinds = {d["transaction"]["type"] for d in created}
    assert len(kinds) == 8
    assert "POINTS_TRANSFER_OUT" in kinds
    by_type = {d["transaction"]["type"]: d for d in own}
    accrual = by_type["POINTS_ACCRUAL"]
    assert accrual["order"]["id"] == made["paid"]["id"]
    assert accrual["earning_rule"] is not None
    assert accrual["event"]["type"] == "customer.order.paid"
    assert by_type["POINTS_TRANSFER_IN"]["source_voucher"]["code"] != made["mine"]
    spent = by_type["POINTS_REDEMPTION"]
    assert spent["redemption"]["id"] == made["bought"]["id"]
    assert (spent["reward"]["id"], spent["reward"]["redeemed"]) == (made["reward"]["id"], 0)
    refund = by_type["POINTS_REFUND"]
    assert (refund["rollback"]["id"], refund["redemption"]["id"]) == (
        made["rolled"]["id"],
        made["bought"]["id"],
    )
    assert refund["transaction"]["related_transaction_id"] == spent["transaction"]["id"]
    assert all(d["holder"]["source_id"] == "hal" for d in own)
    assert mine["loyalty_card"] == {
        "points": 160,
        "balance": 0,
        "next_expiration_date": None,
        "next_expiration_points": None,
        "expired_points": 140,
        "subtracted_points": 20,
    }
    added = of_type(rows, "customer.voucher.loyalty_card.points_added")
    assert [d["transaction"]["type"] for d in added if d["voucher"]["id"] == mine["id"]] == [
        "POINTS_ACCRUAL",
        "POINTS_ADDITION",
        "POINTS_TRANSFER_IN",
        "POINTS_REFUND",
    ]


def test_reward_redemption_events(
    http: httpx.Client, server: RunningServer, project: Project
) -> None:
    """Buying a digital reward emits customer.reward_redemptions.created then .completed, a
    material one .created then .pending; each passes its schema strictly but for the shortfalls
    the shared objects (campaign, voucher, reward) are still listed with in the debt file."""
    club = make_programme(http)
    mine = join(http, club["id"], "kim")["code"]
    add_points(http, mine, 100)
    coupon = reward(http, {"campaign": {"id": coupon_campaign(http)["id"]}}, name="Coupon")
    assign(http, club["id"], coupon["id"], 30)
    bought = ok(buy(http, mine, coupon["id"]))
    product = ok(http.post("/v1/products", json={"name": "Mug", "source_id": "mug"}))
    mug = reward(http, {"product": {"id": product["id"]}}, name="Mug")
    assign(http, club["id"], mug["id"], 20)
    shipped = ok(buy(http, mine, mug["id"]))
    rows = loyalty_events(server, project)
    states = [
        (row["type"].rsplit(".", 1)[1], row["data"]["reward_redemption"]["source_id"])
        for row in rows
        if row["type"].startswith("customer.reward_redemptions.")
    ]
    assert states == [
        ("created", bought["id"]),
        ("completed", bought["id"]),
        ("created", shipped["id"]),
        ("pending", shipped["id"]),
    ]
    for row in rows:
        if row["type"].startswith("customer.reward_redemptions."):
            found = {row["type"]: set(strict_data_errors(row["type"], row["data"]))}
            assert new_failures(found, known_debt()) == []
            assert not any(e.startswith("reward_redemption") for e in found[row["type"]])
            assert row["data"]["reward_assignment"]["related_object_id"] == club["id"]
            assert row["data"]["holder"]["source_id"] == "kim"
