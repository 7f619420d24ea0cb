"""One delivery attempt: sign the stored body, POST it, measure, judge the answer."""

from __future__ import annotations

import time
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Protocol

from openvoucher.webhooks import retry, signing
from openvoucher.webhooks.transport import Transport


@dataclass(frozen=True)
class Job:
    """A claimed sendout, with everything needed to attempt it."""

    sendout_id: str
    project_id: str
    source_object: str
    source_id: str
    channel: str
    url: str
    headers: dict[str, str]
    body: bytes
    secret: str
    attempts: int
    claim_token: str

    @classmethod
    def from_row(cls, row: dict[str, Any]) -> Job:
        """Build from a claimed sendout row joined with its project's webhook token."""
        return cls(
            sendout_id=row["id"],
            project_id=row["project_id"],
            source_object=row["source_object"],
            source_id=row["source_id"],
            channel=row["channel"],
            url=row["target_url"],
            headers=dict(row["headers"] or {}),
            body=bytes(row["body"]),
            secret=row["webhook_token"],
            attempts=row["attempts"],
            claim_token=row["claim_token"],
        )


@dataclass(frozen=True)
class Outcome:
    """The recorded result of one attempt."""

    started_at: datetime
    duration_ms: int
    status_code: int | None
    excerpt: str | None
    error: str | None

    @property
    def delivered(self) -> bool:
        """A 2xx answer within the deadline."""
        return retry.is_success(self.status_code)


class Faults(Protocol):
    """Failure injection (dev features): the mode for an attempt to ``source_id``, or None."""

    def take(self, source_id: str) -> str | None:
        """Consume one planned failure of ``source_id``."""


INJECTED = "openvoucher failure injection"


async def attempt(
    job: Job, transport: Transport, started_at: datetime, faults: Faults | None = None
) -> Outcome:
    """POST the job's body with fresh signature headers (unless a failure is injected)."""
    mode = faults.take(job.source_id) if faults is not None else None
    if mode == "status500":
        return Outcome(started_at, 0, 500, f"{INJECTED}: answered 500, not sent", None)
    if mode == "timeout":
        return Outcome(started_at, 0, None, None, f"{INJECTED}: timed out, not sent")
    timestamp = int(started_at.timestamp())
    headers = signing.signed_headers(job.sendout_id, timestamp, job.body, job.secret, job.headers)
    began = time.perf_counter()
    answer = await transport.post(job.url, job.body, headers)
    duration = round((time.perf_counter() - began) * 1000)
    if mode is not None:
        error = f"{INJECTED}: sent (answer {answer.status_code or answer.error}), counted failed"
        return Outcome(started_at, duration, None, answer.excerpt, error)
    return Outcome(started_at, duration, answer.status_code, answer.excerpt, answer.error)
