"""Routes of the customers context."""
