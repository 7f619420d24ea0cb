"""The integration guide's member journey on the shared ledger, with exact numbers: wallets →
earning rule → programme → tier structure → member with two cards → a paid order earns
(pending on one wallet, at once on the other) → pending points activate and the member reaches
a tier → adjustments → points expire and the member leaves the tier."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from openvoucher.loyalty.pending_points_activation import activate_due_pending_points
from openvoucher.loyalty.points_expiration import expire_due_points
from tests.api.loyalty_helpers import clock_at
from tests.api.loyalty_v2.helpers import (
    ROLLING_12,
    assign_tiers,
    card_definition,
    customer,
    earning_rule,
    member,
    pay,
    per_amount,
    points,
    program,
    tier_structure,
)
from tests.support.loyalty_v2 import V2
from tests.support.server import Project, RunningServer

JOINED = datetime(2031, 3, 10, 12, 0, tzinfo=UTC)
PENDING = {"type": "PERIOD_BASED", "period_based": {"period": {"unit": "DAY", "value": 14}}}


def _cards(v2: V2, club: str, member_id: str) -> dict[str, dict[str, object]]:
    found = v2.ok("GET", f"/v2/loyalties/programs/{club}/members/{member_id}")
    return {c["card"]["card_definition_id"]: c["card"] for c in found["cards"]}


def _setup(v2: V2) -> tuple[dict[str, str], str, str]:
    """Two wallets, one rule on both, an active programme; ids of wallets, club, member."""
    main = card_definition(v2, "Points", points_expiration=ROLLING_12, pending_points=PENDING)
    bonus = card_definition(v2, "Bonus")
    rule = earning_rule(v2, [per_amount(main["id"], 100, 1), points(bonus["id"], 50)])
    club = program(v2, [main["id"], bonus["id"]], [rule["id"]])["id"]
    joined = member(v2, club, customer(v2, "ann")["id"])
    assert len(joined["cards"]) == 2
    return {"main": main["id"], "bonus": bonus["id"]}, club, joined["id"]


def _tier_moves(v2: V2, club: str, member_id: str) -> list[tuple[str, int, str | None]]:
    url = f"/v2/loyalties/programs/{club}/members/{member_id}/tiers/transactions"
    found = v2.ok("GET", url)["data"]
    return [(t["type"], t["details"]["points"], t["details"]["origin"]["type"]) for t in found]


def test_member_journey(v2: V2, server: RunningServer, project: Project) -> None:
    """Earn on order paid, pending points activate after 14 days and reach the Silver tier of
    the main wallet's structure, points expire after the wallet's 12 months (rounded to the end
    of the month by the ledger's rules) and the member leaves the tier (no retention)."""
    with clock_at(server, JOINED):
        wallets, club, member_id = _setup(v2)
        levels = [("Silver", 100, 199), ("Gold", 200, None)]
        structure = tier_structure(v2, wallets["main"], levels)
        assigned = assign_tiers(v2, club, structure["id"])
        assert [a["tier_structure_id"] for a in assigned["assigned"]] == [structure["id"]]
        assert assigned["unassigned"] is None
        pay(v2, "ann", 12_345)
        assert _tier_moves(v2, club, member_id) == []
        cards = _cards(v2, club, member_id)
        main, bonus = cards[wallets["main"]], cards[wallets["bonus"]]
        assert main["balance"] == {"points": 0, "pending_points": 123}
        assert main["next_activation"]["date"] == "2031-03-24T00:00:00.000Z"
        assert bonus["balance"] == {"points": 50, "pending_points": 0}
        assert bonus["lifetime_bucket"]["points"]["earned"] == 50
        earned = v2.ok("GET", f"/v2/loyalties/programs/{club}/reports/points-earnings/summary")
        assert sorted((e["points"], e["pending_points"]) for e in earned["data"]) == [
            (0, 123),
            (50, 0),
        ]
    due = datetime(2031, 3, 24, 0, 0, tzinfo=UTC)
    with clock_at(server, due):
        assert activate_due_pending_points(server.container.uow, project.id, due) == 1
        main = _cards(v2, club, member_id)[wallets["main"]]
        assert main["balance"] == {"points": 123, "pending_points": 0}
        assert main["lifetime_bucket"]["pending_points"]["activated"] == 123
        assert main["next_expiration"] == {"points": 123, "date": "2032-03-24"}
        _reached_silver(v2, club, member_id, structure)
    expired_at = datetime(2032, 3, 25, 0, 0, tzinfo=UTC)
    with clock_at(server, expired_at):
        assert expire_due_points(server.container.uow, project.id, expired_at) == 1
        main = _cards(v2, club, member_id)[wallets["main"]]
        assert main["balance"]["points"] == 0
        assert main["lifetime_bucket"]["points"]["expired"] == 123
        url = f"/v2/loyalties/programs/{club}/members/{member_id}/cards/{main['id']}"
        kinds = [t["type"] for t in v2.ok("GET", f"{url}/transactions")["data"]]
        assert kinds == ["POINTS_EXPIRED", "PENDING_POINTS_ACTIVATED"]
        window = {"start_date": "2031-03-01", "end_date": "2032-03-31", "resolution": "month"}
        report = {r["date"]: r for r in v2.ok("GET", f"{url}/reports/daily", params=window)["data"]}
        assert len(report) == 13
        assert report["2031-03-01"]["pending_points_total"] == 123
        assert report["2031-03-01"]["pending_points_activated"] == 123
        assert report["2031-03-01"]["points_earned"] == 123
        assert report["2032-03-01"]["points_expired"] == 123
        _left_silver(v2, club, member_id, structure, main["id"])
        assert report["2031-06-01"]["points_total"] == 0
        bad = {**window, "resolution": "year"}
        assert v2.get(f"{url}/reports/daily", params=bad).status_code == 400


def _reached_silver(v2: V2, club: str, member_id: str, structure: dict[str, Any]) -> None:
    """After the activation: JOINED Silver at 123 points, shown in the membership's progress."""
    assert _tier_moves(v2, club, member_id) == [("JOINED", 123, "card_operations")]
    found = v2.ok("GET", f"/v2/loyalties/programs/{club}/memberships/{_customer(v2)}")
    progress = {c["card"]["card_definition_id"]: c["tier_progress"] for c in found["cards"]}
    main = next(p for p in progress.values() if p["current"] is not None)
    silver, gold = structure["tiers"]["Silver"], structure["tiers"]["Gold"]
    assert main["tier_structure"] == {"id": structure["id"], "object": "tier_structure"}
    assert main["current"] == {
        "tier": {"id": silver, "name": "Silver"},
        "start_at": "2031-03-24T00:00:00.000Z",
        "expires_at": None,
        "points": {"current": 123, "min": 100, "max": 199},
    }
    assert main["opportunities"] == [
        {"valid_until": None, "tier": {"id": gold, "name": "Gold"}, "points": 77}
    ]
    assert main["risks"] == []
    assert main["deferred"] == []


def _customer(v2: V2) -> str:
    found = v2.client.get("/v1/customers/ann")
    assert found.status_code == 200, found.text
    return str(found.json()["id"])


def _left_silver(
    v2: V2, club: str, member_id: str, structure: dict[str, Any], card_id: object
) -> None:
    """After the expiry: LEFT Silver at 0 points; the reports count the join and the exit."""
    moves = _tier_moves(v2, club, member_id)
    assert moves == [("LEFT", 0, "card_operations"), ("JOINED", 123, "card_operations")]
    url = f"/v2/loyalties/programs/{club}/members/{member_id}/tiers/transactions"
    left = v2.ok("GET", url, params={"limit": 1})
    (exit_,) = left["data"]
    silver = structure["tiers"]["Silver"]
    assert (exit_["card_id"], exit_["tier_id"], exit_["details"]["tier_from"]) == (
        card_id,
        silver,
        silver,
    )
    assert exit_["details"]["tier_to"] is None
    rest = v2.ok("GET", url, params={"cursor": left["cursor"]["next"]})
    assert [t["type"] for t in rest["data"]] == ["JOINED"]
    assert rest["cursor"] is None
    reports = f"/v2/loyalties/programs/{club}/reports/tiers"
    march = {"start_date": "2031-03-01", "end_date": "2031-03-31", "resolution": "month"}
    (joined,) = v2.ok("GET", f"{reports}/daily", params=march)["data"]
    assert (joined["date"], joined["tier_id"], joined["joins"], joined["lefts"]) == (
        "2031-03-01",
        silver,
        1,
        0,
    )
    day = {"start_date": "2032-03-25", "end_date": "2032-03-25", "resolution": "day"}
    (gone,) = v2.ok("GET", f"{reports}/daily", params=day)["data"]
    assert (gone["joins"], gone["lefts"]) == (0, 1)
    (total,) = v2.ok("GET", f"{reports}/summary")["data"]
    assert (total["joins"], total["upgrades"], total["lefts"]) == (1, 0, 1)
    assert total["tier_structure_id"] == structure["id"]


def test_adjustments_never_overdraw(v2: V2) -> None:
    """Adding and removing points on a card; removing more than it holds is 400
    ``not_enough_points`` and changes nothing."""
    wallets, club, member_id = _setup(v2)
    bonus = _cards(v2, club, member_id)[wallets["bonus"]]
    url = f"/v2/loyalties/programs/{club}/members/{member_id}/cards/{bonus['id']}"
    added = v2.ok("POST", f"{url}/points", json={"points": 70, "reason": "welcome"})
    assert added["status"] == "TRANSACTION_CREATED"
    assert added["transaction"]["type"] == "ADMIN_CREDIT"
    assert added["transaction"]["details"]["points"]["total"] == 70
    assert v2.ok("POST", f"{url}/points", json={"points": -20})["transaction"]["type"] == (
        "ADMIN_DEBIT"
    )
    refused = v2.post(f"{url}/points", json={"points": -51})
    assert refused.status_code == 400
    assert refused.json()["key"] == "not_enough_points"
    assert _cards(v2, club, member_id)[wallets["bonus"]]["balance"]["points"] == 50
    page = v2.ok("GET", f"{url}/transactions", params={"limit": 1})
    assert [t["type"] for t in page["data"]] == ["ADMIN_DEBIT"]
    rest = v2.ok("GET", f"{url}/transactions", params={"cursor": page["cursor"]["next"]})
    assert [t["details"]["reason"] for t in rest["data"]] == ["welcome"]
    assert v2.post(f"{url}/points", json={"points": 0}).status_code == 400
    assert (
        v2.get(
            f"/v2/loyalties/programs/{club}/members/{member_id}/cards/lcrd_00/transactions"
        ).status_code
        == 404
    )


def test_pending_and_expiring_points_by_hand(v2: V2) -> None:
    """Pending points list, activate one entry by hand (a PENDING_POINTS_ACTIVATED transaction),
    cancel another; expiring points list the buckets with the wallet's expiration type."""
    wallets, club, member_id = _setup(v2)
    pay(v2, "ann", 1_000)
    pay(v2, "ann", 500)
    main = _cards(v2, club, member_id)[wallets["main"]]
    url = f"/v2/loyalties/programs/{club}/members/{member_id}/cards/{main['id']}"
    pending = v2.ok("GET", f"{url}/pending-points")["data"]
    assert [(p["points"]["total"], p["status"]) for p in pending] == [
        (10, "PENDING"),
        (5, "PENDING"),
    ]
    first, second = pending
    activated = v2.ok("POST", f"{url}/pending-points/{first['id']}/activate")
    assert activated["transaction"]["type"] == "PENDING_POINTS_ACTIVATED"
    assert activated["transaction"]["details"]["points"]["total"] == 10
    canceled = v2.ok("POST", f"{url}/pending-points/{second['id']}/cancel")
    assert canceled["transaction"]["type"] == "PENDING_POINTS_CANCELED"
    assert v2.post(f"{url}/pending-points/{second['id']}/cancel").status_code == 404
    assert v2.post(f"{url}/pending-points/lopp_missing/activate").status_code == 404
    assert v2.ok("GET", f"{url}/pending-points")["data"] == []
    card = _cards(v2, club, member_id)[wallets["main"]]
    assert card["balance"] == {"points": 10, "pending_points": 0}
    assert card["lifetime_bucket"]["pending_points"] == {
        "total": 15,
        "activated": 10,
        "canceled": 5,
    }
    (bucket,) = v2.ok("GET", f"{url}/expiring-points")["data"]
    assert (bucket["points"]["total"], bucket["expiration_type"]) == (10, "ROLLING_EXPIRATION")


def test_examine_earning_rules(v2: V2) -> None:
    """Examine estimates what a 12 345 order would earn each card (123 on the main wallet,
    50 on the bonus one) and writes nothing."""
    wallets, club, member_id = _setup(v2)
    body = {
        "trigger": {"type": "SPECIFIC", "specific": {"event": "customer.order.paid"}},
        "customer_identification": {"type": "member_id", "member_id": member_id},
        "customer_order_paid": {"order": {"amount": 12_345}},
    }
    found = v2.ok("POST", "/v2/loyalties/examine/earning-rules", json=body)
    assert found["event"] == "customer.order.paid"
    (membership,) = found["memberships"]
    estimates = {
        c["card"]["card_definition_id"]: c["points_estimation"] for c in membership["cards"]
    }
    assert estimates == {wallets["main"]: 123, wallets["bonus"]: 50}
    cards = _cards(v2, club, member_id)
    assert cards[wallets["main"]]["balance"] == {"points": 0, "pending_points": 0}
    assert cards[wallets["bonus"]]["balance"]["points"] == 0
