"""The command line end to end: real files, a real database, real exit codes."""

from __future__ import annotations

import csv
import functools
import http.server
import io
import json
import subprocess
import sys
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from shared_material import shared_path, shared_root

from threatscape.store import open_store

ROOT = Path(__file__).resolve().parents[1]
SEED = shared_root() / "seeds" / "000_ba4cf93637094098.txt"
FIXTURES = Path(__file__).parent / "fixtures"
STRUCTURE_DUMP = next(iter(sorted((FIXTURES / "structure").glob("*.txt"))), None)


def run(*args: str, stdin: bytes | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "threatscape", *args],
        input=stdin.decode() if stdin else None,
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=300,
    )


@pytest.fixture
def dump() -> Path:
    """A page dump written for the tests (the seed when ../shared is there)."""
    if SEED.exists():
        return SEED
    assert STRUCTURE_DUMP is not None
    return STRUCTURE_DUMP


def test_ingest_twice_stores_nothing_new(store_url: str, dump: Path) -> None:
    first = run("ingest", str(dump), "--db", store_url, "--no-extract")
    assert first.returncode == 0, first.stderr
    store = open_store(store_url)
    try:
        count = store.count_articles()
    finally:
        store.close()
    assert count >= 1
    if dump == SEED:
        assert count == 2
        assert first.stderr.startswith("2 new")
    second = run("ingest", str(dump), "--db", store_url, "--no-extract")
    assert second.returncode == 0, second.stderr
    assert second.stderr.startswith(f"0 new, 0 near-duplicate, {count} already stored")
    store = open_store(store_url)
    try:
        assert store.count_articles() == count
    finally:
        store.close()


def test_bad_inputs_are_named_the_rest_is_stored(tmp_path: Path, dump: Path) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "a_good.txt").write_bytes(dump.read_bytes())
    (folder / "b_empty.txt").write_bytes(b"")
    (folder / "c_binary.txt").write_bytes(bytes(range(256)) * 40)
    (folder / "d_corpus.jsonl").write_text(
        '{"id": "r1", "text": "Gunmen attacked a police post in Bannu on '
        'Monday, killing two constables, police said."}\n{not json\n'
    )
    db = tmp_path / "t.db"
    result = run("ingest", str(folder), str(tmp_path / "missing.txt"), "--db", str(db), "--no-extract")
    assert result.returncode == 3
    errors = [line for line in result.stderr.splitlines() if line.startswith("error:")]
    named = " ".join(errors)
    for name in ("b_empty.txt", "c_binary.txt", "d_corpus.jsonl:2", "missing.txt"):
        assert name in named, result.stderr
    assert len(errors) == 4
    store = open_store(str(db))
    try:
        stored = store.count_articles()
    finally:
        store.close()
    assert stored >= 2  # the dump's article(s) and the good JSONL record
    again = run("ingest", str(folder), "--db", str(db), "--no-extract")
    assert again.returncode == 3
    assert " 0 new" in " " + again.stderr.splitlines()[-1]


def test_stdin_and_read_commands(tmp_path: Path) -> None:
    db = str(tmp_path / "s.db")
    record = {
        "id": "wire-7",
        "title": "Convoy ambushed near Parachinar",
        "published": "2024-11-21",
        "source": "Test Wire",
        "url": "https://wire.example/7",
        "text": "PARACHINAR: Gunmen opened fire on a convoy of passenger vehicles near Parachinar on "
        "Thursday, killing at least 38 people, officials said.\nThe convoy was travelling to "
        "Peshawar under police escort.",
    }
    result = run("ingest", "-", "--db", db, "--no-extract", stdin=(json.dumps(record) + "\n").encode())
    assert result.returncode == 0, result.stderr
    rows = json.loads(run("articles", "--db", db, "--format", "json").stdout)
    assert [r["title"] for r in rows] == ["Convoy ambushed near Parachinar"]
    assert rows[0]["source_id"] == "wire-7" and rows[0]["date"] == "2024-11-21"
    found = run("articles", "--db", db, "--search", "convoy escort", "--format", "jsonl").stdout.splitlines()
    assert len(found) == 1
    assert run("articles", "--db", db, "--search", "ceasefire", "--format", "jsonl").stdout.strip() == ""
    assert run("articles", "--db", db, "--since", "2024-12-01", "--format", "jsonl").stdout.strip() == ""
    table = list(csv.DictReader(io.StringIO(run("articles", "--db", db, "--format", "csv").stdout)))
    assert table[0]["dateline"] == "PARACHINAR"
    shown = run("show", rows[0]["id"][:8], "--db", db)
    assert shown.returncode == 0 and "Gunmen opened fire" in shown.stdout and "PARACHINAR:" not in shown.stdout
    missing = run("show", "ffffffffff", "--db", db)
    assert missing.returncode == 1 and missing.stderr.startswith("error: no article")


@pytest.fixture
def page_server() -> Iterator[str]:
    handler = functools.partial(http.server.SimpleHTTPRequestHandler, directory=str(FIXTURES / "ingest"))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()


def test_urls_need_allow_private_for_loopback(tmp_path: Path, page_server: str) -> None:
    db = str(tmp_path / "u.db")
    refused = run("ingest", f"{page_server}/article.html", "--db", db, "--no-extract")
    assert refused.returncode == 3 and "127.0.0.1" in refused.stderr
    allowed = run("ingest", f"{page_server}/article.html", "--db", db, "--no-extract", "--allow-private")
    assert allowed.returncode == 0, allowed.stderr
    assert allowed.stderr.startswith("1 new")


@pytest.mark.shared
def test_extract_prints_the_export_with_evidence() -> None:
    result = run("extract", str(shared_path("seeds", "000_ba4cf93637094098.txt")), "--format", "json")
    assert result.returncode == 0, result.stderr
    export = json.loads(result.stdout)
    assert export["version"] == 1 and len(export["articles"]) == 2
    for art in export["articles"]:
        body = art["body"]
        facts = [f for key in ("claims", "quantities", "events", "relations") for f in art[key]]
        assert facts
        for fact in facts:
            ev = fact["evidence"]
            assert body[ev["start"] : ev["end"]] == ev["text"] and ev["text"]
