"""The HTTP edge: parse, authenticate, call a service, render."""
