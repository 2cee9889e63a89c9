"""The dashboard's figures, counted from the store the way the events list filters (``tally_events``).

    period_of(store, filters) -> Window | None   the days the filters cover, open ends closed by the data
    changes(store, filters, windows) -> list     events and fatalities in each window and the one before it
    table(store, name, filters, window) -> rows  events by type, actor or province (``TABLES``)
    timeline(store, filters) -> dict             events per day or week, by ACLED type (Vega-Lite data)
    admin1_collection(store, filters, bounds)    the provinces of the filtered events' countries, counted

An event counts in every window its dates reach into, as in ``/events?since=..&until=..``, so the
headline, the timeline, the map and the list agree on one set of events.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from threatscape.report.build import TOP_ACTORS, TOP_ADMIN1
from threatscape.report.geo import Boundaries, country_code
from threatscape.report.model import CountRow
from threatscape.serve.site import as_day
from threatscape.store import SQLStore

__all__ = [
    "DAILY_MAX_DAYS",
    "WEEK",
    "Change",
    "TABLES",
    "Window",
    "admin1_collection",
    "changes",
    "period_of",
    "table",
    "timeline",
]

WEEK = 7
DAILY_MAX_DAYS = 92  # a timeline over more days than this counts by week
COORD_DIGITS = 3  # decimals kept in the province outlines sent to the browser (~100 m)


@dataclass(frozen=True)
class Window:
    """An inclusive range of days."""

    start: date
    end: date

    @property
    def days(self) -> int:
        return (self.end - self.start).days + 1

    def before(self) -> Window:
        """The window of the same length ending the day before this one starts."""
        return Window(self.start - timedelta(days=self.days), self.start - timedelta(days=1))

    def last(self, days: int) -> Window:
        """The last ``days`` days of this window (all of it when shorter)."""
        return Window(max(self.start, self.end - timedelta(days=days - 1)), self.end)


@dataclass(frozen=True)
class Change:
    """Events and fatalities (best estimate) in ``window`` and in the window before it."""

    window: Window
    events: int
    events_before: int
    fatalities: int
    fatalities_before: int


TABLES = ("types", "actors", "provinces")  # the dashboard's tables, each a fragment of its own


def table(store: SQLStore, name: str, filters: dict[str, Any], window: Window | None) -> tuple[CountRow, ...]:
    """One of the dashboard's ``TABLES`` for the filters: events by type (every type), by actor on
    either side (the ``TOP_ACTORS``) or by province (the ``TOP_ADMIN1``), every filter counting (type
    and actor too, as in the events list), most events first. ``previous`` is the count in
    ``window.before()`` (types and actors; None without a window). Grouped counts over the
    indexed columns."""
    before = window.before() if window else None
    earlier = filters | {"since": before.start.isoformat(), "until": before.end.isoformat()} if before else None

    def previous(tally: Any, **kw: Any) -> dict[str, int] | None:
        return {str(x.key[0]): x.events for x in tally(**kw, **earlier)} if earlier is not None else None

    def rows(found: list[Any], prev: dict[str, int] | None, label: Any) -> tuple[CountRow, ...]:
        return tuple(
            CountRow(key, label(x), x.events, prev.get(key, 0) if prev is not None else None, x.fatalities_best)
            for x in found
            for key in (str(x.key[0]),)
        )

    def ranked(by: str, limit: int | None) -> list[Any]:
        found = [x for x in store.tally_events((by,), **filters) if x.key[0] is not None]
        return sorted(found, key=lambda x: (-x.events, str(x.key[0])))[:limit]

    if name == "types":
        return rows(ranked("type", None), previous(lambda **kw: store.tally_events(("type",), **kw)),
                    lambda x: str(x.key[0]))  # fmt: skip
    if name == "actors":
        actors = store.tally_actors(TOP_ACTORS, **filters)
        keys = [x.key[0] for x in actors]
        return rows(actors, previous(store.tally_actors, keys=keys), lambda x: str(x.key[1]))
    if name == "provinces":
        return rows(ranked("admin1", TOP_ADMIN1), None, lambda x: str(x.key[0]))
    raise KeyError(name)


def period_of(store: SQLStore, filters: dict[str, Any]) -> Window | None:
    """``since``..``until`` as days; an open end is the first (last) start date of the filtered
    events. None when there is no dated event to close an open end."""
    start = date.fromisoformat(as_day(filters["since"], "")) if filters.get("since") else None
    end = date.fromisoformat(as_day(filters["until"], "", last=True)) if filters.get("until") else None
    if start is None or end is None:
        days = [t.key[0] for t in store.tally_events(("date_start",), **filters) if t.key[0]]
        if not days:
            return None
        start = start or date.fromisoformat(str(days[0]))
        end = end or max(date.fromisoformat(str(days[-1])), start)
    return Window(start, end) if start <= end else None


def changes(store: SQLStore, filters: dict[str, Any], windows: Sequence[Window]) -> list[Change]:
    """For each window, the filtered events and their fatalities in it and in ``window.before()``
    (all of them counted by one query)."""
    spans = [(w.start.isoformat(), w.end.isoformat()) for window in windows for w in (window, window.before())]
    found = store.tally_windows(spans, **filters)
    return [
        Change(w, now.events, then.events, now.fatalities_best, then.fatalities_best)
        for w, now, then in zip(windows, found[::2], found[1::2], strict=True)
    ]


def timeline(store: SQLStore, filters: dict[str, Any]) -> dict[str, Any]:
    """The filtered events per day (or week, Monday first, past ``DAILY_MAX_DAYS``) and type.

    An event counts once, on its start day, or on the period's first day when it started before;
    undated events are counted apart (``undated``), so ``events`` is what the list shows.
    """
    window = period_of(store, filters)
    rows = store.tally_events(("date_start", "type"), **filters)
    undated = sum(t.events for t in rows if not t.key[0])
    if window is None:
        return {"bin": "day", "since": None, "until": None, "events": undated, "undated": undated, "rows": []}
    step = 1 if window.days <= DAILY_MAX_DAYS else WEEK
    counts: dict[tuple[date, str], int] = defaultdict(int)
    for t in rows:
        if not t.key[0]:
            continue
        day = max(date.fromisoformat(str(t.key[0])), window.start)
        first = day - timedelta(days=day.weekday()) if step == WEEK else day
        counts[(first, str(t.key[1]))] += t.events
    out: list[dict[str, Any]] = [
        {"start": first.isoformat(), "end": (first + timedelta(days=step)).isoformat(), "type": typ, "events": n}
        for (first, typ), n in sorted(counts.items())
    ]
    return {
        "bin": "week" if step == WEEK else "day",
        "since": window.start.isoformat(),
        "until": window.end.isoformat(),
        "events": undated + sum(counts.values()),
        "undated": undated,
        "rows": out,
    }


def admin1_collection(store: SQLStore, filters: dict[str, Any], bounds: Boundaries | None) -> dict[str, Any]:
    """GeoJSON of every province of the countries the filtered events happened in, each with
    ``events`` and ``fatalities`` and ``names`` (the admin-1 names on those events, busiest first:
    ``names[0]`` is what the province filters the dashboard by; ``admin1`` says it, or the
    province's own name when it has no event). ``unplaced``: events with no admin-1, or one that
    matches no province."""
    tallies = store.tally_events(("country", "admin1"), **filters)
    per_iso: dict[str, dict[str, int]] = defaultdict(dict)
    killed: dict[str, int] = defaultdict(int)
    countries: set[str] = set()
    unplaced = 0
    for t in tallies:
        country, admin1 = (str(k) if k else None for k in t.key)
        cc = country_code(country)
        iso = bounds.lookup_name(cc, admin1) if bounds is not None else None
        if cc:
            countries.add(cc)
        if iso is None:
            unplaced += t.events
            continue
        per_iso[iso][str(admin1)] = per_iso[iso].get(str(admin1), 0) + t.events
        killed[iso] += t.fatalities_best
    features = []
    for p in bounds.provinces if bounds is not None else []:
        if p.cc not in countries:
            continue
        names = sorted(per_iso.get(p.iso, {}).items(), key=lambda kv: (-kv[1], kv[0]))
        props = {
            "iso": p.iso,
            "name": p.name,
            "admin1": names[0][0] if names else p.name,
            "names": [n for n, _ in names],
            "events": sum(n for _, n in names),
            "fatalities": killed.get(p.iso, 0),
        }
        geometry = bounds.outline(p.iso, COORD_DIGITS) if bounds is not None else None
        features.append({"type": "Feature", "id": p.iso, "properties": props, "geometry": geometry})
    return {"type": "FeatureCollection", "features": features, "unplaced": unplaced}
