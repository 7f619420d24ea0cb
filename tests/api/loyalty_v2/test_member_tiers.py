"""Loyalty v2 members in tiers: a structure assigned to a programme places its members (by
balance or by points earned in a period), moves them inside every points change and at tier
expiry as the structure says, and records each movement as a tier transaction that the
member's list and the programme's tiers reports serve."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from typing import Any

from openvoucher.loyalty.period_tiers import TierExpiryWorker, expire_due_tiers
from tests.api.loyalty_helpers import clock_at
from tests.api.loyalty_v2.helpers import (
    assign_tiers,
    card_definition,
    customer,
    earning_rule,
    member,
    pay,
    points,
    program,
    tier_structure,
)
from tests.support.loyalty_v2 import V2
from tests.support.server import Project, RunningServer

START = datetime(2031, 3, 10, 12, 0, tzinfo=UTC)
LEVELS = [("Bronze", 0, 99), ("Silver", 100, 199), ("Gold", 200, None)]


@contextmanager
def _frozen(server: RunningServer, moment: datetime) -> Iterator[None]:
    """The clock at ``moment`` with the tier expiry job held off (the test runs it)."""
    worker = next(b for b in server.container.background if isinstance(b, TierExpiryWorker))
    with worker.paused(), clock_at(server, moment):
        yield


def _club(v2: V2, **structure: Any) -> tuple[str, str, dict[str, Any]]:
    """An active programme on one wallet with a tier structure; the club, wallet, structure."""
    wallet = card_definition(v2)["id"]
    rule = earning_rule(v2, [points(wallet, 10)])["id"]
    club = program(v2, [wallet], [rule])["id"]
    levels = structure.pop("levels", LEVELS)
    made = tier_structure(v2, wallet, levels, **structure)
    assign_tiers(v2, club, made["id"])
    return club, wallet, made


def _join(v2: V2, club: str, name: str) -> tuple[str, str]:
    """A new member; its id and its card's URL."""
    joined = member(v2, club, customer(v2, name)["id"])
    card = joined["cards"][0]["card"]["id"]
    return joined["id"], f"/v2/loyalties/programs/{club}/members/{joined['id']}/cards/{card}"


def _moves(v2: V2, club: str, member_id: str, **params: Any) -> list[dict[str, Any]]:
    url = f"/v2/loyalties/programs/{club}/members/{member_id}/tiers/transactions"
    found: list[dict[str, Any]] = v2.ok("GET", url, params=params)["data"]
    return found


def _balance(v2: V2, club: str, member_id: str) -> int:
    found = v2.ok("GET", f"/v2/loyalties/programs/{club}/members/{member_id}")
    return int(found["cards"][0]["card"]["balance"]["points"])


def _progress(v2: V2, club: str, source_id: str) -> dict[str, Any]:
    ident = v2.client.get(f"/v1/customers/{source_id}").json()["id"]
    found = v2.ok("GET", f"/v2/loyalties/programs/{club}/memberships/{ident}")
    progress: dict[str, Any] = found["cards"][0]["tier_progress"]
    return progress


