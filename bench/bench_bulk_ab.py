"""Bulk writes A/B: 100 000-code generation and a 100 000-row CSV import, two source trees and
the floor of their minimal writes, interleaved in one run, medians.

Each round runs, in this order: ``bench_generate_codes.py`` with tree A then tree B (first on
``PYTHONPATH``), the generation floor, ``bench_import_csv.py`` with A then B, and the import
floor. A floor makes the real rows once in-process (this tree), then times only a raw
``sqlite3`` ``executemany`` of exactly those ``vouchers`` rows, in the order the job wrote
them, into a fresh database of the same schema and pragmas, in the same chunks (5 000 rows),
one commit per chunk: what the writes cost with no interpreter work around them.

    python bench/bench_bulk_ab.py --a /tmp/main/src --b src --rounds 3 --count 100000
"""

from __future__ import annotations

import argparse
import os
import re
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
CHUNK = 5000


def _run(script: str, src: str, count: int) -> str:
    env = {**os.environ, "PYTHONPATH": str(Path(src).resolve())}
    done = subprocess.run(
        [sys.executable, str(HERE / script), str(count)],
        env=env,
        check=True,
        capture_output=True,
        text=True,
    )
    return done.stdout


def _figure(text: str, name: str) -> float:
    found = re.search(rf"{name}=\s*([0-9.]+)", text)
    assert found is not None, text
    return float(found.group(1))


def _copy_rows(source: Path, target: Path) -> float:
    """Seconds to executemany the ``vouchers`` rows of ``source`` into ``target`` (same schema)."""
    read = sqlite3.connect(source)
    names = [row[1] for row in read.execute("PRAGMA table_info(vouchers)")]
    rows = read.execute(f"SELECT {', '.join(names)} FROM vouchers ORDER BY rowid").fetchall()
    read.close()
    write = sqlite3.connect(target, isolation_level=None)
    write.execute("DELETE FROM vouchers")
    write.execute("VACUUM")
    for pragma in ("journal_mode=WAL", "foreign_keys=ON", "synchronous=NORMAL", "cache_size=-2048"):
        write.execute(f"PRAGMA {pragma}")
    sql = (
        f"INSERT INTO vouchers ({', '.join(names)}) VALUES ({', '.join('?' * len(names))}) "
        "ON CONFLICT (project_id, code) DO NOTHING"
    )
    started = time.perf_counter()
    for start in range(0, len(rows), CHUNK):
        write.execute("BEGIN IMMEDIATE")
        write.executemany(sql, rows[start : start + CHUNK])
        write.execute("COMMIT")
    elapsed = time.perf_counter() - started
    write.close()
    return elapsed


def floor(kind: str, count: int) -> None:
    """Make the rows of ``kind`` (generate / import) in-process, then time the raw writes."""
    from openvoucher.bootstrap import build
    from openvoucher.catalog import campaigns, imports
    from openvoucher.config import Settings
    from openvoucher.platform import async_actions

    with tempfile.TemporaryDirectory() as directory:
        source, target = Path(directory) / "source.db", Path(directory) / "target.db"
        container = build(Settings(database_url=f"sqlite:///{source}"))
        project_id = container.default_project["id"]
        if kind == "generate":
            body = {
                "name": "bench",
                "campaign_type": "DISCOUNT_COUPONS",
                "vouchers_count": count,
                "voucher": {
                    "type": "DISCOUNT_VOUCHER",
                    "discount": {"type": "AMOUNT", "amount_off": 1},
                },
            }
            campaigns.create(container.uow, project_id, body)
        else:
            imports.start_csv(container.uow, project_id, iter(_csv_rows(count)))
        while async_actions.run_next(container.uow, container.async_actions):
            pass
        container.engine.dispose()
        target.write_bytes(source.read_bytes())  # same schema, campaign and project rows
        for suffix in ("-wal", "-shm"):
            Path(f"{target}{suffix}").unlink(missing_ok=True)
        print(f"floor={_copy_rows(source, target):.2f}")


def _csv_rows(count: int) -> list[list[str]]:
    """The rows ``bench_import_csv.py`` uploads, header first."""
    header = ["Code", "Voucher Type", "Value", "Discount Type", "Expiration Date"]
    header += ["Redemption Limit", "Shop"]
    return [header] + [
        [
            f"IMP-{index:08d}",
            "DISCOUNT_VOUCHER",
            str(500 + index % 50),
            "AMOUNT",
            "2031-12-31T23:59:59Z",
            str(1 + index % 3),
            f"shop-{index % 7}",
        ]
        for index in range(count)
    ]


def _floor_run(kind: str, count: int) -> float:
    done = subprocess.run(
        [sys.executable, __file__, "--floor", kind, "--count", str(count)],
        check=True,
        capture_output=True,
        text=True,
    )
    return _figure(done.stdout, "floor")


def main() -> None:
    """Interleave A, B and the floors; print every round and the medians with load averages."""
    parser = argparse.ArgumentParser()
    parser.add_argument("--a", default="src")
    parser.add_argument("--b", default="src")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--count", type=int, default=100_000)
    parser.add_argument("--floor", choices=["generate", "import"])
    args = parser.parse_args()
    if args.floor:
        floor(args.floor, args.count)
        return
    figures: dict[str, list[float]] = {}
    for round_number in range(args.rounds):
        for label, src in (("A", args.a), ("B", args.b)):
            text = _run("bench_generate_codes.py", src, args.count)
            figures.setdefault(f"generate {label}", []).append(_figure(text, "time"))
        figures.setdefault("generate floor", []).append(_floor_run("generate", args.count))
        for label, src in (("A", args.a), ("B", args.b)):
            text = _run("bench_import_csv.py", src, args.count)
            figures.setdefault(f"import {label} total", []).append(_figure(text, "total"))
            figures.setdefault(f"import {label} cpu", []).append(_figure(text, "server_cpu"))
        figures.setdefault("import floor", []).append(_floor_run("import", args.count))
        load = os.getloadavg()
        line = "  ".join(f"{name}={values[-1]:.2f}" for name, values in figures.items())
        print(f"round {round_number + 1}: {line}  load={load[0]:.1f}", flush=True)
    for name, values in figures.items():
        print(f"{name:>20}: median {statistics.median(values):6.2f} s  ({values})")
    print(f"load average now {os.getloadavg()} on {os.cpu_count()} CPUs")


if __name__ == "__main__":
    main()
