"""Per-call cost of a gift-card redemption and a voucher read, in-process (no HTTP).

Calls ``checkout.redemptions.redeem`` and ``catalog.vouchers.get`` directly on a temp SQLite
file (or a fresh PostgreSQL database with ``--postgres``), so the figures are the use case's own:
median wall time, CPU time per call (``time.process_time``, all threads of this process) and
the SQL statements one call sends. ``--src DIR`` runs another source tree (an A/B: run the
script once per tree, alternating). ``--profile`` prints a pyinstrument profile instead.

    python bench/bench_inprocess.py
    python bench/bench_inprocess.py --postgres postgresql://postgres@127.0.0.1:5432/postgres
    python bench/bench_inprocess.py --src /tmp/before/src
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import ExitStack, contextmanager
from pathlib import Path
from typing import Any

from common import postgres_database


@contextmanager
def database(postgres: str | None) -> Iterator[str]:
    """A temp SQLite file or a fresh PostgreSQL database (dropped afterwards)."""
    if postgres is not None:
        with postgres_database(postgres) as url:
            yield url
        return
    with tempfile.TemporaryDirectory(prefix="openvoucher-inprocess-") as directory:
        yield f"sqlite:///{directory}/bench.db"


def body(code: str) -> dict[str, Any]:
    """Pay 1 credit of ``code`` in a 1-credit order (as bench_redemptions.py does)."""
    return {
        "redeemables": [{"object": "voucher", "id": code, "gift": {"credits": 1}}],
        "order": {"amount": 1},
    }


def timed(calls: int, call: Callable[[int], Any]) -> tuple[float, float]:
    """(median wall ms, CPU ms per call) over ``calls`` calls."""
    walls = []
    cpu = time.process_time()
    for n in range(calls):
        start = time.perf_counter()
        call(n)
        walls.append(time.perf_counter() - start)
    return statistics.median(walls) * 1e3, (time.process_time() - cpu) / calls * 1e3


def statements(engine: Any, call: Callable[[], Any]) -> int:
    """How many SQL statements ``call`` sends (BEGIN included, COMMIT not)."""
    from sqlalchemy import event

    sent: list[str] = []

    def record(*args: Any) -> None:
        sent.append(args[2])

    event.listen(engine, "before_cursor_execute", record)
    try:
        call()
    finally:
        event.remove(engine, "before_cursor_execute", record)
    return len(sent)


def main() -> None:
    """Set up cards, then time redemptions and reads."""
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--postgres", metavar="URL", help="PostgreSQL server (default SQLite)")
    parser.add_argument("--src", type=Path, help="source tree to import openvoucher from")
    parser.add_argument("--calls", type=int, default=300)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--profile", action="store_true")
    args = parser.parse_args()
    if args.src is not None:
        sys.path.insert(0, str(args.src.resolve()))
    from openvoucher import bootstrap
    from openvoucher.catalog import vouchers
    from openvoucher.checkout import redemptions
    from openvoucher.config import Settings

    with ExitStack() as stack:
        url = stack.enter_context(database(args.postgres))
        settings = Settings(database_url=url, run_relay=False)
        container = bootstrap.build(settings)
        uow, project = container.uow, container.default_project["id"]
        codes = [f"CARD-{n:03d}" for n in range(50)]
        for code in codes:
            gift = {"type": "GIFT_VOUCHER", "gift": {"amount": 10**9}}
            vouchers.create(uow, project, gift, code)

        def redeem(n: int) -> Any:
            return redemptions.redeem(uow, project, body(codes[n % len(codes)]))

        def read(n: int) -> Any:
            return vouchers.get(uow, project, codes[n % len(codes)])

        timed(50, redeem)
        timed(50, read)
        print(f"source: {Path(vouchers.__file__).parents[2]}; database: {url.split(':')[0]}")
        print(f"statements: redemption {statements(container.engine, lambda: redeem(0))}, "
              f"voucher read {statements(container.engine, lambda: read(0))}")  # fmt: skip
        if args.profile:
            from pyinstrument import Profiler

            profiler = Profiler(interval=0.0002)
            with profiler:
                timed(args.calls, redeem)
                timed(args.calls, read)
            print(profiler.output_text(unicode=False, color=False))
            return
        for _ in range(args.rounds):
            redeem_wall, redeem_cpu = timed(args.calls, redeem)
            read_wall, read_cpu = timed(args.calls, read)
            print(
                f"redeem: median {redeem_wall:.2f} ms, CPU {redeem_cpu:.2f} ms | "
                f"GET voucher: median {read_wall:.3f} ms, CPU {read_cpu:.3f} ms | "
                f"load {os.getloadavg()[0]:.1f}"
            )


if __name__ == "__main__":
    main()
