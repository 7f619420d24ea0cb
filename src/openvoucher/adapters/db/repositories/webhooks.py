"""Project webhook endpoints and distributions of one project."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Connection, Table, delete, func, insert, select, update

from openvoucher.adapters.db.schema.webhooks import distributions, webhook_endpoints


class _Scoped:
    """CRUD on one table, scoped to one project."""

    table: Table

    def __init__(self, conn: Connection, project_id: str) -> None:
        self.conn = conn
        self.project_id = project_id

    def _where(self) -> Any:
        return self.table.c.project_id == self.project_id

    def get(self, ident: str) -> dict[str, Any] | None:
        """By id."""
        query = select(self.table).where(self._where(), self.table.c.id == ident)
        found = self.conn.execute(query).mappings().first()
        return dict(found) if found else None

    def insert(self, row: dict[str, Any]) -> None:
        """Store a new row."""
        self.conn.execute(insert(self.table).values(project_id=self.project_id, **row))

    def update(self, ident: str, values: dict[str, Any]) -> None:
        """Change columns of one row."""
        query = update(self.table).where(self._where(), self.table.c.id == ident)
        self.conn.execute(query.values(**values))

    def delete(self, ident: str) -> None:
        """Remove one row."""
        self.conn.execute(delete(self.table).where(self._where(), self.table.c.id == ident))

    def page(self, *, limit: int, offset: int) -> tuple[list[dict[str, Any]], int]:
        """Newest first, and the total."""
        c = self.table.c
        query = select(self.table).where(self._where())
        query = query.order_by(c.created_at.desc(), c.id).limit(limit).offset(offset)
        rows = [dict(r) for r in self.conn.execute(query).mappings()]
        count = select(func.count()).select_from(self.table).where(self._where())
        return rows, int(self.conn.execute(count).scalar_one())

    def active(self) -> list[dict[str, Any]]:
        """Every active row of the project."""
        query = select(self.table).where(self._where(), self.table.c.active.is_(True))
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
        query = select(distributions).where(self._where(), c.trigger == trigger, c.active.is_(True))
        return [dict(r) for r in self.conn.execute(query).mappings()]
