"""``/v2/loyalties/programs/{id}/members`` and memberships."""

from __future__ import annotations

from tests.api.catalog_helpers import wait_for_action
from tests.api.loyalty_v2.helpers import (
    card_definition,
    customer,
    earning_rule,
    member,
    points,
    program,
)
from tests.support.loyalty_v2 import V2


def _club(v2: V2, wallets: int = 2) -> tuple[str, list[str]]:
    ids = [card_definition(v2, f"W{i}")["id"] for i in range(wallets)]
    rule = earning_rule(v2, [points(ids[0], 1)])
    return program(v2, ids, [rule["id"]])["id"], ids


def test_member_gets_one_card_per_wallet(v2: V2) -> None:
    """A member holds one card per wallet, each a v1 loyalty card with a code; joining twice
    is 409; a source id names the customer too."""
    club, wallets = _club(v2)
    ann = customer(v2, "ann")
    joined = member(v2, club, ann["id"])
    assert joined["id"].startswith("lmbr_")
    assert (joined["customer_id"], joined["program_id"], joined["status"]) == (
        ann["id"],
        club,
        "ACTIVE",
    )
    assert sorted(c["card"]["card_definition_id"] for c in joined["cards"]) == sorted(wallets)
    assert all(c["card"]["code"] and c["member_role"] == "OWNER" for c in joined["cards"])
    url = f"/v2/loyalties/programs/{club}/members"
    assert v2.post(url, json={"customer_id": ann["id"]}).status_code == 409
    customer(v2, "bob")
    body = {
        "customer_identification": {"type": "customer_source_id", "customer_source_id": "bob"},
        "metadata": {"tier": "x"},
    }
    bob = v2.ok("POST", url, json=body)
    assert bob["metadata"] == {"tier": "x"}
    listed = v2.ok("GET", url, params={"limit": 1})
    assert [m["id"] for m in listed["data"]] == [bob["id"]]
    rest = v2.ok("GET", url, params={"cursor": listed["cursor"]["next"]})
    assert [m["id"] for m in rest["data"]] == [joined["id"]]
    assert v2.ok("GET", f"{url}/{joined['id']}") == joined


def test_member_lifecycle_and_memberships(v2: V2) -> None:
    """Deactivate, activate, update and delete a member; memberships list the programmes."""
    club, _ = _club(v2, 1)
    ann = customer(v2, "ann")
    joined = member(v2, club, ann["id"])
    url = f"/v2/loyalties/programs/{club}/members/{joined['id']}"
    assert v2.ok("POST", f"{url}/deactivate")["status"] == "INACTIVE"
    assert v2.post(f"{url}/deactivate").status_code == 409
    assert v2.ok("POST", f"{url}/activate")["status"] == "ACTIVE"
    assert v2.ok("PUT", url, json={"metadata": {"a": 1}})["metadata"] == {"a": 1}
    found = v2.ok("GET", f"/v2/loyalties/memberships/{ann['id']}")
    assert [m["program"]["id"] for m in found["memberships"]] == [club]
    assert len(found["memberships"][0]["cards"]) == 1
    assert v2.ok("DELETE", url)["status"] == "DELETED"
    assert v2.get(url).status_code == 404
    assert v2.ok("GET", f"/v2/loyalties/memberships/{ann['id']}")["memberships"] == []


def test_bad_members(v2: V2) -> None:
    """Unknown customer or programme is 404; a draft programme takes no members (409); a
    body without a customer is 400."""
    club, _ = _club(v2, 1)
    url = f"/v2/loyalties/programs/{club}/members"
    assert v2.post(url, json={"customer_id": "cust_missing"}).status_code == 404
    assert v2.post(url, json={}).status_code == 400
    assert (
        v2.post(
            "/v2/loyalties/programs/lprg_00/members", json={"customer_id": "cust_x"}
        ).status_code
        == 404
    )
    draft = v2.ok("POST", "/v2/loyalties/programs", json={"name": "Draft"})
    ann = customer(v2, "ann")
    response = v2.post(
        f"/v2/loyalties/programs/{draft['id']}/members", json={"customer_id": ann["id"]}
    )
    assert response.status_code == 409
    assert v2.get(f"/v2/loyalties/memberships/{ann['id']}").json()["memberships"] == []


