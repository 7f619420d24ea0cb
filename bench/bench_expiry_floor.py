"""The floor under the expiration-job target (issue 17): only the minimal writes, raw sqlite3.

For N cards (default 100 000), in batches of 2 000 with one commit each, with the app's pragmas
(WAL, ``synchronous=NORMAL``) and indexes like the real tables: update the card and its bucket,
append one ledger row, and append the card's three events — either whole (~7.2 KB per card, as
before ADR 0075) or compact (~2.0 KB of event rows plus the voucher and transaction parts,
~1.5 KB, and one campaign part per batch). No reads, no rendering, no application Python:
what any implementation that durably writes these rows must pay on this disk.

    python bench/bench_expiry_floor.py [--cards 100000]
"""

from __future__ import annotations

import argparse
import os
import sqlite3
import tempfile
import time

SCHEMA = """
CREATE TABLE vouchers (id TEXT PRIMARY KEY, balance INTEGER, attrs TEXT, updated_at TEXT);
CREATE TABLE buckets (seq INTEGER PRIMARY KEY, points INTEGER, status TEXT, updated_at TEXT);
CREATE TABLE ledger (id TEXT PRIMARY KEY, voucher_id TEXT, amount INTEGER, details TEXT,
  created_at TEXT);
CREATE INDEX ix_ledger_voucher ON ledger (voucher_id, created_at);
CREATE TABLE outbox (seq INTEGER PRIMARY KEY, id TEXT UNIQUE, project_id TEXT, type TEXT,
  customer_id TEXT, data TEXT, parts TEXT, created_at TEXT, dispatched_at TEXT);
CREATE INDEX ix_outbox_pending ON outbox (dispatched_at, seq);
CREATE INDEX ix_outbox_customer ON outbox (project_id, customer_id, seq);
CREATE TABLE parts (id TEXT PRIMARY KEY, project_id TEXT, customer_id TEXT, body TEXT);
CREATE INDEX ix_parts_customer ON parts (project_id, customer_id);
"""
WHOLE = (2700, 2600, 2000)
COMPACT = (570, 480, 960)
PARTS = (1070, 480)


def run(path: str, cards: int, compact: bool) -> float:
    """Seconds to write the job's rows for ``cards`` cards."""
    conn = sqlite3.connect(path, isolation_level=None)
    conn.execute("PRAGMA journal_mode=WAL")
    conn.execute("PRAGMA synchronous=NORMAL")
    conn.executescript(SCHEMA)
    conn.executemany(
        "INSERT INTO vouchers VALUES (?, 100, '{}', '')", [(f"v{i:07d}",) for i in range(cards)]
    )
    conn.executemany(
        "INSERT INTO buckets VALUES (?, 100, 'ACTIVE', '')", [(i,) for i in range(cards)]
    )
    at = "2025-01-16 10:00:00"
    began = time.perf_counter()
    for start in range(0, cards, 2000):
        ids = range(start, min(start + 2000, cards))
        conn.execute("BEGIN IMMEDIATE")
        conn.executemany(
            "UPDATE vouchers SET balance = 0, attrs = ?, updated_at = ? WHERE id = ?",
            [("a" * 120, at, f"v{i:07d}") for i in ids],
        )
        conn.executemany(
            "UPDATE buckets SET points = 0, status = 'EXPIRED', updated_at = ? WHERE seq = ?",
            [(at, i) for i in ids],
        )
        conn.executemany(
            "INSERT INTO ledger VALUES (?, ?, -100, ?, ?)",
            [(f"t{i:07d}", f"v{i:07d}", "d" * 250, at) for i in ids],
        )
        sizes = COMPACT if compact else WHOLE
        events = [
            (f"e{i:07d}.{k}", "p", "t", f"c{i:07d}", "x" * size, "{}" if compact else None, at)
            for i in ids
            for k, size in enumerate(sizes)
        ]
        conn.executemany(
            "INSERT INTO outbox (id, project_id, type, customer_id, data, parts, created_at) "
            "VALUES (?, ?, ?, ?, ?, ?, ?)",
            events,
        )
        if compact:
            parts = [
                (f"p{i:07d}.{k}", "p", None, "y" * size)
                for i in ids
                for k, size in enumerate(PARTS)
            ]
            parts.append(("camp", "p", None, "z" * 560))
            conn.executemany("INSERT OR IGNORE INTO parts VALUES (?, ?, ?, ?)", parts)
        conn.execute("COMMIT")
    took = time.perf_counter() - began
    conn.close()
    return took


def main() -> None:
    """Whole and compact, alternated twice; seconds and load."""
    parser = argparse.ArgumentParser()
    parser.add_argument("--cards", type=int, default=100_000)
    args = parser.parse_args()
    for _ in range(2):
        for compact in (False, True):
            with tempfile.TemporaryDirectory(prefix="expiry-floor-") as directory:
                took = run(os.path.join(directory, "f.db"), args.cards, compact)
            kind = "compact" if compact else "whole"
            print(f"{kind:8s} {args.cards} cards: {took:.2f} s (load {os.getloadavg()[0]:.1f})")


if __name__ == "__main__":
    main()
