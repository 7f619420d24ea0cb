"""``POST /v1/redemptions`` of one gift card (rotating over many cards) against the same stack's
bare JSON hello-world, measured in one run; optionally one hot card under growing concurrency.

Target (issue 4): at least 0.4× the hello-world's requests/s. Each request pays 1 credit of a
card in a 1-credit order (a new order per request), so every request is a full redemption:
voucher lock, ledger row, order upsert, redemption row, events in the outbox.

    python bench/bench_redemptions.py
    python bench/bench_redemptions.py --postgres postgresql://postgres@127.0.0.1:5432/postgres
    python bench/bench_redemptions.py --postgres URL --hot      # the hot-card curve as well
    python bench/bench_redemptions.py --src /tmp/before/src --src /tmp/after/src   # A/B
"""

from __future__ import annotations

import argparse
import json
import os
from collections.abc import Sequence
from contextlib import ExitStack
from dataclasses import dataclass
from pathlib import Path

import httpx
from common import (
    APP_HEADERS,
    Result,
    Server,
    database,
    hello_server,
    load,
    machine_note,
    median_result,
    openvoucher_server,
    print_table,
    run_wrk,
)

TARGET_RATIO = 0.4
CARD_CREDITS = 10**9


def issue_cards(server: Server, count: int, prefix: str) -> list[str]:
    """``count`` gift cards with plenty of credits; their codes."""
    codes = [f"{prefix}-{n:05d}" for n in range(count)]
    with httpx.Client(base_url=server.base_url, headers=APP_HEADERS, timeout=30) as client:
        for code in codes:
            body = {"type": "GIFT_VOUCHER", "gift": {"amount": CARD_CREDITS}}
            client.post(f"/v1/vouchers/{code}", json=body).raise_for_status()
    return codes


def pythonpath(src: Path) -> str:
    """``PYTHONPATH`` that puts the source tree ``src`` before the installed package."""
    return os.pathsep.join([str(src.resolve()), os.environ.get("PYTHONPATH", "")])


def redemption_body(code: str) -> str:
    """One request body: pay 1 credit of ``code`` in a 1-credit order."""
    return json.dumps(
        {
            "redeemables": [{"object": "voucher", "id": code, "gift": {"credits": 1}}],
            "order": {"amount": 1},
        },
        separators=(",", ":"),
    )


def redemption_lua(codes: Sequence[str]) -> str:
    escaped = ", ".join(json.dumps(redemption_body(code)) for code in codes)
    headers = "".join(f'wrk.headers["{k}"] = "{v}"\n' for k, v in APP_HEADERS.items())
    return (
        'wrk.method = "POST"\n'
        'wrk.headers["Content-Type"] = "application/json"\n'
        f"{headers}"
        f"bodies = {{{escaped}}}\n"
        "i = 0\n"
        "request = function()\n"
        "  i = i % #bodies + 1\n"
        '  return wrk.format("POST", "/v1/redemptions", nil, bodies[i])\n'
        "end\n"
    )


def redeem_load(
    name: str, server: Server, codes: Sequence[str], duration: float, connections: int, pin: bool
) -> Result:
    """One bounded ``wrk`` run of redemptions rotating over ``codes`` (loopback only)."""
    url = server.base_url + "/v1/redemptions"
    script = redemption_lua(codes)
    return run_wrk(name, script, url, duration=duration, connections=connections, pin=pin)


@dataclass
class Api:
    """One openvoucher server under test and the cards issued on it."""

    label: str
    server: Server
    codes: list[str]


def _run(args: argparse.Namespace, label: str, apis: dict[str, Api], hello: Server) -> Result:
    if label in apis:
        api = apis[label]
        return redeem_load(label, api.server, api.codes, args.duration, args.connections, args.pin)
    url = hello.base_url + "/hello"
    return load(label, url, duration=args.duration, connections=args.connections, pin=args.pin)


