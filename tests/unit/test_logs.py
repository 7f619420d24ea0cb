"""Log lines: JSON off a terminal, ``key=value`` on one, and background job tallies."""

from __future__ import annotations

import io
import logging
from collections.abc import Iterator

import orjson
import pytest

from openvoucher import logs


class Terminal(io.StringIO):
    """A stream that says it is a terminal."""

    def isatty(self) -> bool:
        """Yes."""
        return True


@pytest.fixture
def restore_logging() -> Iterator[None]:
    """Put the root logger's handlers and level back after the test."""
    root = logging.getLogger()
    handlers, level = list(root.handlers), root.level
    yield
    root.handlers[:] = handlers
    root.setLevel(level)


def test_json_off_a_terminal(restore_logging: None) -> None:
    """``auto`` writes one JSON object per record with its fields and the traceback."""
    stream = io.StringIO()
    logs.configure("auto", "info", stream)
    log = logging.getLogger("openvoucher.test")
    log.info("request", extra={"fields": {"status": 200, "route": "/v1/x/{id}"}})
    error = RuntimeError("boom")
    log.error("failed", exc_info=error, extra={"fields": {"request_id": "v-1"}})
    first, second = (orjson.loads(line) for line in stream.getvalue().splitlines()[:2])
    assert first["message"] == "request"
    assert (first["level"], first["logger"]) == ("info", "openvoucher.test")
    assert (first["status"], first["route"]) == (200, "/v1/x/{id}")
    assert first["time"].endswith("Z")
    assert second["request_id"] == "v-1"
    assert "RuntimeError: boom" in second["exc"]


def test_key_values_on_a_terminal(restore_logging: None) -> None:
    """``auto`` on a terminal is a readable line; ``--log-level warning`` drops info."""
    stream = Terminal()
    logs.configure("auto", "info", stream)
    logging.getLogger("openvoucher.test").info("request", extra={"fields": {"status": 201}})
    line = stream.getvalue().strip()
    assert line.endswith("INFO    openvoucher.test: request status=201")
    quiet = Terminal()
    logs.configure("human", "warning", quiet)
    logging.getLogger("openvoucher.test").info("request")
    assert quiet.getvalue() == ""


def test_unknown_format_or_level_is_refused(restore_logging: None) -> None:
    """A misspelt format or level is a ValueError naming the choices."""
    with pytest.raises(ValueError, match="auto, human, json"):
        logs.configure("xml", "info", io.StringIO())
    with pytest.raises(ValueError, match="debug, info, warning, error"):
        logs.configure("json", "loud", io.StringIO())


def test_a_tally_logs_totals_once_per_interval(caplog: pytest.LogCaptureFixture) -> None:
    """Counts add up until the interval passes or the tally is flushed; zeros are left out."""
    caplog.set_level(logging.INFO, logger="openvoucher.test")
    tally = logs.Tally(logging.getLogger("openvoucher.test"), "did work", interval=3600)
    tally.add(claimed=2, failed=0)
    tally.add(claimed=3, delivered=1)
    assert caplog.records == []
    tally.flush()
    (record,) = caplog.records
    assert logs.fields_of(record) == {"claimed": 5, "delivered": 1}
    tally.flush()
    assert len(caplog.records) == 1
