"""Extracted facts: stored per article, replaced idempotently, read back in the export shape."""

from __future__ import annotations

import dataclasses

import pytest
from sqlalchemy import func, select

from threatscape.errors import StoreError
from threatscape.export import export_article
from threatscape.model import (
    Actor,
    Article,
    Claim,
    DateSpan,
    Event,
    Evidence,
    Extraction,
    Fatalities,
    Mention,
    Place,
    Quantity,
    Relation,
    Sanction,
)
from threatscape.store import SQLStore
from threatscape.store import schema as t


def _ev(body: str, text: str) -> Evidence:
    start = body.index(text)
    return Evidence(start, start + len(text), text, "test/1")


def extraction_of(article: Article) -> Extraction:
    body = article.body
    ttp = Actor(
        "ttp",
        "Tehreek-e-Taliban Pakistan",
        "armed_group",
        "Pakistan",
        ("TTP", "Pakistani Taliban"),
        sanctions=(Sanction("UN", "QDe.132", "Tehrik-e Taliban Pakistan", 0.93),),
    )
    police = Actor("police-pk", "Pakistani police", "military", "Pakistan")
    event = Event(
        "ev1",
        "Battles",
        "Armed clash",
        _ev(body, "Militants stormed a police checkpoint"),
        plover="ASSAULT",
        actor1="ttp",
        actor2="police-pk",
        location=Place("Lakki Marwat", "Pakistan", "PK", "Khyber Pakhtunkhwa", 32.6, 70.9, "point"),
        date=DateSpan("2024-03-10", "2024-03-10", "day"),
        fatalities=Fatalities(4, 4, 4),
        reported_by="police-pk",
        confidence=0.8,
    )
    claim = Claim(
        "cl1",
        "ttp",
        "The banned Tehreek-e-Taliban Pakistan",
        "claimed",
        "claim_responsibility",
        "the assault",
        False,
        _ev(body, "claimed responsibility for the assault"),
    )
    relation = Relation(
        "rel1",
        "ttp",
        "attacks",
        "police-pk",
        _ev(body, "Attacks on police"),
        date=DateSpan("2022-11-01", None, "range"),
    )
    quantity = Quantity(2.0, _ev(body, "nearly two hours"), unit="hour", qualifier="nearly")
    mentions = (Mention("ttp", _ev(body, "Tehreek-e-Taliban Pakistan")), Mention("police-pk", _ev(body, "police")))
    return Extraction(article, (ttp, police), mentions, (event,), (claim,), (relation,), (quantity,))


def _counts(store: SQLStore) -> dict[str, int]:
    with store._engine.connect() as conn:
        tables = (t.articles, t.actors, *t.FACT_TABLES)
        return {tb.name: conn.execute(select(func.count()).select_from(tb)).scalar_one() for tb in tables}


def test_save_extraction_round_trips_the_export(store: SQLStore, wire: Article) -> None:
    ex = extraction_of(wire)
    store.save_extraction(ex)  # the article was not stored: it is added
    stored = store.extraction(wire.id)
    exported = export_article(ex)
    assert stored is not None and stored["story_id"] == wire.id
    for key in ("events", "claims", "relations", "quantities", "actors", "title", "body", "captions"):
        assert stored[key] == exported[key], key
    assert store.extraction("nope") is None


def test_event_columns_are_filled(store: SQLStore, wire: Article) -> None:
    store.save_extraction(extraction_of(wire))
    with store._engine.connect() as conn:
        row = conn.execute(select(t.events)).one()._mapping
    assert (row["type"], row["sub_type"], row["plover"], row["actor1"], row["actor2"]) == (
        "Battles",
        "Armed clash",
        "ASSAULT",
        "ttp",
        "police-pk",
    )
    assert (row["country"], row["admin1"], row["location_name"], row["lat"]) == (
        "Pakistan",
        "Khyber Pakhtunkhwa",
        "Lakki Marwat",
        32.6,
    )
    assert (row["date_start"], row["date_precision"], row["fatalities_best"], row["aggregate"]) == (
        "2024-03-10",
        "day",
        4,
        False,
    )
    assert wire.body[row["ev_start"] : row["ev_end"]] == "Militants stormed a police checkpoint"


def test_save_extraction_is_idempotent(store: SQLStore, wire: Article) -> None:
    ex = extraction_of(wire)
    store.add_article(wire)
    store.save_extraction(ex)
    once, first = _counts(store), store.extraction(wire.id)
    store.save_extraction(ex)
    assert _counts(store) == once
    assert store.extraction(wire.id) == first
    assert once["article_actors"] == 2 and once["events"] == 1 and once["actors"] == 2


def test_new_extraction_replaces_the_facts_and_updates_actors(store: SQLStore, wire: Article) -> None:
    ex = extraction_of(wire)
    store.save_extraction(ex)
    renamed = dataclasses.replace(ex.actors[0], name="TTP")
    store.save_extraction(dataclasses.replace(ex, actors=(renamed,), events=(), mentions=ex.mentions[:1]))
    stored = store.extraction(wire.id)
    assert stored is not None
    assert stored["events"] == [] and len(stored["claims"]) == 1
    assert [a["name"] for a in stored["actors"]] == ["TTP"]


def test_failed_save_keeps_the_earlier_facts(store: SQLStore, wire: Article, unrelated: Article) -> None:
    store.save_extraction(extraction_of(wire))
    before = store.extraction(wire.id)
    broken = dataclasses.replace(
        extraction_of(wire),
        events=(),
        claims=(
            Claim("bad", None, None, None, "assert", None, False, Evidence(0, 1, "M")),  # type: ignore[arg-type]
        ),
    )
    with pytest.raises(StoreError, match="saving the facts"):
        store.save_extraction(broken)
    assert store.extraction(wire.id) == before
    store.add_article(unrelated)  # the store goes on working
    assert store.count_articles() == 2
