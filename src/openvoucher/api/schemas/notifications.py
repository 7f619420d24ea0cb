"""A project's notification settings (``api_usage_notifications``,
``webhooks_callout_notifications``): typed, so a wrong type is a 400, not a stored value."""

from __future__ import annotations

from typing import Annotated

import msgspec

Percent = Annotated[int, msgspec.Meta(ge=10, le=90)]


class UsageNotification(msgspec.Struct, forbid_unknown_fields=True, omit_defaults=True):
    """``UsageNotifications``: on or off, at which percent of the limit, to whom."""

    enabled: bool | None = None
    value: Percent | None = None
    in_app: bool | None = None
    emails: list[str] | None = None


class ApiUsageNotifications(msgspec.Struct, forbid_unknown_fields=True, omit_defaults=True):
    """Usage notifications per limit."""

    messages: UsageNotification | None = None
    api_calls: UsageNotification | None = None
    bulk_api_calls: UsageNotification | None = None
    webhook_calls: UsageNotification | None = None
    cycle_calls: UsageNotification | None = None
    redemptions: UsageNotification | None = None


class CalloutNotification(msgspec.Struct, forbid_unknown_fields=True, omit_defaults=True):
    """Who hears of failing webhook callouts."""

    email: bool | None = None
    in_app: bool | None = None
    emails: list[str] | None = None


class WebhooksCalloutNotifications(msgspec.Struct, forbid_unknown_fields=True, omit_defaults=True):
    """Callout notifications for distributions and project webhooks."""

    distributions: CalloutNotification | None = None
    webhooks: CalloutNotification | None = None
