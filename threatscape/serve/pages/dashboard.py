"""The dashboard ``/`` and its data: ``/api/timeline`` (events per day or week by type) and
``/api/admin1.geojson`` (the provinces of the filtered events' countries, with their counts).

The headline counts what the events list counts (``threatscape.serve.dashboard``): the period,
the period before it, the last 7 days of the period and the 7 before; so do the tables by type,
actor (either side) and province, every filter applied (``dashboard.tables``).
"""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse

from threatscape.report.geo import asset_dir, load_boundaries
from threatscape.serve import dashboard as figures
from threatscape.serve.site import event_filters, query_string, site

__all__ = ["router"]

router = APIRouter()


@router.get("/", response_class=HTMLResponse)
def dashboard(request: Request) -> HTMLResponse:
    s = site(request)
    filters = event_filters(request)
    totals = s.store.tally_events(**filters)
    window = figures.period_of(s.store, filters)
    period, week = figures.changes(s.store, filters, [window, window.last(figures.WEEK)]) if window else (None, None)
    headline = figures.tables(s.store, filters, window)
    query = query_string(filters)
    return s.page(
        "dashboard.html.j2",
        h=headline,
        total=totals[0] if totals else None,
        period=period,
        week=week,
        f=filters,
        query=query,
    )


@router.get("/api/timeline")
def api_timeline(request: Request) -> dict[str, Any]:
    """The filtered events per day (per week past 92 days) and ACLED type; ``undated`` apart."""
    return figures.timeline(site(request).store, event_filters(request))


@router.get("/api/admin1.geojson")
def api_admin1(request: Request) -> dict[str, Any]:
    """The provinces (Natural Earth admin-1) of the countries of the filtered events, with counts."""
    return figures.admin1_collection(site(request).store, event_filters(request), load_boundaries(asset_dir()))
