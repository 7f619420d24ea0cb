"""Prefixed, random, unguessable identifiers in Voucherify's style (``v_…``, ``camp_…``)."""

from __future__ import annotations

import secrets
import string

_ALPHABET = string.ascii_letters + string.digits

PREFIXES = {
    "project": "proj_",
    "campaign": "camp_",
    "voucher": "v_",
    "customer": "cust_",
    "publication": "pub_",
    "category": "cat_",
    "async_action": "aa_",
    "webhook": "wh_",
    "sendout": "whs_",
    "event": "evcus_",
    "gift_transaction": "vtx_",
    "loyalty_transaction": "vtx_",
    "redemption": "r_",
    "rollback": "rr_",
    "order": "ord_",
    "distribution": "dist_",
    "asset": "",
}


def random_token(length: int) -> str:
    """Return ``length`` random alphanumeric characters from a CSPRNG."""
    return "".join(secrets.choice(_ALPHABET) for _ in range(length))


def new_id(kind: str, length: int = 24) -> str:
    """Return a fresh id for ``kind`` with its Voucherify prefix."""
    return PREFIXES[kind] + random_token(length)
