"""Pending loyalty points: an order.paid rule holds its points; activation, adjustment and
cancellation through the official SDK and plain HTTP, with their events and ledger rows."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from typing import Any

import httpx
import voucherify
from voucherify.api.loyalties_api import LoyaltiesApi
from voucherify.models import (
    LoyaltiesEarningRulesCreateRequestBodyItem,
    LoyaltiesMembersPendingPointsBalanceRequestBody,
)

from openvoucher.loyalty.pending_points_activation import PendingPointsWorker
from tests.api.loyalty_helpers import card, join, loyalty_events, of_type, ok, pay, programme
from tests.support.server import Project, RunningServer
from tests.support.webhook_spec import data_errors

PENDING_EVENTS = (
    "voucher.loyalty_card.pending_points.added",
    "voucher.loyalty_card.pending_points.updated",
    "voucher.loyalty_card.pending_points.activated",
    "voucher.loyalty_card.pending_points.canceled",
    "customer.voucher.loyalty_card.pending_points.added",
    "customer.voucher.loyalty_card.pending_points.updated",
    "customer.voucher.loyalty_card.pending_points.activated",
    "customer.voucher.loyalty_card.pending_points.canceled",
)
RULE = {
    "event": "order.paid",
    "source": {"banner": "Points after 3 days"},
    "loyalty": {
        "type": "PROPORTIONAL",
        "calculation_type": "ORDER_TOTAL_AMOUNT",
        "order": {"total_amount": {"every": 100, "points": 1}},
    },
    "pending_points": {"period_type": "DAY", "period_value": 3},
}


def _events(server: RunningServer, project: Project) -> list[dict[str, Any]]:
    """The outbox rows; every pending points event checked against its webhook schema."""
    rows = loyalty_events(server, project)
    for row in rows:
        if row["type"] in PENDING_EVENTS:
            found = data_errors(str(row["type"]), row["data"])
            assert found == [], (row["type"], found[:5])
    return rows


def _sdk_rule(api: LoyaltiesApi, campaign_id: str) -> str:
    (rule,) = api.create_earning_rule(
        campaign_id, [LoyaltiesEarningRulesCreateRequestBodyItem.from_dict(RULE)]
    )
    assert rule.pending_points is not None
    assert (rule.pending_points.period_type, rule.pending_points.period_value) == ("DAY", 3)
    assert rule.id is not None
    return rule.id


def _entries(http: httpx.Client, code: str) -> list[dict[str, Any]]:
    body = ok(http.get(f"/v1/loyalties/members/{code}/pending-points"))
    return list(body["data"])


def _post(http: httpx.Client, code: str, entry_id: str, action: str, **body: Any) -> httpx.Response:
    url = f"/v1/loyalties/members/{code}/pending-points/{entry_id}/{action}"
    return http.post(url, json=body or None)


def test_order_paid_rule_holds_points_until_activated(
    server: RunningServer, project: Project, http: httpx.Client, sdk: voucherify.ApiClient
) -> None:
    """A paid order gives pending points (balance unchanged); activation moves them into the
    balance as a PENDING_POINTS_ACTIVATION transaction with an expiry bucket and events."""
    api = LoyaltiesApi(sdk)
    club = programme(http)
    rule_id = _sdk_rule(api, club["id"])
    code = join(http, club["id"], "alice")["code"]
    order = pay(http, "alice", 25_000)
    held = card(http, code)["loyalty_card"]
    assert (held["points"], held["balance"], held["pending_points"]) == (0, 0, 250)
    listed = api.list_member_pending_points(code)
    (entry,) = listed.data or []
    assert entry.id is not None
    assert entry.id.startswith("lopp_")
    assert (entry.points, entry.order_id, entry.voucher_id) == (
        250,
        order["id"],
        held_id(http, code),
    )
    assert entry.created_at is not None
    assert entry.activates_at == entry.created_at.date() + timedelta(days=3)
    assert entry.details.earning_rule is not None
    assert entry.details.earning_rule.id == rule_id
    assert entry.details.event is not None
    assert entry.details.event.type == "customer.order.paid"
    assert ok(http.get(f"/v1/loyalties/members/{code}/transactions"))["data"] == []
    (added,) = of_type(_events(server, project), "voucher.loyalty_card.pending_points.added")
    assert added["pending_points"]["id"] == entry.id
    assert added["voucher_pending_points_balance"]["points"] == 250
    assert added["voucher_pending_points_balance"]["total"] == 250
    assert added["voucher_pending_points_balance"]["operation_type"] == "AUTOMATIC"
    assert added["order"]["id"] == order["id"]
    assert added["voucher"]["loyalty_card"]["pending_points"] == 250
    activated = api.activate_member_pending_points(code, entry.id)
    assert (activated.points, activated.total, activated.balance) == (250, 250, 250)
    assert activated.operation_type == "MANUAL"
    _check_activated(server, project, http, code, entry.id)
    history = api.list_loyalty_card_transactions(code)
    assert [t.type for t in history.data or []] == ["PENDING_POINTS_ACTIVATION"]
    member = api.get_member(code).loyalty_card
    assert member is not None
    assert (member.balance, member.pending_points) == (250, 0)
    assert (api.list_campaign_pending_points(club["id"]).data or []) == []


def held_id(http: httpx.Client, code: str) -> str:
    """The card's id."""
    return str(card(http, code)["id"])


