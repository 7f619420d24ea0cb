"""One hot gift card under concurrent redemptions, removals and additions over HTTP (lock late
on PostgreSQL, ADR 0089): no overdraft, no lost update, the ledger chains, every answer's
figures are one of its rows."""

from __future__ import annotations

import random
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import httpx

from tests.api.redemption_helpers import balance, gift_voucher, voucher_ref
from tests.support.server import Project

WORKERS = 16
OPERATIONS = 90


def _operation(client: httpx.Client, i: int) -> tuple[str, int, int, dict[str, Any]]:
    """One of the mix (by ``i``): (kind, the signed credits asked, status, body)."""
    rng = random.Random(i)
    roll = rng.random()
    if roll < 0.5:
        credits = rng.randint(50, 400)
        body = {"redeemables": [voucher_ref("HOT", credits)], "order": {"amount": credits}}
        reply = client.post("/v1/redemptions", json=body)
        return "redeem", -credits, reply.status_code, reply.json()
    amount = -rng.randint(50, 400) if roll < 0.75 else rng.randint(50, 300)
    reply = client.post("/v1/vouchers/HOT/balance", json={"amount": amount})
    return "adjust", amount, reply.status_code, reply.json()


def _seen(kind: str, asked: int, body: dict[str, Any]) -> tuple[int, int]:
    """(signed amount, balance after) as a successful answer reports them."""
    if kind == "redeem":
        redemption = body["redemptions"][0]
        assert redemption["amount"] == -asked
        return -int(redemption["amount"]), int(redemption["voucher"]["gift"]["balance"])
    assert body["amount"] == asked
    return int(body["amount"]), int(body["balance"])


def test_hot_card_mix_never_overdraws_and_the_ledger_chains(
    project: Project, http: httpx.Client
) -> None:
    """90 concurrent operations on a 3 000 card: every 200 is a ledger row, the rows chain,
    no balance below zero, every 400 is a refusal of too large a debit."""
    gift_voucher(http, "HOT", 3000)
    clients = [project.client() for _ in range(WORKERS)]
    try:
        with ThreadPoolExecutor(WORKERS) as pool:
            futures = [pool.submit(_operation, clients[i % WORKERS], i) for i in range(OPERATIONS)]
            results = [future.result() for future in futures]
    finally:
        for client in clients:
            client.close()
    assert {status for _, _, status, _ in results} <= {200, 400}
    refusals = {body["key"] for _, _, status, body in results if status == 400}
    assert refusals <= {"gift_amount_exceeded", "invalid_add_balance_params"}
    answered = Counter(
        _seen(kind, asked, body) for kind, asked, status, body in results if status == 200
    )
    rows = http.get("/v1/vouchers/HOT/transactions", params={"limit": 100, "order": "id"})
    ledger = [
        (int(row["details"]["balance"]["amount"]), int(row["details"]["balance"]["balance"]))
        for row in rows.json()["data"]
    ]
    running = 3000
    for amount, after in ledger:
        running += amount
        assert after == running >= 0
    assert Counter(ledger) == answered
    assert balance(http, "HOT") == running == 3000 + sum(amount for amount, _ in ledger)
    card = http.get("/v1/vouchers/HOT").json()
    redeemed = sum(1 for kind, _, status, _ in results if kind == "redeem" and status == 200)
    assert card["redemption"]["redeemed_quantity"] == redeemed
