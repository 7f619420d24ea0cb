"""A relay commit lost in a crash (asynchronous commit on PostgreSQL) is redone harmlessly."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import ExitStack
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import delete, select, text, update

from openvoucher.adapters.db.repositories import webhooks_delivery as repo
from openvoucher.adapters.db.schema.outbox import outbox_events
from openvoucher.adapters.db.schema.webhooks import webhook_sendouts
from openvoucher.bootstrap import build
from openvoucher.config import Settings
from openvoucher.services import customers, webhooks
from openvoucher.services import webhook_delivery as delivery
from tests.support.databases import postgres_base_url, postgres_database, sqlite_database

CAPACITY = delivery.Capacity(limit=16, per_channel=8)


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def container(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Any]:
    """A container on a database of its own, relay not running (the test drives cycles)."""
    with ExitStack() as stack:
        if request.param == "sqlite":
            url = stack.enter_context(sqlite_database(tmp_path))
        else:
            base = postgres_base_url()
            if base is None:
                pytest.skip("needs OPENVOUCHER_TEST_POSTGRES_URL")
            url = stack.enter_context(postgres_database(base))
        built = build(Settings(database_url=url, run_relay=False))
        yield built
        built.engine.dispose()


def _forget_fan_out(container: Any) -> None:
    """The state after the relay's fan-out commit was lost: event pending, no sendouts."""
    with container.engine.begin() as conn:
        conn.execute(delete(webhook_sendouts))
        conn.execute(update(outbox_events).values(dispatched_at=None))


def test_fan_out_redone_after_lost_commit_keeps_sendout_ids(container: Any) -> None:
    """Fanning one event out again gives every endpoint the same whs_ id as the first time."""
    project_id = container.default_project["id"]
    for url in ("http://127.0.0.1:9/a", "http://127.0.0.1:9/b"):
        webhooks.create(container.uow, project_id, {"target_url": url, "events": []})
    customers.create(container.uow, project_id, {"name": "Ada"})
    first = delivery.cycle(container.uow, CAPACITY)
    _forget_fan_out(container)
    again = delivery.cycle(container.uow, CAPACITY)
    assert first.fanned_out == again.fanned_out == 1
    assert len(first.jobs) == 2
    assert sorted(job.sendout_id for job in again.jobs) == sorted(j.sendout_id for j in first.jobs)
    with container.engine.connect() as conn:
        pending = conn.execute(
            select(outbox_events.c.id).where(outbox_events.c.dispatched_at.is_(None))
        )
        assert pending.all() == []


def test_sendout_id_is_derived_from_event_and_channel() -> None:
    """The id is stable per (event, channel), differs across either, and keeps the whs_ shape."""
    one = delivery.sendout_id_for("evt_a", "wh_1")
    assert one == delivery.sendout_id_for("evt_a", "wh_1")
    assert one != delivery.sendout_id_for("evt_a", "wh_2")
    assert one != delivery.sendout_id_for("evt_b", "wh_1")
    assert one.startswith("whs_")
    assert len(one) == 28
    assert one[4:].isalnum()


@pytest.mark.postgres
def test_relaxed_durability_is_local_to_the_relay_transaction(container: Any) -> None:
    """synchronous_commit is off inside the relay's transaction and on again after it."""
    if container.engine.dialect.name != "postgresql":
        pytest.skip("PostgreSQL only")
    with container.engine.connect() as conn:
        with conn.begin():
            repo.relax_durability(conn)
            assert conn.execute(text("SHOW synchronous_commit")).scalar_one() == "off"
        assert conn.execute(text("SHOW synchronous_commit")).scalar_one() == "on"
