"""``threatscape reextract``: stored articles extracted again after an upgrade; idempotent,
resumable after SIGKILL, bounded by dates, with progress on a terminal and quiet in pipes.

The "older release" is a store whose articles record other extractor versions and hold none of
their facts (their links and fused events worked out from that): ``reextract`` must bring it to
exactly what a clean ingest with the installed extractors stores.
"""

from __future__ import annotations

import os
import pty
import random
import re
import shutil
import sqlite3
import time
from pathlib import Path

import pytest
from click.testing import CliRunner
from forked_cli import kill_after, kill_when, run, warm_up
from store_dump import dump_store

from threatscape import pipeline
from threatscape.cli import cli
from threatscape.model import Extraction
from threatscape.settings import Settings
from threatscape.store import open_store
from threatscape.versions import extractor_versions, versions_key

EXAMPLES = Path(__file__).resolve().parents[1] / "examples"
# Nine articles from March 2024 to March 2025, an accusation (the feed) and its denial (the JSONL).
CORPUS = [str(EXAMPLES / "islamabadledger_pakistan_feed.rss"), str(EXAMPLES / "southasiawire_2024-2025_feed.jsonl")]
OLD = {name: "00000000" for name in extractor_versions()}  # what an older release recorded
KILLS = 5  # at moments spread over a clean run
MIDWAY = 2  # as soon as the store shows the run half-way through the articles
SEED = 1207


@pytest.fixture(scope="module")
def stores(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """``fresh``: the corpus ingested now; ``old``: the same articles as an older release left them."""
    folder = tmp_path_factory.mktemp("reextract")
    resources = pipeline.Resources()
    paths = {"fresh": folder / "fresh.db", "old": folder / "old.db"}
    for path in paths.values():
        with open_store(str(path)) as store:
            pipeline.ingest(CORPUS, store, Settings(), resources=resources)
    with open_store(str(paths["old"])) as store:
        for article in store.articles():
            store.save_extraction(Extraction(article), OLD)
        pipeline.refresh(store)
        assert store.query_events() == [] and store.count_outdated(versions_key(extractor_versions())) == 9
    return paths


@pytest.fixture
def old(stores: dict[str, Path], tmp_path: Path) -> Path:
    path = tmp_path / "old.db"
    shutil.copy(stores["old"], path)
    return path


def _refreshed_at(db: Path) -> list[str]:
    with sqlite3.connect(db) as conn:
        return [r[0] for r in conn.execute("SELECT refreshed_at FROM fused_events ORDER BY id")]


def test_reextract_stores_what_a_fresh_ingest_stores(stores: dict[str, Path], old: Path) -> None:
    with open_store(str(old)) as store:
        report = pipeline.reextract(store, resources=pipeline.Resources(), batch=4)
    assert (report.outdated, report.extracted) == (9, 9)
    assert report.refreshed is not None and report.refreshed.fused > 0 and report.refreshed.contested > 0
    assert dump_store(old) == dump_store(stores["fresh"])


def test_a_second_run_does_nothing_and_says_so(old: Path) -> None:
    first = CliRunner().invoke(cli, ["reextract", "--db", str(old)], catch_exceptions=False)
    assert first.exit_code == 0 and "9 of 9 articles extracted again" in first.stderr
    before, stamps = dump_store(old), _refreshed_at(old)
    again = CliRunner().invoke(cli, ["reextract", "--db", str(old)], catch_exceptions=False)
    assert again.exit_code == 0
    assert again.stderr.startswith("nothing to do: every article in ") and again.stdout == ""
    assert dump_store(old) == before and _refreshed_at(old) == stamps  # not even the fused events rewritten


def test_since_and_until_bound_the_article_date(old: Path) -> None:
    key = versions_key(extractor_versions())
    with open_store(str(old)) as store:
        in_2025 = store.count_outdated(key, since="2025")
        report = pipeline.reextract(store, since="2025-01", until="2025-12-31", resources=pipeline.Resources())
        assert report.outdated == report.extracted == in_2025 and 0 < in_2025 < 9
        assert store.count_outdated(key) == 9 - in_2025
        assert all((a.date or "") < "2025" for a in store.outdated(key))
        assert pipeline.reextract(store, since="2025").outdated == 0


def test_progress_on_a_terminal_and_nothing_but_the_summary_in_a_pipe(old: Path, tmp_path: Path) -> None:
    piped = CliRunner().invoke(cli, ["reextract", "--db", str(old), "--until", "2024-06"], catch_exceptions=False)
    assert piped.stderr.splitlines()[0].endswith(f"articles dated up to 2024-06 extracted again -> {old}")
    assert "extracting again" not in piped.stderr and len(piped.stderr.splitlines()) == 2

    warm_up()
    master, terminal = pty.openpty()
    try:
        code = run(["reextract", "--db", str(old)], tmp_path / "tty.log", tty=terminal)
        os.close(terminal)
        shown = b""
        while chunk := _read(master):
            shown += chunk
    finally:
        os.close(master)
    assert code == 0
    assert b"extracting again" in shown  # the bar, drawn on the terminal
    assert re.search(rb"(?<!\d)(\d+) of \1 articles extracted again", shown), shown.decode()[-400:]


def _read(fd: int) -> bytes:
    try:
        return os.read(fd, 65536)
    except OSError:  # the terminal's other end is closed: all read
        return b""


def test_a_reextract_killed_at_any_moment_is_finished_by_the_next_run(
    stores: dict[str, Path], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("THREATSCAPE_BATCH_SIZE", "2")
    expected = dump_store(stores["fresh"])
    warm_up()
    timed = tmp_path / "timed.db"
    shutil.copy(stores["old"], timed)
    started = time.monotonic()
    assert run(["reextract", "--db", str(timed)], tmp_path / "timed.log") == 0
    duration = time.monotonic() - started
    assert dump_store(timed) == expected

    rng = random.Random(SEED)
    key = versions_key(extractor_versions())

    def outdated(db: Path) -> int:
        with open_store(str(db)) as store:
            return store.count_outdated(key)

    # Most of a run is starting up and fusing, so a moment drawn over its duration often lands
    # before or after the articles; the last kills wait for the store to show some done and not all.
    midway = 0
    for n in range(KILLS + MIDWAY):
        db, log = tmp_path / f"kill{n}.db", tmp_path / f"kill{n}.log"
        shutil.copy(stores["old"], db)
        if n < KILLS:
            delay = (n + rng.random()) * duration / KILLS
            kill_after(["reextract", "--db", str(db)], log, delay)
            moment = f"after {delay:.2f}s of {duration:.2f}s"
        else:
            assert kill_when(["reextract", "--db", str(db)], log, lambda db=db: 0 < outdated(db) < 9), log.read_text()
            moment = "half-way through the articles"
        midway += 0 < outdated(db) < 9
        assert run(["reextract", "--db", str(db)], log) == 0, log.read_text()
        assert dump_store(db) == expected, f"killed {moment}"
    assert midway >= MIDWAY, f"only {midway} of {KILLS + MIDWAY} kills stopped a run half-way through the articles"
