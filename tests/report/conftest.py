"""Fixtures for the report tests: the demo corpus ingested once, and a small synthetic store.

The demo database is the bundled ``examples/`` corpus ingested with the real pipeline. Where the
extractors stored no events or relations (before those extractors existed), the synthetic facts
of ``demo_facts`` are added so every section has something to show.
"""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner
from sqlalchemy import func, select

from threatscape.cli import cli
from threatscape.store import Store, open_store
from threatscape.store import schema as t

from .demo_facts import add_demo_facts

ROOT = Path(__file__).resolve().parents[2]
EXAMPLES = ROOT / "examples"
ASSETS = ROOT / "assets" / "geo"


@pytest.fixture(scope="session")
def demo_db(tmp_path_factory: pytest.TempPathFactory) -> str:
    """The demo corpus ingested into a SQLite file (shared by the session: tests only read it)."""
    path = tmp_path_factory.mktemp("report") / "demo.db"
    result = CliRunner().invoke(cli, ["ingest", str(EXAMPLES), "--db", str(path)], catch_exceptions=False)
    assert result.exit_code in (0, 3), result.output
    store = open_store(str(path))
    try:
        with store._engine.begin() as conn:  # the test writes past the store: facts no extractor made
            if not conn.execute(select(func.count()).select_from(t.events)).scalar():
                add_demo_facts(conn)
    finally:
        store.close()
    return str(path)


@pytest.fixture
def demo_store(demo_db: str) -> Iterator[Store]:
    store = open_store(demo_db)
    yield store
    store.close()


@pytest.fixture
def demo_copy(demo_db: str, tmp_path: Path) -> str:
    """A private copy of the demo database, for tests that write."""
    path = tmp_path / "copy.db"
    shutil.copy(demo_db, path)
    return str(path)


@pytest.fixture(scope="session")
def assets() -> Path:
    if not (ASSETS / "admin1-display.json").is_file():
        pytest.skip("map assets not built (scripts/build-geo-assets.sh)")
    return ASSETS
