"""The relay: outbox → sendouts → attempts, as an asyncio task.

Woken right after a commit that emitted events (``uow.after_commit``), and otherwise when the
next retry falls due or the poll interval passes. Database work runs in threads; HTTP runs on
one pooled client, at most ``per_channel`` requests per endpoint, so a dead endpoint only
holds its own slots.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections import Counter
from dataclasses import dataclass

from openvoucher.config import Settings
from openvoucher.services import webhook_delivery as delivery
from openvoucher.services.failure_injection import FailureInjector
from openvoucher.services.unit_of_work import UnitOfWork
from openvoucher.webhooks import dispatcher
from openvoucher.webhooks.dispatcher import Job, Outcome
from openvoucher.webhooks.transport import Transport

log = logging.getLogger("openvoucher.webhooks")


@dataclass(frozen=True)
class RelayOptions:
    """Tuning knobs of one relay."""

    poll_interval: float = 1.0
    per_channel: int = 8
    max_in_flight: int = 64
    coalesce_seconds: float = 0.003
    stop_grace: float = 5.0


class Relay:
    """Delivers webhooks until stopped; several may run against one PostgreSQL database."""

    def __init__(
        self,
        uow: UnitOfWork,
        settings: Settings,
        options: RelayOptions | None = None,
        transport: Transport | None = None,
        faults: FailureInjector | None = None,
    ) -> None:
        self.uow = uow
        self.faults = faults or FailureInjector()  # plans are set only by the dev API
        self.settings = settings
        self.options = options or RelayOptions()
        self._transport = transport
        self._in_flight: Counter[str] = Counter()
        self._tasks: set[asyncio.Task[None]] = set()
        self._finished: list[tuple[Job, Outcome]] = []
        self._loop: asyncio.AbstractEventLoop | None = None
        self._wakeup = asyncio.Event()
        self._runner: asyncio.Task[None] | None = None
        self._stopping = False

    @property
    def lease_seconds(self) -> float:
        """How long a claim holds: the request deadline twice over, plus a second."""
        return 2 * self.settings.webhook_timeout_seconds + 1

    async def start(self) -> None:
        """Begin relaying in the running event loop."""
        self._loop = asyncio.get_running_loop()
        self._wakeup = asyncio.Event()
        self._stopping = False
        if self._transport is None:
            self._transport = Transport(self.settings.webhook_timeout_seconds)
        self.uow.after_commit.append(self.wake)
        self._runner = asyncio.create_task(self._run(), name="openvoucher-relay")

    async def stop(self) -> None:
        """Stop claiming; let attempts in flight finish for a moment, then release everything."""
        with contextlib.suppress(ValueError):
            self.uow.after_commit.remove(self.wake)
        self._stopping = True
        self._wakeup.set()
        if self._runner is not None:
            await self._runner
        if self._tasks:
            _done, pending = await asyncio.wait(self._tasks, timeout=self.options.stop_grace)
            for task in pending:
                task.cancel()
        if self._finished:
            await self._flush()
        if self._transport is not None:
            await self._transport.close()

    def wake(self) -> None:
        """Ask for a cycle now; safe to call from any thread."""
        loop = self._loop
        if loop is not None and not loop.is_closed():
            with contextlib.suppress(RuntimeError):
                loop.call_soon_threadsafe(self._wakeup.set)

    async def _run(self) -> None:
        while not self._stopping:
            if self._tasks:
                # Busy: let a few more attempts finish, so one transaction records them all.
                await asyncio.sleep(self.options.coalesce_seconds)
            self._wakeup.clear()
            try:
                delay = await self._tick()
            except Exception:
                log.exception("relay cycle failed")
                delay = self.options.poll_interval
            if delay > 0 and not self._stopping:
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(self._wakeup.wait(), delay)

    async def _tick(self) -> float:
        """One cycle; returns how long to wait before the next one."""
        finished = self._take_finished()
        room = self.options.max_in_flight - len(self._tasks)
        capacity = delivery.Capacity(
            limit=max(room, 0),
            per_channel=self.options.per_channel,
            in_flight=dict(self._in_flight),
            lease_seconds=self.lease_seconds,
        )
        schedule = self.settings.webhook_retry_schedule
        try:
            found = await asyncio.to_thread(delivery.cycle, self.uow, capacity, finished, schedule)
        except BaseException:
            self._finished.extend(finished)  # nothing was recorded: try again next cycle
            raise
        for job in found.jobs:
            self._spawn(job)
        if room > 0 and (len(found.jobs) == room or found.fanned_out >= delivery.FAN_OUT_LIMIT):
            return 0.0
        return self._until(found)

    def _take_finished(self) -> list[tuple[Job, Outcome]]:
        finished, self._finished = self._finished, []
        for job, _outcome in finished:
            self._in_flight[job.channel] -= 1
            if self._in_flight[job.channel] <= 0:
                del self._in_flight[job.channel]
        return finished

    async def _flush(self) -> None:
        """Record what finished while stopping; claim and fan out nothing."""
        finished = self._take_finished()
        idle = delivery.Capacity(limit=0, per_channel=self.options.per_channel)
        schedule = self.settings.webhook_retry_schedule
        await asyncio.to_thread(delivery.cycle, self.uow, idle, finished, schedule, fan_out_limit=0)

    def _until(self, found: delivery.Cycle) -> float:
        poll = self.options.poll_interval
        if found.next_due is None:
            return poll
        wait = (found.next_due - self.uow.clock.now()).total_seconds()
        return poll if wait <= 0 else min(wait, poll)

    def _spawn(self, job: Job) -> None:
        self._in_flight[job.channel] += 1
        task = asyncio.create_task(self._deliver(job))
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    async def _deliver(self, job: Job) -> None:
        assert self._transport is not None
        try:
            outcome = await dispatcher.attempt(
                job, self._transport, self.uow.clock.now(), self.faults
            )
        except Exception:
            log.exception("webhook attempt %s crashed", job.sendout_id)
            outcome = Outcome(self.uow.clock.now(), 0, None, None, "attempt crashed")
        # The next cycle records it (many outcomes per transaction) and frees the slot.
        self._finished.append((job, outcome))
        self._wakeup.set()
