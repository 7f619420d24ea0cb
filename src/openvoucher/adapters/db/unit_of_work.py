"""The SQL unit of work (``kernel.unit_of_work.UnitOfWork``): one database transaction per
command, with its events written to the outbox in the same transaction."""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable, Iterator, Sequence
from contextlib import AbstractContextManager, contextmanager, nullcontext
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, Engine, insert
from sqlalchemy.exc import IntegrityError

from openvoucher.adapters.db import outbox_parts
from openvoucher.adapters.db.engine import WRITE, is_sqlite
from openvoucher.adapters.db.hot import HotReader
from openvoucher.adapters.db.idempotency_records import SQL_IDEMPOTENCY
from openvoucher.adapters.db.schema.outbox import outbox_events
from openvoucher.kernel.clock import Clock
from openvoucher.kernel.errors import DuplicateFound
from openvoucher.kernel.events import Event
from openvoucher.kernel.ids import sorted_ids
from openvoucher.kernel.unit_of_work import ProjectTimes, ReactionTable, Tx, customer_of

log = logging.getLogger("openvoucher.uow")


class SqlUnitOfWork:
    """Opens transactions on the engine; a clean exit commits state and outbox rows together."""

    def __init__(self, engine: Engine, clock: Clock, base_url: str = "") -> None:
        self.engine = engine
        self.clock = clock
        self.times = clock if isinstance(clock, ProjectTimes) else None
        """Per-project time (dev features); None: one time for every project."""
        self.base_url = base_url
        self.after_commit: list[Callable[[], None]] = []
        self.reactions: ReactionTable = {}
        """Domain event type → handlers, run inside the transaction that dispatches the event
        (set by ``bootstrap.build``; empty: nothing reacts)."""
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
        self.hot = HotReader.for_engine(engine)
        """Hot reads (SQLite files): single indexed reads without a transaction or a thread
        hop, for the event loop (``adapters.db.hot``); None on PostgreSQL."""

    @contextmanager
    def write(self, project_id: str, *, conn: Connection | None = None) -> Iterator[Tx]:
        """A write transaction (SQLite: BEGIN IMMEDIATE) that commits on a clean exit.

        On a pooled connection, or on ``conn`` (opened with ``WRITE`` options, left open: the
        relay keeps its own). A unique-constraint violation (a race two requests lost)
        becomes ``duplicate_found``.
        """
        try:
            with (
                self._writer,
                self._connection(conn) as connection,
                connection.begin(),
            ):
                tx = self._tx(connection, project_id)
                yield tx
                _write_outbox(tx)
        except IntegrityError as exc:
            raise DuplicateFound("Duplicate resource", _constraint_hint(exc)) from exc
        if tx.events or tx.wake:
            _run_hooks(self.after_commit)
        if tx.wake:
            _run_hooks(self.after_wake)

    def _connection(self, conn: Connection | None) -> AbstractContextManager[Connection]:
        if conn is not None:
            return nullcontext(conn)
        return self.write_connection()

    def write_connection(self) -> Connection:
        """A new connection opened for write transactions (``write(conn=...)`` on it; the
        caller closes it): for work that keeps its own connection, like the relay."""
        return self.engine.connect().execution_options(**WRITE)

    def now_for(self, project_id: str) -> datetime:
        """``project_id``'s time: its own with per-project dev clocks, else the clock's."""
        times = self.times
        return times.now_for(project_id) if times is not None else self.clock.now()

    def _tx(self, conn: Connection, project_id: str) -> Tx:
        now = self.now_for(project_id)
        return Tx(
            conn=conn,
            project_id=project_id,
            now=now,
            base_url=self.base_url,
            times=self.times,
            reactions=self.reactions,
            idempotency=SQL_IDEMPOTENCY,
        )

    @contextmanager
    def read(self, project_id: str) -> Iterator[Tx]:
        """A read-only transaction; emitting events here is a programming error."""
        with self.engine.connect() as conn, conn.begin():
            tx = self._tx(conn, project_id)
            yield tx
            if tx.events:
                raise RuntimeError("events emitted in a read-only transaction")


def _run_hooks(hooks: list[Callable[[], None]]) -> None:
    """Run after-commit hooks (wake-ups); a failing one is logged, never raised: the change
    is committed, so the request succeeded (the woken worker polls anyway)."""
    for hook in hooks:
        try:
            hook()
        except Exception:
            log.exception("after-commit hook %r failed", hook)


def _write_outbox(tx: Tx) -> None:
    if not tx.events:
        return
    ids = sorted_ids("outbox_event", len(tx.events), tx.now)
    rows, parts = outbox_rows(tx, tx.events, ids)
    outbox_parts.insert_parts(tx.conn, parts)
    tx.conn.execute(OUTBOX_INSERT, rows)


def outbox_rows(
    tx: Tx, events: Sequence[Event], event_ids: Sequence[str]
) -> tuple[list[dict[str, Any]], list[tuple[str, str, str | None, str]]]:
    """The ``outbox_events`` rows of ``events`` and the parts they share (bulk writers reuse
    it): ``data`` pruned of unset fields, large shared objects stored once (ADR 0075)."""
    owners = [customer_of(event) for event in events]
    packer = outbox_parts.Packer(tx.project_id)
    packed = packer.pack([(event.data, owner) for event, owner in zip(events, owners, strict=True)])
    rows = [
        {
            "id": event_id,
            "project_id": tx.project_id,
            "type": event.type,
            "entity_id": event.entity_id,
            "group_id": event.group_id,
            "customer_id": owner,
            "data": stored.data,
            "parts": stored.parts,
            "created_at": tx.now,
        }
        for event, event_id, owner, stored in zip(events, event_ids, owners, packed, strict=True)
    ]
    return rows, packer.part_rows()


OUTBOX_INSERT = insert(outbox_events)
"""Built once: a reused statement keeps its cache key (see ``adapters.db.prepared``)."""


def _constraint_hint(exc: IntegrityError) -> str:
    text = str(exc.orig).splitlines()[0] if exc.orig else "constraint violated"
    return f"A resource with the same identifier already exists ({text})"