def test_member_and_card_activities(v2: V2) -> None:
    """A member's activities (created, card assigned, deactivated) and a card's (created,
    assigned), newest first."""
    club, _ = _club(v2, 1)
    joined = member(v2, club, customer(v2, "ann")["id"])
    url = f"/v2/loyalties/programs/{club}/members/{joined['id']}"
    v2.ok("POST", f"{url}/deactivate")
    kinds = [a["type"] for a in v2.ok("GET", f"{url}/activities")["data"]]
    assert kinds == ["vl.member.deactivated", "vl.member.card.assigned", "vl.member.created"]
    card = joined["cards"][0]["card"]["id"]
    page = v2.ok("GET", f"{url}/cards/{card}/activities", params={"limit": 1})
    assert [a["type"] for a in page["data"]] == ["vl.card.assigned"]
    rest = v2.ok("GET", f"{url}/cards/{card}/activities", params={"cursor": page["cursor"]["next"]})
    assert [a["type"] for a in rest["data"]] == ["vl.card.created"]
    assert v2.get(f"{url}/cards/lcrd_00/activities").status_code == 404


def test_program_membership(v2: V2) -> None:
    """A customer's membership of one programme shows member, programme and cards (no tier
    progress: programmes have no tier structures); not a member is 404."""
    club, wallets = _club(v2, 1)
    ann = customer(v2, "ann")
    joined = member(v2, club, ann["id"])
    found = v2.ok("GET", f"/v2/loyalties/programs/{club}/memberships/{ann['id']}")
    assert found["member"]["id"] == joined["id"]
    assert found["program"]["id"] == club
    assert [c["card"]["card_definition_id"] for c in found["cards"]] == wallets
    assert found["cards"][0]["tier_progress"]["current"] is None
    bob = customer(v2, "bob")
    assert v2.get(f"/v2/loyalties/programs/{club}/memberships/{bob['id']}").status_code == 404


def test_batch_create_members(v2: V2) -> None:
    """A batch is an async action: each customer becomes a member with its card, an unknown
    customer or a second membership is listed as an error and leaves nothing behind."""
    club, _ = _club(v2, 1)
    ann, bob = customer(v2, "ann"), customer(v2, "bob")
    member(v2, club, bob["id"])
    body = [
        {"customer_id": ann["id"], "metadata": {"batch": 1}},
        {"customer_id": "cust_missing"},
        {"customer_id": bob["id"]},
    ]
    queued = v2.ok("POST", f"/v2/loyalties/programs/{club}/members/batch", status=202, json=body)
    done = wait_for_action(v2.client, queued["async_action_id"])
    assert done["status"] == "DONE", done
    assert (done["result"]["done_count"], done["result"]["failed_count"]) == (1, 2)
    assert [e["index"] for e in done["result"]["errors"]] == [1, 2]
    listed = v2.ok("GET", f"/v2/loyalties/programs/{club}/members")["data"]
    assert sorted(m["customer_id"] for m in listed) == sorted([ann["id"], bob["id"]])
    found = v2.ok("GET", f"/v2/loyalties/memberships/{ann['id']}")["memberships"][0]
    assert (found["member"]["metadata"], len(found["cards"])) == ({"batch": 1}, 1)
    draft = v2.ok("POST", "/v2/loyalties/programs", json={"name": "Draft"})
    url = f"/v2/loyalties/programs/{draft['id']}/members/batch"
    queued = v2.ok("POST", url, status=202, json=body[:1])
    done = wait_for_action(v2.client, queued["async_action_id"])
    assert done["result"]["errors"][0]["key"] == "conflict"
    assert v2.post(url, json=[{"customer_id": ann["id"]}] * 1001).status_code == 413
    assert v2.post("/v2/loyalties/programs/lprg_00/members/batch", json=body).status_code == 404
