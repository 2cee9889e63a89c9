"""Articles, stories and ingest failures, on SQLite and PostgreSQL."""

from __future__ import annotations

import hashlib

import pytest
from conftest import make_article
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from threatscape.errors import ConfigError, StoreError
from threatscape.model import Article, Caption, IngestFailure
from threatscape.pipeline import story_linker
from threatscape.resolve.duplicates import StoryIndex
from threatscape.store import SQLStore, open_store


def test_same_article_twice_is_stored_once(store: SQLStore, wire: Article) -> None:
    first = store.add_article(wire)
    second = store.add_article(wire)
    assert (first.status, first.story_id) == ("new", wire.id)
    assert (second.status, second.story_id) == ("duplicate", wire.id)
    assert store.count_articles() == 1


def test_near_duplicate_joins_the_story_unrelated_does_not(
    store: SQLStore, wire: Article, republished: Article, unrelated: Article
) -> None:
    linker = story_linker(store)
    store.add_article(wire, linker=linker)
    rerun = store.add_article(republished, linker=linker)
    other = store.add_article(unrelated, linker=linker)
    assert (rerun.status, rerun.story_id) == ("near_duplicate", wire.id)
    assert (other.status, other.story_id) == ("new", unrelated.id)
    assert store.count_articles() == 3
    assert store.story_of(republished.id) == wire.id
    assert store.story_of("nonexistent") is None


def test_story_index_is_rebuilt_from_the_database(store_url: str, wire: Article, republished: Article) -> None:
    with open_store(store_url) as first:
        first.add_article(wire, linker=StoryIndex())
    with open_store(store_url) as second:
        result = second.add_article(republished, linker=StoryIndex())
        assert (result.status, result.story_id) == ("near_duplicate", wire.id)
        assert second.add_article(wire).status == "duplicate"


def test_without_a_linker_every_article_is_its_own_story(store: SQLStore, wire: Article, republished: Article) -> None:
    store.add_article(wire)
    assert store.add_article(republished).status == "new"


def test_another_writer_is_seen(store_url: str, wire: Article, republished: Article) -> None:
    with open_store(store_url) as a, open_store(store_url) as b:
        la, lb = StoryIndex(), StoryIndex()
        a.add_article(make_article("A short unrelated item about flooding in Sindh today.", "Floods"), linker=la)
        b.add_article(make_article("Another short item about a cricket match in Lahore.", "Cricket"), linker=lb)
        a.add_article(wire, linker=la)
        assert b.add_article(republished, linker=lb).story_id == wire.id


def test_short_articles_are_never_near_duplicates(store: SQLStore) -> None:
    one = store.add_article(make_article("Two killed in blast.", "Blast"), linker=story_linker(store))
    two = store.add_article(make_article("Two killed in a blast.", "Blast"), linker=story_linker(store))
    assert (one.status, two.status) == ("new", "new")


def test_article_round_trips(store: SQLStore) -> None:
    article = make_article(
        "Body text here.",
        "Title",
        "2024-01-02",
        updated="2024-01-03",
        url="https://example.com/a",
        source="Example",
        dateline="KARACHI",
        byline="A. Writer",
        origin="notes.txt",
        source_id="r17",
    )
    article = Article(**{**article.__dict__, "summary": ("one", "two"), "captions": (Caption("pic", "AFP"),)})
    store.add_article(article)
    assert store.get_article(article.id) == article


def test_articles_newest_first_and_date_filters(store: SQLStore) -> None:
    dates = {"a": ("2024-01-05", None), "b": (None, "2024-02-10"), "c": ("2023-12-31", None), "d": (None, None)}
    for key, (published, updated) in dates.items():
        store.add_article(
            make_article(f"Body {key}.", f"Title {key}", published, **({"updated": updated} if updated else {}))
        )

    def titles(**kw: object) -> list[str]:
        return [a.title[-1] for a in store.articles(**kw)]  # type: ignore[arg-type]

    assert titles() == ["b", "a", "c", "d"]
    assert titles(since="2024-01-05") == ["b", "a"]
    assert titles(until="2024-01-05") == ["a", "c"]
    assert titles(since="2024-01", until="2024-01") == ["a"]
    assert titles(since="2024") == ["b", "a"]
    assert titles(limit=2) == ["b", "a"]
    with pytest.raises(ConfigError):
        store.articles(since="last week")


def test_get_article_by_unique_prefix(store: SQLStore) -> None:
    a = Article(id="abcdef111111", title="A", body="one")
    b = Article(id="abcdef222222", title="B", body="two")
    store.add_article(a)
    store.add_article(b)
    assert store.get_article("abcdef1") == a
    assert store.get_article("abcde") is None  # too short to be a prefix
    assert store.get_article("abc%") is None
    assert store.get_article("zzzzzzz") is None
    with pytest.raises(StoreError, match="ambiguous"):
        store.get_article("abcdef")


def test_failures_are_kept_in_order_once_each(store: SQLStore) -> None:
    store.record_failure("feed.xml", "not XML")
    store.record_failure("https://example.com/x", "HTTP 404")
    store.record_failure("feed.xml", "not XML")  # the same input failing again on a re-run
    assert store.failures() == [
        IngestFailure("feed.xml", "not XML"),
        IngestFailure("https://example.com/x", "HTTP 404"),
    ]


def test_failure_mid_batch_keeps_what_was_stored(store: SQLStore, wire: Article, unrelated: Article) -> None:
    broken = Article(id="broken0001", title=None, body="no title")  # type: ignore[arg-type]
    for article in (wire, broken, unrelated):
        try:
            store.add_article(article)
        except StoreError as exc:
            store.record_failure(article.id, str(exc))
    assert store.count_articles() == 2
    assert [f.origin for f in store.failures()] == ["broken0001"]
    assert store.get_article(wire.id) == wire


def test_concurrent_insert_of_same_text_reports_duplicate(
    store_url: str, wire: Article, monkeypatch: pytest.MonkeyPatch
) -> None:
    if not store_url.startswith("postgresql"):
        pytest.skip("SQLite writers are serialised (BEGIN IMMEDIATE); the race cannot happen")
    with open_store(store_url) as a, open_store(store_url) as b:
        catch_up = b._catch_up

        def other_writer_first(conn: object, linker: object) -> None:
            a.add_article(wire)  # commits between b's existence check and b's insert
            catch_up(conn, linker)  # type: ignore[arg-type]

        monkeypatch.setattr(b, "_catch_up", other_writer_first)
        result = b.add_article(wire, linker=StoryIndex())
    assert (result.status, result.story_id) == ("duplicate", wire.id)


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    title=st.text(st.characters(blacklist_categories=["Cs"], blacklist_characters="\x00"), max_size=60),
    body=st.text(st.characters(blacklist_categories=["Cs"], blacklist_characters="\x00"), max_size=400),
)
def test_any_text_round_trips(store: SQLStore, title: str, body: str) -> None:
    digest = hashlib.sha256(f"{title}\n{body}".encode()).hexdigest()[:16]
    article = Article(id=digest, title=title, body=body, published="2024-05-01")  # fixture reused: unique ids
    result = store.add_article(article)
    assert result.status in ("new", "near_duplicate", "duplicate")
    assert store.get_article(article.id) == article
    assert store.add_article(article).status == "duplicate"


def test_text_no_database_can_store_is_a_store_error(store: SQLStore) -> None:
    with pytest.raises(StoreError, match="not valid Unicode"):
        store.add_article(Article(id="surrogate01", title="t", body="lone \ud800 surrogate"))
    assert store.count_articles() == 0
