"""Points transfers between cards of one or two programmes (guides/transfer-loyalty-points.mdx;
build/loyalty-points.mdx, "Loyalty point transfer")."""

from __future__ import annotations

from datetime import UTC, datetime

import httpx

from tests.api.loyalty_helpers import card, clock_at, join, ok, programme
from tests.support.server import RunningServer

TRANSFER_DAY = datetime(2027, 1, 25, 10, 0, tzinfo=UTC)


def test_transfer_between_programmes_as_the_guide(
    http: httpx.Client, server: RunningServer
) -> None:
    """The guide's transfer: 200 points onto a card holding 500 gives 700, here from a card of
    another programme held by another customer; the points expire by the receiving
    programme's rules counted from the transfer day (25 January + 1 month = 25 February)."""
    with clock_at(server, TRANSFER_DAY):
        _transfer(http)


def _transfer(http: httpx.Client) -> None:
    shop = programme(http, "Shop", expiration_rules={"period_type": "MONTH", "period_value": 1})
    partner = programme(http, "Partner")
    target = join(http, shop["id"], "jan")["code"]
    source = join(http, partner["id"], "ola")["code"]
    ok(http.post(f"/v1/loyalties/members/{target}/balance", json={"points": 500}))
    ok(http.post(f"/v1/loyalties/members/{source}/balance", json={"points": 300}))
    body = [{"code": source, "points": 200, "reason": "combine"}]
    moved = ok(http.post(f"/v1/loyalties/{shop['id']}/members/{target}/transfers", json=body))
    assert moved["loyalty_card"]["balance"] == 700
    assert card(http, source)["loyalty_card"]["balance"] == 100
    buckets = ok(http.get(f"/v1/loyalties/{shop['id']}/members/{target}/points-expiration"))
    assert sorted((b["expires_at"], b["bucket"]["total_points"]) for b in buckets["data"]) == [
        ("2027-02-25", 200),
        ("2027-02-25", 500),
    ]
    history = ok(http.get(f"/v1/loyalties/members/{target}/transactions"))["data"]
    assert history[0]["type"] == "POINTS_TRANSFER_IN"
    assert history[0]["details"]["source_voucher"]["code"] == source
    jan = ok(http.get("/v1/customers/jan"))["loyalty"]
    assert jan["campaigns"]["Shop"]["points"] == 700
