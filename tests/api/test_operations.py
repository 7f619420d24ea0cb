"""What an operator sees: one access line per request, unexpected errors logged once with the
request id the client got, the version header, ``/metrics`` and the health checks."""

from __future__ import annotations

import logging
import re
import time

import httpx
import pytest
from sqlalchemy import text

from openvoucher import __version__
from openvoucher.adapters.db.migrate import head_revision
from openvoucher.api.health import readiness
from openvoucher.logs import fields_of
from tests.support.server import Project, RunningServer

AMOUNT = {"type": "DISCOUNT_VOUCHER", "discount": {"type": "AMOUNT", "amount_off": 1000}}


def _records(
    caplog: pytest.LogCaptureFixture, request_id: str, logger: str
) -> list[logging.LogRecord]:
    """The records of ``logger`` about ``request_id``; they are written once the response
    has gone out, so wait a moment for them."""
    deadline = time.monotonic() + 5
    while True:
        found = [
            record
            for record in caplog.records
            if record.name == logger and fields_of(record).get("request_id") == request_id
        ]
        if found or time.monotonic() > deadline:
            return found
        time.sleep(0.01)


def _access_lines(caplog: pytest.LogCaptureFixture, request_id: str) -> list[dict[str, object]]:
    return [dict(fields_of(r)) for r in _records(caplog, request_id, "openvoucher.access")]


def test_each_request_is_one_access_line(
    caplog: pytest.LogCaptureFixture, project: Project, http: httpx.Client
) -> None:
    """A write and a (hot on SQLite) read each log one line: method, route template, status,
    duration, the request id of the response and the project."""
    caplog.set_level(logging.INFO, logger="openvoucher.access")
    created = http.post("/v1/vouchers/LOGGED", json=AMOUNT)
    read = http.get("/v1/vouchers/LOGGED")
    for response, method in ((created, "POST"), (read, "GET")):
        lines = _access_lines(caplog, response.headers["x-request-id"])
        assert len(lines) == 1, lines
        line = lines[0]
        assert (line["method"], line["route"], line["status"]) == (
            method,
            "/v1/vouchers/{code}",
            200,
        )
        assert line["project_id"] == project.id
        assert isinstance(line["duration_ms"], float)
        assert line["duration_ms"] >= 0


def test_unknown_paths_are_logged_under_one_label(
    caplog: pytest.LogCaptureFixture, http: httpx.Client
) -> None:
    """A 404 for an unknown path is logged with ``<unmatched>``, not the path itself."""
    caplog.set_level(logging.INFO, logger="openvoucher.access")
    missing = http.get("/v1/no/such/thing/here")
    assert missing.status_code == 404
    (line,) = _access_lines(caplog, missing.headers["x-request-id"])
    assert (line["route"], line["status"]) == ("<unmatched>", 404)


def test_every_response_names_the_version(project: Project, http: httpx.Client) -> None:
    """Regular, hot, error and health responses carry ``X-Openvoucher-Version``."""
    http.post("/v1/vouchers/VERSIONED", json=AMOUNT)
    answers = [
        http.get("/v1/vouchers/VERSIONED"),
        http.request("GET", "/v1/vouchers/VERSIONED", content=b"{}"),
        http.get("/v1/vouchers/NOPE"),
        httpx.get(project.base_url + "/health/live"),
    ]
    for answer in answers:
        assert answer.headers["x-openvoucher-version"] == __version__


def test_an_unexpected_error_is_logged_once_with_its_request_id(
    caplog: pytest.LogCaptureFixture, server: RunningServer, project: Project, http: httpx.Client
) -> None:
    """A row that cannot be decoded is a 500 on both paths; each is logged once, at error
    level, with the client's request id and the traceback, and its access line says 500."""
    if server.backend == "postgresql":
        pytest.skip("PostgreSQL refuses invalid JSON")
    caplog.set_level(logging.INFO)
    http.post("/v1/vouchers/CORRUPT", json=AMOUNT)
    with server.container.engine.begin() as conn:
        conn.execute(
            text("UPDATE vouchers SET attrs = '{oops' WHERE project_id = :p AND code = 'CORRUPT'"),
            {"p": project.id},
        )
    hot = http.get("/v1/vouchers/CORRUPT")
    regular = http.request("GET", "/v1/vouchers/CORRUPT", content=b"{}")
    for answer in (hot, regular):
        assert answer.status_code == 500
        request_id = answer.json()["request_id"]
        mine = _records(caplog, request_id, "openvoucher.api")
        assert len(mine) == 1, [r.getMessage() for r in caplog.records]
        assert mine[0].levelno == logging.ERROR
        assert mine[0].exc_info is not None
        assert fields_of(mine[0])["route"] == "/v1/vouchers/{code}"
        assert _access_lines(caplog, request_id)[0]["status"] == 500
    assert http.get("/health/live").status_code == 200  # the connection survived


def test_metrics_count_requests_and_read_the_backlog(project: Project, http: httpx.Client) -> None:
    """``/metrics`` counts requests by route template and status, has the latency histogram
    and the database figures (outbox, sendouts, endpoints, async actions, pool)."""
    http.post("/v1/vouchers/METERED", json=AMOUNT)
    for _ in range(3):
        http.get("/v1/vouchers/METERED")
    body = httpx.get(project.base_url + "/metrics").text
    counted = re.search(
        r'^openvoucher_http_requests_total\{method="GET",route="/v1/vouchers/\{code\}",'
        r'status="200"\} (\d+)\.0$',
        body,
        re.M,
    )
    assert counted is not None
    assert int(counted.group(1)) >= 3
    assert "openvoucher_http_request_duration_seconds_bucket{" in body
    for name in (
        "openvoucher_database_up 1.0",
        "openvoucher_outbox_backlog ",
        "openvoucher_outbox_oldest_undelivered_seconds ",
        "openvoucher_webhook_retries ",
        "openvoucher_webhook_endpoints_disabled ",
        "openvoucher_db_pool_connections_in_use ",
        "# TYPE openvoucher_webhook_sendouts gauge",
        "# TYPE openvoucher_async_actions gauge",
    ):
        assert name in body, name


def test_health_checks_the_database_schema_and_relay(server: RunningServer) -> None:
    """``/health/live`` is up; ``/health/ready`` (and ``/health``) checks the database, the
    schema revision and the relay; a schema behind the code makes readiness fail."""
    live = httpx.get(server.base_url + "/health/live")
    assert live.json() == {"status": "ok", "version": __version__}
    for path in ("/health/ready", "/health"):
        ready = httpx.get(server.base_url + path)
        assert ready.status_code == 200
        assert ready.json()["checks"] == {"database": "ok", "schema": "ok", "relay": "ok"}
    head = head_revision(server.container.engine)
    assert readiness(server.container, head)["schema"] == "ok"
    behind = readiness(server.container, "a_newer_revision")
    assert behind["schema"].startswith("at ")
    assert "openvoucher migrate" in behind["schema"]
