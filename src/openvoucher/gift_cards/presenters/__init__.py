"""Gift cards: Voucherify JSON shapes, for API responses and webhook payloads."""
