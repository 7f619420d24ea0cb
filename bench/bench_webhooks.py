"""Webhook delivery: relay throughput vs a bare signed-POST loop, and commit-to-receiver latency.

Targets (issue 3): throughput at least 0.6x a bare loop that signs and POSTs the same bodies to
the same receiver in the same run; latency at low load p50 <= 5 ms, p99 <= 25 ms.

Fairness: the receiver is a separate uvicorn process (raw ASGI) that notes each body's arrival
time; it treats relay and bare POSTs alike. The relay runs in this process's event loop (as it
runs inside ``openvoucher serve``) against a temp SQLite file or a fresh PostgreSQL database
(``--postgres URL``); its events are real ``customer.created`` rows written by the customers
service. The bare loops POST *the very bodies the relay just sent* (read back from the
sendouts), signed per request like the relay, with the same concurrency as the relay's
per-endpoint limit, once with a plain ``httpx.AsyncClient`` (the stack's ordinary client) and
once with the relay's own transport. Rounds alternate relay and bare runs, so drifting machine
load hits both; the ratio is taken per round and the median reported. CPU seconds of this
process per delivery are printed too: on a shared machine they vary far less than wall time.

Latency: events are committed one at a time, ``--spacing`` ms apart (low load), with the relay
running; the receiver's arrival times are fetched once at the end (no polling during the run).

With ``--worker`` (PostgreSQL) only latency is measured, the relay being an ``openvoucher
worker`` process woken by this process's commit notifications (as ``serve`` without a relay
sends them).

    python bench/bench_webhooks.py [--count 2000] [--rounds 3] [--latency-samples 300]
                                   [--per-endpoint 8] [--postgres URL [--worker]]
"""

from __future__ import annotations

import argparse
import asyncio
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Awaitable, Callable, Iterator
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import orjson


def receiver_app() -> Any:
    """A raw ASGI app: POST notes the arrival; GET /count and GET /arrivals report."""
    arrivals: dict[str, float] = {}
    count = [0]

    async def app(scope: dict[str, Any], receive: Any, send: Any) -> None:
        if scope["type"] != "http":
            return
        body = b""
        more = True
        while more:
            message = await receive()
            body += message.get("body", b"")
            more = message.get("more_body", False)
        if scope["method"] == "POST":
            arrivals[orjson.loads(body)["data"]["customer"]["id"]] = time.time()
            count[0] += 1
            reply = b"{}"
        elif scope["path"] == "/count":
            reply = orjson.dumps(count[0])
        else:
            reply = orjson.dumps(arrivals)
        headers = [(b"content-type", b"application/json")]
        await send({"type": "http.response.start", "status": 200, "headers": headers})
        await send({"type": "http.response.body", "body": reply})

    return app


