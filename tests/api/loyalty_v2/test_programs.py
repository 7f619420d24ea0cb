"""``/v2/loyalties/programs``: creation with components, activation rules, assignments."""

from __future__ import annotations

from tests.api.loyalty_v2.helpers import card_definition, earning_rule, points, program
from tests.support.loyalty_v2 import V2

BASE = "/v2/loyalties/programs"


def test_create_active_program_with_components(v2: V2) -> None:
    """A programme created ACTIVE with a wallet and a rule lists both assignments."""
    wallet = card_definition(v2)
    rule = earning_rule(v2, [points(wallet["id"], 10)])
    created = program(v2, [wallet["id"]], [rule["id"]])
    assert created["status"] == "ACTIVE"
    assert created["card_definitions"] == [{"id": wallet["id"]}]
    ident = created["id"]
    wallets = v2.ok("GET", f"{BASE}/{ident}/card-definitions")["data"]
    assert [w["card_definition_id"] for w in wallets] == [wallet["id"]]
    rules = v2.ok("GET", f"{BASE}/{ident}/earning-rules")["data"]
    assert [r["earning_rule_id"] for r in rules] == [rule["id"]]
    assert v2.ok("GET", f"{BASE}/{ident}")["status"] == "ACTIVE"
    types = [a["type"] for a in v2.ok("GET", f"{BASE}/{ident}/activities")["data"]]
    assert types[0] == "vl.program.activated"
    assert "vl.program.card_definition.assigned" in types


def test_activation_needs_an_active_wallet_and_rule(v2: V2) -> None:
    """Without an active wallet, or without an active rule, activation is 409 and the
    programme stays DRAFT."""
    bare = v2.ok("POST", BASE, json={"name": "Bare"})
    response = v2.post(f"{BASE}/{bare['id']}/activate")
    assert response.status_code == 409
    assert "card definition" in response.json()["details"]
    wallet = card_definition(v2)
    batch = {"assign": [{"id": wallet["id"]}]}
    assigned = v2.ok("POST", f"{BASE}/{bare['id']}/card-definitions/batch", json=batch)
    assert assigned["assigned"][0]["card_definition_id"] == wallet["id"]
    response = v2.post(f"{BASE}/{bare['id']}/activate")
    assert response.status_code == 409
    assert "earning rule" in response.json()["details"]
    assert v2.ok("GET", f"{BASE}/{bare['id']}")["status"] == "DRAFT"
    failing = v2.post(BASE, json={"name": "Bad", "status": "ACTIVE"})
    assert failing.status_code == 409
    assert v2.ok("GET", BASE)["data"] == [v2.ok("GET", f"{BASE}/{bare['id']}")]


def test_wallets_are_fixed_once_active(v2: V2) -> None:
    """After activation a wallet cannot be added, removed or edited (409, nothing changed);
    earning rules still can be."""
    wallet = card_definition(v2)
    rule = earning_rule(v2, [points(wallet["id"], 10)])
    active = program(v2, [wallet["id"]], [rule["id"]])
    other = card_definition(v2, "Other")
    url = f"{BASE}/{active['id']}/card-definitions/batch"
    assert v2.post(url, json={"assign": [{"id": other["id"]}]}).status_code == 409
    assert v2.post(url, json={"unassign": [{"id": wallet["id"]}]}).status_code == 409
    edit = v2.put(f"/v2/loyalties/card-definitions/{wallet['id']}", json={"name": "New"})
    assert edit.status_code == 409
    assert v2.ok("GET", f"/v2/loyalties/card-definitions/{wallet['id']}")["name"] == "Points"
    second = earning_rule(v2, [points(wallet["id"], 1)])
    rules = f"{BASE}/{active['id']}/earning-rules/batch"
    assert v2.ok("POST", rules, json={"assign": [{"id": second["id"]}]})["assigned"]
    assert len(v2.ok("GET", f"{BASE}/{active['id']}/earning-rules")["data"]) == 2


def test_deactivate_update_delete(v2: V2) -> None:
    """An active programme deletes only after deactivation; updates change name and dates."""
    wallet = card_definition(v2)
    rule = earning_rule(v2, [points(wallet["id"], 10)])
    active = program(v2, [wallet["id"]], [rule["id"]])
    url = f"{BASE}/{active['id']}"
    assert v2.delete(url).status_code == 409
    body = {"name": "Renamed", "end_date": "2030-01-01T00:00:00.000Z"}
    updated = v2.ok("PUT", url, json=body)
    assert (updated["name"], updated["end_date"]) == ("Renamed", "2030-01-01T00:00:00.000Z")
    assert v2.ok("POST", f"{url}/deactivate")["status"] == "INACTIVE"
    assert v2.ok("DELETE", url)["status"] == "DELETED"
    assert v2.get(url).status_code == 404


def test_unbuilt_components_and_unknown_ids(v2: V2) -> None:
    """Unknown ids (tier structures too) are 404 and nothing is created."""
    response = v2.post(BASE, json={"name": "R", "tier_structures": [{"id": "lts_00"}]})
    assert response.status_code == 404
    assert v2.get(f"{BASE}/lprg_00").status_code == 404
    assert (
        v2.post(BASE, json={"name": "X", "card_definitions": [{"id": "lcdef_00"}]}).status_code
        == 404
    )
    assert v2.ok("GET", BASE)["data"] == []
