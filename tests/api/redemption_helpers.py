"""Helpers for validation, redemption and qualification tests: vouchers and redeem calls."""

from __future__ import annotations

from typing import Any

import httpx


def discount_voucher(
    http: httpx.Client, code: str, discount: dict[str, Any], **extra: Any
) -> dict[str, Any]:
    """A standalone DISCOUNT_VOUCHER with ``discount`` (and other voucher fields)."""
    body = {"type": "DISCOUNT_VOUCHER", "discount": discount, **extra}
    reply = http.post(f"/v1/vouchers/{code}", json=body)
    assert reply.status_code == 200, reply.text
    created: dict[str, Any] = reply.json()
    return created


def gift_voucher(http: httpx.Client, code: str, amount: int, **extra: Any) -> dict[str, Any]:
    """A standalone GIFT_VOUCHER holding ``amount`` credits."""
    body = {"type": "GIFT_VOUCHER", "gift": {"amount": amount}, **extra}
    reply = http.post(f"/v1/vouchers/{code}", json=body)
    assert reply.status_code == 200, reply.text
    created: dict[str, Any] = reply.json()
    return created


def voucher_ref(code: str, credits: int | None = None) -> dict[str, Any]:
    """One entry of ``redeemables``."""
    ref: dict[str, Any] = {"object": "voucher", "id": code}
    if credits is not None:
        ref["gift"] = {"credits": credits}
    return ref


def redeem(http: httpx.Client, *refs: dict[str, Any], **body: Any) -> httpx.Response:
    """``POST /v1/redemptions`` of ``refs`` with an order of ``body['amount']`` by default."""
    payload = {"redeemables": list(refs), **body}
    payload.setdefault("order", {"amount": 10000})
    return http.post("/v1/redemptions", json=payload)


def balance(http: httpx.Client, code: str) -> int:
    """A gift card's current balance."""
    value: int = http.get(f"/v1/vouchers/{code}").json()["gift"]["balance"]
    return value
