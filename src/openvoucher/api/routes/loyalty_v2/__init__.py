"""Routes of Loyalty v2 (``/v2/loyalties``), served by the loyalty context."""
