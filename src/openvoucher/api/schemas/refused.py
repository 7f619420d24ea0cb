"""Request fields the spec allows that this server does not act on: refused, never kept.

Each :class:`Refusal` names a request body (its Struct), the field and when a value is refused;
the Struct's ``__post_init__`` calls :func:`check`, which raises 400 ``not_supported`` naming the
field. ``docs/compat/settings.md`` lists every one (``tests/api/test_settings_table.py`` keeps the
two in step).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import msgspec

from openvoucher.kernel.errors import VoucherifyError


@dataclass(frozen=True)
class Refusal:
    """One field of one request body that is refused when ``applies(value)``."""

    struct: str
    field: str
    sample: Any
    """A value that is refused (the tests send it)."""
    applies: Callable[[Any], bool]
    reason: str


def _given(value: Any) -> bool:
    return value is not None


REFUSALS = (
    Refusal(
        "CampaignCreate",
        "use_voucher_metadata_schema",
        False,
        lambda value: value is False,
        "campaign vouchers always follow the project's voucher metadata schema",
    ),
    Refusal(
        "LoyaltyCreate",
        "access_settings",
        {"assign": {"areas_ids": ["area_1"]}},
        _given,
        "areas and stores (access settings) are not implemented",
    ),
    Refusal(
        "CodeConfig",
        "initial_count",
        1,
        _given,
        "codes are generated at random from the charset; there is no counter to start",
    ),
    Refusal(
        "ItemProduct",
        "override",
        True,
        lambda value: value is True,
        "order items never update the product catalog",
    ),
    Refusal(
        "ItemSku",
        "override",
        True,
        lambda value: value is True,
        "order items never update the product catalog",
    ),
    Refusal(
        "ProjectFields",
        "client_publish_enabled",
        True,
        lambda value: value is True,
        "publications are not served client-side",
    ),
    Refusal(
        "ProjectFields",
        "client_list_vouchers_enabled",
        True,
        lambda value: value is True,
        "vouchers are not listed client-side",
    ),
    Refusal(
        "ProjectFields",
        "client_set_voucher_expiration_date_enabled",
        True,
        lambda value: value is True,
        "client-side requests never set a voucher's expiration date",
    ),
    Refusal(
        "ProjectFields",
        "webhooks_callout_notifications",
        {"distributions": {"email": True}},
        _given,
        "no notifications are sent about webhook callouts",
    ),
    Refusal(
        "ProjectFields",
        "api_usage_notifications",
        {"api_calls": {"enabled": True}},
        _given,
        "no notifications are sent about API usage",
    ),
    Refusal(
        "ProjectFields",
        "webhook_version",
        "v2018-08-01",
        lambda value: value not in (None, "v2024-01-01"),
        "webhooks are sent in version v2024-01-01 only",
    ),
    Refusal(
        "ProjectFields",
        "case_sensitive_codes",
        False,
        lambda value: value is False,
        "codes are always matched case-sensitively",
    ),
    Refusal(
        "ProjectFields",
        "default_code_config",
        {"length": 8},
        _given,
        "codes are generated from each request's or campaign's code_config",
    ),
)
"""Every refused field (``docs/compat/settings.md`` says ``refused`` for each)."""


def check(body: object) -> None:
    """Raise 400 ``not_supported`` when ``body`` sets a refused field."""
    names = {kind.__name__ for kind in type(body).__mro__}
    for refusal in REFUSALS:
        if refusal.struct not in names:
            continue
        value = getattr(body, refusal.field, None)
        if value is not msgspec.UNSET and refusal.applies(value):
            raise VoucherifyError(
                "Not supported",
                f"{refusal.field} is not supported: {refusal.reason}",
                key="not_supported",
            )
