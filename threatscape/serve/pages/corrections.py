"""Corrections: an analyst fixes an event's type, place, date or toll, or marks it wrong.

The form on ``/events/{id}`` posts to ``/events/{id}/corrections``; the correction is stored for
every source event of the fused event (``threatscape.store.corrections``), the events are fused
again, and the browser goes to the corrected event. ``/corrections`` lists them all, newest first;
``/api/corrections`` is the same as JSON.
"""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Form, HTTPException, Request
from fastapi.responses import HTMLResponse, RedirectResponse

from threatscape.errors import ConfigError
from threatscape.serve.site import site

__all__ = ["router"]

router = APIRouter()


def _int(name: str, text: str) -> int | None:
    text = text.strip()
    if not text:
        return None
    if not text.isdigit():
        raise ConfigError(f"{name} must be a whole number, not {text!r}")
    return int(text)


def _float(name: str, text: str) -> float | None:
    text = text.strip()
    if not text:
        return None
    try:
        return float(text)
    except ValueError as exc:
        raise ConfigError(f"{name} must be a number, not {text!r}") from exc


def _value(field: str, form: dict[str, str]) -> dict[str, Any]:
    if field == "type":
        return {"type": form.get("type", "").strip(), "sub_type": form.get("sub_type", "").strip() or None}
    if field == "place":
        return {
            "name": form.get("place_name", "").strip(),
            "admin1": form.get("admin1", "").strip() or None,
            "country": form.get("country", "").strip() or None,
            "lat": _float("lat", form.get("lat", "")),
            "lon": _float("lon", form.get("lon", "")),
        }
    if field == "date":
        return {
            "start": form.get("date_start", "").strip(),
            "end": form.get("date_end", "").strip() or None,
            "precision": form.get("precision", "").strip() or "day",
        }
    if field == "toll":
        best = _int("killed", form.get("best", ""))
        return {"best": best, "low": _int("low", form.get("low", "")), "high": _int("high", form.get("high", ""))}
    return {}


@router.post("/events/{event_id}/corrections")
async def correct_event(
    request: Request,
    event_id: str,
    field: str = Form(...),
    by: str = Form(""),
) -> RedirectResponse:
    # the app's require_csrf dependency has checked the session's token already
    from threatscape.resolve.fusion import fuse_events

    store, writer = site(request).store, site(request).writer
    found = store.query_events(event_id=event_id, aggregate=True)
    if not found:
        raise HTTPException(404, f"no event {event_id}")
    form = {k: str(v) for k, v in (await request.form()).items()}
    value = _value(field, form)
    if field == "toll" and value.get("best") is not None:
        value = {k: (value["best"] if v is None else v) for k, v in value.items()}
    sources = found[0]["sources"]
    for source in sources:
        facts = store.extraction(source["article_id"]) or {}
        fact: dict[str, Any] = next((e for e in facts.get("events", []) if e.get("id") == source["event_id"]), {})
        ev = fact.get("evidence") or {}
        span = (ev["start"], ev["end"]) if ev else None
        writer.add_correction(
            kind="event",
            fact_id=source["event_id"],
            article_id=source["article_id"],
            span=span,
            field=field,
            value=value,
            author=by,
            note=form.get("note") or None,
        )
    writer.refresh_fused_events(fuse_events)
    if field == "wrong":
        return RedirectResponse("/corrections", status_code=303)
    now = store.fused_id_of(sources[0]["article_id"], sources[0]["event_id"])
    return RedirectResponse(f"/events/{now}" if now else "/corrections", status_code=303)


@router.post("/articles/{article_id}/{kind}/{fact_id}/corrections")
async def correct_fact(
    request: Request, article_id: str, kind: str, fact_id: str, field: str = Form(...), by: str = Form("")
) -> RedirectResponse:
    """A claim's stance or speaker, or a claim or relation marked wrong (``kind``: claims, relations)."""
    names = {"claims": ("claim", "claims"), "relations": ("relation", "relations")}
    if kind not in names:
        raise HTTPException(404, f"no {kind} to correct")
    store, writer = site(request).store, site(request).writer
    facts = store.extraction(article_id)
    fact = next((f for f in (facts or {}).get(names[kind][1], []) if f.get("id") == fact_id), None)
    if fact is None:
        raise HTTPException(404, f"no {names[kind][0]} {fact_id} in article {article_id}")
    form = {k: str(v) for k, v in (await request.form()).items()}
    value: dict[str, Any] = {}
    if field == "stance":
        value = {"stance": form.get("stance", "")}
    elif field == "speaker":
        value = {"speaker": form.get("speaker", "").strip()}
    ev = fact.get("evidence") or {}
    writer.add_correction(
        kind=names[kind][0],
        fact_id=fact_id,
        article_id=article_id,
        span=(ev["start"], ev["end"]) if ev else None,
        field=field,
        value=value,
        author=by,
        note=form.get("note") or None,
    )
    return RedirectResponse(f"/articles/{article_id}", status_code=303)


@router.get("/corrections", response_class=HTMLResponse)
def corrections_page(request: Request) -> HTMLResponse:
    s = site(request)
    return s.page("corrections.html.j2", rows=list(reversed(s.store.corrections())))


@router.get("/api/corrections")
def api_corrections(request: Request) -> list[dict[str, Any]]:
    from dataclasses import asdict

    return [asdict(c) for c in reversed(site(request).store.corrections())]
