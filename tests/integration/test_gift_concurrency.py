"""Gift cards under concurrent HTTP load: no lost update, no overdraft, no ledger drift."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from typing import Any

import httpx
from sqlalchemy import select

from openvoucher.adapters.db.schema.catalog import vouchers
from openvoucher.adapters.db.schema.ledger import voucher_transactions
from tests.support.server import Project, RunningServer

WORKERS = 10


def make_card(http: httpx.Client, code: str, amount: int) -> dict[str, Any]:
    """A standalone gift card."""
    reply = http.post(
        f"/v1/vouchers/{code}", json={"type": "GIFT_VOUCHER", "gift": {"amount": amount}}
    )
    assert reply.status_code == 200, reply.text
    card: dict[str, Any] = reply.json()
    return card


def adjust_all(
    project: Project, code: str, bodies: list[tuple[dict[str, Any], str | None]]
) -> list[httpx.Response]:
    """POST every (body, idempotency key) to the card's balance at once from a thread pool."""

    def send(item: tuple[dict[str, Any], str | None]) -> httpx.Response:
        body, key = item
        headers = {"Idempotency-Key": key} if key else {}
        with project.client() as client:
            return client.post(f"/v1/vouchers/{code}/balance", json=body, headers=headers)

    with ThreadPoolExecutor(max_workers=WORKERS) as pool:
        return list(pool.map(send, bodies))


def ledger_drift(
    server: RunningServer, project: Project, initial: dict[str, int]
) -> dict[str, Any]:
    """Cards whose cached balance differs from their initial credits plus their ledger.

    Also checks each row's ``balance_after`` follows from the row before it.
    """
    drift: dict[str, Any] = {}
    with server.container.engine.connect() as conn:
        cards = conn.execute(
            select(vouchers.c.id, vouchers.c.code, vouchers.c.gift_balance).where(
                vouchers.c.project_id == project.id, vouchers.c.type == "GIFT_VOUCHER"
            )
        ).all()
        for card in cards:
            rows = conn.execute(
                select(voucher_transactions.c.amount, voucher_transactions.c.balance_after)
                .where(voucher_transactions.c.voucher_id == card.id)
                .order_by(voucher_transactions.c.seq)
            ).all()
            running = initial[card.code]
            for amount, after in rows:
                running += amount
                if after != running or running < 0:
                    drift[card.code] = ("chain", running, after)
            if running != card.gift_balance:
                drift[card.code] = ("cache", running, card.gift_balance)
    return drift


def test_fifty_concurrent_adjustments_sum_exactly(
    server: RunningServer, project: Project, http: httpx.Client
) -> None:
    """25 top-ups of 100 and 25 removals of 150 at once: the card ends at 5000 + 2500 - 3750."""
    make_card(http, "HOT", 5000)
    bodies = [({"amount": 100}, None)] * 25 + [({"amount": -150}, None)] * 25
    replies = adjust_all(project, "HOT", bodies)
    assert [r.status_code for r in replies] == [200] * 50
    assert http.get("/v1/vouchers/HOT").json()["gift"] == {
        "amount": 3750,
        "balance": 3750,
        "effect": "APPLY_TO_ORDER",
    }
    listed = http.get("/v1/vouchers/HOT/transactions", params={"limit": 100}).json()["data"]
    assert len(listed) == 50
    assert ledger_drift(server, project, {"HOT": 5000}) == {}


def test_concurrent_removals_never_overdraw(
    server: RunningServer, project: Project, http: httpx.Client
) -> None:
    """20 removals of 100 race for a 1000 balance: exactly 10 succeed, the rest are 400."""
    make_card(http, "THIN", 1000)
    replies = adjust_all(project, "THIN", [({"amount": -100}, None)] * 20)
    codes = sorted(r.status_code for r in replies)
    assert codes == [200] * 10 + [400] * 10
    assert {r.json()["key"] for r in replies if r.status_code == 400} == {
        "invalid_add_balance_params"
    }
    assert sorted(r.json()["balance"] for r in replies if r.status_code == 200) == list(
        range(0, 1000, 100)
    )
    assert http.get("/v1/vouchers/THIN").json()["gift"]["balance"] == 0
    assert ledger_drift(server, project, {"THIN": 1000}) == {}


def test_same_key_sent_concurrently_applies_once(
    server: RunningServer, project: Project, http: httpx.Client
) -> None:
    """Ten requests with one Idempotency-Key at once: one transaction, ten identical answers."""
    make_card(http, "ONCE", 2000)
    replies = adjust_all(project, "ONCE", [({"amount": 250, "reason": "promo"}, "promo-42")] * 10)
    assert {r.status_code for r in replies} == {200}
    assert {r.json()["balance"] for r in replies} == {2250}
    assert len(http.get("/v1/vouchers/ONCE/transactions").json()["data"]) == 1
    assert ledger_drift(server, project, {"ONCE": 2000}) == {}


def test_mixed_workload_on_many_cards_has_no_drift(
    server: RunningServer, project: Project, http: httpx.Client
) -> None:
    """Interleaved changes on four cards, some overdrafts refused: caches match ledgers."""
    initial = {f"MIX-{n}": 500 * (n + 1) for n in range(4)}
    for code, amount in initial.items():
        make_card(http, code, amount)
    plan = [(code, amount) for _ in range(5) for code in initial for amount in (300, -700)]

    def send(item: tuple[str, int]) -> int:
        code, amount = item
        with project.client() as client:
            return client.post(f"/v1/vouchers/{code}/balance", json={"amount": amount}).status_code

    with ThreadPoolExecutor(max_workers=WORKERS) as pool:
        statuses = list(pool.map(send, plan))
    assert set(statuses) <= {200, 400}
    assert 400 in statuses
    assert 200 in statuses
    assert ledger_drift(server, project, initial) == {}
