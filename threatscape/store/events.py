"""Fused events in the database: the tables, rebuilt from the stored events, and queried.

``stored_events(conn)`` reads every stored event with its article's near-duplicate story as
``(article_id, story_id, Event)``; ``replace_fused(conn, fused)`` replaces the ``fused_events`` and
``fused_event_sources`` tables with the ``FusedEvent``s the pipeline made of them (fusion itself
is ``threatscape.resolve.fusion``; ``SQLStore.refresh_fused_events`` runs the three in one
transaction). ``query_fused(conn, ...)`` returns fused events as JSON-ready dicts, oldest first,
with actor names and the outlet of every source. Tallies (``aggregate``) are left out unless asked
for. The dashboard's counts (``tally_fused``, ``tally_fused_actors``, ``fused_points``,
``tally_fused_windows``) read a window's whole periods (months, then aligned weeks and shorter
spans of days) off the roll-ups ``fused_periods`` and ``fused_period_actors`` (one-day events;
rebuilt by ``replace_fused``) when the filters are ones they hold, and its other days event by
event: the same figures, fewer rows.
``threatscape.acled`` turns those dicts into ACLED-named CSV rows and GeoJSON.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from typing import Any

from sqlalchemy import (
    JSON,
    Boolean,
    Column,
    Connection,
    Date,
    DateTime,
    Float,
    ForeignKey,
    Integer,
    MetaData,
    Numeric,
    String,
    Table,
    Text,
    and_,
    cast,
    delete,
    func,
    insert,
    literal,
    literal_column,
    or_,
    select,
    union_all,
)

from threatscape.errors import ConfigError
from threatscape.model import Count, DateSpan, Event, Evidence, Fatalities, FusedEvent, Place, to_dict
from threatscape.store import schema as t
from threatscape.store.corrections import read_corrections
from threatscape.store.rows import date_bound, earliest_start, first_day, last_day, span_days
from threatscape.store.search import search_clause
from threatscape.training.corpus import SUB_TYPES, TYPE_OF

__all__ = [
    "TALLY_KEYS",
    "Tally",
    "event_from_dict",
    "fused_event_dict",
    "iter_fused",
    "query_fused",
    "replace_fused",
    "stored_events",
    "count_fused_articles",
    "tally_fused",
    "tally_fused_actors",
    "tally_fused_windows",
]

metadata = MetaData()
fused_events = Table(
    "fused_events", metadata,
    Column("id", String(64), primary_key=True),
    Column("type", Text, nullable=False), Column("sub_type", Text), Column("plover", String(32)),
    Column("actor1", String(128)), Column("actor2", String(128)), Column("aggregate", Boolean, nullable=False),
    Column("country", Text), Column("country_code", String(8)), Column("admin1", Text),
    Column("location_name", Text), Column("lat", Float), Column("lon", Float), Column("geo_precision", String(16)),
    Column("date_start", String(10)), Column("date_end", String(10)), Column("date_precision", String(16)),
    Column("span_days", Integer),  # rows.span_days of date_start and date_end (migration 0008)
    Column("fatalities_best", Integer), Column("fatalities_low", Integer), Column("fatalities_high", Integer),
    Column("n_reports", Integer, nullable=False), Column("n_sources", Integer, nullable=False),
    Column("confidence", Float), Column("data", JSON, nullable=False),
    Column("refreshed_at", DateTime(timezone=True), nullable=False),
)  # fmt: skip
fused_event_sources = Table(
    "fused_event_sources", metadata,
    Column("seq", Integer, primary_key=True, autoincrement=True),
    Column("fused_id", String(64), ForeignKey("fused_events.id", ondelete="CASCADE"), nullable=False),
    Column("article_id", String(64), nullable=False), Column("event_id", String(128), nullable=False),
    Column("story_id", String(64), nullable=False), Column("reported_by", String(128)),
    Column("fatalities_best", Integer), Column("fatalities_low", Integer), Column("fatalities_high", Integer),
)  # fmt: skip


# Roll-ups (migration 0010): the fused events on one day, counted per period (a month,
# ``YYYY-MM``, and aligned spans of days, ``YYYY-MM-DD/n`` by their first day: ``SPANS``; each event
# in one period of every kind) and per everything the dashboard groups or filters them by without
# an actor (type, sub-type, country, province, place precision, spot on the map), and apart per
# period and actor (``ACTOR_SPANS``). A window reads its whole periods off them, and only its other
# days event by event; ``replace_fused`` rebuilds them.
fused_periods = Table(
    "fused_periods", metadata,
    Column("seq", Integer, primary_key=True, autoincrement=True),
    Column("period", String(16), nullable=False), Column("type", Text, nullable=False), Column("sub_type", Text),
    Column("country", Text), Column("country_code", String(8)), Column("admin1", Text),
    Column("geo_precision", String(16)), Column("lat", Float), Column("lon", Float),  # rounded: POINT_DIGITS
    Column("events", Integer, nullable=False), Column("fatalities_best", Integer, nullable=False),
    Column("fatalities_low", Integer, nullable=False), Column("fatalities_high", Integer, nullable=False),
    Column("first_day", String(10)), Column("last_day", String(10)), Column("event_id", String(64)),
)  # fmt: skip
fused_period_actors = Table(
    "fused_period_actors", metadata,
    Column("seq", Integer, primary_key=True, autoincrement=True),
    Column("period", String(16), nullable=False), Column("actor", String(128), nullable=False),
    Column("events", Integer, nullable=False), Column("fatalities_best", Integer, nullable=False),
)  # fmt: skip


# -- stored event dicts -> model ----------------------------------------------------------------


def _int(value: Any) -> int | None:
    return int(value) if isinstance(value, int | float) and not isinstance(value, bool) else None


def _float(value: Any) -> float | None:
    return float(value) if isinstance(value, int | float) and not isinstance(value, bool) else None


def event_from_dict(d: dict[str, Any]) -> Event:
    """An ``Event`` from its export dict (``docs/export-contract.md``), as the store keeps it."""
    loc, when, fat, count = (d.get(k) or {} for k in ("location", "date", "fatalities", "count"))
    place = None
    if loc.get("name") or loc.get("country"):
        place = Place(
            name=loc.get("name") or loc.get("country") or "", country=loc.get("country"),
            country_code=loc.get("country_code"), admin1=loc.get("admin1"), lat=_float(loc.get("lat")),
            lon=_float(loc.get("lon")), precision=loc.get("precision"), geonameid=_int(loc.get("geonameid")),
        )  # fmt: skip
    ev = d.get("evidence") or {}
    return Event(
        id=str(d["id"]), type=str(d["type"]), sub_type=d.get("sub_type"),
        evidence=Evidence(_int(ev.get("start")) or 0, _int(ev.get("end")) or 0, ev.get("text") or ""),
        plover=d.get("plover"), actor1=d.get("actor1"), actor2=d.get("actor2"),
        aggregate=bool(d.get("aggregate")),
        count=Count(_int(count["value"]) or 0, count.get("qualifier")) if count.get("value") is not None else None,
        location=place,
        date=DateSpan(when.get("start"), when.get("end"), when.get("precision") or "day") if when else None,
        fatalities=Fatalities(_int(fat.get("best")), _int(fat.get("low")), _int(fat.get("high"))) if fat else None,
        reported_by=d.get("reported_by"), claimed_by=d.get("claimed_by"),
        confidence=_float(d.get("confidence")) or 0.5,
    )  # fmt: skip


def _fatalities_dict(f: Fatalities | None) -> dict[str, Any] | None:
    return None if f is None else {"best": f.best, "low": f.low, "high": f.high}


def fused_event_dict(f: FusedEvent) -> dict[str, Any]:
    """The JSON shape of a fused event (``sources`` without the article details the query adds)."""
    loc = f.location
    return {
        "id": f.id, "type": f.type, "sub_type": f.sub_type, "plover": f.plover,
        "actor1": f.actor1, "actor2": f.actor2, "claimed_by": f.claimed_by,
        "aggregate": f.aggregate, "count": to_dict(f.count),
        "location": None if loc is None else {
            "name": loc.name, "admin1": loc.admin1, "country": loc.country, "country_code": loc.country_code,
            "lat": loc.lat, "lon": loc.lon, "precision": loc.precision, "geonameid": loc.geonameid,
        },
        "date": None if f.date is None else {"start": f.date.start, "end": f.date.end, "precision": f.date.precision},
        "fatalities": _fatalities_dict(f.fatalities),
        "n_reports": f.n_reports, "n_sources": len(f.sources), "confidence": f.confidence,
        "sources": [
            {"article_id": s.article_id, "event_id": s.event_id, "story_id": s.story_id,
             "reported_by": s.reported_by, "fatalities": _fatalities_dict(s.fatalities),
             "date": None if s.date is None else s.date.start}
            for s in f.sources
        ],
    }  # fmt: skip


def _fused_row(f: FusedEvent, now: datetime) -> dict[str, Any]:
    d = fused_event_dict(f)
    loc, when, fat = d["location"] or {}, d["date"] or {}, d["fatalities"] or {}
    return {
        "id": f.id, "type": f.type, "sub_type": f.sub_type, "plover": f.plover, "actor1": f.actor1,
        "actor2": f.actor2, "aggregate": f.aggregate, "country": loc.get("country"),
        "country_code": loc.get("country_code"), "admin1": loc.get("admin1"), "location_name": loc.get("name"),
        "lat": loc.get("lat"), "lon": loc.get("lon"), "geo_precision": loc.get("precision"),
        "date_start": when.get("start"), "date_end": when.get("end"), "date_precision": when.get("precision"),
        "span_days": span_days(when.get("start"), when.get("end")), "fatalities_best": fat.get("best"),
        "fatalities_low": fat.get("low"), "fatalities_high": fat.get("high"),
        "n_reports": f.n_reports, "n_sources": len(f.sources), "confidence": f.confidence, "data": d,
        "refreshed_at": now,
    }  # fmt: skip


def _source_rows(f: FusedEvent) -> list[dict[str, Any]]:
    return [
        {"fused_id": f.id, "article_id": s.article_id, "event_id": s.event_id, "story_id": s.story_id,
         "reported_by": s.reported_by, **{f"fatalities_{k}": v for k, v in (_fatalities_dict(s.fatalities) or {
             "best": None, "low": None, "high": None}).items()}}
        for s in f.sources
    ]  # fmt: skip


# -- refresh ------------------------------------------------------------------------------------


def stored_events(conn: Connection) -> list[tuple[str, str | None, Event]]:
    """Every stored event with its article and the article's story, in the order they were stored."""
    query = (
        select(t.events.c.article_id, t.articles.c.story_id, t.events.c.data)
        .join(t.articles, t.articles.c.id == t.events.c.article_id)
        .order_by(t.events.c.seq)
    )
    return [(article_id, story_id, event_from_dict(data)) for article_id, story_id, data in conn.execute(query)]


