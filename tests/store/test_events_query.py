"""Fused events in the database (SQLite and PostgreSQL): refresh after ingest, then query."""

from __future__ import annotations

import hashlib

import pytest

from threatscape.errors import ConfigError
from threatscape.model import Actor, Article, Count, DateSpan, Event, Evidence, Extraction, Fatalities, Place
from threatscape.pipeline import story_linker
from threatscape.resolve.fusion import fuse_events
from threatscape.store import Store

LAKKI = Place("Lakki Marwat", "Pakistan", "PK", "Khyber Pakhtunkhwa", 32.61, 70.91, "point")
NWAZ = Place("Miranshah", "Pakistan", "PK", "Khyber Pakhtunkhwa", 33.00, 70.07, "point")
TTP = Actor("TTP", "Tehreek-e-Taliban Pakistan", "armed_group", "PAK", ("TTP", "Pakistani Taliban"))
POLICE = Actor("PAK-POL", "Police of Pakistan", "military", "PAK")
ARMY = Actor("PAK-MIL", "Military of Pakistan", "military", "PAK")
OTHER_BODY = "Five police officers died when TTP fighters attacked a post in Lakki Marwat on Saturday. " * 3


def make_article(body: str, title: str, published: str | None = None, **kw: str) -> Article:
    digest = hashlib.sha256(" ".join(body.split()).encode()).hexdigest()[:16]
    return Article(id=digest, title=title, body=body, published=published, **kw)


def _event(eid: str, toll: int, where: Place, when: str, actor2: str = "PAK-POL", **kw: object) -> Event:
    return Event(
        id=eid, type="Battles", sub_type="Armed clash", evidence=Evidence(0, 4, "text"), actor1="TTP",
        actor2=actor2, location=where, date=DateSpan(when, when, "day"), fatalities=Fatalities(toll, toll, toll),
        confidence=0.7, **kw,  # type: ignore[arg-type]
    )  # fmt: skip


def _save(store: Store, article: Article, *events: Event) -> None:
    ex = Extraction(article=article, actors=(TTP, POLICE, ARMY), events=events)
    store.save_extraction(ex, linker=story_linker(store))


@pytest.fixture
def filled(store: Store, wire: Article, republished: Article, unrelated: Article) -> Store:
    """Lakki Marwat: a wire story, its syndicated copy and another outlet; an unrelated incident; a tally."""
    other = make_article(OTHER_BODY, "Five police killed", "2024-03-11", source="Other Outlet")
    _save(store, wire, _event("w1", 4, LAKKI, "2024-03-10"))
    _save(store, republished, _event("r1", 4, LAKKI, "2024-03-10"))
    _save(store, other, _event("o1", 5, LAKKI, "2024-03-09"))
    tally = Event(
        id="agg", type="Battles", sub_type="Armed clash", evidence=Evidence(0, 4, "text"), actor1="TTP",
        aggregate=True, count=Count(600, "over"), date=DateSpan("2023-07-01", "2023-12-31", "range"),
    )  # fmt: skip
    _save(store, unrelated, _event("u1", 8, NWAZ, "2024-03-12", actor2="PAK-MIL"), tally)
    return store


def test_refresh_fuses_reports_and_counts_stories(filled: Store, wire: Article, republished: Article) -> None:
    assert filled.story_of(republished.id) == wire.id  # the near-duplicate joined the wire story
    assert filled.refresh_fused_events(fuse_events) == 3  # Lakki Marwat, North Waziristan, the tally
    rows = filled.query_events()
    assert [r["location"]["name"] for r in rows] == ["Lakki Marwat", "Miranshah"]
    lakki = rows[0]
    assert (lakki["n_sources"], lakki["n_reports"]) == (3, 2)
    assert lakki["fatalities"] == {"best": 4, "low": 4, "high": 5}
    assert lakki["date"]["start"] == "2024-03-09"
    assert lakki["actor1_name"] == "Tehreek-e-Taliban Pakistan"
    assert {s["outlet"] for s in lakki["sources"]} >= {"Other Outlet"}
    other_id = make_article(OTHER_BODY, "x").id
    assert {s["article_id"] for s in lakki["sources"]} == {wire.id, republished.id, other_id}


