"""Project webhook endpoints and distributions of one project."""

from __future__ import annotations

from typing import Any

from openvoucher.adapters.db.repositories.scoped import ScopedRows
from openvoucher.adapters.db.schema.webhooks import distributions, webhook_endpoints


class _Scoped(ScopedRows):
    """Webhook endpoints or distributions: pages of them, and the active ones."""

    def page(self, *, limit: int, offset: int) -> tuple[list[dict[str, Any]], int]:
        """Newest first, and the total."""
        c = self.table.c
        query = self._scoped().order_by(c.created_at.desc(), c.id).limit(limit).offset(offset)
        rows = [dict(r) for r in self.conn.execute(query).mappings()]
        return rows, self._count()

    def active(self) -> list[dict[str, Any]]:
        """Every active row of the project."""
        query = self._scoped().where(self.table.c.active.is_(True))
        return [dict(r) for r in self.conn.execute(query).mappings()]


class WebhookEndpointRepository(_Scoped):
    """Project webhook endpoints (``/management/v1/projects/{id}/webhooks``)."""

    table = webhook_endpoints


class DistributionRepository(_Scoped):
    """Distributions (``/v1/distributions``)."""

    table = distributions

    def active_for(self, trigger: str) -> list[dict[str, Any]]:
        """Active distributions triggered by ``trigger``."""
        c = distributions.c
        query = self._scoped().where(c.trigger == trigger, c.active.is_(True))
        return [dict(r) for r in self.conn.execute(query).mappings()]
