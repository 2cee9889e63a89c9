"""``build_report``: the monitoring report for a period, computed from store queries.

    build_report(store, filters) -> Report
        headline figures (this period and the previous one of the same length)
        figures: weekly timeline by type, map over admin-1 boundaries, actor network
        actor profiles, money flows, contested claims, notable events
        sources: every article cited, numbered in order of first citation

Numbers come from SQL aggregates (``queries``); only the rows shown travel to Python.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from sqlalchemy import Connection

from threatscape.errors import ConfigError, StoreError
from threatscape.report import charts, facts, network, queries, sections
from threatscape.report.geo import asset_dir, load_boundaries
from threatscape.report.maps import map_data, render_map
from threatscape.report.model import CountRow, Figure, Filters, Headline, Period, Report, Source
from threatscape.report.queries import CITE_LIMIT
from threatscape.report.source import EventSource, event_source, materialize
from threatscape.store.base import QuerySource

__all__ = ["build_headline", "build_report", "connection", "resolve_filters"]

TOP_ACTORS = 8
TOP_ADMIN1 = 10
SQLITE_CACHE_KB = 65536  # page cache for the report's reads (SQLite's default is 2 MB)


@contextmanager
def connection(store: QuerySource) -> Iterator[Connection]:
    """A read connection from the store's query interface (its transaction is never committed)."""
    if not isinstance(store, QuerySource):
        raise StoreError("the report needs a store that answers SQL queries", source=store.name)
    with store.reading() as conn:
        if conn.dialect.name == "sqlite":
            conn.exec_driver_sql(f"PRAGMA cache_size=-{SQLITE_CACHE_KB}")
        yield conn


def _rows(
    now: list[queries.GroupCount], before: list[queries.GroupCount], cites: dict[str, tuple[str, ...]], label: Any
) -> tuple[CountRow, ...]:
    prev = {r.key: r.events for r in before}
    return tuple(
        CountRow(r.key, label(r.key), r.events, prev.get(r.key, 0), r.fatalities, cites.get(r.key, ()), r.articles)
        for r in now
    )


def _headline(conn: Connection, src: EventSource, f: Filters, name: Any) -> Headline:
    period, prev = f.period, f.period.previous()
    cur, old = queries.totals(conn, src, f, period), queries.totals(conn, src, f, prev)
    by: dict[str, tuple[CountRow, ...]] = {}
    for column, limit in (("type", None), ("actor", TOP_ACTORS), ("admin1", TOP_ADMIN1)):
        now = queries.group_counts(conn, src, column, f, period, limit)
        before = queries.group_counts(conn, src, column, f, prev, keys=[r.key for r in now])
        cites = queries.citations(conn, src, column, f, period, keys=[r.key for r in now])
        by[column] = _rows(now, before, cites, name if column == "actor" else str)
    overall = queries.citations(conn, src, None, f, period).get("", ())
    return Headline(
        cur.events,
        old.events,
        cur.best,
        cur.low,
        cur.high,
        old.best,
        cur.articles,
        by["type"],
        by["actor"],
        by["admin1"],
        overall,
    )


def _timeline(conn: Connection, src: EventSource, f: Filters, h: Headline) -> Figure:
    rows = charts.weekly(queries.daily_by_type(conn, src, f, f.period), f.period)
    svg = charts.timeline_svg(rows) if h.events else None
    return Figure(
        "timeline",
        "Events per week by type",
        f"Events per week, {f.period.label()}, stacked by ACLED event type ({h.events} events).",
        svg,
        h.article_ids,
        h.articles,
        None if svg else "No dated events in this period.",
    )


def _map(conn: Connection, src: EventSource, f: Filters, h: Headline, assets: Path | None) -> Figure:
    title = "Where events happened"
    caption = (
        "Provinces (admin-1, Natural Earth) shaded by the number of events; points at the places named, "
        "sized by reported fatalities (best estimate)."
    )
    bounds = load_boundaries(asset_dir(assets))
    if bounds is None:
        note = "Map not drawn: the boundary assets are not installed (run scripts/build-geo-assets.sh or make assets)."
        return Figure("map", title, caption, None, h.article_ids, h.articles, note)
    data = map_data(bounds, queries.locations(conn, src, f, f.period))
    svg = render_map(bounds, data)
    if data.unplaced:
        caption += f" {data.unplaced} events have no place that can be mapped."
    return Figure("map", title, caption, svg, h.article_ids, h.articles, None if svg else "No event could be placed.")


def _network(conn: Connection, src: EventSource, f: Filters, h: Headline, names: dict[str, str]) -> Figure:
    edges = [network.Edge(a, b, "conflict", n) for a, b, n, _ in queries.pair_counts(conn, src, f, f.period)]
    rel_ids: list[str] = []
    for r in facts.support_relations(conn, f.period):
        edges.append(network.Edge(r.subject, r.object, r.predicate, 1, bool(r.contested)))
        rel_ids.append(r.article_id)
    activity = {r.key: r.value for r in h.by_actor}
    ids = {e.a for e in edges} | {e.b for e in edges}
    names.update({k: v.name for k, v in facts.actor_rows(conn, sorted(ids - set(names))).items()})
    svg = network.render_network(names, activity, edges)
    cited = tuple(dict.fromkeys([*[a for r in h.by_actor for a in r.article_ids], *rel_ids]))[: CITE_LIMIT * 2]
    caption = (
        "Red lines: events between two actors (width by count). Green arrows: reported support, funding, "
        "sheltering or collaboration; dashed when contested."
    )
    note = None if svg else "No events between named actors and no support relations in this period."
    return Figure("network", "Actor network", caption, svg, cited, len(set(cited)), note)


