"""Concurrent redemptions and rollbacks of one promotion tier: its counters lose nothing."""

from __future__ import annotations

from collections import Counter
from typing import Any

import httpx

from tests.api.promotion_helpers import AMOUNT_OFF, promotion, ref, tier, tier_ids
from tests.concurrency.test_redemption_races import _parallel
from tests.support.server import Project


def test_concurrent_tier_redemptions_and_rollbacks_count_exactly(
    project: Project, http: httpx.Client
) -> None:
    """30 parallel redemptions, then 10 parallel double rollbacks: summary is exact."""
    tier_id = tier_ids(promotion(http, "Race", tier("Ten", AMOUNT_OFF)))[0]

    def redeem(client: httpx.Client, i: int) -> dict[str, Any]:
        body = {"redeemables": [ref(tier_id)], "order": {"amount": 2000 + i}}
        reply = client.post("/v1/redemptions", json=body)
        assert reply.status_code == 200, reply.text
        redemption: dict[str, Any] = reply.json()["redemptions"][0]
        return redemption

    redemptions = _parallel(project, 30, redeem)
    ids = [r["id"] for r in redemptions[:10]]

    def roll_back(client: httpx.Client, i: int) -> int:
        return client.post(f"/v1/redemptions/{ids[i % 10]}/rollback", json={}).status_code

    statuses = Counter(_parallel(project, 20, roll_back))
    assert statuses == {200: 10, 400: 10}
    summary = http.get(f"/v1/promotions/tiers/{tier_id}").json()["summary"]
    kept = [2000 + i for i in range(30) if redemptions[i]["id"] not in ids]
    assert summary["redemptions"]["total_redeemed"] == 20
    assert summary["orders"] == {"total_amount": sum(kept), "total_discount_amount": 20 * 1000}
