"""Every event the suite emitted, checked against its schema with nothing relaxed."""

from __future__ import annotations

import json
import os
from collections import Counter
from typing import Any

import pytest
from sqlalchemy import select

from openvoucher.adapters.db.schema.outbox import outbox_events
from tests.support.server import RunningServer
from tests.support.webhook_spec import strict_data_errors


def emitted(running: RunningServer) -> list[tuple[str, dict[str, Any]]]:
    """Type and data of every event in the server's outbox, oldest first."""
    query = select(outbox_events.c.type, outbox_events.c.data).order_by(outbox_events.c.seq)
    with running.container.engine.connect() as connection:
        return [(row.type, row.data) for row in connection.execute(query)]


def failures(events: list[tuple[str, dict[str, Any]]]) -> dict[str, list[str]]:
    """Each event type whose data failed its schema, with the distinct errors."""
    found: dict[str, set[str]] = {}
    for event_type, data in events:
        try:
            schema_errors = strict_data_errors(event_type, data)
        except KeyError:
            schema_errors = ["(root): no schema for this event type in the webhook spec"]
        for error in schema_errors:
            found.setdefault(event_type, set()).add(error)
    return {k: sorted(v) for k, v in sorted(found.items())}


def check_emitted_events(running: RunningServer) -> None:
    """Fail the session's server teardown when any emitted event is off its schema."""
    events = emitted(running)
    found = failures(events)
    report = os.environ.get("OPENVOUCHER_TEST_EVENT_REPORT")
    if report:
        counts = Counter(t for t, _ in events)
        with open(report, "a", encoding="utf-8") as out:
            json.dump({"counts": counts, "failures": found}, out)
            out.write("\n")
    if found:
        lines = [f"{t}: {e}" for t, errs in found.items() for e in errs[:5]]
        pytest.fail("emitted events off their schema:\n" + "\n".join(lines[:200]))
