"""One relay cycle on the latency path, in isolation: wall and CPU time per cycle.

The commit-to-receiver latency at low load is mostly the relay cycle that follows a user's
commit (take the event, fan it out, claim, POST), so this measures that cycle alone, without
HTTP and without the event loop: per sample one ``customer.created`` event is committed (not
timed), then one cycle fans it out and hands back its job (timed), then one cycle records a
delivered outcome for it (timed separately). Statements per cycle are counted with a cursor
hook. Medians and quartiles of ``--samples`` are printed; CPU time (``time.thread_time``) moves
far less than wall time on a shared machine.

    python bench/bench_relay_cycle.py [--samples 300] [--postgres URL]
"""

from __future__ import annotations

import argparse
import functools
import os
import statistics
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import ExitStack, contextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, TypeVar

T = TypeVar("T")


def database(stack: ExitStack, postgres: str | None) -> str:
    """A temp SQLite file, or a fresh PostgreSQL database dropped afterwards."""
    if postgres is None:
        directory = stack.enter_context(tempfile.TemporaryDirectory())
        return f"sqlite:///{Path(directory) / 'bench.db'}"
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
    from tests.support.databases import postgres_database

    return stack.enter_context(postgres_database(postgres))


@contextmanager
def statement_counter(engine: Any) -> Iterator[list[int]]:
    """Count statements sent to the database while the block runs."""
    from sqlalchemy import event

    count = [0]

    def seen(*_args: Any) -> None:
        count[0] += 1

    event.listen(engine, "before_cursor_execute", seen)
    try:
        yield count
    finally:
        event.remove(engine, "before_cursor_execute", seen)


def timed(work: Callable[[], T]) -> tuple[T, float, float]:
    """Run ``work``; its result, wall ms and this thread's CPU ms."""
    cpu, began = time.thread_time(), time.perf_counter()
    result = work()
    return result, (time.perf_counter() - began) * 1000, (time.thread_time() - cpu) * 1000


def quartiles(values: list[float]) -> str:
    """Median, interquartile range and 90th percentile."""
    cuts = statistics.quantiles(values, n=20)
    return f"median {cuts[9]:.2f} ms (IQR {cuts[4]:.2f}-{cuts[14]:.2f}, p90 {cuts[17]:.2f})"


def run(container: Any, samples: int) -> dict[str, list[float]]:
    """Commit an event, fan it out and claim it, record its delivery; ``samples`` times."""
    from openvoucher.customers import customers
    from openvoucher.webhooks import delivery
    from openvoucher.webhooks.dispatcher import Outcome

    project_id = container.default_project["id"]
    capacity = delivery.Capacity(limit=128, per_channel=24, lease_seconds=21.0)
    # The relay's own connection where the tree has one (older trees: a pooled connection).
    own = getattr(delivery, "RelayConnection", None)
    via = {"via": own(container.uow)} if own is not None else {}
    figures: dict[str, list[float]] = {key: [] for key in ("claim", "claim_cpu", "rec", "rec_cpu")}
    statements: dict[str, list[int]] = {"claim": [], "rec": []}
    for n in range(samples):
        customers.create(container.uow, project_id, {"name": f"cycle {n}"})
        with statement_counter(container.engine) as count:
            fan_out = functools.partial(delivery.cycle, container.uow, capacity, **via)
            found, wall, cpu = timed(fan_out)
        assert len(found.jobs) == 1, found
        figures["claim"].append(wall)
        figures["claim_cpu"].append(cpu)
        statements["claim"].append(count[0])
        outcome = Outcome(datetime.now(UTC), 1, 200, "{}", None)
        finished = [(found.jobs[0], outcome)]
        record = functools.partial(delivery.cycle, container.uow, capacity, finished, (60,), **via)
        with statement_counter(container.engine) as count:
            _, wall, cpu = timed(record)
        figures["rec"].append(wall)
        figures["rec_cpu"].append(cpu)
        statements["rec"].append(count[0])
    if via:
        via["via"].close()
    figures["claim_statements"] = [float(x) for x in statements["claim"]]
    figures["rec_statements"] = [float(x) for x in statements["rec"]]
    return figures


def main() -> None:
    """Measure and print."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--samples", type=int, default=300)
    parser.add_argument("--warmup", type=int, default=30)
    parser.add_argument("--postgres", default=None, help="PostgreSQL server URL")
    args = parser.parse_args()
    from openvoucher.bootstrap import build
    from openvoucher.config import Settings
    from openvoucher.webhooks import endpoints as webhooks
    from openvoucher.webhooks.model import EndpointFields

    load_before = os.getloadavg()[0]
    with ExitStack() as stack:
        settings = Settings(database_url=database(stack, args.postgres), run_relay=False)
        container = build(settings)
        project_id = container.default_project["id"]
        target = EndpointFields("http://127.0.0.1:9/hook", ())
        webhooks.create(container.uow, project_id, target)
        run(container, args.warmup)
        figures = run(container, args.samples)
        container.engine.dispose()
    backend = "postgresql" if args.postgres else "sqlite"
    print(f"backend: {backend}, samples: {args.samples}, load {load_before:.2f} / ", end="")
    print(f"{os.getloadavg()[0]:.2f}")
    for key, label in (("claim", "fan-out + claim cycle"), ("rec", "record cycle")):
        stmts = statistics.median(figures[f"{key}_statements"])
        print(
            f"{label:22s} wall {quartiles(figures[key])}  "
            f"CPU {quartiles(figures[key + '_cpu'])}  statements {stmts:.0f}"
        )


if __name__ == "__main__":
    main()
