"""Project webhook endpoints (management API) and the sendout log with manual retry."""

from __future__ import annotations

from dataclasses import replace
from typing import Any
from urllib.parse import urlsplit

from openvoucher.kernel.errors import InvalidPayload, NotFound
from openvoucher.kernel.ids import new_id
from openvoucher.kernel.scoped import ScopedRows
from openvoucher.kernel.unit_of_work import Tx, UnitOfWork
from openvoucher.webhooks.events import project_event
from openvoucher.webhooks.model import EndpointFields, Sendout, WebhookEndpoint, given_columns
from openvoucher.webhooks.repositories import webhooks_delivery as delivery_repo
from openvoucher.webhooks.repositories.webhooks import WebhookEndpointRepository
from openvoucher.webhooks.repositories.webhooks_sendouts import (
    SendoutFilter,
    SendoutRepository,
)


def check_url(url: str, field: str = "target_url") -> str:
    """An absolute http(s) URL, or 400."""
    parts = urlsplit(url)
    if parts.scheme not in {"http", "https"} or not parts.hostname:
        raise InvalidPayload("Invalid payload", f"'{field}' must be an absolute http(s) URL")
    return url


def check_headers(headers: dict[str, str]) -> dict[str, str]:
    """Custom headers: names unique regardless of case, no line breaks in values."""
    seen: set[str] = set()
    for name, value in headers.items():
        lowered = name.strip().lower()
        if not lowered or lowered in seen or any(c in value for c in "\r\n"):
            raise InvalidPayload("Invalid payload", f"Invalid custom header '{name}'")
        seen.add(lowered)
    return headers


def canonical_events(names: list[str]) -> list[str]:
    """Subscribed events, correctly spelled, in order, without repeats; 400 for unknown ones."""
    result: list[str] = []
    for name in names:
        canonical = project_event(name)
        if canonical is None:
            raise InvalidPayload("Invalid payload", f"Unknown webhook event '{name}'")
        if canonical not in result:
            result.append(canonical)
    return result


def require_fields(values: dict[str, Any], names: tuple[str, ...]) -> None:
    """400 ``'<name>' is required`` for the first of ``names`` not in ``values``."""
    for required in names:
        if required not in values:
            raise InvalidPayload("Invalid payload", f"'{required}' is required")


def store_change(
    tx: Tx, repo: ScopedRows, row_id: str, values: dict[str, Any], stopped: str
) -> None:
    """Write the changed fields; when ``active`` turns false its pending sendouts fail
    with ``stopped``."""
    repo.update(row_id, {**values, "updated_at": tx.now})
    if values.get("active") is False:
        delivery_repo.fail_pending(tx.conn, row_id, stopped, tx.now)


def remove(tx: Tx, repo: ScopedRows, row_id: str, reason: str) -> None:
    """Delete the row; its pending sendouts fail with ``reason``, its log stays."""
    repo.delete(row_id)
    delivery_repo.fail_pending(tx.conn, row_id, reason, tx.now)


def _checked(fields: EndpointFields) -> dict[str, Any]:
    """The columns to write: the fields given, checked, events correctly spelled."""
    values = given_columns(fields)
    if "target_url" in values:
        check_url(values["target_url"])
    if "events" in values:
        values["events"] = canonical_events(list(values["events"]))
    if "headers" in values:
        check_headers(values["headers"])
    return values


def _require_project(tx: Tx, project_id: str) -> None:
    if not WebhookEndpointRepository(tx.conn, project_id).project_exists():
        raise NotFound("project", project_id)


def _require(tx: Tx, webhook_id: str) -> WebhookEndpoint:
    _require_project(tx, tx.project_id)
    row = WebhookEndpointRepository(tx.conn, tx.project_id).endpoint(webhook_id)
    if row is None:
        raise NotFound("webhook", webhook_id)
    return row


def create(uow: UnitOfWork, project_id: str, fields: EndpointFields) -> WebhookEndpoint:
    """A new endpoint; ``target_url`` and ``events`` are required, ``active`` defaults to true."""
    values = _checked(fields)
    require_fields(values, ("target_url", "events"))
    with uow.write(project_id) as tx:
        _require_project(tx, project_id)
        repo = WebhookEndpointRepository(tx.conn, project_id)
        webhook_id = new_id("webhook")
        repo.insert(
            {"id": webhook_id, "active": True, "headers": {}, "created_at": tx.now, **values}
        )
        return _require(tx, webhook_id)


def get(uow: UnitOfWork, project_id: str, webhook_id: str) -> WebhookEndpoint:
    """One endpoint."""
    with uow.read(project_id) as tx:
        return _require(tx, webhook_id)


def list_webhooks(
    uow: UnitOfWork, project_id: str, *, limit: int, offset: int
) -> tuple[list[WebhookEndpoint], int]:
    """A page of endpoints and the total."""
    with uow.read(project_id) as tx:
        _require_project(tx, project_id)
        repo = WebhookEndpointRepository(tx.conn, project_id)
        return repo.endpoints(limit=limit, offset=offset)


def update(
    uow: UnitOfWork, project_id: str, webhook_id: str, fields: EndpointFields
) -> WebhookEndpoint:
    """Change the given fields; deactivating gives up on its pending sendouts."""
    values = _checked(fields)
    with uow.write(project_id) as tx:
        _require(tx, webhook_id)
        repo = WebhookEndpointRepository(tx.conn, project_id)
        store_change(tx, repo, webhook_id, values, "webhook deactivated")
        return _require(tx, webhook_id)


def delete(uow: UnitOfWork, project_id: str, webhook_id: str) -> None:
    """Remove an endpoint; its pending sendouts fail, its log stays."""
    with uow.write(project_id) as tx:
        _require(tx, webhook_id)
        remove(tx, WebhookEndpointRepository(tx.conn, project_id), webhook_id, "webhook deleted")


def list_sendouts(
    uow: UnitOfWork, project_id: str, filters: SendoutFilter, *, limit: int, offset: int
) -> tuple[list[Sendout], int]:
    """A page of the sendout log, newest first."""
    with uow.read(project_id) as tx:
        return SendoutRepository(tx.conn, project_id).page(filters, limit=limit, offset=offset)


def get_sendout(uow: UnitOfWork, project_id: str, sendout_id: str) -> Sendout:
    """One sendout with its attempts (``attempt_log``)."""
    with uow.read(project_id) as tx:
        return _sendout(tx, sendout_id)


def _sendout(tx: Tx, sendout_id: str) -> Sendout:
    repo = SendoutRepository(tx.conn, tx.project_id)
    found = repo.get(sendout_id)
    if found is None:
        raise NotFound("webhook_sendout", sendout_id)
    return replace(found, attempt_log=repo.attempts(sendout_id))


def retry_sendout(uow: UnitOfWork, project_id: str, sendout_id: str) -> Sendout:
    """Send again now (same id and body); the relay is woken on commit."""
    with uow.write(project_id) as tx:
        _sendout(tx, sendout_id)
        SendoutRepository(tx.conn, project_id).reschedule(sendout_id, tx.now)
        tx.wake_relay()
        return _sendout(tx, sendout_id)
