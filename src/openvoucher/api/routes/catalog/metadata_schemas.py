"""Metadata schemas: per project (management API) and for the calling project (``/v1``)."""

from __future__ import annotations

from typing import Any

from openvoucher.api.routing import ApiRequest, Routes
from openvoucher.api.schemas.customers import given
from openvoucher.api.schemas.project_settings import MetadataSchemaCreate, MetadataSchemaUpdate
from openvoucher.catalog import metadata_schemas
from openvoucher.catalog.model import MetadataSchemaFields
from openvoucher.catalog.presenters.metadata_schemas import metadata_schema, metadata_schemas_list

routes = Routes()


def _command(body: MetadataSchemaUpdate) -> MetadataSchemaFields:
    """The use case's command (null and absent both mean "not given")."""
    sent = given(body)
    return MetadataSchemaFields(
        related_object=sent.get("related_object"),
        allow_defined_only=sent.get("allow_defined_only"),
        properties=sent.get("properties"),
    )


BASE = "/management/v1/projects/{projectId}/metadata-schemas"


@routes.post(BASE, auth="management")
def create_schema(request: ApiRequest) -> dict[str, Any]:
    """Define the metadata schema of a resource type."""
    fields = _command(request.json(MetadataSchemaCreate))
    row = metadata_schemas.create(request.uow, request.path["projectId"], fields)
    return metadata_schema(row)


@routes.get(BASE, auth="management")
def list_schemas(request: ApiRequest) -> dict[str, Any]:
    """Every metadata schema of the project."""
    rows = metadata_schemas.list_schemas(request.uow, request.path["projectId"])
    return metadata_schemas_list(rows, "data")


@routes.get(BASE + "/{metadataSchemaId}", auth="management")
def get_schema(request: ApiRequest) -> dict[str, Any]:
    """By id."""
    path = request.path
    return metadata_schema(
        metadata_schemas.get(request.uow, path["projectId"], path["metadataSchemaId"])
    )


@routes.put(BASE + "/{metadataSchemaId}", auth="management")
def update_schema(request: ApiRequest) -> dict[str, Any]:
    """Add or replace definitions."""
    fields = _command(request.json(MetadataSchemaUpdate))
    path = request.path
    row = metadata_schemas.update(request.uow, path["projectId"], path["metadataSchemaId"], fields)
    return metadata_schema(row)


@routes.delete(BASE + "/{metadataSchemaId}", auth="management", status=204)
def delete_schema(request: ApiRequest) -> None:
    """Remove a schema."""
    path = request.path
    metadata_schemas.delete(request.uow, path["projectId"], path["metadataSchemaId"])


@routes.get("/v1/metadata-schemas")
def list_project_schemas(request: ApiRequest) -> dict[str, Any]:
    """The calling project's schemas."""
    rows = metadata_schemas.list_schemas(request.uow, request.project_id)
    return metadata_schemas_list(rows, "schemas")


@routes.get("/v1/metadata-schemas/{resource}")
def get_project_schema(request: ApiRequest) -> dict[str, Any]:
    """The calling project's schema of one resource type."""
    row = metadata_schemas.get_for(request.uow, request.project_id, request.path["resource"])
    return metadata_schema(row)
