"""A relay commit lost in a crash (asynchronous commit on PostgreSQL) is redone harmlessly."""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy import delete, select, text, update
from sqlalchemy.exc import DBAPIError

from openvoucher.adapters.db.schema.outbox import outbox_events
from openvoucher.adapters.db.schema.webhooks import webhook_sendouts
from openvoucher.customers import customers
from openvoucher.webhooks import delivery
from openvoucher.webhooks import endpoints as webhooks
from openvoucher.webhooks.fan_out import sendout_id_for
from openvoucher.webhooks.model import EndpointFields
from openvoucher.webhooks.repositories import webhooks_delivery as repo

CAPACITY = delivery.Capacity(limit=16, per_channel=8)


def _forget_fan_out(container: Any) -> None:
    """The state after the relay's fan-out commit was lost: event pending, no sendouts."""
    with container.engine.begin() as conn:
        conn.execute(delete(webhook_sendouts))
        conn.execute(update(outbox_events).values(dispatched_at=None))


def test_fan_out_redone_after_lost_commit_keeps_sendout_ids(container: Any) -> None:
    """Fanning one event out again gives every endpoint the same whs_ id as the first time."""
    project_id = container.default_project["id"]
    for url in ("http://127.0.0.1:9/a", "http://127.0.0.1:9/b"):
        webhooks.create(container.uow, project_id, EndpointFields(url, ()))
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
    one = sendout_id_for("evt_a", "wh_1")
    assert one == sendout_id_for("evt_a", "wh_1")
    assert one != sendout_id_for("evt_a", "wh_2")
    assert one != sendout_id_for("evt_b", "wh_1")
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


@pytest.mark.postgres
def test_relay_connection_keeps_asynchronous_commit_to_itself(container: Any) -> None:
    """The relay's own connection commits asynchronously; once closed, no pooled one does."""
    if container.engine.dialect.name != "postgresql":
        pytest.skip("PostgreSQL only")
    own = delivery.RelayConnection(container.uow)
    with own.write() as tx:
        assert tx.conn.execute(text("SHOW synchronous_commit")).scalar_one() == "off"
        pid = tx.conn.execute(text("SELECT pg_backend_pid()")).scalar_one()
    own.close()
    for _ in range(3):  # the pool hands out what it has; none of it is the relay's session
        with container.engine.connect() as conn:
            assert conn.execute(text("SHOW synchronous_commit")).scalar_one() == "on"
            assert conn.execute(text("SELECT pg_backend_pid()")).scalar_one() != pid


@pytest.mark.postgres
def test_relay_connection_is_replaced_after_its_backend_dies(container: Any) -> None:
    """A cycle on a killed connection fails; the next one runs on a fresh, relaxed connection."""
    if container.engine.dialect.name != "postgresql":
        pytest.skip("PostgreSQL only")
    own = delivery.RelayConnection(container.uow)
    with own.write() as tx:
        pid = tx.conn.execute(text("SELECT pg_backend_pid()")).scalar_one()
    with container.engine.connect() as conn:
        conn.execute(text("SELECT pg_terminate_backend(:pid)"), {"pid": pid})
    with pytest.raises(DBAPIError):
        delivery.cycle(container.uow, CAPACITY, via=own)
    project_id = container.default_project["id"]
    webhooks.create(container.uow, project_id, EndpointFields("http://127.0.0.1:9/a", ()))
    customers.create(container.uow, project_id, {"name": "after the restart"})
    assert len(delivery.cycle(container.uow, CAPACITY, via=own).jobs) == 1
    with own.write() as tx:
        assert tx.conn.execute(text("SHOW synchronous_commit")).scalar_one() == "off"
        assert tx.conn.execute(text("SELECT pg_backend_pid()")).scalar_one() != pid
    own.close()
