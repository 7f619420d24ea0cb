"""Project webhook endpoints through their use cases."""

from __future__ import annotations

import pytest

from openvoucher.kernel.errors import NotFound
from openvoucher.webhooks import endpoints
from openvoucher.webhooks.model import EndpointFields
from tests.support.contexts import Context


def test_created_endpoint_is_listed(ctx: Context) -> None:
    """A new endpoint is active and listed with its events."""
    fields = EndpointFields("https://example.test/hook", ("voucher.created",))
    created = endpoints.create(ctx.uow, ctx.project_id, fields)
    rows, total = endpoints.list_webhooks(ctx.uow, ctx.project_id, limit=10, offset=0)
    assert total == 1
    assert (rows[0].id, rows[0].active, rows[0].events) == (created.id, True, ("voucher.created",))


def test_endpoint_of_an_unknown_project_is_not_found(ctx: Context) -> None:
    """Endpoints of a project that does not exist: 404."""
    fields = EndpointFields("https://example.test/hook", ("voucher.created",))
    with pytest.raises(NotFound):
        endpoints.create(ctx.uow, "proj_missing", fields)
