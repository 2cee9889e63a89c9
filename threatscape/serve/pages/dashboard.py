"""The dashboard ``/`` and its data: ``/api/timeline`` (events per day or week by type) and
``/api/admin1.geojson`` (the provinces of the filtered events' countries, with their counts).

The headline counts what the events list counts (``threatscape.serve.dashboard``): the period,
the period before it, the last 7 days of the period and the 7 before; the tables by type, actor
and province come from the report's headline (``build_headline``).
"""

from __future__ import annotations

from datetime import date
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse

from threatscape.report.build import build_headline
from threatscape.report.geo import asset_dir, load_boundaries
from threatscape.report.model import Filters, Period
from threatscape.serve import dashboard as figures
from threatscape.serve.site import as_day, event_filters, query_string, site

__all__ = ["router"]

router = APIRouter()


@router.get("/", response_class=HTMLResponse)
def dashboard(request: Request) -> HTMLResponse:
    s = site(request)
    filters = event_filters(request)
    start = date.fromisoformat(as_day(filters["since"], "1900-01-01"))
    end = date.fromisoformat(as_day(filters["until"], "2100-12-31", last=True))
    headline, _names = build_headline(s.store, Filters(Period(start, end), filters["country"], filters["admin1"]))
    totals = s.store.tally_events(**filters)
    window = figures.period_of(s.store, filters)
    period, week = figures.changes(s.store, filters, [window, window.last(figures.WEEK)]) if window else (None, None)
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
