"""Shared test harness: databases, a real server on loopback, clients."""