def replace_fused(conn: Connection, fused: Sequence[FusedEvent]) -> int:
    """Replace the fused-event tables with ``fused`` (inside the caller's transaction); returns how many."""
    conn.execute(delete(fused_event_sources))
    conn.execute(delete(fused_events))
    now = datetime.now(UTC)
    if fused:
        conn.execute(insert(fused_events), [_fused_row(f, now) for f in fused])
        sources = [row for f in fused for row in _source_rows(f)]
        conn.execute(insert(fused_event_sources), sources)
    refresh_rollups(conn)
    return len(fused)


POINT_DIGITS = 3  # events of one type within ~100 m of each other are one point on the map


def _spot(x: Any) -> Any:
    """A coordinate rounded to ``POINT_DIGITS`` (PostgreSQL rounds numerics to digits, not doubles)."""
    return func.round(cast(x, Numeric), POINT_DIGITS)


def _best(c: Any) -> Any:
    return func.coalesce(c.fatalities_best, c.fatalities_low, 0)


def _low(c: Any) -> Any:
    return func.coalesce(c.fatalities_low, c.fatalities_best, 0)


def _high(c: Any) -> Any:
    return func.coalesce(c.fatalities_high, c.fatalities_best, c.fatalities_low, 0)


def _not_one_day(c: Any) -> Any:
    """The fused events not on one day: spanning days, or with dates the span cannot be read from
    or an end before the start. Migration 0010's partial index holds these (the same expression,
    so the database uses it)."""
    return or_(c.span_days.is_(None), c.span_days > literal_column("0"), c.date_end != c.date_start)


