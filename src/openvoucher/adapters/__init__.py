"""Adapters: the database, the clock, outbound HTTP."""
