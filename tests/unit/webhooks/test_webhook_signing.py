"""Signing: Voucherify's HMAC and Standard Webhooks, checked against published vectors."""

from __future__ import annotations

import base64

import pytest

from openvoucher.webhooks import signing


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        (b'{"a":1}', "a17d2ac229d1ebbb5f10e839c7985c4818e5986eab297f7e5979196d4d7d3ed2"),
        (b'{"a\\"b":1}', "f7cf97814a03146abedb9793f56e1dec34f618f82d10395310d053f749483ffb"),
        (b"  message  ", "53ff92957e1427ce23ad5bda9d0c5f2f4ff384d0806b83eeacb510c842d3a358"),
    ],
)
def test_voucherify_signature_matches_documented_vectors(body: bytes, expected: str) -> None:
    """x-voucherify-signature is the hex HMAC-SHA256 of the exact bytes (Voucherify's examples)."""
    assert signing.voucherify_signature(body, "secretKey") == expected


def test_standard_signature_matches_specification_vector() -> None:
    """webhook-signature follows the Standard Webhooks test vector."""
    key = base64.b64decode("MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw")
    signature = signing.standard_signature(
        "msg_p5jXN8AQM9LWM0D4loKWxJek", 1614265330, b'{"test": 2432232314}', key
    )
    assert signature == "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE="


def test_standard_secret_round_trips_the_token() -> None:
    """The whsec_ form decodes back to the token bytes used as the key."""
    secret = signing.standard_secret("tok3n")
    assert secret.startswith("whsec_")
    assert base64.b64decode(secret[6:]) == b"tok3n"


def test_custom_headers_never_replace_signature_headers() -> None:
    """A custom header named like ours (any case) is dropped; others are kept."""
    headers = signing.signed_headers(
        "whs_1", 1700000000, b"{}", "k", {"X-Voucherify-Signature": "forged", "X-Tenant": "a"}
    )
    assert headers["x-voucherify-signature"] == signing.voucherify_signature(b"{}", "k")
    assert "X-Voucherify-Signature" not in headers
    assert headers["X-Tenant"] == "a"
    assert headers["webhook-id"] == "whs_1"
    assert headers["webhook-timestamp"] == "1700000000"