def free_port() -> int:
    """An unused loopback port."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@contextmanager
def receiver_process() -> Iterator[str]:
    """Start the receiver in a subprocess; yield its URL."""
    port = free_port()
    process = subprocess.Popen(
        [sys.executable, __file__, "--receiver", str(port)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        for _ in range(200):
            try:
                httpx.get(url + "/count", timeout=1)
                break
            except httpx.HTTPError:
                time.sleep(0.05)
        yield url
    finally:
        process.terminate()
        process.wait(10)


POLLER = httpx.Client(timeout=10)
"""One pooled client for polling the receiver (a new client per call costs an SSL context)."""


def received(url: str) -> int:
    """How many POSTs the receiver has had."""
    value: int = POLLER.get(url + "/count").json()
    return value


@dataclass(frozen=True)
class Run:
    """One timed run: deliveries per second and CPU milliseconds of this process per delivery."""

    rate: float
    cpu_ms: float


async def timed(count: int, work: Callable[[], Awaitable[None]]) -> Run:
    """Time ``work`` (wall and this process's CPU) that delivers ``count`` bodies."""
    cpu, began = time.process_time(), time.perf_counter()
    await work()
    elapsed, cpu = time.perf_counter() - began, time.process_time() - cpu
    return Run(count / elapsed, 1000 * cpu / count)


Post = Callable[[str, bytes, dict[str, str]], Awaitable[int]]
Create = Callable[[Any, str, dict[str, Any]], dict[str, Any]]
"""``customers.create(uow, project_id, fields)`` of the tree under test (its module moved)."""


async def bare_loop(
    url: str, bodies: list[bytes], secret: str, concurrency: int, post: Post
) -> Run:
    """Sign and POST every body with ``concurrency`` loops."""
    from openvoucher.webhooks import signing

    queue = list(enumerate(bodies))

    async def worker() -> None:
        while queue:
            index, body = queue.pop()
            headers = signing.signed_headers(f"whs_{index}", int(time.time()), body, secret, {})
            status = await post(url + "/bare", body, headers)
            assert status == 200, status

    async def work() -> None:
        await asyncio.gather(*(worker() for _ in range(concurrency)))

    return await timed(len(bodies), work)


async def bare_httpx(url: str, bodies: list[bytes], secret: str, concurrency: int) -> Run:
    """The bare loop on a plain pooled ``httpx.AsyncClient``."""
    async with httpx.AsyncClient() as client:

        async def post(target: str, body: bytes, headers: dict[str, str]) -> int:
            return (await client.post(target, content=body, headers=headers)).status_code

        return await bare_loop(url, bodies, secret, concurrency, post)


async def bare_transport(url: str, bodies: list[bytes], secret: str, concurrency: int) -> Run:
    """The bare loop on the relay's own transport."""
    from openvoucher.webhooks.transport import Transport

    transport = Transport(10.0)

    async def post(target: str, body: bytes, headers: dict[str, str]) -> int:
        answer = await transport.post(target, body, headers)
        return answer.status_code or 0

    try:
        return await bare_loop(url, bodies, secret, concurrency, post)
    finally:
        await transport.close()


def backlog(container: Any, count: int, tag: str) -> None:
    """Write ``count`` customer.created events (500 per transaction)."""
    from openvoucher.customers import customers

    project_id = container.default_project["id"]
    for start in range(0, count, 500):
        with container.uow.write(project_id) as tx:
            for n in range(start, min(count, start + 500)):
                customers.upsert(tx, {"name": f"bench {n}", "source_id": f"b-{tag}-{n}"})


def sent_bodies(container: Any, count: int) -> list[bytes]:
    """The bodies of the latest ``count`` delivered sendouts (what the relay really sent)."""
    from sqlalchemy import select

    from openvoucher.adapters.db.schema.webhooks import webhook_sendouts as s

    query = select(s.c.body).order_by(s.c.delivered_at.desc()).limit(count)
    with container.engine.connect() as conn:
        return [bytes(row.body) for row in conn.execute(query)]


async def relay_run(container: Any, url: str, count: int, per_endpoint: int, tag: str) -> Run:
    """Deliver a backlog of ``count`` events (fan-out included) with a fresh relay."""
    from openvoucher.webhooks.relay import Relay, RelayOptions

    await asyncio.to_thread(backlog, container, count, tag)
    seen = received(url)
    options = RelayOptions(poll_interval=0.05, per_channel=per_endpoint)
    relay = Relay(container.uow, container.settings, options)

    async def work() -> None:
        await relay.start()
        while await asyncio.to_thread(received, url) < seen + count:
            await asyncio.sleep(0.02)

    run = await timed(count, work)
    await relay.stop()
    return run


async def latency(
    container: Any, url: str, samples: int, spacing: float, create: Create | None = None
) -> list[float]:
    """Milliseconds from commit to arrival, one event every ``spacing`` seconds, relayed by a
    relay in this process (as in ``openvoucher serve``)."""
    from openvoucher.webhooks.relay import Relay

    relay = Relay(container.uow, container.settings)
    await relay.start()
    try:
        return await committed_to_arrival(container, url, samples, spacing, create)
    finally:
        await relay.stop()


async def worker_latency(
    container: Any, url: str, samples: int, spacing: float, database_url: str
) -> list[float]:
    """The same, relayed by an ``openvoucher worker`` process woken by this process's commit
    notifications (as ``serve`` without a relay sends them; PostgreSQL)."""
    from openvoucher.webhooks.wakeup import CommitSignal

    (signal,) = [item for item in container.background if isinstance(item, CommitSignal)]
    await signal.start()
    worker = subprocess.Popen(
        ["openvoucher", "worker", "--poll-interval", "1"],
        env={**os.environ, "OPENVOUCHER_DATABASE_URL": database_url},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        await asyncio.sleep(3)  # started and listening
        return await committed_to_arrival(container, url, samples, spacing)
    finally:
        worker.terminate()
        worker.wait(20)
        await signal.stop()


async def committed_to_arrival(
    container: Any, url: str, samples: int, spacing: float, create: Create | None = None
) -> list[float]:
    """Commit ``samples`` events ``spacing`` seconds apart; milliseconds to each arrival."""
    if create is None:
        from openvoucher.customers import customers

        create = customers.create
    committed: dict[str, float] = {}
    marks: list[float] = []
    container.uow.after_commit.insert(0, lambda: marks.append(time.time()))
    project_id = container.default_project["id"]
    for n in range(samples):
        fields = {"name": f"latency {n}"}
        made = await asyncio.to_thread(create, container.uow, project_id, fields)
        committed[made["id"]] = marks[-1]
        await asyncio.sleep(spacing)
    await asyncio.sleep(0.5)
    container.uow.after_commit.pop(0)
    arrivals = POLLER.get(url + "/arrivals").json()
    return [(arrivals[key] - mark) * 1000 for key, mark in committed.items()]


def percentile(values: list[float], q: float) -> float:
    """The q-quantile (0..1), nearest rank."""
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))]


