"""Creating many v2 members at once, as an async action (``…/members/batch``)."""

from __future__ import annotations

from typing import Any

from openvoucher.kernel.errors import VoucherifyError
from openvoucher.kernel.unit_of_work import Tx, UnitOfWork
from openvoucher.loyalty.v2.components import require
from openvoucher.loyalty.v2.members import create_in
from openvoucher.platform import async_actions, bulk_jobs
from openvoucher.platform.async_actions import Job

BATCH_CREATE = "LOYALTY_V2.MEMBERS_CREATE"
MOST = 1000


def queue(
    uow: UnitOfWork,
    project_id: str,
    program_id: str,
    items: list[dict[str, Any]],
    request_id: str | None,
) -> dict[str, Any]:
    """Queue the creation for a programme that exists (404 otherwise; 413 past
    :data:`MOST` members); ``{async_action_id}``. Whether the programme takes members is each
    item's check, as the spec gives the batch no 409."""
    if len(items) > MOST:
        raise VoucherifyError(
            "Too many members", f"A batch makes at most {MOST} members", key="too_large", status=413
        )
    with uow.write(project_id) as tx:
        require(tx, "program", program_id)
        request = {"program_id": program_id, "members": items}
        action = async_actions.enqueue(tx, BATCH_CREATE, request, request_id)
        return {"async_action_id": action.id}


def run(job: Job) -> None:
    """The handler: each member is made (with its cards) or its error listed; every check
    comes before the member's first write, so a refused item leaves nothing behind."""
    program_id = str(job.request["program_id"])
    items = list(job.request.get("members") or [])

    def apply(tx: Tx, item: dict[str, Any]) -> dict[str, Any] | None:
        try:
            create_in(tx, program_id, item)
        except VoucherifyError as error:
            return {"index": items.index(item), "key": error.key, "message": error.details}
        return None

    bulk_jobs.run_batches(job, items, apply)
