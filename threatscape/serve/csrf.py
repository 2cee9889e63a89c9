"""CSRF protection for the web UI's state-changing requests: a per-session double-submit token.

The first page that needs it (``csrf_token``) draws a random token; the response sets it as the
``threatscape_csrf`` cookie (HttpOnly, ``SameSite=Strict``) and the page carries the same value in
``<meta name="csrf-token">`` (``app.js`` sends it as the ``X-CSRF-Token`` header on htmx
requests) and in the hidden ``csrf_token`` field of each POST form, for a browser without script.

``require_csrf`` is a dependency of the whole app: a request with any method but GET, HEAD or
OPTIONS whose header or form field does not equal the cookie (``secrets.compare_digest``) is
refused with 403 before its route runs. Another site can neither read the token nor, with
``SameSite=Strict``, make the browser send the cookie.
"""

from __future__ import annotations

import re
import secrets

from fastapi import HTTPException, Request, Response

__all__ = ["COOKIE", "FIELD", "HEADER", "csrf_token", "require_csrf", "set_csrf_cookie"]

COOKIE = "threatscape_csrf"
HEADER = "X-CSRF-Token"
FIELD = "csrf_token"
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
TOKEN_BYTES = 32
_WELL_FORMED = re.compile(r"[A-Za-z0-9_-]{43}")  # what secrets.token_urlsafe(TOKEN_BYTES) gives
_FORMS = ("application/x-www-form-urlencoded", "multipart/form-data")


def csrf_token(request: Request) -> str:
    """The session's token: the one its cookie holds, else a new one the response will set."""
    token: str | None = getattr(request.state, "csrf", None)
    if token is None:
        given = request.cookies.get(COOKIE, "")
        token = given if _WELL_FORMED.fullmatch(given) else secrets.token_urlsafe(TOKEN_BYTES)
        request.state.csrf = token
    return token


def set_csrf_cookie(request: Request, response: Response) -> None:
    """Set the cookie when this request drew a new token (called by the app's middleware)."""
    token = getattr(request.state, "csrf", None)
    if token is not None and token != request.cookies.get(COOKIE):
        response.set_cookie(COOKIE, token, httponly=True, samesite="strict", path="/")


async def require_csrf(request: Request) -> None:
    """Refuse (403) a state-changing request that does not carry the session's token."""
    if request.method in SAFE_METHODS:
        return
    expected = request.cookies.get(COOKIE, "")
    given = request.headers.get(HEADER, "")
    if not given and request.headers.get("content-type", "").startswith(_FORMS):
        field = (await request.form()).get(FIELD)
        given = field if isinstance(field, str) else ""
    if not (expected and given and secrets.compare_digest(given.encode(), expected.encode())):
        raise HTTPException(403, "this request needs the page's CSRF token (reload the page and try again)")
