"""Fixtures for the web UI tests: the demo corpus plus one hostile page, ingested once; the app
over it in-process (``client``) and served by uvicorn on a loopback port (``live_url``); a real
browser (``browser``, ``page``).

The browser is Debian's Chromium (``apt-get install chromium``, done by ``.ci/run``) driven by
Playwright; Playwright's own browser download does not work offline. Without it the browser tests
fail, they do not skip. ``page`` fails its test when a request left 127.0.0.1 or the page logged
an error, and saves a screenshot beside the test's temporary files.
"""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Iterator
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


@pytest.fixture(scope="session")
def client(serve_db: str) -> Iterator[TestClient]:
    with TestClient(create_app(serve_db)) as c:
        yield c


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture(scope="session")
def live_url(serve_db: str) -> Iterator[str]:
    port = _free_port()
    server = uvicorn.Server(uvicorn.Config(create_app(serve_db), host="127.0.0.1", port=port, log_level="warning"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 30
    while not server.started:
        assert time.monotonic() < deadline, "the server did not start"
        time.sleep(0.05)
    yield f"http://127.0.0.1:{port}"
    server.should_exit = True
    thread.join(10)


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
