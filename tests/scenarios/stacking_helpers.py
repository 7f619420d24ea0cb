"""Helpers for the stacking scenarios: categories, project stacking rules, validations."""

from __future__ import annotations

from typing import Any

import httpx

from tests.support.server import Project, RunningServer


def category(http: httpx.Client, name: str, hierarchy: int = 1) -> str:
    """A new category's id."""
    reply = http.post("/v1/categories", json={"name": name, "hierarchy": hierarchy})
    assert reply.status_code == 200, reply.text
    ident: str = reply.json()["id"]
    return ident


def set_rules(server: RunningServer, project: Project, **rules: Any) -> dict[str, Any]:
    """The project's own stacking rules, created through the management API."""
    url = f"{server.base_url}/management/v1/projects/{project.id}/stacking-rules"
    reply = httpx.post(url, json=rules, headers=server.management_headers)
    assert reply.status_code == 200, reply.text
    created: dict[str, Any] = reply.json()
    return created


def validate(http: httpx.Client, refs: list[dict[str, Any]], **body: Any) -> dict[str, Any]:
    """``POST /v1/validations`` of ``refs`` (order of 10 000 unless given); the body."""
    payload = {"redeemables": refs, **body}
    payload.setdefault("order", {"amount": 10000})
    reply = http.post("/v1/validations", json=payload)
    assert reply.status_code == 200, reply.text
    result: dict[str, Any] = reply.json()
    return result


def statuses(result: dict[str, Any]) -> list[tuple[str, str]]:
    """``(id, status)`` of each redeemable, as listed."""
    return [(entry["id"], entry["status"]) for entry in result["redeemables"]]


def reasons(result: dict[str, Any]) -> dict[str, str]:
    """The skip reason (``result.details.key``) of each skipped redeemable."""
    return {
        entry["id"]: entry["result"]["details"]["key"]
        for entry in result.get("skipped_redeemables", [])
    }


def applied(result: dict[str, Any]) -> dict[str, int]:
    """What each applicable redeemable took off (its ``order.total_applied_discount_amount``)."""
    return {
        entry["id"]: entry["order"]["total_applied_discount_amount"]
        for entry in result["redeemables"]
        if entry["status"] == "APPLICABLE"
    }
