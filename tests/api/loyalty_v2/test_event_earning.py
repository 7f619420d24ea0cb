"""v2 earning rules on custom events and segment entry: points on the member's card, in the
same transaction, recorded for the earnings reports; unknown references are 404."""

from __future__ import annotations

from typing import Any

import httpx

from tests.api.loyalty_v2.helpers import (
    assign_tiers,
    card_definition,
    customer,
    member,
    per_amount,
    points,
    tier_structure,
)
from tests.api.loyalty_v2.helpers import program as make_program
from tests.support.loyalty_v2 import V2
from tests.support.server import Project, RunningServer

RULES = "/v2/loyalties/earning-rules"
GOLD = {"junction": "and", "metadata.tier": {"conditions": {"$is": ["gold"]}}}
REVIEW = {"name": "review_written", "schema": {"properties": {"stars": {"type": "number"}}}}


def _schema(server: RunningServer, project: Project, body: dict[str, Any]) -> str:
    """A custom event schema of the project; its id."""
    with httpx.Client(base_url=server.base_url, headers=server.management_headers) as admin:
        url = f"/management/v1/projects/{project.id}/custom-event-schemas"
        response = admin.post(url, json=body)
        assert response.status_code == 200, response.text
        ident: str = response.json()["id"]
        return ident


def _rule(
    v2: V2, trigger: dict[str, Any], effects: list[dict[str, Any]], **extra: Any
) -> dict[str, Any]:
    earning = {"effects": effects, **extra.pop("earning", {})}
    body = {"name": "Events", "status": "ACTIVE", "trigger": trigger, **extra}
    return v2.ok("POST", RULES, json={**body, "earnings": [earning]})


def _balance(v2: V2, club: str, member_id: str, wallet: str) -> Any:
    found = v2.ok("GET", f"/v2/loyalties/programs/{club}/members/{member_id}")
    (card,) = [c["card"] for c in found["cards"] if c["card"]["card_definition_id"] == wallet]
    return card["balance"]


def _track(v2: V2, name: str, source_id: str, stars: Any = 5) -> None:
    metadata = {} if stars is None else {"stars": stars}
    body = {"event": name, "customer": {"source_id": source_id}, "metadata": metadata}
    response = v2.client.post("/v1/events", json=body)
    assert response.status_code == 200, response.text


def _summary(v2: V2, club: str) -> list[tuple[str, str, int, int]]:
    url = f"/v2/loyalties/programs/{club}/reports/points-earnings/summary"
    return [
        (e["earning_rule_id"], e["card_definition_id"], e["success_count"], e["points"])
        for e in v2.ok("GET", url)["data"]
    ]


def test_custom_event_earns_fixed_points(v2: V2, server: RunningServer, project: Project) -> None:
    """Each tracked event of the named schema adds 40 points at once; other events, and
    customers who are not members, earn nothing; the report counts both firings."""
    schema_id = _schema(server, project, REVIEW)
    _schema(server, project, {"name": "page_viewed", "schema": {"properties": {}}})
    wallet = card_definition(v2)["id"]
    rule = _rule(
        v2,
        {"event": "customer.custom_event", "custom_event": {"schema_id": schema_id}},
        [points(wallet, 40)],
    )
    assert rule["trigger"] == {
        "event": "customer.custom_event",
        "custom_event": {"schema_id": schema_id},
        "segment": None,
    }
    club = make_program(v2, [wallet], [rule["id"]])["id"]
    joined = member(v2, club, customer(v2, "ann")["id"])["id"]
    customer(v2, "bob")
    _track(v2, "review_written", "ann")
    _track(v2, "review_written", "ann")
    _track(v2, "page_viewed", "ann")
    _track(v2, "review_written", "bob")
    assert _balance(v2, club, joined, wallet) == {"points": 80, "pending_points": 0}
    assert _summary(v2, club) == [(rule["id"], wallet, 2, 80)]


def test_custom_event_metadata_proportional(
    v2: V2, server: RunningServer, project: Project
) -> None:
    """``CUSTOM_EVENT_METADATA_VALUE``: 3 points for every 2 stars (5 stars: 6, 7.9: 9);
    an absent value gives nothing (no credit); the effect cannot be on an order rule."""
    stars = {"name": "rated", "schema": {"properties": {"stars": {"type": "number"}}}}
    schema_id = _schema(server, project, stars)
    wallet = card_definition(v2)["id"]
    per_stars = {
        "type": "POINTS_PROPORTIONAL",
        "points_proportional": {
            "calculation_type": "CUSTOM_EVENT_METADATA_VALUE",
            "card_definition_id": wallet,
            "custom_event": {"metadata": {"every": 2, "value": 3, "property": "stars"}},
        },
    }
    trigger = {"event": "customer.custom_event", "custom_event": {"schema_id": schema_id}}
    rule = _rule(v2, trigger, [per_stars])
    assert rule["earnings"][0]["effects"][0] == {
        **per_stars,
        "points_proportional": {**per_stars["points_proportional"], "points_expiration": None},
    }
    club = make_program(v2, [wallet], [rule["id"]])["id"]
    joined = member(v2, club, customer(v2, "ann")["id"])["id"]
    for given in (5, 7.9, None):
        _track(v2, "rated", "ann", given)
    assert _balance(v2, club, joined, wallet) == {"points": 15, "pending_points": 0}
    assert _summary(v2, club) == [(rule["id"], wallet, 2, 15)]
    on_order = v2.post(RULES, json=_body({"event": "customer.order.paid"}, [per_stars]))
    assert (on_order.status_code, on_order.json()["key"]) == (400, "not_supported")


