"""Fetches a careful user expects to stop: a redirect to the cloud metadata address even with
allow_private, and a server that trickles its body so no single read ever times out."""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from threatscape.errors import ConfigError, FetchError, UnsafeURLError
from threatscape.ingest.fetch import check_url, fetch
from threatscape.settings import Settings, load_settings


@pytest.mark.parametrize(
    "address",
    ["169.254.169.254", "169.254.1.1", "fe80::1", "::ffff:169.254.169.254", "fd00:ec2::254", "100.100.100.200"],
)
def test_link_local_and_metadata_addresses_are_refused_even_with_allow_private(address: str) -> None:
    with pytest.raises(UnsafeURLError, match="link-local or metadata"):
        check_url("http://metadata.example/latest/", Settings(allow_private=True), resolver=lambda h, p: [address])


def test_loopback_is_still_allowed_with_allow_private() -> None:
    check_url("http://127.0.0.1:8080/", Settings(allow_private=True))


@pytest.fixture
def redirector() -> Iterator[tuple[str, list[str]]]:
    """A loopback server whose every page redirects to the cloud metadata service."""
    hits: list[str] = []

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:  # noqa: N802 - http.server's naming
            hits.append(self.path)
            self.send_response(302)
            self.send_header("Location", "http://169.254.169.254/latest/meta-data/")
            self.send_header("Content-Length", "0")
            self.end_headers()

        def log_message(self, *args: object) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_address[1]}/story", hits
    server.shutdown()
    server.server_close()


def test_a_redirect_to_the_metadata_address_is_not_followed(redirector: tuple[str, list[str]]) -> None:
    url, hits = redirector
    with pytest.raises(UnsafeURLError, match="169.254.169.254"):
        fetch(url, Settings(allow_private=True, timeout=2.0))
    assert hits == ["/story"]


@pytest.fixture
def trickle() -> Iterator[str]:
    """A server that sends headers, then one body byte every 0.2 s for 30 s."""
    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen()
    stop = threading.Event()

    def serve() -> None:
        conn, _ = server.accept()
        with conn:
            conn.sendall(b"HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: 150\r\n\r\n")
            for _ in range(150):
                if stop.wait(0.2):
                    return
                try:
                    conn.sendall(b"x")
                except OSError:
                    return

    thread = threading.Thread(target=serve, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.getsockname()[1]}/slow"
    stop.set()
    server.close()


def test_a_trickling_server_is_cut_off_at_the_fetch_deadline(trickle: str) -> None:
    # each read comes well inside the 5 s read timeout; only the whole-fetch deadline can stop it
    started = time.monotonic()
    with pytest.raises(FetchError, match="deadline of 1s"):
        fetch(trickle, Settings(allow_private=True, timeout=5.0, fetch_deadline=1.0))
    assert time.monotonic() - started < 20  # far from the 30 s the body would take


def test_the_deadline_must_be_positive(tmp_path: Path) -> None:
    config = tmp_path / "t.toml"
    config.write_text("fetch_deadline = 0\n", encoding="utf-8")
    with pytest.raises(ConfigError, match="fetch_deadline"):
        load_settings(config)
