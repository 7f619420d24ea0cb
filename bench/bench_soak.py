"""Soak: the server's resident memory (RSS) over a long run of mixed load, SQLite or PostgreSQL.

Mixed load on ``--connections`` client threads: customers created and listed, gift cards
created, validated, redeemed and rolled back, orders created and paid, vouchers read. RSS of
the server process (``/proc/PID/status``) is sampled every ``--interval`` seconds; the table
shows it over time with the load average, and the last line the growth over the second half
of the run (a bounded server levels off: docs/adr/0029-after-commit-and-memory.md,
docs/adr/0069-soak-memory.md). ``--malloc-arenas 0`` runs the server with glibc's default
malloc arenas instead of the server's cap, to compare.

    python bench/bench_soak.py --seconds 600              # SQLite, 10 minutes
    python bench/bench_soak.py --seconds 600 --postgres postgresql://postgres@127.0.0.1/x
"""

from __future__ import annotations

import argparse
import itertools
import os
import random
import threading
import time
from collections import Counter
from collections.abc import Callable

import httpx
from common import APP_HEADERS, database, openvoucher_server

Op = Callable[[httpx.Client, random.Random, int], int]


def rss_mib(pid: int) -> float:
    """The resident set size of ``pid`` in MiB."""
    with open(f"/proc/{pid}/status") as status:
        for line in status:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return 0.0


def _customer(client: httpx.Client, _rng: random.Random, n: int) -> int:
    body = {"source_id": f"soak-{n}", "name": f"Soak {n}", "metadata": {"n": n, "tag": "x" * 50}}
    return client.post("/v1/customers", json=body).status_code


def _list(client: httpx.Client, _rng: random.Random, _n: int) -> int:
    return client.get("/v1/customers", params={"limit": 50}).status_code


def _card(client: httpx.Client, _rng: random.Random, n: int) -> int:
    body = {"type": "GIFT_VOUCHER", "gift": {"amount": 100_000}}
    return client.post(f"/v1/vouchers/SOAK-{n}", json=body).status_code


def _redeem(client: httpx.Client, rng: random.Random, n: int) -> int:
    code = f"SOAK-{rng.randrange(max(n, 1))}"
    body = {
        "redeemables": [{"object": "voucher", "id": code, "gift": {"credits": 10}}],
        "order": {"amount": 10, "metadata": {"n": n}},
        "customer": {"source_id": f"soak-{rng.randrange(max(n, 1))}"},
    }
    reply = client.post("/v1/redemptions", json=body)
    if reply.status_code == 200 and rng.random() < 0.2:
        rid = reply.json()["redemptions"][0]["id"]
        return client.post(f"/v1/redemptions/{rid}/rollback", json={}).status_code
    return reply.status_code


def _validate(client: httpx.Client, rng: random.Random, n: int) -> int:
    code = f"SOAK-{rng.randrange(max(n, 1))}"
    body = {"redeemables": [{"object": "voucher", "id": code}], "order": {"amount": 500}}
    return client.post("/v1/validations", json=body).status_code


def _order(client: httpx.Client, _rng: random.Random, n: int) -> int:
    body = {"source_id": f"soak-order-{n}", "status": "PAID", "amount": 1000 + n % 100}
    return client.post("/v1/orders", json=body).status_code


def _read(client: httpx.Client, rng: random.Random, n: int) -> int:
    return client.get(f"/v1/vouchers/SOAK-{rng.randrange(max(n, 1))}").status_code


OPS: list[Op] = [_customer, _list, _card, _redeem, _redeem, _validate, _order, _read, _read]


def _worker(
    base_url: str, stop: threading.Event, counter: itertools.count[int], seen: Counter[int]
) -> None:
    rng = random.Random()
    with httpx.Client(base_url=base_url, headers=APP_HEADERS, timeout=60) as client:
        while not stop.is_set():
            status = rng.choice(OPS)(client, rng, next(counter))
            seen[status // 100 * 100] += 1


def main() -> None:
    """Start a server, run the mixed load, print RSS samples."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=600.0, help="how long to run (600)")
    parser.add_argument("--interval", type=float, default=10.0, help="seconds between samples")
    parser.add_argument("--connections", type=int, default=32)
    parser.add_argument("--postgres", metavar="URL", help="PostgreSQL server (default SQLite)")
    parser.add_argument(
        "--malloc-arenas", type=int, help="the server's OPENVOUCHER_MALLOC_ARENAS (0: glibc's)"
    )
    args = parser.parse_args()
    env = (
        {} if args.malloc_arenas is None else {"OPENVOUCHER_MALLOC_ARENAS": str(args.malloc_arenas)}
    )
    with database(args.postgres) as url, openvoucher_server(url, pin=False, env=env) as server:
        pid = server.process.pid
        stop, counter, seen = threading.Event(), itertools.count(1), Counter[int]()
        threads = [
            threading.Thread(target=_worker, args=(server.base_url, stop, counter, seen))
            for _ in range(args.connections)
        ]
        for thread in threads:
            thread.start()
        samples = _sample(pid, args.seconds, args.interval, seen)
        stop.set()
        for thread in threads:
            thread.join()
    _report(samples, "PostgreSQL" if args.postgres else "SQLite", seen)


def _sample(
    pid: int, seconds: float, interval: float, seen: Counter[int]
) -> list[tuple[float, float]]:
    start = time.monotonic()
    samples = [(0.0, rss_mib(pid))]
    print(f"{'t (s)':>7} {'RSS (MiB)':>10} {'requests':>9} {'load':>5}")
    print(f"{0:7.0f} {samples[0][1]:10.1f} {0:9d} {os.getloadavg()[0]:5.1f}")
    while (elapsed := time.monotonic() - start) < seconds:
        time.sleep(min(interval, seconds - elapsed))
        sample = (time.monotonic() - start, rss_mib(pid))
        samples.append(sample)
        load = os.getloadavg()[0]
        print(f"{sample[0]:7.0f} {sample[1]:10.1f} {sum(seen.values()):9d} {load:5.1f}", flush=True)
    return samples


def _report(samples: list[tuple[float, float]], backend: str, seen: Counter[int]) -> None:
    half = samples[len(samples) // 2][1]
    peak = max(s for _, s in samples)
    print(
        f"{backend}: RSS {samples[0][1]:.1f} -> {samples[-1][1]:.1f} MiB (max {peak:.1f}); "
        f"second half grew {samples[-1][1] - half:+.1f} MiB; "
        f"statuses {dict(sorted(seen.items()))}"
    )


if __name__ == "__main__":
    main()
