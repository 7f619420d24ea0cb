"""Project webhook endpoints and distributions of one project."""

from __future__ import annotations

from typing import Any

from sqlalchemy import RowMapping, select

from openvoucher.adapters.db.schema.core import projects
from openvoucher.adapters.db.schema.webhooks import distributions, webhook_endpoints
from openvoucher.kernel.scoped import ScopedRows
from openvoucher.webhooks.model import Channel, Distribution, WebhookEndpoint


class _Scoped(ScopedRows):
    """Webhook endpoints or distributions: pages of them (the relay finds the active ones of
    every project at once: ``webhooks_delivery.subscribers``)."""

    def page(self, *, limit: int, offset: int) -> tuple[list[dict[str, Any]], int]:
        """Newest first, and the total."""
        rows = [dict(r) for r in self._newest(limit, offset)]
        return rows, self._count()

    def _newest(self, limit: int, offset: int) -> list[RowMapping]:
        c = self.table.c
        query = self._scoped().order_by(c.created_at.desc(), c.id).limit(limit).offset(offset)
        return list(self.conn.execute(query).mappings())


class WebhookEndpointRepository(_Scoped):
    """Project webhook endpoints (``/management/v1/projects/{id}/webhooks``)."""

    table = webhook_endpoints

    def project_exists(self) -> bool:
        """Whether the repository's project exists (endpoints are managed per project)."""
        query = select(projects.c.id).where(projects.c.id == self.project_id)
        return self.conn.execute(query).first() is not None

    def endpoint(self, webhook_id: str) -> WebhookEndpoint | None:
        """One endpoint by id."""
        c = self.table.c
        found = self.conn.execute(self._scoped().where(c.id == webhook_id)).mappings().first()
        return _endpoint(found) if found else None

    def endpoints(self, *, limit: int, offset: int) -> tuple[list[WebhookEndpoint], int]:
        """A page of endpoints, newest first, and the total."""
        return [_endpoint(r) for r in self._newest(limit, offset)], self._count()


def _endpoint(row: RowMapping) -> WebhookEndpoint:
    return WebhookEndpoint(
        id=row["id"],
        target_url=row["target_url"],
        events=tuple(row["events"]),
        active=row["active"],
        headers=dict(row["headers"] or {}),
        created_at=row["created_at"],
        updated_at=row["updated_at"],
    )


class DistributionRepository(_Scoped):
    """Distributions (``/v1/distributions``)."""

    table = distributions

    def distribution(self, distribution_id: str) -> Distribution | None:
        """One distribution by id."""
        c = self.table.c
        query = self._scoped().where(c.id == distribution_id)
        found = self.conn.execute(query).mappings().first()
        return _distribution(found) if found else None

    def distributions(self, *, limit: int, offset: int) -> tuple[list[Distribution], int]:
        """A page of distributions, newest first, and the total."""
        return [_distribution(r) for r in self._newest(limit, offset)], self._count()


def _distribution(row: RowMapping) -> Distribution:
    return Distribution(
        id=row["id"],
        name=row["name"],
        trigger=row["trigger"],
        active=row["active"],
        channels=tuple(_channel(c) for c in row["channels"]),
        created_at=row["created_at"],
        updated_at=row["updated_at"],
    )


def _channel(stored: dict[str, Any]) -> Channel:
    return Channel(
        url=stored["url"],
        event_name=stored["event_name"],
        headers=dict(stored.get("headers") or {}),
        payload=stored.get("payload"),
        raw_payload=bool(stored.get("raw_payload")),
        type=stored.get("type", "webhook"),
    )
