"""What the web app's pages share: ``Site`` (the store, the templates, the sanctions review
store, the token), ``site(request)`` to reach it, ``mark`` to build ``<mark>``s into escaped
article text, and the event filters of a URL (``event_filters``, ``query_string``, ``as_day``).

Its own module so that the page modules (``threatscape/serve/pages/``), which ``create_app``
includes, import it and not ``threatscape.serve.app`` (which imports them).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from fastapi import Request
from fastapi.responses import HTMLResponse
from jinja2 import Environment
from markupsafe import Markup, escape

from threatscape.store import SQLStore
from threatscape.store.sanctions import SanctionsDB

__all__ = ["EVENT_FILTERS", "Site", "as_day", "event_filters", "mark", "mark_all", "query_string", "site"]

EVENT_FILTERS = ("type", "actor", "country", "admin1", "since", "until", "min_killed", "precision", "source", "q")


def mark(body: str, spans: list[tuple[int, int, str]], lo: int = 0, hi: int | None = None) -> Markup:
    """``body[lo:hi]`` escaped, with each span (start, end, kind) inside it wrapped in a ``<mark>``;
    overlapping spans: the one starting first (the longer on a tie) wins."""
    hi = len(body) if hi is None else hi
    out: list[str] = []
    at = lo
    for start, end, kind in sorted(spans, key=lambda s: (s[0], -(s[1] - s[0]))):
        start, end = max(start, lo), min(end, hi)
        if start < at or end <= start:
            continue
        out.append(str(escape(body[at:start])))
        out.append(f'<mark class="{escape(kind)}">{escape(body[start:end])}</mark>')
        at = end
    out.append(str(escape(body[at:hi])))
    return Markup("".join(out))


def mark_all(body: str, spans: list[tuple[int, int, str]], lo: int = 0, hi: int | None = None) -> Markup:
    """``body[lo:hi]`` escaped with every span (start, end, kind) in it marked, nested: a sentence
    marked as a statement holds the names and numbers marked inside it. A span that crosses
    another's end is closed there and opened again after it, so the tags always nest."""
    hi = len(body) if hi is None else hi
    kept = sorted(
        ((max(a, lo), min(b, hi), k) for a, b, k in spans if min(b, hi) > max(a, lo)), key=lambda s: (s[0], -s[1])
    )
    cuts = sorted({lo, hi, *(a for a, _, _ in kept), *(b for _, b, _ in kept)})
    out: list[str] = []
    for left, right in zip(cuts, cuts[1:], strict=False):
        inside = [k for a, b, k in kept if a <= left and right <= b]
        text = str(escape(body[left:right]))
        for kind in reversed(inside):
            text = f'<mark class="{escape(kind)}">{text}</mark>'
        out.append(text)
    return Markup("".join(out))


@dataclass
class Site:
    """What every page needs: the store, the templates, the database it was opened on, the token.
    Page modules (``threatscape/serve/pages/``) reach it as ``site(request)``. ``store`` is opened
    read-only: the database refuses any write through it. The analysts' decisions are the only
    writes: ``sanctions`` (the review queue and its decisions) and ``writer`` (corrections, and
    the fusion they are applied by)."""

    store: SQLStore
    env: Environment
    db: str
    sanctions: SanctionsDB
    writer: SQLStore
    token: str | None = None

    def page(self, name: str, **context: Any) -> HTMLResponse:
        return HTMLResponse(self.env.get_template(name).render(**context))


def site(request: Request) -> Site:
    """The ``Site`` of the app serving ``request``."""
    found: Site = request.app.state.site
    return found


def event_filters(request: Request) -> dict[str, Any]:
    """The event filters (``EVENT_FILTERS``) in the request's URL, None when empty."""
    return {k: (request.query_params.get(k) or None) for k in EVENT_FILTERS}


def query_string(filters: dict[str, Any], **extra: Any) -> str:
    """The URL query of ``filters`` and ``extra``, empty values left out."""
    from urllib.parse import urlencode

    return urlencode({k: v for k, v in {**filters, **extra}.items() if v not in (None, "")})


def as_day(value: str | None, default: str, *, last: bool = False) -> str:
    """``YYYY[-MM[-DD]]`` as a day: the first of its span, or the last with ``last``."""
    if not value:
        return default
    from threatscape.store.rows import date_bound

    date_bound("since" if not last else "until", value)
    parts = value.split("-")
    if len(parts) == 3:
        return value
    if len(parts) == 2:
        if not last:
            return f"{value}-01"
        import calendar

        year, month = int(parts[0]), int(parts[1])
        return f"{value}-{calendar.monthrange(year, month)[1]:02d}"
    return f"{value}-12-31" if last else f"{value}-01-01"
