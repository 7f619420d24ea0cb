"""The kernel every context builds on: ids, clock, errors, ledger arithmetic, events, list filters,
the unit of work (one transaction per command, its events in the outbox) and idempotency.
"""
