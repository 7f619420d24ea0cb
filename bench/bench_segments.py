"""Per-call cost of a customer update as auto-update segments are added, in-process (no HTTP).

Two fresh databases side by side: one project without segments, one with ``--segments``
auto-update segments (metadata filters). Each round times ``customers.customers.update``
(flipping a metadata value, so memberships change and entered/left events are emitted) on
both, alternating: median wall time, CPU time per call (``time.process_time``) and the SQL
statements one update sends. ``--src DIR`` runs another source tree (with ``--segments 0``
also one without segments, for an A/B of the no-segment path).

    python bench/bench_segments.py
    python bench/bench_segments.py --postgres postgresql://postgres@127.0.0.1:5432/postgres
"""

from __future__ import annotations

import argparse
import os
import sys
from contextlib import ExitStack
from pathlib import Path
from typing import Any

from bench_inprocess import database, statements, timed


def _segment_body(name: str, rule: dict[str, Any]) -> Any:
    """The create command (a typed ``SegmentFields`` since issue 11; a dict before, so an
    A/B against an older ``--src`` still runs)."""
    try:
        from openvoucher.customers.model import SegmentFields
    except ImportError:
        return {"name": name, "type": "auto-update", "filter": rule}
    return SegmentFields(name=name, type="auto-update", filter=rule)


def main() -> None:
    """Set up both projects, then alternate timed rounds."""
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--postgres", metavar="URL", help="PostgreSQL server (default SQLite)")
    parser.add_argument("--src", type=Path, help="source tree to import openvoucher from")
    parser.add_argument("--segments", type=int, default=5)
    parser.add_argument("--calls", type=int, default=300)
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    if args.src is not None:
        sys.path.insert(0, str(args.src.resolve()))
    from openvoucher import bootstrap
    from openvoucher.config import Settings
    from openvoucher.customers import customers

    runs: dict[str, Any] = {}
    with ExitStack() as stack:
        for label, count in (("0 segments", 0), (f"{args.segments} segments", args.segments)):
            url = stack.enter_context(database(args.postgres))
            container = bootstrap.build(Settings(database_url=url, run_relay=False))
            uow, project = container.uow, container.default_project["id"]
            for n in range(50):
                customers.create(uow, project, {"source_id": f"c{n}", "metadata": {"tier": 0}})
            for n in range(count):
                from openvoucher.customers import segments

                rule = {f"metadata.s{n}": {"conditions": {"$is": ["x"]}}}
                rule["metadata.tier"] = {"conditions": {"$more_than": [n % 2]}}
                segments.create(uow, project, _segment_body(f"s{n}", rule))

            def update(n: int, uow: Any = uow, project: str = project) -> Any:
                fields = {"metadata": {"tier": n % 3, **{f"s{k}": "x" for k in range(8)}}}
                return customers.update(uow, project, f"c{n % 50}", fields)

            timed(50, update)
            sent = statements(container.engine, lambda update=update: update(1))
            runs[label] = update
            print(f"{label}: {sent} statements per update ({url.split(':')[0]})")
        for _ in range(args.rounds):
            parts = []
            for label, update in runs.items():
                wall, cpu = timed(args.calls, update)
                parts.append(f"{label}: median {wall:.2f} ms, CPU {cpu:.2f} ms")
            print(" | ".join(parts) + f" | load {os.getloadavg()[0]:.1f}")


if __name__ == "__main__":
    main()
