"""Waking relays in other processes right after a commit (PostgreSQL LISTEN/NOTIFY).

In one process the relay is woken by an after-commit hook. ``serve`` without a relay
(``OPENVOUCHER_RUN_RELAY=false``) notifies instead, after the commit and outside the user's
transaction (a NOTIFY inside it would serialise every notifying commit on PostgreSQL's
notify lock); every relay on PostgreSQL (``openvoucher worker``, ``serve``) listens and
runs a cycle when it hears one. The poll stays as the fallback: a notification is a hint,
never the record.
"""

from __future__ import annotations

import asyncio
import logging
import threading
from collections.abc import Callable

from sqlalchemy import Connection, Engine

from openvoucher.webhooks.repositories import relay_signals, webhooks_delivery

log = logging.getLogger("openvoucher.webhooks")


def available(engine: Engine) -> bool:
    """Whether relays on this database can be woken across processes."""
    return relay_signals.supported(engine.dialect.name)


class CommitSignal:
    """Notifies listening relays after commits, from a thread and a connection of its own (off
    the request path). A background component of ``serve`` without a relay: silent until started.
    Commits arriving while a notification is sent share the next one, sent no sooner than
    ``min_gap`` seconds after it (a busy relay is woken again anyway once its cycle ends)."""

    def __init__(self, engine: Engine, min_gap: float = 0.005) -> None:
        self.engine = engine
        self.min_gap = min_gap
        self._pending = threading.Event()
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    def wake(self) -> None:
        """Ask for a notification (an after-commit hook)."""
        if self._thread is not None:
            self._pending.set()

    async def start(self) -> None:
        """Begin notifying."""
        self._stop.clear()
        self._thread = threading.Thread(target=self._run, name="openvoucher-notify", daemon=True)
        self._thread.start()

    async def stop(self) -> None:
        """Stop notifying."""
        thread, self._thread = self._thread, None
        self._stop.set()
        self._pending.set()
        if thread is not None:
            await asyncio.to_thread(thread.join, 5)

    def _run(self) -> None:
        conn: Connection | None = None
        try:
            while True:
                self._pending.wait()
                if self._stop.is_set():
                    return
                self._pending.clear()
                conn = self._notify(conn)
                self._stop.wait(self.min_gap)
        finally:
            if conn is not None:
                webhooks_delivery.discard(conn)

    def _notify(self, conn: Connection | None) -> Connection | None:
        """One notification on the thread's connection (opened if need be): one round trip,
        in autocommit and without waiting for a WAL flush (a hint has nothing to keep).
        Returns the connection to use next time (None after a failure)."""
        try:
            if conn is None:
                conn = self.engine.connect().execution_options(isolation_level="AUTOCOMMIT")
                webhooks_delivery.relax_durability(conn, session=True)
            relay_signals.notify(conn)
            return conn
        except Exception:
            log.exception("could not notify relays (they poll meanwhile)")
            if conn is not None:
                webhooks_delivery.discard(conn)
            self._stop.wait(1.0)  # the database is likely away: do not retry per commit
            return None


class CommitListener:
    """Listens for commit notifications on a connection of its own, on a thread, and calls
    ``wake`` for each burst of them; reconnects after ``retry_seconds`` if the connection
    fails (the relay polls meanwhile)."""

    def __init__(self, engine: Engine, wake: Callable[[], None], retry_seconds: float) -> None:
        self.engine = engine
        self.wake = wake
        self.retry_seconds = retry_seconds
        self.listening = threading.Event()
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    def start(self) -> None:
        """Begin listening (returns at once; ``listening`` is set once subscribed)."""
        self._stop.clear()
        self._thread = threading.Thread(target=self._run, name="openvoucher-listen", daemon=True)
        self._thread.start()

    def stop(self, timeout: float = 2.0) -> None:
        """Stop listening and drop the connection."""
        self._stop.set()
        if self._thread is not None:
            self._thread.join(timeout)

    def _run(self) -> None:
        while not self._stop.is_set():
            try:
                self._listen()
            except Exception:
                log.exception("listening for commits failed (polling meanwhile)")
                self._stop.wait(self.retry_seconds)

    def _listen(self) -> None:
        conn = self.engine.connect().execution_options(isolation_level="AUTOCOMMIT")
        try:
            relay_signals.listen(conn)
            self.listening.set()
            while not self._stop.is_set():
                if relay_signals.heard(conn, timeout=0.5):
                    self.wake()
        finally:
            self.listening.clear()
            webhooks_delivery.discard(conn)  # subscribed: never back to the pool
