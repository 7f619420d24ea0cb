"""PostgreSQL LISTEN/NOTIFY between a process that commits events and relays in others.

A notification carries nothing: it only says "look at the outbox now". Delivery never depends
on it (relays still poll), so a lost notification only costs a poll interval.
"""

from __future__ import annotations

from sqlalchemy import Connection, text

CHANNEL = "openvoucher_outbox"


def supported(dialect_name: str) -> bool:
    """Whether the database behind a dialect of this name has LISTEN/NOTIFY."""
    return dialect_name == "postgresql"


def notify(conn: Connection) -> None:
    """Signal the channel; listeners hear it when this transaction commits."""
    conn.execute(text("SELECT pg_notify(:channel, '')"), {"channel": CHANNEL})


def listen(conn: Connection) -> None:
    """Subscribe this connection (in autocommit mode) to the channel."""
    conn.exec_driver_sql(f"LISTEN {CHANNEL}")


def heard(conn: Connection, timeout: float) -> bool:
    """Whether a notification arrived on the listening ``conn`` within ``timeout`` seconds
    (returns as soon as one does)."""
    driver = conn.connection.driver_connection
    assert driver is not None
    return any(True for _ in driver.notifies(timeout=timeout, stop_after=1))
