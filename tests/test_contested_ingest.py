"""An accusation and its denial ingested in separate runs end up linked in the store."""

from __future__ import annotations

from pathlib import Path

from threatscape import pipeline
from threatscape.settings import Settings
from threatscape.store import Store

EXAMPLES = Path(__file__).resolve().parents[1] / "examples"
ACCUSATION = EXAMPLES / "islamabadledger_pakistan_feed.rss"  # item ledger-2024-03-18-fo-strikes
DENIAL = EXAMPLES / "southasiawire_2024-2025_feed.jsonl"  # record saw-2024-03-18-0412


def _contested_accusations(store: Store) -> list[dict]:
    """Contested accusations against Afghanistan's (Taliban) government."""
    out = []
    for art in store.articles():
        record = store.extraction(art.id) or {}
        out += [
            r
            for r in record.get("relations", [])
            if r["predicate"] == "accuses" and r["contested"] and r["object"].startswith("AFG")
        ]
    return out


def test_denial_ingested_later_contests_the_stored_accusation(store: Store) -> None:
    settings = Settings()
    pipeline.ingest([str(ACCUSATION)], store, settings)
    assert _contested_accusations(store) == []  # nobody has denied anything yet
    pipeline.ingest([str(DENIAL)], store, settings)
    contested = _contested_accusations(store)
    assert contested, "the Taliban's denial should contest Pakistan's accusation"
    assert all(r["contested_by"] for r in contested)
    before = len(contested)
    pipeline.ingest([str(DENIAL)], store, settings)  # re-running changes nothing
    assert len(_contested_accusations(store)) == before
