"""Loyalty v2 against v1 on the same ledger, run by hand (in-process, no network):

1. an earning paid order: PAID orders of members whose programme gives 1 point per 100 — a v1
   ``order.paid`` earning rule vs a v2 ``customer.order.paid`` rule (a v2 member has one card);
2. paying with points: a v2 order payment (``TRANSACTION``, ratio 1) vs the v1 equivalent, a
   redemption of the member's card with a COIN reward (1 point pays 1) and the order; also a
   v1 manual points removal of the same size, the floor of any points change.

Alternates v1 and v2 in rounds so both see the same load; prints ms per operation, the ratio
v2/v1 and the load average (the machine is shared).

    python bench/bench_loyalty_v2.py [--count 300] [--postgres URL]
"""

from __future__ import annotations

import argparse
import os
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from common import postgres_database

from openvoucher.bootstrap import build
from openvoucher.checkout import orders, redemptions
from openvoucher.config import Settings
from openvoucher.loyalty import earning_rules, loyalty_members, rewards
from openvoucher.loyalty import programmes as loyalty
from openvoucher.loyalty.model import RewardChange
from openvoucher.loyalty.v2 import components, members, payments, programs
from openvoucher.platform import projects

V1_RULE = {
    "event": "order.paid",
    "loyalty": {
        "type": "PROPORTIONAL",
        "calculation_type": "ORDER_AMOUNT",
        "order": {"amount": {"every": 100, "points": 1}},
    },
}


def _v1(uow: Any, project_id: str, count: int) -> list[str]:
    body = {"name": "V1 club", "voucher": {"loyalty_card": {"points": 0}}}
    club = loyalty.create_programme(uow, project_id, body, None)
    earning_rules.create(uow, project_id, club["id"], [V1_RULE])
    coin = rewards.create_reward(
        uow,
        project_id,
        RewardChange.of(
            {"name": "Pay", "parameters": {"coin": {"exchange_ratio": 1, "points_ratio": 1}}}
        ),
    )
    rewards.assign_to_programme(uow, project_id, club["id"], [{"reward": coin["id"]}])
    codes = [coin["id"]]
    for i in range(count):
        card = loyalty.add_member(uow, project_id, club["id"], {"customer": {"source_id": f"a{i}"}})
        codes.append(card["code"])
    return codes


def _v2(uow: Any, project_id: str, count: int) -> list[tuple[str, str, str]]:
    wallet = components.create(
        uow,
        project_id,
        "card_definition",
        {
            "name": "W",
            "status": "ACTIVE",
            "pay_with_points": {"type": "EXCHANGE_RATIO", "exchange_ratio": {"formula": 1}},
        },
    )
    effect = {
        "type": "POINTS_PROPORTIONAL",
        "points_proportional": {
            "calculation_type": "PRE_DISCOUNT_ORDER_AMOUNT",
            "card_definition_id": wallet["id"],
            "order": {"amount": {"every": 100, "value": 1}},
        },
    }
    rule = components.create(
        uow,
        project_id,
        "earning_rule",
        {
            "name": "R",
            "status": "ACTIVE",
            "trigger": {"event": "customer.order.paid"},
            "earnings": [{"effects": [effect]}],
        },
    )
    body = {
        "name": "V2 club",
        "status": "ACTIVE",
        "card_definitions": [{"id": wallet["id"]}],
        "earning_rules": [{"id": rule["id"]}],
    }
    club = programs.create(uow, project_id, body)
    found = []
    for i in range(count):
        cust = orders.create(uow, project_id, {"amount": 1, "customer": {"source_id": f"b{i}"}})
        joined = members.create(uow, project_id, club["id"], {"customer_id": cust["customer_id"]})
        found.append((club["id"], joined["id"], joined["cards"][0]["card"]["id"]))
    return found


def _time(step: Callable[[int], object], count: int) -> float:
    began = time.perf_counter()
    for i in range(count):
        step(i)
    return (time.perf_counter() - began) / count * 1000


def run(url: str, count: int, rounds: int) -> None:
    """Seed both programmes and time the four operations in alternating rounds."""
    container = build(Settings(database_url=url, run_relay=False))
    uow = container.uow
    project_id = projects.create_project(uow, {"name": "bench"})["id"]
    coin, *codes = _v1(uow, project_id, count)
    v2_members = _v2(uow, project_id, count)
    names = ("earn v1", "earn v2", "pay v1 (COIN redemption)", "pay v2", "v1 points removal")
    figures: dict[str, list[float]] = {k: [] for k in names}
    for _ in range(rounds):
        figures["earn v1"].append(
            _time(
                lambda i: orders.create(
                    uow,
                    project_id,
                    {"status": "PAID", "amount": 10_000, "customer": {"source_id": f"a{i}"}},
                ),
                count,
            )
        )
        figures["earn v2"].append(
            _time(
                lambda i: orders.create(
                    uow,
                    project_id,
                    {"status": "PAID", "amount": 10_000, "customer": {"source_id": f"b{i}"}},
                ),
                count,
            )
        )
        figures["pay v1 (COIN redemption)"].append(
            _time(
                lambda i: redemptions.redeem(
                    uow,
                    project_id,
                    {
                        "redeemables": [
                            {
                                "object": "voucher",
                                "id": codes[i],
                                "reward": {"id": coin, "points": 10},
                            }
                        ],
                        "order": {"amount": 10},
                        "customer": {"source_id": f"a{i}"},
                    },
                ),
                count,
            )
        )
        figures["v1 points removal"].append(
            _time(
                lambda i: loyalty_members.update_balance(
                    uow, project_id, codes[i], None, {"points": -10}
                ),
                count,
            )
        )

        unpaid = [
            orders.create(uow, project_id, {"amount": 10, "customer": {"source_id": f"b{i}"}})["id"]
            for i in range(count)
        ]

        def pay(i: int, unpaid: list[str] = unpaid) -> object:
            club, member_id, card = v2_members[i]
            body = {"card_id": card, "order": {"id": unpaid[i]}}
            return payments.pay(uow, project_id, club, member_id, body)

        figures["pay v2"].append(_time(pay, count))
    best = {k: min(v) for k, v in figures.items()}
    for k, v in best.items():
        print(f"{k}: {v:.2f} ms (best of {rounds} rounds of {count})")
    earn = best["earn v2"] / best["earn v1"]
    paid = best["pay v2"] / best["pay v1 (COIN redemption)"]
    print(f"earn v2/v1: {earn:.2f}; pay v2/v1: {paid:.2f}")
    print(f"load average: {os.getloadavg()[0]:.1f}")
    container.engine.dispose()


def main() -> None:
    """Parse the arguments and run."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--count", type=int, default=300)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--postgres", default=None, help="a PostgreSQL server URL (fresh database)")
    args = parser.parse_args()
    count, rounds = min(max(args.count, 1), 5_000), max(args.rounds, 1)
    if args.postgres:
        with postgres_database(args.postgres) as url:  # a fresh database, dropped afterwards
            run(url, count, rounds)
        return
    with tempfile.TemporaryDirectory() as directory:
        run(f"sqlite:///{Path(directory) / 'bench.db'}", count, rounds)


if __name__ == "__main__":
    main()
