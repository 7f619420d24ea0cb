"""Every event the suite emitted, checked against its schema with nothing relaxed.

At the end of each test session the session server's outbox is read and every event's ``data``
is validated against the spec's schema for its type, with required keys and nullability as the
spec has them (``null`` only where the spec says ``nullable`` or Voucherify's own example sends
``null``: ``tests/support/webhook_spec.py``). A failure not listed in
``tests/support/data/event_schema_debt.json`` fails the session (at the teardown of its last
test). That file lists what is known to be short today, as ``type → ["path: keyword", …]``; it
may only shrink: fix an object, then delete its lines. ``OPENVOUCHER_TEST_EVENT_DEBT=write``
rewrites it from a full run (to drop what was fixed; never to add).
``OPENVOUCHER_TEST_EVENT_DUMP=PATH`` appends every emitted event to ``PATH`` (JSON lines), to
study the shapes offline.
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select

from openvoucher.adapters.db import outbox_parts
from openvoucher.adapters.db.schema.outbox import outbox_events
from tests.support.server import RunningServer
from tests.support.webhook_spec import strict_data_errors

DEBT = Path(__file__).resolve().parent / "data" / "event_schema_debt.json"
_SEEN: dict[str, set[str]] = {}
"""Failures of every server of this test process (both backends), for the ``write`` mode."""


def emitted(running: RunningServer) -> list[tuple[str, dict[str, Any]]]:
    """Type and data of every event in the server's outbox, oldest first."""
    o = outbox_events.c
    query = select(o.type, o.data, o.parts).order_by(o.seq)
    with running.container.engine.connect() as connection:
        rows = [dict(row) for row in connection.execute(query).mappings()]
        outbox_parts.expand(connection, rows)
    return [(row["type"], row["data"]) for row in rows]


def failures(events: list[tuple[str, dict[str, Any]]]) -> dict[str, set[str]]:
    """Each event type whose data failed its schema, with the distinct reasons."""
    found: dict[str, set[str]] = {}
    for event_type, data in events:
        try:
            reasons = strict_data_errors(event_type, data)
        except KeyError:
            reasons = ["(root): no schema for this event type in the webhook spec"]
        for reason in reasons:
            found.setdefault(event_type, set()).add(reason)
    return found


def known_debt() -> dict[str, set[str]]:
    """The failures known today (``event_schema_debt.json``)."""
    listed: dict[str, list[str]] = json.loads(DEBT.read_text(encoding="utf-8"))
    return {kind: set(reasons) for kind, reasons in listed.items()}


def new_failures(found: dict[str, set[str]], debt: dict[str, set[str]]) -> list[str]:
    """``type: reason`` for each failure the debt file does not list."""
    return sorted(
        f"{kind}: {reason}"
        for kind, reasons in found.items()
        for reason in reasons - debt.get(kind, set())
    )


def check_emitted_events(running: RunningServer) -> None:
    """Fail the session's server teardown when an emitted event breaks its schema anew."""
    events = emitted(running)
    dump = os.environ.get("OPENVOUCHER_TEST_EVENT_DUMP")
    if dump:
        with Path(dump).open("a", encoding="utf-8") as out:
            for kind, data in events:
                out.write(json.dumps({"type": kind, "data": data}, default=str) + "\n")
    found = failures(events)
    if os.environ.get("OPENVOUCHER_TEST_EVENT_DEBT") == "write":
        for kind, reasons in found.items():
            _SEEN.setdefault(kind, set()).update(reasons)
        DEBT.write_text(
            json.dumps({k: sorted(v) for k, v in sorted(_SEEN.items())}, indent=1) + "\n",
            encoding="utf-8",
        )
        return
    fresh = new_failures(found, known_debt())
    if fresh:
        pytest.fail("emitted events off their schema (fix them):\n" + "\n".join(fresh[:200]))
