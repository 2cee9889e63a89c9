"""A background mention of an earlier incident ("since the attack on a bus depot in Kalat in
September that killed 14") carries the month, never a day; when the store holds the day's
report of that incident, the two are one fused incident dated the day. Reports are our own."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from threatscape import pipeline
from threatscape.settings import Settings
from threatscape.store import open_store

DAY_REPORT = {
    "id": "depot-day",
    "published": "2024-09-13",
    "source": "Test Wire",
    "title": "Bus depot attack",
    "text": "Gunmen stormed a bus depot in Kalat district of Balochistan late on Thursday, killing 14 "
    "drivers and passengers, police said. The attackers escaped into the hills.",
}
LATER_REPORT = {
    "id": "checkpoint-later",
    "published": "2024-11-20",
    "source": "Test Times",
    "title": "Checkpoint attack",
    "text": "Militants attacked a checkpoint in Mastung district on Tuesday, killing three soldiers, "
    "officials said. The province has been on edge since the attack on a bus depot in Kalat in "
    "September that killed 14 people.",
}


@pytest.fixture(scope="module")
def resources() -> pipeline.Resources:
    return pipeline.Resources()


def _ingest(tmp_path: Path, records: list[dict], resources: pipeline.Resources) -> list[dict]:
    feed = tmp_path / "feed.jsonl"
    feed.write_text("".join(json.dumps(r) + "\n" for r in records), encoding="utf-8")
    with open_store(str(tmp_path / "store.db")) as store:
        pipeline.ingest([str(feed)], store, Settings(), resources=resources)
        return store.query_events()


def _kalat(events: list[dict]) -> list[dict]:
    return [e for e in events if (e["location"] or {}).get("name", "").startswith("Kalat")]


def test_a_passing_mention_alone_carries_the_month(tmp_path: Path, resources: pipeline.Resources) -> None:
    (mention,) = _kalat(_ingest(tmp_path, [LATER_REPORT], resources))
    assert mention["date"] == {"start": "2024-09-01", "end": "2024-09-30", "precision": "month"}
    assert mention["fatalities"]["best"] == 14


def test_a_passing_mention_fuses_with_the_days_report(tmp_path: Path, resources: pipeline.Resources) -> None:
    events = _ingest(tmp_path, [DAY_REPORT, LATER_REPORT], resources)
    (incident,) = _kalat(events)
    assert incident["n_reports"] == 2
    assert incident["date"] == {"start": "2024-09-12", "end": "2024-09-12", "precision": "day"}
    assert incident["location"]["admin1"] == "Balochistan" and incident["fatalities"]["best"] == 14
    assert len(events) == 2  # and the checkpoint attack of the later report, apart
