"""A/B of two source trees of openvoucher over the headline cases, side by side in one run.

Cases: ``voucher`` (GET /v1/vouchers/{code}), ``redemption`` (POST /v1/redemptions of 1 credit,
rotating over many gift cards), ``accrual`` (POST /v1/orders of PAID orders earning loyalty
points, members rotating) and ``latency`` (webhook commit → receiver, relay in the committing
process). Each tree runs in its own processes with its directory first on ``PYTHONPATH`` and its
own fresh database, migrated by its own migrations; the HTTP cases drive both servers over HTTP
only, runs interleaved (A, B, A, B…). The latency case runs ``bench_webhooks``' latency part in a
subprocess per tree and round (a fresh database each time), both trees posting to one receiver.

What counts is B/A per round and its median: the machine is shared, so absolute figures drift
with its load, the ratio of neighbouring runs much less. Throughput: B/A of req/s (≥ 0.90 is
within 10 %); latency: B/A of the p50 (≤ 1.10 is within 10 %).

    python bench/bench_ab_cases.py --a /tmp/ab-before/src --b /tmp/ab-after/src
    python bench/bench_ab_cases.py --a … --b … --postgres postgresql://postgres@127.0.0.1:5432/postgres
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import statistics
import subprocess
import sys
import tempfile
from collections.abc import Callable, Iterator
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
from bench_get_voucher import create_vouchers
from bench_redemptions import issue_cards, pythonpath, redemption_lua
from bench_webhooks import percentile, receiver_process
from common import (
    APP_HEADERS,
    Server,
    Target,
    database,
    interleave,
    machine_note,
    openvoucher_server,
)

CASES = ("voucher", "redemption", "accrual", "latency")


@dataclass
class Row:
    """One case's figures: A's and B's medians, B/A per round, the load average around it."""

    case: str
    unit: str
    a: float
    b: float
    ratios: list[float]
    load: str
    higher_is_better: bool = True

    @property
    def ratio(self) -> float:
        """The median of the per-round B/A ratios."""
        return statistics.median(self.ratios)

    @property
    def within(self) -> bool:
        """Whether B is within 10 % of A (in the better direction, or better)."""
        return self.ratio >= 0.90 if self.higher_is_better else self.ratio <= 1.10


def _voucher(name: str, api: Server, args: argparse.Namespace) -> Target:
    with httpx.Client(base_url=api.base_url, headers=APP_HEADERS, timeout=30) as client:
        paths = create_vouchers(client, args.count) or []
    return Target(f"{name} GET /v1/vouchers/{{code}}", api, paths, headers=APP_HEADERS)


def _redemption(name: str, api: Server, args: argparse.Namespace) -> Target:
    script = redemption_lua(issue_cards(api, args.cards, "CARD"))
    return Target(f"{name} POST /v1/redemptions", api, ["/v1/redemptions"], script=script)


def _accrual(name: str, api: Server, args: argparse.Namespace) -> Target:
    from bench_loyalty import loyalty_members, order_lua  # imports the installed openvoucher

    script = order_lua(loyalty_members(api, args.members))
    return Target(f"{name} POST /v1/orders PAID (accrues)", api, ["/v1/orders"], script=script)


SETUP: dict[str, Callable[[str, Server, argparse.Namespace], Target]] = {
    "voucher": _voucher,
    "redemption": _redemption,
    "accrual": _accrual,
}
CONNECTIONS = {"voucher": 32, "redemption": 32, "accrual": 16}
"""As in bench_get_voucher, bench_redemptions and bench_loyalty --orders."""


