"""Inspecting the sendout log: the exact signed content of a sendout, and resending it.

A resend POSTs the stored bytes once, now, through the relay's own dispatcher and transport,
signed as an attempt at this instant would be — to the sendout's endpoint or to another URL.
It is a debugging aid: the answer is returned to the caller and not written to the sendout's
attempt log (which records the relay's attempts only); use ``…/retry`` to put a sendout back
into the relay's hands.
"""

from __future__ import annotations

import asyncio
from datetime import datetime
from typing import Any

from openvoucher.kernel.clock import iso
from openvoucher.kernel.errors import NotFound
from openvoucher.kernel.unit_of_work import UnitOfWork
from openvoucher.webhooks import dispatcher, signing
from openvoucher.webhooks.dispatcher import Job
from openvoucher.webhooks.endpoints import check_url
from openvoucher.webhooks.model import Attempt, Sendout
from openvoucher.webhooks.repositories.webhooks_sendouts import SendoutRepository
from openvoucher.webhooks.transport import Transport


def _job(
    uow: UnitOfWork, project_id: str, sendout_id: str
) -> tuple[Job, datetime, tuple[Attempt, ...]]:
    with uow.read(project_id) as tx:
        repo = SendoutRepository(tx.conn, project_id)
        found = repo.get(sendout_id)
        secret = repo.signing_secret()
        if found is None or secret is None:
            raise NotFound("webhook_sendout", sendout_id)
        return _of(found, secret), tx.now, repo.attempts(sendout_id)


def _of(found: Sendout, secret: str) -> Job:
    """The job attempting ``found`` again, signed with ``secret`` (claimed by no relay)."""
    return Job(
        sendout_id=found.id,
        project_id=found.project_id,
        source_object=found.source_object,
        source_id=found.source_id,
        channel=found.channel,
        url=found.target_url,
        headers=dict(found.headers),
        body=found.body,
        secret=secret,
        attempts=found.attempts,
        claim_token="",
    )


def signature(
    uow: UnitOfWork, project_id: str, sendout_id: str, timestamp: int | None = None
) -> dict[str, Any]:
    """What is signed and the headers sent, at ``timestamp`` (default: the last attempt's)."""
    job, now, tried = _job(uow, project_id, sendout_id)
    if timestamp is None:
        moment = tried[-1].started_at if tried else now
        timestamp = int(moment.timestamp())
    text = job.body.decode()
    return {
        "object": "webhook_signature",
        "sendout_id": job.sendout_id,
        "url": job.url,
        "timestamp": timestamp,
        "body": text,
        "voucherify": {
            "header": "x-voucherify-signature",
            "algorithm": "hex(HMAC-SHA256(webhook_token, body))",
            "signed_content": text,
        },
        "standard_webhooks": {
            "headers": ["webhook-id", "webhook-timestamp", "webhook-signature"],
            "algorithm": "v1,base64(HMAC-SHA256(webhook_token, id.timestamp.body))",
            "signed_content": f"{job.sendout_id}.{timestamp}.{text}",
        },
        "headers": signing.signed_headers(
            job.sendout_id, timestamp, job.body, job.secret, job.headers
        ),
    }


def resend(
    uow: UnitOfWork, project_id: str, sendout_id: str, url: str | None, timeout: float
) -> dict[str, Any]:
    """POST the sendout's exact body now to ``url`` (default: its endpoint); the answer."""
    job, now, _ = _job(uow, project_id, sendout_id)
    if url is not None:
        job = Job(**{**job.__dict__, "url": check_url(url, "url")})
    outcome = asyncio.run(_attempt(job, timeout, now))
    timestamp = int(outcome.started_at.timestamp())
    return {
        "object": "webhook_resend",
        "sendout_id": job.sendout_id,
        "url": job.url,
        "started_at": iso(outcome.started_at),
        "delivered": outcome.delivered,
        "status_code": outcome.status_code,
        "error": outcome.error,
        "duration_ms": outcome.duration_ms,
        "response_excerpt": outcome.excerpt,
        "headers": signing.signed_headers(
            job.sendout_id, timestamp, job.body, job.secret, job.headers
        ),
    }


async def _attempt(job: Job, timeout: float, now: datetime) -> dispatcher.Outcome:
    transport = Transport(timeout)
    try:
        return await dispatcher.attempt(job, transport, now)
    finally:
        await transport.close()
