"""``threatscape events``: fused incidents from a real database, in every output format."""

from __future__ import annotations

import csv
import io
import json
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from threatscape.acled import ACLED_COLUMNS, CSV_COLUMNS
from threatscape.cli import cli
from threatscape.model import Actor, Article, DateSpan, Event, Evidence, Extraction, Fatalities, Place
from threatscape.store import Store, open_store

ROOT = Path(__file__).resolve().parents[1]
EXAMPLES = ROOT / "examples"
MAKEEN = ("At least 12 soldiers killed as militants storm army post", "16 soldiers martyred in Makeen attack")
JAFFAR = ("Separatists seize train with hundreds aboard", "Militants hijack passenger train")

MAKEEN_PLACE = Place("Makeen", "Pakistan", "PK", "Khyber Pakhtunkhwa", 32.63, 69.85, "point")
ACTORS = (Actor("TTP", "Tehreek-e-Taliban Pakistan", "armed_group", "PAK", ("TTP",)),
          Actor("PAK-MIL", "Military of Pakistan", "military", "PAK"))  # fmt: skip


def _raid(eid: str, toll: int, when: str) -> Event:
    return Event(
        id=eid, type="Battles", sub_type="Armed clash", evidence=Evidence(0, 4, "raid"), actor1="TTP",
        actor2="PAK-MIL", location=MAKEEN_PLACE, date=DateSpan(when, when, "day"),
        fatalities=Fatalities(toll, toll, None), confidence=0.7,
    )  # fmt: skip


@pytest.fixture
def db(store_url: str) -> Iterator[str]:
    """Two outlets' reports of one raid, stored but not yet fused."""
    store = open_store(store_url)
    try:
        for n, (toll, when, outlet) in enumerate(((12, "2024-12-21", "Gulf Courier"), (16, "2024-12-20", "Chronicle"))):
            art = Article(id=f"art{n}", title=f"report {n}", body=f"body {n}", published=when, source=outlet)
            store.add_article(art)
            store.save_extraction(Extraction(article=art, actors=ACTORS, events=(_raid(f"e{n}", toll, when),)))
    finally:
        store.close()
    yield store_url


def invoke(*args: str) -> Any:
    result = CliRunner().invoke(cli, list(args), catch_exceptions=False)
    assert result.exit_code == 0, result.output
    return result


def test_csv_has_acled_columns_and_one_row_per_incident(db: str) -> None:
    out = invoke("events", "--db", db, "--refresh", "--format", "csv").stdout
    reader = csv.DictReader(io.StringIO(out))
    assert tuple(reader.fieldnames or ()) == CSV_COLUMNS
    assert CSV_COLUMNS[: len(ACLED_COLUMNS)] == ACLED_COLUMNS
    [row] = list(reader)
    assert row["event_date"] == "2024-12-20" and row["year"] == "2024" and row["time_precision"] == "1"
    assert (row["event_type"], row["sub_event_type"]) == ("Battles", "Armed clash")
    assert row["disorder_type"] == "Political violence"
    assert (row["actor1"], row["actor2"], row["inter2"]) == ("Tehreek-e-Taliban Pakistan", "Military of Pakistan", "1")
    assert (row["country"], row["iso"], row["location"], row["geo_precision"]) == ("Pakistan", "586", "Makeen", "1")
    assert row["event_id_cnty"].startswith("PAK")
    assert (row["fatalities"], row["fatalities_low"], row["fatalities_high"]) == ("12", "12", "16")
    assert (row["n_sources"], row["n_reports"]) == ("2", "2")
    assert set(row["source"].split("; ")) == {"Gulf Courier", "Chronicle"}
    assert "Gulf Courier (2024-12-21): 12" in row["notes"]


def test_json_geojson_and_filters(db: str) -> None:
    invoke("events", "--db", db, "--refresh", "--format", "json")
    [event] = json.loads(invoke("events", "--db", db, "--format", "json", "--actor", "ttp").stdout)
    assert {s["outlet"] for s in event["sources"]} == {"Gulf Courier", "Chronicle"}
    geo = json.loads(invoke("events", "--db", db, "--format", "geojson").stdout)
    assert geo["type"] == "FeatureCollection"
    [feature] = geo["features"]
    assert feature["geometry"] == {"type": "Point", "coordinates": [69.85, 32.63]}
    assert feature["properties"]["fatalities_high"] == 16
    assert json.loads(invoke("events", "--db", db, "--format", "json", "--type", "Protests").stdout) == []
    assert json.loads(invoke("events", "--db", db, "--format", "json", "--since", "2024-12-22").stdout) == []
    assert (
        len(json.loads(invoke("events", "--db", db, "--format", "json", "--admin1", "khyber pakhtunkhwa").stdout)) == 1
    )
    table = invoke("events", "--db", db)
    assert "Makeen" in table.stdout and "1 rows" in table.stderr


