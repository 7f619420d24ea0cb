"""Routes of the referrals context."""
