"""The floor under the hot-card target (issue 17, item 2): how fast could *any* implementation
on this stack change one hot gift card over HTTP on PostgreSQL?

The target asks one hot card, 1…32 clients, for ≥ 0.4× a raw one-statement debit of one row
(``bench_raw_debit.py``). This benchmark serves the *minimal* writes of a hot-card redemption
from a minimal app on openvoucher's stack — Starlette on uvicorn, msgspec decoding, orjson
encoding, a sync handler in the thread pool, one psycopg connection per worker thread — and
drives it with the same client as ``bench_gift_balance.py`` (N ``httpx.AsyncClient`` loops on
CPU 1, the server pinned to CPU 0). ``POST /card`` with ``{"amount": ±n}`` runs one
transaction: the conditional change of the card (``UPDATE … WHERE balance + :n >= 0
RETURNING balance``; refused: 400, nothing written), one ledger row, one outbox row (a ~1.5 KB
JSON event), COMMIT. No evaluation, no SQLAlchemy, no rendering beyond one small JSON.

The mix is the hot-card bench's: 50 % debits of 1…50, 20 % removals of 1…50, 30 % additions of
1…60. The raw debit runs in the same session; the printed ratio floor / raw is the ceiling any
implementation that writes a ledger row and an event per change can reach here.

    python bench/bench_hot_card_floor.py [--postgres URL] [--clients 1,2,4,8,16,32] [--seconds 3]
        [--mode thread|async]
"""

from __future__ import annotations

import argparse
import asyncio
import os
import random
import sys
import threading
import time
import uuid
from pathlib import Path
from typing import Any

BENCH_DIR = Path(__file__).resolve().parent
sys.path.insert(0, str(BENCH_DIR))

DEFAULT_POSTGRES = "postgresql://postgres@127.0.0.1:5432/postgres"
EVENT = {
    "voucher": {
        "id": "v_" + "x" * 24,
        "code": "HOT-GIFT",
        "type": "GIFT_VOUCHER",
        "gift": {"amount": 5000, "balance": 0, "effect": "APPLY_TO_ORDER"},
        "metadata": {},
        "assets": {"qr": {"id": "x" * 80, "url": "https://example.test/" + "q" * 120}},
        "object": "voucher",
    },
    "campaign": None,
    "transaction": {"id": "vtx_" + "y" * 20, "type": "CREDITS_REDEMPTION", "details": {}},
    "order": {"id": "ord_" + "z" * 20, "amount": 50, "items": [], "metadata": {}},
    "padding": "p" * 700,
}
SCHEMA = """
CREATE TABLE card (id int PRIMARY KEY, balance bigint NOT NULL, updated_at timestamptz);
CREATE TABLE ledger (seq bigserial PRIMARY KEY, id text UNIQUE NOT NULL, card_id int NOT NULL,
  amount bigint NOT NULL, balance_after bigint NOT NULL, details jsonb NOT NULL,
  created_at timestamptz NOT NULL);
CREATE TABLE outbox (id text PRIMARY KEY, type text NOT NULL, data jsonb NOT NULL,
  created_at timestamptz NOT NULL);
"""

UPDATE_SQL = (
    "UPDATE card SET balance = balance + %s, updated_at = now() "
    "WHERE id = 1 AND balance + %s >= 0 RETURNING balance"
)
LEDGER_SQL = (
    "INSERT INTO ledger (id, card_id, amount, balance_after, details, created_at) "
    "VALUES (%s, 1, %s, %s, %s, now())"
)
OUTBOX_SQL = "INSERT INTO outbox (id, type, data, created_at) VALUES (%s, %s, %s, now())"


