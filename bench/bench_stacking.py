"""``POST /v1/validations`` of 30 redeemables under stacking rules against one of 1 redeemable.

Target (issue 12): the 30-redeemable validation costs at most 2x the 1-redeemable one. The
server is a real ``openvoucher serve`` (temp SQLite file, or ``--postgres``) with the project's
own stacking rules (PARTIAL, CATEGORY_HIERARCHY, 30 applicable, 3 per category), 30 discount
vouchers in 10 categories, and an order of 10 items. One client sends the two requests in
alternating rounds (``--rounds`` x ``--seconds`` each); the figures are the server's CPU time
per request (``/proc``) and the client's mean latency, medians over rounds, and the ratio of
each round's pair (median and range). The pure engine is timed in process as well
(``evaluate`` of the same shapes).

``--in-process`` times the use case instead (``checkout.validations.validate`` and the JSON
encoding of its result, no HTTP) on a temp SQLite file: the minimum over ``--batches`` calls,
which other load on a shared machine disturbs far less than CPU time over HTTP. With
``PYTHONPATH`` set to another tree's ``src``, run alternately, it is an A/B of the two trees.

    python bench/bench_stacking.py
    python bench/bench_stacking.py --postgres postgresql://postgres@127.0.0.1:5432/postgres
    python bench/bench_stacking.py --in-process --batches 200
"""

from __future__ import annotations

import argparse
import os
import statistics
import tempfile
import time
from datetime import UTC, datetime
from typing import Any

import httpx
import orjson
from common import (
    APP_HEADERS,
    APP_ID,
    APP_TOKEN,
    MANAGEMENT_ID,
    MANAGEMENT_TOKEN,
    Server,
    database,
    machine_note,
    openvoucher_server,
    process_cpu_seconds,
)

from openvoucher.catalog.domain.validity import Validity
from openvoucher.checkout.domain.redeemables import OrderContext, Requested, VoucherFacts
from openvoucher.checkout.domain.stacking import evaluate
from openvoucher.checkout.domain.stacking_policy import Category, Policy

TARGET = 2.0
STACK = 30
ITEMS = [{"product_id": f"prod_{n}", "quantity": 2, "price": 1000 + n} for n in range(10)]
ITEMS_ORDER = {"items": ITEMS}
AMOUNT_ORDER = {"amount": 100000}
RULES = {
    "redeemables_application_mode": "PARTIAL",
    "redeemables_sorting_rule": "CATEGORY_HIERARCHY",
    "applicable_redeemables_limit": STACK,
    "applicable_redeemables_per_category_limit": 3,
}


def _discount(n: int) -> dict[str, Any]:
    """Order and item discounts, in turn."""
    if n % 3 == 0:
        return {"type": "PERCENT", "percent_off": 1}
    if n % 3 == 1:
        return {"type": "AMOUNT", "amount_off": 10, "effect": "APPLY_TO_ITEMS"}
    return {"type": "AMOUNT", "amount_off": 50}


def setup(client: httpx.Client) -> None:
    """Categories, vouchers and the project's stacking rules, through ``client``."""
    management = {"X-Management-Id": MANAGEMENT_ID, "X-Management-Token": MANAGEMENT_TOKEN}
    project = client.get("/management/v1/projects", headers=management).json()["data"][0]
    categories = [
        client.post(
            "/v1/categories", json={"name": f"cat{n}", "hierarchy": n}, headers=APP_HEADERS
        ).json()["id"]
        for n in range(10)
    ]
    for n in range(STACK):
        body = {"type": "DISCOUNT_VOUCHER", "discount": _discount(n)}
        body["category_id"] = categories[n % 10]
        reply = client.post(f"/v1/vouchers/STK-{n:02d}", json=body, headers=APP_HEADERS)
        reply.raise_for_status()
    url = f"/management/v1/projects/{project['id']}/stacking-rules"
    client.post(url, json=RULES, headers=management).raise_for_status()


