"""Projects in the management API's shape."""

from __future__ import annotations

from typing import Any

from openvoucher.kernel.clock import iso


def _key(keys: list[dict[str, Any]]) -> dict[str, str] | None:
    if not keys:
        return None
    return {"app_id": keys[0]["key_id"], "app_token": keys[0]["token"]}


def project(row: dict[str, Any]) -> dict[str, Any]:
    """A project with its webhook token and its first server-side and client-side keys."""
    attrs = row["attrs"]
    body: dict[str, Any] = {"id": row["id"], "name": row["name"]}
    body.update(attrs)
    body.update(
        {
            "api_version": "v2018-08-01",
            "cluster_id": "local",
            "webhook_token": row["webhook_token"],
            "server_side_key": _key(row.get("app_keys", [])),
            # Extension: every server-side key pair's id (tools find a key's project by it).
            "server_side_key_ids": [key["key_id"] for key in row.get("app_keys", [])],
            "client_side_key": _key(row.get("client_keys", [])),
            "created_at": iso(row["created_at"]),
            "updated_at": iso(row["updated_at"]),
            "object": "project",
        }
    )
    return body
