"""Repositories: all SQL lives here. Each takes the transaction's connection and project."""
