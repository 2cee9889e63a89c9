"""The dashboard ``/`` and its data: ``/api/timeline`` (events per day or week by type),
``/api/admin1.geojson`` (the provinces of the filtered events' countries, with their counts),
``/api/map.geojson`` (the filtered events' points, lean) and its fragments,
``/dashboard/articles`` and ``/dashboard/{types,actors,provinces}`` (the tables), which the page
loads with htmx once it is shown, so each aggregate is a request of its own.

The headline counts what the events list counts (``threatscape.serve.dashboard``): the period,
the period before it, the last 7 days of the period and the 7 before; so do the articles and the
tables by type, actor (either side) and province, every filter applied (``dashboard.table``).
"""

from __future__ import annotations

import json
from typing import Any

from fastapi import APIRouter, HTTPException, Request
from fastapi.responses import HTMLResponse, Response

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
    query = query_string(filters)
    return s.page(
        "dashboard.html.j2",
        tables=figures.TABLES,
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


@router.get("/dashboard/articles", response_class=HTMLResponse)
def dashboard_articles(request: Request) -> HTMLResponse:
    """The headline's count of the distinct articles behind the filtered events (a fragment)."""
    s = site(request)
    return s.page("_dashboard_part.html.j2", part="articles", n=s.store.count_event_articles(**event_filters(request)))


@router.get("/dashboard/{name}", response_class=HTMLResponse)
def dashboard_table(request: Request, name: str) -> HTMLResponse:
    """One of the dashboard's tables (``types``, ``actors``, ``provinces``) for the filters (a fragment)."""
    if name not in figures.TABLES:
        raise HTTPException(404, f"the dashboard has no table {name!r}: {', '.join(figures.TABLES)}")
    s = site(request)
    filters = event_filters(request)
    window = figures.period_of(s.store, filters)
    rows = figures.table(s.store, name, filters, window)
    return s.page("_dashboard_part.html.j2", part=name, rows=rows, query=query_string(filters))


@router.get("/api/map.geojson")
def api_map(request: Request) -> Response:
    """The filtered events that have coordinates as GeoJSON points, one a spot and type (events
    within ~100 m of each other): ``events`` (how many), ``fatalities``, ``event_type``,
    ``first``/``last`` start day, ``country``, ``admin1``; the feature's ``id`` and
    ``sub_event_type`` when it is one event. ``/api/events.geojson`` has every event and field."""
    features = [
        {
            "type": "Feature",
            **({"id": p.event_id} if p.event_id else {}),  # a spot of several events has none
            "geometry": {"type": "Point", "coordinates": [p.lon, p.lat]},
            "properties": {
                "event_type": p.type,
                "sub_event_type": p.sub_type,
                "events": p.events,
                "fatalities": p.fatalities,
                "first": p.first,
                "last": p.last,
                "country": p.country,
                "admin1": p.admin1,
            },  # fmt: skip
        }
        for p in site(request).store.event_points(**event_filters(request))
    ]
    body = json.dumps({"type": "FeatureCollection", "features": features}, ensure_ascii=False)
    return Response(body, media_type="application/geo+json")
