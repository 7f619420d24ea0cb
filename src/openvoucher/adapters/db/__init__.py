"""Database adapter: engine, schema, migrations and repositories."""
