"""Checkout: orders, evaluation, validations, redemptions, rollbacks, qualifications, sessions,
promotion tiers and stacks, stacking rules (use cases at this level).
"""