def http_case(case: str, args: argparse.Namespace) -> Row:
    """Both trees' servers, each on a fresh database; interleaved ``wrk`` runs."""
    with ExitStack() as stack:
        targets = []
        for name, src in (("A", args.a), ("B", args.b)):
            url = stack.enter_context(database(args.postgres))
            env = {"PYTHONPATH": pythonpath(src), **(args.b_env if name == "B" else {})}
            api = stack.enter_context(openvoucher_server(url, env=env, pin=args.pin))
            targets.append(SETUP[case](name, api, args))
        load = _load()
        connections = args.connections or CONNECTIONS[case]
        runs = interleave(
            targets,
            rounds=args.rounds,
            duration=args.duration,
            connections=connections,
            pin=args.pin,
        )
    a, b = (runs[target.name] for target in targets)
    errors = sum(r.errors for r in a + b)
    if errors:
        print(f"  {case}: {errors} non-2xx or socket errors (figures suspect)")
    ratios = [rb.rps / ra.rps for ra, rb in zip(a, b, strict=True)]
    median_a = statistics.median(r.rps for r in a)
    median_b = statistics.median(r.rps for r in b)
    cpu_a = statistics.median(r.cpu_us for r in a)
    cpu_b = statistics.median(r.cpu_us for r in b)
    print(f"  server CPU per request (median of rounds): A {cpu_a:.0f} µs, B {cpu_b:.0f} µs")
    return Row(case, "req/s", median_a, median_b, ratios, f"{load} → {_load()}")


def latency_case(args: argparse.Namespace) -> Row:
    """Per round and tree: a subprocess of that tree commits events, its relay delivers them."""
    p50: dict[str, list[float]] = {"A": [], "B": []}
    p99: dict[str, list[float]] = {"A": [], "B": []}
    load = _load()
    with receiver_process() as receiver:
        for round_no in range(args.rounds):
            for name, src in (("A", args.a), ("B", args.b)):
                samples = _latency_run(src, receiver, args)
                p50[name].append(percentile(samples, 0.5))
                p99[name].append(percentile(samples, 0.99))
                print(
                    f"  round {round_no + 1}/{args.rounds} {name} latency: p50 "
                    f"{p50[name][-1]:.2f} ms, p99 {p99[name][-1]:.2f} ms",
                    flush=True,
                )
    ratios = [b / a for a, b in zip(p50["A"], p50["B"], strict=True)]
    p99_a, p99_b = statistics.median(p99["A"]), statistics.median(p99["B"])
    print(f"  latency p99 (median of rounds): A {p99_a:.2f} ms, B {p99_b:.2f} ms")
    a, b = statistics.median(p50["A"]), statistics.median(p50["B"])
    return Row("latency", "p50 ms", a, b, ratios, f"{load} → {_load()}", higher_is_better=False)


def _latency_run(src: Path, receiver: str, args: argparse.Namespace) -> list[float]:
    with sqlite_or(args.postgres) as url:
        cmd = [sys.executable, __file__, "--driver", url, receiver]
        cmd += [str(args.samples), str(args.spacing)]
        env = {**os.environ, "PYTHONPATH": pythonpath(src)}
        done = subprocess.run(
            cmd, env=env, capture_output=True, text=True, timeout=600, check=False
        )
    if done.returncode != 0:
        raise SystemExit(f"latency driver for {src} failed:\n{done.stderr[-3000:]}")
    samples: list[float] = json.loads(done.stdout.splitlines()[-1])
    return samples


@contextmanager
def sqlite_or(postgres: str | None) -> Iterator[str]:
    """A fresh PostgreSQL database, or a temp SQLite file: a URL either way."""
    with database(postgres) as url, tempfile.TemporaryDirectory() as directory:
        yield url or f"sqlite:///{directory}/bench.db"


def drive_latency(database_url: str, receiver: str, samples: int, spacing_ms: float) -> None:
    """(In the subprocess, the tree under test first on the path.) Print the latencies as JSON."""
    from bench_webhooks import latency

    from openvoucher.bootstrap import build
    from openvoucher.config import Settings

    container = build(Settings(database_url=database_url, run_relay=False))
    create_endpoint, create_customer = _tree_api()
    create_endpoint(container.uow, container.default_project["id"], receiver + "/hook")
    found = asyncio.run(
        latency(container, receiver, samples, spacing_ms / 1000, create=create_customer)
    )
    container.engine.dispose()
    print(json.dumps(found))


