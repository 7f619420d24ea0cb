"""Exports of one project and the parts of their files."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Connection, RowMapping, delete, func, insert, select, update

from openvoucher.adapters.db.schema.exports import export_parts, exports
from openvoucher.platform.model import Export

ORDER_COLUMNS = {"created_at": exports.c.created_at, "status": exports.c.status}


def _export(row: RowMapping) -> Export:
    return Export(
        id=row["id"],
        exported_object=row["exported_object"],
        status=row["status"],
        channel=row["channel"],
        parameters=row["parameters"],
        token=row["token"],
        created_at=row["created_at"],
        async_action_id=row["async_action_id"],
        updated_at=row["updated_at"],
    )


class ExportRepository:
    """SQL for exports, scoped to one project."""

    def __init__(self, conn: Connection, project_id: str) -> None:
        self.conn = conn
        self.project_id = project_id

    def insert(self, export: Export) -> None:
        """Store a new export."""
        self.conn.execute(
            insert(exports).values(
                project_id=self.project_id,
                id=export.id,
                exported_object=export.exported_object,
                status=export.status,
                channel=export.channel,
                parameters=export.parameters,
                async_action_id=export.async_action_id,
                token=export.token,
                created_at=export.created_at,
                updated_at=export.updated_at,
            )
        )

    def get(self, export_id: str) -> Export | None:
        """One export (without its file)."""
        query = select(exports).where(
            exports.c.project_id == self.project_id, exports.c.id == export_id
        )
        found = self.conn.execute(query).mappings().first()
        return _export(found) if found else None

    def page(self, *, order: str, limit: int, offset: int) -> tuple[list[Export], int]:
        """A page of exports in ``order`` (``created_at``, ``status``, ``-`` for descending)."""
        column = ORDER_COLUMNS[order.lstrip("-")]
        ordering = column.desc() if order.startswith("-") else column.asc()
        scoped = exports.c.project_id == self.project_id
        query = select(exports).where(scoped).order_by(ordering, exports.c.id)
        rows = self.conn.execute(query.limit(limit).offset(offset)).mappings()
        total = self.conn.execute(select(func.count()).select_from(exports).where(scoped))
        return [_export(row) for row in rows], int(total.scalar_one())

    def update(self, export_id: str, values: dict[str, Any]) -> None:
        """Change columns of an export."""
        self.conn.execute(
            update(exports)
            .where(exports.c.project_id == self.project_id, exports.c.id == export_id)
            .values(**values)
        )

    def delete(self, export_id: str) -> bool:
        """Remove an export and its file; False when there was none."""
        self.clear_parts(export_id)
        gone = self.conn.execute(
            delete(exports).where(
                exports.c.project_id == self.project_id, exports.c.id == export_id
            )
        )
        return gone.rowcount > 0

    def add_part(self, export_id: str, seq: int, content: str) -> None:
        """Append part ``seq`` of an export's file."""
        values = {"export_id": export_id, "seq": seq, "content": content}
        self.conn.execute(insert(export_parts).values(project_id=self.project_id, **values))

    def clear_parts(self, export_id: str) -> None:
        """Drop what an interrupted run wrote of the file."""
        self.conn.execute(
            delete(export_parts).where(
                export_parts.c.project_id == self.project_id,
                export_parts.c.export_id == export_id,
            )
        )

    def part(self, export_id: str, seq: int) -> str | None:
        """Part ``seq`` of an export's file, or None past its end."""
        query = select(export_parts.c.content).where(
            export_parts.c.project_id == self.project_id,
            export_parts.c.export_id == export_id,
            export_parts.c.seq == seq,
        )
        found = self.conn.execute(query).scalar_one_or_none()
        return None if found is None else str(found)
