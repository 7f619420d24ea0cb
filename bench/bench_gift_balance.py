"""One hot gift card on PostgreSQL under 1…32 concurrent HTTP clients: the throughput curve and
a proof of zero overdrafts.

Target (issue 4): throughput does not collapse as clients grow; the card never goes negative.

A real ``openvoucher serve`` subprocess runs on a fresh PostgreSQL database (created and dropped
here). Each client loops over a mix on the same card: gift redemptions
(``POST /v1/redemptions`` paying 1…50 credits of a 1…50 order), removals
(``POST /v1/vouchers/{code}/balance`` with -1…-50) and additions (+1…+60). The mix drains the
card, so it hits zero early and from then on many removals and redemptions are refused (400):
exactly where an overdraft would happen if locking were wrong. Afterwards the bench checks:

* the card's balance = initial + successful additions - successful removals - redeemed credits
  (from the clients' own tallies of 200 answers);
* the same from the ledger (``voucher_transactions``): the sum of amounts, every
  ``balance_after`` following from the row before it and never negative, one row per success.

    python bench/bench_gift_balance.py [--postgres URL] [--clients 1,2,4,8,16,32] [--seconds 5]
"""

from __future__ import annotations

import argparse
import asyncio
import os
import random
import sys
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx

sys.path.insert(0, str(Path(__file__).resolve().parent))
from common import APP_HEADERS, machine_note, openvoucher_server, postgres_database

CODE = "HOT-GIFT"
DEFAULT_POSTGRES = "postgresql://postgres@127.0.0.1:5432/test"


@dataclass
class Tally:
    """What the clients saw: answers per operation and status, and the credits that moved."""

    answers: Counter[tuple[str, int]] = field(default_factory=Counter)
    added: int = 0
    removed: int = 0
    redeemed: int = 0
    latencies: list[float] = field(default_factory=list)


async def redeem(client: httpx.AsyncClient, tally: Tally, rng: random.Random) -> None:
    """Pay 1…50 credits of the card in an order of that amount."""
    credits = rng.randint(1, 50)
    body = {
        "redeemables": [{"object": "voucher", "id": CODE, "gift": {"credits": credits}}],
        "order": {"amount": credits},
    }
    reply = await client.post("/v1/redemptions", json=body)
    tally.answers["redeem", reply.status_code] += 1
    if reply.status_code == 200:
        tally.redeemed += credits


async def adjust(client: httpx.AsyncClient, tally: Tally, amount: int) -> None:
    """Add (positive) or remove (negative) credits through the balance endpoint."""
    reply = await client.post(f"/v1/vouchers/{CODE}/balance", json={"amount": amount})
    kind = "add" if amount > 0 else "remove"
    tally.answers[kind, reply.status_code] += 1
    if reply.status_code == 200:
        if amount > 0:
            tally.added += amount
        else:
            tally.removed -= amount


async def one_client(
    client: httpx.AsyncClient, tally: Tally, deadline: float, seed: int, has_redemptions: bool
) -> None:
    """Loop over the mix until ``deadline``: 50 % redemptions, 20 % removals, 30 % additions."""
    rng = random.Random(seed)
    while time.perf_counter() < deadline:
        began = time.perf_counter()
        roll = rng.random()
        if roll < 0.5 and has_redemptions:
            await redeem(client, tally, rng)
        elif roll < 0.7:
            await adjust(client, tally, -rng.randint(1, 50))
        else:
            await adjust(client, tally, rng.randint(1, 60))
        tally.latencies.append(time.perf_counter() - began)


async def step(base_url: str, clients: int, seconds: float, tally: Tally, redeems: bool) -> float:
    """Run ``clients`` concurrent loops for ``seconds``; return requests per second."""
    limits = httpx.Limits(max_connections=clients, max_keepalive_connections=clients)
    async with httpx.AsyncClient(
        base_url=base_url, headers=APP_HEADERS, limits=limits, timeout=60
    ) as client:
        before = len(tally.latencies)
        began = time.perf_counter()
        deadline = began + seconds
        await asyncio.gather(
            *(
                one_client(client, tally, deadline, 1000 * clients + n, redeems)
                for n in range(clients)
            )
        )
        return (len(tally.latencies) - before) / (time.perf_counter() - began)


