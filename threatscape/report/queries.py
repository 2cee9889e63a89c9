"""SQL aggregates over events for the report: totals, counts by a column, citations, timeline, map.

Every function runs one GROUP BY (or window) query over the events of a period, so the work grows
with the events in the period, not with the store; the date index on ``events.date_start`` keeps
a quarter of a million-event store cheap. All return plain values or small dataclasses.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import Connection, Select, and_, func, literal, or_, select, union_all
from sqlalchemy.sql import ColumnElement

from threatscape.report.model import Filters, Period
from threatscape.report.source import EventSource

__all__ = [
    "CITE_LIMIT",
    "GroupCount",
    "Location",
    "Totals",
    "citations",
    "daily_by_type",
    "group_counts",
    "locations",
    "most_reported",
    "deadliest",
    "pair_counts",
    "totals",
]

CITE_LIMIT = 6  # articles cited per row or figure (the deadliest first)


@dataclass(frozen=True)
class Totals:
    events: int
    best: int
    low: int
    high: int
    articles: int


@dataclass(frozen=True)
class GroupCount:
    key: str
    events: int
    fatalities: int
    articles: int


@dataclass(frozen=True)
class Location:
    country: str | None
    admin1: str | None
    name: str | None
    lat: float | None
    lon: float | None
    events: int
    fatalities: int


def conditions(src: EventSource, f: Filters, period: Period) -> list[ColumnElement[bool]]:
    """The WHERE clauses for the period and the filters."""
    c = src.events.c
    where = [c.date_start >= period.start.isoformat(), c.date_start <= period.end.isoformat()]
    if f.country:
        where.append(c.country == f.country)
    if f.admin1:
        where.append(c.admin1 == f.admin1)
    if f.actor:
        where.append(or_(c.actor1 == f.actor, c.actor2 == f.actor))
    return where


def _best(src: EventSource) -> ColumnElement[Any]:
    return func.coalesce(src.events.c.f_best, src.events.c.f_low, 0)


def totals(conn: Connection, src: EventSource, f: Filters, period: Period) -> Totals:
    c = src.events.c
    low = func.coalesce(c.f_low, c.f_best, 0)
    high = func.coalesce(c.f_high, c.f_best, c.f_low, 0)
    query = select(
        func.count(), func.sum(_best(src)), func.sum(low), func.sum(high), func.count(func.distinct(c.article_id))
    ).where(*conditions(src, f, period))
    n, best, lo, hi, arts = conn.execute(query).one()
    if src.links is not None:
        rows = _keyed(src, "", f, period, links=True).subquery()
        arts = conn.execute(select(func.count(func.distinct(rows.c.article_id)))).scalar()
    return Totals(int(n or 0), int(best or 0), int(lo or 0), int(hi or 0), int(arts or 0))


def _keyed(src: EventSource, column: str, f: Filters, period: Period, links: bool = False) -> Select[Any]:
    """Rows (key, fatalities, eid, article_id) of the period; for ``actor`` both actor columns.

    With ``links`` (fused events), one row per report of each event, its article as ``article_id``.
    """
    c = src.events.c
    where = conditions(src, f, period)
    joined = links and src.links is not None
    article = src.links.c.article_id if joined and src.links is not None else c.article_id

    def part(key: Any, *extra: Any) -> Select[Any]:
        query = select(key.label("key"), _best(src).label("fat"), c.eid, article.label("article_id"))
        if joined and src.links is not None:
            query = query.join_from(src.events, src.links, src.links.c.eid == c.eid)
        return query.where(*where, *extra)

    if column == "":
        return part(literal(""))
    if column != "actor":
        return part(c[column])
    return union_all(*(part(c[col], c[col].is_not(None)) for col in ("actor1", "actor2"))).subquery().select()


def group_counts(
    conn: Connection,
    src: EventSource,
    column: str,
    f: Filters,
    period: Period,
    limit: int | None = None,
    keys: list[str] | None = None,
) -> list[GroupCount]:
    """Events, fatalities and distinct articles per value of ``column`` (``actor``: either actor).

    ``keys`` restricts the values counted (the rows a table shows, for the previous period).
    """
    rows = _keyed(src, column, f, period).subquery()
    n = func.count(func.distinct(rows.c.eid)) if column == "actor" else func.count()
    query = (
        select(rows.c.key, n.label("n"), func.sum(rows.c.fat), func.count(func.distinct(rows.c.article_id)))
        .where(rows.c.key.is_not(None), *([rows.c.key.in_(keys)] if keys is not None else []))
        .group_by(rows.c.key)
        .order_by(n.desc(), rows.c.key)
    )
    if limit:
        query = query.limit(limit)
    out = [GroupCount(str(k), int(n), int(fat or 0), int(a)) for k, n, fat, a in conn.execute(query)]
    if src.links is None or not out:
        return out
    linked = _keyed(src, column, f, period, links=True).subquery()
    per_key = (
        select(linked.c.key, func.count(func.distinct(linked.c.article_id)))
        .where(linked.c.key.in_([g.key for g in out]))
        .group_by(linked.c.key)
    )
    arts = {str(k): int(a) for k, a in conn.execute(per_key)}
    return [GroupCount(g.key, g.events, g.fatalities, arts.get(g.key, g.articles)) for g in out]


def citations(
    conn: Connection,
    src: EventSource,
    column: str | None,
    f: Filters,
    period: Period,
    k: int = CITE_LIMIT,
    keys: list[str] | None = None,
) -> dict[str, tuple[str, ...]]:
    """Up to ``k`` article ids per value of ``column`` (all events under key ``""`` when None), deadliest first.

    ``keys`` restricts the values (the rows a table shows).
    """
    rows = _keyed(src, column or "", f, period, links=True).subquery()
    rank = func.row_number().over(partition_by=rows.c.key, order_by=(rows.c.fat.desc(), rows.c.eid)).label("rn")
    where = [rows.c.key.is_not(None), *([rows.c.key.in_(keys)] if keys is not None else [])]
    ranked = select(rows.c.key, rows.c.article_id, rank).where(*where).subquery()
    query = select(ranked.c.key, ranked.c.article_id).where(ranked.c.rn <= k * 3).order_by(ranked.c.key, ranked.c.rn)
    out: dict[str, list[str]] = {}
    for key, article_id in conn.execute(query):
        ids = out.setdefault(str(key), [])
        if article_id not in ids and len(ids) < k:
            ids.append(article_id)
    return {key: tuple(ids) for key, ids in out.items()}


def daily_by_type(conn: Connection, src: EventSource, f: Filters, period: Period) -> list[tuple[str, str, int]]:
    """(day, event type, events) for every day of the period with events."""
    c = src.events.c
    query = (
        select(c.date_start, c.type, func.count())
        .where(*conditions(src, f, period))
        .group_by(c.date_start, c.type)
        .order_by(c.date_start)
    )
    return [(str(d)[:10], str(typ), int(n)) for d, typ, n in conn.execute(query)]


def locations(conn: Connection, src: EventSource, f: Filters, period: Period, limit: int = 400) -> list[Location]:
    """Distinct places of the period's events with their event and fatality counts, busiest first."""
    c = src.events.c
    n = func.count()
    query = (
        select(c.country, c.admin1, c.location_name, c.lat, c.lon, n, func.sum(_best(src)))
        .where(*conditions(src, f, period))
        .group_by(c.country, c.admin1, c.location_name, c.lat, c.lon)
        .order_by(n.desc())
        .limit(limit)
    )
    return [
        Location(c_, a, name, lat, lon, int(n), int(fat or 0)) for c_, a, name, lat, lon, n, fat in conn.execute(query)
    ]