def test_refresh_is_idempotent(filled: Store) -> None:
    filled.refresh_fused_events(fuse_events)
    first = filled.query_events(aggregate=True)
    assert filled.refresh_fused_events(fuse_events) == 3
    second = filled.query_events(aggregate=True)
    assert [r["id"] for r in first] == [r["id"] for r in second]
    assert [r["n_sources"] for r in first] == [r["n_sources"] for r in second]


def test_query_filters(filled: Store) -> None:
    filled.refresh_fused_events(fuse_events)

    def names(**kw: object) -> list[str]:
        return [r["location"]["name"] for r in filled.query_events(**kw)]  # type: ignore[arg-type]

    assert names(type="battles") == ["Lakki Marwat", "Miranshah"]
    assert names(type="Armed clash", admin1="khyber pakhtunkhwa") == ["Lakki Marwat", "Miranshah"]
    assert names(type="Protests") == []
    assert names(actor="Pakistani Taliban") == ["Lakki Marwat", "Miranshah"]
    assert names(actor="military of pakistan") == ["Miranshah"]
    assert names(actor="PAK-POL") == ["Lakki Marwat"]
    assert names(country="PAK") == names(country="pakistan") == names(country="PK") == ["Lakki Marwat", "Miranshah"]
    assert names(country="Afghanistan") == []
    assert names(since="2024-03-11") == ["Miranshah"]
    assert names(until="2024-03-09") == ["Lakki Marwat"]
    assert names(since="2024-03", until="2024-03") == ["Lakki Marwat", "Miranshah"]
    assert names(limit=1) == ["Lakki Marwat"]
    tallies = [r for r in filled.query_events(aggregate=True) if r["aggregate"]]
    assert [r["count"]["value"] for r in tallies] == [600]


def test_query_before_any_refresh_is_empty_and_bad_dates_are_named(store: Store) -> None:
    assert store.query_events() == []
    with pytest.raises(ConfigError, match="since"):
        store.query_events(since="last week")


def test_deleted_events_leave_the_fused_table_on_refresh(filled: Store, unrelated: Article) -> None:
    filled.refresh_fused_events(fuse_events)
    filled.save_extraction(Extraction(article=unrelated))  # re-extracted: no events any more
    assert filled.refresh_fused_events(fuse_events) == 1
    assert [r["location"]["name"] for r in filled.query_events()] == ["Lakki Marwat"]


def test_since_keeps_long_operations_that_reach_into_it(store: Store, wire: Article, unrelated: Article) -> None:
    """The since filter reads start dates from the longest span back: a campaign of ten weeks that
    began long before the bound is still in, a one-day event the day before it is out; a roll-up
    over half a year (left out of the list) does not widen the incidents' bound."""
    campaign = Event(
        id="op", type="Battles", sub_type="Armed clash", evidence=Evidence(0, 4, "text"), actor1="PAK-MIL",
        actor2="TTP", location=NWAZ, date=DateSpan("2024-01-05", "2024-03-20", "range"),
        fatalities=Fatalities(30, 30, 30), confidence=0.7,
    )  # fmt: skip
    roll_up = Event(
        id="agg", type="Battles", sub_type="Armed clash", evidence=Evidence(0, 4, "text"), actor1="TTP",
        aggregate=True, count=Count(600, "over"), date=DateSpan("2023-07-01", "2023-12-31", "range"),
    )  # fmt: skip
    _save(store, wire, _event("w1", 4, LAKKI, "2024-03-14"), roll_up)
    _save(store, unrelated, campaign)
    store.refresh_fused_events(fuse_events)

    def names(**kw: object) -> list[str]:
        return [r["location"]["name"] for r in store.query_events(**kw)]  # type: ignore[arg-type]

    assert names(since="2024-03-15") == ["Miranshah"]
    assert names(since="2024-03-14") == ["Miranshah", "Lakki Marwat"]
    assert names(since="2024-03-21") == []
    assert store.count_events(since="2024-03-15") == 1
    assert [t.events for t in store.tally_events(("type",), since="2024-03-15", until="2024-03-31")] == [1]
    assert [r["id"] for r in store.query_events(since="2023-12-31", aggregate=True) if r["aggregate"]] != []


