"""Fan-out on both databases: leases on insert, the room they respect, and who is subscribed."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from sqlalchemy import select

from openvoucher.adapters.db.schema.webhooks import webhook_sendouts
from openvoucher.customers import customers
from openvoucher.platform import projects
from openvoucher.webhooks import delivery, distributions
from openvoucher.webhooks import endpoints as webhooks
from openvoucher.webhooks.fan_out import sendout_id_for
from openvoucher.webhooks.model import Channel, DistributionFields, EndpointFields

LEASE = 21.0


def _capacity(per_channel: int, held: dict[str, int] | None = None) -> delivery.Capacity:
    return delivery.Capacity(
        limit=64, per_channel=per_channel, in_flight=held or {}, lease_seconds=LEASE
    )


def _sendouts(container: Any) -> dict[str, dict[str, Any]]:
    """Every sendout row by id."""
    with container.engine.connect() as conn:
        rows = conn.execute(select(webhook_sendouts)).mappings()
        return {row["id"]: dict(row) for row in rows}


def _endpoint(container: Any, project_id: str, events: list[str] | None = None) -> str:
    url = "http://127.0.0.1:9/hook"
    made = webhooks.create(container.uow, project_id, EndpointFields(url, tuple(events or [])))
    endpoint_id: str = made.id
    return endpoint_id


def test_quiet_fan_out_leases_its_sendouts_as_it_inserts_them(container: Any) -> None:
    """With nothing else due, the new sendout is leased in the fan-out; no other relay gets it."""
    project_id = container.default_project["id"]
    endpoint_id = _endpoint(container, project_id)
    made = customers.create(container.uow, project_id, {"name": "Ada"})
    found = delivery.cycle(container.uow, _capacity(8))
    (job,) = found.jobs
    assert (job.channel, job.attempts, found.fanned_out) == (endpoint_id, 0, 1)
    assert job.secret == container.default_project["webhook_token"]
    assert made["id"] in job.body.decode()
    row = _sendouts(container)[job.sendout_id]
    assert (row["status"], row["claim_token"]) == ("PENDING", job.claim_token)
    assert row["next_attempt_at"] - row["created_at"] == timedelta(seconds=LEASE)
    assert delivery.cycle(container.uow, _capacity(8)).jobs == []


def test_fan_out_beyond_the_room_leaves_the_rest_due(container: Any) -> None:
    """Leases on insert stop at the channel's room; the rest stay due for later claims."""
    project_id = container.default_project["id"]
    endpoint_id = _endpoint(container, project_id)
    with container.uow.write(project_id) as tx:
        for n in range(5):
            customers.upsert(tx, {"name": f"n{n}", "source_id": f"room-{n}"})
    first = delivery.cycle(container.uow, _capacity(2))
    assert (len(first.jobs), first.fanned_out) == (2, 5)
    rows = _sendouts(container)
    leased = {sid for sid, row in rows.items() if row["claim_token"] is not None}
    assert leased == {job.sendout_id for job in first.jobs}
    assert delivery.cycle(container.uow, _capacity(2, {endpoint_id: 2})).jobs == []
    second = delivery.cycle(container.uow, _capacity(2))
    assert len(second.jobs) == 2
    assert not leased & {job.sendout_id for job in second.jobs}


def test_fan_out_with_older_sendouts_due_leaves_order_to_the_claim(container: Any) -> None:
    """When an older sendout is due, new ones are not leased ahead of it: the claim takes it."""
    project_id = container.default_project["id"]
    _endpoint(container, project_id)
    older = customers.create(container.uow, project_id, {"name": "first"})
    assert delivery.cycle(container.uow, delivery.Capacity(limit=0, per_channel=1)).jobs == []
    customers.create(container.uow, project_id, {"name": "second"})
    found = delivery.cycle(container.uow, _capacity(1))
    (job,) = found.jobs
    assert found.fanned_out == 1
    assert older["id"] in job.body.decode()
    assert sum(row["claim_token"] is None for row in _sendouts(container).values()) == 1


def test_subscribers_of_several_projects_come_from_one_lookup(container: Any) -> None:
    """Endpoints filter by event type, distributions by trigger, each job signs with its project."""
    default = container.default_project
    other = projects.create_project(container.uow, {"name": "Other"})
    everything = _endpoint(container, default["id"])
    _endpoint(container, default["id"], ["voucher.created"])
    created_only = _endpoint(container, other["id"], ["customer.created"])
    channels = (Channel("http://127.0.0.1:9/d", "Hello", {}),)
    dist = distributions.create(
        container.uow,
        other["id"],
        DistributionFields(trigger="customer.created", channels=channels),
    )
    customers.create(container.uow, default["id"], {"name": "in default"})
    made = customers.create(container.uow, other["id"], {"name": "in other"})
    found = delivery.cycle(container.uow, _capacity(8))
    assert found.fanned_out == 2
    assert {(job.channel, job.secret) for job in found.jobs} == {
        (everything, default["webhook_token"]),
        (created_only, other["webhook_token"]),
        (f"{dist.id}#0", other["webhook_token"]),
    }
    by_channel = {job.channel: job for job in found.jobs}
    event_id = _sendouts(container)[by_channel[created_only].sendout_id]["event_id"]
    assert by_channel[created_only].sendout_id == sendout_id_for(event_id, created_only)
    assert made["id"] in by_channel[f"{dist.id}#0"].body.decode()
