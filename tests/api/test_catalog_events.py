"""Campaign and voucher events: written to the outbox in the change's transaction, each
``data`` valid against its schema in OpenAPIWebhooks.json and carrying real values."""

from __future__ import annotations

import httpx

from tests.api.catalog_helpers import discount_campaign, outbox, wait_for_action
from tests.support.server import Project, RunningServer
from tests.support.webhook_spec import data_errors


def _assert_valid(server: RunningServer, project: Project) -> list[dict[str, object]]:
    rows = outbox(server, project)
    for row in rows:
        assert data_errors(str(row["type"]), row["data"]) == [], row["type"]
    return rows


def test_voucher_events_have_documented_shape(
    http: httpx.Client, server: RunningServer, project: Project
) -> None:
    """Single voucher create/update/enable/disable/delete emit valid events with real values."""
    campaign = discount_campaign(http)
    http.post("/v1/vouchers/EV-1", json={"campaign": "Spring", "metadata": {"m": 1}})
    http.put("/v1/vouchers/EV-1", json={"additional_info": "changed"})
    http.post("/v1/vouchers/EV-1/disable")
    http.post("/v1/vouchers/EV-1/enable")
    http.delete("/v1/vouchers/EV-1")
    rows = _assert_valid(server, project)
    assert [r["type"] for r in rows] == [
        "campaign.created",
        "voucher.created",
        "voucher.updated",
        "voucher.disabled",
        "voucher.enabled",
        "voucher.deleted",
    ]
    created = rows[1]["data"]
    assert isinstance(created, dict)
    assert created["voucher"]["code"] == "EV-1"
    assert created["voucher"]["metadata"] == {"m": 1}
    assert created["campaign"]["id"] == campaign["id"]
    assert created["campaign"]["voucher"]["code_config"]["pattern"] == "SPR-####"
    assert rows[1]["entity_id"] == created["voucher"]["id"]
    assert rows[2]["data"]["voucher"]["additional_info"] == "changed"  # type: ignore[index]
    assert rows[3]["data"]["voucher"]["active"] is False  # type: ignore[index]
    assert rows[4]["data"]["voucher"]["active"] is True  # type: ignore[index]


def test_standalone_voucher_created_event(
    http: httpx.Client, server: RunningServer, project: Project
) -> None:
    """A standalone voucher's voucher.created has no campaign."""
    http.post(
        "/v1/vouchers",
        json={"type": "GIFT_VOUCHER", "gift": {"amount": 700}, "code": "G-1"},
    )
    (row,) = _assert_valid(server, project)
    assert row["type"] == "voucher.created"
    data = row["data"]
    assert isinstance(data, dict)
    assert data["campaign"] is None
    assert data["voucher"]["gift"] == {"amount": 700, "balance": 700, "effect": "APPLY_TO_ORDER"}


def test_bulk_generation_emits_no_voucher_created(
    http: httpx.Client, server: RunningServer, project: Project
) -> None:
    """Generating vouchers emits generation.completed once per campaign creation (adding
    vouchers in bulk emits nothing), and never voucher.created."""
    discount_campaign(http, vouchers_count=3)
    created = discount_campaign(http, "Big", vouchers_count=150)
    action = http.get("/v1/async-actions").json()["async_actions"][0]
    wait_for_action(http, action["id"])
    many = http.post(f"/v1/campaigns/{created['id']}/vouchers", params={"vouchers_count": 2})
    wait_for_action(http, many.json()["async_action_id"])
    rows = _assert_valid(server, project)
    assert [r["type"] for r in rows] == [
        "campaign.created",
        "campaign.vouchers.generation.completed",
        "campaign.created",
        "campaign.vouchers.generation.completed",
    ]
    completed = rows[3]["data"]
    assert isinstance(completed, dict)
    assert completed["count"] == 150
    assert completed["campaign"]["name"] == "Big"


def test_campaign_events_have_documented_shape(
    http: httpx.Client, server: RunningServer, project: Project
) -> None:
    """campaign.updated/disabled/enabled/deleted carry the campaign as it was then."""
    created = discount_campaign(http, vouchers_count=2)
    http.put(f"/v1/campaigns/{created['id']}", json={"metadata": {"v": 2}})
    http.post(f"/v1/campaigns/{created['id']}/disable")
    http.post(f"/v1/campaigns/{created['id']}/enable")
    action = http.delete(f"/v1/campaigns/{created['id']}").json()["async_action_id"]
    wait_for_action(http, action)
    rows = _assert_valid(server, project)
    assert [r["type"] for r in rows] == [
        "campaign.created",
        "campaign.vouchers.generation.completed",
        "campaign.updated",
        "campaign.disabled",
        "campaign.enabled",
        "campaign.deleted",
    ]
    assert rows[2]["data"]["campaign"]["metadata"] == {"v": 2}  # type: ignore[index]
    assert rows[3]["data"]["campaign"]["active"] is False  # type: ignore[index]
    deleted = rows[5]["data"]
    assert isinstance(deleted, dict)
    assert deleted["campaign"]["id"] == created["id"]
    assert deleted["deleted_at"].endswith("Z")


def test_failed_request_writes_no_event(
    http: httpx.Client, server: RunningServer, project: Project
) -> None:
    """A refused request changes nothing and emits nothing."""
    http.post("/v1/vouchers/X", json={"type": "DISCOUNT_VOUCHER", "discount": {"type": "AMOUNT"}})
    assert outbox(server, project) == []
    assert http.get("/v1/vouchers/X").status_code == 404
