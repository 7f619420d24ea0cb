"""A referral program's settings checked against the project: the referee reward's campaign."""

from __future__ import annotations

from typing import Any

from openvoucher.adapters.db.repositories.campaigns import CampaignRepository
from openvoucher.domain import referrals as rules
from openvoucher.domain.errors import InvalidPayload
from openvoucher.services.unit_of_work import Tx


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
