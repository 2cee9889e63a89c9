"""Shared fixtures: a PostgreSQL server for store tests, a ``store`` on SQLite and PostgreSQL, and
the shared folder beside the repository.

PostgreSQL comes from ``THREATSCAPE_TEST_PG`` (a URL whose role may create databases), e.g. the
one ``scripts/pg-test-server.sh start`` prints. Without it PostgreSQL tests are skipped, unless
``THREATSCAPE_REQUIRE_PG=1`` (CI), which makes them fail instead.

Shared material (``../shared``) works the same way with ``THREATSCAPE_REQUIRE_SHARED=1``: see
``shared_material.py``. A test marked ``shared`` that skips under that variable fails instead,
whatever made it skip.

Hypothesis: the ``ci`` profile (``derandomize=True``, no example database) is loaded when
``HYPOTHESIS_PROFILE=ci`` or ``CI`` is set, as ``.ci/run`` does, so CI tries the same inputs every
run and never flakes; elsewhere each run draws new inputs and remembers the failing ones.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from pathlib import Path

import psycopg
import pytest
from hypothesis import settings as hypothesis_settings
from psycopg import sql
from shared_material import REQUIRE_SHARED_ENV, require_shared
from sqlalchemy.engine import make_url

from threatscape.store import Store, open_store

hypothesis_settings.register_profile("ci", derandomize=True, database=None, print_blob=True)
hypothesis_settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE") or ("ci" if os.environ.get("CI") else "default"))

PG_ENV = "THREATSCAPE_TEST_PG"
REQUIRE_PG_ENV = "THREATSCAPE_REQUIRE_PG"


def _libpq_url(url: str) -> str:
    """A URL psycopg accepts (no ``+psycopg`` driver suffix)."""
    return make_url(url).set(drivername="postgresql").render_as_string(hide_password=False)


@pytest.fixture(scope="session")
def pg_url() -> str:
    """The PostgreSQL server for tests (skips, or fails under THREATSCAPE_REQUIRE_PG=1, without one)."""
    url = os.environ.get(PG_ENV)
    if not url:
        reason = f"{PG_ENV} is not set (run: export {PG_ENV}=$(scripts/pg-test-server.sh start))"
        if os.environ.get(REQUIRE_PG_ENV) == "1":
            pytest.fail(f"{REQUIRE_PG_ENV}=1 but {reason}")
        pytest.skip(reason)
    try:
        with psycopg.connect(_libpq_url(url), connect_timeout=10):
            pass
    except psycopg.Error as exc:
        pytest.fail(f"{PG_ENV} is set but the server cannot be reached: {exc}")
    return url


@pytest.fixture
def pg_fresh_url(pg_url: str) -> Iterator[str]:
    """A URL whose tables live in a new, empty schema of the test database, dropped after the test.

    (A schema, set as the connection's ``search_path``, costs milliseconds; a database, a second.)
    """
    name = f"t_{uuid.uuid4().hex[:16]}"
    admin = _libpq_url(pg_url)
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(sql.SQL("CREATE SCHEMA {}").format(sql.Identifier(name)))
    yield make_url(pg_url).update_query_dict({"options": f"-csearch_path={name}"}).render_as_string(hide_password=False)
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(sql.SQL("DROP SCHEMA IF EXISTS {} CASCADE").format(sql.Identifier(name)))


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def store_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """A fresh, empty database: a SQLite file, then a new PostgreSQL schema."""
    if request.param == "sqlite":
        return str(tmp_path / "threatscape.db")
    return str(request.getfixturevalue("pg_fresh_url"))


@pytest.fixture
def store(store_url: str) -> Iterator[Store]:
    """An open store on a fresh database (SQLite and PostgreSQL)."""
    opened = open_store(store_url)
    yield opened
    opened.close()


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo[None]) -> Iterator[None]:
    """Under THREATSCAPE_REQUIRE_SHARED=1 a skipped test marked ``shared`` is a failure."""
    outcome = yield
    report = outcome.get_result()  # type: ignore[attr-defined]
    if not (report.skipped and require_shared() and item.get_closest_marker("shared")):
        return
    if hasattr(report, "wasxfail"):
        return
    reason = report.longrepr[2] if isinstance(report.longrepr, tuple) else str(report.longrepr)
    report.outcome = "failed"
    report.longrepr = f"{REQUIRE_SHARED_ENV}=1 but this shared test skipped: {reason}"
