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
    "redeemable_holder": "rh_",
    "referral": "rf_",
    "validation": "valid_",
    "session": "ssn_",
    "rollback": "rr_",
    "order": "ord_",
    "distribution": "dist_",
    "export": "exp_",
    "asset": "",
    "earning_rule": "ern_",
    "loyalty_tier": "ltr_",
    "automation": "auto_",
    "points_bucket": "lpb_",
    "product": "prod_",
    "sku": "sku_",
    "metadata_schema": "ms_",
    "permanent_deletion": "del_",
    "stacking_rules": "stk_",
    "reward": "rew_",
    "reward_assignment": "rewa_",
    "product_collection": "pc_",
    "outbox_event": "evt_",
    "promotion_tier": "promo_",
    "promotion_stack": "stack_",
    "validation_rule": "val_",
    "validation_rule_assignment": "asgm_",
}


def random_token(length: int) -> str:
    """Return ``length`` random alphanumeric characters from a CSPRNG (bytes outside the
    largest multiple of the alphabet's size are dropped, so every character is equally likely)."""
    chars = b""
    while len(chars) < length:
        chars += secrets.token_bytes(length + 16).translate(_BYTE_TO_CHAR, _REJECTED)
    return chars[:length].decode("ascii")


def new_id(kind: str, length: int = 24) -> str:
    """Return a fresh id for ``kind`` with its Voucherify prefix."""
    return PREFIXES[kind] + random_token(length)


_UNBIASED = 256 - 256 % len(_ALPHABET)
_BYTE_TO_CHAR = bytes(ord(_ALPHABET[b % len(_ALPHABET)]) for b in range(256))
_REJECTED = bytes(range(_UNBIASED, 256))


def new_ids(kind: str, count: int, length: int = 24) -> list[str]:
    """``count`` fresh ids for ``kind`` at once (bulk generation; same alphabet and odds)."""
    needed = count * length
    chars = b""
    while len(chars) < needed:
        raw = secrets.token_bytes(needed - len(chars) + needed // 8 + 16)
        chars += raw.translate(_BYTE_TO_CHAR, _REJECTED)
    text = chars[:needed].decode("ascii")
    prefix = PREFIXES[kind]
    return [prefix + text[i : i + length] for i in range(0, needed, length)]