def side_by_side(args: argparse.Namespace, targets: Sequence[Api], hello: Server) -> None:
    """Alternate hello-world and each server's redemptions; print medians and the ratios."""
    apis = {api.label: api for api in targets}
    for api in targets:
        redeem_load(api.label, api.server, api.codes, 1, args.connections, args.pin)
    load("warm", hello.base_url + "/hello", duration=1, pin=args.pin)
    runs: dict[str, list[Result]] = {"hello-world GET /hello": [], **{a: [] for a in apis}}
    for round_no in range(args.rounds):
        for label, found in runs.items():
            result = _run(args, label, apis, hello)
            found.append(result)
            print(
                f"  round {round_no + 1}/{args.rounds} {label}: {result.rps:.0f} req/s", flush=True
            )
    medians = [median_result(label, found) for label, found in runs.items()]
    print()
    print_table(medians, baseline=medians[0])
    for row in medians[1:]:
        ratio = row.rps / medians[0].rps
        verdict = "meets" if ratio >= TARGET_RATIO else "misses"
        print(f"{row.name}: openvoucher / hello-world = {ratio:.2f} ({verdict} ≥ {TARGET_RATIO})")


def hot_card(args: argparse.Namespace, api: Server) -> None:
    """One card under 1…32 connections: the throughput curve, and no overdraft or lost update."""
    (code,) = issue_cards(api, 1, "HOT")
    results = []
    for connections in (1, 2, 4, 8, 16, 32):
        name = f"one hot card, {connections} connections"
        results.append(redeem_load(name, api, [code], args.duration, connections, args.pin))
    print()
    print_table(results)
    with httpx.Client(base_url=api.base_url, headers=APP_HEADERS, timeout=30) as client:
        card = client.get(f"/v1/vouchers/{code}").json()
    redeemed = card["redemption"]["redeemed_quantity"]
    left = card["gift"]["balance"]
    print(f"hot card: {redeemed} redemptions, balance {left} (expected {CARD_CREDITS - redeemed})")
    if left != CARD_CREDITS - redeemed or left < 0:
        raise SystemExit("hot card balance disagrees with its redemptions")


def main() -> None:
    """Set up the servers and cards, load them, print the figures."""
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--duration", type=float, default=5.0, help="seconds per run")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--connections", type=int, default=32)
    parser.add_argument("--count", type=int, default=500, help="gift cards to rotate over")
    parser.add_argument("--postgres", metavar="URL", help="PostgreSQL server (default SQLite)")
    parser.add_argument("--hot", action="store_true", help="also the one-hot-card curve")
    parser.add_argument(
        "--src", type=Path, action="append", metavar="DIR",
        help="run openvoucher from this source tree (holds openvoucher/); repeat for an A/B",
    )  # fmt: skip
    parser.add_argument("--no-pin", dest="pin", action="store_false", help="no CPU pinning")
    args = parser.parse_args()
    with ExitStack() as stack:
        targets = []
        for src in args.src or [None]:
            env = None if src is None else {"PYTHONPATH": pythonpath(src)}
            url = stack.enter_context(database(args.postgres))
            api = stack.enter_context(openvoucher_server(url, env=env, pin=args.pin))
            label = f"POST /v1/redemptions over {args.count} gift cards"
            label += f" ({src})" if src is not None else ""
            targets.append(Api(label, api, issue_cards(api, args.count, "CARD")))
        hello = stack.enter_context(hello_server("starlette", "uvicorn", pin=args.pin))
        backend = "PostgreSQL" if args.postgres else "SQLite"
        print(machine_note(pin=args.pin))
        print(f"wrk: 1 thread, {args.connections} connections, {args.duration:.0f} s per run")
        print(f"POST /v1/redemptions on {backend} vs the same stack's hello-world\n")
        side_by_side(args, targets, hello)
        if args.hot:
            print()
            hot_card(args, targets[-1].server)


if __name__ == "__main__":
    main()
