"""CPU per call of the pieces of a hot ``GET /v1/vouchers/{code}``, in-process (no HTTP).

Builds the app on a temp SQLite file, creates one voucher, warms the key cache with one
request, then times (``time.process_time_ns``, ``--calls`` calls each, ``--rounds`` rounds)
the whole ASGI app on a uvicorn-like scope, the service's ``get_hot`` (read and render), the
presenter alone and the JSON encoding. ``--src DIR`` runs another source tree (an A/B: run
the script once per tree, alternating).

    python bench/bench_hot_pieces.py
    python bench/bench_hot_pieces.py --src /tmp/before/src
"""

from __future__ import annotations

import argparse
import asyncio
import os
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

VOUCHER = {"type": "DISCOUNT_VOUCHER", "discount": {"type": "AMOUNT", "amount_off": 1000}}


def per_call(calls: int, call: Callable[[], Any]) -> float:
    """CPU µs per call of ``call``."""
    start = time.process_time_ns()
    for _ in range(calls):
        call()
    return (time.process_time_ns() - start) / calls / 1e3


def scope_of(path: str) -> dict[str, Any]:
    """A GET scope as uvicorn builds it, with the keys ``main`` configures."""
    return {
        "type": "http",
        "asgi": {"version": "3.0"},
        "http_version": "1.1",
        "method": "GET",
        "scheme": "http",
        "path": path,
        "raw_path": path.encode(),
        "root_path": "",
        "query_string": b"",
        "headers": [(b"host", b"127.0.0.1"), (b"x-app-id", b"id"), (b"x-app-token", b"token")],
        "server": ("127.0.0.1", 8000),
        "client": ("127.0.0.1", 50000),
        "state": {},
    }


def asgi_per_call(app: Any, path: str, calls: int) -> float:
    """CPU µs per request of the whole ASGI app (the server's part excluded)."""

    async def receive() -> dict[str, Any]:
        return {"type": "http.request", "body": b"", "more_body": False}

    async def send(_message: dict[str, Any]) -> None:
        return None

    async def run() -> float:
        await app(scope_of(path), receive, send)  # caches the keys
        start = time.process_time_ns()
        for _ in range(calls):
            await app(scope_of(path), receive, send)
        return (time.process_time_ns() - start) / calls / 1e3

    return asyncio.run(run())


def main() -> None:
    """Set up one voucher, then print the pieces' CPU per call."""
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--src", type=Path, help="source tree to import openvoucher from")
    parser.add_argument("--calls", type=int, default=10_000)
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    if args.src is not None:
        sys.path.insert(0, str(args.src.resolve()))
    import orjson

    from openvoucher import bootstrap
    from openvoucher.api.app import create_app
    from openvoucher.catalog import vouchers
    from openvoucher.catalog.presenters.vouchers import voucher
    from openvoucher.config import Settings

    with tempfile.TemporaryDirectory(prefix="openvoucher-hot-") as directory:
        url = f"sqlite:///{directory}/bench.db"
        settings = Settings(database_url=url, run_relay=False, app_id="id", app_token="token")
        container = bootstrap.build(settings)
        app = create_app(container)
        uow, project = container.uow, container.default_project["id"]
        code = vouchers.create(uow, project, dict(VOUCHER), None)["code"]
        body = vouchers.get(uow, project, code)
        with uow.read(project) as tx:
            row = vouchers.find(tx, code)
        print(f"source: {Path(vouchers.__file__).parents[2]}")
        for _ in range(args.rounds):
            figures = {
                "ASGI app": asgi_per_call(app, f"/v1/vouchers/{code}", args.calls),
                "get_hot": per_call(args.calls, lambda: vouchers.get_hot(uow, project, code)),
                "presenter": per_call(args.calls, lambda: voucher(row or {}, uow.base_url)),
                "orjson": per_call(args.calls, lambda: orjson.dumps(body)),
            }
            shown = ", ".join(f"{name} {value:.1f} µs" for name, value in figures.items())
            print(f"{shown} | load {os.getloadavg()[0]:.1f}")


if __name__ == "__main__":
    main()
