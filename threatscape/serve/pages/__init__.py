"""The UI's page modules beyond the dashboard and events (``threatscape/serve/app.py``): each
defines a FastAPI ``router`` and reaches the store through ``threatscape.serve.site.site(request)``
(not through ``threatscape.serve.app``, which imports this package: that would be a cycle).

``ROUTERS`` are included by ``create_app``; ``NAV`` is the navigation bar, in order.

- ``search``: ``/search``, ``/api/search`` (full-text search with marked snippets)
- ``sanctions``: ``/sanctions/review``, ``/api/sanctions/review`` (the review queue, decisions)
- ``reports``: ``/reports`` (the brief as HTML or PDF)
"""

from __future__ import annotations

from fastapi import APIRouter

from threatscape.serve.pages import reports, sanctions, search

__all__ = ["NAV", "ROUTERS"]

NAV: list[tuple[str, str]] = [
    ("Dashboard", "/"),
    ("Events", "/events"),
    ("Search", "/search"),
    ("Sanctions review", "/sanctions/review"),
    ("Reports", "/reports"),
]
ROUTERS: list[APIRouter] = [search.router, sanctions.router, reports.router]