def ledger_check(database_url: str, initial: int, tally: Tally) -> list[str]:
    """Problems found in the card's cached balance and its ledger (empty: none)."""
    from sqlalchemy import create_engine, select

    from openvoucher.adapters.db.engine import normalise_url
    from openvoucher.adapters.db.schema.catalog import vouchers
    from openvoucher.adapters.db.schema.ledger import voucher_transactions as vt

    engine = create_engine(normalise_url(database_url))
    with engine.connect() as conn:
        card = conn.execute(select(vouchers).where(vouchers.c.code == CODE)).mappings().one()
        rows = conn.execute(
            select(vt.c.amount, vt.c.balance_after, vt.c.type)
            .where(vt.c.voucher_id == card["id"])
            .order_by(vt.c.seq)
        ).all()
    engine.dispose()
    return _problems(card, rows, initial, tally)


def _problems(card: Any, rows: list[Any], initial: int, tally: Tally) -> list[str]:
    expected = initial + tally.added - tally.removed - tally.redeemed
    successes = sum(n for (kind, status), n in tally.answers.items() if status == 200)
    problems = []
    if card["gift_balance"] != expected:
        problems.append(f"cached balance {card['gift_balance']} != expected {expected}")
    running, lowest = initial, initial
    for amount, after, kind in rows:
        running += amount
        lowest = min(lowest, running)
        if after != running:
            problems.append(f"{kind}: balance_after {after} != running {running}")
            break
    if running != card["gift_balance"]:
        problems.append(f"ledger sum {running} != cached balance {card['gift_balance']}")
    if lowest < 0:
        problems.append(f"OVERDRAFT: the ledger went down to {lowest}")
    if len(rows) != successes:
        problems.append(f"{len(rows)} ledger rows for {successes} successful operations")
    print(
        f"ledger: {len(rows)} transactions, lowest balance {lowest}, final {running}; "
        f"expected {expected} = {initial} + {tally.added} added - {tally.removed} removed "
        f"- {tally.redeemed} redeemed"
    )
    return problems


async def curve(base_url: str, args: argparse.Namespace, tally: Tally, redeems: bool) -> None:
    """The throughput curve over the client counts, printed as it goes."""
    print(f"{'clients':>7}  {'req/s':>7}  {'p50 ms':>7}  {'p99 ms':>7}")
    for clients in args.clients:
        before = len(tally.latencies)
        rate = await step(base_url, clients, args.seconds, tally, redeems)
        lat = sorted(tally.latencies[before:])
        p50, p99 = lat[len(lat) // 2] * 1000, lat[min(len(lat) - 1, int(0.99 * len(lat)))] * 1000
        print(f"{clients:7d}  {rate:7.0f}  {p50:7.1f}  {p99:7.1f}", flush=True)


def run(args: argparse.Namespace) -> int:
    """Start the server on a fresh database, make the card, run the curve, check the ledger."""
    redeems = (
        Path(__file__).resolve().parents[1] / "src/openvoucher/checkout/redemptions.py"
    ).exists()
    print(machine_note(pin=args.pin))
    with postgres_database(args.postgres) as url:
        env = {"OPENVOUCHER_RUN_RELAY": "false"} if args.no_relay else {}
        with openvoucher_server(url, pin=args.pin, env=env) as server:
            with httpx.Client(base_url=server.base_url, headers=APP_HEADERS) as client:
                body = {"type": "GIFT_VOUCHER", "gift": {"amount": args.initial}}
                client.post(f"/v1/vouchers/{CODE}", json=body).raise_for_status()
            tally = Tally()
            mix = "redemptions/removals/additions" if redeems else "removals/additions"
            print(f"one hot card, {mix}, {args.seconds:g} s per step, initial {args.initial}")
            asyncio.run(curve(server.base_url, args, tally, redeems))
        print("answers:", dict(sorted(tally.answers.items())))
        problems = ledger_check(url, args.initial, tally)
    print(f"load average after: {os.getloadavg()[0]:.2f}")
    for problem in problems:
        print("PROBLEM:", problem)
    print("zero overdrafts, no drift" if not problems else "FAILED")
    return 1 if problems else 0


def parse() -> argparse.Namespace:
    """Command-line options."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--postgres", default=DEFAULT_POSTGRES, help="PostgreSQL server URL")
    parser.add_argument("--clients", default="1,2,4,8,16,32")
    parser.add_argument("--seconds", type=float, default=5.0, help="per client count")
    parser.add_argument("--initial", type=int, default=5000, help="the card's first credits")
    parser.add_argument("--no-pin", dest="pin", action="store_false", help="no taskset")
    parser.add_argument("--no-relay", action="store_true", help="serve without the webhook relay")
    args = parser.parse_args()
    args.clients = [int(n) for n in args.clients.split(",")]
    return args


if __name__ == "__main__":
    options = parse()
    if options.pin:
        os.sched_setaffinity(0, {1})  # the clients on CPU 1, the server on CPU 0
    raise SystemExit(run(options))
