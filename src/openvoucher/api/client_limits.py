"""Rate limits for client-side keys (docs/compat/limits.md, docs/adr/0027-client-side-keys.md).

A client key is public (it ships in a shop's front-end), so its requests are limited per key
and ``Origin``: a token bucket of ``OPENVOUCHER_CLIENT_RATE_LIMIT`` requests a minute (default
:data:`DEFAULT_PER_MINUTE`, bursts up to the same number), and all origins of one key together
to :data:`KEY_FACTOR` times that (rotating ``Origin`` headers gains nothing beyond it). Over
the limit: 429 ``too_many_requests`` with ``Retry-After``. Server-side keys are not limited.
Buckets live in the server process (one per worker process); at most :data:`MAX_BUCKETS` are
kept, the least recently used dropped first.
"""

from __future__ import annotations

import math
import threading
import time
from collections import OrderedDict
from collections.abc import Callable, Mapping

from openvoucher.kernel.errors import VoucherifyError

DEFAULT_PER_MINUTE = 600
KEY_FACTOR = 10
MAX_BUCKETS = 10_000


class _Bucket:
    __slots__ = ("at", "tokens")

    def __init__(self, tokens: float, at: float) -> None:
        self.tokens = tokens
        self.at = at


class ClientRateLimiter:
    """Token buckets per (client key, origin) and per client key."""

    def __init__(self, per_minute: int, clock: Callable[[], float] = time.monotonic) -> None:
        self.per_minute = per_minute
        self.clock = clock
        self._lock = threading.Lock()
        self._buckets: OrderedDict[tuple[str, str], _Bucket] = OrderedDict()

    def check(self, headers: Mapping[str, str]) -> None:
        """Raise 429 when the request's key (or key and origin) is over its limit."""
        if self.per_minute <= 0:
            return
        key = headers.get("x-client-application-id") or headers.get("authorization") or ""
        origin = headers.get("origin") or ""
        with self._lock:
            wait = max(
                self._take((key, "\x00all"), self.per_minute * KEY_FACTOR),
                self._take((key, origin), self.per_minute),
            )
        if wait > 0:
            raise too_many(wait)

    def _take(self, name: tuple[str, str], capacity: int) -> float:
        """Take a token; 0, or the seconds until one is back."""
        now = self.clock()
        bucket = self._buckets.pop(name, None) or _Bucket(float(capacity), now)
        bucket.tokens = min(capacity, bucket.tokens + (now - bucket.at) * capacity / 60)
        bucket.at = now
        self._buckets[name] = bucket
        if len(self._buckets) > MAX_BUCKETS:
            self._buckets.popitem(last=False)
        if bucket.tokens >= 1:
            bucket.tokens -= 1
            return 0.0
        return (1 - bucket.tokens) * 60 / capacity


def too_many(wait: float) -> VoucherifyError:
    """429 ``too_many_requests``; ``retry_after`` (seconds) also goes out as ``Retry-After``."""
    seconds = max(1, math.ceil(wait))
    return VoucherifyError(
        "Too many requests",
        f"Client-side key rate limit reached; retry in {seconds} s "
        "(OPENVOUCHER_CLIENT_RATE_LIMIT sets the requests per minute per key and origin)",
        key="too_many_requests",
        status=429,
        extra={"retry_after": seconds},
    )