def test_balance_tiers_move_with_every_change(v2: V2) -> None:
    """A new member joins Bronze (0 points) on card creation, adding 250 upgrades to Gold,
    removing 200 downgrades straight to Bronze (multi-level); transactions filter by card and
    date, and the reports count each movement on the tier moved into."""
    club, _, structure = _club(v2)
    tiers = structure["tiers"]
    member_id, card = _join(v2, club, "ann")
    v2.ok("POST", f"{card}/points", json={"points": 250})
    v2.ok("POST", f"{card}/points", json={"points": -200})
    moves = _moves(v2, club, member_id, order="created_at")
    assert [(m["type"], m["details"]["points"]) for m in moves] == [
        ("JOINED", 0),
        ("UPGRADED", 250),
        ("DOWNGRADED", 50),
    ]
    joined, up, down = moves
    assert joined["details"]["origin"] == {
        "type": "member_card_created",
        "card_transaction_ids": [],
    }
    assert (up["details"]["tier_from"], up["details"]["tier_to"]) == (
        tiers["Bronze"],
        tiers["Gold"],
    )
    assert (down["details"]["tier_from"], down["details"]["tier_to"]) == (
        tiers["Gold"],
        tiers["Bronze"],
    )
    assert down["tier_id"] == tiers["Bronze"]
    assert up["details"]["origin"]["type"] == "card_operations"
    assert len(up["details"]["origin"]["card_transaction_ids"]) == 1
    card_id = card.rsplit("/", 1)[1]
    assert len(_moves(v2, club, member_id, **{"filters[card_id][conditions][$is]": card_id})) == 3
    other = {"filters[card_id][conditions][$is]": "lcrd_00"}
    assert _moves(v2, club, member_id, **other) == []
    future = {"filters[created_at][conditions][$after]": "2100-01-01T00:00:00Z"}
    assert _moves(v2, club, member_id, **future) == []
    summary = f"/v2/loyalties/programs/{club}/reports/tiers/summary"
    rows = {r["tier_id"]: r for r in v2.ok("GET", summary)["data"]}
    assert (rows[tiers["Bronze"]]["joins"], rows[tiers["Bronze"]]["downgrades"]) == (1, 1)
    assert rows[tiers["Gold"]]["upgrades"] == 1
    gold = {"filters[tier_id][conditions][$is]": tiers["Gold"]}
    assert [r["tier_id"] for r in v2.ok("GET", summary, params=gold)["data"]] == [tiers["Gold"]]
    ids = [r["id"] for r in v2.ok("GET", summary, params={"order": "id"})["data"]]
    assert ids == sorted(ids)
    assert len(v2.ok("GET", summary, params={"limit": 1})["data"]) == 1
    progress = _progress(v2, club, "ann")
    assert progress["current"]["tier"] == {"id": tiers["Bronze"], "name": "Bronze"}
    assert [(o["tier"]["name"], o["points"]) for o in progress["opportunities"]] == [
        ("Silver", 50),
        ("Gold", 150),
    ]


def test_assigning_to_an_active_programme_places_members(v2: V2) -> None:
    """Members holding points are placed when the structure is assigned (no origin); the
    structure's rules, tiers and status are then fixed (409) but names may change (shown at
    once), and it cannot be unassigned from an active programme (423)."""
    wallet = card_definition(v2)["id"]
    rule = earning_rule(v2, [points(wallet, 10)])["id"]
    club = program(v2, [wallet], [rule])["id"]
    member_id, card = _join(v2, club, "bob")
    v2.ok("POST", f"{card}/points", json={"points": 120})
    structure = tier_structure(v2, wallet, LEVELS[1:])
    assign_tiers(v2, club, structure["id"])
    (placed,) = _moves(v2, club, member_id)
    assert (placed["type"], placed["details"]["origin"]) == ("JOINED", None)
    url = f"/v2/loyalties/tier-structures/{structure['id']}"
    silver = f"{url}/tiers/{structure['tiers']['Silver']}"
    moved = {"qualification_rules": {"type": "POINTS", "points": {"min_value": 150}}}
    extra = {"name": "X", "qualification_rules": {"type": "POINTS", "points": {"min_value": 900}}}
    for method, path, body in (
        ("PUT", silver, moved),
        ("POST", f"{url}/tiers", extra),
        ("DELETE", silver, None),
        ("POST", f"{url}/deactivate", None),
        ("POST", f"{url}/draft", None),
        ("PUT", url, {"type": "POINT_BALANCE", "point_balance": {"card_definition_id": wallet}}),
    ):
        response = v2.request(method, path, json=body)
        assert response.status_code == 409, (path, response.text)
    assert v2.ok("PUT", silver, json={"name": "Argent"})["name"] == "Argent"
    assert v2.ok("PUT", url, json={"name": "Levels 2"})["name"] == "Levels 2"
    assert _progress(v2, club, "bob")["current"]["tier"]["name"] == "Argent"
    batch = f"/v2/loyalties/programs/{club}/tier-structures/batch"
    locked = v2.post(batch, json={"unassign": [{"id": structure["id"]}]})
    assert (locked.status_code, locked.json()["key"]) == (423, "non_draft_program")
    assert len(_moves(v2, club, member_id)) == 1


