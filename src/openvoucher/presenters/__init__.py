"""Render domain state in Voucherify's JSON shapes, for API responses and webhook payloads."""
