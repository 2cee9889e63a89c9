"""Article rows: ``Article`` to and from the ``articles`` table, and date bounds for queries."""

from __future__ import annotations

import calendar
import re
from datetime import UTC, date, datetime, timedelta
from typing import Any

from sqlalchemy.engine import Row

from threatscape.errors import ConfigError
from threatscape.model import Article, Caption
from threatscape.store import schema as t

__all__ = [
    "ARTICLE_COLUMNS",
    "EXPORT_KEYS",
    "article_from_row",
    "article_row",
    "date_bound",
    "earliest_start",
    "first_day",
    "span_days",
]

_DATE_BOUND = re.compile(r"\d{4}(-\d{2}(-\d{2})?)?")
_BOOKKEEPING = ("minhash", "seq", "added_at", "extracted_with", "versions_key", "links_pending")
ARTICLE_COLUMNS = [c for c in t.articles.columns if c.name not in _BOOKKEEPING]
# The article's part of the export shape (``docs/export-contract.md``), plus ``story_id``.
EXPORT_KEYS = (
    "id",
    "story_id",
    "source_id",
    "title",
    "url",
    "source",
    "published",
    "updated",
    "dateline",
    "byline",
    "summary",
    "captions",
    "body",
)


def article_from_row(row: Row[Any]) -> Article:
    m = row._mapping
    return Article(
        id=m["id"],
        title=m["title"],
        body=m["body"],
        source_id=m["source_id"],
        url=m["url"],
        source=m["source"],
        published=m["published"],
        updated=m["updated"],
        dateline=m["dateline"],
        byline=m["byline"],
        summary=tuple(m["summary"] or ()),
        captions=tuple(Caption(c.get("text", ""), c.get("credit")) for c in m["captions"] or ()),
        origin=m["origin"],
    )


def article_row(a: Article, story_id: str, minhash: bytes | None) -> dict[str, Any]:
    """A new row for ``a``, stored without facts (``extracted_with`` NULL)."""
    return {
        "id": a.id,
        "story_id": story_id,
        "source_id": a.source_id,
        "title": a.title,
        "body": a.body,
        "url": a.url,
        "source": a.source,
        "published": a.published,
        "updated": a.updated,
        "date": a.date,
        "dateline": a.dateline,
        "byline": a.byline,
        "summary": list(a.summary),
        "captions": [{"text": c.text, "credit": c.credit} for c in a.captions],
        "origin": a.origin,
        "minhash": minhash,
        "added_at": datetime.now(UTC),
        "extracted_with": None,
        "versions_key": None,
        "links_pending": False,
    }


def date_bound(name: str, value: str | None) -> str | None:
    """``value`` if it is ``YYYY[-MM[-DD]]`` (or ``None``); else a ``ConfigError`` naming ``name``."""
    if value is not None and not _DATE_BOUND.fullmatch(value):
        raise ConfigError(f"{name} must be a date YYYY, YYYY-MM or YYYY-MM-DD, not {value!r}")
    return value


def first_day(value: str) -> date:
    """The first day a ``YYYY[-MM[-DD]]`` date covers."""
    parts = [int(p) for p in value.split("-")]
    return date(parts[0], parts[1] if len(parts) > 1 else 1, parts[2] if len(parts) > 2 else 1)


def last_day(value: str) -> date:
    """The last day a ``YYYY[-MM[-DD]]`` date covers."""
    parts = [int(p) for p in value.split("-")]
    if len(parts) == 3:
        return date(*parts)
    if len(parts) == 2:
        return date(parts[0], parts[1], calendar.monthrange(parts[0], parts[1])[1])
    return date(parts[0], 12, 31)


def span_days(start: str | None, end: str | None) -> int | None:
    """Days from the first day ``start`` covers to the last day its end (``end``, else ``start``)
    covers: 0 for one day, 30 for "2024-08" alone. None without a start (or one that is not
    ``YYYY[-MM[-DD]]``).

    The ``since`` filter of the events list uses the largest span in the store to bound the start
    dates it reads: an event reaching into ``since`` started at most that many days before it."""
    if not start or not _DATE_BOUND.fullmatch(start) or (end and not _DATE_BOUND.fullmatch(end)):
        return None
    try:
        return max(0, (last_day(end or start) - first_day(start)).days)
    except ValueError:  # a month 13 or a 31 February
        return None


def earliest_start(since: str, longest: int) -> str:
    """The smallest ``date_start`` string an event reaching into ``since`` can have when no
    event spans more than ``longest`` days; one day of slack so that a month (``"2024-08"``) or a
    year compares after it whenever its first day is on or after the bound."""
    return (first_day(since) - timedelta(days=longest + 1)).isoformat()
