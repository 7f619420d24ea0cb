"""The one lookup behind the public asset links."""

from __future__ import annotations

from sqlalchemy import Connection, select

from openvoucher.adapters.db.schema.catalog import vouchers


def find_voucher_code(conn: Connection, voucher_id: str) -> str | None:
    """The code of the voucher with this id, in whichever project, or None.

    Asset links carry no keys: the random voucher id is the token, so this lookup is the one
    query that is not scoped to a project.
    """
    query = select(vouchers.c.code).where(vouchers.c.id == voucher_id)
    code = conn.execute(query).scalar_one_or_none()
    return str(code) if code is not None else None
