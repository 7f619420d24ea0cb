"""Async actions: listing, 404s, and resuming an action a dead runner left unfinished."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import httpx
from sqlalchemy import update

from openvoucher.adapters.db.schema.catalog import async_actions
from openvoucher.platform.async_actions import AsyncActionRunner
from tests.api.catalog_helpers import discount_campaign, wait_for_action
from tests.support.server import RunningServer


def test_unknown_action_is_404_and_bad_query_is_400(http: httpx.Client) -> None:
    """An unknown id is not_found; a bad limit is invalid_query_params."""
    missing = http.get("/v1/async-actions/aa_nope")
    assert missing.status_code == 404
    assert missing.json()["key"] == "not_found"
    assert http.get("/v1/async-actions", params={"limit": 0}).status_code == 400
    assert http.get("/v1/async-actions", params={"end_date": "soon"}).status_code == 400


def test_list_has_more_and_end_date(http: httpx.Client) -> None:
    """The list pages by limit and filters by creation time."""
    campaign = discount_campaign(http)
    for _ in range(3):
        http.post(f"/v1/campaigns/{campaign['id']}/vouchers", params={"vouchers_count": 2})
    page = http.get("/v1/async-actions", params={"limit": 2}).json()
    assert page["object"] == "list"
    assert page["data_ref"] == "async_actions"
    assert len(page["async_actions"]) == 2
    assert page["has_more"] is True
    assert "result" not in page["async_actions"][0]
    old = http.get("/v1/async-actions", params={"end_date": "2000-01-01T00:00:00Z"}).json()
    assert old["async_actions"] == []


def test_unfinished_action_resumes_after_lease_expiry(
    http: httpx.Client, server: RunningServer
) -> None:
    """An action left IN_PROGRESS by a dead runner (expired lease) is picked up and finished."""
    campaign = discount_campaign(http)
    action_id = http.post(
        f"/v1/campaigns/{campaign['id']}/vouchers", params={"vouchers_count": 3}
    ).json()["async_action_id"]
    wait_for_action(http, action_id)
    stale = datetime.now(UTC) - timedelta(minutes=5)
    with server.container.engine.begin() as conn:
        conn.execute(
            update(async_actions)
            .where(async_actions.c.id == action_id)
            .values(
                status="IN_PROGRESS",
                operation_status=None,
                progress=40,
                locked_until=stale,
                request={"campaign_id": campaign["id"], "count": 5, "fields": {}},
                result={"message": "3 of 5 vouchers generated", "done_count": 3},
            )
        )
    runner = next(w for w in server.container.background if isinstance(w, AsyncActionRunner))
    runner.wake()
    done = wait_for_action(http, action_id)
    assert done["status"] == "DONE"
    assert done["result"] == {"message": "5 of 5 vouchers generated", "done_count": 5}
    assert http.get(f"/v1/campaigns/{campaign['id']}").json()["vouchers_count"] == 5
