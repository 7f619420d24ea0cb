"""Routes of the webhooks context."""
