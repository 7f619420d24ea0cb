"""``activity_duration_after_publishing``: a code is valid that long after it is published.

Docs: optimize/time-limits.mdx ("Valid for a specific amount of time after publishing … The
timer starts when the code is published … This rule overrides campaign expiration dates"),
build/create-discount-coupons.mdx, spec campaign object (``P24D`` is 24 days).
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from typing import Any

import httpx
import pytest

from openvoucher.kernel.clock import parse_datetime
from tests.api.redemption_helpers import redeem, voucher_ref
from tests.support.server import RunningServer

START = datetime(2031, 5, 4, 10, 0, tzinfo=UTC)


@pytest.fixture
def frozen(server: RunningServer) -> Iterator[RunningServer]:
    """The server's clock stopped at START; running on real time again afterwards."""
    server.clock.freeze()
    server.clock.set(START)
    try:
        yield server
    finally:
        server.clock.unfreeze()
        server.clock.set(datetime.now(UTC))


def _campaign(http: httpx.Client, name: str, duration: str, **extra: Any) -> None:
    voucher = {"type": "DISCOUNT_VOUCHER", "discount": {"type": "AMOUNT", "amount_off": 500}}
    body = {"name": name, "voucher": voucher, "vouchers_count": 2, **extra}
    body["activity_duration_after_publishing"] = duration
    reply = http.post("/v1/campaigns", json=body)
    assert reply.status_code == 200, reply.text


def _publish(http: httpx.Client, campaign: str, customer: str) -> dict[str, Any]:
    body = {"campaign": {"name": campaign}, "customer": {"source_id": customer}}
    reply = http.post("/v1/publications", json=body)
    assert reply.status_code == 200, reply.text
    found: dict[str, Any] = reply.json()["voucher"]
    return found


def _validation_error(http: httpx.Client, code: str) -> str | None:
    body = {"redeemables": [voucher_ref(code)], "order": {"amount": 2000}}
    result = http.post("/v1/validations", json=body).json()
    if result["valid"]:
        return None
    key: str = result["inapplicable_redeemables"][0]["result"]["error"]["key"]
    return key


def test_code_published_longer_ago_than_the_duration_is_expired(
    frozen: RunningServer, http: httpx.Client
) -> None:
    """P1D: the code expires one day after its publication; two days later both validation
    and redemption answer voucher_expired; an unpublished code of the campaign stays valid."""
    _campaign(http, "Day pass", "P1D")
    published = _publish(http, "Day pass", "ann")
    assert parse_datetime(published["expiration_date"]) == START + timedelta(days=1)
    frozen.clock.set(START + timedelta(hours=23))
    assert _validation_error(http, published["code"]) is None
    frozen.clock.set(START + timedelta(days=2))
    assert _validation_error(http, published["code"]) == "voucher_expired"
    reply = redeem(http, voucher_ref(published["code"]))
    assert (reply.status_code, reply.json()["key"]) == (400, "voucher_expired")
    listed = http.get("/v1/vouchers", params={"campaign": "Day pass"}).json()["vouchers"]
    (unpublished,) = [v["code"] for v in listed if v["code"] != published["code"]]
    assert _validation_error(http, unpublished) is None


def test_window_overrides_the_campaign_expiration(
    frozen: RunningServer, http: httpx.Client
) -> None:
    """Published a day before the campaign ends with P3D: valid two days after the campaign's
    end, expired after its own three days."""
    ends = (START + timedelta(days=1)).isoformat()
    _campaign(http, "Last call", "P3D", expiration_date=ends)
    published = _publish(http, "Last call", "bob")
    frozen.clock.set(START + timedelta(days=2))
    assert _validation_error(http, published["code"]) is None
    assert redeem(http, voucher_ref(published["code"])).status_code == 200
    frozen.clock.set(START + timedelta(days=3, minutes=1))
    assert _validation_error(http, published["code"]) == "voucher_expired"


def test_republishing_does_not_restart_the_window(
    frozen: RunningServer, http: httpx.Client
) -> None:
    """The timer starts at the first publication: publishing the same code again later keeps
    its expiration date."""
    _campaign(http, "Once", "PT12H")
    first = _publish(http, "Once", "cat")
    frozen.clock.set(START + timedelta(hours=6))
    again = http.post(
        "/v1/publications", json={"voucher": first["code"], "customer": {"source_id": "cat"}}
    )
    assert again.status_code == 200, again.text
    assert parse_datetime(again.json()["voucher"]["expiration_date"]) == START + timedelta(hours=12)


@pytest.mark.parametrize("bad", ["1 day", "P", "PT", "24D", "P0D", 5])
def test_malformed_duration_is_refused(http: httpx.Client, bad: object) -> None:
    """A value that is not an ISO 8601 duration is a 400 and no campaign is stored."""
    voucher = {"type": "DISCOUNT_VOUCHER", "discount": {"type": "AMOUNT", "amount_off": 500}}
    body = {"name": "Broken", "voucher": voucher, "activity_duration_after_publishing": bad}
    reply = http.post("/v1/campaigns", json=body)
    assert reply.status_code == 400, reply.text
    assert http.get("/v1/campaigns/Broken").status_code == 404
