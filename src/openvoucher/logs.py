"""Log set-up: the standard library's ``logging`` with two formatters (docs/adr/0020-logging.md).

Every line is a ``LogRecord``; structured fields travel in ``extra={"fields": {...}}``. On a
terminal they print as ``key=value`` after the message, otherwise each record is one JSON
object (time, level, logger, message, the fields, the traceback as ``exc``). uvicorn,
SQLAlchemy and Alembic log through the same handler.
"""

from __future__ import annotations

import logging
import sys
import time
from collections.abc import Mapping
from datetime import UTC, datetime
from typing import Any, TextIO

import orjson

FORMATS = ("auto", "human", "json")
LEVELS = ("debug", "info", "warning", "error")


def fields_of(record: logging.LogRecord) -> Mapping[str, Any]:
    """The structured fields of ``record`` (empty when it has none)."""
    found = getattr(record, "fields", None)
    return found if isinstance(found, Mapping) else {}


_second: list[Any] = [-1, ""]
"""The last whole second formatted, and its text (formatting a time costs more than a line)."""


def _timestamp(record: logging.LogRecord) -> str:
    """``2026-12-07T16:00:00.123Z``."""
    whole = int(record.created)
    if whole != _second[0]:
        text = datetime.fromtimestamp(whole, UTC).strftime("%Y-%m-%dT%H:%M:%S")
        _second[:] = [whole, text]
    return f"{_second[1]}.{int(record.msecs):03d}Z"


class JsonFormatter(logging.Formatter):
    """One JSON object per record."""

    def format(self, record: logging.LogRecord) -> str:
        """The record as a JSON line (no newline)."""
        line: dict[str, Any] = {
            "time": _timestamp(record),
            "level": record.levelname.lower(),
            "logger": record.name,
            "message": record.getMessage(),
        }
        line.update(fields_of(record))
        if record.exc_info:
            line["exc"] = self.formatException(record.exc_info)
        return orjson.dumps(line, default=str).decode()


class HumanFormatter(logging.Formatter):
    """``time LEVEL logger: message key=value …`` and the traceback below."""

    def format(self, record: logging.LogRecord) -> str:
        """The record as a readable line (a traceback follows on its own lines)."""
        pairs = " ".join(f"{key}={value}" for key, value in fields_of(record).items())
        text = f"{_timestamp(record)} {record.levelname:<7} {record.name}: {record.getMessage()}"
        if pairs:
            text = f"{text} {pairs}"
        if record.exc_info:
            text = f"{text}\n{self.formatException(record.exc_info)}"
        return text


def resolve_format(chosen: str, stream: TextIO) -> str:
    """``human`` or ``json``: ``auto`` is human on a terminal, JSON otherwise."""
    if chosen not in FORMATS:
        raise ValueError(f"log format must be one of {', '.join(FORMATS)}, not {chosen!r}")
    if chosen != "auto":
        return chosen
    isatty = getattr(stream, "isatty", None)
    return "human" if isatty is not None and isatty() else "json"


def configure(log_format: str = "auto", level: str = "info", stream: TextIO | None = None) -> None:
    """Send every logger's records to ``stream`` (default stderr) in the chosen format."""
    if level.lower() not in LEVELS:
        raise ValueError(f"log level must be one of {', '.join(LEVELS)}, not {level!r}")
    out = stream or sys.stderr
    handler = logging.StreamHandler(out)
    chosen = resolve_format(log_format, out)
    handler.setFormatter(JsonFormatter() if chosen == "json" else HumanFormatter())
    # Our lines name neither threads nor processes: skip looking them up for every record.
    logging.logThreads = logging.logProcesses = logging.logMultiprocessing = False
    root = logging.getLogger()
    for old in list(root.handlers):
        root.removeHandler(old)
    root.addHandler(handler)
    root.setLevel(level.upper())
    for name in ("uvicorn", "uvicorn.error", "uvicorn.access"):
        logging.getLogger(name).handlers.clear()
        logging.getLogger(name).propagate = True
    logging.getLogger("uvicorn.access").disabled = True  # our access line replaces it
    if level.lower() != "debug":
        logging.getLogger("alembic").setLevel(logging.WARNING)  # "Context impl …" each start


class Tally:
    """Counts a background job's work and logs them at most every ``interval`` seconds, so a
    busy relay writes one line a while, not one per cycle."""

    def __init__(self, logger: logging.Logger, message: str, interval: float = 10.0) -> None:
        self.logger = logger
        self.message = message
        self.interval = interval
        self.counts: dict[str, int] = {}
        self._since = time.monotonic()

    def add(self, **counts: int) -> None:
        """Add ``counts``; log the totals when the interval has passed."""
        for key, value in counts.items():
            if value:
                self.counts[key] = self.counts.get(key, 0) + value
        if time.monotonic() - self._since >= self.interval:
            self.flush()

    def flush(self) -> None:
        """Log what was counted since the last line, if anything."""
        self._since = time.monotonic()
        if self.counts:
            counts, self.counts = self.counts, {}
            self.logger.info(self.message, extra={"fields": counts})