def body(count: int, order: dict[str, Any] | None = None) -> dict[str, Any]:
    """A validation of the first ``count`` vouchers against ``order`` (default: an amount)."""
    refs = [{"object": "voucher", "id": f"STK-{n:02d}"} for n in range(count)]
    return {"redeemables": refs, "order": order or AMOUNT_ORDER}


def _round(
    client: httpx.Client, server: Server, payload: dict[str, Any], seconds: float
) -> tuple[float, float]:
    """(server CPU ms, client ms) per request over one round."""
    done = 0
    cpu = process_cpu_seconds(server.process.pid)
    start = time.perf_counter()
    while time.perf_counter() - start < seconds:
        reply = client.post("/v1/validations", json=payload)
        reply.raise_for_status()
        if not reply.json()["valid"]:
            raise RuntimeError(reply.text)
        done += 1
    wall = time.perf_counter() - start
    used = process_cpu_seconds(server.process.pid) - cpu
    return used * 1000 / done, wall * 1000 / done


def over_http(
    server: Server, order: dict[str, Any], rounds: int, seconds: float
) -> tuple[dict[int, tuple[float, float]], list[float]]:
    """Median (server CPU ms, client ms) per request, for 1 and 30 redeemables, and the
    server-CPU ratio of each round (a round's two runs are adjacent, so they share the load
    of the moment: on a busy machine their ratio is steadier than the ratio of medians)."""
    runs: dict[int, list[tuple[float, float]]] = {1: [], STACK: []}
    with httpx.Client(base_url=server.base_url, headers=APP_HEADERS, timeout=30) as client:
        for count in runs:
            _round(client, server, body(count, order), 0.5)  # warm up
        for _ in range(rounds):
            for count, found in runs.items():
                found.append(_round(client, server, body(count, order), seconds))
    medians = {
        count: (
            statistics.median(r[0] for r in found),
            statistics.median(r[1] for r in found),
        )
        for count, found in runs.items()
    }
    ratios = [many[0] / one[0] for one, many in zip(runs[1], runs[STACK], strict=True)]
    return medians, ratios


def in_process(with_items: bool, repeat: int = 300) -> dict[int, float]:
    """Microseconds per pure ``evaluate`` of 1 and 30 redeemables (``with_items``: against
    the 10-item order, else against an amount)."""
    listed = ITEMS if with_items else []
    items = tuple({**item, "amount": item["price"] * item["quantity"]} for item in listed)
    facts = {
        f"STK-{n:02d}": VoucherFacts(
            id=f"v_{n}",
            code=f"STK-{n:02d}",
            type="DISCOUNT_VOUCHER",
            active=True,
            validity=Validity(),
            discount=_discount(n),
            categories=(Category(f"cat{n % 10}", n % 10),),
        )
        for n in range(STACK)
    }
    policy = Policy.of(RULES)
    total = sum(i["amount"] for i in items) if items else int(AMOUNT_ORDER["amount"])
    order = OrderContext(total, items)
    now = datetime.now(UTC)
    timing = {}
    for count in (1, STACK):
        requests = [Requested("voucher", f"STK-{n:02d}") for n in range(count)]
        start = time.perf_counter()
        for _ in range(repeat):
            evaluate(requests, facts, order, now, policy)
        timing[count] = (time.perf_counter() - start) * 1e6 / repeat
    return timing


