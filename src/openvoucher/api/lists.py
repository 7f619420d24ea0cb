"""The ``"object": "list"`` envelopes that list endpoints answer with."""

from __future__ import annotations

from typing import Any, Protocol

from openvoucher.api.params import Page, page_params
from openvoucher.api.routing import ApiRequest
from openvoucher.kernel.lists import listing
from openvoucher.kernel.unit_of_work import UnitOfWork


class ProgrammeLister(Protocol):
    """A service listing one page of what a loyalty programme holds, and the total."""

    def __call__(
        self, uow: UnitOfWork, project_id: str, ident: str, /, *, limit: int, offset: int
    ) -> tuple[list[dict[str, Any]], int]: ...


def page_listing(items: list[Any], total: int, page: Page, ref: str) -> dict[str, Any]:
    """:func:`listing` of one ``limit``/``page`` window, with ``has_more``."""
    body = listing(items, total, ref)
    body["has_more"] = page.offset + len(items) < total
    return body


def programme_listing(request: ApiRequest, lister: ProgrammeLister) -> dict[str, Any]:
    """A page (``limit``, ``page`` ≤ 100) of what ``lister`` holds for ``{campaignId}``."""
    page = page_params(request.query, max_page=100)
    rows, total = lister(
        request.uow,
        request.project_id,
        request.path["campaignId"],
        limit=page.limit,
        offset=page.offset,
    )
    return listing(rows, total)
