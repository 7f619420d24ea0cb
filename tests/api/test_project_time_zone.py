"""Time limits follow the project's time zone (Project settings → Time zone).

Docs: optimize/time-limits.mdx ("All time-related limits follow the time zone defined in your
Project settings"): valid days of the week, valid hours per day, per-day redemption limits,
judged on both sides of midnight UTC and across a daylight-saving change; the clock is moved
the way time travel moves it.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime
from typing import Any

import httpx
import pytest

from tests.api.redemption_helpers import discount_voucher, redeem, voucher_ref
from tests.support.server import Project, RunningServer

AMOUNT = {"type": "AMOUNT", "amount_off": 100}


@pytest.fixture
def clock(server: RunningServer) -> Iterator[RunningServer]:
    """The server's clock stopped (moved by each test); running on real time afterwards."""
    server.clock.freeze()
    try:
        yield server
    finally:
        server.clock.unfreeze()
        server.clock.set(datetime.now(UTC))


def _zone(server: RunningServer, project: Project, name: str) -> httpx.Response:
    with httpx.Client(base_url=server.base_url, headers=server.management_headers) as client:
        return client.put(f"/management/v1/projects/{project.id}", json={"timezone": name})


def _in_zone(server: RunningServer, project: Project, name: str) -> None:
    reply = _zone(server, project, name)
    assert reply.status_code == 200, reply.text
    assert reply.json()["timezone"] == name


def _error_at(server: RunningServer, http: httpx.Client, code: str, at: str) -> str | None:
    """The validation's error key for ``code`` at the UTC instant ``at`` (None: valid)."""
    server.clock.set(datetime.fromisoformat(at).replace(tzinfo=UTC))
    body = {"redeemables": [voucher_ref(code)], "order": {"amount": 1000}}
    result: dict[str, Any] = http.post("/v1/validations", json=body).json()
    if result["valid"]:
        return None
    key: str = result["inapplicable_redeemables"][0]["result"]["error"]["key"]
    return key


def test_days_of_week_in_tokyo_and_new_york(
    clock: RunningServer, project: Project, http: httpx.Client
) -> None:
    """Tuesday-only in Tokyo holds from Monday 15:00 UTC; Monday-only in New York still holds
    on Tuesday 00:30 UTC."""
    discount_voucher(http, "TUESDAY", AMOUNT, validity_day_of_week=[2])
    discount_voucher(http, "MONDAY", AMOUNT, validity_day_of_week=[1])
    _in_zone(clock, project, "Asia/Tokyo")
    assert _error_at(clock, http, "TUESDAY", "2026-01-05T14:30:00") == "voucher_not_active_now"
    assert _error_at(clock, http, "TUESDAY", "2026-01-05T23:30:00") is None
    assert _error_at(clock, http, "TUESDAY", "2026-01-06T00:30:00") is None
    _in_zone(clock, project, "America/New_York")
    assert _error_at(clock, http, "MONDAY", "2026-01-05T23:30:00") is None
    assert _error_at(clock, http, "MONDAY", "2026-01-06T00:30:00") is None
    assert _error_at(clock, http, "MONDAY", "2026-01-06T05:30:00") == "voucher_not_active_now"
    _in_zone(clock, project, "UTC")
    assert _error_at(clock, http, "MONDAY", "2026-01-06T00:30:00") == "voucher_not_active_now"


def test_valid_hours_across_the_warsaw_spring_change(
    clock: RunningServer, project: Project, http: httpx.Client
) -> None:
    """09:00-10:00 in Warsaw is 08:00-09:00 UTC on 28 March 2026 and 07:00-08:00 UTC on
    30 March, after clocks went forward on the 29th."""
    daily = [{"start_time": "09:00", "expiration_time": "10:00", "days_of_week": [1, 6]}]
    discount_voucher(http, "HAPPY", AMOUNT, validity_hours={"daily": daily})
    _in_zone(clock, project, "Europe/Warsaw")
    assert _error_at(clock, http, "HAPPY", "2026-03-28T08:30:00") is None
    assert _error_at(clock, http, "HAPPY", "2026-03-28T07:30:00") == "voucher_not_active_now"
    assert _error_at(clock, http, "HAPPY", "2026-03-30T07:30:00") is None
    assert _error_at(clock, http, "HAPPY", "2026-03-30T08:30:00") == "voucher_not_active_now"


def test_per_day_limit_counts_from_the_project_midnight(
    clock: RunningServer, project: Project, http: httpx.Client
) -> None:
    """``redemption.count.daily`` ≤ 1 in Tokyo: redeemed at 14:00 UTC (23:00 local), the code
    is used up until 15:00 UTC (local midnight), then free again the same UTC day."""
    rules = {"1": {"name": "redemption.count.daily", "conditions": {"$less_than_or_equal": [1]}}}
    made = http.post("/v1/validation-rules", json={"name": "daily", "rules": rules})
    assert made.status_code == 200, made.text
    discount_voucher(http, "DAILY", AMOUNT, validation_rules=[made.json()["id"]])
    _in_zone(clock, project, "Asia/Tokyo")
    clock.clock.set(datetime(2026, 1, 5, 14, 0, tzinfo=UTC))
    first = redeem(http, voucher_ref("DAILY"))
    assert first.status_code == 200, first.text
    assert _error_at(clock, http, "DAILY", "2026-01-05T14:59:00") == "order_rules_violated"
    assert _error_at(clock, http, "DAILY", "2026-01-05T15:01:00") is None
    assert redeem(http, voucher_ref("DAILY")).status_code == 200
    _in_zone(clock, project, "America/New_York")  # local midnight at 05:00 UTC
    assert _error_at(clock, http, "DAILY", "2026-01-06T04:00:00") == "order_rules_violated"
    assert _error_at(clock, http, "DAILY", "2026-01-06T05:01:00") is None


def test_unknown_time_zone_is_refused(server: RunningServer, project: Project) -> None:
    """A project's timezone must be an IANA name: anything else is a 400, nothing stored."""
    reply = _zone(server, project, "Mars/Olympus_Mons")
    assert reply.status_code == 400
    assert "timezone" in reply.json()["details"]
    with httpx.Client(base_url=server.base_url, headers=server.management_headers) as client:
        stored = client.get(f"/management/v1/projects/{project.id}").json()
    assert stored["timezone"] == "UTC"
