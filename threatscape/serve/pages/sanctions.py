"""``/sanctions/review``: the screening matches awaiting a reviewer, each with its explanation, and
accept/reject buttons; ``/api/sanctions/review`` the same as JSON.

The queue and the decisions are ``SanctionsDB``'s, the ones ``threatscape sanctions review`` shows
and the screener reuses: a match accepted here is a match on the next screening. Deciding is a
POST that must carry the session's CSRF token (``threatscape.serve.csrf``); it is the only write
the web app makes.
"""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Body, Form, HTTPException, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from threatscape.serve.csrf import csrf_token
from threatscape.serve.site import site
from threatscape.store.sanctions import DECISIONS, SanctionsDB

__all__ = ["router"]

router = APIRouter()


def _decide(store: SanctionsDB, item_id: int, decision: str) -> tuple[str, str, str]:
    """Record ``decision`` on the queued match ``item_id``; its (query_norm, list, ref)."""
    if decision not in DECISIONS:
        raise HTTPException(400, f"a decision is accept or reject, not {decision!r}")
    key = store.review_item(item_id)
    if key is None:
        raise HTTPException(404, f"no queued match with id {item_id}")
    store.decide(*key, decision)
    return key


@router.get("/sanctions/review", response_class=HTMLResponse)
def review_page(request: Request) -> HTMLResponse:
    s = site(request)
    pending = s.sanctions.pending()
    lists = s.sanctions.latest()
    return s.page("sanctions_review.html.j2", pending=pending, lists=lists, csrf=csrf_token(request))


@router.post("/sanctions/review/{item_id}", response_model=None)
def decide_from_page(request: Request, item_id: int, decision: str = Form("")) -> Response:
    """The buttons' form: with htmx the row is swapped for the outcome, else back to the queue."""
    s = site(request)
    _decide(s.sanctions, item_id, decision)
    if request.headers.get("HX-Request"):
        return s.page("_review_decided.html.j2", item_id=item_id, decision=decision)
    return RedirectResponse("/sanctions/review", status_code=303)


@router.get("/api/sanctions/review")
def api_review(request: Request) -> dict[str, Any]:
    """The matches awaiting review, best score first, and the CSRF token a decision needs."""
    pending = site(request).sanctions.pending()
    return {"total": len(pending), "pending": [p.row() for p in pending], "csrf_token": csrf_token(request)}


@router.post("/api/sanctions/review/{item_id}")
def api_decide(request: Request, item_id: int, decision: str = Body(..., embed=True)) -> dict[str, Any]:
    """Accept or reject the queued match ``item_id`` (JSON ``{"decision": "accept"}``, header
    ``X-CSRF-Token``)."""
    query_norm, list_name, ref = _decide(site(request).sanctions, item_id, decision)
    return {"id": item_id, "decision": decision, "query_norm": query_norm, "list": list_name, "ref": ref}
