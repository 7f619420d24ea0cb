"""``GET /v1/vouchers/{code}`` under ``wrk`` while another client keeps updating those vouchers.

Checks that hot reads (docs/adr/0012-hot-reads.md) neither stall the event loop nor starve
writers, and that the last write is visible right after. With ``--a/--b`` source trees the two
servers run one after the other per round (A/B), each on its own temp SQLite file (or a fresh
PostgreSQL database with ``--postgres``).

    python bench/bench_reads_under_writes.py
    python bench/bench_reads_under_writes.py --a /tmp/before/src --b src
"""

from __future__ import annotations

import argparse
import os
import threading
from contextlib import ExitStack
from pathlib import Path

import httpx
from bench_get_voucher import create_vouchers
from common import APP_HEADERS, Server, Target, database, machine_note, openvoucher_server


def writer(server: Server, paths: list[str], stop: threading.Event, tally: list[int]) -> None:
    """PUT new metadata on the vouchers in turn until ``stop``; tally [sent, failed]."""
    with httpx.Client(base_url=server.base_url, headers=APP_HEADERS, timeout=30) as client:
        while not stop.is_set():
            reply = client.put(paths[tally[0] % len(paths)], json={"metadata": {"n": tally[0]}})
            tally[0] += 1
            tally[1] += reply.status_code != 200


def one_run(name: str, server: Server, paths: list[str], duration: float) -> str:
    """One bounded ``wrk`` run of GETs with the writer going; a line of figures."""
    stop, tally = threading.Event(), [0, 0]
    thread = threading.Thread(target=writer, args=(server, paths, stop, tally))
    thread.start()
    try:
        result = Target(name, server, paths, headers=APP_HEADERS).run(duration, 32, True)
    finally:
        stop.set()
        thread.join()
    with httpx.Client(base_url=server.base_url, headers=APP_HEADERS, timeout=30) as client:
        last = client.get(paths[(tally[0] - 1) % len(paths)]).json()["metadata"]
    visible = "yes" if last == {"n": tally[0] - 1} else f"NO ({last})"
    return (
        f"{name}: GET {result.rps:.0f} req/s, p50 {result.p50_ms:.2f} ms, p99 "
        f"{result.p99_ms:.2f} ms, {result.errors} errors, "
        f"{result.cpu_us:.0f} µs server CPU per GET (PUTs included); "
        f"PUTs {tally[0] / duration:.0f}/s ({tally[1]} failed); last write visible: {visible}"
    )


def main() -> None:
    """Start the server(s), alternate runs, print one line per run."""
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--a", type=Path, help="source dir A (holds openvoucher/)")
    parser.add_argument("--b", type=Path, help="source dir B")
    parser.add_argument("--duration", type=float, default=5.0)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--postgres", metavar="URL", help="PostgreSQL server (default SQLite)")
    args = parser.parse_args()
    trees = [("A", args.a), ("B", args.b)] if args.a and args.b else [("this tree", None)]
    with ExitStack() as stack:
        servers = []
        for name, src in trees:
            env = None
            if src is not None:
                env = {
                    "PYTHONPATH": os.pathsep.join(
                        [str(src.resolve()), os.environ.get("PYTHONPATH", "")]
                    )
                }
            url = stack.enter_context(database(args.postgres))
            server = stack.enter_context(openvoucher_server(url, env=env))
            with httpx.Client(base_url=server.base_url, headers=APP_HEADERS, timeout=30) as c:
                paths = create_vouchers(c, 100) or []
            servers.append((f"{name}" + (f" ({src})" if src else ""), server, paths))
        print(machine_note())
        for round_no in range(args.rounds):
            for name, server, paths in servers:
                print(f"round {round_no + 1}: " + one_run(name, server, paths, args.duration))
        print(machine_note().replace("before the run", "after the run"))


if __name__ == "__main__":
    main()
