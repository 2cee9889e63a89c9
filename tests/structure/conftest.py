"""Shared helpers for the structure tests: fixture pages (the ``shared`` folder: tests/conftest.py)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from threatscape.model import Article, RawDocument
from threatscape.structure import structure_document

REPO = Path(__file__).resolve().parents[2]
FIXTURES = REPO / "tests" / "fixtures" / "structure"


def _structure_fixture(name: str, kind: str = "text") -> list[Article]:
    path = FIXTURES / name
    return structure_document(RawDocument(origin=str(path), kind=kind, content=path.read_text("utf-8")))


@pytest.fixture
def page() -> Callable[..., list[Article]]:
    """Structure a developer-written page under tests/fixtures/structure by file name."""
    return _structure_fixture
