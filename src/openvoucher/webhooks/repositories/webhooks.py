"""Project webhook endpoints and distributions of one project."""

from __future__ import annotations

from typing import Any

from openvoucher.adapters.db.schema.webhooks import distributions, webhook_endpoints
from openvoucher.kernel.scoped import ScopedRows


class _Scoped(ScopedRows):
    """Webhook endpoints or distributions: pages of them (the relay finds the active ones of
    every project at once: ``webhooks_delivery.subscribers``)."""

    def page(self, *, limit: int, offset: int) -> tuple[list[dict[str, Any]], int]:
        """Newest first, and the total."""
        c = self.table.c
        query = self._scoped().order_by(c.created_at.desc(), c.id).limit(limit).offset(offset)
        rows = [dict(r) for r in self.conn.execute(query).mappings()]
        return rows, self._count()


class WebhookEndpointRepository(_Scoped):
    """Project webhook endpoints (``/management/v1/projects/{id}/webhooks``)."""

    table = webhook_endpoints


class DistributionRepository(_Scoped):
    """Distributions (``/v1/distributions``)."""

    table = distributions
