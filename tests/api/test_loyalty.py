"""Loyalty API contract: programmes, members, earning rules, custom events, bad input."""

from __future__ import annotations

import httpx

from tests.api.loyalty_helpers import (
    card,
    join,
    loyalty_events,
    of_type,
    ok,
    order_rule,
    pay,
    programme,
)
from tests.support.server import Project, RunningServer


def test_programme_crud_and_members(http: httpx.Client) -> None:
    """A programme is a LOYALTY_PROGRAM campaign; joining twice gives the same card."""
    club = programme(http)
    assert club["campaign_type"] == "LOYALTY_PROGRAM"
    assert club["voucher"]["loyalty_card"]["expiration_rules"]["period_value"] == 12
    assert ok(http.get(f"/v1/loyalties/{club['id']}"))["name"] == "Club"
    assert (
        ok(http.put(f"/v1/loyalties/{club['id']}", json={"description": "d"}))["description"] == "d"
    )
    listed = ok(http.get("/v1/loyalties"))
    assert [c["id"] for c in listed["campaigns"]] == [club["id"]]
    first = join(http, club["id"], "ann")
    again = join(http, club["id"], "ann")
    assert first["id"] == again["id"]
    assert first["holder_id"] is not None
    given = ok(http.post(f"/v1/campaigns/{club['id']}/vouchers/LC-GIVEN", json={}))
    mine = join(http, club["id"], "ben", voucher=given["code"])
    assert mine["code"] == "LC-GIVEN"
    members = ok(http.get(f"/v1/loyalties/{club['id']}/members", params={"customer": "ben"}))
    assert [m["code"] for m in members["vouchers"]] == ["LC-GIVEN"]
    assert ok(http.get(f"/v1/loyalties/{club['id']}/members/LC-GIVEN"))["id"] == given["id"]
    deleted = ok(http.delete(f"/v1/loyalties/{club['id']}"))
    assert deleted["async_action_id"].startswith("aa_")


def test_removing_more_than_balance_changes_nothing(http: httpx.Client) -> None:
    """Removing more points than the card holds is a 400 and writes nothing."""
    club = programme(http)
    code = join(http, club["id"], "cat")["code"]
    ok(http.post(f"/v1/loyalties/members/{code}/balance", json={"points": 40}))
    response = http.post(f"/v1/loyalties/members/{code}/balance", json={"points": -41})
    assert response.status_code == 400
    assert response.json()["key"] == "not_enough_points"
    assert card(http, code)["loyalty_card"]["balance"] == 40
    rows = ok(http.get(f"/v1/loyalties/members/{code}/transactions"))["data"]
    assert [t["type"] for t in rows] == ["POINTS_ADDITION"]


def test_balance_needs_a_holder_and_valid_points(http: httpx.Client) -> None:
    """An unassigned card, zero points or a custom expiry without a date are 400."""
    club = programme(http)
    free = ok(http.post(f"/v1/campaigns/{club['id']}/vouchers/LC-FREE", json={}))
    response = http.post(f"/v1/loyalties/members/{free['code']}/balance", json={"points": 5})
    assert (response.status_code, response.json()["key"]) == (400, "missing_customer")
    code = join(http, club["id"], "dan")["code"]
    assert http.post(f"/v1/loyalties/members/{code}/balance", json={"points": 0}).status_code == 400
    custom = {"points": 5, "expiration_type": "CUSTOM_DATE"}
    assert http.post(f"/v1/loyalties/members/{code}/balance", json=custom).status_code == 400
    dated = {**custom, "expiration_date": "2999-12-31"}
    ok(http.post(f"/v1/loyalties/members/{code}/balance", json=dated))
    assert card(http, code)["loyalty_card"]["next_expiration_date"] == "2999-12-31"
    never = {"points": 7, "expiration_type": "NON_EXPIRING"}
    ok(http.post(f"/v1/loyalties/members/{code}/balance", json=never))
    assert card(http, code)["loyalty_card"]["next_expiration_points"] == 5


