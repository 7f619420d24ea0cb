"""Webhook delivery: relay throughput vs a bare signed-POST loop, and commit-to-receiver latency.

Targets (issue 3): throughput at least 0.6x a bare loop that signs and POSTs the same bodies to
the same receiver in the same run; latency at low load p50 <= 5 ms, p99 <= 25 ms.

The receiver is a separate uvicorn process (raw ASGI) that notes each body's arrival time.
The relay runs in this process's event loop against a temp SQLite file (or a fresh
PostgreSQL database with ``--postgres URL``); events are real ``customer.created`` rows
written by the customers service.

    python bench/bench_webhooks.py [--count 2000] [--latency-samples 200] [--postgres URL]
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
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from pathlib import Path
from typing import Any

import httpx
import orjson


def receiver_app() -> Any:
    """A raw ASGI app: POST notes the arrival; GET /count and GET /at/<customer id> report."""
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
            reply = orjson.dumps(arrivals.get(scope["path"].rsplit("/", 1)[-1]))
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


def received(client: httpx.Client) -> int:
    """How many POSTs the receiver has had."""
    value: int = client.get("/count").json()
    return value


def arrival(client: httpx.Client, customer_id: str) -> float | None:
    """When the receiver got the webhook about ``customer_id`` (epoch seconds), if it did."""
    value: float | None = client.get(f"/at/{customer_id}").json()
    return value


async def bare_loop(url: str, bodies: list[bytes], secret: str, concurrency: int) -> float:
    """Sign and POST every body with ``concurrency`` loops; return requests per second."""
    from openvoucher.webhooks import signing
    from openvoucher.webhooks.transport import Transport

    transport = Transport(10.0)
    queue = list(enumerate(bodies))

    async def worker() -> None:
        while queue:
            index, body = queue.pop()
            headers = signing.signed_headers(f"whs_{index}", int(time.time()), body, secret, {})
            answer = await transport.post(url + "/bare", body, headers)
            assert answer.status_code == 200, answer

    began = time.perf_counter()
    await asyncio.gather(*(worker() for _ in range(concurrency)))
    elapsed = time.perf_counter() - began
    await transport.close()
    return len(bodies) / elapsed


def backlog(container: Any, count: int) -> None:
    """Write ``count`` customer.created events (500 per transaction)."""
    from openvoucher.services import customers

    project_id = container.default_project["id"]
    for start in range(0, count, 500):
        with container.uow.write(project_id) as tx:
            for n in range(start, min(count, start + 500)):
                customers.upsert(tx, {"name": f"bench {n}", "source_id": f"b-{n}"})


async def relay_throughput(container: Any, url: str, count: int, per_endpoint: int) -> float:
    """Deliveries per second for a backlog of ``count`` events (fan-out included)."""
    from openvoucher.webhooks.relay import Relay, RelayOptions

    await asyncio.to_thread(backlog, container, count)
    client = httpx.Client(base_url=url)
    seen = received(client)
    relay = Relay(
        container.uow,
        container.settings,
        RelayOptions(poll_interval=0.05, per_channel=per_endpoint),
    )
    began = time.perf_counter()
    await relay.start()
    while await asyncio.to_thread(received, client) < seen + count:
        await asyncio.sleep(0.02)
    elapsed = time.perf_counter() - began
    await relay.stop()
    client.close()
    return count / elapsed


async def latency(container: Any, url: str, samples: int) -> list[float]:
    """Milliseconds from commit to arrival, one event at a time."""
    from openvoucher.services import customers
    from openvoucher.webhooks.relay import Relay

    client = httpx.Client(base_url=url)
    marks: list[float] = []
    container.uow.after_commit.insert(0, lambda: marks.append(time.time()))
    relay = Relay(container.uow, container.settings)
    await relay.start()
    project_id = container.default_project["id"]
    result: list[float] = []
    for n in range(samples):
        fields = {"name": f"latency {n}"}
        made = await asyncio.to_thread(customers.create, container.uow, project_id, fields)
        committed = marks[-1]
        await asyncio.sleep(0.005)
        while (got := await asyncio.to_thread(arrival, client, made["id"])) is None:
            await asyncio.sleep(0.005)
        result.append((got - committed) * 1000)
        await asyncio.sleep(0.01)
    await relay.stop()
    client.close()
    return result


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


async def main(args: argparse.Namespace) -> None:
    """Run the three measurements and print them."""
    from openvoucher.bootstrap import build
    from openvoucher.config import Settings
    from openvoucher.services import webhooks

    with ExitStack() as stack:
        url = stack.enter_context(receiver_process())
        container = build(Settings(database_url=database(stack, args.postgres), run_relay=False))
        project_id = container.default_project["id"]
        webhooks.create(container.uow, project_id, {"target_url": url + "/hook", "events": []})
        body = {"id": "whs_x", "data": {"customer": {"id": "cust_bare", "name": "x" * 200}}}
        bodies = [orjson.dumps(body) for _ in range(args.count)]
        secret = container.default_project["webhook_token"]
        bare1 = await bare_loop(url, bodies, secret, 1)
        bare4 = await bare_loop(url, bodies, secret, 4)
        relay = await relay_throughput(container, url, args.count, args.per_endpoint)
        lat = await latency(container, url, args.latency_samples)
        container.engine.dispose()
    backend = "postgresql" if args.postgres else "sqlite"
    print(f"backend: {backend}, events: {args.count}, cpus: {os.cpu_count()}")
    print(f"bare signed-POST loop, sequential:   {bare1:8.0f} req/s")
    print(f"bare signed-POST loop, 4 concurrent: {bare4:8.0f} req/s")
    print(
        f"relay (outbox -> receiver):          {relay:8.0f} deliveries/s "
        f"= {relay / bare1:.2f}x sequential, {relay / bare4:.2f}x 4-concurrent"
    )
    print(
        f"commit-to-receiver latency ({len(lat)} samples): p50 {percentile(lat, 0.5):.1f} ms, "
        f"p99 {percentile(lat, 0.99):.1f} ms, mean {statistics.fmean(lat):.1f} ms"
    )


def parse() -> argparse.Namespace:
    """Command-line options."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=2000)
    parser.add_argument("--latency-samples", type=int, default=200)
    parser.add_argument("--per-endpoint", type=int, default=8, help="relay concurrency")
    parser.add_argument("--postgres", default=None, help="PostgreSQL server URL")
    parser.add_argument("--receiver", type=int, default=None, help=argparse.SUPPRESS)
    return parser.parse_args()


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
