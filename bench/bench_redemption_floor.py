"""The floor under issue 4's redemption target: how fast could *any* redemption be on this stack?

Issue 4 asks ``POST /v1/redemptions`` for ≥ 0.4× the same stack's bare JSON hello-world. This
benchmark measures what is left once every piece of business logic is taken away:

1. It performs one real gift-card redemption in-process (``checkout.redemptions.redeem`` on a
   temp SQLite file) and records the SQL statements and parameters it sends, and its response.
2. A minimal Starlette app on uvicorn (the same stack and flags as the hello-world) serves
   ``POST /floor``: it decodes the JSON body, replays exactly those statements with fresh row
   ids on a raw ``sqlite3`` connection (same pragmas as openvoucher's engine) **on the event
   loop** (no thread hop, no SQLAlchemy, no evaluation, no rendering: the events' and the
   response's JSON are the recorded strings) and answers the recorded response bytes.
3. ``wrk`` alternates the hello-world, the floor app and (unless ``--no-openvoucher``) the real
   ``openvoucher serve`` redemptions, and prints the ratios.

Whatever the floor app reaches is an upper bound for any implementation that writes what a
redemption must write (order, redemption, ledger row, voucher counters, two outbox events) in
one SQLite transaction on this stack.

    python bench/bench_redemption_floor.py [--rounds 3] [--duration 5] [--connections 32]
"""

from __future__ import annotations

import argparse
import pickle
import sqlite3
import sys
import tempfile
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from pathlib import Path
from typing import Any

from common import (
    Result,
    Server,
    free_port,
    hello_server,
    load,
    machine_note,
    median_result,
    openvoucher_server,
    print_table,
    run_wrk,
    serve,
)

TARGET_RATIO = 0.4
Recorded = tuple[list[tuple[str, Any]], bytes, set[str]]


def _body(code: str) -> dict[str, Any]:
    return {
        "redeemables": [{"object": "voucher", "id": code, "gift": {"credits": 1}}],
        "order": {"amount": 1},
    }


def record(directory: Path) -> Path:
    """One real redemption's statements, parameters and response, pickled next to its DB."""
    import orjson
    from sqlalchemy import event

    from openvoucher import bootstrap
    from openvoucher.catalog import vouchers
    from openvoucher.checkout import redemptions
    from openvoucher.config import Settings

    settings = Settings(database_url=f"sqlite:///{directory}/floor.db", run_relay=False)
    container = bootstrap.build(settings)
    uow, project = container.uow, container.default_project["id"]
    for code in ("WARM", "CARD"):
        vouchers.create(uow, project, {"type": "GIFT_VOUCHER", "gift": {"amount": 10**9}}, code)
    redemptions.redeem(uow, project, _body("WARM"))
    sent: list[tuple[str, Any]] = []
    event.listen(container.engine, "before_cursor_execute", lambda *a: sent.append((a[2], a[3])))
    reply = redemptions.redeem(uow, project, _body("CARD"))
    container.engine.dispose()
    new_ids = {_first(params) for sql, params in sent if sql.startswith("INSERT")}
    path = directory / "floor.pickle"
    path.write_bytes(pickle.dumps((sent, orjson.dumps(reply), new_ids)))
    return path


def _first(params: Any) -> str:
    rows = params if isinstance(params, list) else [params]
    return ",".join(str(row[0]) for row in rows)


def _fresh(params: Any, ids: set[str], suffix: str) -> Any:
    """``params`` with every newly inserted row id made unique by ``suffix``."""
    if isinstance(params, list):
        return [_fresh(row, ids, suffix) for row in params]
    return tuple(f"{v}-{suffix}" if isinstance(v, str) and v in ids else v for v in params)


def floor_app(capture: Path) -> Any:
    """The Starlette app replaying the recorded redemption on the event loop."""
    import orjson
    from starlette.applications import Starlette
    from starlette.requests import Request
    from starlette.responses import Response
    from starlette.routing import Route

    sent, reply, packed = pickle.loads(capture.read_bytes())
    ids = {one for group in packed for one in group.split(",")}
    conn = sqlite3.connect(capture.parent / "floor.db", isolation_level=None)
    for pragma in ("journal_mode=WAL", "foreign_keys=ON", "synchronous=NORMAL"):
        conn.execute(f"PRAGMA {pragma}")
    counter = iter(range(10**12))

    async def floor(request: Request) -> Response:
        orjson.loads(await request.body())
        suffix = str(next(counter))
        for sql, params in sent:
            fresh = _fresh(params, ids, suffix) if params else ()
            if isinstance(fresh, list):
                conn.executemany(sql, fresh)
            else:
                conn.execute(sql, fresh).fetchall()
        conn.execute("COMMIT")
        return Response(reply, media_type="application/json")

    return Starlette(routes=[Route("/floor", floor, methods=["POST"])])


@contextmanager
def floor_server(capture: Path, pin: bool) -> Iterator[Server]:
    """This script in ``--serve`` mode under uvicorn, like the hello-world."""
    port = free_port()
    cmd = [sys.executable, __file__, "--serve", str(port), str(capture)]
    with serve("floor", cmd, port=port, ready_path="/health", pin=pin) as running:
        yield running


