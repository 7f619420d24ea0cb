"""Referrals: referral programme settings, code holders and conversions (use cases here)."""
