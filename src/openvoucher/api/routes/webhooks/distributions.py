"""``/v1/distributions`` (openvoucher's extension): triggers and webhook channels."""

from __future__ import annotations

from typing import Any

from openvoucher.api.lists import page_listing
from openvoucher.api.params import page_params
from openvoucher.api.routing import ApiRequest, Routes
from openvoucher.api.schemas.webhooks import DistributionFields, distribution_fields
from openvoucher.webhooks import distributions
from openvoucher.webhooks.presenters.distributions import distribution

routes = Routes()


@routes.post("/v1/distributions")
def create_distribution(request: ApiRequest) -> dict[str, Any]:
    """Create a distribution sending each matching customer event to its channels."""
    fields = distribution_fields(request.json(DistributionFields))
    return distribution(distributions.create(request.uow, request.project_id, fields))


@routes.get("/v1/distributions")
def list_distributions(request: ApiRequest) -> dict[str, Any]:
    """The project's distributions, newest first."""
    page = page_params(request.query)
    rows, total = distributions.list_distributions(
        request.uow, request.project_id, limit=page.limit, offset=page.offset
    )
    return page_listing([distribution(r) for r in rows], total, page, "distributions")


@routes.get("/v1/distributions/{distributionId}")
def get_distribution(request: ApiRequest) -> dict[str, Any]:
    """One distribution."""
    ident = request.path["distributionId"]
    return distribution(distributions.get(request.uow, request.project_id, ident))


@routes.put("/v1/distributions/{distributionId}")
def update_distribution(request: ApiRequest) -> dict[str, Any]:
    """Change the given fields (``channels`` replaces the list)."""
    fields = distribution_fields(request.json(DistributionFields))
    ident = request.path["distributionId"]
    return distribution(distributions.update(request.uow, request.project_id, ident, fields))


@routes.delete("/v1/distributions/{distributionId}", status=204)
def delete_distribution(request: ApiRequest) -> None:
    """Remove a distribution."""
    distributions.delete(request.uow, request.project_id, request.path["distributionId"])