def test_created_programme_takes_its_structure_at_activation(v2: V2) -> None:
    """``tier_structures`` of a programme created ACTIVE are assigned and apply to members."""
    wallet = card_definition(v2)["id"]
    rule = earning_rule(v2, [points(wallet, 10)])["id"]
    structure = tier_structure(v2, wallet, LEVELS[2:])
    body = {
        "name": "Club",
        "status": "ACTIVE",
        "card_definitions": [{"id": wallet}],
        "earning_rules": [{"id": rule}],
        "tier_structures": [{"id": structure["id"]}],
    }
    club = v2.ok("POST", "/v2/loyalties/programs", json=body)
    assert club["tier_structures"] == [{"id": structure["id"]}]
    member_id, card = _join(v2, club["id"], "cid")
    v2.ok("POST", f"{card}/points", json={"points": 200})
    assert [m["type"] for m in _moves(v2, club["id"], member_id)] == ["JOINED"]


def test_fixed_duration_holds_the_tier_until_it_expires(
    v2: V2, server: RunningServer, project: Project
) -> None:
    """With a 30-day fixed duration, Gold reached on 10 March holds after the balance drops;
    progress shows the risk of leaving on 9 April, when the expiry job makes the member leave."""
    with _frozen(server, START):
        expiration = {
            "type": "FIXED_DURATION",
            "fixed_duration": {"period": {"value": 30, "unit": "DAY"}},
        }
        club, _, structure = _club(v2, levels=LEVELS[1:], expiration=expiration)
        member_id, card = _join(v2, club, "dee")
        v2.ok("POST", f"{card}/points", json={"points": 250})
        v2.ok("POST", f"{card}/points", json={"points": -200})
        (joined,) = _moves(v2, club, member_id)
        assert joined["details"]["expires_at"] == "2031-04-09T12:00:00.000Z"
        progress = _progress(v2, club, "dee")
        assert progress["current"]["tier"]["name"] == "Gold"
        assert progress["current"]["expires_at"] == "2031-04-09T12:00:00.000Z"
        assert progress["risks"] == [
            {"type": "TIER_LEFT", "date": "2031-04-09T12:00:00.000Z", "tier": None}
        ]
    later = datetime(2031, 4, 9, 12, 0, tzinfo=UTC)
    with _frozen(server, later):
        assert expire_due_tiers(server.container.uow, project.id, later) == 1
        left, _ = _moves(v2, club, member_id)
        assert (left["type"], left["details"]["tier_from"]) == ("LEFT", structure["tiers"]["Gold"])
        assert left["details"]["origin"] == {
            "type": "daily_task_operations",
            "card_transaction_ids": [],
        }
        assert _progress(v2, club, "dee")["current"] is None


