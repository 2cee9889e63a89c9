"""``/reports``: a form (period, country, admin-1, actor, format) for the threat-landscape brief
that ``threatscape report`` writes; ``/reports/brief`` returns it, HTML or PDF, as a download.

The HTML brief is a page of its own, with its own Content-Security-Policy (inline style, no
script); it is sent as an attachment and still under the app's policy header, so it is never
rendered as one of the app's pages and the app's policy is not loosened for it.
"""

from __future__ import annotations

from datetime import date

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse, Response

from threatscape.report.build import build_report, resolve_filters
from threatscape.serve.site import site

__all__ = ["router"]

router = APIRouter()

MEDIA = {"html": "text/html; charset=utf-8", "pdf": "application/pdf"}


@router.get("/reports", response_class=HTMLResponse)
def reports_page(request: Request) -> HTMLResponse:
    today = date.today()
    defaults = {"start": f"{today.year - 1}-01-01", "end": today.isoformat()}
    return site(request).page("reports.html.j2", d=defaults)


def _text(value: str | None) -> str | None:
    return (value or "").strip() or None


@router.get("/reports/brief", response_model=None)
def brief(
    request: Request,
    start: str = Query(..., alias="from"),
    end: str = Query(..., alias="to"),
    country: str | None = None,
    admin1: str | None = None,
    actor: str | None = None,
    fmt: str = Query("html", alias="format", pattern="^(html|pdf)$"),
) -> Response:
    """The brief for the period and filters, as a file to save (``brief-FROM-TO.html`` or ``.pdf``)."""
    store = site(request).store
    filters = resolve_filters(
        store, start.strip(), end.strip(), country=_text(country), admin1=_text(admin1), actor=_text(actor)
    )
    built = build_report(store, filters)
    if fmt == "pdf":
        from threatscape.report.render_pdf import render_pdf

        content: bytes | str = render_pdf(built)
    else:
        from threatscape.report.render_html import render_html

        content = render_html(built)
    name = f"brief-{filters.period.start.isoformat()}-{filters.period.end.isoformat()}.{fmt}"
    headers = {"Content-Disposition": f'attachment; filename="{name}"'}
    return Response(content, media_type=MEDIA[fmt], headers=headers)
