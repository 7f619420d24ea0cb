"""Signatures of a webhook body: Voucherify's ``x-voucherify-signature`` and Standard Webhooks.

Pure functions over bytes; the relay calls :func:`signed_headers` once per attempt.
"""

from __future__ import annotations

import base64
import hashlib
import hmac


def voucherify_signature(body: bytes, secret: str) -> str:
    """Hex HMAC-SHA256 of the exact body bytes, keyed with the project's webhook token."""
    return hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()


def standard_signature(message_id: str, timestamp: int, body: bytes, key: bytes) -> str:
    """The Standard Webhooks ``webhook-signature`` value (``v1,<base64>``).

    The signed content is ``{id}.{timestamp}.{body}``. We key it with the webhook token's
    UTF-8 bytes, so a Standard Webhooks library verifies with :func:`standard_secret`.
    """
    content = f"{message_id}.{timestamp}.".encode() + body
    digest = hmac.new(key, content, hashlib.sha256).digest()
    return "v1," + base64.b64encode(digest).decode()


def standard_secret(secret: str) -> str:
    """The token in the ``whsec_…`` form Standard Webhooks libraries take."""
    return "whsec_" + base64.b64encode(secret.encode()).decode()


def signed_headers(
    message_id: str, timestamp: int, body: bytes, secret: str, custom: dict[str, str]
) -> dict[str, str]:
    """Every header of one attempt; a custom header never replaces one of ours."""
    ours = {
        "content-type": "application/json",
        "x-voucherify-signature": voucherify_signature(body, secret),
        "webhook-id": message_id,
        "webhook-timestamp": str(timestamp),
        "webhook-signature": standard_signature(message_id, timestamp, body, secret.encode()),
    }
    kept = {name: value for name, value in custom.items() if name.lower() not in ours}
    return {**kept, **ours}