def _one_day(c: Any) -> Any:
    """The fused events the roll-ups count: no tally, one day (the complement of ``_not_one_day``)."""
    return and_(c.aggregate.is_(False), c.span_days == 0, or_(c.date_end.is_(None), c.date_end == c.date_start))


ANCHOR = date(1970, 1, 5)  # a Monday: spans of days are aligned to whole multiples of their length from it
SPANS = (7, 3)  # besides months, ``fused_periods`` counts weeks (Monday to Sunday) and 3-day spans
ACTOR_SPANS = (7, 1)  # and ``fused_period_actors`` weeks and days (60 actors a day, not 400 events)


def _span_key(first: date, days: int) -> str:
    return f"{first.isoformat()}/{days}"


def _span_sql(conn: Connection, day: Any, days: int) -> Any:
    """The key of the ``days``-long span holding the day ``day`` (``_span_key`` of its first day), in SQL."""
    since: Any  # days from ANCHOR; "(since % days + days) % days" is the one modulo of both databases
    if conn.dialect.name == "postgresql":
        since = cast(day, Date) - literal_column(f"date '{ANCHOR.isoformat()}'", Date)
        first = func.to_char(cast(day, Date) - (since % days + days) % days, "YYYY-MM-DD")
    else:
        since = cast(func.julianday(day) - func.julianday(ANCHOR.isoformat()), Integer)
        first = func.date(day, "-" + cast((since % days + days) % days, String) + " days")
    return first + f"/{days}"


def refresh_rollups(conn: Connection) -> None:
    """Rebuild ``fused_periods`` and ``fused_period_actors`` from ``fused_events`` (inside the
    caller's transaction): grouped inserts, one a kind of period."""
    c = fused_events.c
    conn.execute(delete(fused_periods))
    conn.execute(delete(fused_period_actors))
    month = func.substr(c.date_start, 1, 7)
    names = [col.name for col in fused_periods.c if col.name != "seq"]  # in the order selected
    for period in (month, *(_span_sql(conn, c.date_start, n) for n in SPANS)):
        keys = (period, c.type, c.sub_type, c.country, c.country_code, c.admin1, c.geo_precision, _spot(c.lat),
                _spot(c.lon))  # fmt: skip
        sums = (func.count(), func.sum(_best(c)), func.sum(_low(c)), func.sum(_high(c)))
        rows = select(*keys, *sums, func.min(c.date_start), func.max(c.date_start), func.min(c.id))
        conn.execute(insert(fused_periods).from_select(names, rows.where(_one_day(c)).group_by(*keys)))
    for period in (month, *(_span_sql(conn, c.date_start, n) for n in ACTOR_SPANS)):
        sides = union_all(  # an actor on both sides of an event counts once
            select(period.label("period"), c.actor1.label("actor"), _best(c).label("best")).where(
                _one_day(c), c.actor1.is_not(None)),
            select(period.label("period"), c.actor2.label("actor"), _best(c).label("best")).where(
                _one_day(c), c.actor2.is_not(None), or_(c.actor1.is_(None), c.actor2 != c.actor1)),
        ).subquery()  # fmt: skip
        per_actor = select(sides.c.period, sides.c.actor, func.count(), func.sum(sides.c.best))
        per_actor = per_actor.group_by(sides.c.period, sides.c.actor)
        conn.execute(
            insert(fused_period_actors).from_select(["period", "actor", "events", "fatalities_best"], per_actor)
        )


