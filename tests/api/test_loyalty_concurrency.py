"""Simultaneous accruals and removals on one loyalty card never lose points."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

import httpx

from tests.api.loyalty_helpers import card, join, ok, order_rule, programme
from tests.support.server import Project


def _accrue(project: Project, rounds: int) -> int:
    with project.client() as client:
        for _ in range(rounds):
            body = {"status": "PAID", "amount": 1000, "customer": {"source_id": "zoe"}}
            ok(client.post("/v1/orders", json=body))
    return rounds * 10


def _remove(project: Project, code: str, rounds: int) -> int:
    removed = 0
    with project.client() as client:
        for _ in range(rounds):
            response = client.post(f"/v1/loyalties/members/{code}/balance", json={"points": -3})
            assert response.status_code == 200, response.text
            removed += 3
    return removed


def test_concurrent_accruals_and_removals(http: httpx.Client, project: Project) -> None:
    """Four clients accrue and four remove points at once; balance, ledger and buckets agree."""
    club = programme(http)
    order_rule(http, club["id"])
    code = join(http, club["id"], "zoe")["code"]
    ok(http.post(f"/v1/loyalties/members/{code}/balance", json={"points": 500}))
    with ThreadPoolExecutor(max_workers=8) as pool:
        added = [pool.submit(_accrue, project, 8) for _ in range(4)]
        removed = [pool.submit(_remove, project, code, 8) for _ in range(4)]
        total_added = sum(f.result() for f in added)
        total_removed = sum(f.result() for f in removed)
    assert (total_added, total_removed) == (320, 96)
    figures = card(http, code)["loyalty_card"]
    assert figures["balance"] == 500 + 320 - 96
    assert figures["points"] == 820
    rows = []
    after = None
    while True:
        params = {"order": "id", "limit": 100, **({"starting_after_id": after} if after else {})}
        page = ok(http.get(f"/v1/loyalties/members/{code}/transactions", params=params))
        rows += page["data"]
        if not page["has_more"]:
            break
        after = page["more_starting_after"]
    assert len(rows) == 1 + 32 + 32
    assert sum(t["details"]["balance"]["points"] for t in rows) == figures["balance"]
    balances = [t["details"]["balance"]["balance"] for t in rows]
    running = 0
    for t, after_balance in zip(rows, balances, strict=True):
        running += t["details"]["balance"]["points"]
        assert running == after_balance
    buckets = ok(
        http.get(
            f"/v1/loyalties/{club['id']}/members/{code}/points-expiration", params={"limit": 100}
        )
    )
    assert sum(b["bucket"]["total_points"] for b in buckets["data"]) == figures["balance"]
