"""``/metrics`` in Prometheus' text format (prometheus-client).

Requests and latency are counted by the access edge (``api/observe.py``) per process; with
several worker processes (``serve --workers``) prometheus-client's multiprocess mode adds them
up (``PROMETHEUS_MULTIPROC_DIR``, set by ``serve``). The database-wide figures — outbox
backlog, sendouts by status, retries, disabled endpoints, async actions by status — are read
from the database when scraped, so every process reports the same. Pool use is counted from
the pool's checkout and checkin events.
"""

from __future__ import annotations

import ipaddress
import os
from collections.abc import Iterable, Iterator
from datetime import UTC, datetime
from typing import Any

from prometheus_client import CollectorRegistry, Counter, Gauge, Histogram, generate_latest
from prometheus_client.core import GaugeMetricFamily, Metric
from prometheus_client.exposition import CONTENT_TYPE_LATEST
from prometheus_client.registry import Collector
from sqlalchemy import ColumnElement, Engine, case, event, func, select
from sqlalchemy.exc import SQLAlchemyError

from openvoucher.adapters.db.schema.catalog import async_actions
from openvoucher.adapters.db.schema.outbox import outbox_events
from openvoucher.adapters.db.schema.webhooks import webhook_endpoints, webhook_sendouts

MULTIPROCESS_DIR = "PROMETHEUS_MULTIPROC_DIR"
CONTENT_TYPE = CONTENT_TYPE_LATEST
LATENCY_BUCKETS = (0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0)


def multiprocess() -> bool:
    """Whether this process writes its metrics for others to add up (several workers)."""
    return bool(os.environ.get(MULTIPROCESS_DIR))


def enabled(setting: str, host: str) -> bool:
    """``OPENVOUCHER_METRICS``: ``on``, ``off``, or ``auto`` (on when bound to loopback)."""
    value = setting.strip().lower()
    if value in {"1", "true", "yes", "on"}:
        return True
    if value in {"0", "false", "no", "off"}:
        return False
    if value != "auto":
        raise ValueError(f"OPENVOUCHER_METRICS must be auto, on or off, not {setting!r}")
    return _loopback(host)


def _loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


class RequestMetrics:
    """Request counts and latency by method, route template and status."""

    def __init__(self, registry: CollectorRegistry | None) -> None:
        self.requests = Counter(
            "openvoucher_http_requests",
            "HTTP requests by method, route template and status",
            ["method", "route", "status"],
            registry=registry,
        )
        self.latency = Histogram(
            "openvoucher_http_request_duration_seconds",
            "Time from request to the end of the response, by method and route template",
            ["method", "route"],
            buckets=LATENCY_BUCKETS,
            registry=registry,
        )
        self._children: dict[tuple[str, str, int], tuple[Any, Any]] = {}

    def observe(self, method: str, route: str, status: int, seconds: float) -> None:
        """Count one request (label children are cached: a lookup costs more than a count)."""
        key = (method, route, status)
        pair = self._children.get(key)
        if pair is None:
            pair = (
                self.requests.labels(method, route, str(status)),
                self.latency.labels(method, route),
            )
            self._children[key] = pair
        pair[0].inc()
        pair[1].observe(seconds)


def watch_pool(engine: Engine, registry: CollectorRegistry | None) -> None:
    """Count the engine's checked-out connections (summed over live worker processes)."""
    in_use = Gauge(
        "openvoucher_db_pool_connections_in_use",
        "Database connections checked out of the pool",
        registry=registry,
        multiprocess_mode="livesum",
    )
    size = Gauge(
        "openvoucher_db_pool_size",
        "Connections the pool keeps open (overflow not counted)",
        registry=registry,
        multiprocess_mode="livesum",
    )
    pool_size = getattr(engine.pool, "size", None)
    size.set(pool_size() if callable(pool_size) else 0)
    event.listen(engine, "checkout", lambda *_args: in_use.inc())
    event.listen(engine, "checkin", lambda *_args: in_use.dec())


class DatabaseCollector(Collector):
    """Figures read from the database at scrape time (the same from every process)."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine

    def describe(self) -> Iterable[Metric]:
        """Nothing up front: reading the database is for scrapes only."""
        return []

    def collect(self) -> Iterator[Metric]:
        """The outbox, sendout, endpoint and async action figures, or ``database_up 0``."""
        up = GaugeMetricFamily("openvoucher_database_up", "Whether the last scrape read the DB")
        try:
            families = self._read()
        except SQLAlchemyError:
            up.add_metric([], 0)
            yield up
            return
        up.add_metric([], 1)
        yield up
        yield from families

    def _read(self) -> list[Metric]:
        now = datetime.now(UTC)
        with self.engine.connect() as conn:
            backlog, oldest_event = conn.execute(
                select(func.count(), func.min(outbox_events.c.created_at)).where(
                    outbox_events.c.dispatched_at.is_(None)
                )
            ).one()
            sendouts = conn.execute(
                select(
                    webhook_sendouts.c.status,
                    func.count(),
                    func.min(webhook_sendouts.c.created_at),
                    func.coalesce(func.sum(_retries(webhook_sendouts.c.attempts)), 0),
                ).group_by(webhook_sendouts.c.status)
            ).all()
            disabled = conn.execute(
                select(func.count()).where(webhook_endpoints.c.active.is_(False))
            ).scalar_one()
            actions = conn.execute(
                select(async_actions.c.status, func.count()).group_by(async_actions.c.status)
            ).all()
        pending = [row[2] for row in sendouts if row[0] == "PENDING" and row[2] is not None]
        oldest = min([*pending, *([oldest_event] if oldest_event else [])], default=None)
        retries = sum(max(int(row[3]), 0) for row in sendouts)
        return [
            _gauge("openvoucher_outbox_backlog", "Events not yet fanned out to sendouts", backlog),
            _gauge(
                "openvoucher_outbox_oldest_undelivered_seconds",
                "Age of the oldest event not yet fanned out or delivered (0: none)",
                0 if oldest is None else max((now - _aware(oldest)).total_seconds(), 0),
            ),
            _by_status("openvoucher_webhook_sendouts", "Webhook sendouts by status", sendouts),
            _gauge("openvoucher_webhook_retries", "Delivery attempts after the first", retries),
            _gauge("openvoucher_webhook_endpoints_disabled", "Inactive endpoints", disabled),
            _by_status("openvoucher_async_actions", "Async actions by status", actions),
        ]


def _retries(attempts: Any) -> ColumnElement[int]:
    """A sendout's attempts after its first."""
    return case((attempts > 1, attempts - 1), else_=0)


def _aware(moment: datetime) -> datetime:
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=UTC)


def _gauge(name: str, documentation: str, value: float) -> GaugeMetricFamily:
    return GaugeMetricFamily(name, documentation, value=value)


def _by_status(name: str, documentation: str, rows: Iterable[Any]) -> GaugeMetricFamily:
    family = GaugeMetricFamily(name, documentation, labels=["status"])
    for row in rows:
        family.add_metric([str(row[0])], int(row[1]))
    return family


class Metrics:
    """The app's metrics and the registry ``/metrics`` renders."""

    def __init__(self, engine: Engine) -> None:
        self.registry = CollectorRegistry()
        own = None if multiprocess() else self.registry
        if own is None:
            from prometheus_client import multiprocess as shared

            shared.MultiProcessCollector(self.registry)  # type: ignore[no-untyped-call]
        self.requests = RequestMetrics(own)
        watch_pool(engine, own)
        self.registry.register(DatabaseCollector(engine))

    def render(self) -> bytes:
        """The exposition text."""
        return generate_latest(self.registry)
