"""How many referrals a referral campaign has counted (for its summary)."""

from __future__ import annotations

from datetime import datetime

from openvoucher.kernel.unit_of_work import Tx
from openvoucher.referrals.repositories.referrals import ReferralRepository


def count_in(tx: Tx, campaign_id: str, start: datetime | None, end: datetime | None) -> int:
    """The referrals counted in the campaign over ``[start, end)`` (open bounds: ever)."""
    return ReferralRepository(tx.conn, tx.project_id).count_in(campaign_id, start, end)
