"""Async actions run from bootstrap's table, by a runner that needs no API."""

from __future__ import annotations

from openvoucher.customers import customer_jobs, customers
from openvoucher.platform import async_actions
from tests.support.contexts import Context


def test_queued_bulk_update_runs_with_the_bootstrap_table(ctx: Context) -> None:
    """A queued customers bulk update runs to DONE and upserts the customers."""
    items = [{"source_id": "c-1", "name": "One"}, {"source_id": "c-2", "name": "Two"}]
    action_id = customer_jobs.enqueue_bulk_update(ctx.uow, ctx.project_id, items)
    assert async_actions.run_next(ctx.uow, ctx.container.async_actions)
    assert not async_actions.run_next(ctx.uow, ctx.container.async_actions)
    done = async_actions.get(ctx.uow, ctx.project_id, action_id)
    assert (done.status, done.progress) == ("DONE", 100)
    assert customers.get(ctx.uow, ctx.project_id, "c-2")["name"] == "Two"
