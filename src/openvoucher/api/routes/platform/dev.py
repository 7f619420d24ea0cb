"""openvoucher's dev extension (``/v1/_test/...``): time travel and webhook failure injection.

Served only when the server runs with dev features (``openvoucher serve --dev`` or
``OPENVOUCHER_DEV=1``); otherwise every route answers 404 like an unknown path (after the
usual key check).
"""

from __future__ import annotations

import threading
from typing import Any

from msgspec import UNSET

from openvoucher.adapters.clock import ProjectClocks
from openvoucher.api.routing import ApiRequest, Routes
from openvoucher.api.schemas.dev import ClockMove, FailurePlan
from openvoucher.kernel.clock import parse_datetime
from openvoucher.kernel.errors import InvalidPayload, VoucherifyError
from openvoucher.platform import dev_clock, reset
from openvoucher.platform.domain.durations import parse_duration
from openvoucher.webhooks import failure_injection
from openvoucher.webhooks.failure_injection import FailureInjector
from openvoucher.webhooks.model import FailurePlanFields

routes = Routes()

_ATTACH = threading.Lock()


def _dev(request: ApiRequest) -> None:
    if not request.container.settings.dev_features:
        raise VoucherifyError("Resource not found", "No such endpoint", key="not_found", status=404)


@routes.get("/v1/_test/clock")
def show_clock(request: ApiRequest) -> dict[str, Any]:
    """The calling project's clock: now and whether it is frozen."""
    _dev(request)
    return dev_clock.status(dev_clock.Machinery.of(request.container, request.project_id))


@routes.post("/v1/_test/clock")
def move_clock(request: ApiRequest) -> dict[str, Any]:
    """Set, advance, freeze or unfreeze the project's clock; moving forward runs what falls
    due for the project (other projects' time and work are left alone)."""
    _dev(request)
    body = request.json(ClockMove)
    if body.reset is not UNSET:
        return _reset_clock(request, body)
    if body.set is UNSET and body.advance is UNSET and body.freeze is UNSET:
        raise InvalidPayload("Invalid payload", "Give one of 'set', 'advance', 'freeze' or 'reset'")
    if body.set is not UNSET and body.advance is not UNSET:
        raise InvalidPayload("Invalid payload", "Give either 'set' or 'advance', not both")
    machinery = dev_clock.Machinery.of(request.container, request.project_id)
    if body.freeze is True:
        dev_clock.freeze(machinery, True)
    move = None
    if body.set is not UNSET:
        move = dev_clock.travel(machinery, _instant(body.set))
    elif body.advance is not UNSET:
        move = dev_clock.advance(machinery, _duration(body.advance))
    if body.freeze is False:
        dev_clock.freeze(machinery, False)
    return dev_clock.status(machinery, move)


def _reset_clock(request: ApiRequest, body: ClockMove) -> dict[str, Any]:
    """``{"reset": true}``: the project follows real time again."""
    if body.set is not UNSET or body.advance is not UNSET or body.freeze is not UNSET:
        raise InvalidPayload("Invalid payload", "Give 'reset' alone")
    if body.reset is not True:
        raise InvalidPayload("Invalid payload", "'reset' can only be true")
    machinery = dev_clock.Machinery.of(request.container, request.project_id)
    dev_clock.reset(machinery)
    return dev_clock.status(machinery)


def _instant(text: str) -> Any:
    try:
        return parse_datetime(text)
    except ValueError:
        raise InvalidPayload("Invalid payload", f"'set' is not a date-time: '{text}'") from None


def _duration(value: str | int | float) -> Any:
    try:
        return parse_duration(value)
    except ValueError as exc:
        raise InvalidPayload("Invalid payload", f"'advance': {exc}") from None


def _injector(request: ApiRequest) -> FailureInjector:
    from openvoucher.webhooks.relay import Relay

    for worker in request.container.background:
        if isinstance(worker, Relay):
            with _ATTACH:
                if not isinstance(worker.faults, FailureInjector):
                    worker.faults = FailureInjector()
                return worker.faults
    raise VoucherifyError(
        "No relay",
        "This server process does not relay webhooks (OPENVOUCHER_RUN_RELAY=0)",
        key="relay_not_running",
        status=409,
    )


@routes.post("/v1/_test/webhooks/{webhookId}/failures")
def plan_failures(request: ApiRequest) -> dict[str, Any]:
    """Make the endpoint's next ``fail_next`` attempts fail (``mode``); 0 clears."""
    _dev(request)
    body = request.json(FailurePlan)
    fields = FailurePlanFields(body.fail_next, body.mode)
    return failure_injection.inject(
        request.uow, _injector(request), request.project_id, request.path["webhookId"], fields
    )


@routes.get("/v1/_test/webhooks/{webhookId}/failures")
def show_failures(request: ApiRequest) -> dict[str, Any]:
    """The endpoint's remaining planned failures."""
    _dev(request)
    return failure_injection.show(
        request.uow, _injector(request), request.project_id, request.path["webhookId"]
    )


@routes.post("/v1/_test/reset")
def reset_project(request: ApiRequest) -> dict[str, Any]:
    """Delete all of the calling project's data (keys and webhook endpoints stay)."""
    _dev(request)
    counts = reset.reset(request.uow, request.project_id)
    times = request.uow.times
    if isinstance(times, ProjectClocks):
        times.reset(request.project_id)  # its stored setting went with the project's rows
    return {"object": "project_reset", "project_id": request.project_id, "deleted": counts}