def test_points_earned_in_a_month_keep_the_tier_after_spending(
    v2: V2, server: RunningServer, project: Project
) -> None:
    """A monthly points-earned structure: 150 points earned in March reach Silver, spending
    them keeps it (earned points count), and it ends with March."""
    earned = {
        "type": "POINT_EARNED",
        "point_balance": None,
        "point_earned": {"period": {"value": 1, "unit": "MONTH"}, "type": "IMMEDIATELY"},
    }
    with _frozen(server, START):
        wallet = card_definition(v2)["id"]
        earned["point_earned"]["card_definition_id"] = wallet
        rule = earning_rule(v2, [points(wallet, 10)])["id"]
        club = program(v2, [wallet], [rule])["id"]
        structure = tier_structure(v2, wallet, LEVELS[1:], **earned)
        assign_tiers(v2, club, structure["id"])
        member_id, card = _join(v2, club, "eve")
        v2.ok("POST", f"{card}/points", json={"points": 150})
        v2.ok("POST", f"{card}/points", json={"points": -150})
        (joined,) = _moves(v2, club, member_id)
        assert (joined["type"], joined["details"]["points"]) == ("JOINED", 150)
        assert joined["details"]["expires_at"] == "2031-04-01T00:00:00.000Z"
        progress = _progress(v2, club, "eve")
        assert progress["current"]["points"] == {"current": 150, "min": 100, "max": 199}
        (gold,) = progress["opportunities"]
        assert (gold["points"], gold["valid_until"]) == (50, "2031-04-01T00:00:00.000Z")
    april = datetime(2031, 4, 1, 0, 0, tzinfo=UTC)
    with _frozen(server, april):
        assert expire_due_tiers(server.container.uow, project.id, april) == 1
        assert [m["type"] for m in _moves(v2, club, member_id)] == ["LEFT", "JOINED"]


def test_bad_tier_queries(v2: V2) -> None:
    """Unknown programmes and members are 404; a cursor of another list, an unknown order,
    filter or resolution, or a window longer than the resolution allows is 400."""
    club, _, _ = _club(v2)
    member_id, _ = _join(v2, club, "fay")
    url = f"/v2/loyalties/programs/{club}/members/{member_id}/tiers/transactions"
    assert v2.get(url.replace(club, "lprg_00")).status_code == 404
    assert v2.get(url.replace(member_id, "lmbr_00")).status_code == 404
    for params in (
        {"cursor": "lcrsmbr_1"},
        {"order": "type"},
        {"filters[tier_id][conditions][$is]": "lt_00"},
        {"limit": 0},
    ):
        assert v2.get(url, params=params).status_code == 400, params
    reports = f"/v2/loyalties/programs/{club}/reports/tiers"
    for params in (
        {"start_date": "2031-01-01", "end_date": "2031-04-01", "resolution": "day"},
        {"start_date": "2031-01-01", "end_date": "2032-01-01", "resolution": "month"},
        {"start_date": "2031-01-01", "end_date": "2031-01-02", "resolution": "year"},
        {"start_date": "2031-01-01", "resolution": "day"},
    ):
        assert v2.get(f"{reports}/daily", params=params).status_code == 400, params
    assert v2.get(f"{reports}/summary", params={"order": "name"}).status_code == 400
    assert v2.get(f"{reports}/summary".replace(club, "lprg_00")).status_code == 404
    window = {"start_date": "2031-01-01", "end_date": "2031-03-31", "resolution": "day"}
    assert v2.ok("GET", f"{reports}/daily", params=window) == {"data": [], "object": "report"}


