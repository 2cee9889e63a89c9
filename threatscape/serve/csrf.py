"""Cross-site request forgery: every state-changing request carries the session's token.

A random token lives in a ``SameSite=Strict`` cookie (set on the first page a browser gets,
``ensure``); forms send it back in a hidden ``csrf`` field (or an ``X-CSRF-Token`` header from
script). ``check`` compares the two in constant time and refuses the request with 403 when they
differ or either is missing: another site can make the browser post, but cannot read the cookie.
"""

from __future__ import annotations

import secrets

from fastapi import HTTPException, Request

__all__ = ["COOKIE", "check", "ensure", "token_of"]

COOKIE = "threatscape_csrf"


def ensure(request: Request) -> str | None:
    """The request's token; a new one (returned, for the response to set) when it has none."""
    if request.cookies.get(COOKIE):
        request.state.csrf = request.cookies[COOKIE]
        return None
    request.state.csrf = secrets.token_urlsafe(32)
    return str(request.state.csrf)


def token_of(request: Request) -> str:
    """The token a page embeds in its forms."""
    return str(getattr(request.state, "csrf", "") or request.cookies.get(COOKIE, ""))


def check(request: Request, given: str | None) -> None:
    """Refuse (403) a state-changing request whose token is missing or not the cookie's."""
    cookie = request.cookies.get(COOKIE, "")
    given = given or request.headers.get("x-csrf-token", "")
    if not cookie or not given or not secrets.compare_digest(cookie.encode(), given.encode()):
        raise HTTPException(403, "missing or wrong CSRF token: reload the page and try again")
