"""``pipeline.ingest`` completes what an earlier run left: articles without facts, or with facts
from other extractor versions; fused events and contested links follow."""

from __future__ import annotations

from pathlib import Path

import pytest

from threatscape import pipeline
from threatscape.model import Extraction
from threatscape.settings import Settings
from threatscape.store import SQLStore, open_store
from threatscape.versions import extractor_versions

EXAMPLES = Path(__file__).resolve().parents[1] / "examples"
FEED = EXAMPLES / "southasiawire_2024-2025_feed.jsonl"  # five records, one denial among them
RESOURCES = pipeline.Resources()


@pytest.fixture
def store(tmp_path: Path) -> SQLStore:
    opened = open_store(str(tmp_path / "ingest.db"))
    yield opened  # type: ignore[misc]
    opened.close()


def _facts(store: SQLStore) -> dict[str, int]:
    return {
        a.id: sum(len((store.extraction(a.id) or {}).get(k, [])) for k in ("events", "claims", "relations"))
        for a in store.articles()
    }


def test_a_second_ingest_completes_articles_stored_without_facts(store: SQLStore) -> None:
    first = pipeline.ingest([str(FEED)], store, Settings(), extract=False)
    assert (first.new, first.updated) == (5, 0)
    assert set(_facts(store).values()) == {0} and store.query_events() == []
    second = pipeline.ingest([str(FEED)], store, Settings(), resources=RESOURCES)
    assert (second.new, second.updated, second.duplicates) == (0, 5, 0)
    assert all(_facts(store).values())
    assert store.query_events() and store.pending_links() == []
    third = pipeline.ingest([str(FEED)], store, Settings(), resources=RESOURCES)
    assert (third.new, third.updated, third.duplicates) == (0, 0, 5)


def test_articles_from_other_extractor_versions_are_extracted_again(store: SQLStore) -> None:
    pipeline.ingest([str(FEED)], store, Settings(), resources=RESOURCES)
    expected = {a.id: store.extraction(a.id) for a in store.articles()}
    old = store.articles()[0]
    store.save_extraction(Extraction(old), extractor_versions() | {"events": "00000000"})  # an older release
    assert store.extraction(old.id)["events"] == []  # type: ignore[index]
    report = pipeline.ingest([str(FEED)], store, Settings(), resources=RESOURCES)
    assert (report.updated, report.duplicates) == (1, 4)
    assert {a.id: store.extraction(a.id) for a in store.articles()} == expected
    state = store.article_state(old.id)
    assert state is not None and state.versions == extractor_versions()


def test_every_fact_stored_names_an_installed_extractor_version(store: SQLStore) -> None:
    pipeline.ingest([str(FEED)], store, Settings(), resources=RESOURCES)
    labels = {f"{name}/{version}" for name, version in extractor_versions().items()}
    for article in store.articles():
        record = store.extraction(article.id) or {}
        for kind in ("events", "claims", "relations", "quantities"):
            names = {f["evidence"]["extractor"] for f in record[kind]}
            assert {n.partition("+")[0] for n in names} <= labels, kind
            # an event the learned layer spoke on names the model's version after a "+"
            models = {n.partition("+")[2] for n in names} - {""}
            assert models <= ({RESOURCES.event_encoder.version} if RESOURCES.event_encoder else set()), kind
