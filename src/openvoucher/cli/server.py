"""Running the HTTP server: checks first, then one process or several (``--workers``)."""

from __future__ import annotations

import asyncio
import os
import secrets
import shutil
import tempfile
import threading

import click
import uvicorn

from openvoucher import __version__, logs
from openvoucher.adapters.memory import limit_arenas
from openvoucher.bootstrap import Container, build
from openvoucher.cli import preflight
from openvoucher.cli.keys import print_keys
from openvoucher.config import Settings

FACTORY = "openvoucher.api.factory:app_from_environment"


def run_server(settings: Settings) -> None:
    """Check the settings, build the container, print generated keys, serve until stopped."""
    logs.configure(settings.log_format, settings.log_level)
    limit_arenas()
    preflight.check_database(settings.database_url)
    preflight.check_workers(settings)
    preflight.check_metrics(settings)
    preflight.check_port(settings.host, settings.port)
    if settings.workers > 1:
        _serve_workers(settings)
        return
    from openvoucher.api.app import create_app

    container = build(settings)
    _announce(container, "")
    uvicorn.run(
        create_app(container),
        host=settings.host,
        port=settings.port,
        log_config=None,
        log_level=settings.log_level,
        access_log=False,
    )


def _announce(container: Container, processes: str) -> None:
    """Keys when they were just generated (else how to see them), then the start-up line."""
    if container.keys_generated:
        print_keys(container)
    else:
        click.echo("keys: run `openvoucher keys` to print them")
    url = container.settings.base_url
    click.echo(f"openvoucher {__version__} listening on {url}{processes}")


def _serve_workers(settings: Settings) -> None:
    """N uvicorn worker processes (PostgreSQL); this process migrates, then relays webhooks
    unless ``OPENVOUCHER_RUN_RELAY=false`` leaves that to ``openvoucher worker``s."""
    from openvoucher.api.metrics import MULTIPROCESS_DIR

    container = build(settings.with_overrides(run_relay=False))
    metrics_dir = tempfile.mkdtemp(prefix="openvoucher-metrics-")
    os.environ.update(_worker_environment(settings))
    # One dashboard cookie key for every process (sessions themselves are in the database).
    os.environ.setdefault("OPENVOUCHER_DASHBOARD_SECRET", secrets.token_hex(32))
    os.environ[MULTIPROCESS_DIR] = metrics_dir
    relay = _RelayThread(container) if settings.run_relay else None
    _announce(container, f" with {settings.workers} worker processes")
    try:
        uvicorn.run(
            FACTORY,
            factory=True,
            workers=settings.workers,
            host=settings.host,
            port=settings.port,
            log_config=None,
            log_level=settings.log_level,
            access_log=False,
        )
    finally:
        if relay is not None:
            relay.stop()
        container.engine.dispose()
        shutil.rmtree(metrics_dir, ignore_errors=True)


def _worker_environment(settings: Settings) -> dict[str, str]:
    """What the worker processes read their settings from (flags included)."""
    return {
        "OPENVOUCHER_DATABASE_URL": settings.database_url,
        "OPENVOUCHER_HOST": settings.host,
        "OPENVOUCHER_PORT": str(settings.port),
        "OPENVOUCHER_PUBLIC_URL": settings.base_url,
        "OPENVOUCHER_RUN_RELAY": "false",
        "OPENVOUCHER_LOG_FORMAT": settings.log_format,
        "OPENVOUCHER_LOG_LEVEL": settings.log_level,
        "OPENVOUCHER_METRICS": settings.metrics,
        "OPENVOUCHER_WORKERS": "1",
    }


class _RelayThread:
    """The one webhook relay of ``serve --workers``: its own event loop on a thread of the
    supervising process (woken by the workers' commits through LISTEN/NOTIFY)."""

    def __init__(self, container: Container) -> None:
        from openvoucher.webhooks.relay import Relay

        self.relay = Relay(container.uow, container.settings)
        self.loop = asyncio.new_event_loop()
        self.stopping = asyncio.Event()
        self.thread = threading.Thread(target=self._run, name="openvoucher-relay", daemon=True)
        self.thread.start()

    def _run(self) -> None:
        asyncio.set_event_loop(self.loop)
        self.loop.run_until_complete(self._work())

    async def _work(self) -> None:
        await self.relay.start()
        try:
            await self.stopping.wait()
        finally:
            await self.relay.stop()

    def stop(self) -> None:
        """Stop relaying (attempts in flight get the relay's grace period)."""
        self.loop.call_soon_threadsafe(self.stopping.set)
        self.thread.join(timeout=30)
