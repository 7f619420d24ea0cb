"""``GET /v1/vouchers/{code}`` throughput against the same stack's bare JSON hello-world.

Target (issue 2): at least 0.5× the hello-world's requests/s, measured side by side in one run.
Starts a real ``openvoucher serve`` (temp SQLite file, or a fresh database on ``--postgres``)
and a Starlette+uvicorn hello app, creates ``--count`` vouchers, then alternates bounded
``wrk`` runs over both. While ``POST /v1/vouchers`` does not exist yet, it falls back to
``GET /v1/customers/{id}`` and says so.

    python bench/bench_get_voucher.py
    python bench/bench_get_voucher.py --postgres postgresql://postgres@127.0.0.1:5432/postgres
"""

from __future__ import annotations

import argparse
from contextlib import ExitStack

import httpx
from common import (
    APP_HEADERS,
    Server,
    Target,
    database,
    hello_server,
    machine_note,
    openvoucher_server,
    side_by_side,
)

TARGET_RATIO = 0.5
VOUCHER = {"type": "DISCOUNT_VOUCHER", "discount": {"type": "AMOUNT", "amount_off": 1000}}


def create_vouchers(client: httpx.Client, count: int) -> list[str] | None:
    """Paths of ``count`` new vouchers, or None when the server has no ``POST /v1/vouchers``."""
    paths = []
    for _ in range(count):
        reply = client.post("/v1/vouchers", json=VOUCHER)
        if reply.status_code in {404, 405}:
            return None
        reply.raise_for_status()
        paths.append(f"/v1/vouchers/{reply.json()['code']}")
    return paths


def create_customers(client: httpx.Client, count: int) -> list[str]:
    """Paths of ``count`` new customers."""
    paths = []
    for n in range(count):
        body = {"source_id": f"bench-{n}", "name": f"Bench {n}", "email": f"b{n}@example.com"}
        reply = client.post("/v1/customers", json=body)
        reply.raise_for_status()
        paths.append(f"/v1/customers/{reply.json()['id']}")
    return paths


def target_paths(server: Server, count: int, wanted: str) -> tuple[str, list[str]]:
    """(label, paths) for the vouchers endpoint when available (or forced), else customers."""
    with httpx.Client(base_url=server.base_url, headers=APP_HEADERS, timeout=30) as client:
        if wanted in {"auto", "voucher"}:
            paths = create_vouchers(client, count)
            if paths is not None:
                return "GET /v1/vouchers/{code}", paths
            if wanted == "voucher":
                raise SystemExit("the server has no POST /v1/vouchers yet")
            print("POST /v1/vouchers is not served yet: measuring GET /v1/customers/{id} instead")
        return "GET /v1/customers/{id}", create_customers(client, count)


def main() -> None:
    """Set up the servers, load them alternately, print the ratios."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--duration", type=float, default=5.0, help="seconds per run")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--connections", type=int, default=32)
    parser.add_argument("--count", type=int, default=200, help="vouchers to rotate over")
    parser.add_argument("--target", choices=["auto", "voucher", "customer"], default="auto")
    parser.add_argument("--postgres", metavar="URL", help="PostgreSQL server (default SQLite)")
    parser.add_argument(
        "--servers", nargs="+", choices=["uvicorn", "granian"], default=["uvicorn"],
        help="ASGI servers to compare (openvoucher serve uses uvicorn)",
    )  # fmt: skip
    parser.add_argument("--no-pin", dest="pin", action="store_false", help="no CPU pinning")
    args = parser.parse_args()

    with ExitStack() as stack:
        pairs: list[tuple[str, Target, Target]] = []
        for server in args.servers:
            url = stack.enter_context(database(args.postgres))
            api = stack.enter_context(openvoucher_server(url, server=server, pin=args.pin))
            hello = stack.enter_context(hello_server("starlette", server, pin=args.pin))
            label, paths = target_paths(api, args.count, args.target)
            pairs.append(
                (
                    server,
                    Target(f"hello-world GET /hello, starlette+{server}", hello, ["/hello"]),
                    Target(f"openvoucher+{server} {label}", api, paths, headers=APP_HEADERS),
                )
            )
        backend = "PostgreSQL" if args.postgres else "SQLite"
        print(machine_note(pin=args.pin))
        print(f"wrk: 1 thread, {args.connections} connections, {args.duration:.0f} s per run")
        print(f"{label} over {args.count} ids on {backend} vs the same stack's hello-world\n")
        baseline, first = pairs[0][1], pairs[0][2]
        hello_sync = Target(
            f"hello-world GET /hello-sync, starlette+{pairs[0][0]}",
            baseline.server,
            ["/hello-sync"],
        )
        others = [hello_sync, first] + [t for _, *both in pairs[1:] for t in both]
        results = {r.name: r for r in side_by_side(
            baseline,
            others,
            rounds=args.rounds,
            duration=args.duration,
            connections=args.connections,
            pin=args.pin,
        )}  # fmt: skip
        for server, hello_target, api_target in pairs:
            ratio = results[api_target.name].rps / results[hello_target.name].rps
            verdict = "meets" if ratio >= TARGET_RATIO else "misses"
            print(f"{server}: openvoucher / hello-world = {ratio:.2f} ({verdict} ≥ {TARGET_RATIO})")


if __name__ == "__main__":
    main()
