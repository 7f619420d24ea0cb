"""JSON encoding that cannot fail on what is stored (docs/adr/0025-input-limits.md).

The edge refuses bodies nested deeper than ``api.limits.MAX_DEPTH``; records stored before
that limit (or written by other means) may still be deeper than orjson encodes (254 levels)
or hold integers beyond 64 bits. :func:`dumps` encodes them anyway: containers below
:data:`RENDER_DEPTH` levels become ``null``, out-of-range integers and values orjson does not
know become strings, so a read or a list that contains such a record still answers.
"""

from __future__ import annotations

from typing import Any

import orjson

RENDER_DEPTH = 64
"""Levels of nesting rendered for a record orjson cannot encode as it is."""

INT_LIMIT = 2**64
"""orjson encodes integers in [-2**63, 2**64)."""


_encode = orjson.dumps
"""The first attempt (a name of its own, so a test can make it fail)."""


def dumps(value: Any) -> bytes:
    """``orjson.dumps(value)``; on failure, the bounded copy of ``value`` encoded, anything
    orjson cannot encode as its text: a committed change is never answered with a 500 because
    its response could not be encoded."""
    try:
        return _encode(value)
    except TypeError:  # orjson.JSONEncodeError is one
        return orjson.dumps(bounded(value, RENDER_DEPTH), default=str)


def bounded(value: Any, depth: int) -> Any:
    """``value`` with containers below ``depth`` levels cut to ``null`` (iterative enough:
    recursion stops at ``depth``)."""
    if isinstance(value, dict):
        if depth <= 0:
            return None
        return {str(k): bounded(v, depth - 1) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        if depth <= 0:
            return None
        return [bounded(v, depth - 1) for v in value]
    if isinstance(value, int) and not isinstance(value, bool):
        return value if -(2**63) <= value < INT_LIMIT else str(value)
    return value