def test_segment_entry_earns_once(v2: V2) -> None:
    """Entering the auto-update segment adds 25 points once; later updates while inside
    add nothing; a rule of another segment does not fire."""
    wallet = card_definition(v2)["id"]
    segment = v2.client.post(
        "/v1/segments", json={"name": "Gold", "type": "auto-update", "filter": GOLD}
    ).json()
    other = v2.client.post("/v1/segments", json={"name": "None", "customers": []}).json()
    rule = _rule(
        v2,
        {"event": "customer.segment.entered", "segment": {"id": segment["id"]}},
        [points(wallet, 25)],
    )
    idle = _rule(
        v2,
        {"event": "customer.segment.entered", "segment": {"id": other["id"]}},
        [points(wallet, 1000)],
    )
    club = make_program(v2, [wallet], [rule["id"], idle["id"]])["id"]
    joined = member(v2, club, customer(v2, "ann")["id"])["id"]
    for change in ({"metadata": {"tier": "gold"}}, {"name": "Ann"}):
        assert v2.client.put("/v1/customers/ann", json=change).status_code == 200
    assert _balance(v2, club, joined, wallet) == {"points": 25, "pending_points": 0}
    assert _summary(v2, club) == [(rule["id"], wallet, 1, 25)]


def test_tier_rules_and_dates_apply(v2: V2, server: RunningServer, project: Project) -> None:
    """An earning limited to Gold adds its 50 points only once the member is Gold; a rule
    past its end date fires never; nor does a rule of an inactive programme."""
    schema_id = _schema(server, project, REVIEW)
    trigger = {"event": "customer.custom_event", "custom_event": {"schema_id": schema_id}}
    wallet = card_definition(v2)["id"]
    levels = tier_structure(v2, wallet, [("Bronze", 0, 99), ("Gold", 100, None)])
    gold = {"tier_structure_id": levels["id"], "tier_ids": [levels["tiers"]["Gold"]]}
    tiered = {"tier_rules": {"type": "ANY_OF", "any_of": [gold]}}
    everyone = _rule(v2, trigger, [points(wallet, 5)])
    golden = _rule(v2, trigger, [points(wallet, 50)], earning=tiered)
    ended = _rule(v2, trigger, [points(wallet, 700)], end_date="2020-01-01T00:00:00Z")
    club = make_program(v2, [wallet], [everyone["id"], golden["id"], ended["id"]])["id"]
    assign_tiers(v2, club, levels["id"])
    joined = member(v2, club, customer(v2, "ann")["id"])
    card = joined["cards"][0]["card"]["id"]
    _track(v2, "review_written", "ann")
    assert _balance(v2, club, joined["id"], wallet)["points"] == 5
    url = f"/v2/loyalties/programs/{club}/members/{joined['id']}/cards/{card}/points"
    v2.ok("POST", url, json={"points": 100})
    _track(v2, "review_written", "ann")
    assert _balance(v2, club, joined["id"], wallet)["points"] == 160
    v2.ok("POST", f"/v2/loyalties/programs/{club}/deactivate")
    _track(v2, "review_written", "ann")
    assert _balance(v2, club, joined["id"], wallet)["points"] == 160


def test_bad_triggers_refused(v2: V2, server: RunningServer, project: Project) -> None:
    """Unknown schema or segment: 404; proportional points without an order: 400
    ``not_supported``; a context on the wrong trigger: 400; nothing stored."""
    wallet = card_definition(v2)["id"]
    schema_id = _schema(server, project, REVIEW)
    on_event = {"event": "customer.custom_event", "custom_event": {"schema_id": schema_id}}
    cases = (
        ({"event": "customer.segment.entered", "segment": {"id": "seg_nope"}}, 404, "not_found"),
        ({"event": "customer.custom_event", "custom_event": {"schema_id": "ms_no"}}, 404, None),
        ({"event": "customer.order.paid", "segment": {"id": "seg_x"}}, 400, "invalid_payload"),
        ({"event": "customer.custom_event"}, 400, "invalid_payload"),
    )
    for trigger, status, key in cases:
        response = v2.post(RULES, json=_body(trigger, [points(wallet, 1)]))
        assert response.status_code == status, response.text
        assert key is None or response.json()["key"] == key
    refused = v2.post(RULES, json=_body(on_event, [per_amount(wallet, 100, 1)]))
    assert (refused.status_code, refused.json()["key"]) == (400, "not_supported")
    assert v2.ok("GET", RULES)["data"] == []


def _body(trigger: dict[str, Any], effects: list[dict[str, Any]]) -> dict[str, Any]:
    return {"name": "R", "trigger": trigger, "earnings": [{"effects": effects}]}
