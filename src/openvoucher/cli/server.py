"""Running the HTTP server."""

from __future__ import annotations

import logging

import click
import uvicorn

from openvoucher.api.app import create_app
from openvoucher.bootstrap import build
from openvoucher.cli.keys import print_keys
from openvoucher.config import Settings


def run_server(settings: Settings) -> None:
    """Build the container, print the keys and serve until interrupted."""
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s %(message)s")
    container = build(settings)
    print_keys(container)
    click.echo(f"openvoucher listening on {settings.base_url}")
    uvicorn.run(
        create_app(container),
        host=settings.host,
        port=settings.port,
        log_level="warning",
        access_log=False,
    )
