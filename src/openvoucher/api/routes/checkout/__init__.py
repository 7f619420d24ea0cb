"""Routes of the checkout context."""
