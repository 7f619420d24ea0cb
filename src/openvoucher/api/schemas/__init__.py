"""Request bodies per resource, as msgspec Structs (types, enums and lengths checked on decode)."""