def test_bad_date_is_one_line_and_exit_1(db: str) -> None:
    run = subprocess.run([sys.executable, "-m", "threatscape", "events", "--db", db, "--since", "yesterday"],
                         capture_output=True, text=True, cwd=ROOT, timeout=120)  # fmt: skip
    assert run.returncode == 1
    assert run.stderr.strip().startswith("error:") and "since" in run.stderr and "Traceback" not in run.stderr


# -- the demo corpus: the designated pairs -----------------------------------------------------


def _ids(store: Store, titles: tuple[str, ...]) -> list[str]:
    found = {a.title: a.id for a in store.articles()}
    return [next(i for t, i in found.items() if t.startswith(prefix)) for prefix in titles]


def _touching(events: list[dict[str, Any]], ids: list[str]) -> list[dict[str, Any]]:
    return [e for e in events if {s["article_id"] for s in e["sources"]} & set(ids)]


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Store, list[dict[str, Any]]]]:
    """The demo corpus ingested once (SQLite: the tests above cover PostgreSQL), then fused."""
    db = str(tmp_path_factory.mktemp("corpus") / "threatscape.db")
    files = [str(p) for p in sorted(EXAMPLES.iterdir()) if p.suffix in (".txt", ".html", ".jsonl", ".rss")]
    run = subprocess.run([sys.executable, "-m", "threatscape", "ingest", *files, "--db", db],
                         capture_output=True, text=True, cwd=ROOT, timeout=600)  # fmt: skip
    assert run.returncode == 0, run.stderr
    events = json.loads(invoke("events", "--db", db, "--refresh", "--aggregates", "--format", "json").stdout)
    if not events:
        pytest.skip("no events extracted from the demo corpus yet (extract_events not wired into the pipeline)")
    store = open_store(db)
    yield store, events
    store.close()


def _describe(store: Store, ids: list[str]) -> str:
    lines = []
    for i in ids:
        for e in (store.extraction(i) or {}).get("events", []):
            lines.append(f"{i[:8]} {e['sub_type']} agg={e['aggregate']} at={(e['location'] or {}).get('name')} "
                         f"date={e['date']} fat={e['fatalities']}")  # fmt: skip
    return "\n".join(lines)


def test_makeen_raid_two_outlets_is_one_event_with_toll_range(corpus: tuple[Store, list[dict[str, Any]]]) -> None:
    store, events = corpus
    ids = _ids(store, MAKEEN)
    both = [e for e in events if {s["article_id"] for s in e["sources"]} >= set(ids)]
    assert len(both) == 1, "the Makeen raid is not one fused event of both reports; their events:\n" + _describe(
        store, ids
    )
    [raid] = both
    assert not raid["aggregate"] and raid["n_reports"] == 2
    assert (raid["fatalities"]["low"], raid["fatalities"]["high"]) == (12, 16)
    assert raid["fatalities"]["best"] == 12  # ACLED: the lowest reported figure


def test_jaffar_express_copies_count_as_one_report(corpus: tuple[Store, list[dict[str, Any]]]) -> None:
    store, events = corpus
    ids = _ids(store, JAFFAR)
    assert store.story_of(ids[1]) == store.story_of(ids[0])  # the foundation's near-duplicate story
    touching = _touching(events, ids)
    assert touching, "no event extracted from the Jaffar Express reports"
    assert any({s["article_id"] for s in e["sources"]} == set(ids) for e in touching)
    assert all(e["n_reports"] == 1 for e in touching if {s["article_id"] for s in e["sources"]} <= set(ids))
    per_article = [len((store.extraction(i) or {}).get("events", [])) for i in ids]
    assert len(touching) <= max(per_article), "an incident of the syndicated copies is listed twice:\n" + _describe(
        store, ids
    )
