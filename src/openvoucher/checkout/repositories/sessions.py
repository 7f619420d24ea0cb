"""LOCK validation sessions: what each session holds of a voucher until it expires."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

from sqlalchemy import Connection, bindparam, delete, func, select
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert

from openvoucher.adapters.db.prepared import PROJECT, for_dialect, in_ids
from openvoucher.adapters.db.schema.redemptions import redemption_sessions as sessions


class SessionRepository:
    """SQL for session locks, scoped to one project."""

    def __init__(self, conn: Connection, project_id: str) -> None:
        self.conn = conn
        self.project_id = project_id

    def held(
        self, voucher_ids: Iterable[str], now: datetime, *, besides: str | None
    ) -> dict[str, tuple[int, int]]:
        """``voucher_id → (quantity, credits)`` held by live sessions other than ``besides``."""
        ids = sorted(set(voucher_ids))
        if not ids:
            return {}
        params = {PROJECT: self.project_id, "_ids": ids, "_now": now}
        query = HELD
        if besides is not None:
            query, params["_besides"] = HELD_BESIDES, besides
        rows = self.conn.execute(for_dialect(self.conn, query), params)
        return {row[0]: (int(row[1] or 0), int(row[2] or 0)) for row in rows}

    def hold(
        self, key: str, voucher_id: str, credits: int, now: datetime, expires_at: datetime
    ) -> None:
        """Hold one use (and ``credits``) of a voucher for ``key``; re-holding replaces it."""
        insert = pg_insert if self.conn.dialect.name == "postgresql" else sqlite_insert
        values = {"quantity": 1, "credits": credits, "expires_at": expires_at, "created_at": now}
        statement = insert(sessions).values(
            project_id=self.project_id, key=key, voucher_id=voucher_id, **values
        )
        statement = statement.on_conflict_do_update(
            index_elements=["project_id", "key", "voucher_id"], set_=values
        )
        self.conn.execute(statement)

    def release(self, key: str, voucher_id: str | None = None) -> int:
        """Drop what ``key`` holds (of one voucher, or of all); how many holds went."""
        statement = delete(sessions).where(
            sessions.c.project_id == self.project_id, sessions.c.key == key
        )
        if voucher_id is not None:
            statement = statement.where(sessions.c.voucher_id == voucher_id)
        return int(self.conn.execute(statement).rowcount)

    def purge_expired(self, voucher_ids: Iterable[str], now: datetime) -> None:
        """Forget expired holds of these vouchers."""
        ids = sorted(set(voucher_ids))
        if ids:
            self.conn.execute(
                delete(sessions).where(
                    sessions.c.project_id == self.project_id,
                    sessions.c.voucher_id.in_(ids),
                    sessions.c.expires_at <= now,
                )
            )


# Hot statements, built once (see ``adapters.db.prepared``): one indexed read
# (project_id, voucher_id, expires_at) per evaluation.
_HELD_OF = in_ids(sessions.c.voucher_id, "_ids")
HELD = {
    dialect: select(
        sessions.c.voucher_id, func.sum(sessions.c.quantity), func.sum(sessions.c.credits)
    )
    .where(
        sessions.c.project_id == bindparam(PROJECT),
        of_ids,
        sessions.c.expires_at > bindparam("_now", type_=sessions.c.expires_at.type),
    )
    .group_by(sessions.c.voucher_id)
    for dialect, of_ids in _HELD_OF.items()
}
"""By dialect (see ``prepared.in_ids``)."""
HELD_BESIDES = {
    dialect: held.where(sessions.c.key != bindparam("_besides")) for dialect, held in HELD.items()
}
