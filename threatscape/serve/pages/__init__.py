"""The UI's page modules beyond the dashboard and events (``threatscape/serve/app.py``): each
defines a FastAPI ``router`` and reaches the store through ``threatscape.serve.app.site(request)``.

``ROUTERS`` are included by ``create_app``; ``NAV`` is the navigation bar, in order.
"""

from __future__ import annotations

from fastapi import APIRouter

__all__ = ["NAV", "ROUTERS"]

NAV: list[tuple[str, str]] = [
    ("Dashboard", "/"),
    ("Events", "/events"),
    ("Actors", "/actors"),
    ("Network", "/network"),
    ("Claims", "/claims"),
    ("Corrections", "/corrections"),
]
ROUTERS: list[APIRouter] = []


def _load() -> None:
    """Fill ``ROUTERS`` once (the page modules import ``threatscape.serve.app``: not at import)."""
    from threatscape.serve.pages import actors, claims, corrections, dashboard, network

    pages = (dashboard.router, actors.router, network.router, claims.router, corrections.router)
    ROUTERS.extend(r for r in pages if r not in ROUTERS)
