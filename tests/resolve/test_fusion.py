"""Fusion across reports, on synthetic events: what must merge, what must stay apart."""

from __future__ import annotations

import random
from dataclasses import replace

import pytest

from threatscape.model import Count, DateSpan, Event, Evidence, Fatalities, Place
from threatscape.resolve.fusion import fuse_events, fused_id
from threatscape.resolve.fusion_match import compare_actors, compare_places, compare_types, match_score

MAKEEN = Place("Makeen", "Pakistan", "PK", "Khyber Pakhtunkhwa", 32.63, 69.85, "point")
WANA = Place("Wana", "Pakistan", "PK", "Khyber Pakhtunkhwa", 32.30, 69.57, "point")  # ~45 km away
QUETTA = Place("Quetta", "Pakistan", "PK", "Balochistan", 30.18, 67.00, "point")
KP = Place("Khyber Pakhtunkhwa", "Pakistan", "PK", "Khyber Pakhtunkhwa", 34.5, 71.5, "admin1")


def day(iso: str) -> DateSpan:
    return DateSpan(iso, iso, "day")


def raid(
    event_id: str, *, toll: int | None = 12, when: str = "2024-12-21", where: Place | None = MAKEEN, **kw: object
) -> Event:
    base = Event(
        id=event_id, type="Battles", sub_type="Armed clash", evidence=Evidence(0, 4, "raid"), plover="ASSAULT",
        actor1="TTP", actor2="PAK-MIL", location=where, date=day(when),
        fatalities=Fatalities(toll, toll, None) if toll is not None else None, confidence=0.6,
    )  # fmt: skip
    return replace(base, **kw)  # type: ignore[arg-type]


def test_same_incident_from_two_outlets_is_one_event_with_a_toll_range() -> None:
    a = raid("e1", toll=12)
    b = raid("e2", toll=16, when="2024-12-22", fatalities=Fatalities(16, 16, 16))
    [fused] = fuse_events([("art-a", None, a), ("art-b", None, b)])
    assert fused.n_reports == 2
    assert {(s.article_id, s.event_id) for s in fused.sources} == {("art-a", "e1"), ("art-b", "e2")}
    assert fused.fatalities is not None
    assert (fused.fatalities.best, fused.fatalities.low, fused.fatalities.high) == (12, 12, 16)
    assert fused.date == day("2024-12-21")  # the earliest precise day
    assert fused.confidence > 0.6  # two independent reports


def test_near_duplicates_of_one_story_count_once() -> None:
    items = [("art-a", "story-1", raid("e1")), ("art-b", "story-1", raid("e2")), ("art-c", None, raid("e3"))]
    [fused] = fuse_events(items)
    assert len(fused.sources) == 3
    assert fused.n_reports == 2


@pytest.mark.parametrize(
    "other",
    [
        raid("x", where=QUETTA),  # another province
        raid("x", where=WANA),  # another town ~45 km away
        raid("x", when="2024-12-26"),  # five days later
        raid("x", type="Protests", sub_type="Peaceful protest"),
        raid("x", type="Strategic developments", sub_type="Arrests"),
        raid("x", actor1="BLA", actor2="PAK-MIL", claimed_by=None),  # another perpetrator, actors disjoint
        raid("x", toll=120),  # a toll ten times larger
        raid("x", date=None),  # undated: never fused
    ],
    ids=["province", "town", "date", "protest", "arrests", "actors", "toll", "undated"],
)
def test_different_incidents_stay_apart(other: Event) -> None:
    fused = fuse_events([("art-a", None, raid("e1")), ("art-b", None, other)])
    assert len(fused) == 2
    assert all(f.n_reports == 1 for f in fused)


def test_aggregate_is_never_fused_with_an_incident() -> None:
    tally = raid("t", aggregate=True, count=Count(600, "over"), date=DateSpan("2024-12-01", "2024-12-31", "month"),
                 where=KP, toll=12)  # fmt: skip
    incident = raid("e1")
    fused = fuse_events([("art-a", None, incident), ("art-a", None, tally), ("art-b", None, raid("e2"))])
    assert len(fused) == 2
    [agg] = [f for f in fused if f.aggregate]
    assert [s.event_id for s in agg.sources] == ["t"]


def test_the_same_tally_in_a_syndicated_copy_is_one_record() -> None:
    tally = raid("t", aggregate=True, count=Count(600, "over"), date=DateSpan("2024-07-01", "2024-12-31", "range"))
    same_story = fuse_events([("art-a", "s", tally), ("art-b", "s", replace(tally, id="t2"))])
    assert len(same_story) == 1 and same_story[0].n_reports == 1
    other_story = fuse_events([("art-a", "s", tally), ("art-c", "c", replace(tally, id="t3"))])
    assert len(other_story) == 2


def test_complex_attack_takes_the_highest_type_of_the_hierarchy() -> None:
    bomb = raid("e1", type="Explosions/Remote violence", sub_type="Suicide bomb", plover="ASSAULT")
    clash = raid("e2", toll=14)
    [fused] = fuse_events([("art-a", None, bomb), ("art-b", None, clash)])
    assert (fused.type, fused.sub_type) == ("Battles", "Armed clash")


