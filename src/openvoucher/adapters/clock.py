"""Clock implementations: the system clock and a controllable one for tests and time travel."""

from __future__ import annotations

import threading
from datetime import UTC, datetime, timedelta

from openvoucher.domain.clock import ensure_utc


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
