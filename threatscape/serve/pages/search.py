"""``/search?q=``: full-text search over every stored article (the store's FTS: words and
``"phrases"`` must all match, a bare ``or`` lets either side do), newest first, paged; each
result with its title and a snippet of its body around the first hit, the query's words marked.
``/api/search`` the same as JSON.

The marks are built here with ``markupsafe`` (``mark``): the article text between them is
escaped, never passed through as markup.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse
from markupsafe import Markup

from threatscape.model import Article
from threatscape.serve.site import mark, site

__all__ = ["hits", "query_words", "router", "snippet", "window"]

router = APIRouter()

RESULTS = 20  # results a page
API_MAX = 200  # results one /api/search call returns at most
SNIPPET_CHARS = 260  # characters of body a snippet shows
LEAD_CHARS = 80  # of which before the first hit, when the hit is not near the start
_WORD = re.compile(r"\w+")
_OPERATORS = frozenset({"and", "or"})


def query_words(q: str) -> list[str]:
    """The words of a search string that the search matches on (``and``/``or`` are operators)."""
    return [w for w in _WORD.findall(q) if w.lower() not in _OPERATORS]


def hits(text: str, words: list[str]) -> list[tuple[int, int, str]]:
    """Where ``words`` occur in ``text`` as whole words, ignoring case: (start, end, "hit")."""
    if not words:
        return []
    alternatives = "|".join(re.escape(w) for w in sorted(set(words), key=len, reverse=True))
    pattern = re.compile(rf"\b(?:{alternatives})\b", re.IGNORECASE)
    return [(m.start(), m.end(), "hit") for m in pattern.finditer(text)]


def window(body: str, spans: list[tuple[int, int, str]], width: int = SNIPPET_CHARS) -> tuple[int, int]:
    """About ``width`` characters of ``body`` (start, end) around the first span, else from the
    start, cut at spaces."""
    lo = 0
    if spans and spans[0][0] > LEAD_CHARS:
        lo = body.find(" ", spans[0][0] - LEAD_CHARS, spans[0][0]) + 1  # start on a word
    hi = min(len(body), lo + width)
    if hi < len(body):
        cut = body.rfind(" ", lo, hi)
        hi = cut if cut > (spans[0][1] if spans else lo) else hi
    return lo, hi


def snippet(body: str, words: list[str], width: int = SNIPPET_CHARS) -> Markup:
    """The ``window`` of ``body`` around the first hit, escaped, with every hit in a
    ``<mark class="hit">``; an ellipsis where text was cut."""
    spans = hits(body, words)
    lo, hi = window(body, spans, width)
    return Markup("…" if lo > 0 else "") + mark(body, spans, lo, hi) + Markup("…" if hi < len(body) else "")


@dataclass(frozen=True)
class Result:
    article: Article
    title: Markup
    snippet: Markup


def _found(request: Request, q: str, limit: int, offset: int) -> tuple[int, list[Result]]:
    store = site(request).store
    if not q.strip():
        return 0, []
    words = query_words(q)
    total = store.count_articles(search=q)
    found = store.articles(search=q, limit=limit, offset=offset) if total else []
    return total, [Result(a, mark(a.title, hits(a.title, words)), snippet(a.body, words)) for a in found]


@router.get("/search", response_class=HTMLResponse)
def search_page(request: Request, q: str = "", page_no: int = Query(1, alias="page", ge=1, le=10**7)) -> HTMLResponse:
    from urllib.parse import urlencode

    total, results = _found(request, q, RESULTS, (page_no - 1) * RESULTS)
    pages = max(1, -(-total // RESULTS))
    return site(request).page(
        "search.html.j2", q=q, results=results, total=total, page=page_no, pages=pages, query=urlencode({"q": q})
    )


@router.get("/api/search")
def api_search(
    request: Request, q: str = "", limit: int = Query(RESULTS, ge=0, le=API_MAX), offset: int = Query(0, ge=0, le=10**9)
) -> dict[str, Any]:
    """Articles matching ``q``, newest first: id, title, outlet, date, URL and a plain-text snippet
    with the spans of the query's words in it."""
    total, results = _found(request, q, limit, offset)
    words = query_words(q)
    articles = []
    for r in results:
        a = r.article
        spans = hits(a.body, words)
        lo, hi = window(a.body, spans)
        articles.append(
            {
                "id": a.id,
                "title": a.title,
                "source": a.source,
                "published": a.published,
                "url": a.url,
                "snippet": a.body[lo:hi],
                "hits": [[start - lo, end - lo] for start, end, _kind in spans if lo <= start and end <= hi],
            }
        )
    return {"q": q, "total": total, "articles": articles}
