"""Campaigns through HTTP: create with generated codes, read, update, list, enable, delete."""

from __future__ import annotations

import httpx
import pytest

from tests.api.catalog_helpers import discount_campaign, wait_for_action


def test_create_generates_codes_synchronously(http: httpx.Client) -> None:
    """A small vouchers_count is generated in the request, codes following the pattern."""
    created = discount_campaign(http, vouchers_count=5, metadata={"region": "EU"})
    assert created["id"].startswith("camp_")
    assert created["object"] == "campaign"
    assert created["vouchers_count"] == 5
    assert created["vouchers_generation_status"] == "DONE"
    assert created["creation_status"] == "DONE"
    assert created["voucher"]["code_config"] == {
        "length": 4,
        "charset": "0123456789",
        "prefix": "",
        "postfix": "",
        "pattern": "SPR-####",
    }
    assert created["voucher"]["discount"] == {
        "type": "PERCENT",
        "percent_off": 10,
        "amount_limit": 1500,
        "effect": "APPLY_TO_ORDER",
    }
    assert created["metadata"] == {"region": "EU"}
    listed = http.get("/v1/vouchers", params={"campaign": "Spring", "limit": 100}).json()
    codes = [v["code"] for v in listed["vouchers"]]
    assert listed["total"] == 5
    assert len(set(codes)) == 5
    assert all(code.startswith("SPR-") and code[4:].isdigit() for code in codes)
    assert listed["vouchers"][0]["discount"]["percent_off"] == 10


def test_create_many_runs_in_background(http: httpx.Client) -> None:
    """A big vouchers_count is an async action; the campaign reports progress honestly."""
    created = discount_campaign(http, vouchers_count=1500)
    assert created["vouchers_generation_status"] in {"IN_PROGRESS", "DONE"}
    actions = http.get("/v1/async-actions").json()["async_actions"]
    assert actions[0]["type"] == "CAMPAIGN.VOUCHERS_GENERATE"
    done = wait_for_action(http, actions[0]["id"])
    assert done["status"] == "DONE"
    assert done["operation_status"] == "SUCCESS"
    assert done["progress"] == 100
    assert done["result"] == {"message": "1500 of 1500 vouchers generated", "done_count": 1500}
    assert isinstance(done["processing_time"], int)
    campaign = http.get(f"/v1/campaigns/{created['id']}").json()
    assert campaign["vouchers_count"] == 1500
    assert campaign["vouchers_generation_status"] == "DONE"
    assert http.get("/v1/vouchers", params={"campaign_id": created["id"]}).json()["total"] == 1500


def test_too_small_code_space_is_400(http: httpx.Client) -> None:
    """A pattern whose space cannot hold vouchers_count is refused before anything is made."""
    body = {
        "name": "Tiny",
        "campaign_type": "DISCOUNT_COUPONS",
        "vouchers_count": 11,
        "voucher": {
            "type": "DISCOUNT_VOUCHER",
            "discount": {"type": "AMOUNT", "amount_off": 500},
            "code_config": {"pattern": "T-#", "charset": "0123456789"},
        },
    }
    response = http.post("/v1/campaigns", json=body)
    assert response.status_code == 400
    assert response.json()["key"] == "invalid_code_config"
    assert http.get("/v1/campaigns/Tiny").status_code == 404


def test_code_space_counts_existing_codes(http: httpx.Client) -> None:
    """Codes already taken in the project shrink the space left for a new campaign."""
    discount_campaign(http, "First", vouchers_count=9, voucher=_tiny_template())
    response = http.post(
        "/v1/campaigns",
        json={"name": "Second", "vouchers_count": 2, "voucher": _tiny_template()},
    )
    assert response.status_code == 400
    assert response.json()["key"] == "invalid_code_config"
    added = http.post("/v1/campaigns/First/vouchers").json()
    assert added["code"].startswith("T-")
    full = http.post("/v1/campaigns/First/vouchers")
    assert full.status_code == 400
    assert full.json()["key"] == "invalid_code_config"


def _tiny_template() -> dict[str, object]:
    return {
        "type": "DISCOUNT_VOUCHER",
        "discount": {"type": "AMOUNT", "amount_off": 500},
        "code_config": {"pattern": "T-#", "charset": "0123456789"},
    }


