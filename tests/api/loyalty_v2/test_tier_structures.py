"""``/v2/loyalties/tier-structures``: settings, lifecycle, tiers, activities, programmes."""

from __future__ import annotations

from typing import Any

from tests.api.loyalty_v2.helpers import card_definition, earning_rule, points, program
from tests.support.loyalty_v2 import V2

BASE = "/v2/loyalties/tier-structures"


def _structure(v2: V2, wallet: str, **extra: Any) -> dict[str, Any]:
    body = {
        "name": "Levels",
        "type": "POINT_BALANCE",
        "point_balance": {"card_definition_id": wallet},
    }
    return v2.ok("POST", BASE, json={**body, **extra})


def _tier(name: str, low: int, high: int | None = None) -> dict[str, Any]:
    bounds = {"min_value": low} if high is None else {"min_value": low, "max_value": high}
    return {"name": name, "qualification_rules": {"type": "POINTS", "points": bounds}}


def test_create_defaults_and_get(v2: V2) -> None:
    """A balance structure is DRAFT, without retention, downgrading level by level."""
    wallet = card_definition(v2)["id"]
    created = _structure(v2, wallet, metadata={"a": 1})
    assert created["id"].startswith("lts_")
    assert created["status"] == "DRAFT"
    assert created["point_balance"] == {"card_definition_id": wallet}
    assert created["expiration"] == {"type": "NO_RETENTION"}
    assert created["downgrade"] == {"type": "MULTI_LEVEL"}
    assert created["metadata"] == {"a": 1}
    assert v2.ok("GET", f"{BASE}/{created['id']}") == created


def test_points_earned_structure_and_update(v2: V2) -> None:
    """A points-earned structure keeps its tracking period; an update changes what it names."""
    wallet = card_definition(v2)["id"]
    earned = {
        "card_definition_id": wallet,
        "period": {"value": 3, "unit": "MONTH"},
        "type": "IMMEDIATELY",
    }
    created = v2.ok(
        "POST", BASE, json={"name": "Earned", "type": "POINT_EARNED", "point_earned": earned}
    )
    assert created["point_earned"] == earned
    renamed = v2.ok("PUT", f"{BASE}/{created['id']}", json={"name": "Renamed"})
    assert (renamed["name"], renamed["point_earned"]) == ("Renamed", earned)
    assert renamed["updated_at"] is not None
    switched = v2.ok(
        "PUT",
        f"{BASE}/{created['id']}",
        json={"type": "POINT_BALANCE", "point_balance": {"card_definition_id": wallet}},
    )
    assert switched["type"] == "POINT_BALANCE"
    assert "point_earned" not in switched


def test_unsupported_and_bad_settings_are_refused(v2: V2) -> None:
    """Calendar and sliding retention, durations over 36 months, grace periods, other
    downgrades and tracking periods that are not calendar months, quarters, half-years or
    years are 400 ``not_supported``; bad periods,
    missing configs or unknown fields 400; an unknown wallet 404; nothing stored."""
    wallet = card_definition(v2)["id"]
    balance = {
        "name": "X",
        "type": "POINT_BALANCE",
        "point_balance": {"card_definition_id": wallet},
    }
    for extra in (
        {
            "expiration": {
                "type": "FIXED_DURATION",
                "fixed_duration": {"period": {"value": 4, "unit": "YEAR"}},
            }
        },
        {"expiration": {"type": "CALENDAR_EXPIRATION"}},
        {"expiration": {"type": "SLIDING_EXPIRATION"}},
        {"downgrade": {"type": "SINGLE_LEVEL"}},
        {"downgrade": {"type": "MULTI_LEVEL", "grace_period": {"value": 1, "unit": "DAY"}}},
    ):
        response = v2.post(BASE, json={**balance, **extra})
        assert response.status_code == 400, response.text
        assert response.json()["key"] == "not_supported"
    earned = {
        "card_definition_id": wallet,
        "period": {"value": 13, "unit": "MONTH"},
        "type": "IMMEDIATELY",
    }
    for period in ({"value": 2, "unit": "MONTH"}, {"value": 7, "unit": "DAY"}):
        weekly = {"name": "X", "type": "POINT_EARNED", "point_earned": {**earned, "period": period}}
        response = v2.post(BASE, json=weekly)
        assert (response.status_code, response.json()["key"]) == (400, "not_supported")
    for body in (
        {"name": "X", "type": "POINT_EARNED", "point_earned": earned},
        {"name": "X", "type": "POINT_BALANCE"},
        {**balance, "color": 1},
    ):
        response = v2.post(BASE, json=body)
        assert response.status_code == 400, response.text
    missing = {**balance, "point_balance": {"card_definition_id": "lcdef_00"}}
    assert v2.post(BASE, json=missing).status_code == 404
    assert v2.ok("GET", BASE)["data"] == []


