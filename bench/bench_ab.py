"""A/B of two source trees of openvoucher on one read endpoint, side by side in one run.

For edge changes: copy ``src/`` twice, revert the change in one copy, and compare. Each server
runs with its tree first on ``PYTHONPATH``; both get the same data; runs alternate with the
Starlette+uvicorn hello-world as the common yardstick.

    python bench/bench_ab.py --a /tmp/before/src --b /tmp/after/src --target voucher
"""

from __future__ import annotations

import argparse
import os
from contextlib import ExitStack
from pathlib import Path

import httpx
from bench_get_voucher import create_customers, create_vouchers, database
from common import (
    APP_HEADERS,
    Target,
    hello_server,
    machine_note,
    openvoucher_server,
    side_by_side,
)


def main() -> None:
    """Start A, B and the hello-world; alternate bounded runs; print the table."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--a", type=Path, required=True, help="source dir A (holds openvoucher/)")
    parser.add_argument("--b", type=Path, required=True, help="source dir B")
    parser.add_argument("--target", choices=["voucher", "customer"], default="voucher")
    parser.add_argument("--duration", type=float, default=4.0)
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--connections", type=int, default=32)
    parser.add_argument("--count", type=int, default=100)
    parser.add_argument("--postgres", metavar="URL", help="PostgreSQL server (default SQLite)")
    parser.add_argument("--no-pin", dest="pin", action="store_false")
    args = parser.parse_args()

    label = "GET /v1/vouchers/{code}" if args.target == "voucher" else "GET /v1/customers/{id}"
    with ExitStack() as stack:
        targets = []
        for name, src in (("A", args.a), ("B", args.b)):
            path = os.pathsep.join([str(src.resolve()), os.environ.get("PYTHONPATH", "")])
            url = stack.enter_context(database(args.postgres))
            api = stack.enter_context(
                openvoucher_server(url, env={"PYTHONPATH": path}, pin=args.pin)
            )
            with httpx.Client(base_url=api.base_url, headers=APP_HEADERS, timeout=30) as client:
                made = create_vouchers if args.target == "voucher" else create_customers
                paths = made(client, args.count)
            if not paths:
                raise SystemExit("no POST /v1/vouchers in this tree")
            targets.append(Target(f"{name} {label} ({src})", api, paths, headers=APP_HEADERS))
        hello = stack.enter_context(hello_server(pin=args.pin))
        print(machine_note(pin=args.pin))
        side_by_side(
            Target("hello-world GET /hello", hello, ["/hello"]),
            targets,
            rounds=args.rounds,
            duration=args.duration,
            connections=args.connections,
            pin=args.pin,
        )


if __name__ == "__main__":
    main()
