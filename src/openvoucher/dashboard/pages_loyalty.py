"""Dashboard pages: loyalty."""

from __future__ import annotations

from openvoucher.dashboard.web import Pages

pages = Pages()