def test_gift_and_loyalty_campaigns(http: httpx.Client) -> None:
    """Gift campaigns issue credits, loyalty programs cards with points (join_once forced)."""
    gift = http.post(
        "/v1/campaigns",
        json={
            "name": "Gifts",
            "campaign_type": "GIFT_VOUCHERS",
            "vouchers_count": 2,
            "voucher": {"type": "GIFT_VOUCHER", "gift": {"amount": 5000}},
        },
    ).json()
    assert gift["voucher"]["gift"] == {"amount": 5000, "balance": 5000, "effect": "APPLY_TO_ORDER"}
    card = http.get("/v1/vouchers", params={"campaign": "Gifts"}).json()["vouchers"][0]
    assert card["gift"] == {"amount": 5000, "balance": 5000, "effect": "APPLY_TO_ORDER"}
    loyalty = http.post(
        "/v1/campaigns",
        json={
            "name": "Club",
            "campaign_type": "LOYALTY_PROGRAM",
            "type": "STATIC",
            "vouchers_count": 1,
            "voucher": {"type": "LOYALTY_CARD", "loyalty_card": {"points": 10}},
        },
    ).json()
    assert loyalty["join_once"] is True
    assert loyalty["type"] == "STATIC"
    member = http.get("/v1/vouchers", params={"campaign": loyalty["id"]}).json()["vouchers"][0]
    assert member["loyalty_card"]["points"] == 10
    assert member["loyalty_card"]["balance"] == 10
    assert member["type"] == "LOYALTY_CARD"


def test_get_update_enable_disable(http: httpx.Client) -> None:
    """Get by id or name; PUT changes fields; enable/disable toggle active."""
    created = discount_campaign(http)
    assert http.get("/v1/campaigns/Spring").json()["id"] == created["id"]
    updated = http.put(
        f"/v1/campaigns/{created['id']}",
        json={
            "description": "Spring sale",
            "expiration_date": "2030-01-01T00:00:00Z",
            "validity_day_of_week": [1, 2],
            "discount": {"type": "AMOUNT", "amount_off": 700},
            "metadata": {"a": 1},
        },
    )
    assert updated.status_code == 200, updated.text
    body = updated.json()
    assert body["description"] == "Spring sale"
    assert body["expiration_date"] == "2030-01-01T00:00:00.000Z"
    assert body["validity_day_of_week"] == [1, 2]
    assert body["voucher"]["discount"]["amount_off"] == 700
    assert body["updated_at"] is not None
    assert http.post("/v1/campaigns/Spring/disable").json() == {}
    assert http.get("/v1/campaigns/Spring").json()["active"] is False
    assert http.post("/v1/campaigns/Spring/enable").json() == {}
    assert http.get("/v1/campaigns/Spring").json()["active"] is True


def test_list_pages_and_filters(http: httpx.Client) -> None:
    """limit/page window the list; campaign_type filters it."""
    for index in range(3):
        discount_campaign(http, f"C{index}")
    http.post(
        "/v1/campaigns",
        json={
            "name": "G",
            "campaign_type": "GIFT_VOUCHERS",
            "voucher": {"type": "GIFT_VOUCHER", "gift": {"amount": 100}},
        },
    )
    page = http.get("/v1/campaigns", params={"limit": 2, "page": 1, "order": "created_at"}).json()
    assert page["object"] == "list"
    assert page["data_ref"] == "campaigns"
    assert page["total"] == 4
    assert [c["name"] for c in page["campaigns"]] == ["C0", "C1"]
    gifts = http.get("/v1/campaigns", params={"campaign_type": "GIFT_VOUCHERS"}).json()
    assert [c["name"] for c in gifts["campaigns"]] == ["G"]


def test_delete_is_async_and_removes_vouchers(http: httpx.Client) -> None:
    """DELETE answers 202 with an async action that removes the campaign and its vouchers."""
    created = discount_campaign(http, vouchers_count=3)
    response = http.delete(f"/v1/campaigns/{created['id']}", params={"force": "true"})
    assert response.status_code == 202
    action_id = response.json()["async_action_id"]
    assert action_id.startswith("aa_")
    done = wait_for_action(http, action_id)
    assert done["status"] == "DONE"
    assert done["type"] == "CAMPAIGN.VOUCHERS_DELETE"
    assert done["result"]["done_count"] == 3
    assert http.get(f"/v1/campaigns/{created['id']}").status_code == 404
    assert http.get("/v1/vouchers", params={"campaign_id": created["id"]}).json()["total"] == 0


