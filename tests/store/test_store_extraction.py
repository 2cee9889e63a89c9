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


V1 = {"events": "11111111", "claims": "22222222"}
V2 = {"events": "33333333", "claims": "22222222"}


def test_an_article_and_its_facts_are_stored_together_or_not_at_all(store: SQLStore, wire: Article) -> None:
    broken = dataclasses.replace(
        extraction_of(wire),
        claims=(Claim("bad", None, None, None, "assert", None, False, Evidence(0, 1, "M")),),  # type: ignore[arg-type]
    )
    with pytest.raises(StoreError, match="saving the facts"):
        store.save_extraction(broken, V1)
    assert store.get_article(wire.id) is None and store.count_articles() == 0
    assert _counts(store)["events"] == 0


def test_versions_are_recorded_and_the_same_versions_write_nothing(store: SQLStore, wire: Article) -> None:
    ex = extraction_of(wire)
    assert store.save_extraction(ex, V1).status == "new"
    state = store.article_state(wire.id)
    assert state is not None and state.versions == V1 and state.story_id == wire.id
    emptied = dataclasses.replace(ex, events=(), claims=())
    assert store.save_extraction(emptied, V1).status == "duplicate"  # same versions: nothing written
    assert _counts(store)["events"] == 1
    assert store.save_extraction(emptied, V2).status == "updated"  # other versions: replaced
    assert _counts(store)["events"] == 0
    again = store.article_state(wire.id)
    assert again is not None and again.versions == V2 and again.versions_key != state.versions_key
    assert store.article_state("nope") is None


def test_an_article_stored_without_facts_says_so_until_it_has_them(store: SQLStore, wire: Article) -> None:
    store.add_article(wire)
    state = store.article_state(wire.id)
    assert state is not None and state.versions is None and state.versions_key is None
    assert store.pending_links() == []
    assert store.save_extraction(extraction_of(wire), V1).status == "updated"
    assert store.article_state(wire.id).versions == V1  # type: ignore[union-attr]


def test_outdated_articles_come_in_stored_order_within_dates(
    store: SQLStore, wire: Article, republished: Article, unrelated: Article
) -> None:
    from threatscape.versions import versions_key

    store.save_extraction(Extraction(wire), V1)  # 2024-03-10, up to date
    store.save_extraction(Extraction(republished), V2)  # 2024-03-11, other versions
    store.add_article(unrelated)  # 2024-03-12, no facts
    key = versions_key(V1)
    ids = [republished.id, unrelated.id]  # in the order they were stored
    assert [a.id for a in store.outdated(key)] == ids
    assert store.count_outdated(key) == 2 and store.count_outdated(versions_key(V2)) == 2
    assert [a.id for a in store.outdated(key, after=ids[0])] == ids[1:]
    assert [a.id for a in store.outdated(key, limit=1)] == ids[:1]
    assert [a.id for a in store.outdated(key, since="2024-03-12")] == [unrelated.id]
    assert store.count_outdated(key, until="2024-03-11") == 1


def test_pending_links_until_a_links_pass_takes_them_off(store: SQLStore, wire: Article, unrelated: Article) -> None:
    store.save_extraction(extraction_of(wire), V1)
    store.save_extraction(Extraction(unrelated), V1)
    assert sorted(a.id for a in store.pending_links()) == sorted([wire.id, unrelated.id])
    assert store.set_contested({"rel1": ["c:denial"]}, done=[wire.id]) == 1
    assert [a.id for a in store.pending_links()] == [unrelated.id]
    stored = store.extraction(wire.id)
    assert stored is not None and stored["relations"][0]["contested_by"] == ["c:denial"]
    assert store.set_contested({"rel1": ["c:denial"]}, done=[unrelated.id]) == 0  # idempotent
    assert store.pending_links() == []


def test_replaced_facts_take_back_the_links_they_made(store: SQLStore, wire: Article, unrelated: Article) -> None:
    denial = Claim("c:deny1", "ttp", "TTP", "denied", "deny", "attacks", False, Evidence(0, 8, unrelated.body[:8]))

    def relation() -> tuple[bool, list[str]]:
        stored = store.extraction(wire.id)
        assert stored is not None
        return stored["relations"][0]["contested"], stored["relations"][0]["contested_by"]

    store.save_extraction(extraction_of(wire), V1)
    store.save_extraction(Extraction(unrelated, claims=(denial,)), V1)
    store.set_contested({"rel1": ["c:deny1"]})
    store.save_extraction(Extraction(unrelated), V2)  # re-extracted: the denial is gone
    assert relation() == (False, [])
    store.save_extraction(Extraction(unrelated, claims=(denial,)), V1)
    store.set_contested({"rel1": ["c:deny1", "c:other"]})
    store.save_extraction(Extraction(unrelated), V2)
    assert relation() == (True, ["c:other"])  # what other articles said still stands
