"""The app of one worker process of ``serve --workers N``: uvicorn imports this factory in
each process it spawns; the settings come from the environment ``serve`` prepared (the
parent migrated the schema already, and relays the webhooks)."""

from __future__ import annotations

from starlette.applications import Starlette

from openvoucher import logs
from openvoucher.api.app import create_app
from openvoucher.bootstrap import build
from openvoucher.config import load_settings


def app_from_environment() -> Starlette:
    """Configure logging and build this process's app."""
    settings = load_settings()
    logs.configure(settings.log_format, settings.log_level)
    return create_app(build(settings, migrate=False))
