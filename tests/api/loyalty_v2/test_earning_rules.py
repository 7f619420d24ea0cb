"""``/v2/loyalties/earning-rules``: effects on wallets, lifecycle, refusals."""

from __future__ import annotations

from tests.api.loyalty_v2.helpers import card_definition, earning_rule, per_amount, points
from tests.support.loyalty_v2 import V2

BASE = "/v2/loyalties/earning-rules"


def test_create_get_update(v2: V2) -> None:
    """A rule's earnings name wallets; it reads back and an update replaces its earnings."""
    wallet = card_definition(v2)
    rule = earning_rule(v2, [points(wallet["id"], 100)])
    assert rule["id"].startswith("lern_")
    assert rule["status"] == "ACTIVE"
    assert rule["trigger"]["event"] == "customer.order.paid"
    assert rule["earnings"][0]["effects"][0]["points"]["value"] == 100
    assert rule["earnings"][0]["id"].startswith("lernei_")
    assert v2.ok("GET", f"{BASE}/{rule['id']}") == rule
    body = {"earnings": [{"effects": [per_amount(wallet["id"], 100, 1)]}]}
    updated = v2.ok("PUT", f"{BASE}/{rule['id']}", json=body)
    effect = updated["earnings"][0]["effects"][0]
    assert effect["points_proportional"]["order"] == {"amount": {"every": 100, "value": 1}}


def test_unknown_wallet_and_unimplemented_triggers(v2: V2) -> None:
    """An effect on an unknown wallet is 404; conditions are 400 ``not_supported``; an
    unknown trigger event is 400; nothing is stored."""
    missing = v2.post(
        BASE,
        json={
            "name": "R",
            "trigger": {"event": "customer.order.paid"},
            "earnings": [{"effects": [points("lcdef_00", 1)]}],
        },
    )
    assert missing.status_code == 404
    wallet = card_definition(v2)
    for trigger, earning in (
        ({"event": "customer.tier.joined"}, {}),
        ({"event": "customer.order.paid"}, {"rules": {"logic": "1"}}),
    ):
        body = {
            "name": "R",
            "trigger": trigger,
            "earnings": [{"effects": [points(wallet["id"], 1)], **earning}],
        }
        response = v2.post(BASE, json=body)
        assert response.status_code == 400, response.text
        assert response.json()["key"] in ("not_supported", "invalid_payload")
    assert v2.ok("GET", BASE)["data"] == []


def test_lifecycle(v2: V2) -> None:
    """deactivate → draft → activate; activities newest first; a wrong move is 409."""
    wallet = card_definition(v2)
    rule = earning_rule(v2, [points(wallet["id"], 5)])
    ident = rule["id"]
    assert v2.ok("POST", f"{BASE}/{ident}/deactivate")["status"] == "INACTIVE"
    assert v2.post(f"{BASE}/{ident}/deactivate").status_code == 409
    assert v2.ok("POST", f"{BASE}/{ident}/draft")["status"] == "DRAFT"
    assert v2.ok("POST", f"{BASE}/{ident}/activate")["status"] == "ACTIVE"
    page = v2.ok("GET", f"{BASE}/{ident}/activities", params={"limit": 2})
    assert [a["type"] for a in page["data"]] == [
        "vl.earning_rule.activated",
        "vl.earning_rule.drafted",
    ]
    rest = v2.ok("GET", f"{BASE}/{ident}/activities", params={"cursor": page["cursor"]["next"]})
    assert [a["type"] for a in rest["data"]] == [
        "vl.earning_rule.deactivated",
        "vl.earning_rule.created",
    ]
    assert v2.ok("DELETE", f"{BASE}/{ident}")["id"] == ident
    assert v2.get(f"{BASE}/{ident}").status_code == 404