def pair_counts(conn: Connection, src: EventSource, f: Filters, period: Period, limit: int = 60) -> list[tuple]:
    """(actor1, actor2, events, fatalities) for events with both actors, most frequent pairs first."""
    c = src.events.c
    n = func.count()
    query = (
        select(c.actor1, c.actor2, n, func.sum(_best(src)))
        .where(*conditions(src, f, period), c.actor1.is_not(None), c.actor2.is_not(None), c.actor1 != c.actor2)
        .group_by(c.actor1, c.actor2)
        .order_by(n.desc())
        .limit(limit)
    )
    return [(a, b, int(k), int(fat or 0)) for a, b, k, fat in conn.execute(query)]


def deadliest(conn: Connection, src: EventSource, f: Filters, period: Period, limit: int = 5) -> list[Any]:
    """The events with the most fatalities (best estimate), as rows of the event source."""
    c = src.events.c
    query = (
        select(src.events)
        .where(*conditions(src, f, period), _best(src) > 0)
        .order_by(_best(src).desc(), c.date_start, c.eid)
        .limit(limit)
    )
    return list(conn.execute(query))


def most_reported(conn: Connection, src: EventSource, f: Filters, period: Period, limit: int = 5) -> list[Any]:
    """Events by the number of reports on them: the links of fused events, else same day+place+type.

    Rows: (date_start, type, place, reports, fatalities best, representative eid).
    """
    c = src.events.c
    place = func.coalesce(c.location_name, c.admin1, c.country)
    if src.links is not None:
        links = src.links
        reports = func.count(func.distinct(links.c.article_id))
        query = (
            select(c.date_start, c.type, place, reports, func.max(_best(src)), c.eid)
            .join_from(src.events, links, links.c.eid == c.eid)
            .where(*conditions(src, f, period))
            .group_by(c.eid, c.date_start, c.type, place)
        )
    else:
        reports = func.count(func.distinct(c.article_id))
        query = (
            select(c.date_start, c.type, place, reports, func.max(_best(src)), func.min(c.eid))
            .where(*conditions(src, f, period))
            .group_by(c.date_start, c.type, place)
        )
    query = query.having(reports > 1).order_by(reports.desc(), func.max(_best(src)).desc()).limit(limit)
    return list(conn.execute(query))


def same_event_articles(conn: Connection, src: EventSource, date_start: str, type_: str, place: str) -> list[str]:
    """The reports on one (day, type, place) group of raw events, or of one fused event."""
    c = src.events.c
    where = and_(
        c.date_start == date_start, c.type == type_, func.coalesce(c.location_name, c.admin1, c.country) == place
    )
    query = select(c.article_id).where(where).distinct()
    return [a for (a,) in conn.execute(query)]


def fused_articles(conn: Connection, src: EventSource, eid: Any) -> list[str]:
    if src.links is None:
        return []
    query = select(src.links.c.article_id).where(src.links.c.eid == eid).distinct()
    return [a for (a,) in conn.execute(query)]
