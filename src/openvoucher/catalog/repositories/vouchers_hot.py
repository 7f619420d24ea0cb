"""The voucher repository's hot lane (docs/adr/0012-hot-reads.md): the reads ``GET
/v1/vouchers/{code}`` makes, run by the SQLite hot reader on its prebuilt statements (the
repository's own, or a one-statement twin whose rows tests compare with the regular reads).
"""

from __future__ import annotations

from typing import Any

import orjson
from sqlalchemy import (
    Float,
    LargeBinary,
    Numeric,
    Select,
    func,
    select,
)

from openvoucher.adapters.db.hot import HotRead, RowConverter
from openvoucher.adapters.db.prepared import PROJECT
from openvoucher.adapters.db.schema.catalog import vouchers
from openvoucher.catalog.repositories.validation_rules import (
    assigned_json,
    assignments_of_json,
)
from openvoucher.catalog.repositories.vouchers import BY_CODE_OR_ID, code_first

ASSIGNED = "assigned_rules"
"""The key of a hot row's validation rule assignments (``hot_shown_by_code_or_id``)."""
BY_CODE_OR_ID_ASSIGNED = BY_CODE_OR_ID.add_columns(
    assigned_json("voucher", vouchers.c.id).label(ASSIGNED)
)


def hot_by_code_or_id(read: HotRead, project_id: str, ident: str) -> list[dict[str, Any]]:
    """The rows ``get_by_code_or_id`` picks from (the code match first), as a hot read."""
    return code_first(read.all_rows(BY_CODE_OR_ID, {PROJECT: project_id, "_ident": ident}), ident)


def hot_shown_by_code_or_id(read: HotRead, project_id: str, ident: str) -> list[dict[str, Any]]:
    """``hot_by_code_or_id``, each row with its validation rule assignments (the rows
    ``AssignmentRepository.of_objects`` gives) under ``ASSIGNED``: one statement."""
    rows = read.all_rows(BY_CODE_OR_ID_ASSIGNED, {PROJECT: project_id, "_ident": ident})
    for row in rows:
        row[ASSIGNED] = assignments_of_json(row[ASSIGNED], project_id, "voucher", row["id"])
    return code_first(rows, ident)


def hot_json_shown_by_code_or_id(
    read: HotRead, project_id: str, ident: str
) -> tuple[str, RowConverter] | None:
    """The first row of ``hot_shown_by_code_or_id`` as SQLite's JSON array of the raw values
    (for :func:`shown_row`), with the reader's converter of a decoded one; None: no such
    voucher. One text column instead of 29 (~2.5 µs less per read)."""
    rows, convert = read.json_rows(
        SHOWN_JSON, BY_CODE_OR_ID_ASSIGNED, {PROJECT: project_id, "_ident": ident}
    )
    if len(rows) > 1:
        rows.sort(key=lambda text: orjson.loads(text)[_CODE_AT] != ident)
    return (rows[0], convert) if rows else None


def shown_row(text: str, convert: RowConverter, project_id: str) -> dict[str, Any]:
    """A row of ``hot_shown_by_code_or_id`` from its JSON form (see
    ``hot_json_shown_by_code_or_id``)."""
    row = convert(orjson.loads(text))
    row[ASSIGNED] = assignments_of_json(row[ASSIGNED], project_id, "voucher", row["id"])
    return row


_CODE_AT = [c.key for c in BY_CODE_OR_ID_ASSIGNED.selected_columns].index("code")
"""The position of ``code`` in a raw row of ``BY_CODE_OR_ID_ASSIGNED``."""


def _json_array_of(statement: Select[Any]) -> Select[Any]:
    """``statement``'s rows, each as one SQLite ``json_array`` of its columns (decoded, the
    values the ``sqlite3`` module fetches: text, integers, NULL). Refuses floating-point
    columns: SQLite writes them with 15 digits, which does not round-trip."""
    inner = statement.subquery()
    for column in inner.c:
        if isinstance(column.type, (Float, Numeric, LargeBinary)):
            raise TypeError(f"{column.key} would not round-trip through json_array")
    return select(func.json_array(*inner.c))


SHOWN_JSON = _json_array_of(BY_CODE_OR_ID_ASSIGNED)
"""``BY_CODE_OR_ID_ASSIGNED``, each row as one JSON array text (same columns, same order)."""
