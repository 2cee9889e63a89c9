"""The UI's page modules beyond the dashboard and events (``threatscape/serve/app.py``): each
defines a FastAPI ``router`` and reaches the store through ``threatscape.serve.app.site(request)``.

``ROUTERS`` are included by ``create_app``; ``NAV`` is the navigation bar, in order.
"""

from __future__ import annotations

from fastapi import APIRouter

from threatscape.serve.pages import dashboard

__all__ = ["NAV", "ROUTERS"]

NAV: list[tuple[str, str]] = [("Dashboard", "/"), ("Events", "/events")]
ROUTERS: list[APIRouter] = [dashboard.router]
