"""Distributions (our API for what Voucherify configures in its dashboard).

A distribution has a ``customer.*`` trigger and webhook channels; each matching event becomes
one sendout per channel, shaped as ``WebhookDistributionPayload`` or, with ``raw_payload``, as
the channel's template alone.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from openvoucher.kernel.errors import InvalidPayload, NotFound
from openvoucher.kernel.ids import new_id
from openvoucher.kernel.unit_of_work import Tx, UnitOfWork
from openvoucher.webhooks import templates
from openvoucher.webhooks.endpoints import (
    check_headers,
    check_url,
    remove,
    require_fields,
    store_change,
)
from openvoucher.webhooks.events import distribution_trigger
from openvoucher.webhooks.model import Channel, Distribution, DistributionFields, given_columns
from openvoucher.webhooks.repositories.webhooks import DistributionRepository


def _channel(index: int, channel: Channel) -> Channel:
    """The channel checked: an absolute URL, well-formed headers, a template yielding JSON."""
    check_url(channel.url, f"channels[{index}].url")
    check_headers(channel.headers)
    if channel.payload is not None:
        try:
            templates.check(channel.payload)
        except templates.TemplateError as exc:
            raise InvalidPayload("Invalid payload", f"channels[{index}].payload: {exc}") from exc
    return replace(channel, type="webhook")


def _checked(fields: DistributionFields) -> dict[str, Any]:
    """The columns to write: the fields given, the trigger and channels checked."""
    values = given_columns(fields)
    if "trigger" in values:
        trigger = distribution_trigger(values["trigger"])
        if trigger is None:
            raise InvalidPayload(
                "Invalid payload", "'trigger' must be a customer.* event, e.g. customer.order.paid"
            )
        values["trigger"] = trigger
    if "channels" in values:
        if not values["channels"]:
            raise InvalidPayload("Invalid payload", "'channels' needs at least one channel")
        checked = [_channel(i, c) for i, c in enumerate(values["channels"])]
        values["channels"] = [channel.columns() for channel in checked]
    return values


def _require(tx: Tx, distribution_id: str) -> Distribution:
    found = DistributionRepository(tx.conn, tx.project_id).distribution(distribution_id)
    if found is None:
        raise NotFound("distribution", distribution_id)
    return found


def create(uow: UnitOfWork, project_id: str, fields: DistributionFields) -> Distribution:
    """A new distribution; ``trigger`` and ``channels`` are required."""
    values = _checked(fields)
    require_fields(values, ("trigger", "channels"))
    with uow.write(project_id) as tx:
        distribution_id = new_id("distribution")
        DistributionRepository(tx.conn, project_id).insert(
            {"id": distribution_id, "active": True, "created_at": tx.now, **values}
        )
        return _require(tx, distribution_id)


def get(uow: UnitOfWork, project_id: str, distribution_id: str) -> Distribution:
    """One distribution."""
    with uow.read(project_id) as tx:
        return _require(tx, distribution_id)


def list_distributions(
    uow: UnitOfWork, project_id: str, *, limit: int, offset: int
) -> tuple[list[Distribution], int]:
    """A page of distributions and the total."""
    with uow.read(project_id) as tx:
        repo = DistributionRepository(tx.conn, project_id)
        return repo.distributions(limit=limit, offset=offset)


def update(
    uow: UnitOfWork, project_id: str, distribution_id: str, fields: DistributionFields
) -> Distribution:
    """Change the given fields; pausing gives up on pending sendouts."""
    values = _checked(fields)
    with uow.write(project_id) as tx:
        _require(tx, distribution_id)
        repo = DistributionRepository(tx.conn, project_id)
        store_change(tx, repo, distribution_id, values, "distribution paused")
        return _require(tx, distribution_id)


def delete(uow: UnitOfWork, project_id: str, distribution_id: str) -> None:
    """Remove a distribution; its pending sendouts fail, its log stays."""
    with uow.write(project_id) as tx:
        _require(tx, distribution_id)
        repo = DistributionRepository(tx.conn, project_id)
        remove(tx, repo, distribution_id, "distribution deleted")
