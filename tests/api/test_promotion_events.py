"""Promotion events: each ``data`` valid against its schema in OpenAPIWebhooks.json."""

from __future__ import annotations

import httpx

from tests.api.catalog_helpers import outbox
from tests.api.promotion_helpers import AMOUNT_OFF, promotion, ref, tier, tier_ids
from tests.support.server import Project, RunningServer
from tests.support.webhook_spec import data_errors


def test_tier_and_tier_redemption_events_have_documented_shape(
    http: httpx.Client, server: RunningServer, project: Project
) -> None:
    """Tier lifecycle, tier redemption and rollback events validate against the spec."""
    campaign = promotion(http, "Events", tier("Ten", AMOUNT_OFF))
    tier_id = tier_ids(campaign)[0]
    http.put(f"/v1/promotions/tiers/{tier_id}", json={"banner": "b"})
    http.post(f"/v1/promotions/tiers/{tier_id}/disable")
    failed = http.post(
        "/v1/redemptions", json={"redeemables": [ref(tier_id)], "order": {"amount": 9}}
    )
    assert failed.status_code == 400
    http.post(f"/v1/promotions/tiers/{tier_id}/enable")
    body = {
        "redeemables": [ref(tier_id)],
        "order": {"amount": 3000},
        "customer": {"source_id": "e"},
    }
    redemption = http.post("/v1/redemptions", json=body).json()["redemptions"][0]
    http.post(f"/v1/redemptions/{redemption['id']}/rollback", json={})
    http.post(f"/v1/redemptions/{redemption['id']}/rollback", json={})
    http.delete(f"/v1/promotions/tiers/{tier_id}")
    rows = outbox(server, project)
    for row in rows:  # customer.order.* data is checked where orders are (not here)
        if str(row["type"]).startswith(("campaign.", "redemption.")):
            assert data_errors(str(row["type"]), row["data"]) == [], row["type"]
    kinds = [row["type"] for row in rows if not str(row["type"]).startswith("customer.")]
    assert kinds == [
        "campaign.created",
        "campaign.promotion_tier.created",
        "campaign.promotion_tier.updated",
        "campaign.promotion_tier.disabled",
        "redemption.failed",
        "campaign.promotion_tier.enabled",
        "redemption.succeeded",
        "redemption.rollback.succeeded",
        "redemption.rollback.failed",
        "campaign.promotion_tier.deleted",
    ]
    succeeded = next(row["data"] for row in rows if row["type"] == "redemption.succeeded")
    assert succeeded["promotion_tier"] == {
        "id": tier_id,
        "name": "Ten",
        "banner": "b",
        "campaign": {"id": campaign["id"]},
        "metadata": {},
    }
    assert succeeded["redemption"]["related_object_type"] == "promotion_tier"
