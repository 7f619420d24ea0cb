"""Webhook delivery: pure signing, retry schedule, payloads and templates; transport and relay."""
