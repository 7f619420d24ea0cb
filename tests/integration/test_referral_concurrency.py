"""Referral conversions under concurrent HTTP load: each referee counts once per referrer."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

import httpx

from tests.api.loyalty_helpers import ok
from tests.api.reward_helpers import gift_campaign, reward
from tests.api.test_referrals import referral_campaign
from tests.support.server import Project

WORKERS = 8


def test_concurrent_conversions_count_each_referee_once(
    http: httpx.Client, project: Project
) -> None:
    """Eight redemptions of one code by two referees at once reward the referrer twice
    (2 x 300 credits), whatever the interleaving."""
    gifts = gift_campaign(http)
    campaign = referral_campaign(http)
    credits = reward(http, {"campaign": {"id": gifts["id"], "balance": 300}})
    body = {"campaign": campaign["id"]}
    ok(http.post(f"/v1/rewards/{credits['id']}/assignments", json=body))
    publish = {"campaign": {"name": campaign["name"]}, "customer": {"source_id": "ann"}}
    published = ok(http.post("/v1/publications", json=publish))
    code = published["voucher"]["code"]

    def redeem(who: str) -> int:
        order = {"amount": 2000}
        request = {
            "redeemables": [{"object": "voucher", "id": code}],
            "customer": {"source_id": who},
            "order": order,
        }
        with project.client() as client:
            return client.post("/v1/redemptions", json=request).status_code

    for who in ("bob", "cat"):  # the customers exist before the race
        ok(http.post("/v1/customers", json={"source_id": who}))
    with ThreadPoolExecutor(max_workers=WORKERS) as pool:
        statuses = list(pool.map(redeem, ["bob", "cat"] * 4))
    assert statuses == [200] * 8
    cards = ok(
        http.get(
            "/v1/vouchers",
            params={"customer": published["customer_id"], "campaign_id": gifts["id"]},
        )
    )["vouchers"]
    assert [card["gift"]["balance"] for card in cards] == [600]
    summary = ok(http.get(f"/v1/campaigns/{campaign['id']}/summary"))
    assert summary["referred_customers"] == 2
