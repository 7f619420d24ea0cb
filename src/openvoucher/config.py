"""Typed settings read from the environment (flags may override some of them)."""

from __future__ import annotations

import json
import os
from dataclasses import dataclass, field, replace
from typing import Any

DEFAULT_RETRY_SCHEDULE = (60, 120, 240, 480, 960, 1920, 3840, 7680, 15360, 30720, 61440, 86400)
"""Voucherify's webhook retry delays in seconds: 1, 2, 4 … minutes, capped at 24 h, 12 retries."""


@dataclass(frozen=True)
class Settings:
    """Everything the server and worker need to start."""

    database_url: str = "sqlite:///./openvoucher.db"
    host: str = "127.0.0.1"
    port: int = 8000
    public_url: str | None = None
    app_id: str | None = None
    app_token: str | None = None
    management_id: str | None = None
    management_token: str | None = None
    max_body_bytes: int = 1_048_576
    max_upload_bytes: int = 64 * 1_048_576
    webhook_retry_schedule: tuple[int, ...] = DEFAULT_RETRY_SCHEDULE
    webhook_timeout_seconds: float = 10.0
    dev_features: bool = False
    client_rate_limit: int = 600
    """Requests a minute per client-side key and origin (0: unlimited); api/client_limits.py."""
    run_relay: bool = True
    log_format: str = "auto"
    log_level: str = "info"
    metrics: str = "auto"
    workers: int = 1
    extra: dict[str, Any] = field(default_factory=dict)

    @property
    def base_url(self) -> str:
        """The URL clients reach this server at (used for asset links)."""
        return (self.public_url or f"http://{self.host}:{self.port}").rstrip("/")

    def with_overrides(self, **changes: Any) -> Settings:
        """A copy with the given non-None fields replaced."""
        return replace(self, **{k: v for k, v in changes.items() if v is not None})


def _env_bool(value: str | None, default: bool) -> bool:
    if value is None or value == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def _env_schedule(value: str | None) -> tuple[int, ...]:
    if not value:
        return DEFAULT_RETRY_SCHEDULE
    text = value.strip()
    items = json.loads(text) if text.startswith("[") else text.split(",")
    schedule = tuple(int(float(item)) for item in items)
    if any(delay < 0 for delay in schedule):
        raise ValueError("OPENVOUCHER_WEBHOOK_RETRY_SCHEDULE must hold non-negative seconds")
    return schedule


def load_settings(env: dict[str, str] | None = None) -> Settings:
    """Read settings from ``env`` (default: the process environment)."""
    source = os.environ if env is None else env
    get = source.get
    return Settings(
        database_url=get("OPENVOUCHER_DATABASE_URL") or Settings.database_url,
        host=get("OPENVOUCHER_HOST") or Settings.host,
        port=int(get("OPENVOUCHER_PORT") or Settings.port),
        public_url=get("OPENVOUCHER_PUBLIC_URL") or None,
        app_id=get("OPENVOUCHER_APP_ID") or None,
        app_token=get("OPENVOUCHER_APP_TOKEN") or None,
        management_id=get("OPENVOUCHER_MANAGEMENT_ID") or None,
        management_token=get("OPENVOUCHER_MANAGEMENT_TOKEN") or None,
        max_body_bytes=int(get("OPENVOUCHER_MAX_BODY_BYTES") or Settings.max_body_bytes),
        webhook_retry_schedule=_env_schedule(get("OPENVOUCHER_WEBHOOK_RETRY_SCHEDULE")),
        webhook_timeout_seconds=float(get("OPENVOUCHER_WEBHOOK_TIMEOUT") or 10.0),
        dev_features=_env_bool(get("OPENVOUCHER_DEV"), False),
        client_rate_limit=int(get("OPENVOUCHER_CLIENT_RATE_LIMIT") or Settings.client_rate_limit),
        run_relay=_env_bool(get("OPENVOUCHER_RUN_RELAY"), True),
        log_format=get("OPENVOUCHER_LOG_FORMAT") or Settings.log_format,
        log_level=get("OPENVOUCHER_LOG_LEVEL") or Settings.log_level,
        metrics=get("OPENVOUCHER_METRICS") or Settings.metrics,
        workers=int(get("OPENVOUCHER_WORKERS") or Settings.workers),
    )
