"""LOCK sessions hold loyalty points as they hold gift credits.

Docs: guides/locking-validation-session.mdx (LOCK "locks … redemption gift credits specified
with the requests - redemption loyalty points specified with the request").
"""

from __future__ import annotations

from typing import Any

import httpx

from tests.api.loyalty_helpers import card, join, ok, programme
from tests.api.reward_helpers import add_points, assign, reward


def _paying(code: str, coin_id: str, points: int, **extra: Any) -> dict[str, Any]:
    stack = [{"object": "voucher", "id": code, "reward": {"id": coin_id, "points": points}}]
    return {"redeemables": stack, "order": {"amount": 20000}, **extra}


def _error(http: httpx.Client, body: dict[str, Any]) -> str | None:
    result = ok(http.post("/v1/validations", json=body))
    if result["valid"]:
        return None
    key: str = result["redeemables"][0]["result"]["error"]["key"]
    return key


def test_lock_session_holds_loyalty_points(http: httpx.Client) -> None:
    """A session paying 800 of 1000 points leaves 200 to others until it is used or released;
    the session itself may still pay its 800, and redeeming with its key takes them."""
    club = programme(http)
    code = join(http, club["id"], "pia")["code"]
    coin = reward(http, {"coin": {"exchange_ratio": 1, "points_ratio": 10}}, name="Pay")
    assign(http, club["id"], coin["id"], None)
    add_points(http, code, 1000)
    locked = ok(
        http.post("/v1/validations", json=_paying(code, coin["id"], 800, session={"type": "LOCK"}))
    )
    assert locked["valid"] is True
    key = locked["session"]["key"]
    assert _error(http, _paying(code, coin["id"], 300)) == "loyalty_card_points_exceeded"
    assert _error(http, _paying(code, coin["id"], 200)) is None
    assert _error(http, _paying(code, coin["id"], 800, session={"key": key})) is None
    paid = http.post("/v1/redemptions", json=_paying(code, coin["id"], 800, session={"key": key}))
    assert paid.status_code == 200, paid.text
    assert card(http, code)["loyalty_card"]["balance"] == 200
    assert _error(http, _paying(code, coin["id"], 200)) is None


def test_released_session_frees_the_points(http: httpx.Client) -> None:
    """Releasing the session (DELETE /v1/vouchers/{code}/sessions/{key}) gives the points back."""
    club = programme(http, name="Club 2")
    code = join(http, club["id"], "quin")["code"]
    coin = reward(http, {"coin": {"exchange_ratio": 1, "points_ratio": 10}}, name="Pay 2")
    assign(http, club["id"], coin["id"], None)
    add_points(http, code, 500)
    body = _paying(code, coin["id"], 500, session={"type": "LOCK"})
    key = ok(http.post("/v1/validations", json=body))["session"]["key"]
    assert _error(http, _paying(code, coin["id"], 1)) == "loyalty_card_points_exceeded"
    assert http.delete(f"/v1/vouchers/{code}/sessions/{key}").status_code == 204
    assert _error(http, _paying(code, coin["id"], 500)) is None