def test_tiers_create_list_update_delete(v2: V2) -> None:
    """Tiers are added, listed in pages, changed and deleted; overlapping ranges are 409;
    segment qualification is 400 ``not_supported``; each change is a structure activity."""
    ident = _structure(v2, card_definition(v2)["id"])["id"]
    silver = v2.ok("POST", f"{BASE}/{ident}/tiers", json=_tier("Silver", 100, 499))
    assert silver["id"].startswith("lt_")
    assert silver["tier_structure_id"] == ident
    assert silver["downgrade"] == {"type": "INHERIT"}
    gold = v2.ok("POST", f"{BASE}/{ident}/tiers", json=_tier("Gold", 500))
    assert v2.post(f"{BASE}/{ident}/tiers", json=_tier("Clash", 400, 600)).status_code == 409
    segment = {
        **_tier("Seg", 1000),
        "qualification_rules": {
            "type": "POINTS_AND_SEGMENT",
            "points": {"min_value": 1000},
            "segment": {"id": "seg_1"},
        },
    }
    refused = v2.post(f"{BASE}/{ident}/tiers", json=segment)
    assert (refused.status_code, refused.json()["key"]) == (400, "not_supported")
    first = v2.ok("GET", f"{BASE}/{ident}/tiers", params={"limit": 1, "order": "created_at"})
    assert [t["name"] for t in first["data"]] == ["Silver"]
    assert first["cursor"]["next"].startswith("lcrst_")
    changed = v2.ok("PUT", f"{BASE}/{ident}/tiers/{gold['id']}", json={"name": "Golden"})
    assert (changed["name"], changed["qualification_rules"]) == (
        "Golden",
        gold["qualification_rules"],
    )
    assert v2.ok("DELETE", f"{BASE}/{ident}/tiers/{silver['id']}")["id"] == silver["id"]
    assert [t["name"] for t in v2.ok("GET", f"{BASE}/{ident}/tiers")["data"]] == ["Golden"]
    assert v2.put(f"{BASE}/{ident}/tiers/{silver['id']}", json={"name": "x"}).status_code == 404
    found = v2.ok("GET", f"{BASE}/{ident}/activities")["data"]
    assert [a["type"] for a in found] == [
        "vl.tier_structure.tier.deleted",
        "vl.tier_structure.tier.updated",
        "vl.tier_structure.tier.created",
        "vl.tier_structure.tier.created",
        "vl.tier_structure.created",
    ]
    assert found[1]["data"]["tier"]["name"] == "Golden"


