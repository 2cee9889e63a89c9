"""The UI's page modules beyond the dashboard and events (``threatscape/serve/app.py``): each
defines a FastAPI ``router`` and reaches the store through ``threatscape.serve.site.site(request)``
(not through ``threatscape.serve.app``, which imports this package: that would be a cycle).

``ROUTERS`` are included by ``create_app``; ``NAV`` is the navigation bar, in order.

- ``search``: ``/search``, ``/api/search`` (full-text search with marked snippets)
- ``sanctions``: ``/sanctions/review``, ``/api/sanctions/review`` (the review queue, decisions)
- ``reports``: ``/reports`` (the brief as HTML or PDF)
- ``dashboard``: ``/``, ``/api/timeline``, ``/api/admin1.geojson``
- ``actors``, ``network``, ``claims``: ``/actors``, ``/network``, ``/claims`` and their APIs
- ``corrections``: the event correction form's target, ``/corrections``
"""

from __future__ import annotations

from fastapi import APIRouter

from threatscape.serve.pages import actors, claims, corrections, dashboard, network, reports, sanctions, search

__all__ = ["NAV", "ROUTERS"]

NAV: list[tuple[str, str]] = [
    ("Dashboard", "/"),
    ("Events", "/events"),
    ("Actors", "/actors"),
    ("Network", "/network"),
    ("Claims", "/claims"),
    ("Search", "/search"),
    ("Sanctions review", "/sanctions/review"),
    ("Reports", "/reports"),
    ("Corrections", "/corrections"),
]
ROUTERS: list[APIRouter] = [
    dashboard.router,
    actors.router,
    network.router,
    claims.router,
    search.router,
    sanctions.router,
    reports.router,
    corrections.router,
]
