"""The analyst's web UI: server-rendered pages (FastAPI + Jinja2 + HTMX) over one store, offline.

Pages: ``/`` (the dashboard, ``threatscape/serve/pages/dashboard.py``), ``/events`` (filters kept in
the URL, paging, exports of exactly the filtered set), ``/events/{id}`` (the fused sources, each
evidence sentence marked in its paragraph), ``/articles/{id}`` (the body with its facts marked by
kind). JSON under ``/api/``. More pages are in ``threatscape/serve/pages/``.

Writes: a reviewer's decision on a sanctions match, through ``SanctionsDB`` (``Site.sanctions``),
and an analyst's correction (``threatscape.store.corrections``); every other route reads. Every
state-changing request must carry the session's CSRF token (``threatscape.serve.csrf``), else it
is refused with 403.

Safety: every text from an article is escaped by Jinja2 (autoescape) or by ``markupsafe`` where
marks are built here; links go through ``safe_url`` (http/https only); every response carries a
Content-Security-Policy with ``script-src 'self'`` and no inline script. When ``token`` is set
(required for a non-loopback host, see ``threatscape serve``) every request must carry it: an
``Authorization: Bearer`` header, or ``?token=`` once, which sets a cookie.

Nothing is fetched from outside: the front-end libraries are served from the assets folder that
``make assets`` fills from the pinned npm packages (``scripts/build-web-assets.sh``).
"""

from __future__ import annotations

import csv
import gc
import io
import json
import secrets
from collections.abc import AsyncIterator, Iterator
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

from fastapi import Depends, FastAPI, HTTPException, Query, Request
from fastapi.responses import HTMLResponse, JSONResponse, Response, StreamingResponse
from fastapi.staticfiles import StaticFiles
from jinja2 import Environment, PackageLoader
from markupsafe import Markup

from threatscape.acled import CSV_COLUMNS, acled_row
from threatscape.errors import ConfigError, ThreatscapeError
from threatscape.report.geo import asset_dir, load_boundaries
from threatscape.safe_text import display_text, safe_url
from threatscape.serve.csrf import csrf_token, require_csrf, set_csrf_cookie
from threatscape.serve.dashboard import COORD_DIGITS
from threatscape.serve.site import Site, as_day, event_filters, mark, mark_all, query_string, site
from threatscape.store import SQLStore, open_store
from threatscape.store.corrections import STANCES, apply_to_claims, drop_wrong_relations
from threatscape.store.sanctions import SanctionsDB

__all__ = [
    "CSP",
    "DB_ENV",
    "Site",
    "app_from_environment",
    "as_day",
    "create_app",
    "event_filters",
    "mark",
    "query_string",
    "site",
    "web_assets",
]

CSP = (
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; "
    "font-src 'self'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'"
)
PAGE = 50  # events a page
API_MAX = 500  # events one /api/events call returns at most
MAX_OFFSET = 10**9  # paging past this is an error, not an overflow in the database
EXPORT_CHUNK = 1000  # events read at a time while an export streams
COOKIE = "threatscape_token"
EVENT_FIELDS = {"type": "type", "place": "place", "date": "date", "toll": "toll", "wrong": "not so (wrong)"}


def web_assets(explicit: Path | None = None) -> Path:
    """Where the front-end libraries are: ``explicit``, else the checkout's ``assets/web``."""
    return explicit or Path(__file__).resolve().parents[2] / "assets" / "web"


def _env() -> Environment:
    env = Environment(loader=PackageLoader("threatscape.serve", "templates"), autoescape=True)
    env.filters["safe_url"] = safe_url
    env.filters["text"] = lambda v: display_text("" if v is None else str(v))
    env.filters["num"] = lambda v: "" if v is None else f"{v:,}"
    return env


def _paragraph(body: str, start: int, end: int) -> tuple[int, int]:
    """The paragraph of ``body`` holding ``start:end``."""
    lo = body.rfind("\n\n", 0, start)
    hi = body.find("\n\n", end)
    return (0 if lo < 0 else lo + 2), (len(body) if hi < 0 else hi)


class _Row(dict):  # type: ignore[type-arg]
    """A fact dict read by attribute, as the corrections' filters read rows."""

    def __getattr__(self, name: str) -> Any:
        if name.startswith("_"):
            raise AttributeError(name)
        return self.get(name)


DB_ENV = "THREATSCAPE_SERVE_DB"  # the database a worker process of ``threatscape serve --workers N`` opens


def app_from_environment() -> FastAPI:
    """The app of one worker process of ``threatscape serve --workers N``: the database named by
    ``THREATSCAPE_SERVE_DB``, the token (if any) by ``THREATSCAPE_TOKEN``."""
    import os

    db = os.environ.get(DB_ENV)
    if not db:
        raise ConfigError(f"{DB_ENV} names no database (threatscape serve sets it for its workers)")
    return create_app(db, token=os.environ.get("THREATSCAPE_TOKEN") or None)


