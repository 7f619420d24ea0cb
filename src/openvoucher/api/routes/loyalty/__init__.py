"""Routes of the loyalty context."""