def test_lifecycle_and_filters(v2: V2) -> None:
    """activate → deactivate → draft → delete, each an activity; wrong moves 409; filters."""
    wallet = card_definition(v2)["id"]
    ident = _structure(v2, wallet)["id"]
    _structure(v2, wallet, name="Other", status="ACTIVE")
    assert v2.ok("POST", f"{BASE}/{ident}/activate")["status"] == "ACTIVE"
    assert v2.post(f"{BASE}/{ident}/activate").status_code == 409
    assert v2.ok("POST", f"{BASE}/{ident}/deactivate")["status"] == "INACTIVE"
    drafts = v2.ok("GET", BASE, params={"filters[status][conditions][$is]": "ACTIVE"})
    assert [d["name"] for d in drafts["data"]] == ["Other"]
    listed = v2.ok("GET", BASE, params={"limit": 1})
    assert listed["cursor"]["next"].startswith("lcrsts_")
    assert v2.ok("POST", f"{BASE}/{ident}/draft")["status"] == "DRAFT"
    assert v2.ok("DELETE", f"{BASE}/{ident}")["status"] == "DELETED"
    assert v2.get(f"{BASE}/{ident}").status_code == 404
    assert v2.get(f"{BASE}/{ident}/tiers").status_code == 404
    types = [a["type"] for a in v2.ok("GET", f"{BASE}/{ident}/activities")["data"]]
    assert types == [
        "vl.tier_structure.deleted",
        "vl.tier_structure.drafted",
        "vl.tier_structure.deactivated",
        "vl.tier_structure.activated",
        "vl.tier_structure.created",
    ]
    assert v2.get(BASE, params={"cursor": "lcrsben_1"}).status_code == 400


def test_program_tier_structures(v2: V2) -> None:
    """A DRAFT programme takes one ACTIVE structure on one of its wallets and gives it back;
    a second one, an inactive one or another wallet's is 409, unassigning an unassigned one
    404, naming one twice 400, nothing changed; an unknown programme is 404."""
    wallet = card_definition(v2)["id"]
    rule = earning_rule(v2, [points(wallet, 10)])["id"]
    club = program(v2, [wallet], [rule], status="DRAFT")["id"]
    ident = _structure(v2, wallet, status="ACTIVE")["id"]
    path = f"/v2/loyalties/programs/{club}/tier-structures"
    assert v2.ok("GET", path) == {"object": "list", "data": [], "cursor": None}
    draft = _structure(v2, wallet)["id"]
    elsewhere = _structure(v2, card_definition(v2, "Other")["id"], status="ACTIVE")["id"]
    for refs in ([{"id": draft}], [{"id": elsewhere}], [{"id": ident}, {"id": ident}]):
        assert v2.post(f"{path}/batch", json={"assign": refs}).status_code in (400, 409)
    assert v2.post(f"{path}/batch", json={"unassign": [{"id": ident}]}).status_code == 404
    assert v2.ok("POST", f"{path}/batch", json={}) == {"assigned": None, "unassigned": None}
    assert v2.ok("GET", path)["data"] == []
    (made,) = v2.ok("POST", f"{path}/batch", json={"assign": [{"id": ident}]})["assigned"]
    assert made["tier_structure_id"] == ident
    second = _structure(v2, wallet, status="ACTIVE")["id"]
    assert v2.post(f"{path}/batch", json={"assign": [{"id": second}]}).status_code == 409
    assert [a["tier_structure_id"] for a in v2.ok("GET", path)["data"]] == [ident]
    back = v2.ok("POST", f"{path}/batch", json={"unassign": [{"id": ident}]})
    assert back == {"assigned": None, "unassigned": [made]}
    assert v2.ok("GET", path)["data"] == []
    unknown = "/v2/loyalties/programs/lprg_00/tier-structures"
    assert v2.get(unknown).status_code == 404
    assert v2.post(f"{unknown}/batch", json={"assign": [{"id": ident}]}).status_code == 404


def test_unknown_ids_are_404(v2: V2) -> None:
    """Unknown structures and tiers are 404 on every operation."""
    assert v2.get(f"{BASE}/lts_00").status_code == 404
    assert v2.post(f"{BASE}/lts_00/deactivate").status_code == 404
    assert v2.delete(f"{BASE}/lts_00").status_code == 404
    assert v2.get(f"{BASE}/lts_00/activities").status_code == 404
    assert v2.post(f"{BASE}/lts_00/tiers", json=_tier("A", 1)).status_code == 404
    ident = _structure(v2, card_definition(v2)["id"])["id"]
    assert v2.delete(f"{BASE}/{ident}/tiers/lt_00").status_code == 404
