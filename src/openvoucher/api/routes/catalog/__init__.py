"""Routes of the catalog context."""