def test_transfer_from_an_unheld_card_or_beyond_its_balance_is_refused(
    http: httpx.Client,
) -> None:
    """Transfers take points only from held cards, never more than they hold; nothing moves
    otherwise."""
    club = programme(http)
    mine = join(http, club["id"], "eve")["code"]
    loose = ok(http.post(f"/v1/campaigns/{club['id']}/vouchers/LC-LOOSE", json={}))["code"]
    body = [{"code": loose, "points": 5}]
    response = http.post(f"/v1/loyalties/{club['id']}/members/{mine}/transfers", json=body)
    assert (response.status_code, response.json()["key"]) == (400, "missing_customer")
    too_many = [{"code": join(http, club["id"], "fay")["code"], "points": 1}]
    response = http.post(f"/v1/loyalties/{club['id']}/members/{mine}/transfers", json=too_many)
    assert (response.status_code, response.json()["key"]) == (400, "not_enough_points")
    assert card(http, mine)["loyalty_card"]["balance"] == 0


def test_impossible_earning_rules_are_refused(http: httpx.Client) -> None:
    """Rules with every=0, negative points, formulas, unknown calculations or tiers are 400."""
    club = programme(http)
    url = f"/v1/loyalties/{club['id']}/earning-rules"
    proportional = {"type": "PROPORTIONAL", "calculation_type": "ORDER_AMOUNT"}
    bad = [
        {
            "event": "order.paid",
            "loyalty": {**proportional, "order": {"amount": {"every": 0, "points": 1}}},
        },
        {"event": "order.paid", "loyalty": {"type": "FIXED", "points": -1}},
        {"event": "order.paid", "loyalty": {"type": "FIXED", "points_formula": "1+1"}},
        {
            "event": "order.paid",
            "loyalty": {**proportional, "calculation_type": "CUSTOM_EVENT_METADATA"},
        },
        {"event": "customer.loyalty.tier.joined", "loyalty": {"type": "FIXED", "points": 5}},
        {"event": "order.paid"},
        {
            "event": "order.paid",
            "loyalty": {"type": "FIXED", "points": 1},
            "validity_day_of_week": [9],
        },
    ]
    for rule in bad:
        response = http.post(url, json=[rule])
        assert response.status_code == 400, rule
    assert ok(http.get(url))["total"] == 0


def test_earning_rule_crud_and_validity(
    http: httpx.Client, server: RunningServer, project: Project
) -> None:
    """Rules can be listed, updated, disabled and deleted; a disabled rule gives no points."""
    club = programme(http)
    rule = order_rule(http, club["id"], every=1000)
    assert rule["object"] == "earning_rule"
    assert rule["source"] == {
        "banner": "Basic points",
        "object_id": club["id"],
        "object_type": "campaign",
    }
    url = f"/v1/loyalties/{club['id']}/earning-rules/{rule['id']}"
    changed = ok(http.put(url, json={"source": {"banner": "Double"}, "metadata": {"k": 1}}))
    assert (changed["source"]["banner"], changed["metadata"]) == ("Double", {"k": 1})
    code = join(http, club["id"], "gus")["code"]
    assert ok(http.post(f"{url}/disable"))["active"] is False
    pay(http, "gus", 5000)
    assert card(http, code)["loyalty_card"]["balance"] == 0
    ok(http.post(f"{url}/enable"))
    pay(http, "gus", 5999)
    assert card(http, code)["loyalty_card"]["balance"] == 5
    assert http.delete(url).status_code == 204
    assert http.get(url).status_code == 404
    kinds = [r["type"] for r in loyalty_events(server, project) if "earning_rule" in r["type"]]
    assert kinds == [
        "campaign.earning_rule.assigned",
        "campaign.earning_rule.updated",
        "campaign.earning_rule.disabled",
        "campaign.earning_rule.enabled",
        "campaign.earning_rule.deleted",
    ]


def test_item_rules_and_orders_created_paid(http: httpx.Client) -> None:
    """ORDER_ITEMS_QUANTITY counts the named product's units; an order created PAID accrues."""
    club = programme(http)
    loyalty = {
        "type": "PROPORTIONAL",
        "calculation_type": "ORDER_ITEMS_QUANTITY",
        "order_items": {"quantity": {"every": 2, "points": 5, "object": "product", "id": "prod_1"}},
    }
    ok(
        http.post(
            f"/v1/loyalties/{club['id']}/earning-rules",
            json=[{"event": "order.paid", "loyalty": loyalty}],
        )
    )
    code = join(http, club["id"], "hal")["code"]
    items = [
        {"product_id": "prod_1", "quantity": 5, "price": 100},
        {"product_id": "prod_2", "quantity": 9, "price": 100},
    ]
    ok(
        http.post(
            "/v1/orders", json={"status": "PAID", "customer": {"source_id": "hal"}, "items": items}
        )
    )
    assert card(http, code)["loyalty_card"]["balance"] == 10


