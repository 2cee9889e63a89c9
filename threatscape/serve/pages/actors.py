"""Actor pages: ``/actors`` (every actor, searchable by name or alias, busiest first) and
``/actors/{id}`` (aliases, type, affiliation, activity by month, places, co-actors, claims by and
about it, relations, money, strength figures, sanctions matches); the same as JSON under
``/api/actors``."""

from __future__ import annotations

from dataclasses import asdict
from typing import Any

from fastapi import APIRouter, HTTPException, Query, Request
from fastapi.responses import HTMLResponse
from sqlalchemy import Connection

from threatscape.report import facts as report_facts
from threatscape.report.build import connection
from threatscape.serve import facts
from threatscape.serve.site import site

__all__ = ["router"]

router = APIRouter()


def _matches(actor: report_facts.ActorRow, q: str) -> bool:
    key = q.strip().casefold()
    return not key or any(key in s.casefold() for s in (actor.id, actor.name, *actor.aliases))


def _listing(conn: Connection, q: str) -> list[dict[str, Any]]:
    events = facts.actor_events(conn)
    rows = [
        {"id": a.id, "name": a.name, "type": a.type, "country": a.country, "events": events.get(a.id, 0)}
        for a in report_facts.actor_rows(conn).values()
        if _matches(a, q)
    ]
    return sorted(rows, key=lambda r: (-r["events"], r["name"].casefold()))


def _profile(conn: Connection, actor_id: str) -> dict[str, Any]:
    actor = report_facts.actor_rows(conn, [actor_id]).get(actor_id)
    if actor is None:
        raise HTTPException(404, f"no actor {actor_id}")
    act = facts.activity(conn, actor_id)
    claims = [dict(r._mapping) for r in facts.claims_of(conn, actor_id)]
    rels = [dict(r._mapping) for r in facts.relations(conn, actor=actor_id, limit=facts.CLAIMS_OF_LIMIT)]
    money = [dict(r._mapping) for r in report_facts.money_flows(conn, facts.ALL_TIME, actor_id)]
    strength = [dict(r._mapping) for r in report_facts.strength_reports(conn, actor_id, facts.ALL_TIME)]
    mentioned = {r["speaker"] for r in claims} | {r["target"] for r in claims}
    mentioned |= {r[k] for r in rels for k in ("subject", "object", "attributed_to")} | {a for a, _ in act.co_actors}
    mentioned |= {m[k] for m in money for k in ("payer", "payee", "reported_by")}
    mentioned |= {s["estimate_by"] for s in strength} | {actor.affiliation}
    known = report_facts.actor_rows(conn, sorted(m for m in mentioned if m))
    return {
        "actor": asdict(actor),
        "names": {k: v.name for k, v in known.items()},
        "activity": asdict(act),
        "claims": claims,
        "relations": rels,
        "money": money,
        "strength": strength,
    }


@router.get("/actors", response_class=HTMLResponse)
def actors_page(request: Request, q: str = "") -> HTMLResponse:
    with connection(site(request).store) as conn:
        rows = _listing(conn, q)
    return site(request).page("actors.html.j2", rows=rows, q=q)


@router.get("/actors/{actor_id}", response_class=HTMLResponse)
def actor_page(request: Request, actor_id: str) -> HTMLResponse:
    with connection(site(request).store) as conn:
        p = _profile(conn, actor_id)
    months = p["activity"]["months"]
    spec = {
        "$schema": "https://vega.github.io/schema/vega-lite/v6.json",
        "width": "container",
        "height": 160,
        "data": {"values": [{"month": m, "events": n} for m, n in months]},
        "mark": "bar",
        "encoding": {
            "x": {"field": "month", "type": "ordinal", "title": "Month"},
            "y": {"field": "events", "type": "quantitative", "title": "Events"},
        },
    }
    return site(request).page("actor.html.j2", p=p, a=p["actor"], names=p["names"], spec=spec)


@router.get("/api/actors")
def api_actors(
    request: Request, q: str = "", limit: int = Query(100, ge=0, le=1000), offset: int = Query(0, ge=0)
) -> dict[str, Any]:
    """Actors whose id, name or alias holds ``q``, busiest first, with their event counts."""
    with connection(site(request).store) as conn:
        rows = _listing(conn, q)
    return {"total": len(rows), "actors": rows[offset : offset + limit]}


@router.get("/api/actors/{actor_id}")
def api_actor(request: Request, actor_id: str) -> dict[str, Any]:
    """One actor's profile: the actor, its activity, claims, relations, money flows and strength."""
    with connection(site(request).store) as conn:
        return _profile(conn, actor_id)
