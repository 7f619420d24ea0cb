"""``GET /v1/vouchers/{code}`` as a hot read (SQLite: no SQLAlchemy, no thread; see
``adapters.db.hot`` and docs/adr/0012-hot-reads.md): the same body as ``vouchers.get``, read
through the voucher repository's hot statements and rendered by the same presenters.
"""

from __future__ import annotations

from functools import lru_cache
from typing import Any

from openvoucher.adapters.db.hot import HotRead, RowConverter
from openvoucher.catalog.presenters.validation_rules import assignments_list
from openvoucher.catalog.presenters.vouchers import voucher
from openvoucher.catalog.repositories.vouchers_hot import (
    ASSIGNED,
    hot_json_shown_by_code_or_id,
    shown_row,
)
from openvoucher.kernel.encoded import EncodedJson, encoded
from openvoucher.kernel.errors import NotFound
from openvoucher.kernel.unit_of_work import UnitOfWork


def get_hot(uow: UnitOfWork, project_id: str, code: str) -> EncodedJson | None:
    """``get`` as a hot read (SQLite: no SQLAlchemy, no thread; see ``adapters.db.hot``), for
    the event loop, as the encoded body; None when the unit of work cannot read hot now: then
    call ``get``."""
    if uow.hot is None:
        return None
    return uow.hot.snapshot(
        lambda read: _shown_hot(read, uow.base_url, project_id, code), single=True
    )


def _shown_hot(read: HotRead, base_url: str, project_id: str, code: str) -> EncodedJson:
    """What ``shown(tx, require(tx, code))`` gives, encoded, from one hot snapshot of one
    statement."""
    found = hot_json_shown_by_code_or_id(read, project_id, code)
    if found is None:
        raise NotFound("voucher", code)
    text, convert = found
    return _rendered(text, convert, project_id, base_url)


RENDERED_MAX = 2048
"""Renders ``_rendered`` keeps (a few MB at most: a ~0.5–1 KB row text and its ~1 KB body
each)."""


def rendered_memo() -> Any:
    """The memo's figures (``functools`` cache info: hits, misses, size)."""
    return _rendered.cache_info()


@lru_cache(maxsize=RENDERED_MAX)
def _rendered(text: str, convert: RowConverter, project_id: str, base_url: str) -> EncodedJson:
    """The encoded voucher of a row just read (as SQLite's JSON text of its raw values): a
    pure function of its arguments (the presenters read nothing else, no clock), so memoised.
    The database is still read on every request; only the rendering of a row seen before is
    reused (docs/adr/0012-hot-reads.md)."""
    row = shown_row(text, convert, project_id)
    body = voucher(row, base_url)
    body["validation_rules_assignments"] = assignments_list(row[ASSIGNED])
    return encoded(body)
