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
from threatscape.store.events import Cover, _cover

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


def test_a_window_is_its_whole_months_then_whole_weeks_then_days() -> None:
    full = {"since": "2024-01-10", "until": "2024-04-30", "aggregate": False, "type": "Battles"}
    assert _cover(full, ("type",)) == Cover(
        ("2024-01-15", "2024-01-22", "2024-02", "2024-03", "2024-04"),  # Mondays, then months
        (("2024-01-10", "2024-01-14"), ("2024-01-29", "2024-01-31")),
    )
    assert _cover(full, ()) is None  # the actor roll-up holds no type
    assert _cover(full | {"actor": "TTP"}, ("type",)) is None
    assert _cover(full | {"until": None}, ("type",)) is None
    assert _cover(full | {"until": "2024-01-21"}, ("type",)) == Cover(("2024-01-15",),
                                                                      (("2024-01-10", "2024-01-14"),))  # fmt: skip
    assert _cover(full | {"until": "2024-01-20"}, ("type",)) is None  # not one whole week (15 to 21)
    assert _cover(full | {"since": "2024-02", "until": "2024-02"}, ("type",)) == Cover(("2024-02",), ())
    shifted = _cover(full | {"since": "2025-07-16", "until": "2025-10-15"}, ("type",))
    assert shifted is not None and shifted.periods == ("2025-07-21", "2025-08", "2025-09", "2025-10-06")
    assert shifted.days == (("2025-07-16", "2025-07-20"), ("2025-07-28", "2025-07-31"), ("2025-10-01", "2025-10-05"),
                            ("2025-10-13", "2025-10-15"))  # fmt: skip


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
