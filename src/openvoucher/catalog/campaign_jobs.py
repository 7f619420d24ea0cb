"""Bulk work on campaigns as async actions: ``CAMPAIGN.VOUCHERS_GENERATE`` and
``CAMPAIGN.VOUCHERS_DELETE``, in batches, each batch one transaction that also records the
action's progress, so memory stays flat and a restarted runner resumes where it stopped.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from openvoucher.catalog import validation_rules, vouchers
from openvoucher.catalog.campaigns import (
    BATCH,
    generate_batch,
    generation_completed,
    set_generation_status,
)
from openvoucher.catalog.domain.codes import (
    CodeSampler,
    parse_code_config,
)
from openvoucher.catalog.presenters.campaigns import campaign as render
from openvoucher.catalog.repositories.campaigns import CampaignRepository
from openvoucher.catalog.repositories.vouchers import VoucherRepository
from openvoucher.kernel.clock import iso
from openvoucher.kernel.errors import NotFound
from openvoucher.kernel.events import Event
from openvoucher.kernel.unit_of_work import Tx
from openvoucher.platform import trash_bin
from openvoucher.platform.async_actions import Job
from openvoucher.platform.model import AsyncAction


@contextmanager
def _job_tx(job: Job) -> Iterator[tuple[Tx, dict[str, Any]]]:
    with job.uow.write(job.project_id) as tx:
        campaign_id = job.request["campaign_id"]
        row = CampaignRepository(tx.conn, tx.project_id).get(campaign_id)
        if row is None:
            raise NotFound("campaign", campaign_id)
        yield tx, row


def run_generation(job: Job) -> None:
    """The ``CAMPAIGN.VOUCHERS_GENERATE`` handler: batches until ``count`` vouchers exist."""
    count = int(job.request["count"])
    done = int(job.result.get("done_count", 0))
    fields = job.request.get("fields") or {}
    with _job_tx(job) as (_tx, campaign):
        config = parse_code_config(fields.get("code_config") or vouchers.campaign_config(campaign))
    sampler = CodeSampler(config)
    while True:
        with _job_tx(job) as (tx, campaign):
            done += generate_batch(tx, campaign, sampler, min(BATCH, count - done), fields)
            result = {"message": f"{done} of {count} vouchers generated", "done_count": done}
            if done < count:
                job.checkpoint(tx, done * 100 // count, result)
                continue
            if job.request.get("creation"):
                generation_completed(tx, campaign["id"], count)
            job.complete(tx, result)
            return


def generation_failed(tx: Tx, action: AsyncAction) -> None:
    """A failed generation that was creating its campaign marks the campaign FAILED."""
    campaign_id = action.request["campaign_id"]
    if action.request.get("creation") and CampaignRepository(tx.conn, tx.project_id).get(
        campaign_id
    ):
        set_generation_status(tx, campaign_id, "FAILED")


def deletion_failed(tx: Tx, action: AsyncAction) -> None:
    """A failed deletion frees the codes its bin entry held."""
    entry_id = action.request.get("bin_entry_id")
    if entry_id:  # no entry was stored: the codes it held are free again
        trash_bin.release(tx, entry_id)


def run_deletion(job: Job) -> None:
    """The ``CAMPAIGN.VOUCHERS_DELETE`` handler: vouchers in batches, then the campaign."""
    done = int(job.result.get("done_count", 0))
    entry_id = job.request.get("bin_entry_id")
    while True:
        with _job_tx(job) as (tx, campaign):
            if entry_id and not done:  # the first batch (a checkpoint commits done > 0)
                trash_bin.hold_campaign_codes(tx, entry_id, campaign["id"])
            removed = VoucherRepository(tx.conn, tx.project_id).delete_some_of_campaign(
                campaign["id"], BATCH
            )
            done += removed
            result = {"message": f"{done} vouchers deleted", "done_count": done}
            if removed:
                CampaignRepository(tx.conn, tx.project_id).add_to_count(campaign["id"], -removed)
                job.checkpoint(tx, 50, result)
                continue
            shown = render(campaign)
            data = {"campaign": shown, "deleted_at": iso(tx.now)}
            CampaignRepository(tx.conn, tx.project_id).delete(campaign["id"])
            validation_rules.forget(tx, "campaign", campaign["id"])
            validation_rules.forget_deleted_objects(tx)
            tx.emit(Event("campaign.deleted", data, entity_id=campaign["id"]))
            if entry_id:
                trash_bin.put(tx, "campaign", shown, campaign["name"], entry_id=entry_id)
            job.complete(tx, {"message": "campaign and its vouchers deleted", "done_count": done})
            return
