"""``/v2/loyalties/card-definitions``: settings, lifecycle, lists and activities."""

from __future__ import annotations

from tests.api.loyalty_v2.helpers import ROLLING_12, card_definition
from tests.support.loyalty_v2 import V2

BASE = "/v2/loyalties/card-definitions"


def test_create_defaults_and_get(v2: V2) -> None:
    """A new card definition is DRAFT with the documented defaults, and reads back the same."""
    created = v2.ok("POST", BASE, json={"name": "Wallet", "type": "INDIVIDUAL"})
    assert created["status"] == "DRAFT"
    assert created["id"].startswith("lcdef_")
    assert created["points_expiration"] == {"type": "NO_EXPIRATION"}
    assert created["pending_points"] == {"type": "IMMEDIATE"}
    assert created["code_config"]["length"] == 10
    assert created["balance_settings"] == {"allow_negative": False}
    assert created["updated_at"] is None
    assert v2.ok("GET", f"{BASE}/{created['id']}") == created


def test_settings_kept_and_updated(v2: V2) -> None:
    """Rolling expiration, period-based pending points and an exchange ratio are kept; an
    update changes only what it names."""
    created = card_definition(
        v2,
        points_expiration=ROLLING_12,
        pending_points={
            "type": "PERIOD_BASED",
            "period_based": {"period": {"unit": "DAY", "value": 14}},
        },
        pay_with_points={"type": "EXCHANGE_RATIO", "exchange_ratio": {"formula": 5}},
    )
    assert created["points_expiration"]["rolling_expiration"]["period"] == {
        "unit": "MONTH",
        "value": 12,
    }
    assert created["pay_with_points"]["exchange_ratio"]["formula"] == "5"
    updated = v2.ok(
        "PUT", f"{BASE}/{created['id']}", json={"name": "Renamed", "metadata": {"a": 1}}
    )
    assert updated["name"] == "Renamed"
    assert updated["metadata"] == {"a": 1}
    assert updated["points_expiration"] == created["points_expiration"]
    assert updated["updated_at"] is not None


def test_unimplemented_settings_are_refused(v2: V2) -> None:
    """Options the ledger cannot honour are 400 ``not_supported`` and nothing is stored."""
    for extra in (
        {"points_expiration": {"type": "SLIDING_EXPIRATION"}},
        {"balance_settings": {"allow_negative": True}},
        {
            "earning_limits": {
                "global": {"type": "NO_LIMIT"},
                "transactions": {
                    "type": "LIMITED",
                    "limits": [{"type": "SPENDING", "min_amount": 1000}],
                },
            }
        },
    ):
        response = v2.post(BASE, json={"name": "X", "type": "INDIVIDUAL", **extra})
        assert response.status_code == 400, response.text
        assert response.json()["key"] == "not_supported"
    assert v2.ok("GET", BASE)["data"] == []


def test_bad_input_is_400(v2: V2) -> None:
    """Unknown fields, a missing name and a wrong type are 400 ``invalid_payload``."""
    for body in (
        {"type": "INDIVIDUAL"},
        {"name": "X", "type": "SHARED"},
        {"name": "X", "color": 1},
    ):
        response = v2.post(BASE, json=body)
        assert response.status_code == 400, response.text
        assert response.json()["key"] == "invalid_payload"


def test_lifecycle_and_activities(v2: V2) -> None:
    """activate → draft → delete, each change an activity; a wrong transition is 409."""
    created = v2.ok("POST", BASE, json={"name": "Cycle", "type": "INDIVIDUAL"})
    ident = created["id"]
    assert v2.ok("POST", f"{BASE}/{ident}/activate")["status"] == "ACTIVE"
    again = v2.post(f"{BASE}/{ident}/activate")
    assert again.status_code == 409
    assert v2.ok("POST", f"{BASE}/{ident}/draft")["status"] == "DRAFT"
    assert v2.ok("DELETE", f"{BASE}/{ident}")["status"] == "DELETED"
    assert v2.get(f"{BASE}/{ident}").status_code == 404
    types = [a["type"] for a in v2.ok("GET", f"{BASE}/{ident}/activities")["data"]]
    assert types == [
        "vl.card_definition.deleted",
        "vl.card_definition.drafted",
        "vl.card_definition.activated",
        "vl.card_definition.created",
    ]


def test_cursor_pages_order_and_filters(v2: V2) -> None:
    """Pages follow ``cursor.next``; ``order=name`` sorts; ``filters`` narrow by status."""
    for name in ("c", "a", "b"):
        card_definition(v2, name)
    v2.ok("POST", BASE, json={"name": "draft", "type": "INDIVIDUAL"})
    first = v2.ok("GET", BASE, params={"limit": 2, "order": "name"})
    assert [d["name"] for d in first["data"]] == ["a", "b"]
    second = v2.ok(
        "GET", BASE, params={"limit": 2, "order": "name", "cursor": first["cursor"]["next"]}
    )
    assert [d["name"] for d in second["data"]] == ["c", "draft"]
    assert second["cursor"] is None
    active = v2.ok("GET", BASE, params={"filters[status][conditions][$is]": "ACTIVE"})
    assert sorted(d["name"] for d in active["data"]) == ["a", "b", "c"]
    assert v2.get(BASE, params={"cursor": "lcrsern_1"}).status_code == 400
    assert v2.get(BASE, params={"order": "color"}).status_code == 400


def test_unknown_id_is_404(v2: V2) -> None:
    """Reading, changing or moving an unknown card definition is 404."""
    assert v2.get(f"{BASE}/lcdef_00").status_code == 404
    assert v2.post(f"{BASE}/lcdef_00/activate").status_code == 404
    assert v2.put(f"{BASE}/lcdef_00", json={"name": "x"}).status_code == 404
