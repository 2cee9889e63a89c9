"""The roll-ups of the fused events (SQLite and PostgreSQL): a window's whole months and weeks are
counted off ``fused_periods`` and ``fused_period_actors``, its other days event by event, and every
count, actor tally and map point is the one read event by event.

The reference is the same call with ``min_killed=0``: a filter the roll-ups do not hold, which keeps
every event (no toll is negative), so it reads every event of the window."""

from __future__ import annotations

import random
from collections.abc import Sequence
from datetime import date, timedelta
from typing import Any

import pytest

from threatscape.model import DateSpan, Event, Fatalities, FusedEvent, FusedSource, Place
from threatscape.store import Store
from threatscape.store.events import ACTOR_SPANS, ANCHOR, Cover, _cover

TYPES = {
    "Battles": ("Armed clash", "Government regains territory"),
    "Explosions/Remote violence": ("Remote explosive/landmine/IED", "Air/drone strike", None),
    "Violence against civilians": ("Attack", "Abduction/forced disappearance"),
    "Protests": ("Peaceful protest",),
}
PLACES = [  # name, country, code, province, lat, lon (two of them within 100 m of each other)
    ("Bannu", "Pakistan", "PK", "Khyber Pakhtunkhwa", 32.9861, 70.6042),
    ("Bannu cantonment", "Pakistan", "PK", "Khyber Pakhtunkhwa", 32.98612, 70.60418),
    ("Quetta", "Pakistan", "PK", "Balochistan", 30.1798, 66.975),
    ("Khost", "Afghanistan", "AF", "Khost", 33.3395, 69.9204),
    ("Pakistan", "Pakistan", "PK", None, None, None),
    ("somewhere", None, None, None, 12.5, None),
]
ACTORS = ["TTP", "PAK-MIL", "PAK-POL", "BLA", None]


def _dates(rng: random.Random) -> DateSpan | None:
    day = date(2024, 1, 1) + timedelta(days=rng.randrange(0, 182))
    kind = rng.random()
    if kind < 0.55:  # one day, its end given or not
        return DateSpan(day.isoformat(), rng.choice([day.isoformat(), None]), "day")
    if kind < 0.7:  # days within a month, or across a month's end
        return DateSpan(day.isoformat(), (day + timedelta(days=rng.choice([2, 9, 25]))).isoformat(), "range")
    if kind < 0.8:  # a month, as a month
        return DateSpan(day.isoformat()[:7], day.isoformat()[:7], "month")
    if kind < 0.87:  # an end before its start (a bad report, kept as stored)
        return DateSpan(day.isoformat(), (day - timedelta(days=3)).isoformat(), "range")
    if kind < 0.93:
        return DateSpan(day.isoformat(), (day + timedelta(days=40)).isoformat(), "range")
    return None


def _fused(n: int, seed: int) -> list[FusedEvent]:
    rng = random.Random(seed)
    out = []
    for i in range(n):
        typ = rng.choice(sorted(TYPES))
        name, country, code, admin1, lat, lon = rng.choice(PLACES)
        best = rng.choice([None, 0, 1, 3, 12])
        fat = None if rng.random() < 0.1 else Fatalities(best, rng.choice([best, None]), rng.choice([None, 20]))
        actor1 = rng.choice(ACTORS)
        actor2 = actor1 if rng.random() < 0.1 else rng.choice(ACTORS)
        out.append(
            FusedEvent(
                id=f"f{seed}-{i:04d}",
                type=typ,
                sub_type=rng.choice(TYPES[typ]),
                sources=(FusedSource(f"a{i % 40}", f"e{i}", f"a{i % 40}"),),
                n_reports=1,
                actor1=actor1,
                actor2=actor2,
                aggregate=rng.random() < 0.05,
                location=Place(name, country, code, admin1, lat, lon, rng.choice(["point", "admin1"])),
                date=_dates(rng),
                fatalities=fat,
            )  # fmt: skip
        )
    return out


def _store_of(store: Store, fused: Sequence[FusedEvent]) -> Store:
    def fuse(_items: Sequence[tuple[str, str | None, Event]]) -> list[FusedEvent]:
        return list(fused)

    store.refresh_fused_events(fuse)
    return store


WINDOWS = [
    ("2024-02", "2024-04"),  # whole months
    ("2024-02-07", "2024-05-22"),  # days, weeks, months, weeks, days
    ("2024-02-01", "2024-02-29"),
    ("2024-01-15", "2024-03-10"),  # part days on both sides of one whole month
    ("2024-01-01", "2024-06-30"),
    ("2024-03-05", "2024-03-20"),  # no whole month: every event read
    ("2024", "2024"),
]
FILTERS: list[dict[str, Any]] = [
    {},
    {"type": "Battles"},
    {"type": "air/drone strike"},
    {"country": "PAK"},
    {"country": "afghanistan", "admin1": "khost"},
    {"precision": "point"},
]


def _sorted(rows: list[Any]) -> list[Any]:
    return sorted(rows, key=repr)


