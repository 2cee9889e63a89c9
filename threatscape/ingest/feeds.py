"""RSS/Atom feeds -> RawDocument, one per item.

The feed is parsed by feedparser from bytes (never from a URL or path, so feedparser fetches
nothing; it does not resolve external entities). A feed that declares XML entities is refused
outright. An item carrying full content (``content:encoded``/Atom content, or a description of at
least ``FULL_CONTENT_CHARS`` characters of text) becomes a record directly; any other item's link
is fetched (through ``fetch``, so the URL rules apply) and read as an HTML page, the item's title
and date filling what the page lacks.
"""

from __future__ import annotations

import io
import re
import time
from collections.abc import Callable, Iterator
from dataclasses import replace
from typing import Any
from urllib.parse import urljoin

import feedparser

from threatscape.errors import ThreatscapeError
from threatscape.ingest.decode import declared_encoding, decode_bytes
from threatscape.ingest.failures import failure_from
from threatscape.ingest.fetch import Fetched, fetch
from threatscape.ingest.pages import html_to_text, read_page
from threatscape.model import IngestFailure, RawDocument
from threatscape.settings import Settings

__all__ = ["FULL_CONTENT_CHARS", "declares_entities", "iter_feed", "looks_like_feed"]

FULL_CONTENT_CHARS = 400  # text characters from which an item's own content is the article
SNIFF_CHARS = 2048
_ENTITY_DECL = re.compile(rb"<!ENTITY", re.IGNORECASE)
_FEED_ROOT = re.compile(r"<(rss|feed|rdf:RDF)[\s>]", re.IGNORECASE)
Fetcher = Callable[[str, Settings], Fetched]


def looks_like_feed(head: str) -> bool:
    """True when the start of a document opens an RSS, Atom or RDF feed."""
    return _FEED_ROOT.search(head[:SNIFF_CHARS]) is not None


def _date(entry: Any) -> str | None:
    parsed = entry.get("published_parsed") or entry.get("updated_parsed")
    if not isinstance(parsed, time.struct_time):
        return None
    return time.strftime("%Y-%m-%d", parsed)


def _item_text(entry: Any) -> tuple[str, bool]:
    """The item's text and whether it is full content (a content block, or a long description)."""
    blocks = [b.get("value", "") for b in entry.get("content", []) or [] if isinstance(b, dict)]
    content = max((html_to_text(b) for b in blocks if isinstance(b, str)), key=len, default="")
    if content:
        return content, True
    summary = entry.get("summary", "")
    description = html_to_text(summary) if isinstance(summary, str) else ""
    return description, len(description) >= FULL_CONTENT_CHARS


def _clean(value: Any) -> str | None:
    if not isinstance(value, str):
        return None
    return " ".join(value.split()) or None


def _follow(link: str, item: RawDocument, settings: Settings, fetcher: Fetcher) -> RawDocument | IngestFailure:
    try:
        fetched = fetcher(link, settings)
        declared = declared_encoding(fetched.content, fetched.content_type)
        page = read_page(decode_bytes(fetched.content, declared=declared), link, url=fetched.url)
    except ThreatscapeError as exc:
        return failure_from(exc, link)
    return replace(
        page,
        title=page.title or item.title,
        published=page.published or item.published,
        source=page.source or item.source,
        byline=page.byline or item.byline,
    )


def _item(
    entry: Any, origin: str, source: str | None, settings: Settings, fetcher: Fetcher, base_url: str | None
) -> RawDocument | IngestFailure:
    text, full = _item_text(entry)
    link = _clean(entry.get("link"))
    if link and base_url:
        link = urljoin(base_url, link)
    item = RawDocument(
        origin=origin,
        kind="record",
        content=text,
        title=_clean(entry.get("title")),
        url=link,
        source=source,
        published=_date(entry),
        byline=_clean(entry.get("author")),
    )
    if full:
        return item
    if link:
        return _follow(link, item, settings, fetcher)
    if text:
        return item
    return IngestFailure(origin, "feed item has neither content nor a link")


def declares_entities(data: bytes) -> bool:
    """Whether the feed declares an entity, in any of the encodings an XML parser reads: UTF-8 and
    the one-byte sets, and UTF-16/UTF-32 (with or without a byte-order mark), whose ASCII is the
    same bytes with NULs between them."""
    return bool(_ENTITY_DECL.search(data) or (b"\x00" in data and _ENTITY_DECL.search(data.replace(b"\x00", b""))))


def iter_feed(
    data: bytes, origin: str, settings: Settings, *, base_url: str | None = None, fetcher: Fetcher = fetch
) -> Iterator[RawDocument | IngestFailure]:
    """Each item of the feed in ``data`` -> RawDocument, or IngestFailure (origin ``origin#item-N``).

    Relative item links are resolved against ``base_url`` (the feed's own URL when it was fetched).
    """
    if declares_entities(data):
        yield IngestFailure(origin, "feed declares XML entities (refused)")
        return
    try:
        parsed = feedparser.parse(io.BytesIO(data), resolve_relative_uris=False, sanitize_html=True)
    except Exception as exc:  # noqa: BLE001 - feedparser's lenient parsers fail in many ways on bad bytes
        yield IngestFailure(origin, f"unreadable feed ({type(exc).__name__})")
        return
    entries = parsed.get("entries") or []
    if not entries:
        problem = parsed.get("bozo_exception")
        detail = f": {str(problem).splitlines()[0]}" if problem and str(problem) else ""
        yield IngestFailure(origin, f"no feed items found{detail}")
        return
    source = _clean(parsed.get("feed", {}).get("title"))
    for number, entry in enumerate(entries, start=1):
        yield _item(entry, f"{origin}#item-{number}", source, settings, fetcher, base_url)