def test_vague_place_fuses_with_a_point_in_it_and_keeps_the_point() -> None:
    vague = raid("e2", where=KP, actor2="PAK-POL")  # police vs military: both state forces
    [fused] = fuse_events([("art-a", None, raid("e1")), ("art-b", None, vague)])
    assert fused.location == MAKEEN


def test_unidentified_attackers_fit_a_named_group_and_the_name_wins() -> None:
    gunmen = raid("e1", actor1="PAK-UAG")
    [fused] = fuse_events([("art-a", None, gunmen), ("art-b", None, raid("e2", toll=13))])
    assert fused.actor1 == "TTP"


def test_no_chaining_across_days() -> None:
    """Day 1 ~ day 3 ~ day 5 pairwise, but day 1 and day 5 are different incidents."""
    items = [(f"art-{d}", None, raid(f"e{d}", when=f"2024-12-{d:02d}")) for d in (1, 3, 5)]
    fused = fuse_events(items)
    assert len(fused) == 2
    assert sum(len(f.sources) for f in fused) == 3


def test_result_does_not_depend_on_input_order_and_ids_are_stable() -> None:
    items = [
        ("art-a", None, raid("e1")), ("art-b", None, raid("e2", toll=16)), ("art-c", None, raid("e3", where=QUETTA)),
        ("art-d", None, raid("e4", when="2025-01-10")), ("art-e", "art-a", raid("e5")),
    ]  # fmt: skip
    expected = fuse_events(items)
    shuffled = list(items)
    random.Random(7).shuffle(shuffled)
    assert fuse_events(shuffled) == expected
    makeen = next(f for f in expected if len(f.sources) == 3)
    assert makeen.id == fused_id("art-a", "e1")
    assert makeen.n_reports == 2


def test_comparisons_score_and_veto() -> None:
    assert compare_types(raid("a"), raid("b")) == 1.0
    assert compare_types(raid("a"), raid("b", type="Riots", sub_type="Mob violence")) == 0.0
    assert compare_places(raid("a"), raid("b", where=None)) is None
    assert compare_places(raid("a"), raid("b", where=replace(MAKEEN, lat=32.70))) == 1.0  # ~8 km
    assert compare_actors(raid("a", actor1=None, actor2=None), raid("b")) is None
    assert match_score(raid("a"), raid("b")) == pytest.approx(1.0)
    assert match_score(raid("a"), raid("b", where=QUETTA)) is None


def test_unplaced_report_needs_shared_actors_and_a_close_day() -> None:
    unplaced = raid("e2", where=None)
    assert len(fuse_events([("a", None, raid("e1")), ("b", None, unplaced)])) == 1
    anonymous = raid("e2", where=None, actor1="PAK-UAG", actor2=None)
    assert len(fuse_events([("a", None, raid("e1")), ("b", None, anonymous)])) == 2


def test_copies_of_one_story_pair_up_even_undated_and_unplaced() -> None:
    """A syndicated wire text: each copy's events find their partner, so nothing is listed twice."""
    clash = raid("c", date=None, where=None, evidence=Evidence(0, 30, "at least 16 militants killed"))
    blast = raid("b", date=None, type="Explosions/Remote violence", sub_type="Remote explosive/landmine/IED",
                 evidence=Evidence(0, 30, "militants blew up a railway track"))  # fmt: skip
    items = [("copy-1", "wire", clash), ("copy-1", "wire", blast),
             ("copy-2", "wire", replace(clash, id="c2")), ("copy-2", "wire", replace(blast, id="b2"))]  # fmt: skip
    fused = fuse_events(items)
    assert sorted(sorted(s.event_id for s in f.sources) for f in fused) == [["b", "b2"], ["c", "c2"]]
    assert all(f.n_reports == 1 for f in fused)
    other_story = fuse_events([("copy-1", "wire", clash), ("other", None, replace(clash, id="o"))])
    assert len(other_story) == 2  # undated reports of different stories are never fused


def test_a_town_and_its_namesake_district_are_one_place_but_two_provinces_are_not() -> None:
    kalat = Place("Kalat", "Pakistan", "PK", "Balochistan", 29.03, 66.59, "point")
    kalat_district = Place("Kalat District", "Pakistan", "PK", "Balochistan", 28.76, 66.43, "region")  # ~33 km
    assert compare_places(raid("a", where=kalat), raid("b", where=kalat_district)) == 1.0
    assert compare_places(raid("a", where=kalat_district), raid("b", where=replace(kalat_district, lat=28.7))) == 1.0
    assert compare_places(raid("a", where=KP), raid("b", where=KP)) == 0.7  # a province is no evidence of one place
    # a month-wide passing mention of the same place and toll fuses with the day's report
    month = DateSpan("2024-12-01", "2024-12-31", "month")
    assert match_score(raid("a", where=kalat), raid("b", where=kalat_district, when="2024-12-01", date=month))


def test_a_district_inside_a_province_is_more_precise_than_the_province() -> None:
    district = Place("Kalat District", "Pakistan", "PK", "Balochistan", 28.76, 66.43, "region")
    sahel = Place("Sahel", None, None, None, 15.0, 0.0, "region")
    assert MAKEEN.detail < district.detail < KP.detail < sahel.detail