@pytest.mark.parametrize(("since", "until"), WINDOWS)
def test_rolled_up_counts_are_the_counts_of_the_events(store: Store, since: str, until: str) -> None:
    _store_of(store, _fused(700, seed=5))
    for filters in FILTERS:
        window = {"since": since, "until": until, **filters}
        for by in ((), ("type",), ("country", "admin1"), ("admin1",)):
            found = store.tally_events(by, **window)
            assert _sorted(found) == _sorted(store.tally_events(by, **window, min_killed=0)), (window, by)
        assert (
            store.tally_events((), **window)[0].events
            == store.count_events(**window)
            == len(store.query_events(**window))
        )
        spans = [(since, until), ("2024-03-01", "2024-03-07")]
        assert store.tally_windows(spans, **filters) == store.tally_windows(spans, **filters, min_killed=0)
        points = store.event_points(**window)
        assert _sorted(points) == _sorted(store.event_points(**window, min_killed=0)), window
        assert sum(p.events for p in points) == sum(
            1 for r in store.query_events(**window) if r["location"]["lat"] is not None and r["location"]["lon"]
            is not None
        )  # fmt: skip
    window = {"since": since, "until": until}
    actors = store.tally_actors(**window)
    assert actors == store.tally_actors(**window, min_killed=0)
    assert store.tally_actors(keys=["BLA", "TTP"], **window) == store.tally_actors(
        keys=["BLA", "TTP"], **window, min_killed=0
    )
    assert store.tally_actors(2, **window) == actors[:2]


def test_a_window_is_its_whole_months_then_whole_spans_then_days() -> None:
    full = {"since": "2024-01-10", "until": "2024-04-30", "aggregate": False, "type": "Battles"}
    # 10 January 2024 is 19,728 days after the anchor Monday (a multiple of 3): its 3-day span starts there
    assert (date(2024, 1, 10) - ANCHOR).days % 3 == 0
    assert _cover(full, ("type",)) == Cover(
        ("2024-01-10/3", "2024-01-15/7", "2024-01-22/7", "2024-02", "2024-03", "2024-04"),
        (("2024-01-13", "2024-01-14"), ("2024-01-29", "2024-01-31")),  # 29 to 31 January holds no aligned span
    )
    assert _cover(full, ()) is None  # the actor roll-up holds no type
    assert _cover(full | {"actor": "TTP"}, ("type",)) is None
    assert _cover(full | {"until": None}, ("type",)) is None
    assert _cover(full | {"until": "2024-01-11"}, ("type",)) is None  # no whole span (10 to 12)
    assert _cover(full | {"since": "2024-02", "until": "2024-02"}, ("type",)) == Cover(("2024-02",), ())
    by_day = _cover(full | {"type": None}, (), ACTOR_SPANS)  # days are the last span: nothing read event by event
    assert by_day is not None and by_day.days == () and by_day.periods[:2] == ("2024-01-10/1", "2024-01-11/1")


def _days(period: str) -> list[date]:
    if "/" in period:
        first, n = period.split("/")
        return [date.fromisoformat(first) + timedelta(days=i) for i in range(int(n))]
    day = date.fromisoformat(period + "-01")
    return [day + timedelta(days=i) for i in range(31) if (day + timedelta(days=i)).month == day.month]


@pytest.mark.parametrize("spans", [(7, 3), (7, 1), (7,)])
def test_a_cover_holds_every_day_of_its_window_once(spans: tuple[int, ...]) -> None:
    rng = random.Random(3)
    for _ in range(300):
        first = date(2023, 11, 1) + timedelta(days=rng.randrange(0, 200))
        last = first + timedelta(days=rng.randrange(0, 150))
        cover = _cover({"since": first.isoformat(), "until": last.isoformat(), "aggregate": False}, (), spans)
        if cover is None:
            assert (last - first).days < 2 * max(spans)  # too short for any period
            continue
        days = [d for p in cover.periods for d in _days(p)]
        days += [date.fromisoformat(a) + timedelta(days=i) for a, b in cover.days
                 for i in range((date.fromisoformat(b) - date.fromisoformat(a)).days + 1)]  # fmt: skip
        assert sorted(days) == [first + timedelta(days=i) for i in range((last - first).days + 1)]
        for p in cover.periods:
            if "/" in p:
                start, n = p.split("/")
                assert int(n) in spans and (date.fromisoformat(start) - ANCHOR).days % int(n) == 0


def test_a_new_refresh_rebuilds_the_roll_ups(store: Store) -> None:
    """The roll-ups follow the fused events: refreshed with other events, the whole months count
    the new ones and none of the old."""
    _store_of(store, _fused(300, seed=1))
    quarter = {"since": "2024-01", "until": "2024-03"}
    before = store.tally_events(("type",), **quarter)
    _store_of(store, _fused(200, seed=2))
    after = store.tally_events(("type",), **quarter)
    assert after != before
    assert after == store.tally_events(("type",), **quarter, min_killed=0)
    assert sum(t.events for t in after) == store.count_events(**quarter)
    assert store.tally_actors(**quarter) == store.tally_actors(**quarter, min_killed=0)
    _store_of(store, [])
    assert store.tally_events(("type",), **quarter) == []
    assert store.tally_actors(**quarter) == [] == store.event_points(**quarter)
