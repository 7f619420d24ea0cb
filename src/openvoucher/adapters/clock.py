"""Clock implementations: the system clock and a controllable one for tests and time travel."""

from __future__ import annotations

import threading
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from openvoucher.kernel.clock import Clock, ensure_utc


class SystemClock:
    """Real time, UTC."""

    def now(self) -> datetime:
        """Return the wall-clock time in UTC."""
        return datetime.now(UTC)


class ControllableClock:
    """A clock that follows real time from an offset, or stays frozen; it can be moved."""

    def __init__(self, start: datetime | None = None, *, frozen: bool = False) -> None:
        self._lock = threading.Lock()
        self._offset = timedelta(0)
        self._frozen_at: datetime | None = None
        if start is not None:
            self.set(start)
        if frozen:
            self.freeze()

    def now(self) -> datetime:
        """Return the clock's current instant."""
        with self._lock:
            if self._frozen_at is not None:
                return self._frozen_at
            return datetime.now(UTC) + self._offset

    @property
    def frozen(self) -> bool:
        """True while the clock stands still."""
        with self._lock:
            return self._frozen_at is not None

    def set(self, instant: datetime) -> None:
        """Jump to ``instant`` (keeps frozen/running state)."""
        instant = ensure_utc(instant)
        with self._lock:
            if self._frozen_at is not None:
                self._frozen_at = instant
            else:
                self._offset = instant - datetime.now(UTC)

    def advance(self, delta: timedelta) -> None:
        """Move the clock forward by ``delta``."""
        self.set(self.now() + delta)

    def freeze(self) -> None:
        """Stop the clock at its current instant."""
        current = self.now()
        with self._lock:
            self._frozen_at = current

    def unfreeze(self) -> None:
        """Let the clock run again from where it stands."""
        current = self.now()
        with self._lock:
            self._frozen_at = None
            self._offset = current - datetime.now(UTC)


@dataclass(frozen=True)
class ProjectTime:
    """A project's own time: an offset from the base clock, or an instant it stands at."""

    offset: timedelta = timedelta(0)
    frozen_at: datetime | None = None


class ProjectClocks:
    """Per-project time on top of a base clock (dev features: time travel per project).

    A project without its own setting follows the base clock. ``now()`` is the base clock's
    time (what the relay's and runners' own bookkeeping use); ``now_for`` a project's.
    """

    def __init__(self, base: Clock) -> None:
        self.base = base
        self._lock = threading.Lock()
        self._own: dict[str, ProjectTime] = {}

    def now(self) -> datetime:
        """The base clock's time."""
        return self.base.now()

    def now_for(self, project_id: str) -> datetime:
        """``project_id``'s current instant."""
        with self._lock:
            own = self._own.get(project_id)
        if own is None:
            return self.base.now()
        return own.frozen_at if own.frozen_at is not None else self.base.now() + own.offset

    def shifted(self) -> dict[str, datetime]:
        """Every project with its own time, and its current instant."""
        with self._lock:
            projects = list(self._own)
        return {project_id: self.now_for(project_id) for project_id in projects}

    def state(self, project_id: str) -> ProjectTime | None:
        """The project's own setting, or None when it follows the base clock."""
        with self._lock:
            return self._own.get(project_id)

    def frozen(self, project_id: str) -> bool:
        """True while the project's time stands still."""
        own = self.state(project_id)
        return own is not None and own.frozen_at is not None

    def load(self, states: dict[str, ProjectTime]) -> None:
        """Take the persisted settings (at start-up)."""
        with self._lock:
            self._own = dict(states)

    def set(self, project_id: str, instant: datetime) -> None:
        """Move the project to ``instant`` (keeps frozen/running state)."""
        instant = ensure_utc(instant)
        own = self.state(project_id)
        if own is not None and own.frozen_at is not None:
            self._put(project_id, ProjectTime(frozen_at=instant))
        else:
            self._put(project_id, ProjectTime(offset=instant - self.base.now()))

    def freeze(self, project_id: str) -> None:
        """Stop the project's time at its current instant."""
        self._put(project_id, ProjectTime(frozen_at=self.now_for(project_id)))

    def unfreeze(self, project_id: str) -> None:
        """Let the project's time run again from where it stands."""
        offset = self.now_for(project_id) - self.base.now()
        self._put(project_id, ProjectTime(offset=offset))

    def reset(self, project_id: str) -> None:
        """Let the project follow the base clock again (real time, running)."""
        with self._lock:
            self._own.pop(project_id, None)

    def _put(self, project_id: str, time: ProjectTime) -> None:
        with self._lock:
            self._own[project_id] = time