ROLLED_UP = ("type", "country", "admin1", "precision")  # the filters ``fused_periods`` holds


@dataclass(frozen=True)
class Cover:
    """A window as the roll-ups read it: its whole ``periods`` (months, then spans of days in the
    days around them) and its other ``days`` (inclusive ranges of ``YYYY-MM-DD``), read event by event."""

    periods: tuple[str, ...]
    days: tuple[tuple[str, str], ...]


def _cover(full: dict[str, Any], held: Sequence[str], spans: Sequence[int] = SPANS) -> Cover | None:
    """How the roll-ups count the filters' ``since``..``until``: its whole months, then in the days
    before and after them the whole aligned spans of ``spans[0]`` days, in the days left those of
    ``spans[1]``, and so on; the days left after the last. None when they cannot count it: an
    open end, tallies asked for, a filter set beyond ``held``, or no whole period."""
    unheld = {"actor", "event_id", "min_killed", "source", "q", *ROLLED_UP} - set(held)
    if full["aggregate"] or not full["since"] or not full["until"]:
        return None
    if any(full.get(k) not in (None, "") for k in unheld):
        return None
    start, end = first_day(full["since"]), last_day(full["until"])
    periods: list[str] = []
    days: list[tuple[str, str]] = []

    def fill(first: date, last: date, spans: Sequence[int]) -> None:
        if first > last:
            return
        if not spans:
            days.append((first.isoformat(), last.isoformat()))
            return
        n, loose, day = spans[0], first, first
        while day <= last:
            if (day - ANCHOR).days % n == 0 and day + timedelta(days=n - 1) <= last:
                fill(loose, day - timedelta(days=1), spans[1:])
                periods.append(_span_key(day, n))
                day += timedelta(days=n)
                loose = day
            else:
                day += timedelta(days=1)
        fill(loose, last, spans[1:])

    month = date(start.year, start.month, 1)
    if month < start:
        month = _next_month(month)
    months = []
    while _next_month(month) - timedelta(days=1) <= end:
        months.append(month)
        month = _next_month(month)
    if months:
        fill(start, months[0] - timedelta(days=1), spans)
        periods += [m.isoformat()[:7] for m in months]
        fill(_next_month(months[-1]), end, spans)
    else:
        fill(start, end, spans)
    return Cover(tuple(periods), tuple(days)) if periods else None


