"""Loyalty benchmarks (issue 5), run by hand:

1. ``--expire``: the expiration job expiring one bucket on each of N cards (default 100 000),
   each card held by a customer, in-process on SQLite (``--postgres``: on PostgreSQL).
   Target: ≤ 10 s on SQLite, bounded memory (the job works in batches of
   ``points_expiration.BATCH``; peak RSS growth is printed). ``--cards N`` for quick runs.
2. ``--orders``: ``POST /v1/orders`` of PAID orders that accrue points (one order.paid rule,
   members rotating) against ``POST /v1/redemptions`` of gift cards on the same server, with
   ``wrk`` on loopback. Target: accrual ≥ 0.6 × redemption throughput.

    python bench/bench_loyalty.py --expire [--cards 20000]
    python bench/bench_loyalty.py --expire --postgres postgresql://postgres@127.0.0.1:5432/postgres
    python bench/bench_loyalty.py --orders [--postgres postgresql://postgres@127.0.0.1:5432/postgres]
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import time
from collections.abc import Sequence
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import insert

from openvoucher.adapters.clock import ControllableClock
from openvoucher.adapters.db.schema.catalog import customers
from openvoucher.adapters.db.schema.loyalty import loyalty_point_buckets
from openvoucher.bootstrap import build
from openvoucher.config import Settings
from openvoucher.kernel.ids import new_ids
from openvoucher.loyalty import programmes as loyalty
from openvoucher.loyalty.domain.loyalty import deduction_moment
from openvoucher.loyalty.points_expiration import expire_due_points
from openvoucher.platform import projects

START = datetime(2025, 1, 15, 10, 0, tzinfo=UTC)
BATCH = 10_000


def _rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _seed(container: Any, project_id: str, count: int) -> None:
    """``count`` held cards of one programme, each with one bucket of 100 points."""
    uow = container.uow
    body = {"name": "Bench club", "voucher": {"loyalty_card": {"points": 0}}}
    club = loyalty.create_programme(uow, project_id, body, None)
    due = deduction_moment(START.date())
    for start in range(0, count, BATCH):
        size = min(BATCH, count - start)
        with uow.write(project_id) as tx:
            people = new_ids("customer", size)
            tx.conn.execute(
                insert(customers),
                [
                    {
                        "id": p,
                        "project_id": project_id,
                        "source_id": f"m{start + i}",
                        "attrs": {"metadata": {}},
                        "created_at": START,
                    }
                    for i, p in enumerate(people)
                ],
            )
            cards = new_ids("voucher", size)
            tx.conn.execute(
                insert(loyalty_point_buckets),
                [
                    {
                        "id": b,
                        "project_id": project_id,
                        "voucher_id": c,
                        "campaign_id": club["id"],
                        "total_points": 100,
                        "points": 100,
                        "status": "ACTIVE",
                        "expires_at": due,
                        "created_at": START,
                    }
                    for b, c in zip(new_ids("points_bucket", size), cards, strict=True)
                ],
            )
            _cards(tx, club["id"], cards, people, start)


def _cards(tx: Any, campaign_id: str, cards: list[str], people: list[str], start: int) -> None:
    from openvoucher.adapters.db.schema.catalog import vouchers

    rows = [
        {
            "id": c,
            "project_id": tx.project_id,
            "code": f"BENCH-{start + i:07d}",
            "campaign_id": campaign_id,
            "type": "LOYALTY_CARD",
            "active": True,
            "holder_id": p,
            "redeemed_quantity": 0,
            "publish_count": 1,
            "loyalty_points": 100,
            "loyalty_balance": 100,
            "attrs": {
                "metadata": {},
                "loyalty_next_expiration": {"date": START.date().isoformat(), "points": 100},
            },
            "created_at": START,
        }
        for i, (c, p) in enumerate(zip(cards, people, strict=True))
    ]
    tx.conn.execute(insert(vouchers), rows)


def bench_expire(count: int, postgres: str | None = None) -> None:
    """Seed ``count`` cards (SQLite, or a fresh PostgreSQL database) and time the expiration
    job over all of them."""
    from bench_inprocess import database

    with database(postgres) as url:
        settings = Settings(database_url=url, run_relay=False)
        container = build(settings, clock=ControllableClock(START))
        project = projects.create_project(container.uow, {"name": "bench"})
        began = time.perf_counter()
        _seed(container, project["id"], count)
        print(f"seeded {count} held cards in {time.perf_counter() - began:.1f} s")
        before = _rss_mb()
        now = START + timedelta(days=1)
        began, cpu = time.perf_counter(), time.process_time()
        expired = expire_due_points(container.uow, None, now)
        took, cpu = time.perf_counter() - began, time.process_time() - cpu
        print(f"expired {expired} buckets in {took:.2f} s ({expired / took:.0f} cards/s)")
        # On a shared machine the wall time depends on the load; the CPU time less so.
        print(f"CPU time of this process: {cpu:.2f} s ({expired / cpu:.0f} cards per CPU-second)")
        print(f"load average at the end: {os.getloadavg()[0]:.1f}")
        print(f"peak RSS {_rss_mb():.0f} MB (was {before:.0f} MB before the job)")
        verdict = "meets" if took <= 10 else "misses"
        print(f"target ≤ 10 s for 100 000 cards on SQLite: {verdict}")
        container.engine.dispose()


def order_lua(sources: Sequence[str]) -> str:
    from common import APP_HEADERS

    bodies = ", ".join(
        json.dumps(
            json.dumps(
                {"status": "PAID", "amount": 2500, "customer": {"source_id": s}},
                separators=(",", ":"),
            )
        )
        for s in sources
    )
    headers = "".join(f'wrk.headers["{k}"] = "{v}"\n' for k, v in APP_HEADERS.items())
    return (
        'wrk.method = "POST"\nwrk.headers["Content-Type"] = "application/json"\n'
        f"{headers}bodies = {{{bodies}}}\ni = 0\n"
        "request = function()\n  i = i % #bodies + 1\n"
        '  return wrk.format("POST", "/v1/orders", nil, bodies[i])\nend\n'
    )


def _order_load(
    server: Any, sources: Sequence[str], duration: float, connections: int, pin: bool
) -> Any:
    from common import run_wrk

    return run_wrk(
        "POST /v1/orders PAID (accrues points)",
        order_lua(sources),
        server.base_url + "/v1/orders",
        duration=duration,
        connections=connections,
        pin=pin,
    )


def loyalty_members(server: Any, count: int) -> list[str]:
    import httpx
    from common import APP_HEADERS

    with httpx.Client(base_url=server.base_url, headers=APP_HEADERS, timeout=30) as client:
        club = client.post("/v1/loyalties", json={"name": "Bench club"}).json()
        rule = {
            "event": "order.paid",
            "loyalty": {
                "type": "PROPORTIONAL",
                "calculation_type": "ORDER_AMOUNT",
                "order": {"amount": {"every": 100, "points": 1}},
            },
        }
        client.post(f"/v1/loyalties/{club['id']}/earning-rules", json=[rule]).raise_for_status()
        sources = [f"bench-member-{i}" for i in range(count)]
        for source in sources:
            body = {"customer": {"source_id": source}}
            client.post(f"/v1/loyalties/{club['id']}/members", json=body).raise_for_status()
    return sources


def bench_orders(args: argparse.Namespace) -> None:
    """Accruing PAID orders against gift-card redemptions, alternating, medians compared."""
    from bench_redemptions import database, issue_cards, redeem_load
    from common import machine_note, median_result, openvoucher_server, print_table

    print(machine_note(pin=args.pin))
    with database(args.postgres) as url, openvoucher_server(url) as api:
        sources = loyalty_members(api, 200)
        codes = issue_cards(api, 200, "BENCHGIFT")
        runs: dict[str, list[Any]] = {"redemptions": [], "orders": []}
        for round_no in range(args.rounds):
            runs["redemptions"].append(
                redeem_load(
                    "POST /v1/redemptions (gift)",
                    api,
                    codes,
                    args.duration,
                    args.connections,
                    args.pin,
                )
            )
            runs["orders"].append(
                _order_load(api, sources, args.duration, args.connections, args.pin)
            )
            gift_rps, order_rps = runs["redemptions"][-1].rps, runs["orders"][-1].rps
            print(f"  round {round_no + 1}: {gift_rps:.0f} vs {order_rps:.0f} req/s")
        medians = [median_result(found[0].name, found) for found in runs.values()]
        print_table(medians, baseline=medians[0])
        ratio = medians[1].rps / medians[0].rps
        verdict = "meets" if ratio >= 0.6 else "misses"
        print(f"accruing orders / gift redemptions = {ratio:.2f} ({verdict} ≥ 0.6)")


def main() -> None:
    """Parse arguments and run the chosen benchmarks."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--expire", action="store_true")
    parser.add_argument("--orders", action="store_true")
    parser.add_argument("--cards", type=int, default=100_000)
    parser.add_argument("--postgres", default=None)
    parser.add_argument("--duration", type=float, default=5)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--connections", type=int, default=16)
    parser.add_argument("--no-pin", dest="pin", action="store_false")
    args = parser.parse_args()
    if args.expire or not args.orders:
        bench_expire(args.cards, args.postgres)
    if args.orders:
        bench_orders(args)


if __name__ == "__main__":
    main()
