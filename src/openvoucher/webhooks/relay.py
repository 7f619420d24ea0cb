"""The relay: outbox → sendouts → attempts, as an asyncio task.

Woken right after a commit that emitted events (``uow.after_commit``), on PostgreSQL also by
commits in other processes (``webhooks.wakeup``), and otherwise when the next retry falls due
or the poll interval passes. Database work runs in threads on the relay's own connection
(``webhook_delivery.RelayConnection``); HTTP runs on one pooled client, at most
``per_channel`` requests per endpoint, so a dead endpoint only holds its own slots.

A cycle claims up to ``queue_depth`` sendouts per channel beyond those in flight and keeps them in
a local queue: when an attempt finishes, the next one of its channel starts at once, without a
database round trip, and outcomes are recorded in batches (every ``record_batch`` outcomes,
when the relay falls idle, or after ``record_interval``). The lease (twice the request
deadline plus a second) covers a queued sendout's wait for a slot plus its own attempt; one
that would outlive its lease is not sent but released.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
from collections import Counter, deque
from dataclasses import dataclass

from openvoucher.config import Settings
from openvoucher.kernel.unit_of_work import UnitOfWork
from openvoucher.logs import Tally
from openvoucher.webhooks import delivery, dispatcher, wakeup
from openvoucher.webhooks.dispatcher import Job, Outcome
from openvoucher.webhooks.transport import Transport

log = logging.getLogger("openvoucher.webhooks")


@dataclass(frozen=True)
class RelayOptions:
    """Tuning knobs of one relay."""

    poll_interval: float = 1.0
    per_channel: int = 8
    max_in_flight: int = 64
    prefetch: int | None = None  # sendouts queued per channel beyond those in flight
    record_batch: int = 16
    record_interval: float = 0.02
    stop_grace: float = 5.0
    listen: bool = True  # PostgreSQL: woken by commits in other processes (LISTEN/NOTIFY)

    @property
    def queue_depth(self) -> int:
        """Claimed but not yet started sendouts a channel may hold (default: 2 x per_channel)."""
        return 2 * self.per_channel if self.prefetch is None else self.prefetch


class Relay:
    """Delivers webhooks until stopped; several may run against one PostgreSQL database."""

    def __init__(
        self,
        uow: UnitOfWork,
        settings: Settings,
        options: RelayOptions | None = None,
        transport: Transport | None = None,
    ) -> None:
        self.uow = uow
        self.faults: dispatcher.Faults | None = None  # failure injection (dev API only)
        self.settings = settings
        self.options = options or RelayOptions()
        self._transport = transport
        self._in_flight: Counter[str] = Counter()
        self._queued: dict[str, deque[tuple[float, Job]]] = {}
        self._released: list[Job] = []
        self._tasks: set[asyncio.Task[None]] = set()
        self._finished: list[tuple[Job, Outcome]] = []
        self._loop: asyncio.AbstractEventLoop | None = None
        self._wakeup = asyncio.Event()
        self._runner: asyncio.Task[None] | None = None
        self._stopping = False
        self._connection = delivery.RelayConnection(uow)
        self._listener: wakeup.CommitListener | None = None
        self.tally = Tally(log, "relay delivered webhooks")
        """Counts of what the relay did, logged every few seconds while it is busy."""

    @property
    def lease_seconds(self) -> float:
        """How long a claim holds: the request deadline twice over, plus a second."""
        return 2 * self.settings.webhook_timeout_seconds + 1

    @property
    def alive(self) -> bool:
        """Whether the relay's loop is running (``/health/ready``)."""
        return self._runner is not None and not self._runner.done()

    async def start(self) -> None:
        """Begin relaying in the running event loop."""
        self._loop = asyncio.get_running_loop()
        self._wakeup = asyncio.Event()
        self._stopping = False
        if self._transport is None:
            self._transport = Transport(self.settings.webhook_timeout_seconds)
        self.uow.after_commit.append(self.wake)
        if self.options.listen and wakeup.available(self.uow.engine):
            poll = self.options.poll_interval
            self._listener = wakeup.CommitListener(self.uow.engine, self.wake, poll)
            self._listener.start()
        self._runner = asyncio.create_task(self._run(), name="openvoucher-relay")

    async def stop(self) -> None:
        """Stop claiming; let attempts in flight finish for a moment, then release everything."""
        with contextlib.suppress(ValueError):
            self.uow.after_commit.remove(self.wake)
        if self._listener is not None:
            await asyncio.to_thread(self._listener.stop)
        self._stopping = True
        self._wakeup.set()
        if self._runner is not None:
            await self._runner
        for queue in self._queued.values():
            self._released.extend(job for _deadline, job in queue)
        self._queued.clear()
        if self._tasks:
            _done, pending = await asyncio.wait(self._tasks, timeout=self.options.stop_grace)
            for task in pending:
                task.cancel()
        try:
            if self._finished or self._released:
                await self._flush()
        finally:
            await asyncio.to_thread(self._connection.close)
            if self._transport is not None:
                await self._transport.close()
            self.tally.flush()

    def wake(self) -> None:
        """Ask for a cycle now; safe to call from any thread."""
        loop = self._loop
        if loop is not None and not loop.is_closed():
            with contextlib.suppress(RuntimeError):
                loop.call_soon_threadsafe(self._wakeup.set)

    async def _run(self) -> None:
        while not self._stopping:
            self._wakeup.clear()
            try:
                delay = await self._tick()
            except Exception:
                log.exception("relay cycle failed")
                delay = self.options.poll_interval
            if self._finished or self._released:
                delay = min(delay, self.options.record_interval)
            if delay > 0 and not self._stopping:
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(self._wakeup.wait(), delay)

    async def _tick(self) -> float:
        """One cycle; returns how long to wait before the next one."""
        finished, released = self._finished, self._released
        self._finished, self._released = [], []
        held = self._held()
        room = 2 * self.options.max_in_flight - sum(held.values())
        capacity = delivery.Capacity(
            limit=max(room, 0),
            per_channel=self.options.per_channel + self.options.queue_depth,
            in_flight=held,
            lease_seconds=self.lease_seconds,
        )
        claimed_at = time.monotonic()  # no later than the lease's start in the database
        try:
            found = await asyncio.to_thread(
                delivery.cycle,
                self.uow,
                capacity,
                finished,
                self.settings.webhook_retry_schedule,
                released=released,
                via=self._connection,
            )
        except BaseException:
            # Nothing was recorded: try again next cycle.
            self._finished.extend(finished)
            self._released.extend(released)
            raise
        self._enqueue(found.jobs, claimed_at + self.lease_seconds)
        delivered = sum(1 for _job, outcome in finished if outcome.delivered)
        self.tally.add(
            fanned_out=found.fanned_out,
            claimed=len(found.jobs),
            delivered=delivered,
            failed_attempts=len(finished) - delivered,
            released=len(released),
        )
        if room > 0 and (len(found.jobs) == room or found.fanned_out >= delivery.FAN_OUT_LIMIT):
            return 0.0
        return self._until(found)

    def _held(self) -> dict[str, int]:
        """Sendouts this relay holds per channel: in flight plus queued."""
        held = dict(self._in_flight)
        for channel, queue in self._queued.items():
            held[channel] = held.get(channel, 0) + len(queue)
        return {channel: n for channel, n in held.items() if n > 0}

    def _enqueue(self, jobs: list[Job], deadline: float) -> None:
        """Queue claimed jobs (leased until ``deadline``, monotonic) by channel and start what
        the channels' slots allow."""
        channels = set()
        for job in jobs:
            self._queued.setdefault(job.channel, deque()).append((deadline, job))
            channels.add(job.channel)
        for channel in channels:
            self._pump(channel)

    def _pump(self, channel: str) -> None:
        """Start queued attempts of ``channel`` while it has free slots."""
        queue = self._queued.get(channel)
        timeout = self.settings.webhook_timeout_seconds
        while (
            queue
            and not self._stopping
            and self._in_flight[channel] < self.options.per_channel
            and len(self._tasks) < self.options.max_in_flight
        ):
            deadline, job = queue.popleft()
            if deadline - time.monotonic() < timeout + 0.5:
                self._released.append(job)  # it could outlive its lease: leave it to a cycle
                continue
            self._in_flight[channel] += 1
            task = asyncio.create_task(self._deliver(job))
            self._tasks.add(task)
            task.add_done_callback(self._tasks.discard)
        if not queue:
            self._queued.pop(channel, None)

    async def _flush(self) -> None:
        """Record what finished while stopping and release unsent claims; claim nothing."""
        finished, released = self._finished, self._released
        self._finished, self._released = [], []
        idle = delivery.Capacity(limit=0, per_channel=self.options.per_channel)
        await asyncio.to_thread(
            delivery.cycle,
            self.uow,
            idle,
            finished,
            self.settings.webhook_retry_schedule,
            fan_out_limit=0,
            released=released,
            want_next_due=False,
            via=self._connection,
        )

    def _until(self, found: delivery.Cycle) -> float:
        poll = self.options.poll_interval
        if found.next_due is None:
            return poll
        wait = (found.next_due - self.uow.clock.now()).total_seconds()
        return poll if wait <= 0 else min(wait, poll)

    async def _deliver(self, job: Job) -> None:
        assert self._transport is not None
        try:
            now = self.uow.now_for(job.project_id)  # the project's time (dev clocks)
            outcome = await dispatcher.attempt(job, self._transport, now, self.faults)
        except Exception:
            log.exception("webhook attempt %s crashed", job.sendout_id)
            outcome = Outcome(self.uow.now_for(job.project_id), 0, None, None, "attempt crashed")
        self._finished.append((job, outcome))
        self._in_flight[job.channel] -= 1
        if self._in_flight[job.channel] <= 0:
            del self._in_flight[job.channel]
        self._pump(job.channel)  # the channel's next queued attempt starts now
        # Record in batches; at once when the relay falls idle or a channel's queue runs low
        # (a cycle refills it while the queued rest keeps the channel busy).
        queue = self._queued.get(job.channel)
        if (
            len(self._finished) >= self.options.record_batch
            or not self._in_flight
            or queue is None
            or 2 * len(queue) <= self.options.queue_depth
        ):
            self._wakeup.set()
