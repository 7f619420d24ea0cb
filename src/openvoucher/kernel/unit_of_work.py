"""The unit of work: one database transaction per command, with its events in the outbox.

This module holds what use cases see: the transaction (``Tx``) and the ``UnitOfWork`` protocol.
The SQL implementation is ``adapters.db.unit_of_work.SqlUnitOfWork``, built by ``bootstrap``.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from contextlib import AbstractContextManager
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Protocol, TypeVar, runtime_checkable

from sqlalchemy import Connection, Engine

from openvoucher.kernel.clock import Clock
from openvoucher.kernel.events import DomainEvent, Event
from openvoucher.kernel.idempotency_records import IdempotencyRecords

T = TypeVar("T")
Reaction = Callable[["Tx", Any], None]
"""A handler of one type of domain event: ``(tx, event)``, run inside the transaction."""
ReactionTable = Mapping[type[DomainEvent], Sequence[Reaction]]
"""Domain event type → its handlers, in order (``bootstrap.reaction_table``)."""


@runtime_checkable
class ProjectTimes(Protocol):
    """A clock with per-project time (dev features: ``adapters.clock.ProjectClocks``)."""

    def now(self) -> datetime:
        """The base time (projects without their own time follow it)."""
        ...

    def now_for(self, project_id: str) -> datetime:
        """A project's current instant."""
        ...

    def shifted(self) -> dict[str, datetime]:
        """The projects with their own time, and their current instants."""
        ...


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
    """Per-transaction cache (see ``catalog.tx_cache``); dropped with the transaction."""
    times: ProjectTimes | None = None
    """Per-project time (dev features), for work that spans projects (the relay)."""
    reactions: ReactionTable = field(default_factory=dict)
    """The handlers of domain events (the unit of work's table)."""
    idempotency: IdempotencyRecords | None = None
    """Where ``kernel.idempotency.once`` keeps its keys (the unit of work's store)."""

    def now_for(self, project_id: str) -> datetime:
        """``project_id``'s time in this transaction (``now`` unless its clock is its own)."""
        if project_id == self.project_id or self.times is None:
            return self.now
        key = ("now_for", project_id)
        if key not in self.memo:
            self.memo[key] = self.times.now_for(project_id)
        found: datetime = self.memo[key]
        return found

    def shifted(self) -> dict[str, datetime]:
        """Projects whose clock is their own, with their instants (empty in production)."""
        if self.times is None:
            return {}
        key = ("shifted",)
        if key not in self.memo:
            self.memo[key] = self.times.shifted()
        found: dict[str, datetime] = self.memo[key]
        return found

    def emit(self, event: Event) -> None:
        """Record ``event``; it reaches the outbox only if the transaction commits."""
        self.events.append(event)

    def dispatch(self, event: DomainEvent) -> None:
        """Run the handlers of ``event`` now, in this transaction (other contexts' reactions)."""
        for handler in self.reactions.get(type(event), ()):
            handler(self, event)

    def wake_relay(self) -> None:
        """Run the after-commit hooks even without events (e.g. a sendout made due again)."""
        self.wake = True


class HotSnapshots(Protocol):
    """Hot reads (SQLite files; ``adapters.db.hot``): ``reads`` runs on one snapshot, without
    a transaction or a thread hop, and the result is None when the snapshot cannot answer."""

    def snapshot(self, reads: Callable[[Any], T], *, single: bool = False) -> T | None:
        """``reads(reader)`` on one snapshot, or None."""
        ...


class UnitOfWork(Protocol):
    """Opens transactions; a clean exit commits state and outbox rows together."""

    engine: Engine
    clock: Clock
    base_url: str
    times: ProjectTimes | None
    """Per-project time (dev features); None: one time for every project."""
    after_commit: list[Callable[[], None]]
    """Hooks run after a commit with events or a wake-up (the relay's signal)."""
    after_wake: list[Callable[[], None]]
    """Hooks run after a commit that asked for them (``tx.wake_relay()``)."""

    @property
    def hot(self) -> HotSnapshots | None:
        """Hot reads for the event loop; None where the database offers none (PostgreSQL)."""
        ...

    def write(
        self, project_id: str, *, conn: Connection | None = None
    ) -> AbstractContextManager[Tx]:
        """A write transaction that commits on a clean exit (on ``conn`` when given); a
        unique-constraint violation becomes ``duplicate_found``."""
        ...

    def read(self, project_id: str) -> AbstractContextManager[Tx]:
        """A read-only transaction; emitting events there is a programming error."""
        ...

    def write_connection(self) -> Connection:
        """A new connection for write transactions (the caller closes it)."""
        ...

    def now_for(self, project_id: str) -> datetime:
        """``project_id``'s time."""
        ...


def customer_of(event: Event) -> str | None:
    """The id of the customer an event is about, for customer activity."""
    for key in ("customer", "holder"):
        found = event.data.get(key)
        if isinstance(found, dict) and isinstance(found.get("id"), str):
            return str(found["id"])
    return None
