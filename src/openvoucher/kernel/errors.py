"""Errors the domain and services raise; the API edge renders them Voucherify-style."""

from __future__ import annotations

from typing import Any


class VoucherifyError(Exception):
    """A failure with an HTTP status and a Voucherify error ``key``."""

    status = 400
    key = "invalid_payload"

    def __init__(
        self,
        message: str,
        details: str | None = None,
        *,
        key: str | None = None,
        status: int | None = None,
        extra: dict[str, Any] | None = None,
    ) -> None:
        super().__init__(message)
        self.message = message
        self.details = details if details is not None else message
        if key is not None:
            self.key = key
        if status is not None:
            self.status = status
        self.extra = extra or {}


class InvalidPayload(VoucherifyError):
    """The request body or parameters are invalid (400)."""


class NotFound(VoucherifyError):
    """A referenced resource does not exist (404)."""

    status = 404
    key = "not_found"

    def __init__(self, resource: str, ident: str, *, key: str | None = None) -> None:
        super().__init__(
            "Resource not found",
            f"Cannot find {resource} with id {ident}",
            key=key,
            extra={"resource_id": ident, "resource_type": resource},
        )


class DuplicateFound(VoucherifyError):
    """A resource with the same identifier already exists (409)."""

    status = 409
    key = "duplicate_found"


class Unauthorized(VoucherifyError):
    """Missing or wrong credentials (401)."""

    status = 401
    key = "unauthorized"


class Conflict(VoucherifyError):
    """The request conflicts with the resource's state (409)."""

    status = 409
    key = "conflict"
