"""Helpers for the reward tests: rewards of each type, assignments, members with points."""

from __future__ import annotations

from typing import Any

import httpx

from tests.api.loyalty_helpers import ok


def coupon_campaign(http: httpx.Client, name: str = "Reward coupons") -> dict[str, Any]:
    """A DISCOUNT_COUPONS campaign (AUTO_UPDATE, 500 off) rewards draw coupons from."""
    body = {
        "name": name,
        "campaign_type": "DISCOUNT_COUPONS",
        "type": "AUTO_UPDATE",
        "voucher": {
            "type": "DISCOUNT_VOUCHER",
            "discount": {"type": "AMOUNT", "amount_off": 500},
            "code_config": {"pattern": "RWD-####"},
        },
    }
    created: dict[str, Any] = ok(http.post("/v1/campaigns", json=body))
    return created


def gift_campaign(http: httpx.Client, name: str = "Reward gift cards") -> dict[str, Any]:
    """A GIFT_VOUCHERS campaign issuing empty gift cards."""
    body = {
        "name": name,
        "campaign_type": "GIFT_VOUCHERS",
        "type": "AUTO_UPDATE",
        "voucher": {
            "type": "GIFT_VOUCHER",
            "gift": {"amount": 0},
            "code_config": {"pattern": "GFT-####"},
        },
    }
    created: dict[str, Any] = ok(http.post("/v1/campaigns", json=body))
    return created


def reward(http: httpx.Client, parameters: dict[str, Any], **extra: Any) -> dict[str, Any]:
    """A reward with these parameters."""
    body = {"name": extra.pop("name", "Reward"), "parameters": parameters, **extra}
    created: dict[str, Any] = ok(http.post("/v1/rewards", json=body))
    return created


def assign(http: httpx.Client, campaign_id: str, reward_id: str, points: int | None) -> dict:
    """Offer the reward in the programme (``points``: its cost; None for COIN)."""
    item: dict[str, Any] = {"reward": reward_id}
    if points is not None:
        item["parameters"] = {"loyalty": {"points": points}}
    created: dict[str, Any] = ok(http.post(f"/v1/loyalties/{campaign_id}/rewards", json=[item]))
    return created


def add_points(http: httpx.Client, code: str, points: int) -> dict[str, Any]:
    """A manual POINTS_ADDITION."""
    body = {"points": points, "reason": "seed"}
    found: dict[str, Any] = ok(http.post(f"/v1/loyalties/members/{code}/balance", json=body))
    return found


def buy(http: httpx.Client, code: str, reward_id: str, **extra: Any) -> httpx.Response:
    """``POST /v1/loyalties/members/{code}/redemption``."""
    body = {"reward": {"id": reward_id, **extra.pop("reward", {})}, **extra}
    return http.post(f"/v1/loyalties/members/{code}/redemption", json=body)


def transactions(http: httpx.Client, code: str) -> list[dict[str, Any]]:
    """The card's points transactions, oldest first."""
    params = {"order": "id", "limit": 100}
    found: list[dict[str, Any]] = ok(
        http.get(f"/v1/loyalties/members/{code}/transactions", params=params)
    )["data"]
    return found