def _host(url: str | None) -> str | None:
    host = urlsplit(url).hostname if url else None
    return host.removeprefix("www.") if host else None


def _sources(conn: Connection, report: Report) -> list[Source]:
    order: list[str] = [*report.headline.article_ids]
    for rows in (report.headline.by_type, report.headline.by_actor, report.headline.by_admin1):
        order += [a for r in rows for a in r.article_ids]
    order += [a for fig in report.figures for a in fig.article_ids]
    order += [
        a for p in report.profiles for item in (*p.strength, *p.leadership, *p.relations) for a in item.article_ids
    ]
    order += [a for p in report.profiles for a in p.article_ids]
    order += [a for m in report.money for a in m.article_ids]
    order += [a for c in report.contested for a in (*c.accusation_articles, *c.denial_articles)]
    order += [a for n in report.notable for a in n.article_ids]
    ids = list(dict.fromkeys(order))
    found = facts.articles_by_id(conn, ids)
    return [
        Source(i + 1, a, found[a].title, found[a].source or _host(found[a].url), found[a].date, found[a].url)
        for i, a in enumerate(x for x in ids if x in found)
    ]


def _period_events(conn: Connection, f: Filters) -> EventSource:
    """The filtered events of the period and the one before it, copied once (see ``materialize``)."""
    src = event_source(conn)
    span = Filters(Period(f.period.previous().start, f.period.end), f.country, f.admin1, f.actor)
    return materialize(conn, src, queries.conditions(src, span, span.period), "report_events")


def build_headline(store: QuerySource, filters: Filters) -> tuple[Headline, dict[str, str]]:
    """The report's headline figures alone (no charts, no sections) and the actors' names."""
    with connection(store) as conn:
        src = _period_events(conn, filters)
        names = {k: v.name for k, v in facts.actor_rows(conn).items()}
        return _headline(conn, src, filters, lambda a: names.get(a or "", a or "")), names


def build_report(
    store: QuerySource, filters: Filters, *, assets: Path | None = None, now: datetime | None = None
) -> Report:
    """The report for ``filters`` from ``store``; ``assets`` is the map asset folder (see ``geo.asset_dir``)."""
    with connection(store) as conn:
        src = _period_events(conn, filters)
        names = {k: v.name for k, v in facts.actor_rows(conn).items()}

        def name(actor_id: str | None) -> str:
            return names.get(actor_id or "", actor_id or "")

        h = _headline(conn, src, filters, name)
        report = Report(
            filters,
            (now or datetime.now(UTC)).strftime("%d %b %Y %H:%M UTC"),
            h,
            event_source=src.name,
            actor_names=names,
        )
        report.figures = [
            _timeline(conn, src, filters, h),
            _map(conn, src, filters, h, assets),
            _network(conn, src, filters, h, names),
        ]
        actor_cites = {r.key: r.article_ids for r in h.by_actor}
        top = [queries.GroupCount(r.key, r.value, r.fatalities or 0, r.n_articles) for r in h.by_actor]
        report.profiles = sections.profiles(conn, filters, top, actor_cites, name)
        report.money = sections.money(conn, filters, name)
        report.contested = sections.contested_pairs(conn, filters, name)
        report.notable = sections.notable_events(conn, src, filters, name)
        report.sources = _sources(conn, report)
    return report


def _date(name: str, text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError as exc:
        raise ConfigError(f"{name} must be a date YYYY-MM-DD, not {text!r}") from exc


def _country_name(text: str) -> str:
    """A country as events store it (its English name); ISO codes are turned into names."""
    if len(text) in (2, 3) and text.isalpha():
        import pycountry

        found = pycountry.countries.get(alpha_2=text.upper()) if len(text) == 2 else None
        found = found or pycountry.countries.get(alpha_3=text.upper())
        if found is not None:
            return str(getattr(found, "common_name", None) or found.name)
    return text


def resolve_filters(
    store: QuerySource,
    start: str,
    end: str,
    *,
    country: str | None = None,
    admin1: str | None = None,
    actor: str | None = None,
) -> Filters:
    """Filters from command-line text: ISO dates, a country name or code, an actor id, name or alias."""
    period = Period(_date("--from", start), _date("--to", end))
    if period.end < period.start:
        raise ConfigError(f"--to ({end}) is before --from ({start})")
    actor_id = actor_name = None
    if actor:
        with connection(store) as conn:
            row = facts.find_actor(conn, actor)
        if row is None:
            raise ConfigError(f"no actor {actor!r} in {store.name} (give an id, name or alias)")
        actor_id, actor_name = row.id, row.name
    return Filters(period, _country_name(country) if country else None, admin1, actor_id, actor_name)
