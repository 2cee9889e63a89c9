"""Create or upgrade the schema with the Alembic migrations shipped inside the package."""

from __future__ import annotations

from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Engine, text

from threatscape.store.engine import write_begin

__all__ = ["MIGRATIONS", "current_revision", "head_revision", "upgrade"]

MIGRATIONS = Path(__file__).with_name("migrations")
_PG_LOCK_KEY = 0x7468726561  # any constant: serialises concurrent upgrades of one PostgreSQL DB


def _config() -> Config:
    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS).replace("%", "%%"))
    return cfg


def head_revision() -> str | None:
    return ScriptDirectory.from_config(_config()).get_current_head()


def current_revision(engine: Engine) -> str | None:
    """The revision the database's schema is at (None: a database threatscape has not set up)."""
    with engine.connect() as conn:
        found = MigrationContext.configure(conn).get_current_revision()
        conn.rollback()
        return found


def upgrade(engine: Engine) -> None:
    """Bring the database to the newest revision; a read-only check when it is already there.

    One transaction (and, on PostgreSQL, an advisory lock; on SQLite, the write lock) so two
    processes opening a new database at once do not both create it.
    """
    cfg = _config()
    head = ScriptDirectory.from_config(cfg).get_current_head()
    with engine.connect() as conn:
        current = MigrationContext.configure(conn).get_current_revision()
        conn.rollback()
        if current == head:
            return
        write_begin(conn)
        with conn.begin():
            if conn.dialect.name == "postgresql":
                conn.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": _PG_LOCK_KEY})
            cfg.attributes["connection"] = conn
            command.upgrade(cfg, "head")