def test_custom_event_rule_and_auto_join(
    http: httpx.Client, server: RunningServer, project: Project
) -> None:
    """A custom event fires its rule; with auto_join a non-member is enrolled first."""
    club = programme(http)
    ok(http.put(f"/v1/loyalties/{club['id']}", json={"auto_join": True}))
    loyalty = {
        "type": "PROPORTIONAL",
        "calculation_type": "CUSTOM_EVENT_METADATA",
        "custom_event": {"metadata": {"every": 1, "points": 3, "property": "reviews"}},
    }
    ok(
        http.post(
            f"/v1/loyalties/{club['id']}/earning-rules",
            json=[{"event": "review_written", "loyalty": loyalty}],
        )
    )
    body = {"event": "review_written", "customer": {"source_id": "ivy"}, "metadata": {"reviews": 4}}
    tracked = ok(http.post("/v1/events", json=body))
    assert (tracked["object"], tracked["type"]) == ("event", "review_written")
    members = ok(http.get(f"/v1/loyalties/{club['id']}/members", params={"customer": "ivy"}))
    (member,) = members["vouchers"]
    assert member["loyalty_card"]["balance"] == 12
    rows = loyalty_events(server, project)
    (accrual,) = of_type(rows, "voucher.loyalty_card.transaction.created")
    assert accrual["custom_event"]["type"] == "review_written"
    assert accrual["event"]["type"] == "customer.custom_event"
    assert of_type(rows, "customer.custom_event")[0]["event"]["metadata"] == {"reviews": 4}
    assert (
        http.post(
            "/v1/events", json={"event": "order.paid", "customer": {"source_id": "x"}}
        ).status_code
        == 400
    )


def test_tier_rules_and_tier_crud(
    http: httpx.Client, server: RunningServer, project: Project
) -> None:
    """Joining a tier fires its rule; overlapping ranges are refused; tiers can change."""
    club = programme(http)
    tiers = ok(
        http.post(
            f"/v1/loyalties/{club['id']}/tiers",
            json=[
                {"name": "Base", "points": {"from": 0, "to": 99}},
                {"name": "Top", "points": {"from": 100}},
            ],
        )
    )
    top = tiers[1]
    bonus = {
        "event": "customer.loyalty.tier.joined",
        "loyalty_tier": {"id": top["id"]},
        "loyalty": {"type": "FIXED", "points": 25},
    }
    ok(http.post(f"/v1/loyalties/{club['id']}/earning-rules", json=[bonus]))
    upgrade = {**bonus, "event": "customer.loyalty.tier.upgraded"}
    ok(http.post(f"/v1/loyalties/{club['id']}/earning-rules", json=[upgrade]))
    code = join(http, club["id"], "jon")["code"]
    ok(http.post(f"/v1/loyalties/members/{code}/balance", json={"points": 100}))
    assert card(http, code)["loyalty_card"]["balance"] == 125
    overlap = [{"name": "Mid", "points": {"from": 50, "to": 150}}]
    assert http.post(f"/v1/loyalties/{club['id']}/tiers", json=overlap).status_code == 400
    renamed = ok(http.put(f"/v1/loyalties/{club['id']}/tiers/{top['id']}", json={"name": "Gold"}))
    assert renamed["name"] == "Gold"
    assert http.delete(f"/v1/loyalties/{club['id']}/tiers/{top['id']}").status_code == 204
    assert ok(http.get(f"/v1/loyalties/members/{code}/tiers"))["data"] == []
    kinds = [r["type"] for r in loyalty_events(server, project) if "tier" in r["type"]]
    assert kinds == [
        "campaign.loyalty_tier.created",
        "campaign.loyalty_tier.created",
        "customer.loyalty.tier.joined",
        "customer.loyalty.tier.upgraded",
        "campaign.loyalty_tier.updated",
        "campaign.loyalty_tier.deleted",
        "customer.loyalty.tier.left",
    ]


def test_voucher_balance_endpoint_on_a_card(http: httpx.Client) -> None:
    """``POST /v1/vouchers/{code}/balance`` adjusts a held loyalty card's points."""
    club = programme(http)
    code = join(http, club["id"], "kim")["code"]
    body = ok(http.post(f"/v1/vouchers/{code}/balance", json={"amount": 70}))
    assert (body["points"], body["balance"], body["type"]) == (70, 70, "loyalty_card")
    assert card(http, code)["loyalty_card"]["balance"] == 70
