"""The C allocator's arenas (docs/adr/0069-soak-memory.md).

glibc's ``malloc`` gives threads that contend for it arenas of their own, up to eight per core.
The server's handler threads, SQLite and the drivers allocate and free through it from many
threads, and each arena keeps its freed blocks: under long mixed load the free space scattered
over the arenas grows while the memory in use stays flat (a soak on SQLite: +24 MiB free in
malloc after 4 minutes with glibc's default, +5 MiB with two arenas). ``openvoucher serve``
therefore caps the arenas at :data:`DEFAULT_ARENAS` (``OPENVOUCHER_MALLOC_ARENAS``; ``0``
leaves glibc's default; an explicit ``MALLOC_ARENA_MAX`` in the environment wins), for itself
with ``mallopt`` and for its worker processes through ``MALLOC_ARENA_MAX``.
"""

from __future__ import annotations

import ctypes
import os
from collections.abc import MutableMapping

DEFAULT_ARENAS = 2
M_ARENA_MAX = -8
"""glibc's ``mallopt`` parameter for the most arenas."""


def arenas_wanted(environ: MutableMapping[str, str]) -> int:
    """The arena cap ``environ`` asks for (0: none); ``MALLOC_ARENA_MAX`` wins when set."""
    raw = environ.get("MALLOC_ARENA_MAX") or environ.get("OPENVOUCHER_MALLOC_ARENAS")
    if raw is None or not raw.strip():
        return DEFAULT_ARENAS
    try:
        return max(0, int(raw))
    except ValueError:
        raise ValueError(f"OPENVOUCHER_MALLOC_ARENAS must be an integer, not {raw!r}") from None


def limit_arenas(environ: MutableMapping[str, str] = os.environ) -> int:
    """Cap this process's malloc arenas (and its children's) as ``environ`` asks; the cap
    applied, 0 when none is (asked for none, or not glibc)."""
    count = arenas_wanted(environ)
    if count <= 0:
        return 0
    try:
        mallopt = ctypes.CDLL(None).mallopt
    except (OSError, AttributeError):
        return 0
    if not mallopt(M_ARENA_MAX, count):
        return 0
    environ["MALLOC_ARENA_MAX"] = str(count)
    return count