def use_case_timings(batches: int) -> None:
    """Print the use case's time per validation (and its JSON), 1 and 30 redeemables, for
    both orders: the minimum over ``batches`` calls of each, the two counts alternated."""
    import msgspec
    from starlette.testclient import TestClient

    from openvoucher.api.app import create_app
    from openvoucher.api.schemas.customers import given
    from openvoucher.api.schemas.redemptions import StackBody
    from openvoucher.bootstrap import build
    from openvoucher.checkout import validations
    from openvoucher.config import Settings

    with tempfile.TemporaryDirectory(prefix="openvoucher-stacking-") as directory:
        settings = Settings(
            database_url=f"sqlite:///{directory}/bench.db",
            run_relay=False,
            app_id=APP_ID,
            app_token=APP_TOKEN,
            management_id=MANAGEMENT_ID,
            management_token=MANAGEMENT_TOKEN,
        )
        container = build(settings)
        with TestClient(create_app(container)) as client:
            setup(client)
        uow, project = container.uow, container.default_project["id"]
        print(f"source: {validations.__file__}")
        for name, order in (("amount", AMOUNT_ORDER), ("10 items", ITEMS_ORDER)):
            raws = {count: orjson.dumps(body(count, order)) for count in (1, STACK)}
            best = {count: float("inf") for count in raws}
            for _ in range(batches):
                for count, raw in raws.items():
                    start = time.perf_counter()
                    request = given(msgspec.json.decode(raw, type=StackBody))
                    orjson.dumps(validations.validate(uow, project, request))
                    best[count] = min(best[count], time.perf_counter() - start)
            one, many = best[1] * 1e6, best[STACK] * 1e6
            print(
                f"use case, order by {name}: 1 -> {one:.0f} us, {STACK} -> {many:.0f} us; "
                f"ratio {many / one:.2f}x; per added redeemable {(many - one) / (STACK - 1):.1f} us"
            )
        _redemption_timings(uow, project, max(batches // 4, 1))
        container.engine.dispose()
    print(f"load average after: {os.getloadavg()[0]:.2f}")


def _redemption_timings(uow: Any, project: str, batches: int) -> None:
    """``POST /v1/redemptions`` of the same stacks (by amount) through the use case: the
    minimum over ``batches`` calls of each (the vouchers have no redemption limit)."""
    import msgspec

    from openvoucher.api.schemas.customers import given
    from openvoucher.api.schemas.redemptions import StackBody
    from openvoucher.checkout import redemptions

    raws = {count: orjson.dumps(body(count)) for count in (1, STACK)}
    best = {count: float("inf") for count in raws}
    for _ in range(batches):
        for count, raw in raws.items():
            start = time.perf_counter()
            request = given(msgspec.json.decode(raw, type=StackBody))
            orjson.dumps(redemptions.redeem(uow, project, request))
            best[count] = min(best[count], time.perf_counter() - start)
    one, many = best[1] * 1e6, best[STACK] * 1e6
    print(f"redemption use case, order by amount: 1 -> {one:.0f} us, {STACK} -> {many:.0f} us")


def main() -> None:
    """Run both measurements, for an order given by amount and one of 10 items."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--postgres", help="PostgreSQL server URL (default: SQLite)")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--seconds", type=float, default=3.0)
    parser.add_argument("--in-process", action="store_true", help="time the use case, no HTTP")
    parser.add_argument("--batches", type=int, default=400, help="with --in-process")
    args = parser.parse_args()
    print(machine_note(pin=False), datetime.now(UTC).isoformat(timespec="minutes"))
    for with_items in (False, True):
        engine = in_process(with_items)
        print(
            f"engine ({'10 items' if with_items else 'amount'}): 1 -> {engine[1]:.0f} us, "
            f"{STACK} -> {engine[STACK]:.0f} us per evaluate"
        )
    if args.in_process:
        use_case_timings(args.batches)
        return
    with database(args.postgres) as url, openvoucher_server(url, pin=False) as server:
        with httpx.Client(base_url=server.base_url, timeout=30) as client:
            setup(client)
        for name, order in (("amount", AMOUNT_ORDER), ("10 items", ITEMS_ORDER)):
            figures, ratios = over_http(server, order, args.rounds, args.seconds)
            (cpu1, wall1), (cpu30, wall30) = figures[1], figures[STACK]
            print(
                f"http, order by {name}: 1 -> server CPU {cpu1:.2f} ms, client {wall1:.2f} ms; "
                f"{STACK} -> server CPU {cpu30:.2f} ms, client {wall30:.2f} ms; "
                f"ratio {cpu30 / cpu1:.2f}x (client {wall30 / wall1:.2f}x); target <= {TARGET}x; "
                f"per round {statistics.median(ratios):.2f}x median, "
                f"{min(ratios):.2f}-{max(ratios):.2f}x"
            )
    print(f"load average after: {os.getloadavg()[0]:.2f}")


if __name__ == "__main__":
    main()
