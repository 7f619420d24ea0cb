"""The unit of work: one database transaction per command, with its events in the outbox."""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, contextmanager, nullcontext
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, Engine, insert
from sqlalchemy.exc import IntegrityError

from openvoucher.adapters.db.engine import WRITE, is_sqlite
from openvoucher.adapters.db.schema.outbox import outbox_events
from openvoucher.domain.clock import Clock
from openvoucher.domain.errors import DuplicateFound
from openvoucher.domain.events import Event
from openvoucher.domain.ids import random_token


@dataclass
class Tx:
    """What a use case works with: the connection, the project, the time, and its events."""

    conn: Connection
    project_id: str
    now: datetime
    base_url: str = ""
    events: list[Event] = field(default_factory=list)
    wake: bool = False
    memo: dict[Any, Any] = field(default_factory=dict)
    """Per-transaction cache (see ``services.tx_cache``); dropped with the transaction."""

    def emit(self, event: Event) -> None:
        """Record ``event``; it reaches the outbox only if the transaction commits."""
        self.events.append(event)

    def wake_relay(self) -> None:
        """Run the after-commit hooks even without events (e.g. a sendout made due again)."""
        self.wake = True


class UnitOfWork:
    """Opens transactions on the engine; a clean exit commits state and outbox rows together."""

    def __init__(self, engine: Engine, clock: Clock, base_url: str = "") -> None:
        self.engine = engine
        self.clock = clock
        self.base_url = base_url
        self.after_commit: list[Callable[[], None]] = []
        self.after_wake: list[Callable[[], None]] = []
        """Hooks for commits that asked for them (``tx.wake_relay()``, e.g. a queued async
        action), not for every commit with events: a redemption need not wake the runner."""
        self._writer: AbstractContextManager[Any] = (
            threading.RLock() if is_sqlite(engine) else nullcontext()
        )
        """SQLite takes one writer at a time, and a writer that finds the database locked
        polls in its busy handler with sleeps growing to 100 ms, so under load the write lock
        sat idle between writers (half the time at 32 concurrent redemptions). This process's
        writers queue on a lock instead and take over the moment the previous one commits;
        other processes still meet SQLite's busy_timeout. PostgreSQL: no lock (row locks)."""

    @contextmanager
    def write(self, project_id: str) -> Iterator[Tx]:
        """A write transaction (SQLite: BEGIN IMMEDIATE) that commits on a clean exit.

        A unique-constraint violation (a race two requests lost) becomes ``duplicate_found``.
        """
        try:
            with (
                self._writer,
                self.engine.connect().execution_options(**WRITE) as conn,
                conn.begin(),
            ):
                tx = self._tx(conn, project_id)
                yield tx
                _write_outbox(tx)
        except IntegrityError as exc:
            raise DuplicateFound("Duplicate resource", _constraint_hint(exc)) from exc
        if tx.events or tx.wake:
            for hook in self.after_commit:
                hook()
        if tx.wake:
            for hook in self.after_wake:
                hook()

    def _tx(self, conn: Connection, project_id: str) -> Tx:
        return Tx(conn=conn, project_id=project_id, now=self.clock.now(), base_url=self.base_url)

    @contextmanager
    def read(self, project_id: str) -> Iterator[Tx]:
        """A read-only transaction; emitting events here is a programming error."""
        with self.engine.connect() as conn, conn.begin():
            tx = self._tx(conn, project_id)
            yield tx
            if tx.events:
                raise RuntimeError("events emitted in a read-only transaction")


def _write_outbox(tx: Tx) -> None:
    if not tx.events:
        return
    rows = [
        {
            "id": "evt_" + random_token(24),
            "project_id": tx.project_id,
            "type": event.type,
            "entity_id": event.entity_id,
            "group_id": event.group_id,
            "customer_id": _customer_of(event),
            "data": event.data,
            "created_at": tx.now,
        }
        for event in tx.events
    ]
    tx.conn.execute(OUTBOX_INSERT, rows)


def _customer_of(event: Event) -> str | None:
    """The id of the customer an event is about, for customer activity."""
    for key in ("customer", "holder"):
        found = event.data.get(key)
        if isinstance(found, dict) and isinstance(found.get("id"), str):
            return str(found["id"])
    return None


OUTBOX_INSERT = insert(outbox_events)
"""Built once: a reused statement keeps its cache key (see ``adapters.db.prepared``)."""


def _constraint_hint(exc: IntegrityError) -> str:
    text = str(exc.orig).splitlines()[0] if exc.orig else "constraint violated"
    return f"A resource with the same identifier already exists ({text})"
