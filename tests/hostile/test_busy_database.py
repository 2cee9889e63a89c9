"""Another process holds the SQLite write lock (a backup tool, a second ingest, a reviewer's
session left open). A run waits for it with growing pauses and goes on once it is free; past the
``db_busy_limit`` setting it stops with an error naming the database, and nothing is lost."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
REPORTS = [
    "Militants fired rockets at an army camp near Wana, Pakistan, on Sunday, wounding four soldiers.",
    "Police in Quetta, Pakistan, said on Monday that a roadside bomb killed a driver and his son.",
]

# holds SQLite's write lock (as BEGIN IMMEDIATE does) for argv[2] seconds, saying so once it has it
HOLDER = """
import sqlite3, sys, time
db = sqlite3.connect(sys.argv[1], isolation_level=None, timeout=30)
db.execute("BEGIN IMMEDIATE")
print("held", flush=True)
time.sleep(float(sys.argv[2]))
db.execute("COMMIT")
"""


def run(*args: str, **env: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "threatscape", *args],
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=300,
        env={**os.environ, **env},
    )


@contextmanager
def write_lock_held(db: Path, seconds: float) -> Iterator[subprocess.Popen[str]]:
    holder = subprocess.Popen([sys.executable, "-c", HOLDER, str(db), str(seconds)], stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == "held"
        yield holder
    finally:
        holder.kill()
        holder.wait()


def corpus(tmp_path: Path) -> Path:
    folder = tmp_path / "corpus"
    folder.mkdir()
    for i, text in enumerate(REPORTS):
        (folder / f"r{i}.txt").write_text(text, encoding="utf-8")
    return folder


def stored(db: Path) -> int:
    return len(json.loads(run("articles", "--db", str(db), "--format", "json").stdout))


def test_a_run_waits_for_a_write_lock_held_for_fourteen_seconds(tmp_path: Path) -> None:
    db = tmp_path / "t.db"
    folder = corpus(tmp_path)
    assert run("articles", "--db", str(db)).returncode == 0  # the schema is made
    with write_lock_held(db, 14) as holder:  # longer than any single wait: only retrying gets through
        result = run("ingest", str(folder), "--db", str(db), "--no-extract")
        assert holder.poll() == 0  # the holder finished its transaction: the run really waited
    assert result.returncode == 0, result.stderr
    assert "2 new" in result.stderr
    assert stored(db) == 2


def test_past_the_limit_the_error_names_the_database_and_nothing_is_lost(tmp_path: Path) -> None:
    db = tmp_path / "t.db"
    folder = corpus(tmp_path)
    assert run("ingest", str(folder / "r0.txt"), "--db", str(db)).returncode == 0
    with write_lock_held(db, 60):
        result = run("ingest", str(folder), "--db", str(db), THREATSCAPE_DB_BUSY_LIMIT="2")
    assert result.returncode != 0
    line = result.stderr.strip().splitlines()[-1]
    assert str(db) in line and "busy" in line and "db_busy_limit" in line, result.stderr
    assert "Traceback" not in result.stderr
    assert stored(db) == 1  # the first article is still there
    again = run("ingest", str(folder), "--db", str(db))  # the lock is gone: the run completes
    assert again.returncode == 0, again.stderr
    assert stored(db) == 2


def test_the_limit_must_be_positive(tmp_path: Path) -> None:
    result = run("articles", "--db", str(tmp_path / "t.db"), THREATSCAPE_DB_BUSY_LIMIT="0")
    assert result.returncode != 0 and "db_busy_limit" in result.stderr


def test_two_ingests_into_one_file_at_once_both_store_everything(tmp_path: Path) -> None:
    db = tmp_path / "t.db"
    assert run("articles", "--db", str(db)).returncode == 0
    folders = []
    for n in range(2):
        folder = tmp_path / f"corpus{n}"
        folder.mkdir()
        for i in range(6):
            place = ["Gao", "Mopti", "Kidal"][i % 3]
            text = f"Report {n}-{i}: an armed group burned {i + 2} houses in a village near {place}, Mali, on Friday."
            (folder / f"r{i}.txt").write_text(text, encoding="utf-8")
        folders.append(folder)
    env = {**os.environ, "THREATSCAPE_BATCH_SIZE": "1"}  # a commit per article: the writers interleave
    runs = [
        subprocess.Popen(
            [sys.executable, "-m", "threatscape", "ingest", str(f), "--db", str(db)],
            cwd=ROOT,
            env=env,
            stderr=subprocess.PIPE,
            text=True,
        )
        for f in folders
    ]
    for proc in runs:
        _, err = proc.communicate(timeout=300)
        assert proc.returncode == 0, err
    assert stored(db) == 12
