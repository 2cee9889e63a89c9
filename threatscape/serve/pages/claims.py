"""The contested-claims page: each accusation beside the denial that answers it (the report's
``contested_pairs``), with the speakers and the source articles of both; ``/api/claims`` lists
claims with filters (``stance``, ``speaker``, ``since``, ``until``) and paging."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse

from threatscape.report import facts as report_facts
from threatscape.report import sections
from threatscape.report.build import connection
from threatscape.report.model import Filters
from threatscape.serve import facts
from threatscape.serve.site import site

__all__ = ["router"]

router = APIRouter()
PAIRS = 200  # accusation/denial pairs one page shows at most
API_MAX = 500


@router.get("/claims", response_class=HTMLResponse)
def claims_page(request: Request, since: str | None = None, until: str | None = None) -> HTMLResponse:
    within = facts.period(since or None, until or None)
    with connection(site(request).store) as conn:
        names = {k: v.name for k, v in report_facts.actor_rows(conn).items()}
        pairs = sections.contested_pairs(conn, Filters(within), lambda a: names.get(a or "", a or ""), PAIRS)
        ids = sorted({a for p in pairs for a in (*p.accusation_articles, *p.denial_articles)})
        articles = report_facts.articles_by_id(conn, ids)
    f = {"since": since or None, "until": until or None}
    return site(request).page("claims.html.j2", pairs=pairs, articles=articles, f=f)


@router.get("/api/claims")
def api_claims(
    request: Request,
    stance: str | None = None,
    speaker: str | None = None,
    since: str | None = None,
    until: str | None = None,
    limit: int = Query(50, ge=0, le=API_MAX),
    offset: int = Query(0, ge=0, le=10**9),
) -> dict[str, Any]:
    """Claims of one ``stance`` (assert, accuse, deny, ...) by one ``speaker`` (actor id, name or
    alias) in the articles of the period, oldest first; ``total`` is how many match."""
    within = facts.period(since or None, until or None)
    with connection(site(request).store) as conn:
        found = facts.claim_page(
            conn, stance=stance or None, speaker=speaker or None, within=within, limit=limit, offset=offset
        )
    return {"total": found.total, "claims": found.claims}
