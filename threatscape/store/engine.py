"""From a path or URL to a configured SQLAlchemy engine, and database errors to ``StoreError``.

A plain path (or ``sqlite:///...``) is SQLite: WAL journal, foreign keys on, and transactions
begun explicitly (``BEGIN``, or ``BEGIN IMMEDIATE`` for writes, see ``write_begin``) so SQLite's
own locking, not the driver's guesswork, decides. A write that finds another process holding the
write lock waits: SQLite's busy handler for a second at a time, and between those attempts pauses
that double up to ``MAX_PAUSE_S``, until ``busy_limit`` seconds have passed (the ``db_busy_limit``
setting); then it fails with a ``StoreError`` that names the database and how long it waited. ``postgresql://`` and
``postgresql+<driver>://`` are PostgreSQL through psycopg 3. Messages name the database without
its password.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any
from urllib.parse import quote

from sqlalchemy import Connection, Engine, create_engine, event
from sqlalchemy.engine import URL, make_url
from sqlalchemy.exc import ArgumentError, NoSuchModuleError, OperationalError, SQLAlchemyError
from sqlalchemy.pool import StaticPool

from threatscape.errors import StoreError

__all__ = [
    "BUSY_LIMIT_S",
    "connect_engine",
    "database_errors",
    "display_name",
    "is_database",
    "parse_url",
    "write_begin",
]

BUSY_LIMIT_S = 120.0  # default for the db_busy_limit setting
ATTEMPT_S = 1.0  # SQLite's own busy wait within one attempt
FIRST_PAUSE_S = 0.05
MAX_PAUSE_S = 2.0
PG_CONNECT_TIMEOUT_S = 10
_BEGIN_KEY = "threatscape_begin"


def parse_url(url_or_path: str) -> URL:
    """A SQLAlchemy URL for a path or URL; PostgreSQL URLs get the psycopg (3) driver."""
    text = url_or_path.strip()
    if not text:
        raise StoreError("no database given (an empty path or URL)")
    if "://" not in text:
        if text == ":memory:":
            return make_url("sqlite://")
        return URL.create("sqlite", database=str(Path(text).expanduser().absolute()))
    try:
        url = make_url(text)
    except (ArgumentError, ValueError) as exc:
        raise StoreError(f"not a database URL: {_redact_text(text)}") from exc
    backend = url.get_backend_name()
    if backend in ("postgresql", "postgres"):
        return url.set(drivername="postgresql+psycopg")
    if backend == "sqlite":
        return url.set(drivername="sqlite")
    raise StoreError(f"unsupported database {backend!r} in {display_name(url)} (use a path, sqlite or postgresql)")


def is_database(text: str) -> bool:
    """Whether ``text`` names a database: a URL, or a file that is a SQLite database."""
    if "://" in text:
        return True
    try:
        with open(text, "rb") as fh:
            return fh.read(16) == b"SQLite format 3\x00"
    except OSError:
        return False


def display_name(url: URL) -> str:
    """The database for messages: a SQLite path, or the URL without its password."""
    if url.get_backend_name() == "sqlite":
        return url.database or ":memory:"
    return url.render_as_string(hide_password=True)


def _redact_text(text: str) -> str:
    scheme, sep, rest = text.partition("://")
    creds, at, host = rest.rpartition("@")
    if not at or ":" not in creds:
        return text
    return f"{scheme}{sep}{creds.split(':', 1)[0]}:***@{host}"


def connect_engine(url: URL, busy_limit: float = BUSY_LIMIT_S, *, read_only: bool = False) -> Engine:
    """A configured engine for ``url`` (no connection is opened yet).

    ``busy_limit``: seconds a SQLite write waits for another process's write lock before failing.
    ``read_only``: the database itself refuses every write on the engine's connections (SQLite: the
    file opened with ``mode=ro``; PostgreSQL: ``default_transaction_read_only``).
    """
    try:
        if url.get_backend_name() == "sqlite":
            return _sqlite_engine(url, busy_limit, read_only)
        args: dict[str, Any] = {"connect_timeout": PG_CONNECT_TIMEOUT_S}
        if read_only:  # after the URL's own options (a search_path, say), which this setting would replace
            given = url.query.get("options", "")
            args["options"] = " ".join(filter(None, [given if isinstance(given, str) else " ".join(given),
                                                     "-c default_transaction_read_only=on"]))  # fmt: skip
        return create_engine(url, pool_pre_ping=True, connect_args=args)
    except (ArgumentError, NoSuchModuleError) as exc:
        raise StoreError(f"cannot use {display_name(url)}: {exc}") from exc


def _sqlite_engine(url: URL, busy_limit: float, read_only: bool = False) -> Engine:
    memory = not url.database or url.database == ":memory:"
    attempt = min(ATTEMPT_S, busy_limit)
    kwargs: dict[str, Any] = {"connect_args": {"timeout": attempt, "check_same_thread": False}}
    if memory:
        kwargs["poolclass"] = StaticPool
    elif read_only:  # the file opened read-only (mode=ro); its temporary tables stay writable
        path = quote(str(Path(url.database or "").resolve()))
        url = url.set(database=f"file:{path}", query={**url.query, "mode": "ro", "uri": "true"})
    engine = create_engine(url, **kwargs)

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_conn: Any, _record: Any) -> None:
        dbapi_conn.isolation_level = None  # the driver stops opening transactions on its own
        cur = dbapi_conn.cursor()
        if not memory and not read_only:
            cur.execute("PRAGMA journal_mode=WAL")
        cur.execute("PRAGMA foreign_keys=ON")
        cur.execute(f"PRAGMA busy_timeout={int(attempt * 1000)}")
        if read_only and memory:
            cur.execute("PRAGMA query_only=ON")
        cur.close()

    @event.listens_for(engine, "begin")
    def _on_begin(conn: Connection) -> None:
        statement = conn.info.pop(_BEGIN_KEY, "BEGIN")
        if statement == "BEGIN":  # a deferred transaction takes no lock here (WAL readers never wait)
            conn.exec_driver_sql(statement)
            return
        _begin_when_free(conn, statement, busy_limit, display_name(url))

    return engine


def _is_busy(exc: OperationalError) -> bool:
    reason = str(exc.orig).lower()
    return "database is locked" in reason or "database is busy" in reason


def _begin_when_free(conn: Connection, statement: str, limit: float, name: str) -> None:
    """Run ``statement`` (``BEGIN IMMEDIATE``), trying again with growing pauses while the
    database is locked by another process, for at most ``limit`` seconds."""
    start = time.monotonic()
    pause = FIRST_PAUSE_S
    while True:
        try:
            conn.exec_driver_sql(statement)
            return
        except OperationalError as exc:
            waited = time.monotonic() - start
            if not _is_busy(exc):
                raise
            if waited + pause >= limit:
                raise StoreError(
                    f"the database is busy: another process held its write lock for {waited:.0f}s, "
                    f"longer than the limit of {limit:g}s (setting db_busy_limit)",
                    source=name,
                ) from exc
        time.sleep(pause)
        pause = min(pause * 2, MAX_PAUSE_S)


def write_begin(conn: Connection) -> None:
    """Make the next transaction on ``conn`` take SQLite's write lock at once (no-op elsewhere).

    A deferred transaction that reads and then writes can fail at once with "database is locked"
    when another process wrote in between; ``BEGIN IMMEDIATE`` waits its turn instead.
    """
    if conn.dialect.name == "sqlite":
        conn.info[_BEGIN_KEY] = "BEGIN IMMEDIATE"


@contextmanager
def database_errors(name: str, action: str, secret: str | None = None) -> Iterator[None]:
    """Turn SQLAlchemy and driver errors inside the block into ``StoreError`` naming ``name``.

    ``secret`` (the password) is blanked out of the message should a driver ever echo it.
    """
    try:
        yield
    except UnicodeEncodeError as exc:  # a lone surrogate: no database stores it
        raise StoreError(f"{action} failed: text is not valid Unicode ({exc.reason})", source=name) from exc
    except SQLAlchemyError as exc:
        orig = getattr(exc, "orig", None) or exc.__cause__ or exc
        reason = str(orig).strip().splitlines()[0] if str(orig).strip() else type(orig).__name__
        if secret:
            reason = reason.replace(secret, "***")
        raise StoreError(f"{action} failed: {reason}", source=name) from exc
