"""Odd things to ingest or write to: special files in a folder, an empty folder, a brief written
into a folder that does not exist. Each gets a one-line reason; the rest of the batch is stored."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
REPORT = "Gunmen attacked a police post in Lakki Marwat, Pakistan, on Friday, killing two constables."


def run(*args: str) -> subprocess.CompletedProcess[str]:
    # a FIFO opened for reading blocks until a writer comes: before the fix this never returned
    return subprocess.run(
        [sys.executable, "-m", "threatscape", *args], capture_output=True, text=True, cwd=ROOT, timeout=120
    )


def stored(db: Path) -> list[dict[str, object]]:
    return json.loads(run("articles", "--db", str(db), "--format", "json").stdout)


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no FIFOs on this system")
def test_a_fifo_and_a_socket_in_a_folder_are_skipped_with_a_reason(tmp_path: Path) -> None:
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "a.txt").write_text(REPORT, encoding="utf-8")
    os.mkfifo(corpus / "pipe.txt")
    sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    sock.bind(str(corpus / "live.sock"))
    try:
        db = tmp_path / "t.db"
        result = run("ingest", str(corpus), "--db", str(db))
    finally:
        sock.close()
    assert result.returncode == 3, result.stderr  # some inputs failed, the rest stored
    assert "pipe.txt: skipped: a FIFO, not a regular file" in result.stderr
    assert "live.sock: skipped: a socket, not a regular file" in result.stderr
    assert len(stored(db)) == 1


def test_a_fifo_named_on_the_command_line_is_not_opened(tmp_path: Path) -> None:
    os.mkfifo(tmp_path / "feed")
    result = run("ingest", str(tmp_path / "feed"), "--db", str(tmp_path / "t.db"))
    assert result.returncode != 0 and "feed: skipped: a FIFO" in result.stderr


def test_an_empty_folder_says_so(tmp_path: Path) -> None:
    empty = tmp_path / "empty"
    empty.mkdir()
    (empty / "README.md").write_text("notes that travel with a corpus", encoding="utf-8")
    result = run("ingest", str(empty), "--db", str(tmp_path / "t.db"))
    assert result.returncode != 0
    assert f"{empty}: folder holds no file to ingest" in result.stderr


def test_a_glob_that_matches_nothing_says_so(tmp_path: Path) -> None:
    result = run("ingest", str(tmp_path / "*.jsonl"), "--db", str(tmp_path / "t.db"))
    assert result.returncode != 0 and "glob matched no files" in result.stderr


def test_a_brief_into_a_missing_folder_is_a_clear_error(tmp_path: Path) -> None:
    db = tmp_path / "t.db"
    (tmp_path / "a.txt").write_text(REPORT, encoding="utf-8")
    run("ingest", str(tmp_path / "a.txt"), "--db", str(db))
    target = tmp_path / "no-such-folder" / "brief.html"
    result = run("report", "--from", "2025-01-01", "--to", "2025-12-31", "--db", str(db), "-o", str(target))
    assert result.returncode == 2
    assert "Traceback" not in result.stderr
    assert f"the folder {target.parent} does not exist" in result.stderr
    assert not target.parent.exists()


def test_a_json_record_with_a_lone_surrogate_is_stored_with_a_replacement_character(tmp_path: Path) -> None:
    # JSON may escape half of a UTF-16 pair ("\ud800"); Python decodes it to a string that cannot
    # be encoded, hashed or stored. Found by tests/hostile/test_fuzz.py; it was a traceback.
    record = {
        "text": "Bandits stole \ud800 three trucks of grain near Sokoto on Sunday.",
        "title": "Grain \udfff theft",
    }
    feed = tmp_path / "records.jsonl"
    feed.write_text(json.dumps(record) + "\n", encoding="ascii")
    db = tmp_path / "t.db"
    result = run("ingest", str(feed), "--db", str(db))
    assert result.returncode == 0, result.stderr
    [article] = stored(db)
    assert article["title"] == "Grain \ufffd theft"
