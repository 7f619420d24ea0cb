"""Concurrent redemptions and rollbacks over HTTP: no overdraft, no lost update, one refund."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import httpx

from tests.api.catalog_helpers import event_types
from tests.api.redemption_helpers import balance, gift_voucher, voucher_ref
from tests.support.server import Project, RunningServer

WORKERS = 16


def _parallel(project: Project, count: int, call: Callable[[httpx.Client, int], Any]) -> list[Any]:
    clients = [project.client() for _ in range(WORKERS)]
    try:
        with ThreadPoolExecutor(WORKERS) as pool:
            futures = [pool.submit(call, clients[i % WORKERS], i) for i in range(count)]
            return [future.result() for future in futures]
    finally:
        for client in clients:
            client.close()


def _ledger_sum(http: httpx.Client, code: str) -> int:
    rows = http.get(f"/v1/vouchers/{code}/transactions", params={"limit": 100}).json()["data"]
    return sum(int(row["details"]["balance"]["amount"]) for row in rows)


def test_fifty_redemptions_never_overdraw(project: Project, http: httpx.Client) -> None:
    """50 concurrent 300-credit payments from 10 000: 33 succeed, 100 left, ledger agrees."""

    def pay(client: httpx.Client, i: int) -> tuple[int, Any]:
        reply = client.post(
            "/v1/redemptions",
            json={"redeemables": [voucher_ref("HOT", 300)], "order": {"amount": 1000}},
        )
        return reply.status_code, reply.json()

    gift_voucher(http, "HOT", 10000)
    results = _parallel(project, 50, pay)
    statuses = Counter(status for status, _ in results)
    assert statuses == {200: 33, 400: 17}
    assert {body["key"] for status, body in results if status == 400} == {"gift_amount_exceeded"}
    redeemed = sum(body["redemptions"][0]["amount"] for status, body in results if status == 200)
    assert redeemed == 9900
    assert balance(http, "HOT") == 100
    assert _ledger_sum(http, "HOT") == -9900
    card = http.get("/v1/vouchers/HOT").json()
    assert card["redemption"]["redeemed_quantity"] == 33


def test_concurrent_rollbacks_refund_once(project: Project, http: httpx.Client) -> None:
    """Ten concurrent rollbacks of one redemption: one succeeds, nine are already_rolled_back."""
    gift_voucher(http, "BACK", 5000)
    redeemed = http.post(
        "/v1/redemptions",
        json={"redeemables": [voucher_ref("BACK", 2000)], "order": {"amount": 2000}},
    ).json()
    rid = redeemed["redemptions"][0]["id"]

    def undo(client: httpx.Client, i: int) -> tuple[int, Any]:
        reply = client.post(f"/v1/redemptions/{rid}/rollback", json={})
        return reply.status_code, reply.json()

    results = _parallel(project, 10, undo)
    assert Counter(status for status, _ in results) == {200: 1, 400: 9}
    assert {body["key"] for status, body in results if status == 400} == {"already_rolled_back"}
    assert balance(http, "BACK") == 5000
    assert _ledger_sum(http, "BACK") == 0


def test_same_idempotency_key_applies_once(project: Project, http: httpx.Client) -> None:
    """Ten concurrent redemptions with one Idempotency-Key take the credits once."""
    gift_voucher(http, "ONCE", 5000)
    body = {"redeemables": [voucher_ref("ONCE", 1000)], "order": {"amount": 1000}}

    def pay(client: httpx.Client, i: int) -> tuple[int, Any]:
        reply = client.post("/v1/redemptions", json=body, headers={"Idempotency-Key": "same"})
        return reply.status_code, reply.json()

    results = _parallel(project, 10, pay)
    ids = {b["redemptions"][0]["id"] for status, b in results if status == 200}
    assert len(ids) == 1
    assert all(status in {200, 409} for status, _ in results)
    assert balance(http, "ONCE") == 4000
    listed = http.get("/v1/redemptions").json()
    assert listed["total"] == 1


def test_first_redemptions_of_a_new_customer_all_succeed(
    server: RunningServer, project: Project, http: httpx.Client
) -> None:
    """Twenty concurrent redemptions naming one unknown customer: all succeed, one customer."""

    def pay(client: httpx.Client, i: int) -> int:
        reply = client.post(
            "/v1/redemptions",
            json={
                "redeemables": [voucher_ref("NEWCOMER", 10)],
                "order": {"amount": 100},
                "customer": {"source_id": "newcomer", "name": f"Newcomer {i}"},
            },
        )
        return reply.status_code

    gift_voucher(http, "NEWCOMER", 10000)
    assert Counter(_parallel(project, 20, pay)) == {200: 20}
    listed = http.get("/v1/customers", params={"limit": 100}).json()["customers"]
    assert [customer["source_id"] for customer in listed] == ["newcomer"]
    assert event_types(server, project).count("customer.created") == 1
    assert balance(http, "NEWCOMER") == 10000 - 200
