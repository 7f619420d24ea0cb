"""Loyalty points expire at the project's midnight, and their last day is a local date.

Docs: build/loyalty-points.mdx ("Loyalty points and tiers are recalculated at midnight of each
new day … every day at midnight in the timezone set in Project settings").
"""

from __future__ import annotations

from datetime import UTC, datetime

import httpx

from openvoucher.loyalty.points_expiration import expire_due_points
from tests.api.loyalty_helpers import card, clock_at, join, ok, programme
from tests.api.reward_helpers import add_points
from tests.support.server import Project, RunningServer

EARNED = datetime(2026, 1, 31, 16, 0, tzinfo=UTC)  # 1 February 01:00 in Tokyo
BEFORE = datetime(2026, 3, 1, 14, 59, tzinfo=UTC)  # 1 March 23:59 in Tokyo
AFTER = datetime(2026, 3, 1, 15, 0, tzinfo=UTC)  # 2 March 00:00 in Tokyo


def test_points_expire_at_the_tokyo_midnight(
    server: RunningServer, project: Project, http: httpx.Client
) -> None:
    """Earned on 1 February (Tokyo; still 31 January in UTC) with a one-month expiry: their
    last day is 1 March and they go at 15:00 UTC, Tokyo's midnight, not a minute before."""
    with httpx.Client(base_url=server.base_url, headers=server.management_headers) as admin:
        zone = {"timezone": "Asia/Tokyo"}
        assert admin.put(f"/management/v1/projects/{project.id}", json=zone).status_code == 200
    club = programme(http, expiration_rules={"period_type": "MONTH", "period_value": 1})
    with clock_at(server, EARNED):
        member = join(http, club["id"], "yui")
        add_points(http, member["code"], 100)
        path = f"/v1/loyalties/{club['id']}/members/{member['code']}/points-expiration"
        (bucket,) = ok(http.get(path))["data"]
    assert bucket["expires_at"] == "2026-03-01"
    with clock_at(server, BEFORE):
        assert expire_due_points(server.container.uow, project.id, BEFORE) == 0
    assert card(http, member["code"])["loyalty_card"]["balance"] == 100
    with clock_at(server, AFTER):
        assert expire_due_points(server.container.uow, project.id, AFTER) == 1
    assert card(http, member["code"])["loyalty_card"]["balance"] == 0


PENDING_RULE = {
    "event": "order.paid",
    "source": {"banner": "Points after 2 days"},
    "loyalty": {
        "type": "PROPORTIONAL",
        "calculation_type": "ORDER_TOTAL_AMOUNT",
        "order": {"total_amount": {"every": 100, "points": 1}},
    },
    "pending_points": {"period_type": "DAY", "period_value": 2},
}


def test_pending_points_activate_on_the_tokyo_calendar(
    server: RunningServer, project: Project, http: httpx.Client
) -> None:
    """Paid at 16:00 UTC on 31 January (1 February in Tokyo) with a two-day wait: the entry
    activates on 3 February, Tokyo's date, at its midnight (15:00 UTC on 2 February)."""
    with httpx.Client(base_url=server.base_url, headers=server.management_headers) as admin:
        zone = {"timezone": "Asia/Tokyo"}
        assert admin.put(f"/management/v1/projects/{project.id}", json=zone).status_code == 200
    club = programme(http, name="Tokyo club")
    ok(http.post(f"/v1/loyalties/{club['id']}/earning-rules", json=[PENDING_RULE]))
    with clock_at(server, EARNED):
        member = join(http, club["id"], "ren")
        body = {"status": "PAID", "amount": 5000, "customer": {"source_id": "ren"}}
        ok(http.post("/v1/orders", json=body))
        listed = ok(http.get(f"/v1/loyalties/{club['id']}/pending-points"))["data"]
    assert [entry["activates_at"] for entry in listed] == ["2026-02-03"]
    assert card(http, member["code"])["loyalty_card"]["balance"] == 0