def _next_month(day: date) -> date:
    return date(day.year + day.month // 12, day.month % 12 + 1, 1)


def _rest(grouped: Any, each: Any, keys: Sequence[Any], names: _Names, full: dict[str, Any],
          cover: Cover) -> list[Any]:  # fmt: skip
    """The queries of what the roll-ups leave out of a window: ``grouped`` (of ``fused_events``,
    counts) grouped by ``keys`` over each range of the cover's other ``days`` (their one-day
    events), and ``each`` (the same columns, one row an event counted as 1) over the window's
    events not on one day, read off their partial index rather than sorting the window."""
    return [
        *(_where(grouped, names, **(full | {"days": span})).group_by(*keys) for span in cover.days),
        _where(each, names, **(full | {"not_one_day": True})),
    ]


# -- query --------------------------------------------------------------------------------------


_Names = dict[str, tuple[str, list[str], str]]  # actor id -> name, aliases, type


def _actor_names(conn: Connection) -> _Names:
    rows = conn.execute(select(t.actors.c.id, t.actors.c.name, t.actors.c.aliases, t.actors.c.type))
    return {id_: (name, list(aliases or ()), type_) for id_, name, aliases, type_ in rows}


def _names_for(conn: Connection, filters: dict[str, Any]) -> _Names:
    """The stored actors when ``filters`` name an actor (``_where`` reads them for nothing else)."""
    return _actor_names(conn) if filters.get("actor") else {}


def _actor_ids(actor: str, names: _Names) -> set[str]:
    """Ids of the actors ``actor`` names: an id, a name or an alias (any case), or part of a name."""
    key = actor.strip().casefold()
    exact = {
        i
        for i, (name, aliases, _) in names.items()
        if key in {i.casefold(), name.casefold(), *map(str.casefold, aliases)}
    }
    return exact or {i for i, (name, _, _) in names.items() if key and key in name.casefold()} | {actor.strip()}


def _country_clause(c: Any, country: str) -> Any:
    key = country.strip().lower()
    codes = {key}
    if len(key) == 3:
        import pycountry

        found = pycountry.countries.get(alpha_3=key.upper())
        codes |= {found.alpha_2.lower()} if found else set()
    return or_(func.lower(c.country) == key, func.lower(c.country_code).in_(codes))


def _attributes(query: Any, c: Any, f: dict[str, Any]) -> Any:
    """``query`` kept to the type, country, province and place precision the filters ``f`` name,
    on the columns ``c`` (of ``fused_events`` or of the roll-up ``fused_periods``)."""
    if f["type"]:
        key = f["type"].strip().lower()
        types = [t_ for t_ in SUB_TYPES if t_.lower() == key]
        subs = [s_ for s_ in TYPE_OF if s_.lower() == key]
        if types or subs:  # an ACLED name: equality, so the type index serves it
            query = query.where(or_(c.type.in_(types), c.sub_type.in_(subs)) if types and subs else
                                c.type.in_(types) if types else c.sub_type.in_(subs))  # fmt: skip
        else:
            query = query.where(or_(func.lower(c.type) == key, func.lower(c.sub_type) == key))
    if f["country"]:
        query = query.where(_country_clause(c, f["country"]))
    if f["admin1"]:
        query = query.where(func.lower(c.admin1) == f["admin1"].strip().lower())
    if f.get("precision"):
        query = query.where(c.geo_precision == f["precision"])
    return query


def _where(query: Any, names: _Names, **f: Any) -> Any:
    c = fused_events.c
    if not f["aggregate"]:
        query = query.where(c.aggregate.is_(False))
    query = _attributes(query, c, f)
    if f["actor"]:
        ids = _actor_ids(f["actor"], names)
        query = query.where(or_(c.actor1.in_(ids), c.actor2.in_(ids)))
    if f["since"]:  # the event reaches into the bound and so started at most the longest span before it
        query = query.where(func.coalesce(c.date_end, c.date_start) >= f["since"])
    if f.get("days"):  # (``_rest``) the one-day events of these days: the one range of start dates read
        query = query.where(c.date_start >= f["days"][0], c.date_start <= f["days"][1], _one_day(c))
    else:
        if f["since"]:
            query = query.where(c.date_start >= earliest_start(f["since"], f["longest"]))
        if f["until"]:  # starts on or before the bound's last day ("2025-09" ends with "2025-09-~")
            query = query.where(c.date_start <= f["until"] + "~")
    if f.get("not_one_day"):
        query = query.where(_not_one_day(c))
    if f.get("event_id"):
        query = query.where(c.id == f["event_id"])
    if f.get("min_killed") is not None:
        query = query.where(func.coalesce(c.fatalities_best, c.fatalities_low, 0) >= int(f["min_killed"]))
    if f.get("source") or f.get("q"):
        s, a = fused_event_sources.c, t.articles.c
        articles = select(s.fused_id).join(t.articles, a.id == s.article_id)
        if f.get("source"):
            key = f"%{f['source'].strip().lower()}%"
            articles = articles.where(or_(func.lower(a.source).like(key), func.lower(a.url).like(key)))
        if f.get("q"):
            clause = search_clause(f["dialect"], f["q"])
            if clause is None:
                raise ConfigError(f"the search {f['q']!r} has no word to look for")
            articles = articles.where(clause)
        query = query.where(c.id.in_(articles))
    return query


SORTS = {  # ``sort`` of query_fused -> ORDER BY
    "date": (fused_events.c.date_start.asc().nulls_last(), fused_events.c.id),
    "-date": (fused_events.c.date_start.desc().nulls_last(), fused_events.c.id),
    "-killed": (func.coalesce(fused_events.c.fatalities_best, 0).desc(), fused_events.c.id),
    "-reports": (fused_events.c.n_reports.desc(), fused_events.c.date_start.asc().nulls_last(), fused_events.c.id),
}
EXTRA_FILTERS = ("min_killed", "precision", "source", "q")


def _full(conn: Connection, filters: dict[str, Any]) -> dict[str, Any]:
    """Every filter ``_where`` reads, defaults first, dates checked."""
    full = {"type": None, "actor": None, "country": None, "admin1": None, "since": None, "until": None,
            "aggregate": False, "event_id": None, "min_killed": None, "precision": None, "source": None,
            "q": None} | {k: v for k, v in filters.items() if k != "sort"}  # fmt: skip
    full["since"], full["until"] = date_bound("since", full["since"]), date_bound("until", full["until"])
    if full["min_killed"] not in (None, ""):
        try:
            full["min_killed"] = int(full["min_killed"])
            if not 0 <= full["min_killed"] <= 10**9:
                raise ValueError(full["min_killed"])
        except (TypeError, ValueError) as exc:
            raise ConfigError(f"min_killed must be a whole number from 0 to 10^9, not {full['min_killed']!r}") from exc
    else:
        full["min_killed"] = None
    full["dialect"] = conn.dialect.name
    if full["since"]:  # the longest span, off the index of migration 0008: the since filter's start bound
        c = fused_events.c
        longest = select(func.max(c.span_days))
        if not full["aggregate"]:  # a roll-up over half a year widens nothing when roll-ups are left out
            longest = longest.where(c.aggregate.is_(False))
        full["longest"] = int(conn.execute(longest).scalar() or 0)
    return full


def _iso(at: datetime | None) -> str | None:
    if at is None:
        return None
    return (at if at.tzinfo else at.replace(tzinfo=UTC)).isoformat()


def _articles(conn: Connection, ids: set[str]) -> dict[str, dict[str, Any]]:
    if not ids:
        return {}
    a = t.articles.c
    rows = conn.execute(select(a.id, a.source, a.title, a.url, a.date).where(a.id.in_(sorted(ids))))
    return {r.id: {"outlet": r.source, "title": r.title, "url": r.url, "published": r.date} for r in rows}


def count_fused(conn: Connection, **filters: Any) -> int:
    """How many fused events ``query_fused`` with these filters (no limit) gives."""
    full = _full(conn, filters)
    query = _where(select(func.count()).select_from(fused_events), _names_for(conn, full), **full)
    return int(conn.execute(query).scalar_one())


TALLY_KEYS = ("type", "country", "admin1", "date_start")  # what ``tally_fused`` can group by


@dataclass(frozen=True)
class Tally:
    """Events and their fatalities (summed: best, else low; low, else best; high, else best, else low)."""

    key: tuple[str | None, ...]  # the values of the grouping columns, in the order asked
    events: int
    fatalities_best: int
    fatalities_low: int
    fatalities_high: int


def _order(key: Sequence[Any]) -> tuple[tuple[bool, Any], ...]:
    """Keys in ascending order, no value first, as SQLite orders them."""
    return tuple((v is not None, v if v is not None else "") for v in key)


def tally_fused(conn: Connection, by: Sequence[str] = (), **filters: Any) -> list[Tally]:
    """The fused events ``query_fused`` with ``filters`` gives, counted per value of the ``by`` columns
    (``TALLY_KEYS``; none: one tally of them all), in the order of those values.

    The whole periods of a ``since``..``until`` window (``_cover``) are read off the roll-ups
    when the filters are ones they hold and ``by`` has no day; its other days event by event."""
    unknown = [k for k in by if k not in TALLY_KEYS]
    if unknown:
        raise ConfigError(f"events can be tallied by {', '.join(TALLY_KEYS)}, not {', '.join(unknown)}")
    full = _full(conn, filters)
    names = _names_for(conn, full)
    c = fused_events.c
    keys = [c[k] for k in by]
    grouped = select(*keys, func.count(), func.sum(_best(c)), func.sum(_low(c)), func.sum(_high(c)))
    grouped = grouped.select_from(fused_events)
    n = len(keys)
    cover = None if "date_start" in by else _cover(full, ROLLED_UP)
    if cover is None:
        return [
            Tally(tuple(row[:n]), int(row[n]), int(row[n + 1] or 0), int(row[n + 2] or 0), int(row[n + 3] or 0))
            for row in conn.execute(_where(grouped, names, **full).group_by(*keys).order_by(*keys))
        ]
    each = select(*keys, literal(1), _best(c), _low(c), _high(c)).select_from(fused_events)
    m = fused_periods.c
    rolled = select(*(m[k] for k in by), func.sum(m.events), func.sum(m.fatalities_best), func.sum(m.fatalities_low),
                    func.sum(m.fatalities_high)).where(m.period.in_(cover.periods))  # fmt: skip
    counts: dict[tuple[Any, ...], list[int]] = {}
    rest = _rest(grouped, each, keys, names, full, cover)
    for part in (_attributes(rolled, m, full).group_by(*(m[k] for k in by)), *rest):
        for row in conn.execute(part):
            sums = counts.setdefault(tuple(row[:n]), [0, 0, 0, 0])
            for i in range(4):
                sums[i] += int(row[n + i] or 0)
    return [Tally(key, *sums) for key, sums in sorted(counts.items(), key=lambda kv: _order(kv[0]))]


def tally_fused_actors(
    conn: Connection, limit: int | None = None, keys: Sequence[str] | None = None, **filters: Any
) -> list[Tally]:
    """The fused events ``query_fused`` with ``filters`` gives, counted per actor on either side
    (an event with one actor on both sides counts once), most events first, then by actor id;
    ``limit`` rows at most, or only the actors in ``keys``. ``key`` is ``(actor id, its name)``
    (the id when the actor is not stored).

    A window's whole months, weeks and days are read off the actor roll-up when only the
    window filters (then only the events not on one day are read one by one); otherwise each
    side is one grouped count over the covering window index (a union of the two sides would be
    materialised before grouping, twice the work); the sides are added up here."""
    if keys is not None and not keys:
        return []
    c = fused_events.c
    full = _full(conn, filters)
    names = _names_for(conn, full)
    events: dict[str, int] = {}
    killed: dict[str, int] = {}

    def add(actor: str, n: int, fat: int | None) -> None:
        if keys is None or actor in keys:
            events[actor] = events.get(actor, 0) + int(n)
            killed[actor] = killed.get(actor, 0) + int(fat or 0)

    cover = _cover(full, (), ACTOR_SPANS)
    if cover is not None:
        m = fused_period_actors.c
        rolled = select(m.actor, func.sum(m.events), func.sum(m.fatalities_best)).where(m.period.in_(cover.periods))
        if keys is not None:
            rolled = rolled.where(m.actor.in_(list(keys)))
        for actor, n, fat in conn.execute(rolled.group_by(m.actor)):
            add(actor, n, fat)
        pair = (c.actor1, c.actor2)
        grouped = select(*pair, func.count(), func.sum(_best(c))).select_from(fused_events)
        each = select(*pair, literal(1), _best(c)).select_from(fused_events)
        for part in _rest(grouped, each, pair, names, full, cover):
            for actor1, actor2, n, fat in conn.execute(part):
                if actor1 is not None:
                    add(actor1, n, fat)
                if actor2 is not None and actor2 != actor1:
                    add(actor2, n, fat)
    else:
        for side, other in ((c.actor1, None), (c.actor2, c.actor1)):
            query = select(side, func.count(), func.sum(_best(c))).select_from(fused_events).where(side.is_not(None))
            if other is not None:  # counted on the first side already
                query = query.where(or_(other.is_(None), side != other))
            if keys is not None:
                query = query.where(side.in_(list(keys)))
            for actor, n, fat in conn.execute(_where(query, names, **full).group_by(side)):
                add(actor, n, fat)
    ranked = sorted(events, key=lambda a: (-events[a], a))[: limit or None]
    if not ranked:
        return []
    a = t.actors.c
    stored = {i: name for i, name in conn.execute(select(a.id, a.name).where(a.id.in_(ranked)))}
    return [Tally((actor, str(stored.get(actor) or actor)), events[actor], killed[actor], 0, 0) for actor in ranked]


def count_fused_articles(conn: Connection, **filters: Any) -> int:
    """How many distinct articles report the fused events ``query_fused`` with ``filters`` gives
    (the events read off the window index, joined to their sources' (fused id, article) index)."""
    c, s = fused_events.c, fused_event_sources.c
    full = _full(conn, filters)
    query = select(func.count(func.distinct(s.article_id))).select_from(
        fused_events.join(fused_event_sources, s.fused_id == c.id)
    )
    return int(conn.execute(_where(query, _names_for(conn, full), **full)).scalar() or 0)


@dataclass(frozen=True)
class Point:
    """The filtered events of one type, country and province at one spot (coordinates rounded to
    ``POINT_DIGITS``): how many, their fatalities (best, else low), first and last start day; the
    event's id and sub-type when it is one event."""

    lat: float
    lon: float
    type: str | None
    country: str | None
    admin1: str | None
    events: int
    fatalities: int
    first: str | None
    last: str | None
    event_id: str | None
    sub_type: str | None


def fused_points(conn: Connection, **filters: Any) -> list[Point]:
    """The points of the filtered fused events that have coordinates (``Point``), read off the
    window index without the events' JSON (and a window's whole periods off the roll-ups when
    the filters are ones they hold): what the dashboard's map draws, one marker a spot."""
    c = fused_events.c
    full = _full(conn, filters)
    names = _names_for(conn, full)
    keys = (_spot(c.lat), _spot(c.lon), c.type, c.country, c.admin1)
    placed = (c.lat.is_not(None), c.lon.is_not(None))
    grouped = select(*keys, func.count(), func.sum(_best(c)), func.min(c.date_start), func.max(c.date_start),
                     func.min(c.id), func.min(c.sub_type)).where(*placed)  # fmt: skip
    cover = _cover(full, ROLLED_UP)
    if cover is None:
        parts = [_where(grouped, names, **full).group_by(*keys)]
    else:
        each = select(*keys, literal(1), _best(c), c.date_start, c.date_start, c.id, c.sub_type).where(*placed)
        m = fused_periods.c
        spot = (m.lat, m.lon, m.type, m.country, m.admin1)
        rolled = select(*spot, func.sum(m.events), func.sum(m.fatalities_best), func.min(m.first_day),
                        func.max(m.last_day), func.min(m.event_id), func.min(m.sub_type))  # fmt: skip
        rolled = rolled.where(m.period.in_(cover.periods), m.lat.is_not(None), m.lon.is_not(None))
        parts = [_attributes(rolled, m, full).group_by(*spot), *_rest(grouped, each, keys, names, full, cover)]
    found: dict[tuple[float, float, Any, Any, Any], list[Any]] = {}
    for part in parts:
        for y, x, ty, cc, a1, n, fat, first, last, id_, sub in conn.execute(part):
            key = (float(y), float(x), ty, cc, a1)
            if key not in found:
                found[key] = [int(n), int(fat or 0), first, last, id_, sub]
                continue
            p = found[key]
            p[0], p[1] = p[0] + int(n), p[1] + int(fat or 0)
            p[2] = min((d for d in (p[2], first) if d), default=None)
            p[3] = max((d for d in (p[3], last) if d), default=None)
            p[4], p[5] = min(p[4], id_), min((s_ for s_ in (p[5], sub) if s_ is not None), default=None)
    return [
        Point(lat, lon, ty, cc, a1, n, fat, first, last, id_ if n == 1 else None, sub if n == 1 else None)
        for (lat, lon, ty, cc, a1), (n, fat, first, last, id_, sub) in sorted(
            found.items(), key=lambda kv: _order(kv[0])
        )
    ]


def tally_fused_windows(conn: Connection, windows: Sequence[tuple[str, str]], **filters: Any) -> list[Tally]:
    """For each ``(since, until)`` window (days, inclusive), the fused events ``query_fused`` with
    ``filters`` and that window gives, counted as ``tally_fused`` counts them: a window the
    roll-ups cover (``_cover``) as ``tally_fused`` does, the others in one statement (each window
    reads its own index range). ``key`` is the window."""
    if not windows:
        return []
    c = fused_events.c
    names = _names_for(conn, filters)
    sums = (func.count(), *(func.coalesce(func.sum(f(c)), 0) for f in (_best, _low, _high)))
    full = _full(
        conn, filters | {"since": windows[0][0], "until": windows[0][1]}
    )  # checked, the longest span read once
    parts = []
    rows: dict[int, Sequence[Any]] = {}
    for i, (since, until) in enumerate(windows):
        bounds = {"since": date_bound("since", since), "until": date_bound("until", until)}
        if not bounds["since"] or not bounds["until"]:
            raise ConfigError("every window needs a first and a last day")
        if _cover(full | bounds, ROLLED_UP) is not None:
            (whole,) = tally_fused(conn, (), **(filters | bounds))
            rows[i] = (whole.events, whole.fatalities_best, whole.fatalities_low, whole.fatalities_high)
            continue
        query = select(literal(i).label("window"), *sums).select_from(fused_events)
        parts.append(_where(query, names, **(full | bounds)))
    if parts:
        rows |= {int(r[0]): r[1:] for r in conn.execute(union_all(*parts) if len(parts) > 1 else parts[0])}
    return [Tally(tuple(w), *(int(v) for v in rows[i])) for i, w in enumerate(windows)]


def query_fused(
    conn: Connection,
    *,
    type: str | None = None,  # the CLI option's name
    actor: str | None = None,
    country: str | None = None,
    admin1: str | None = None,
    since: str | None = None,
    until: str | None = None,
    aggregate: bool = False,
    limit: int | None = None,
    offset: int = 0,
    event_id: str | None = None,
    sort: str = "date",
    **extra: Any,
) -> list[dict[str, Any]]:
    """Fused events, oldest first, filtered; every filter is case-insensitive, dates inclusive.

    ``type`` is an ACLED event or sub-event type; ``actor`` an actor id, name or alias (or part of
    a name); ``country`` a name or ISO code; ``since``/``until`` ``YYYY[-MM[-DD]]``, kept when the
    event's dates reach into the bound. ``aggregate=True`` adds the tallies. ``offset`` skips that
    many (paging); ``event_id`` keeps the one fused event of that id. ``extra`` filters
    (``EXTRA_FILTERS``): ``min_killed`` (at least that many killed), ``precision`` (of the place:
    point, admin1, country, region), ``source`` (part of a source article's outlet or URL), ``q``
    (full-text search of the source articles). ``sort``: one of ``SORTS`` (date, -date, -killed,
    -reports).
    """
    if limit is not None and limit < 0:
        raise ConfigError(f"limit must not be negative, not {limit}")
    if offset < 0:
        raise ConfigError(f"offset must not be negative, not {offset}")
    filters = {"type": type, "actor": actor, "country": country, "admin1": admin1, "since": since,
               "until": until, "aggregate": aggregate, "event_id": event_id} | extra  # fmt: skip
    names = _actor_names(conn)
    query = _fused_select(conn, names, filters, sort)
    if offset:
        query = query.offset(offset)
    found = conn.execute(query.limit(limit) if limit is not None else query)
    return _decorated(conn, names, list(found))


def iter_fused(conn: Connection, chunk: int, *, sort: str = "date", **filters: Any) -> Iterator[list[dict[str, Any]]]:
    """Every fused event ``query_fused`` with ``filters`` gives, in lists of at most ``chunk``,
    read by one query in one snapshot of the store (no offsets: the last list costs what the first
    did, and rows stored meanwhile neither repeat nor shift the rest)."""
    names = _actor_names(conn)
    query = _fused_select(conn, names, {"aggregate": False} | filters, sort)
    found = conn.execution_options(stream_results=True, max_row_buffer=chunk).execute(query)
    for rows in found.partitions(chunk):
        yield _decorated(conn, names, list(rows))


def _fused_select(conn: Connection, names: _Names, filters: dict[str, Any], sort: str) -> Any:
    unknown = set(filters) - {"type", "actor", "country", "admin1", "since", "until", "aggregate", "event_id",
                              *EXTRA_FILTERS}  # fmt: skip
    if unknown:
        raise ConfigError(f"unknown event filter(s): {', '.join(sorted(unknown))}")
    if sort not in SORTS:
        raise ConfigError(f"sort must be one of {', '.join(SORTS)}, not {sort!r}")
    query = _where(select(fused_events.c.data, fused_events.c.refreshed_at), names, **_full(conn, filters))
    return query.order_by(*SORTS[sort])


def _decorated(conn: Connection, names: _Names, found: Sequence[Any]) -> list[dict[str, Any]]:
    """The rows' event dicts with their corrections, actor names and source articles."""
    rows = [dict(d) | {"refreshed_at": _iso(at)} for d, at in found]
    fixes = read_corrections(conn, "event") if rows else []
    for r in rows:  # which analysts' corrections shaped it (applied before fusion)
        ids = {(s["article_id"], s["event_id"]) for s in r["sources"]}
        r["corrections"] = [
            {"field": f.field, "value": f.value, "author": f.author, "at": f.created_at}
            for f in fixes
            if (f.article_id, f.fact_id) in ids
        ]
    articles = _articles(conn, {s["article_id"] for r in rows for s in r["sources"]})
    for r in rows:
        for key in ("actor1", "actor2", "claimed_by"):
            known = names.get(r.get(key) or "")
            r[f"{key}_name"], r[f"{key}_type"] = (known[0], known[2]) if known else (r.get(key), None)
        r["sources"] = [s | articles.get(s["article_id"], {}) for s in r["sources"]]
    return rows
