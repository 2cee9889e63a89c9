"""Fixtures for ingest tests: a loopback HTTP server and settings that may reach it."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from ingest_loopback import Loopback, start_loopback

from threatscape.settings import Settings


@pytest.fixture
def loopback() -> Iterator[Loopback]:
    state, server = start_loopback()
    try:
        yield state
    finally:
        server.shutdown()
        server.server_close()


@pytest.fixture
def local() -> Settings:
    """Settings that may reach the loopback server, with short timeouts."""
    return Settings(allow_private=True, timeout=2.0, max_redirects=3)
