"""Gift cards: the credits ledger and reading ledger transactions (use cases at this level)."""
