"""Helpers for the promotion tests: a PROMOTION campaign with tiers."""

from __future__ import annotations

from typing import Any

import httpx

AMOUNT_OFF = {"type": "AMOUNT", "amount_off": 1000}
PERCENT_OFF = {"type": "PERCENT", "percent_off": 10}


def tier(name: str, discount: dict[str, Any], **extra: Any) -> dict[str, Any]:
    """A tier's create params."""
    return {"name": name, "banner": f"{name}!", "action": {"discount": discount}, **extra}


def promotion(http: httpx.Client, name: str, *tiers: dict[str, Any]) -> dict[str, Any]:
    """A PROMOTION campaign created with ``tiers``."""
    body = {"name": name, "campaign_type": "PROMOTION", "promotion": {"tiers": list(tiers)}}
    reply = http.post("/v1/campaigns", json=body)
    assert reply.status_code == 200, reply.text
    created: dict[str, Any] = reply.json()
    return created


def tier_ids(campaign: dict[str, Any]) -> list[str]:
    """The ids of a created campaign's tiers, by hierarchy."""
    return [entry["id"] for entry in campaign["promotion"]["tiers"]]


def ref(tier_id: str) -> dict[str, str]:
    """A promotion tier entry of ``redeemables``."""
    return {"object": "promotion_tier", "id": tier_id}
