"""Compare HTTP stacks: {Starlette, FastAPI, Litestar} × {uvicorn, Granian}, single process.

Every combination runs as one single-process server on 127.0.0.1 (all started up front, idle
while the others are measured) and is driven by ``wrk`` for ``--duration`` seconds per case:
async JSON hello, sync hello in the thread pool, and a JSON POST decoded into a typed struct.
Runs are interleaved (round → case → stack), so drift in machine load spreads over all stacks;
the median of ``--rounds`` runs is reported with the range.

    python bench/bench_stack.py --duration 4 --rounds 3
"""

from __future__ import annotations

import argparse
from collections import defaultdict
from contextlib import ExitStack

from common import (
    Result,
    Server,
    hello_server,
    load,
    machine_note,
    median_result,
    print_table,
    warm_up,
)
from stack_hello import ITEM_BODY

FRAMEWORKS = ("starlette", "fastapi", "litestar")
SERVERS = ("uvicorn", "granian")
CASES = (
    ("GET /hello (async)", "GET", "/hello", None),
    ("GET /hello-sync (thread pool)", "GET", "/hello-sync", None),
    ("POST /items (typed body)", "POST", "/items", ITEM_BODY),
)


def main() -> None:
    """Start every combination, run the interleaved rounds, print one table per case."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--duration", type=float, default=4.0, help="seconds per run")
    parser.add_argument("--connections", type=int, default=32)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--frameworks", nargs="+", default=list(FRAMEWORKS), choices=FRAMEWORKS)
    parser.add_argument("--servers", nargs="+", default=list(SERVERS), choices=SERVERS)
    parser.add_argument("--no-pin", dest="pin", action="store_false", help="no CPU pinning")
    args = parser.parse_args()

    print(machine_note(pin=args.pin))
    print(f"wrk: 1 thread, {args.connections} connections, {args.duration:.0f} s per run")
    runs: dict[tuple[str, str], list[Result]] = defaultdict(list)
    with ExitStack() as stack:
        servers: list[Server] = [
            stack.enter_context(hello_server(framework, server, pin=args.pin))
            for server in args.servers
            for framework in args.frameworks
        ]
        for running in servers:
            warm_up(running.base_url + "/hello-sync", pin=args.pin)
        for round_no in range(args.rounds):
            print(f"round {round_no + 1}/{args.rounds}", flush=True)
            for label, method, path, body in CASES:
                for running in servers:
                    result = load(
                        running.name,
                        running.base_url + path,
                        duration=args.duration,
                        connections=args.connections,
                        method=method,
                        body=body,
                        pin=args.pin,
                    )
                    runs[(label, running.name)].append(result)

    for label, *_ in CASES:
        print(f"\n{label}")
        rows = [median_result(name, found) for (case, name), found in runs.items() if case == label]
        rows.sort(key=lambda r: -r.rps)
        base = next((r for r in rows if r.name == "starlette+uvicorn"), None)
        print_table(rows, baseline=base)
    print(f"\n(median of {args.rounds} interleaved rounds; ratio = req/s ÷ starlette+uvicorn)")


if __name__ == "__main__":
    main()
