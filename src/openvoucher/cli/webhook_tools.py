"""``openvoucher webhooks list --type/--voucher/--customer/--after/--before``, ``resend`` and
``signature`` (the sendout log on the database, like the rest of ``openvoucher webhooks``)."""

from __future__ import annotations

import click
import orjson

from openvoucher.bootstrap import Container
from openvoucher.kernel.clock import parse_datetime
from openvoucher.webhooks import inspection as webhook_inspection
from openvoucher.webhooks.repositories.webhooks_sendouts import SendoutFilter


def search_filter(
    event_type: str | None,
    voucher: str | None,
    customer: str | None,
    after: str | None,
    before: str | None,
) -> SendoutFilter:
    """The list filters of the search options."""
    try:
        start = parse_datetime(after) if after else None
        end = parse_datetime(before) if before else None
    except ValueError as exc:
        raise click.BadParameter(f"not a date-time: {exc}") from None
    mentions = tuple(value for value in (voucher, customer) if value)
    return SendoutFilter(
        event_type=event_type, created_after=start, created_before=end, mentions=mentions
    )


def _project(container: Container, project_id: str | None) -> str:
    return project_id or str(container.default_project["id"])


def resend(container: Container, project_id: str | None, sendout_id: str, url: str | None) -> None:
    """Resend and print the outcome."""
    timeout = container.settings.webhook_timeout_seconds
    answer = webhook_inspection.resend(
        container.uow, _project(container, project_id), sendout_id, url, timeout
    )
    status = answer["status_code"] or answer["error"]
    click.echo(f"{answer['sendout_id']} -> {answer['url']}: {status} ({answer['duration_ms']} ms)")


def signature(container: Container, project_id: str | None, sendout_id: str) -> None:
    """Print the signed content and headers."""
    found = webhook_inspection.signature(container.uow, _project(container, project_id), sendout_id)
    click.echo(orjson.dumps(found, option=orjson.OPT_INDENT_2).decode())
