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