def test_earnings_limited_to_tiers(v2: V2) -> None:
    """An earning whose ``tier_rules`` name Gold gives its points only to Gold members; the
    examine estimate agrees; unknown tiers are 404 and malformed rules 400."""
    club, wallet, structure = _club(v2, levels=LEVELS[1:])
    gold = {
        "type": "ANY_OF",
        "any_of": [
            {"tier_structure_id": structure["id"], "tier_ids": [structure["tiers"]["Gold"]]}
        ],
    }
    bonus = earning_rule(v2, [points(wallet, 100)], name="Gold bonus")
    url = f"/v2/loyalties/earning-rules/{bonus['id']}"
    earning = {"effects": [points(wallet, 100)], "tier_rules": gold}
    assert v2.ok("PUT", url, json={"earnings": [earning]})["earnings"][0]["tier_rules"] == gold
    batch = f"/v2/loyalties/programs/{club}/earning-rules/batch"
    v2.ok("POST", batch, json={"assign": [{"id": bonus["id"]}]})
    member_id, card = _join(v2, club, "gus")
    pay(v2, "gus", 100)
    assert _balance(v2, club, member_id) == 10
    v2.ok("POST", f"{card}/points", json={"points": 190})
    body = {
        "trigger": {"type": "SPECIFIC", "specific": {"event": "customer.order.paid"}},
        "customer_identification": {"type": "member_id", "member_id": member_id},
        "customer_order_paid": {"order": {"amount": 100}},
    }
    (membership,) = v2.ok("POST", "/v2/loyalties/examine/earning-rules", json=body)["memberships"]
    assert membership["cards"][0]["points_estimation"] == 110
    pay(v2, "gus", 100)
    assert _balance(v2, club, member_id) == 310
    unknown = {**gold, "any_of": [{"tier_structure_id": structure["id"], "tier_ids": ["lt_00"]}]}
    bad = {"effects": [points(wallet, 1)], "tier_rules": unknown}
    assert v2.put(url, json={"earnings": [bad]}).status_code == 404
    shapeless = {"effects": [points(wallet, 1)], "tier_rules": {"type": "ANY_OF"}}
    assert v2.put(url, json={"earnings": [shapeless]}).status_code == 400


def test_paying_with_points_downgrades_in_the_payment(v2: V2) -> None:
    """Paying a 200 order with 100 of 250 points moves the member from Gold to Silver in the
    payment's transaction (a dry run moves nobody)."""
    ratio = {"type": "EXCHANGE_RATIO", "exchange_ratio": {"formula": 2}}
    wallet = card_definition(v2, pay_with_points=ratio)["id"]
    club = program(v2, [wallet], [earning_rule(v2, [points(wallet, 1)])["id"]])["id"]
    structure = tier_structure(v2, wallet, LEVELS[1:])
    assign_tiers(v2, club, structure["id"])
    member_id, card = _join(v2, club, "hal")
    v2.ok("POST", f"{card}/points", json={"points": 250})
    response = v2.client.post("/v1/orders", json={"amount": 200, "customer": {"source_id": "hal"}})
    assert response.status_code == 200, response.text
    body = {"card_id": card.rsplit("/", 1)[1], "order": {"id": response.json()["id"]}}
    url = f"/v2/loyalties/programs/{club}/members/{member_id}/orders/payments"
    v2.ok("POST", url, json={**body, "mode": "DRY_RUN"})
    assert [m["type"] for m in _moves(v2, club, member_id)] == ["JOINED"]
    v2.ok("POST", url, status=202, json=body)
    down, _ = _moves(v2, club, member_id)
    assert (down["type"], down["details"]["points"]) == ("DOWNGRADED", 150)
    assert (down["details"]["tier_from"], down["details"]["tier_to"]) == (
        structure["tiers"]["Gold"],
        structure["tiers"]["Silver"],
    )
    spent = v2.ok("GET", f"{card}/transactions", params={"limit": 1})["data"][0]
    assert down["details"]["origin"] == {
        "type": "card_operations",
        "card_transaction_ids": [spent["id"]],
    }


def test_activation_needs_the_structure_wallet(v2: V2) -> None:
    """A DRAFT programme whose structure's wallet was unassigned cannot be activated (409),
    and stays DRAFT."""
    wallet = card_definition(v2)["id"]
    other = card_definition(v2, "Other")["id"]
    rule = earning_rule(v2, [points(other, 1)])["id"]
    club = program(v2, [wallet, other], [rule], status="DRAFT")["id"]
    assign_tiers(v2, club, tier_structure(v2, wallet, LEVELS)["id"])
    batch = f"/v2/loyalties/programs/{club}/card-definitions/batch"
    v2.ok("POST", batch, json={"unassign": [{"id": wallet}]})
    refused = v2.post(f"/v2/loyalties/programs/{club}/activate")
    assert refused.status_code == 409, refused.text
    assert v2.ok("GET", f"/v2/loyalties/programs/{club}")["status"] == "DRAFT"
