"""The dashboard: server-rendered pages under ``/dashboard`` calling the same use cases as the
API (docs/adr/0030-dashboard-sessions.md, 0031-dashboard-edge.md)."""
