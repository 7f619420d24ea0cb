"""The yardstick of the hot-card target (issue 17): a raw one-statement debit of one row on
PostgreSQL, N client threads, no HTTP and no application code.

Each client loops ``UPDATE … SET balance = balance - 1 WHERE id = 1 AND balance >= 1`` in
autocommit (one round trip, one row lock, one WAL flush per debit). Run it next to
``bench_gift_balance.py`` in one session and divide.

    python bench/bench_raw_debit.py [--postgres URL] [--clients 1,2,4,8,16,32] [--seconds 3]
"""

from __future__ import annotations

import argparse
import os
import threading
import time

import psycopg
from common import postgres_database

DEFAULT_POSTGRES = "postgresql://postgres@127.0.0.1:5432/postgres"


def clients_rate(url: str, clients: int, seconds: float, *, table: str = "card") -> float:
    """Debits per second with ``clients`` threads hammering the one row of ``table``."""
    done = [0] * clients
    statement = f"UPDATE {table} SET balance = balance - 1 WHERE id = 1 AND balance >= 1"
    stop = time.perf_counter() + seconds

    def loop(index: int) -> None:
        with psycopg.connect(url, autocommit=True) as conn:
            while time.perf_counter() < stop:
                conn.execute(statement)
                done[index] += 1

    threads = [threading.Thread(target=loop, args=(i,)) for i in range(clients)]
    began = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return sum(done) / (time.perf_counter() - began)


def main() -> None:
    """Print debits/s per client count."""
    parser = argparse.ArgumentParser()
    parser.add_argument("--postgres", default=DEFAULT_POSTGRES)
    parser.add_argument("--clients", default="1,2,4,8,16,32")
    parser.add_argument("--seconds", type=float, default=3.0)
    args = parser.parse_args()
    with postgres_database(args.postgres) as url:
        plain = url.replace("postgresql+psycopg://", "postgresql://")
        with psycopg.connect(plain, autocommit=True) as conn:
            conn.execute("CREATE TABLE card (id int PRIMARY KEY, balance bigint NOT NULL)")
            conn.execute("INSERT INTO card VALUES (1, 1000000000)")
        for clients in (int(c) for c in args.clients.split(",")):
            rate = clients_rate(plain, clients, args.seconds)
            load = os.getloadavg()[0]
            print(f"{clients:3d} clients: {rate:7.0f} debits/s (load {load:.1f})")


if __name__ == "__main__":
    main()
