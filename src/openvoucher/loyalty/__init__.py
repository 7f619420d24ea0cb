"""Loyalty: programmes, cards and point buckets, earning rules, tiers, rewards, pending points,
expiry (use cases at this level).
"""