def create_app(db: str, *, token: str | None = None, assets: Path | None = None) -> FastAPI:
    """The web app over the database ``db`` (a path or URL)."""
    from threatscape.serve.pages import NAV, ROUTERS

    writer: SQLStore = open_store(db)  # brings the schema up to date before the read-only store opens
    store = writer
    try:
        store = writer if writer.in_memory else open_store(db, read_only=True)
        sanctions = SanctionsDB.open(db)
    except BaseException:
        store.close()
        writer.close()
        raise
    env = _env()
    env.globals["nav"] = NAV

    @asynccontextmanager
    async def lifespan(_app: FastAPI) -> AsyncIterator[None]:
        yield
        sanctions.close()
        store.close()
        writer.close()

    app = FastAPI(
        title="threatscape",
        description="The analyst's view of a threatscape store.",
        version="1",
        lifespan=lifespan,
        dependencies=[Depends(require_csrf)],
    )
    app.state.site = Site(store, env, db, sanctions, writer, token)
    bounds = load_boundaries(asset_dir())  # parsed once a process, before the first request that maps provinces
    if bounds is not None:  # and the outlines the map draws, rounded, made before the first request too
        for province in bounds.provinces:
            bounds.outline(province.iso, COORD_DIGITS)
    for router in ROUTERS:
        app.include_router(router)
    folder = web_assets(assets)
    if folder.is_dir():
        app.mount("/static/vendor", StaticFiles(directory=folder), name="vendor")
    app.mount("/static/app", StaticFiles(packages=[("threatscape.serve", "static")]), name="app")

    @app.middleware("http")
    async def guard(request: Request, call_next: Any) -> Response:
        if token is not None:
            given = request.headers.get("authorization", "").removeprefix("Bearer ").strip()
            given = given or request.cookies.get(COOKIE) or request.query_params.get("token") or ""
            if not secrets.compare_digest(given.encode(), token.encode()):
                return Response("a token is needed (THREATSCAPE_TOKEN)", status_code=401, media_type="text/plain")
        response: Response = await call_next(request)
        response.headers["Content-Security-Policy"] = CSP
        response.headers["X-Content-Type-Options"] = "nosniff"
        response.headers["Referrer-Policy"] = "no-referrer"
        response.headers["X-Frame-Options"] = "DENY"
        set_csrf_cookie(request, response)
        if token is not None and request.query_params.get("token"):
            response.set_cookie(COOKIE, token, httponly=True, samesite="strict")
        return response

    @app.exception_handler(ThreatscapeError)
    async def bad_input(request: Request, exc: ThreatscapeError) -> Response:
        if request.url.path.startswith("/api/"):
            return JSONResponse({"error": str(exc)}, status_code=400)
        return HTMLResponse(env.get_template("error.html.j2").render(message=str(exc)), status_code=400)

    def page(name: str, **context: Any) -> HTMLResponse:
        return HTMLResponse(env.get_template(name).render(**context))

    def events_page(filters: dict[str, Any], page_no: int, sort: str) -> tuple[list[dict[str, Any]], int]:
        total = store.count_events(**filters)
        rows = store.query_events(**filters, limit=PAGE, offset=(page_no - 1) * PAGE, sort=sort)
        return rows, total

    @app.get("/events", response_class=HTMLResponse)
    def events(
        request: Request,
        page_no: int = Query(1, alias="page", ge=1, le=MAX_OFFSET // PAGE),
        sort: str = Query("date", pattern="^-?(date|killed|reports)$"),
    ) -> HTMLResponse:
        filters = event_filters(request)
        rows, total = events_page(filters, page_no, sort)
        pages = max(1, -(-total // PAGE))
        others = {k: v for k, v in filters.items() if k != "type"}
        facets = [(t.key[0], t.events) for t in store.tally_events(("type",), **others)]
        return page(
            "events.html.j2",
            rows=rows,
            total=total,
            f=filters,
            page=page_no,
            pages=pages,
            sort=sort,
            facets=facets,
            query=query_string(filters),
            sorted_query=query_string(filters, sort=sort if sort != "date" else None),
            base_query=query_string(others),
        )

    @app.get("/events/{event_id}", response_class=HTMLResponse)
    def event(request: Request, event_id: str) -> HTMLResponse:
        found = store.query_events(event_id=event_id, aggregate=True)
        if not found:
            raise HTTPException(404, f"no event {event_id}")
        ev = found[0]
        sources = []
        for s in ev["sources"]:
            facts = store.extraction(s["article_id"]) or {}
            body = facts.get("body") or ""
            fact = next((e for e in facts.get("events", []) if e.get("id") == s["event_id"]), None)
            evidence = (fact or {}).get("evidence") or {}
            if evidence:
                lo, hi = _paragraph(body, evidence["start"], evidence["end"])
                paragraph = mark(body, [(evidence["start"], evidence["end"], "evidence")], lo, hi)
            else:
                paragraph = Markup("")
            extractor = evidence.get("extractor")
            sources.append(s | {"paragraph": paragraph, "extractor": extractor})
        return page("event.html.j2", e=ev, sources=sources, csrf=csrf_token(request), fields=EVENT_FIELDS)

    @app.get("/articles/{article_id}", response_class=HTMLResponse)
    def article(request: Request, article_id: str) -> HTMLResponse:
        found = store.get_article(article_id)
        if found is None:
            raise HTTPException(404, f"no article {article_id}")
        facts = store.extraction(found.id) or {}
        spans: list[tuple[int, int, str]] = []
        for kind in ("events", "claims", "relations", "quantities", "flows", "strengths", "places", "dates"):
            for fact in facts.get(kind, []):
                ev = fact.get("amount_evidence") or fact.get("count_evidence") or fact.get("evidence") or {}
                if ev and ev.get("end", 0) > ev.get("start", 0):
                    spans.append((ev["start"], ev["end"], kind))
        for mention in store.mentions(found.id):
            spans.append((mention[0], mention[1], "mentions"))
        actors = {a["id"]: a for a in facts.get("actors", [])}

        def located(fact: dict[str, Any]) -> _Row:
            ev = fact.get("evidence") or {}
            return _Row(fact | {"article_id": found.id, "ev_start": ev.get("start"), "ev_end": ev.get("end")})

        facts["claims"] = apply_to_claims([located(c) for c in facts.get("claims", [])], store.corrections("claim"))
        relations = [located(r) for r in facts.get("relations", [])]
        facts["relations"] = drop_wrong_relations(relations, store.corrections("relation"))
        body = found.body
        paragraphs = []
        at = 0
        for chunk in body.split("\n\n"):
            lo, hi = at, at + len(chunk)
            paragraphs.append(mark_all(body, spans, lo, hi))
            at = hi + 2
        return page(
            "article.html.j2",
            a=found,
            paragraphs=paragraphs,
            facts=facts,
            actors=actors,
            csrf=csrf_token(request),
            stances=STANCES,
        )

    @app.get("/api/events")
    def api_events(
        request: Request,
        limit: int = Query(PAGE, ge=0, le=API_MAX),
        offset: int = Query(0, ge=0, le=MAX_OFFSET),
        sort: str = Query("date", pattern="^-?(date|killed|reports)$"),
    ) -> dict[str, Any]:
        filters = event_filters(request)
        return {
            "total": store.count_events(**filters),
            "events": store.query_events(**filters, limit=limit, offset=offset, sort=sort),
        }

    @app.get("/api/events/{event_id}")
    def api_event(event_id: str) -> dict[str, Any]:
        found = store.query_events(event_id=event_id, aggregate=True)
        if not found:
            raise HTTPException(404, f"no event {event_id}")
        return found[0]

    def chunks(filters: dict[str, Any]) -> Iterator[list[dict[str, Any]]]:
        return store.iter_events(EXPORT_CHUNK, **filters)

    @app.get("/api/events.csv")
    def export_csv(request: Request) -> StreamingResponse:
        filters = event_filters(request)

        def lines() -> Iterator[str]:
            buffer = io.StringIO()
            writer = csv.DictWriter(buffer, fieldnames=CSV_COLUMNS, extrasaction="ignore")
            writer.writeheader()
            for rows in chunks(filters):
                writer.writerows(acled_row(row) for row in rows)
                yield buffer.getvalue()
                buffer.seek(0)
                buffer.truncate()
            yield buffer.getvalue()

        headers = {"Content-Disposition": 'attachment; filename="events.csv"'}
        return StreamingResponse(lines(), media_type="text/csv; charset=utf-8", headers=headers)

    @app.get("/api/events.ndjson")
    def export_ndjson(request: Request) -> StreamingResponse:
        filters = event_filters(request)
        parts = ("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows) for rows in chunks(filters))
        return StreamingResponse(parts, media_type="application/x-ndjson")

    @app.get("/api/events.geojson")
    def export_geojson(request: Request) -> StreamingResponse:
        from threatscape.acled import geojson

        filters = event_filters(request)

        def parts() -> Iterator[str]:
            yield '{"type": "FeatureCollection", "features": ['
            sep = ""
            for rows in chunks(filters):
                features = [json.dumps(f, ensure_ascii=False) for f in geojson(rows)["features"]]
                if features:
                    yield sep + ",".join(features)
                    sep = ","
            yield "]}"

        return StreamingResponse(parts(), media_type="application/geo+json")

    # what the app keeps for its life (templates, boundaries, lexicons: ~130k objects) leaves the
    # collector's scans: a full collection over it took ~75 ms, a stall in the middle of a request
    gc.freeze()
    return app