def _check_activated(
    server: RunningServer, project: Project, http: httpx.Client, code: str, entry_id: str
) -> None:
    after = card(http, code)["loyalty_card"]
    assert (after["points"], after["balance"], after["pending_points"]) == (250, 250, 0)
    (row,) = ok(http.get(f"/v1/loyalties/members/{code}/transactions"))["data"]
    assert (row["type"], row["details"]["balance"]["points"]) == ("PENDING_POINTS_ACTIVATION", 250)
    assert row["details"]["pending_points"]["id"] == entry_id
    assert row["details"]["earning_rule"]["source"]["banner"] == "Points after 3 days"
    campaign_id = card(http, code)["campaign_id"]
    url = f"/v1/loyalties/{campaign_id}/members/{code}/points-expiration"
    (bucket,) = ok(http.get(url))["data"]
    assert bucket["bucket"]["total_points"] == 250
    assert bucket["expires_at"] > date.today().isoformat()
    rows = _events(server, project)
    (event,) = of_type(rows, "voucher.loyalty_card.pending_points.activated")
    assert (event["balance"]["points"], event["balance"]["balance"]) == (250, 250)
    assert event["transaction"]["type"] == "PENDING_POINTS_ACTIVATION"
    assert event["pending_points"]["id"] == entry_id
    (points_added,) = of_type(rows, "voucher.loyalty_card.points_added")
    assert (points_added["balance"]["points"], points_added["balance"]["balance"]) == (250, 250)
    (created,) = of_type(rows, "voucher.loyalty_card.transaction.created")
    assert created["transaction"]["id"] == row["id"]
    assert of_type(rows, "customer.voucher.loyalty_card.pending_points.activated") != []


