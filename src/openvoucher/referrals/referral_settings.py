"""A REFERRAL_PROGRAM campaign's ``referral_program`` on create and update, its referee
reward's campaign checked against the project."""

from __future__ import annotations

from typing import Any

from openvoucher.catalog.domain.campaigns import REFERRAL
from openvoucher.catalog.repositories.campaigns import CampaignRepository
from openvoucher.kernel.errors import InvalidPayload
from openvoucher.kernel.unit_of_work import Tx
from openvoucher.referrals.domain import referrals as rules


def checked(tx: Tx, settings: dict[str, Any]) -> dict[str, Any]:
    """The programme's settings with the referee reward's campaign checked and named."""
    reward = settings.get("referee_reward")
    if reward is None:
        return settings
    parent = reward["related_object_parent"]
    found = CampaignRepository(tx.conn, tx.project_id).get_by_id_or_name(parent["id"])
    wanted = rules.REWARD_CAMPAIGN_TYPES[reward["type"]]
    if found is None or found["campaign_type"] != wanted:
        raise InvalidPayload(
            "Invalid payload",
            f"referral_program.referee_reward: {parent['id']} is no {wanted} campaign",
        )
    named = {**parent, "id": found["id"], "name": found["name"]}
    return {**settings, "referee_reward": {**reward, "related_object_parent": named}}


def _only_referral() -> InvalidPayload:
    return InvalidPayload("Invalid payload", "referral_program is for REFERRAL_PROGRAM only")


def created(tx: Tx, kind: str, given: dict[str, Any] | None) -> dict[str, Any]:
    """The attrs a new campaign of ``kind`` gets from ``referral_program``."""
    if kind != REFERRAL:
        if given:
            raise _only_referral()
        return {}
    return {"referral_program": checked(tx, rules.program(given)), "is_referral_code": True}


def changed(tx: Tx, row: dict[str, Any], given: dict[str, Any] | None) -> dict[str, Any]:
    """The attrs an update changes: the given fields over the stored ``referral_program``."""
    if given is None:
        return {}
    if row["campaign_type"] != REFERRAL:
        raise _only_referral()
    merged = {**row["attrs"]["referral_program"], **given}
    if "custom_event" not in given and merged["conversion_event_type"] == rules.ON_REDEMPTION:
        merged["custom_event"] = None
    return {"referral_program": checked(tx, rules.program(merged))}
