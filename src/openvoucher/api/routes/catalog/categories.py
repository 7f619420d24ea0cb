"""``/v1/categories``."""

from __future__ import annotations

from typing import Any

from openvoucher.api.routing import ApiRequest, Routes
from openvoucher.api.schemas.categories import CategoryFields
from openvoucher.catalog import categories
from openvoucher.catalog.model import CategoryFields as CategoryChange
from openvoucher.catalog.presenters.categories import categories_list, category, category_created

routes = Routes()


def _command(body: CategoryFields) -> CategoryChange:
    """The use case's command: null and absent both mean "not given"."""
    return CategoryChange(
        name=body.name if isinstance(body.name, str) else None,
        hierarchy=body.hierarchy if isinstance(body.hierarchy, int) else None,
    )


@routes.post("/v1/categories")
def create_category(request: ApiRequest) -> dict[str, Any]:
    """Create a category with a unique name and a hierarchy."""
    fields = _command(request.json(CategoryFields))
    return category_created(categories.create(request.uow, request.project_id, fields))


@routes.get("/v1/categories")
def list_categories(request: ApiRequest) -> dict[str, Any]:
    """Every category of the project."""
    return categories_list(categories.list_categories(request.uow, request.project_id))


@routes.get("/v1/categories/{categoryId}")
def get_category(request: ApiRequest) -> dict[str, Any]:
    """By id."""
    return category(categories.get(request.uow, request.project_id, request.path["categoryId"]))


@routes.put("/v1/categories/{categoryId}")
def update_category(request: ApiRequest) -> dict[str, Any]:
    """Change name and/or hierarchy."""
    fields = _command(request.json(CategoryFields))
    row = categories.update(request.uow, request.project_id, request.path["categoryId"], fields)
    return category(row)


@routes.delete("/v1/categories/{categoryId}", status=204)
def delete_category(request: ApiRequest) -> None:
    """Remove a category."""
    categories.delete(request.uow, request.project_id, request.path["categoryId"])
