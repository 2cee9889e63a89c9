"""Shared helpers for the structure tests: fixture pages and the sibling ``shared`` folder."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from threatscape.model import Article, RawDocument
from threatscape.structure import structure_document

REPO = Path(__file__).resolve().parents[2]
FIXTURES = REPO / "tests" / "fixtures" / "structure"
SHARED = REPO / ".." / "shared"


def _structure_fixture(name: str, kind: str = "text") -> list[Article]:
    path = FIXTURES / name
    return structure_document(RawDocument(origin=str(path), kind=kind, content=path.read_text("utf-8")))


@pytest.fixture
def page() -> Callable[..., list[Article]]:
    """Structure a developer-written page under tests/fixtures/structure by file name."""
    return _structure_fixture


@pytest.fixture
def shared() -> Path:
    if not SHARED.is_dir():
        pytest.skip(f"shared material not found at {SHARED.resolve()} (sibling folder 'shared')")
    return SHARED
