"""Platform: all of its SQL. Each repository takes the transaction's connection and project."""
