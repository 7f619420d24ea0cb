"""A job run every ``interval`` seconds on a background thread, on the injected clock's time.

The loyalty jobs (points expiration, pending points activation) run this way inside ``serve``
and ``worker``; time travel (``platform.dev_clock``) pauses a worker and runs the job itself.
"""

from __future__ import annotations

import asyncio
import logging
import threading
from collections.abc import Collection, Iterator
from contextlib import contextmanager
from datetime import datetime
from typing import Protocol

from openvoucher.kernel.clock import Clock
from openvoucher.kernel.unit_of_work import UnitOfWork

log = logging.getLogger("openvoucher.loyalty")


class DueWork(Protocol):
    """Does what is due at ``now`` in one project, or in all projects but ``exclude``."""

    def __call__(
        self, uow: UnitOfWork, project_id: str | None, now: datetime, *, exclude: Collection[str]
    ) -> int: ...


def in_every_project(uow: UnitOfWork, now: datetime, work: DueWork) -> int:
    """``work`` at ``now`` in every project, or at a project's own time when its dev clock is
    its own (time travel per project); how many items it handled."""
    shifted = uow.times.shifted() if uow.times is not None else {}
    total = work(uow, None, now, exclude=shifted)
    for project_id, own_now in shifted.items():
        total += work(uow, project_id, own_now, exclude=())
    return total


class PeriodicJob:
    """Runs :meth:`job` every ``interval`` seconds; subclasses name the job and its log lines."""

    thread_name = "periodic-job"
    done = "did %d items"
    failed = "periodic job failed"

    def __init__(self, uow: UnitOfWork, clock: Clock, interval: float = 60.0) -> None:
        self.uow = uow
        self.clock = clock
        self.interval = interval
        self._stop = threading.Event()
        self._idle = threading.Lock()
        self._thread: threading.Thread | None = None

    def job(self, now: datetime) -> int:
        """One pass at ``now``; how many items it handled."""
        raise NotImplementedError

    async def start(self) -> None:
        """Start the background thread."""
        self._stop.clear()
        self._thread = threading.Thread(target=self._loop, name=self.thread_name, daemon=True)
        self._thread.start()

    async def stop(self) -> None:
        """Stop after the current pass."""
        self._stop.set()
        if self._thread is not None:
            await asyncio.to_thread(self._thread.join, 30)

    @contextmanager
    def paused(self) -> Iterator[None]:
        """Hold the worker off (a clock move runs the job itself)."""
        with self._idle:
            yield

    def run_once(self) -> int:
        """One pass at the clock's current time."""
        with self._idle:
            return self.job(self.clock.now())

    def _loop(self) -> None:
        while not self._stop.wait(self.interval):
            try:
                handled = self.run_once()
                if handled:
                    log.info(self.done, handled)
            except Exception:
                log.exception(self.failed)