def _tree_api() -> tuple[Callable[[Any, str, str], Any], Callable[..., Any]]:
    """The two in-process calls the latency part needs, as the tree spells them: before the
    restructure they lived in ``services/``; before the typed commands, endpoints took a dict."""
    try:
        from openvoucher.customers import customers
        from openvoucher.webhooks import endpoints as webhooks
    except ImportError:
        from openvoucher.services import customers, webhooks  # type: ignore[no-redef]
    try:
        from openvoucher.webhooks.model import EndpointFields
    except ImportError:

        def create_endpoint(uow: Any, project_id: str, url: str) -> Any:
            return webhooks.create(uow, project_id, {"target_url": url, "events": []})

    else:

        def create_endpoint(uow: Any, project_id: str, url: str) -> Any:
            return webhooks.create(uow, project_id, EndpointFields(url, ()))

    return create_endpoint, customers.create


def _load() -> str:
    return "/".join(f"{n:.2f}" for n in os.getloadavg())


def report(rows: list[Row], args: argparse.Namespace) -> None:
    """The table: case, A, B, B/A (median of rounds, with each round's), within 10 %."""
    backend = "PostgreSQL" if args.postgres else "SQLite"
    extra = f" with {args.b_env}" if args.b_env else ""
    print(f"\n{backend}, {args.rounds} interleaved rounds; A = {args.a}, B = {args.b}{extra}")
    print("| case | unit | A | B | B/A median | per round | within 10 %? | load before → after |")
    print("|---|---|---:|---:|---:|---|---|---|")
    for row in rows:
        rounds = ", ".join(f"{r:.2f}" for r in row.ratios)
        verdict = "yes" if row.within else "**no**"
        print(
            f"| {row.case} | {row.unit} | {row.a:.1f} | {row.b:.1f} | {row.ratio:.2f} | "
            f"{rounds} | {verdict} | {row.load} |"
        )


def main() -> None:
    """Parse the options and run the chosen cases, one after the other."""
    if len(sys.argv) > 1 and sys.argv[1] == "--driver":
        url, receiver, samples, spacing = sys.argv[2:6]
        drive_latency(url, receiver, int(samples), float(spacing))
        return
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--a", type=Path, required=True, help="source dir A (holds openvoucher/)")
    parser.add_argument("--b", type=Path, required=True, help="source dir B")
    parser.add_argument("--cases", nargs="+", choices=CASES, default=list(CASES))
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--duration", type=float, default=5.0, help="seconds per wrk run")
    parser.add_argument("--connections", type=int, help="wrk connections (default per case)")
    parser.add_argument("--count", type=int, default=200, help="vouchers to rotate over")
    parser.add_argument("--cards", type=int, default=500, help="gift cards to rotate over")
    parser.add_argument("--members", type=int, default=200, help="loyalty members to rotate")
    parser.add_argument("--samples", type=int, default=200, help="latency events per run")
    parser.add_argument("--spacing", type=float, default=20.0, help="ms between latency events")
    parser.add_argument("--postgres", metavar="URL", help="PostgreSQL server (default SQLite)")
    parser.add_argument(
        "--b-env", nargs="+", default=[], metavar="KEY=VALUE",
        help="environment for B's servers only, e.g. OPENVOUCHER_METRICS=off",
    )  # fmt: skip
    parser.add_argument("--no-pin", dest="pin", action="store_false")
    args = parser.parse_args()
    args.b_env = dict(item.split("=", 1) for item in args.b_env)
    print(machine_note(pin=args.pin))
    rows = []
    for case in args.cases:
        print(f"{case}:", flush=True)
        rows.append(latency_case(args) if case == "latency" else http_case(case, args))
    report(rows, args)


if __name__ == "__main__":
    main()
