"""Fixtures for the web UI tests: the demo corpus plus one hostile page, ingested once; the app
over it in-process (``client``) and served by uvicorn on a loopback port (``live_url``); a real
browser (``browser``, ``page``). ``review_db`` is a fresh copy, for each test, of that database
with the bundled sanctions list loaded and matches awaiting review (``REVIEW_NAMES`` screened as
``threatscape sanctions match`` does, plus one queued row carrying hostile text); ``review_url``
serves it.

The browser is Debian's Chromium (``apt-get install chromium``, done by ``.ci/run``) driven by
Playwright; Playwright's own browser download does not work offline. Without it the browser tests
fail, they do not skip. ``page`` fails its test when a request left 127.0.0.1 or the page logged
an error, and saves a screenshot beside the test's temporary files.
"""

from __future__ import annotations

import socket
import sqlite3
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import urlsplit

import pytest
import uvicorn
from click.testing import CliRunner
from fastapi.testclient import TestClient
from playwright.sync_api import Browser, Page, sync_playwright

from threatscape.cli import cli
from threatscape.serve.app import create_app

ROOT = Path(__file__).resolve().parents[2]
EXAMPLES = ROOT / "examples"
# our own page, carrying what a hostile site could put in a title, a body, a name and a URL
HOSTILE = {
    "id": "hostile-1",
    "title": 'Gunmen <script>alert("t")</script> raid <img src=x onerror=alert(1)> a checkpoint',
    "url": "javascript:alert(document.cookie)",
    "source": "<b onmouseover=alert(2)>Evil Wire</b>",
    "published": "2025-03-02",
    "text": (
        "Gunmen attacked a police checkpoint in Bannu, Pakistan, on Sunday, killing two policemen. "
        '<script>alert("b")</script> A spokesman for the <a href="javascript:alert(3)">Lashkar</a> '
        "group claimed the attack, police said."
    ),
}


@pytest.fixture(scope="session")
def serve_db(tmp_path_factory: pytest.TempPathFactory) -> str:
    import json

    root = tmp_path_factory.mktemp("serve")
    hostile = root / "hostile.jsonl"
    hostile.write_text(json.dumps(HOSTILE) + "\n", encoding="utf-8")
    path = str(root / "demo.db")
    for source in (EXAMPLES, hostile):
        result = CliRunner().invoke(cli, ["ingest", str(source), "--db", path], catch_exceptions=False)
        assert result.exit_code in (0, 3), result.output
    return path


# names the bundled list holds too loosely to call: each is queued for review
REVIEW_NAMES = ("Noor Wali", "Masood Azhar", "Amir Khan")
HOSTILE_REVIEW = {
    "query": 'Noor <script>alert("r")</script> Wali',
    "explanation": "listed name '<img src=x onerror=alert(5)>': words noor=noor",
}


def _copy(source: str, target: str) -> None:
    """A consistent copy of an SQLite database in WAL mode (the backup API, not a file copy)."""
    with sqlite3.connect(source) as src, sqlite3.connect(target) as dst:
        src.backup(dst)
    src.close()
    dst.close()


@pytest.fixture(scope="session")
def review_template(serve_db: str, tmp_path_factory: pytest.TempPathFactory) -> str:
    from threatscape.cli_sanctions import fixture_path
    from threatscape.resolve.sanctions.screen import query_key
    from threatscape.resolve.sanctions.stored import Review
    from threatscape.store.sanctions import SanctionsDB

    path = str(tmp_path_factory.mktemp("review") / "review.db")
    _copy(serve_db, path)
    runner = CliRunner()
    for args in (["load", str(fixture_path())], ["match", *REVIEW_NAMES, "--limit", "1", "--format", "json"]):
        result = runner.invoke(cli, ["sanctions", *args, "--db", path], catch_exceptions=False)
        assert result.exit_code == 0, result.output
    q = HOSTILE_REVIEW["query"]
    hostile = Review(q, query_key(q), "un-sc", "QDi.427", "NOOR WALI MEHSUD", 0.7, HOSTILE_REVIEW["explanation"])
    with SanctionsDB.open(path) as store:
        store.queue([hostile])
        assert len(store.pending()) == len(REVIEW_NAMES) + 1
    return path


@pytest.fixture
def review_db(review_template: str, tmp_path: Path) -> str:
    path = str(tmp_path / "review.db")
    _copy(review_template, path)
    return path


@pytest.fixture(scope="session")
def client(serve_db: str) -> Iterator[TestClient]:
    with TestClient(create_app(serve_db)) as c:
        yield c


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@contextmanager
def _served(db: str) -> Iterator[str]:
    port = _free_port()
    server = uvicorn.Server(uvicorn.Config(create_app(db), host="127.0.0.1", port=port, log_level="warning"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 30
    while not server.started:
        assert time.monotonic() < deadline, "the server did not start"
        time.sleep(0.05)
    yield f"http://127.0.0.1:{port}"
    server.should_exit = True
    thread.join(10)


@pytest.fixture(scope="session")
def live_url(serve_db: str) -> Iterator[str]:
    with _served(serve_db) as url:
        yield url


@pytest.fixture
def review_url(review_db: str) -> Iterator[str]:
    with _served(review_db) as url:
        yield url


CHROMIUM = Path("/usr/bin/chromium")
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--disable-sync", "--no-first-run"]  # fmt: skip


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    assert CHROMIUM.exists(), "Chromium is needed at /usr/bin/chromium (apt-get install chromium)"
    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        yield b
        b.close()


@pytest.fixture
def page(browser: Browser, tmp_path: Path, request: pytest.FixtureRequest) -> Iterator[Page]:
    context = browser.new_context()
    pg = context.new_page()
    outside: list[str] = []
    errors: list[str] = []
    pg.on("request", lambda r: outside.append(r.url) if urlsplit(r.url).hostname != "127.0.0.1" else None)
    pg.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    pg.on("pageerror", lambda e: errors.append(str(e)))
    yield pg
    pg.screenshot(path=str(tmp_path / f"{request.node.name}.png"), full_page=True)
    context.close()
    assert outside == [], f"requests left 127.0.0.1: {outside}"
    assert errors == [], f"console errors: {errors}"
