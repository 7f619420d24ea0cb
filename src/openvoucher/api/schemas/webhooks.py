"""Request bodies of webhook endpoints and distributions."""

from __future__ import annotations

from typing import Annotated, Any, Literal

import msgspec

from openvoucher.webhooks import model
from openvoucher.webhooks.model import Channel, EndpointFields

Url = Annotated[str, msgspec.Meta(min_length=1, max_length=2000)]
EventName = Annotated[str, msgspec.Meta(max_length=120)]
HeaderName = Annotated[
    str, msgspec.Meta(min_length=1, max_length=200, pattern=r"^[!#-'*+.^-z|~0-9A-Za-z-]+$")
]
HeaderValue = Annotated[str, msgspec.Meta(max_length=2000)]
Headers = Annotated[dict[HeaderName, HeaderValue], msgspec.Meta(max_length=50)]


class WebhookFields(msgspec.Struct, omit_defaults=True):
    """``POST``/``PUT /management/v1/projects/{id}/webhooks``; ``headers`` is our extension."""

    target_url: Url | None = None
    events: Annotated[list[EventName], msgspec.Meta(max_length=200)] | None = None
    active: bool | None = None
    headers: Headers | None = None


def endpoint_fields(body: WebhookFields) -> EndpointFields:
    """The command an endpoint is created or changed with (null: not given)."""
    events = None if body.events is None else tuple(body.events)
    headers = None if body.headers is None else dict(body.headers)
    return EndpointFields(body.target_url, events, body.active, headers)


class ChannelFields(msgspec.Struct, forbid_unknown_fields=True):
    """One webhook channel of a distribution."""

    url: Url
    event_name: Annotated[str, msgspec.Meta(min_length=1, max_length=200)]
    type: Literal["webhook"] = "webhook"
    headers: Headers | None = None
    payload: (
        dict[str, Any] | list[Any] | Annotated[str, msgspec.Meta(max_length=100_000)] | None
    ) = None
    raw_payload: bool = False


class DistributionFields(msgspec.Struct, omit_defaults=True):
    """``POST``/``PUT /v1/distributions``."""

    name: Annotated[str, msgspec.Meta(max_length=300)] | None = None
    trigger: EventName | None = None
    active: bool | None = None
    channels: Annotated[list[ChannelFields], msgspec.Meta(max_length=20)] | None = None


def distribution_fields(body: DistributionFields) -> model.DistributionFields:
    """The command a distribution is created or changed with (null: not given)."""
    channels = None if body.channels is None else tuple(_channel(c) for c in body.channels)
    return model.DistributionFields(body.name, body.trigger, body.active, channels)


def _channel(body: ChannelFields) -> Channel:
    headers = dict(body.headers or {})
    return Channel(body.url, body.event_name, headers, body.payload, body.raw_payload, body.type)


def plain(body: msgspec.Struct) -> dict[str, Any]:
    """The fields the client sent, as plain data."""
    data: dict[str, Any] = msgspec.to_builtins(body)
    return data