def _serve(port: int, capture: Path) -> None:
    import uvicorn
    from starlette.responses import Response
    from starlette.routing import Route

    app = floor_app(capture)
    app.router.routes.append(Route("/health", lambda _r: Response(b"{}"), methods=["GET"]))
    uvicorn.run(app, host="127.0.0.1", port=port, log_level="warning", access_log=False)


def _post(name: str, server: Server, path: str, body: bytes, args: argparse.Namespace) -> Result:
    from common import APP_HEADERS

    headers = "".join(f'wrk.headers["{k}"] = "{v}"\n' for k, v in APP_HEADERS.items())
    script = (
        'wrk.method = "POST"\nwrk.headers["Content-Type"] = "application/json"\n'
        f"{headers}wrk.body = {_lua_string(body)}\n"
    )
    url = server.base_url + path
    return run_wrk(name, script, url, duration=args.duration, connections=args.connections,
                   pin=args.pin)  # fmt: skip


def _lua_string(body: bytes) -> str:
    return '"' + body.decode().replace("\\", "\\\\").replace('"', '\\"') + '"'


def _issue(server: Server, code: str) -> None:
    import httpx
    from common import APP_HEADERS

    with httpx.Client(base_url=server.base_url, headers=APP_HEADERS, timeout=30) as client:
        body = {"type": "GIFT_VOUCHER", "gift": {"amount": 10**9}}
        client.post(f"/v1/vouchers/{code}", json=body).raise_for_status()


def run(args: argparse.Namespace) -> None:
    """Record, start the servers, alternate the loads, print the medians and ratios."""
    import orjson

    print(machine_note(pin=args.pin))
    body = orjson.dumps(_body("CARD"))
    with ExitStack() as stack:
        directory = Path(stack.enter_context(tempfile.TemporaryDirectory(prefix="floor-")))
        capture = record(directory)
        if args.minimal:
            _keep_minimal(capture)
        sent = pickle.loads(capture.read_bytes())[0]
        print(f"recorded redemption: {len(sent)} statements (+ COMMIT)")
        hello = stack.enter_context(hello_server(pin=args.pin))
        floor = stack.enter_context(floor_server(capture, args.pin))
        cases: dict[str, Any] = {
            "hello-world GET /hello": lambda: load(
                "hello", hello.base_url + "/hello", duration=args.duration,
                connections=args.connections, pin=args.pin),
            "floor: recorded redemption, raw sqlite3": lambda: _post(
                "floor", floor, "/floor", body, args),
        }  # fmt: skip
        if args.openvoucher:
            real = stack.enter_context(openvoucher_server(None, pin=args.pin))
            _issue(real, "CARD")
            cases["openvoucher POST /v1/redemptions"] = lambda: _post(
                "openvoucher", real, "/v1/redemptions", body, args
            )
        _alternate(cases, args.rounds)


MINIMAL = ("BEGIN", "UPDATE vouchers SET gift_amount", "INSERT INTO voucher_transactions")
"""``--minimal`` (issue 17): the card's balance update, its ledger row and the events (below)."""


def _keep_minimal(capture: Path) -> None:
    """Keep only the minimal writes of a redemption in the capture: BEGIN, the balance update,
    the ledger row and the outbox rows (no reads, no order, counter or redemption row)."""
    sent, reply, ids = pickle.loads(capture.read_bytes())
    kept = [
        (sql, params)
        for sql, params in sent
        if sql.startswith(MINIMAL) or sql.startswith("INSERT INTO outbox_events")
    ]
    capture.write_bytes(pickle.dumps((kept, reply, ids)))


def _alternate(cases: dict[str, Any], rounds: int) -> None:
    for case in cases.values():
        case()  # warm-up, not recorded
    runs: dict[str, list[Result]] = {name: [] for name in cases}
    for round_no in range(rounds):
        for name, case in cases.items():
            runs[name].append(case())
            print(f"  round {round_no + 1}/{rounds} {name}: {runs[name][-1].rps:.0f} req/s")
    medians = [median_result(name, found) for name, found in runs.items()]
    print()
    print_table(medians, baseline=medians[0])
    for row in medians[1:]:
        ratio = row.rps / medians[0].rps
        verdict = "reaches" if ratio >= TARGET_RATIO else "below"
        print(f"{row.name}: {ratio:.3f} of hello-world ({verdict} the {TARGET_RATIO} target)")


def main() -> None:
    """Parse arguments; ``--serve`` is the floor app's own process."""
    if len(sys.argv) == 4 and sys.argv[1] == "--serve":
        _serve(int(sys.argv[2]), Path(sys.argv[3]))
        return
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--duration", type=float, default=5)
    parser.add_argument("--connections", type=int, default=32)
    parser.add_argument("--no-pin", dest="pin", action="store_false")
    parser.add_argument("--no-openvoucher", dest="openvoucher", action="store_false")
    parser.add_argument(
        "--minimal", action="store_true", help="replay only the minimal writes (issue 17)"
    )
    run(parser.parse_args())


if __name__ == "__main__":
    main()
