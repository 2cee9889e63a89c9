"""What the web app's pages share: ``Site`` (the store, the templates, the sanctions review
store, the token), ``site(request)`` to reach it, and ``mark`` to build ``<mark>``s into escaped
article text.

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

__all__ = ["Site", "mark", "site"]


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


@dataclass
class Site:
    """What every page needs: the store, the templates, the database it was opened on, the token.
    Page modules (``threatscape/serve/pages/``) reach it as ``site(request)``. ``sanctions`` is
    the same database's review queue and decisions, the one thing the app writes to."""

    store: SQLStore
    env: Environment
    db: str
    sanctions: SanctionsDB
    token: str | None = None

    def page(self, name: str, **context: Any) -> HTMLResponse:
        return HTMLResponse(self.env.get_template(name).render(**context))


def site(request: Request) -> Site:
    """The ``Site`` of the app serving ``request``."""
    found: Site = request.app.state.site
    return found
