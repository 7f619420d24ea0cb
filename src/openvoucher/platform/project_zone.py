"""The time zone of a transaction's project (Project settings → ``timezone``), read once.

Whatever judges time on the project's calendar asks here for the zone name and hands it to the
pure functions of :mod:`openvoucher.kernel.project_time`.
"""

from __future__ import annotations

from openvoucher.kernel.project_time import DEFAULT_ZONE
from openvoucher.kernel.unit_of_work import Tx
from openvoucher.platform.repositories import projects as project_repo


def zone_name(tx: Tx, project_id: str | None = None) -> str:
    """The IANA zone name of ``project_id`` (default: the transaction's project), read once
    per transaction; UTC when the project names none."""
    wanted = project_id or tx.project_id
    key = ("project_zone", wanted)
    if key not in tx.memo:
        row = project_repo.get_project(tx.conn, wanted)
        name = ((row or {}).get("attrs") or {}).get("timezone") or DEFAULT_ZONE
        tx.memo[key] = str(name)
    found: str = tx.memo[key]
    return found