def test_adjust_and_cancel_pending_points(
    server: RunningServer, project: Project, http: httpx.Client, sdk: voucherify.ApiClient
) -> None:
    """Adjusting changes the entry and the card's pending total; canceling drops it; both
    emit their events with exact numbers and leave the balance alone."""
    api = LoyaltiesApi(sdk)
    club = programme(http)
    _sdk_rule(api, club["id"])
    code = join(http, club["id"], "bob")["code"]
    pay(http, "bob", 10_000)
    pay(http, "bob", 5_000)
    newer, older = _entries(http, code)
    assert (newer["points"], older["points"]) == (50, 100)
    body = LoyaltiesMembersPendingPointsBalanceRequestBody(points=20)
    changed = api.adjust_member_pending_points(code, older["id"], body)
    assert (changed.points, changed.total, changed.operation_type) == (20, 170, "MANUAL")
    less = ok(_post(http, code, older["id"], "balance", points=-30))
    assert (less["points"], less["total"]) == (-30, 140)
    api.cancel_member_pending_points(code, newer["id"])
    (left,) = _entries(http, code)
    assert (left["id"], left["points"]) == (older["id"], 90)
    held = card(http, code)["loyalty_card"]
    assert (held["balance"], held["pending_points"]) == (0, 90)
    rows = _events(server, project)
    updates = of_type(rows, "voucher.loyalty_card.pending_points.updated")
    assert [u["voucher_pending_points_balance"]["points"] for u in updates] == [20, -30]
    assert [u["voucher_pending_points_balance"]["total"] for u in updates] == [170, 140]
    (canceled,) = of_type(rows, "voucher.loyalty_card.pending_points.canceled")
    assert canceled["voucher_pending_points_balance"]["points"] == -50
    assert canceled["voucher_pending_points_balance"]["total"] == 90
    assert canceled["pending_points"]["id"] == newer["id"]


def test_bad_pending_points_requests_change_nothing(http: httpx.Client) -> None:
    """Activating or adjusting a canceled entry, subtracting too much, a zero change, an
    unknown entry or another member's entry: clear 4xx errors, nothing changed."""
    club = programme(http)
    ok(http.post(f"/v1/loyalties/{club['id']}/earning-rules", json=[RULE]))
    code = join(http, club["id"], "cat")["code"]
    other = join(http, club["id"], "dan")["code"]
    pay(http, "cat", 10_000)
    pay(http, "cat", 20_000)
    kept, gone = _entries(http, code)
    assert _post(http, code, gone["id"], "cancel").status_code == 204
    refused = _post(http, code, gone["id"], "activate")
    assert refused.status_code == 400
    assert refused.json()["key"] == "pending_points_not_pending"
    assert _post(http, code, gone["id"], "cancel").status_code == 400
    assert _post(http, code, gone["id"], "balance", points=5).status_code == 400
    too_much = _post(http, code, kept["id"], "balance", points=-200)
    assert too_much.status_code == 400
    assert "at least 1 point" in too_much.json()["details"]
    assert _post(http, code, kept["id"], "balance", points=0).status_code == 400
    assert _post(http, code, kept["id"], "balance", points="5").status_code == 400
    missing = _post(http, code, "lopp_nothing", "activate")
    assert (missing.status_code, missing.json()["key"]) == (404, "not_found")
    assert _post(http, other, kept["id"], "activate").status_code == 404
    (left,) = _entries(http, code)
    assert (left["id"], left["points"]) == (kept["id"], 200)
    held = card(http, code)["loyalty_card"]
    assert (held["balance"], held["points"], held["pending_points"]) == (0, 0, 200)
    assert ok(http.get(f"/v1/loyalties/members/{code}/transactions"))["data"] == []


def test_pending_points_setting_is_validated_and_removable(http: httpx.Client) -> None:
    """Bad pending_points settings are 400 with no rule created; PUT null removes it, and
    the rule then gives points at once."""
    club = programme(http)
    url = f"/v1/loyalties/{club['id']}/earning-rules"
    bad = [
        {"period_type": "DAY", "period_value": 0},
        {"period_type": "DAY", "period_value": 91},
        {"period_type": "MONTH", "period_value": 2},
        {"period_type": "DAY"},
        {"period_type": "DAY", "period_value": 2, "extra": 1},
    ]
    for setting in bad:
        reply = http.post(url, json=[{**RULE, "pending_points": setting}])
        assert reply.status_code == 400, setting
        assert reply.json()["code"] == 400
    custom = {"event": "visit", "loyalty": {"type": "FIXED", "points": 5}}
    reply = http.post(url, json=[{**custom, "pending_points": {"period_value": 2}}])
    assert reply.status_code == 400
    assert "order.paid" in reply.json()["details"]
    assert ok(http.get(url))["total"] == 0
    (rule,) = ok(http.post(url, json=[RULE]))
    assert rule["pending_points"] == {"period_type": "DAY", "period_value": 3}
    renamed = ok(http.put(f"{url}/{rule['id']}", json={"source": {"banner": "Renamed"}}))
    assert renamed["pending_points"] == {"period_type": "DAY", "period_value": 3}
    cleared = ok(http.put(f"{url}/{rule['id']}", json={"pending_points": None}))
    assert "pending_points" not in cleared
    code = join(http, club["id"], "eve")["code"]
    pay(http, "eve", 3_000)
    held = card(http, code)["loyalty_card"]
    assert (held["balance"], held.get("pending_points")) == (30, None)
    assert _entries(http, code) == []


