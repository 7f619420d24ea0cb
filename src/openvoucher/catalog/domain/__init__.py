"""Catalog: pure rules and value objects. No I/O, no wall clock."""
