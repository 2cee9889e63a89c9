"""One-sentence inputs (an alert, a wire flash, a one-line brief) are articles whose body is that
sentence, with or without a final stop, as a JSONL record or a text file.

The records in tests/fixtures/ingest/one_sentence.jsonl are our own sentences, one per kind of
event (attacks, bombings, strikes, clashes, abductions, protests, riots, arrests, agreements,
ceasefires ...) and of non-event (statements, denials, sport, weather, economy, accidents ...);
``kind`` says which.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from threatscape.model import Article, IngestFailure
from threatscape.pipeline import read_articles
from threatscape.settings import Settings

FIXTURE = Path(__file__).resolve().parents[1] / "fixtures" / "ingest" / "one_sentence.jsonl"
RECORDS = [json.loads(line) for line in FIXTURE.read_text("utf-8").splitlines() if line.strip()]
NOT_EVENTS = {"sport", "weather", "economy", "election", "health", "culture", "science", "business", "education"}


def test_the_fixture_covers_sentences_with_and_without_a_final_stop() -> None:
    assert len(RECORDS) >= 100 and len({r["kind"] for r in RECORDS}) >= 30
    stops = sum(r["text"].endswith(".") for r in RECORDS)
    assert 40 <= stops <= len(RECORDS) - 40


def test_every_one_sentence_record_is_an_article_with_that_body() -> None:
    items = list(read_articles([str(FIXTURE)], Settings()))
    failures = [i for i in items if isinstance(i, IngestFailure)]
    assert not failures, failures[:3]
    assert [(a.source_id, a.body, a.title) for a in items if isinstance(a, Article)] == [
        (r["id"], r["text"], "") for r in RECORDS
    ]


def test_a_one_sentence_text_file_is_an_article_with_that_body(tmp_path: Path) -> None:
    for r in RECORDS:
        (tmp_path / f"{r['id']}.txt").write_text(r["text"] + "\n", encoding="utf-8")
    items = list(read_articles([str(tmp_path)], Settings()))
    assert [a.body if isinstance(a, Article) else a.reason for a in items] == [r["text"] for r in RECORDS]


def test_furniture_around_the_sentence_and_a_given_title(tmp_path: Path) -> None:
    sentence = "Explosion reported near the grain market in Charsadda"
    page = tmp_path / "flash.txt"
    page.write_text(f"Short Url\n\n{sentence}\n\nFollow\n", encoding="utf-8")
    record = tmp_path / "flash.jsonl"
    record.write_text(json.dumps({"id": "f1", "title": sentence, "text": sentence}) + "\n", encoding="utf-8")
    [from_page, from_record] = read_articles([str(page), str(record)], Settings())
    assert isinstance(from_page, Article) and (from_page.title, from_page.body) == ("", sentence)
    assert isinstance(from_record, Article) and (from_record.title, from_record.body) == (sentence, sentence)


def test_no_text_is_still_no_article(tmp_path: Path) -> None:
    page = tmp_path / "furniture.txt"
    page.write_text("Short Url\nFollow\nUpdated 3 May 2025\n", encoding="utf-8")
    [failure] = read_articles([str(page)], Settings())
    assert isinstance(failure, IngestFailure) and failure.reason.endswith("furniture.txt: no article text found")


def test_one_sentence_records_go_through_extract() -> None:
    run = subprocess.run(
        [sys.executable, "-m", "threatscape", "extract", str(FIXTURE), "--format", "json"],
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert run.returncode == 0, run.stderr[-2000:]
    articles = {a["source_id"]: a for a in json.loads(run.stdout)["articles"]}
    assert list(articles) == [r["id"] for r in RECORDS]
    for art in articles.values():
        for key in ("claims", "quantities", "events", "relations"):
            for fact in art[key]:
                ev = fact["evidence"]
                assert art["body"][ev["start"] : ev["end"]] == ev["text"]
    kinds = {r["id"]: r["kind"] for r in RECORDS}
    calm = [i for i, a in articles.items() if kinds[i] in NOT_EVENTS and a["events"]]
    assert not calm, [articles[i]["body"] for i in calm]
    violent = [a for i, a in articles.items() if kinds[i] in {"attack", "bombing", "clash", "abduction", "arrest"}]
    assert sum(bool(a["events"]) for a in violent) >= 0.75 * len(violent)  # short bodies are read, not skipped
