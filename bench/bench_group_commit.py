"""The most group commit could save on SQLite (issue 17, ADR 0076), on raw ``sqlite3``.

Replays a redemption-sized write (card update, ledger row, order, redemption, two compact
outbox rows and a part: ~5 KB) N times, committed one by one, or k at a time with each member
in its own ``SAVEPOINT`` (what group commit would do), with the app's pragmas (WAL,
``synchronous=NORMAL``). No Python of the app, so the difference is the commit's own cost.

    python bench/bench_group_commit.py [--writes 4000] [--rounds 3]
"""

from __future__ import annotations

import argparse
import os
import sqlite3
import statistics
import tempfile
import time

SCHEMA = """
CREATE TABLE cards (id INTEGER PRIMARY KEY, balance INTEGER, attrs TEXT, updated_at TEXT);
CREATE TABLE ledger (id TEXT PRIMARY KEY, card INTEGER, amount INTEGER, details TEXT, at TEXT);
CREATE TABLE orders (id TEXT PRIMARY KEY, attrs TEXT, at TEXT);
CREATE TABLE redemptions (id TEXT PRIMARY KEY, card INTEGER, attrs TEXT, at TEXT);
CREATE TABLE outbox (seq INTEGER PRIMARY KEY, id TEXT UNIQUE, data TEXT, parts TEXT,
  dispatched_at TEXT);
CREATE INDEX ix_outbox_pending ON outbox (dispatched_at, seq);
CREATE TABLE parts (id TEXT PRIMARY KEY, body TEXT);
"""


def one_write(cur: sqlite3.Cursor, n: int) -> None:
    """The statements of one redemption-sized write."""
    at = "2026-12-07 19:00:00"
    cur.execute(
        "UPDATE cards SET balance = balance - 1, updated_at = ? WHERE id = ?", (at, n % 500)
    )
    cur.execute("INSERT INTO ledger VALUES (?, ?, -1, ?, ?)", (f"t{n}", n % 500, "x" * 300, at))
    cur.execute("INSERT INTO orders VALUES (?, ?, ?)", (f"o{n}", "o" * 900, at))
    cur.execute("INSERT INTO redemptions VALUES (?, ?, ?, ?)", (f"r{n}", n % 500, "r" * 1500, at))
    cur.execute("INSERT OR IGNORE INTO parts VALUES (?, ?)", (f"p{n}", "p" * 1100))
    for k in range(2):
        cur.execute(
            "INSERT INTO outbox (id, data, parts) VALUES (?, ?, ?)", (f"e{n}.{k}", "e" * 600, "{}")
        )


def run(path: str, writes: int, group: int, offset: int) -> float:
    """Seconds for ``writes`` writes, ``group`` per commit (savepoints when > 1)."""
    conn = sqlite3.connect(path, isolation_level=None)
    conn.execute("PRAGMA journal_mode=WAL")
    conn.execute("PRAGMA synchronous=NORMAL")
    cur = conn.cursor()
    began = time.perf_counter()
    for start in range(0, writes, group):
        cur.execute("BEGIN IMMEDIATE")
        for n in range(start, min(start + group, writes)):
            if group > 1:
                cur.execute("SAVEPOINT w")
            one_write(cur, offset + n)
            if group > 1:
                cur.execute("RELEASE w")
        cur.execute("COMMIT")
    took = time.perf_counter() - began
    conn.close()
    return took


def main() -> None:
    """Alternate the group sizes; print µs per write (medians)."""
    parser = argparse.ArgumentParser()
    parser.add_argument("--writes", type=int, default=4000)
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    groups = (1, 4, 16, 64)
    with tempfile.TemporaryDirectory(prefix="group-commit-") as directory:
        path = os.path.join(directory, "g.db")
        conn = sqlite3.connect(path)
        conn.executescript(SCHEMA)
        conn.executemany(
            "INSERT INTO cards VALUES (?, 1000000, '{}', '')", [(i,) for i in range(500)]
        )
        conn.commit()
        conn.close()
        times: dict[int, list[float]] = {g: [] for g in groups}
        offset = 0
        for _ in range(args.rounds):
            for group in groups:
                took = run(path, args.writes, group, offset)
                times[group].append(took / args.writes * 1e6)
                offset += args.writes
    base = statistics.median(times[1])
    print(f"load average {os.getloadavg()[0]:.1f}")
    for group in groups:
        med = statistics.median(times[group])
        print(
            f"{group:3d} writes per commit: {med:7.1f} µs per write ({base / med:.2f}× one by one)"
        )


if __name__ == "__main__":
    main()
