"""Routes of the platform context."""