def test_programme_listing_pages_with_a_cursor(http: httpx.Client) -> None:
    """The programme's entries list in id order both ways and page with starting_after_id."""
    club = programme(http)
    ok(http.post(f"/v1/loyalties/{club['id']}/earning-rules", json=[RULE]))
    join(http, club["id"], "fay")
    join(http, club["id"], "gus")
    for source_id, amount in (("fay", 1_000), ("gus", 2_000), ("fay", 3_000)):
        pay(http, source_id, amount)
    url = f"/v1/loyalties/{club['id']}/pending-points"
    first = ok(http.get(url, params={"limit": 2, "order": "id"}))
    assert [e["points"] for e in first["data"]] == [10, 20]
    assert (first["has_more"], first["more_starting_after"]) == (True, first["data"][1]["id"])
    rest = ok(http.get(url, params={"order": "id", "starting_after_id": first["data"][1]["id"]}))
    assert ([e["points"] for e in rest["data"]], rest["has_more"]) == ([30], False)
    newest = ok(http.get(url))
    assert [e["points"] for e in newest["data"]] == [30, 20, 10]
    fay = newest["data"][0]["voucher_id"]
    scoped = ok(http.get(f"/v1/loyalties/{club['id']}/members/{fay}/pending-points"))
    assert [e["points"] for e in scoped["data"]] == [30, 10]
    activity = ok(http.get(f"/v1/loyalties/members/{fay}/activity"))["data"]
    kinds = [a["type"] for a in activity]
    assert kinds.count("customer.voucher.loyalty_card.pending_points.added") == 2
    assert http.get(url, params={"order": "points"}).status_code == 400


def test_background_job_activates_due_entries_even_after_the_rule_is_gone(
    server: RunningServer, http: httpx.Client
) -> None:
    """The periodic job activates an entry once the clock passes its day; the transaction
    still names the deleted earning rule from the entry's details."""
    club = programme(http)
    url = f"/v1/loyalties/{club['id']}/earning-rules"
    (rule,) = ok(http.post(url, json=[RULE]))
    code = join(http, club["id"], "hal")["code"]
    pay(http, "hal", 4_000)
    assert http.delete(f"{url}/{rule['id']}").status_code == 204
    (entry,) = _entries(http, code)
    due = datetime.combine(date.fromisoformat(entry["activates_at"]), time(0), tzinfo=UTC)
    worker = next(w for w in server.container.background if isinstance(w, PendingPointsWorker))
    server.clock.freeze()
    server.clock.set(due - timedelta(seconds=1))
    try:
        worker.run_once()
        assert _entries(http, code) == [entry]
        server.clock.set(due)
        assert worker.run_once() >= 1
    finally:
        server.clock.unfreeze()
        server.clock.set(datetime.now(UTC))
    assert _entries(http, code) == []
    held = card(http, code)["loyalty_card"]
    assert (held["balance"], held["pending_points"]) == (40, 0)
    (row,) = ok(http.get(f"/v1/loyalties/members/{code}/transactions"))["data"]
    assert row["created_at"] == due.strftime("%Y-%m-%dT%H:%M:%S.000Z")
    assert (row["source"], row["details"]["balance"]["operation_type"]) == (
        "Automation",
        "AUTOMATIC",
    )
    assert row["details"]["earning_rule"] == {
        "id": rule["id"],
        "source": {"banner": RULE["source"]["banner"]},
    }
