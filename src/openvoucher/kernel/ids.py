"""Prefixed, random, unguessable identifiers in Voucherify's style (``v_…``, ``camp_…``).

``sorted_ids`` makes ids of the same shape that sort by creation (for rows appended in bulk:
an index keyed by random ids takes each insert on a random page; sorted ids append at the
end of the b-tree).
"""

from __future__ import annotations

import secrets
import string
import threading
from datetime import datetime

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
    "pending_points": "lopp_",
    "product": "prod_",
    "sku": "sku_",
    "metadata_schema": "ms_",
    "permanent_deletion": "del_",
    "stacking_rules": "stk_",
    "reward": "rew_",
    "reward_assignment": "rewa_",
    "product_collection": "pc_",
    "location": "loc_",
    "outbox_event": "evt_",
    "promotion_tier": "promo_",
    "promotion_stack": "stack_",
    "validation_rule": "val_",
    "validation_rule_assignment": "asgm_",
    "custom_event_schema": "ms_",
    "branding": "brd_",
    "user": "user_",
    "project_user": "pu_",
    "campaign_template": "camptpl_",
    "segment": "seg_",
    "bin_entry": "tbe_",
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
    text = _random_text(count * length)
    prefix = PREFIXES[kind]
    return [prefix + text[i : i + length] for i in range(0, count * length, length)]


def _random_text(needed: int) -> str:
    """``needed`` random alphanumeric characters (as ``random_token``, drawn in bulk)."""
    chars = b""
    while len(chars) < needed:
        raw = secrets.token_bytes(needed - len(chars) + needed // 8 + 16)
        chars += raw.translate(_BYTE_TO_CHAR, _REJECTED)
    return chars[:needed].decode("ascii")


_SORTABLE = string.digits + string.ascii_lowercase
"""Base 36 for the ordered part: the same order under byte and locale collations."""
_TIME_CHARS = 9
_COUNT_CHARS = 4
_COUNT_SPAN: int = 36**_COUNT_CHARS
_TIME_SPAN: int = 36**_TIME_CHARS
_counter = [secrets.randbelow(_COUNT_SPAN)]
_counter_lock = threading.Lock()


def _base36(number: int, width: int) -> str:
    chars = []
    for _ in range(width):
        number, digit = divmod(number, 36)
        chars.append(_SORTABLE[digit])
    return "".join(reversed(chars))


def sorted_ids(kind: str, count: int, at: datetime, length: int = 24) -> list[str]:
    """``count`` ids for ``kind`` that sort after the ones made before them at ``at`` or
    earlier: the millisecond of ``at`` and a counter (for ids made in the same millisecond,
    or under a frozen clock) in base 36, then random characters; as long as ``new_id``'s."""
    moment = _base36(int(at.timestamp() * 1000) % _TIME_SPAN, _TIME_CHARS)
    head = PREFIXES[kind] + moment
    rest = length - _TIME_CHARS - _COUNT_CHARS
    text = _random_text(count * rest)
    with _counter_lock:
        start = _counter[0]
        _counter[0] = start + count
    return [head + _count36(start + i) + text[i * rest : i * rest + rest] for i in range(count)]


_PAIRS = [a + b for a in _SORTABLE for b in _SORTABLE]


def _count36(number: int) -> str:
    """``number`` modulo 36**4 as four base-36 digits."""
    high, low = divmod(number % _COUNT_SPAN, 36 * 36)
    return _PAIRS[high] + _PAIRS[low]


def hex_id(prefix: str, length: int = 24) -> str:
    """``prefix`` and ``length`` random lowercase hex digits: the ids Loyalty v2 objects carry
    (its spec's patterns are ``^lprg_[a-f0-9]+$`` and the like)."""
    return prefix + secrets.token_hex(length // 2)
