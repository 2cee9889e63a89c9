"""List versions, decisions and the review queue in the database; screening actors for the export."""

from __future__ import annotations

from pathlib import Path

import pytest

from threatscape.cli_sanctions import fixture_path
from threatscape.errors import InputError, StoreError
from threatscape.model import Actor, Sanction
from threatscape.resolve.sanctions.lists import SanctionsList, entry_from_dict, entry_to_dict
from threatscape.resolve.sanctions.match import Query
from threatscape.resolve.sanctions.screen import Screener, load_screener, query_key, screen_actors
from threatscape.resolve.sanctions.stored import queue_reviews, save_list, stored_entries, stored_screener
from threatscape.store.sanctions import SanctionsDB


@pytest.fixture
def db(store_url: str):  # type: ignore[no-untyped-def]
    """SQLite, and PostgreSQL when THREATSCAPE_TEST_PG is set (``store_url`` from tests/conftest.py)."""
    store = SanctionsDB.open(store_url)
    yield store
    store.close()


def _next_version(sl: SanctionsList) -> SanctionsList:
    entries = [
        entry_from_dict(entry_to_dict(e) | {"comments": "reviewed"}) if e.ref == "QDi.427" else e
        for e in sl.entries
        if e.ref != "QDe.005"
    ]
    return SanctionsList(sl.name, "2026-12-01", "next.xml", tuple(entries))


def test_versions_are_kept_and_read_back(db: SanctionsDB, fixture_list: SanctionsList) -> None:
    assert save_list(db, fixture_list) is True
    assert save_list(db, fixture_list) is False  # same version: stored once
    assert save_list(db, _next_version(fixture_list)) is True
    assert [v.version for v in db.versions("un-sc")] == ["2026-11-01", "2026-12-01"]
    assert stored_entries(db, "un-sc", "2026-11-01") == list(fixture_list.entries)
    assert len(stored_entries(db, "un-sc")) == len(fixture_list.entries) - 1  # newest by default
    assert db.entries("un-sc", "2026-11-01")[0] == entry_to_dict(fixture_list.entries[0])  # plain rows
    with pytest.raises(InputError, match="no version"):
        db.entries("un-sc", "1999-01-01")
    with pytest.raises(InputError, match="no sanctions list 'ofac'"):
        db.entries("ofac")


def test_screener_needs_a_list(db: SanctionsDB) -> None:
    with pytest.raises(StoreError, match="no sanctions list loaded"):
        stored_screener(db)


def test_decisions_are_stored_and_reused(db: SanctionsDB, fixture_list: SanctionsList) -> None:
    save_list(db, fixture_list)
    screener = stored_screener(db)
    assert stored_screener(db) is screener  # nothing changed: the same screener
    found = screener.screen(Query("Noor Wali"))
    assert found[0].verdict == "review"
    assert queue_reviews(db, found) == 1 and queue_reviews(db, found) == 0
    (item,) = db.pending()
    assert (item.query, item.ref) == ("Noor Wali", "QDi.427")
    key = db.review_item(item.id)
    assert key == (query_key("Noor Wali"), "un-sc", "QDi.427")
    db.decide(*key, "accept")
    assert db.pending() == []
    assert stored_screener(db).best(Query("noor wali")).verdict == "match"  # type: ignore[union-attr]
    db.decide(*key, "reject")  # a later decision replaces the earlier one
    assert stored_screener(db).best(Query("Noor Wali")).verdict == "no_match"  # type: ignore[union-attr]
    with pytest.raises(InputError):
        db.decide(*key, "maybe")


def test_screen_actors_fills_sanctions(fixture_screener: Screener) -> None:
    actors = [
        Actor(id="ttp", name="Tehreek-e-Taliban Pakistan", type="armed_group", aliases=("TTP", "Pakistani Taliban")),
        Actor(id="noor", name="Noor Wali", type="person", country="PK", affiliation="ttp"),
        Actor(id="pti", name="Pakistan Tehreek-e-Insaf", type="political_party", aliases=("PTI",)),
        Actor(id="pk", name="Pakistan", type="state"),
        Actor(id="ik", name="Imran Khan", type="person", affiliation="pti"),
    ]
    out = {a.id: a for a in screen_actors(actors, fixture_screener)}
    assert out["ttp"].sanctions == (Sanction("un-sc", "QDe.132", "TEHRIK-E TALIBAN PAKISTAN", 1.0),)
    assert [s.ref for s in out["noor"].sanctions] == ["QDi.427"]  # confirmed by the affiliation
    assert out["pti"].sanctions == () and out["ik"].sanctions == () and out["pk"] is actors[3]


def test_accepted_reviews_reach_the_export(fixture_list: SanctionsList) -> None:
    actor = Actor(id="noor", name="Noor Wali", type="person")
    reviews: list = []  # type: ignore[type-arg]
    assert screen_actors([actor], Screener(fixture_list.entries), reviews=reviews)[0].sanctions == ()
    assert [(m.query, m.ref, m.verdict) for m in reviews] == [("Noor Wali", "QDi.427", "review")]
    decided = Screener(fixture_list.entries, {(query_key("Noor Wali"), "un-sc", "QDi.427"): "accept"})
    assert [s.ref for s in screen_actors([actor], decided)[0].sanctions] == ["QDi.427"]


def test_load_screener_is_cached(fixture_list: SanctionsList) -> None:
    assert load_screener(fixture_path()) is load_screener(str(fixture_path()))
    with pytest.raises(TypeError):
        load_screener(42)  # type: ignore[arg-type]


def test_a_screener_from_a_list_file_or_a_database(tmp_path: Path, fixture_list: SanctionsList) -> None:
    from threatscape.pipeline import screener_for

    path = str(tmp_path / "screen.db")
    with SanctionsDB.open(path) as store:
        save_list(store, fixture_list)
    screener = screener_for(path)
    assert screener is screener_for(path)
    assert screener.best(Query("TTP")).ref == "QDe.132"  # type: ignore[union-attr]
    assert screener_for(str(fixture_path())).best(Query("TTP")).ref == "QDe.132"  # type: ignore[union-attr]
    with pytest.raises(InputError, match="no such sanctions list file"):
        screener_for(str(tmp_path / "missing.xml"))