def test_add_vouchers_one_many_and_with_code(http: httpx.Client) -> None:
    """One voucher comes back directly, several make an async action, a code is kept."""
    campaign = discount_campaign(http)
    one = http.post(f"/v1/campaigns/{campaign['id']}/vouchers", json={"metadata": {"k": "v"}})
    assert one.status_code == 200
    assert one.json()["campaign_id"] == campaign["id"]
    assert one.json()["metadata"] == {"k": "v"}
    many = http.post(f"/v1/campaigns/{campaign['id']}/vouchers", params={"vouchers_count": 4})
    assert many.status_code == 202
    assert wait_for_action(http, many.json()["async_action_id"])["status"] == "DONE"
    named = http.post(f"/v1/campaigns/{campaign['id']}/vouchers/MY-CODE", json={})
    assert named.status_code == 200
    assert named.json()["code"] == "MY-CODE"
    assert named.json()["discount"]["type"] == "PERCENT"
    assert http.get("/v1/campaigns/Spring").json()["vouchers_count"] == 6
    again = http.post(f"/v1/campaigns/{campaign['id']}/vouchers/MY-CODE", json={})
    assert again.status_code == 409
    assert again.json()["key"] == "duplicate_found"


def test_duplicate_name_is_409(http: httpx.Client) -> None:
    """Campaign names are unique in a project."""
    discount_campaign(http)
    again = http.post("/v1/campaigns", json={"name": "Spring", "voucher": _tiny_template()})
    assert again.status_code == 409
    assert again.json()["key"] == "duplicate_found"


@pytest.mark.parametrize(
    "body",
    [
        {},
        {"name": 5},
        {"name": "x" * 301},
        {"name": "A", "campaign_type": "NOPE"},
        {"name": "A", "type": "SOMETIMES"},
        {"name": "A", "vouchers_count": "3"},
        {"name": "A", "vouchers_count": -1},
        {"name": "A", "voucher": {"type": "DISCOUNT_VOUCHER"}},
        {"name": "A", "voucher": {"discount": {"type": "PERCENT"}}},
        {"name": "A", "voucher": {"discount": {"type": "BOGUS", "amount_off": 1}}},
        {
            "name": "A",
            "campaign_type": "DISCOUNT_COUPONS",
            "voucher": {"type": "GIFT_VOUCHER", "gift": {"amount": 1}},
        },
        {"name": "A", "campaign_type": "GIFT_VOUCHERS", "voucher": {"gift": {}}},
        {"name": "A", "start_date": "yesterday", "voucher": _tiny_template()},
        {"name": "A", "voucher": {**_tiny_template(), "code_config": {"pattern": "ABC"}}},
    ],
)
def test_bad_campaign_input_is_400(http: httpx.Client, body: dict[str, object]) -> None:
    """Missing fields, wrong types, unknown enums and bad values are 400s, never 500s."""
    response = http.post("/v1/campaigns", json=body)
    assert response.status_code == 400, response.text
    error = response.json()
    assert error["key"] in {"invalid_payload", "invalid_code_config"}
    assert error["request_id"].startswith("v-")


def test_unknown_campaign_is_404(http: httpx.Client) -> None:
    """Every campaign path answers 404 not_found for an unknown id."""
    for method, path in [
        ("GET", "/v1/campaigns/camp_nope"),
        ("PUT", "/v1/campaigns/camp_nope"),
        ("DELETE", "/v1/campaigns/camp_nope"),
        ("POST", "/v1/campaigns/camp_nope/enable"),
        ("POST", "/v1/campaigns/camp_nope/vouchers"),
        ("POST", "/v1/campaigns/camp_nope/vouchers/CODE"),
    ]:
        response = http.request(method, path, json={})
        assert response.status_code == 404, (method, path)
        assert response.json()["key"] == "not_found"
