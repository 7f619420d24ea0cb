"""``openvoucher worker`` and ``openvoucher webhooks list|show|retry``."""

from __future__ import annotations

import asyncio
import signal
from dataclasses import replace
from typing import Any

import click
import orjson

from openvoucher import logs
from openvoucher.bootstrap import Container, build
from openvoucher.config import Settings
from openvoucher.webhooks import endpoints as webhooks
from openvoucher.webhooks.presenters.webhooks import sendout, sendout_detail
from openvoucher.webhooks.relay import Relay, RelayOptions
from openvoucher.webhooks.repositories.webhooks_sendouts import SendoutFilter


def run_worker(settings: Settings, options: RelayOptions) -> None:
    """Relay webhooks until SIGINT/SIGTERM (several workers may share a PostgreSQL database)."""
    logs.configure(settings.log_format, settings.log_level)
    container = build(settings.with_overrides(run_relay=False))
    click.echo(f"openvoucher worker relaying webhooks (poll every {options.poll_interval:g} s)")
    asyncio.run(_work(container, options))


async def _work(container: Container, options: RelayOptions) -> None:
    relay = Relay(container.uow, container.settings, options)
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for signum in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(signum, stop.set)
    await relay.start()
    try:
        await stop.wait()
    finally:
        await relay.stop()
        container.engine.dispose()


def _project(container: Container, project_id: str | None) -> str:
    return project_id or str(container.default_project["id"])


def print_list(
    container: Container,
    project_id: str | None,
    status: str | None,
    limit: int,
    search: SendoutFilter | None = None,
) -> None:
    """One line per sendout, newest first (``search``: type, voucher, customer, dates)."""
    filters = SendoutFilter(status=status.upper() if status else None)
    if search is not None:
        filters = replace(search, status=filters.status)
    rows, total = webhooks.list_sendouts(
        container.uow, _project(container, project_id), filters, limit=limit, offset=0
    )
    for row in rows:
        item = sendout(row)
        click.echo(
            f"{item['id']}  {item['status']:<9}  {item['event']['type']:<28}  "
            f"tries={item['attempts_count']}  code={item['last_status_code']}  "
            f"{item['source']['target_url']}"
        )
    click.echo(f"{len(rows)} of {total} sendouts")


def print_detail(detail: dict[str, Any]) -> None:
    """A sendout, its attempts and its payload."""
    click.echo(orjson.dumps(detail, option=orjson.OPT_INDENT_2).decode())


def show(container: Container, project_id: str | None, sendout_id: str) -> None:
    """Print one sendout."""
    row = webhooks.get_sendout(container.uow, _project(container, project_id), sendout_id)
    print_detail(sendout_detail(row))


def retry(container: Container, project_id: str | None, sendout_id: str) -> None:
    """Make a sendout due now; a running relay (serve or worker) sends it."""
    row = webhooks.retry_sendout(container.uow, _project(container, project_id), sendout_id)
    click.echo(f"{row.id} is due now (attempts so far: {row.attempts})")