def test_streamed_events_are_the_listed_events_in_chunks(filled: Store) -> None:
    filled.refresh_fused_events(fuse_events)
    for filters in ({}, {"type": "Battles", "since": "2024-03-10"}, {"aggregate": True}):
        listed = filled.query_events(**filters)  # type: ignore[arg-type]
        chunks = list(filled.iter_events(1, **filters))
        assert [len(c) for c in chunks] == [1] * len(listed)
        assert [r for c in chunks for r in c] == listed
        assert [r for c in filled.iter_events(1000, **filters) for r in c] == listed
    with pytest.raises(ConfigError, match="unknown event filter"):
        list(filled.iter_events(10, colour="red"))


@pytest.mark.parametrize(
    ("start", "end", "days"),
    [("2024-03-10", "2024-03-10", 0), ("2024-03-10", None, 0), ("2024-08", None, 30), ("2024-02", "2024-02", 28),
     ("2023-07-01", "2023-12-31", 183), ("2024", None, 365), (None, "2024-03-01", None), ("2024-02-30", None, None)],
)  # fmt: skip
def test_span_days(start: str | None, end: str | None, days: int | None) -> None:
    from threatscape.store.rows import earliest_start, span_days

    assert span_days(start, end) == days
    assert earliest_start("2024-08", 0) == "2024-07-31" < "2024-08"


def test_windows_are_tallied_as_one_tally_a_window(filled: Store) -> None:
    filled.refresh_fused_events(fuse_events)
    windows = [("2024-03-09", "2024-03-09"), ("2024-03-10", "2024-03-12"), ("2024-03-13", "2024-03-31"),
               ("2023-01-01", "2024-12-31")]  # fmt: skip
    for filters in ({}, {"actor": "PAK-MIL"}, {"aggregate": True}):
        found = filled.tally_windows(windows, **filters)
        assert [t.key for t in found] == windows
        for (since, until), tally in zip(windows, found, strict=True):
            alone = filled.tally_events(since=since, until=until, **filters)
            expected = (alone[0].events, alone[0].fatalities_best, alone[0].fatalities_low, alone[0].fatalities_high)
            assert (tally.events, tally.fatalities_best, tally.fatalities_low, tally.fatalities_high) == expected
    assert [t.events for t in filled.tally_windows(windows)] == [1, 1, 0, 2]
    with pytest.raises(ConfigError, match="until must be a date"):
        filled.tally_windows([("2024-03-01", "")])


def test_actors_are_tallied_on_either_side_and_articles_counted(filled: Store, wire: Article) -> None:
    filled.refresh_fused_events(fuse_events)
    tallies = {t.key: t.events for t in filled.tally_actors()}  # type: ignore[attr-defined]
    assert tallies == {("TTP", "Tehreek-e-Taliban Pakistan"): 2, ("PAK-MIL", "Military of Pakistan"): 1,
                       ("PAK-POL", "Police of Pakistan"): 1}  # fmt: skip
    assert [t.key[0] for t in filled.tally_actors(1)] == ["TTP"]  # type: ignore[attr-defined]
    only = filled.tally_actors(keys=["PAK-POL"], since="2024-03-09")  # type: ignore[attr-defined]
    assert [(t.key[0], t.events, t.fatalities_best) for t in only] == [("PAK-POL", 1, 4)]
    assert filled.tally_actors(keys=[]) == []  # type: ignore[attr-defined]
    assert filled.tally_actors(actor="PAK-MIL")[0].key[0] in ("TTP", "PAK-MIL")  # type: ignore[attr-defined]
    assert filled.count_event_articles() == 4  # type: ignore[attr-defined]  # the wire, its copy, the other, unrelated
    assert filled.count_event_articles(actor="PAK-MIL") == 1  # type: ignore[attr-defined]
    assert filled.count_event_articles(aggregate=True) == 4  # type: ignore[attr-defined]