def database(stack: ExitStack, postgres: str | None) -> str:
    """A temp SQLite file, or a fresh PostgreSQL database dropped afterwards."""
    if postgres is None:
        directory = stack.enter_context(tempfile.TemporaryDirectory())
        return f"sqlite:///{Path(directory) / 'bench.db'}"
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
    from tests.support.databases import postgres_database

    return stack.enter_context(postgres_database(postgres))


async def throughput_rounds(
    container: Any, url: str, args: argparse.Namespace
) -> dict[str, list[Run]]:
    """Alternate relay and bare runs; every run of a round POSTs the same bodies."""
    secret = container.default_project["webhook_token"]
    runs: dict[str, list[Run]] = {"relay": [], "httpx": [], "transport": []}
    for index in range(args.rounds):
        runs["relay"].append(
            await relay_run(container, url, args.count, args.per_endpoint, str(index))
        )
        bodies = await asyncio.to_thread(sent_bodies, container, args.count)
        runs["httpx"].append(await bare_httpx(url, bodies, secret, args.per_endpoint))
        runs["transport"].append(await bare_transport(url, bodies, secret, args.per_endpoint))
    return runs


def report(args: argparse.Namespace, runs: dict[str, list[Run]], lat: list[float]) -> None:
    """Print the figures."""
    backend = "postgresql" if args.postgres else "sqlite"
    print(
        f"backend: {backend}, events: {args.count} x {args.rounds} rounds, cpus: {os.cpu_count()}"
    )
    print(f"load average before/after: {args.load_before} / {os.getloadavg()[0]:.2f}")
    if runs["relay"]:
        throughput(args, runs)
    where = "a worker process" if args.worker else "this process"
    print(
        f"commit-to-receiver latency ({len(lat)} samples, {args.spacing:g} ms apart, relay in "
        f"{where}): p50 {percentile(lat, 0.5):.1f} ms, p90 {percentile(lat, 0.9):.1f} ms, "
        f"p99 {percentile(lat, 0.99):.1f} ms, max {max(lat):.1f} ms"
    )


def throughput(args: argparse.Namespace, runs: dict[str, list[Run]]) -> None:
    """Print the throughput figures."""
    for name, label in (
        ("httpx", "bare loop, httpx.AsyncClient"),
        ("transport", "bare loop, relay transport"),
        ("relay", "relay (outbox -> receiver)"),
    ):
        rates = ", ".join(f"{run.rate:.0f}" for run in runs[name])
        cpu = statistics.median(run.cpu_ms for run in runs[name])
        print(f"{label:32s} req/s per round: {rates:24s} CPU {cpu:.2f} ms/delivery")
    for name in ("httpx", "transport"):
        ratios = [r.rate / b.rate for r, b in zip(runs["relay"], runs[name], strict=True)]
        text = ", ".join(f"{x:.2f}" for x in ratios)
        print(
            f"relay / bare ({name}), same concurrency {args.per_endpoint}: "
            f"median {statistics.median(ratios):.2f}x  (rounds: {text})"
        )


async def main(args: argparse.Namespace) -> None:
    """Run the measurements and print them."""
    from openvoucher.bootstrap import build
    from openvoucher.config import Settings
    from openvoucher.webhooks import endpoints as webhooks
    from openvoucher.webhooks.model import EndpointFields

    args.load_before = f"{os.getloadavg()[0]:.2f}"
    with ExitStack() as stack:
        url = stack.enter_context(receiver_process())
        database_url = database(stack, args.postgres)
        container = build(Settings(database_url=database_url, run_relay=False))
        project_id = container.default_project["id"]
        webhooks.create(container.uow, project_id, EndpointFields(url + "/hook", ()))
        samples, spacing = args.latency_samples, args.spacing / 1000
        if args.worker:
            runs: dict[str, list[Run]] = {"relay": []}
            lat = await worker_latency(container, url, samples, spacing, database_url)
        else:
            runs = await throughput_rounds(container, url, args)
            lat = await latency(container, url, samples, spacing)
        container.engine.dispose()
    report(args, runs, lat)


def parse() -> argparse.Namespace:
    """Command-line options."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=2000)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--latency-samples", type=int, default=300)
    parser.add_argument("--spacing", type=float, default=20.0, help="ms between latency events")
    parser.add_argument("--per-endpoint", type=int, default=8, help="relay and bare concurrency")
    parser.add_argument("--postgres", default=None, help="PostgreSQL server URL")
    parser.add_argument(
        "--worker",
        action="store_true",
        help="latency only, relayed by an `openvoucher worker` process (needs --postgres)",
    )
    parser.add_argument("--receiver", type=int, default=None, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.worker and not args.postgres:
        parser.error("--worker needs --postgres (workers are woken by PostgreSQL notifications)")
    return args


if __name__ == "__main__":
    options = parse()
    if options.receiver is not None:
        import uvicorn

        uvicorn.run(
            receiver_app(),
            host="127.0.0.1",
            port=options.receiver,
            log_level="error",
            access_log=False,
        )
    else:
        asyncio.run(main(options))
