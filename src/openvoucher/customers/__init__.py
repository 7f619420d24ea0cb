"""Customers: profiles, segments and their membership, custom events (use cases at this level)."""
