"""Pending points benchmark, run by hand (in-process, SQLite, no network):

PAID orders whose order.paid rule holds its points as pending points (one member per order),
then the activation job activating every entry at once. Prints wall and CPU time per order and
per activated entry, and the load average (the machine is shared).

    python bench/bench_pending_points.py [--count 2000]
"""

from __future__ import annotations

import argparse
import os
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

from openvoucher.adapters.clock import ControllableClock
from openvoucher.bootstrap import build
from openvoucher.checkout import orders
from openvoucher.config import Settings
from openvoucher.loyalty import earning_rules
from openvoucher.loyalty import programmes as loyalty
from openvoucher.loyalty.pending_points_activation import activate_due_pending_points
from openvoucher.platform import projects

START = datetime(2025, 1, 15, 10, 0, tzinfo=UTC)
RULE = {
    "event": "order.paid",
    "loyalty": {
        "type": "PROPORTIONAL",
        "calculation_type": "ORDER_TOTAL_AMOUNT",
        "order": {"total_amount": {"every": 100, "points": 1}},
    },
    "pending_points": {"period_type": "DAY", "period_value": 3},
}


def _timed(label: str, count: int, began: float, cpu: float) -> None:
    took, used = time.perf_counter() - began, time.process_time() - cpu
    print(
        f"{label}: {count} in {took:.2f} s wall ({took / count * 1000:.2f} ms each), "
        f"{used:.2f} s CPU ({used / count * 1000:.2f} ms CPU each)"
    )


def run(count: int) -> None:
    """Seed members, pay ``count`` orders, activate everything; print the figures."""
    with tempfile.TemporaryDirectory() as directory:
        url = f"sqlite:///{Path(directory) / 'bench.db'}"
        container = build(
            Settings(database_url=url, run_relay=False), clock=ControllableClock(START)
        )
        uow = container.uow
        project_id = projects.create_project(uow, {"name": "bench"})["id"]
        body = {"name": "Bench club", "voucher": {"loyalty_card": {"points": 0}}}
        club = loyalty.create_programme(uow, project_id, body, None)
        earning_rules.create(uow, project_id, club["id"], [RULE])
        for i in range(count):
            loyalty.add_member(uow, project_id, club["id"], {"customer": {"source_id": f"m{i}"}})
        began, cpu = time.perf_counter(), time.process_time()
        for i in range(count):
            spec = {"status": "PAID", "amount": 1_000, "customer": {"source_id": f"m{i}"}}
            orders.create(uow, project_id, spec)
        _timed("paid orders holding pending points", count, began, cpu)
        began, cpu = time.perf_counter(), time.process_time()
        done = activate_due_pending_points(uow, project_id, START + timedelta(days=4))
        _timed("entries activated by the job", done, began, cpu)
        print(f"load average at the end: {os.getloadavg()[0]:.1f}")
        container.engine.dispose()


def main() -> None:
    """Parse the arguments and run."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--count", type=int, default=2000)
    args = parser.parse_args()
    run(min(max(args.count, 1), 20_000))


if __name__ == "__main__":
    main()