def _on_loop(dsn: str, event: str) -> Any:
    """The change on psycopg's async connections, on the event loop (a pool of up to 64)."""
    import orjson
    import psycopg

    pool: asyncio.Queue[Any] = asyncio.Queue()
    opened = [0]

    async def change_async(amount: int) -> bytes | None:
        if pool.empty() and opened[0] < 64:
            opened[0] += 1
            pool.put_nowait(await psycopg.AsyncConnection.connect(dsn))
        conn = await pool.get()
        try:
            async with conn.transaction():
                cursor = await conn.execute(
                    UPDATE_SQL,
                    (amount, amount),
                )
                found = await cursor.fetchone()
                if found is None:
                    return None
                details = orjson.dumps({"balance": {"amount": amount, "balance": found[0]}})
                await conn.execute(
                    LEDGER_SQL,
                    (uuid.uuid4().hex, amount, found[0], details.decode()),
                )
                await conn.execute(
                    OUTBOX_SQL,
                    (uuid.uuid4().hex, "voucher.gift.transaction.created", event),
                )
            return orjson.dumps({"amount": amount, "balance": found[0]})
        finally:
            pool.put_nowait(conn)

    return change_async


def build_app() -> Any:
    """The minimal app (``FLOOR_DSN``: the database)."""
    import msgspec
    import orjson
    import psycopg
    from starlette.applications import Starlette
    from starlette.concurrency import run_in_threadpool
    from starlette.requests import Request
    from starlette.responses import Response
    from starlette.routing import Route

    class Change(msgspec.Struct):
        amount: int

    dsn = os.environ["FLOOR_DSN"]
    local = threading.local()
    event = orjson.dumps(EVENT).decode()

    def connection() -> Any:
        conn = getattr(local, "conn", None)
        if conn is None:
            conn = local.conn = psycopg.connect(dsn)
        return conn

    def change(amount: int) -> bytes | None:
        conn = connection()
        with conn.transaction():
            found = conn.execute(
                UPDATE_SQL,
                (amount, amount),
            ).fetchone()
            if found is None:
                return None
            details = orjson.dumps({"balance": {"amount": amount, "balance": found[0]}}).decode()
            conn.execute(
                LEDGER_SQL,
                (uuid.uuid4().hex, amount, found[0], details),
            )
            conn.execute(
                OUTBOX_SQL,
                (uuid.uuid4().hex, "voucher.gift.transaction.created", event),
            )
        return orjson.dumps({"amount": amount, "balance": found[0]})

    change_async = _on_loop(dsn, event)

    on_loop = os.environ.get("FLOOR_MODE") == "async"

    async def card(request: Request) -> Response:
        body = msgspec.json.decode(await request.body(), type=Change, strict=True)
        if on_loop:
            reply = await change_async(body.amount)
        else:
            reply = await run_in_threadpool(change, body.amount)
        if reply is None:
            return Response(b'{"key":"gift_amount_exceeded"}', 400, media_type="application/json")
        return Response(reply, media_type="application/json")

    return Starlette(routes=[Route("/card", card, methods=["POST"])])


def __getattr__(name: str) -> Any:
    if name == "app":
        return build_app()
    raise AttributeError(name)


async def _client(client: Any, deadline: float, seed: int, tally: dict[str, int]) -> None:
    rng = random.Random(seed)
    while time.perf_counter() < deadline:
        roll = rng.random()
        amount = -rng.randint(1, 50) if roll < 0.7 else rng.randint(1, 60)
        reply = await client.post("/card", json={"amount": amount})
        tally[str(reply.status_code)] = tally.get(str(reply.status_code), 0) + 1
        if reply.status_code == 200:
            tally["net"] = tally.get("net", 0) + amount


async def _step(base_url: str, clients: int, seconds: float, tally: dict[str, int]) -> float:
    import httpx

    limits = httpx.Limits(max_connections=clients, max_keepalive_connections=clients)
    async with httpx.AsyncClient(base_url=base_url, limits=limits, timeout=60) as client:
        before = tally.get("200", 0) + tally.get("400", 0)
        began = time.perf_counter()
        deadline = began + seconds
        await asyncio.gather(
            *(_client(client, deadline, 1000 * clients + n, tally) for n in range(clients))
        )
        done = tally.get("200", 0) + tally.get("400", 0) - before
        return done / (time.perf_counter() - began)


