"""Fixtures for the web UI tests: the demo corpus plus one hostile page, ingested once; the app
over it in-process (``client``) and served by uvicorn on a loopback port (``live_url``)."""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
import uvicorn
from click.testing import CliRunner
from fastapi.testclient import TestClient

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
