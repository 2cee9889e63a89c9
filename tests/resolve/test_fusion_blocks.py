"""Fusion in blocks by country and date window gives exactly what fusion of everything at once
gives: the same fused events, ids and order, with incidents at a block's edge (a window's last
day, a border town's neighbour across the line, an unplaced report) still found."""

from __future__ import annotations

import datetime as dt
import random

import pytest

from threatscape.model import Count, DateSpan, Event, Evidence, Fatalities, Place
from threatscape.resolve.fusion import _Item, fuse_events
from threatscape.resolve.fusion_blocks import WINDOW_DAYS, BlockStats, block_items, fuse_blocked

# two towns on either side of a border, about 9 km apart, and places further off
BORDER_PK = Place("Landi Kotal", "Pakistan", "PK", "Khyber Pakhtunkhwa", 34.10, 71.14, "point")
BORDER_AF = Place("Torkham", "Afghanistan", "AF", "Nangarhar", 34.14, 71.07, "point")
PLACES = [
    BORDER_PK,
    BORDER_AF,
    Place("Wana", "Pakistan", "PK", "Khyber Pakhtunkhwa", 32.30, 69.57, "point"),
    Place("Khyber Pakhtunkhwa", "Pakistan", "PK", "Khyber Pakhtunkhwa", 34.5, 71.5, "admin1"),
    Place("Jalalabad", "Afghanistan", "AF", "Nangarhar", 34.43, 70.45, "point"),
    Place("Afghanistan", "Afghanistan", "AF", None, 33.9, 67.7, "country"),
    Place("Goma", "DR Congo", None, "North Kivu", -1.68, 29.22, "point"),  # a country without its code
    Place("a village", None, None, None, None, None, "point"),  # placed, but in no country
    None,
]
TYPES = [("Battles", "Armed clash"), ("Explosions/Remote violence", "Remote explosive/landmine/IED")]
ACTORS = ["TTP", "PAK-MIL", "Unidentified armed group", None]
START = dt.date(2024, 3, 1)


def _date(rng: random.Random) -> DateSpan | None:
    roll = rng.random()
    first = START + dt.timedelta(days=rng.randrange(40))
    if roll < 0.1:
        return None
    if roll < 0.13:  # a year: vaguer than any incident date
        return DateSpan(first.replace(month=1, day=1).isoformat(), first.replace(month=12, day=31).isoformat(), "year")
    if roll < 0.2:
        month = first.replace(day=1)
        return DateSpan(month.isoformat(), (month + dt.timedelta(days=30)).isoformat(), "month")
    if roll < 0.3:
        return DateSpan(first.isoformat(), (first + dt.timedelta(days=rng.randrange(2, 12))).isoformat(), "range")
    return DateSpan(first.isoformat(), first.isoformat(), "day")


def _event(rng: random.Random, n: int) -> Event:
    type_, sub = rng.choice(TYPES)
    toll = rng.choice([None, 2, 3, 4, 10])
    aggregate = rng.random() < 0.05
    return Event(
        id=f"e{n}", type=type_, sub_type=sub, evidence=Evidence(0, 6, rng.choice(["attack", "clash near"])),
        plover="ASSAULT", actor1=rng.choice(ACTORS), actor2=rng.choice(ACTORS), location=rng.choice(PLACES),
        date=_date(rng), fatalities=Fatalities(toll, toll, None) if toll is not None else None,
        confidence=round(rng.uniform(0.4, 0.9), 2), aggregate=aggregate,
        count=Count(rng.choice([5, 8]), "exact") if aggregate else None,
    )  # fmt: skip


def _items(seed: int, n: int) -> list[tuple[str, str | None, Event]]:
    rng = random.Random(seed)
    items: list[tuple[str, str | None, Event]] = []
    for k in range(n):
        article = f"art-{rng.randrange(n // 3 + 1)}"
        story = rng.choice([None, None, None, f"story-{rng.randrange(5)}"])
        items.append((article, story, _event(rng, k)))
    return items


@pytest.mark.parametrize("seed", range(12))
def test_blocked_fusion_is_fusion_of_everything(seed: int) -> None:
    items = _items(seed, 160)
    stats = BlockStats()
    blocked = fuse_blocked(items, stats=stats)
    assert blocked == fuse_events(items)
    assert sum(len(f.sources) for f in blocked) == len(items)
    assert stats.blocks > 10 and stats.pairs > 0
    assert stats.replication > 1.0  # events at block edges are sent to each block they touch


def _raid(event_id: str, iso: str, where: Place | None) -> Event:
    return Event(
        id=event_id, type="Battles", sub_type="Armed clash", evidence=Evidence(0, 4, "raid"), plover="ASSAULT",
        actor1="TTP", actor2="PAK-MIL", location=where, date=DateSpan(iso, iso, "day"),
        fatalities=Fatalities(7, 7, None), confidence=0.6,
    )  # fmt: skip


def _window_edge() -> tuple[str, str]:
    """The last day of a date window and the first of the next."""
    epoch = dt.date(1970, 1, 1)
    last = epoch + dt.timedelta(days=((START - epoch).days // WINDOW_DAYS + 1) * WINDOW_DAYS - 1)
    return last.isoformat(), (last + dt.timedelta(days=1)).isoformat()


@pytest.mark.parametrize(
    ("a", "b"),
    [
        (("2024-03-05", BORDER_PK), ("2024-03-05", BORDER_AF)),  # across a border, 9 km apart
        (("2024-03-05", BORDER_PK), ("2024-03-06", None)),  # one report with no place
        ((_window_edge()[0], BORDER_PK), (_window_edge()[1], BORDER_PK)),  # either side of a window's edge
    ],
)
def test_incidents_at_a_block_edge_are_still_one(a: tuple[str, Place | None], b: tuple[str, Place | None]) -> None:
    items = [("art-a", None, _raid("e1", *a)), ("art-b", None, _raid("e2", *b))]
    names = [name for name, _ in block_items([_Item(x, y or x, e) for x, y, e in items])]
    [fused] = fuse_blocked(items)
    assert len(fused.sources) == 2
    assert fuse_events(items) == [fused]
    assert len(names) >= 2  # found across two blocks, not inside one


def test_a_border_block_holds_only_points_of_two_countries() -> None:
    far = Place("Quetta", "Pakistan", "PK", "Balochistan", 30.18, 67.00, "point")
    items = [_Item("a", "a", _raid("e1", "2024-03-05", BORDER_PK)), _Item("b", "b", _raid("e2", "2024-03-05", far))]
    assert not [name for name, _ in block_items(items) if name.startswith("border:")]
    items.append(_Item("c", "c", _raid("e3", "2024-03-05", BORDER_AF)))
    borders = [members for name, members in block_items(items) if name.startswith("border:")]
    assert borders and all({it.article_id for it in m} == {"a", "c"} for m in borders)
