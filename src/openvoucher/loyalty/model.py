"""Typed records of the loyalty context (ADR 0017): what its repositories return and its use
cases, presenters and the other contexts read by attribute.

Free-form JSON a client owns (a reward's parameters, attributes and metadata) stays a
``dict[str, Any]`` field of the record.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any


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
