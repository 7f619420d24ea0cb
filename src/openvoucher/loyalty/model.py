"""Typed records of the loyalty context (ADR 0017): what its repositories return and its use
cases, presenters and the other contexts read by attribute.

Free-form JSON a client owns (a reward's parameters, attributes and metadata) stays a
``dict[str, Any]`` field of the record.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

REWARD_FIELDS = ("name", "parameters", "stock", "attributes", "metadata")


@dataclass(frozen=True, slots=True)
class Reward:
    """A reward (``/v1/rewards``): a campaign's voucher, a COIN (pay with points) or a product.

    ``stock`` is None when unlimited (only MATERIAL rewards have one); ``redeemed`` counts the
    rewards given so far."""

    id: str
    name: str | None
    type: str
    stock: int | None
    redeemed: int
    parameters: dict[str, Any]
    metadata: dict[str, Any] = field(default_factory=dict)
    attributes: dict[str, Any] | None = None
    created_at: datetime | None = None
    updated_at: datetime | None = None

    @property
    def left(self) -> int | None:
        """How many more can be given (None: unlimited)."""
        return None if self.stock is None else max(self.stock - self.redeemed, 0)

    @property
    def source_campaign_id(self) -> str | None:
        """The campaign a CAMPAIGN reward gives a voucher of (None for the other types)."""
        source = self.parameters.get("campaign") or {}
        found = source.get("id")
        return str(found) if found else None


@dataclass(frozen=True, slots=True)
class RewardChange:
    """Create or change a reward: a change writes only the fields named in ``sent`` (the
    type stays; ``parameters`` is the request's, checked by the use case)."""

    name: str | None = None
    parameters: Mapping[str, Any] | None = None
    stock: int | None = None
    attributes: Mapping[str, Any] | None = None
    metadata: Mapping[str, Any] | None = None
    sent: frozenset[str] = frozenset()

    @classmethod
    def of(cls, given: Mapping[str, Any]) -> RewardChange:
        """From decoded JSON (the API's or the dashboard's request): unknown keys are refused."""
        unknown = set(given) - set(REWARD_FIELDS)
        if unknown:
            raise ValueError(f"unknown reward fields: {sorted(unknown)}")
        return cls(**given, sent=frozenset(given))


@dataclass(frozen=True, slots=True)
class RewardAssignment:
    """A reward offered by a programme (or a referral program): ``points`` is its cost, None
    for a COIN reward or a referral program's reward."""

    id: str
    reward_id: str
    campaign_id: str
    points: int | None
    auto_redeem: bool = False
    validation_rules: list[str] = field(default_factory=list)
    created_at: datetime | None = None
    updated_at: datetime | None = None


@dataclass(frozen=True, slots=True)
class EarningRule:
    """A programme's earning rule: what ``event`` gives how many points (``loyalty``), when.

    ``start_date``/``expiration_date`` are ISO strings as stored; the validity settings, the
    tier, segment and custom event the rule names, its expiration rules and pending points
    setting are the client's JSON as checked (None when not set)."""

    id: str
    campaign_id: str
    event: str
    active: bool
    loyalty: dict[str, Any]
    automation_id: str
    banner: str | None = None
    metadata: dict[str, Any] = field(default_factory=dict)
    validation_rule_id: str | None = None
    start_date: str | None = None
    expiration_date: str | None = None
    validity_timeframe: dict[str, Any] | None = None
    validity_day_of_week: list[int] | None = None
    validity_hours: dict[str, Any] | None = None
    custom_event: dict[str, Any] | None = None
    loyalty_tier: dict[str, Any] | None = None
    segment: dict[str, Any] | None = None
    expiration_rules: dict[str, Any] | None = None
    pending_points: dict[str, Any] | None = None
    created_at: datetime | None = None
    updated_at: datetime | None = None

    @property
    def tier_id(self) -> str | None:
        """The tier a tier event rule names (``__ANY__``: any tier of its programme)."""
        found = (self.loyalty_tier or {}).get("id")
        return str(found) if found else None

    @property
    def segment_id(self) -> str | None:
        """The segment a ``customer.segment.entered`` rule names."""
        found = (self.segment or {}).get("id")
        return str(found) if found else None
