"""Where a server's time goes in one of ``bench_ab_cases``' HTTP cases: ``openvoucher serve``
from the source tree ``--src`` under cProfile (the event loop and every worker thread, each
timed by its own CPU clock, so the machine's load barely shows), loaded
by ``wrk`` for ``--duration`` seconds; prints the top functions and keeps the stats file.

    python bench/profile_serve.py --src /tmp/ab-after/src --case voucher --out /tmp/after.prof
"""

from __future__ import annotations

import argparse
import cProfile
import os
import pstats
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import Any

from bench_ab_cases import CONNECTIONS, SETUP
from bench_redemptions import pythonpath
from common import free_port, openvoucher_env, serve


def profiled_serve(out: str) -> None:
    """(The server process.) ``openvoucher serve`` with a profiler per thread, timing each
    thread's CPU time (a shared machine's load barely shows); merged stats written to ``out``
    when it stops."""
    profiles = [cProfile.Profile(time.thread_time)]
    original = threading.Thread._bootstrap_inner  # type: ignore[attr-defined]

    def bootstrap(self: threading.Thread) -> None:
        # Wraps what calls ``run``: worker threads (anyio's) override ``run`` itself.
        profile = cProfile.Profile(time.thread_time)
        profiles.append(profile)
        profile.enable()
        try:
            original(self)
        finally:
            profile.disable()

    threading.Thread._bootstrap_inner = bootstrap  # type: ignore[attr-defined]
    from openvoucher.cli.main import main

    profiles[0].enable()
    try:
        main(["serve"], standalone_mode=False)
    finally:
        profiles[0].disable()
        stats = pstats.Stats(profiles[0])
        for profile in profiles[1:]:
            profile.disable()
            stats.add(profile)
        stats.dump_stats(out)


def main() -> None:
    """Start the profiled server, set the case's data up, load it, print the top functions."""
    if len(sys.argv) == 3 and sys.argv[1] == "--serve":
        profiled_serve(sys.argv[2])
        return
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--src", type=Path, required=True)
    parser.add_argument("--case", choices=sorted(SETUP), default="voucher")
    parser.add_argument("--duration", type=float, default=10.0)
    parser.add_argument("--out", required=True, help="where the merged cProfile stats go")
    parser.add_argument("--top", type=int, default=40)
    args = parser.parse_args()
    args.count, args.cards, args.members = 200, 500, 200
    with tempfile.TemporaryDirectory() as directory:
        port = free_port()
        env: dict[str, Any] = openvoucher_env(f"sqlite:///{directory}/bench.db", port)
        env["PYTHONPATH"] = pythonpath(args.src)
        cmd = [sys.executable, __file__, "--serve", os.path.abspath(args.out)]
        with serve("profiled", cmd, port=port, ready_path="/health", env=env, timeout=60) as api:
            target = SETUP[args.case]("profiled", api, args)
            result = target.run(args.duration, CONNECTIONS[args.case], True)
            print(f"{result.requests} requests, {result.rps:.0f} req/s under the profiler")
    stats = pstats.Stats(args.out)
    stats.sort_stats("tottime").print_stats(args.top)
    stats.sort_stats("cumulative").print_stats(args.top)


if __name__ == "__main__":
    main()
