"""Loyalty v2 (``/v2/loyalties``): a second API over the loyalty context's one ledger.

See ``docs/adr/0080-loyalty-v2-over-one-ledger.md``.
"""