def _check(dsn: str, initial: int, tally: dict[str, int]) -> str:
    import psycopg

    with psycopg.connect(dsn) as conn:
        balance = conn.execute("SELECT balance FROM card WHERE id = 1").fetchone()[0]
        rows = conn.execute("SELECT amount, balance_after FROM ledger ORDER BY seq").fetchall()
    running, lowest = initial, initial
    for amount, after in rows:
        running += amount
        lowest = min(lowest, running)
        if after != running:
            return f"DRIFT: balance_after {after} != {running}"
    expected = initial + tally.get("net", 0)
    if not (running == balance == expected) or lowest < 0:
        return f"FAILED: ledger {running}, card {balance}, expected {expected}, lowest {lowest}"
    return f"{len(rows)} ledger rows, lowest {lowest}, final {balance}: no overdraft, no drift"


def main() -> None:
    """Raw debit and the floor app, side by side per client count."""
    import psycopg
    from bench_raw_debit import clients_rate
    from common import free_port, machine_note, postgres_database, serve

    parser = argparse.ArgumentParser()
    parser.add_argument("--postgres", default=DEFAULT_POSTGRES)
    parser.add_argument("--clients", default="1,2,4,8,16,32")
    parser.add_argument("--seconds", type=float, default=3.0)
    parser.add_argument("--initial", type=int, default=5000)
    parser.add_argument(
        "--mode",
        choices=("thread", "async"),
        default="thread",
        help="thread: a sync handler in the thread pool, as openvoucher; async: psycopg's "
        "async connections on the event loop (the stack's best case)",
    )
    args = parser.parse_args()
    os.sched_setaffinity(0, {1})
    print(machine_note())
    with postgres_database(args.postgres) as url:
        dsn = url.replace("postgresql+psycopg://", "postgresql://")
        with psycopg.connect(dsn, autocommit=True) as conn:
            conn.execute(SCHEMA)
            conn.execute("INSERT INTO card VALUES (1, %s, now())", (args.initial,))
        port = free_port()
        cmd = [
            sys.executable, "-m", "uvicorn", "bench_hot_card_floor:app", "--host", "127.0.0.1",
            "--port", str(port), "--log-level", "warning", "--no-access-log",
        ]  # fmt: skip
        env = {"PYTHONPATH": str(BENCH_DIR), "FLOOR_DSN": dsn, "FLOOR_MODE": args.mode}
        tally: dict[str, int] = {}
        print(f"floor mode {args.mode}")
        print(f"{'clients':>7}  {'raw/s':>7}  {'floor/s':>7}  {'ratio':>6}  load")
        with serve("floor", cmd, port=port, ready_path="/card", env=env) as server:
            for clients in (int(c) for c in args.clients.split(",")):
                raw = _raw(dsn, clients, args.seconds, clients_rate)
                floor = asyncio.run(_step(server.base_url, clients, args.seconds, tally))
                load = os.getloadavg()[0]
                print(f"{clients:7d}  {raw:7.0f}  {floor:7.0f}  {floor / raw:6.2f}  {load:.1f}")
        print("answers:", tally)
        print(_check(dsn, args.initial, tally))


def _raw(dsn: str, clients: int, seconds: float, rate: Any) -> float:
    import psycopg

    with psycopg.connect(dsn, autocommit=True) as conn:
        conn.execute("DROP TABLE IF EXISTS card_raw")
        conn.execute("CREATE TABLE card_raw (id int PRIMARY KEY, balance bigint NOT NULL)")
        conn.execute("INSERT INTO card_raw VALUES (1, 1000000000)")
    return float(rate(dsn, clients, seconds, table="card_raw"))


if __name__ == "__main__":
    main()
