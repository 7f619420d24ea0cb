"""Failure injection for webhook receivers (dev features only).

A plan makes the next N attempts to one endpoint fail without reaching it: ``status500`` records
a 500 answer, ``timeout`` records a deadline miss; ``deliver_and_fail`` does send the request but
records the attempt as failed, so the receiver sees the same ``whs_`` sendout again on the retry
(a test of idempotent handling). The relay's dispatcher consults the plan before each attempt;
the retry schedule (``OPENVOUCHER_WEBHOOK_RETRY_SCHEDULE``) then takes over as for real failures.
Plans live in the server process's memory: they do not survive a restart and do not reach
separate ``openvoucher worker`` processes.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass
from typing import Any

from openvoucher.kernel.errors import InvalidPayload
from openvoucher.kernel.unit_of_work import UnitOfWork
from openvoucher.webhooks import endpoints as webhooks
from openvoucher.webhooks.model import FailurePlanFields

MODES = ("status500", "timeout", "deliver_and_fail")
MAX_FAILURES = 1000


@dataclass
class Plan:
    """How many more attempts to fail, and how."""

    remaining: int
    mode: str


class FailureInjector:
    """Per-endpoint failure plans; thread-safe, consumed one attempt at a time."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._plans: dict[str, Plan] = {}

    def plan(self, source_id: str, count: int, mode: str) -> Plan:
        """Fail the next ``count`` attempts to ``source_id`` (0 clears the plan)."""
        with self._lock:
            if count <= 0:
                self._plans.pop(source_id, None)
                return Plan(0, mode)
            self._plans[source_id] = Plan(count, mode)
            return Plan(count, mode)

    def current(self, source_id: str) -> Plan:
        """The plan left for ``source_id``."""
        with self._lock:
            found = self._plans.get(source_id)
            return Plan(found.remaining, found.mode) if found else Plan(0, MODES[0])

    def take(self, source_id: str) -> str | None:
        """The failure mode for the attempt about to start, consuming one; None: send."""
        with self._lock:
            found = self._plans.get(source_id)
            if found is None:
                return None
            found.remaining -= 1
            if found.remaining <= 0:
                del self._plans[source_id]
            return found.mode


def render(webhook_id: str, plan: Plan) -> dict[str, Any]:
    """JSON shape of an endpoint's plan."""
    return {
        "object": "webhook_failure_plan",
        "webhook_id": webhook_id,
        "fail_next": plan.remaining,
        "mode": plan.mode,
    }


def inject(
    uow: UnitOfWork,
    injector: FailureInjector,
    project_id: str,
    webhook_id: str,
    wanted: FailurePlanFields,
) -> dict[str, Any]:
    """Set the plan of one of the project's endpoints (404 if it is not the project's)."""
    webhooks.get(uow, project_id, webhook_id)
    count, mode = wanted.fail_next, wanted.mode or MODES[0]
    if mode not in MODES:
        raise InvalidPayload("Invalid payload", f"'mode' must be one of: {', '.join(MODES)}")
    if not isinstance(count, int) or isinstance(count, bool) or not 0 <= count <= MAX_FAILURES:
        raise InvalidPayload("Invalid payload", f"'fail_next' must be 0 to {MAX_FAILURES}")
    return render(webhook_id, injector.plan(webhook_id, count, mode))


def show(
    uow: UnitOfWork, injector: FailureInjector, project_id: str, webhook_id: str
) -> dict[str, Any]:
    """The plan of one of the project's endpoints."""
    webhooks.get(uow, project_id, webhook_id)
    return render(webhook_id, injector.current(webhook_id))
