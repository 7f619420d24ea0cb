"""Routes of the gift cards context."""
