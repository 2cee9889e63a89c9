"""Full-text search: finds by title and body words, and no typed string can break it."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from threatscape.model import Article
from threatscape.store import SQLStore
from threatscape.store.search import fts5_query

HOSTILE = [
    "AND(",
    '"',
    'checkpoint AND( "',
    "NEAR(police checkpoint)",
    "police*",
    "title:police",
    "-police",
    "^police",
    "'; DROP TABLE articles; --",
    "police OR",
    "OR",
    "((((",
    "a:b:c",
    "\x00",
    "police\x00checkpoint",
    "",
    "   ",
    "ﬁ ﬂ 警察",
]


@pytest.fixture
def filled(store: SQLStore, wire: Article, unrelated: Article) -> SQLStore:
    store.add_article(wire)
    store.add_article(unrelated)
    return store


def _ids(store: SQLStore, search: str) -> set[str]:
    return {a.id for a in store.articles(search=search)}


def test_search_finds_title_and_body_words(filled: SQLStore, wire: Article, unrelated: Article) -> None:
    assert _ids(filled, "checkpoint") == {wire.id}  # title and body
    assert _ids(filled, "grenades") == {wire.id}  # body only
    assert _ids(filled, "Waziristan operation") == {unrelated.id}
    assert _ids(filled, "Khyber Pakhtunkhwa") == {wire.id, unrelated.id}
    assert _ids(filled, "grenades hideout") == set()  # every word must match
    assert _ids(filled, "grenades or hideout") == {wire.id, unrelated.id}
    assert _ids(filled, '"Lakki Marwat"') == {wire.id}
    assert _ids(filled, "Taliban") == {wire.id, unrelated.id}


def test_search_combines_with_filters(filled: SQLStore, unrelated: Article) -> None:
    assert [a.id for a in filled.articles(search="Pakistan", since="2024-03-12")] == [unrelated.id]
    assert len(filled.articles(search="Pakistan", limit=1)) == 1


def test_search_pages_and_counts(filled: SQLStore) -> None:
    everything = [a.id for a in filled.articles(search="Pakistan")]
    assert len(everything) == 2 == filled.count_articles(search="Pakistan")
    pages = [a.id for n in range(3) for a in filled.articles(search="Pakistan", limit=1, offset=n)]
    assert pages == everything  # each once, in order, and the third page is empty
    assert filled.count_articles(search="grenades") == 1
    assert filled.count_articles(search='"') == 0  # no words: nothing, as articles() finds


@pytest.mark.parametrize("query", HOSTILE)
def test_hostile_search_strings_do_not_crash(filled: SQLStore, query: str) -> None:
    found = filled.articles(search=query)
    assert isinstance(found, list)
    assert filled.count_articles() == 2


def test_hostile_strings_still_search_their_words(filled: SQLStore, wire: Article) -> None:
    assert _ids(filled, 'grenades AND( "') == {wire.id}
    assert _ids(filled, "grenades*") == {wire.id}
    assert _ids(filled, "(grenades)") == {wire.id}


@given(st.text(max_size=40))
def test_any_string_gives_a_valid_fts5_query(query: str) -> None:
    fts = fts5_query(query)
    assert fts is None or fts.startswith('"') and fts.endswith('"')


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.text(max_size=30))
def test_no_search_string_crashes(filled: SQLStore, query: str) -> None:
    assert len(filled.articles(search=query)) <= 2
