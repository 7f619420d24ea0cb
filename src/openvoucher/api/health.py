"""``/health/live`` (the process answers), ``/health/ready`` (it can serve: the database
answers, its schema is at our newest migration, and the webhook relay runs when this process
is the one running it); ``/health`` is ``/health/ready`` under its old name."""

from __future__ import annotations

from typing import Any

import orjson
from sqlalchemy.exc import SQLAlchemyError
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from openvoucher import __version__
from openvoucher.adapters.db.migrate import current_revision, head_revision

JSON = "application/json"


def health_routes(container: Any) -> list[Route]:
    """The three health routes for ``container``."""
    head = head_revision(container.engine)

    async def live(_request: Request) -> Response:
        return _reply({"status": "ok", "version": __version__}, 200)

    async def ready(_request: Request) -> Response:
        checks = await run_in_threadpool(readiness, container, head)
        ok = all(value == "ok" for value in checks.values())
        body = {"status": "ok" if ok else "unavailable", "version": __version__, "checks": checks}
        return _reply(body, 200 if ok else 503)

    return [
        Route("/health/live", live, methods=["GET"]),
        Route("/health/ready", ready, methods=["GET"]),
        Route("/health", ready, methods=["GET"]),
    ]


def readiness(container: Any, head: str | None) -> dict[str, str]:
    """Each check's verdict: ``ok`` or what is wrong."""
    checks = {"database": "ok", "schema": "ok"}
    try:
        current = current_revision(container.engine)
        if current != head:
            at = current or "nothing"
            checks["schema"] = f"at {at}, expected {head} (run openvoucher migrate)"
    except SQLAlchemyError as exc:
        first = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        checks["database"] = f"unreachable: {first}"
        checks["schema"] = "unknown"
    relays = [job for job in container.background if hasattr(job, "alive")]
    if relays:
        checks["relay"] = "ok" if all(job.alive for job in relays) else "not running"
    return checks


def _reply(body: dict[str, Any], status: int) -> Response:
    return Response(orjson.dumps(body), status_code=status, media_type=JSON)
