"""The store: articles, stories, extracted facts and ingest failures in SQLite or PostgreSQL.

``open_store(url_or_path)`` opens (creating or upgrading the schema with the package's Alembic
migrations) and returns a ``Store``. A plain path or ``sqlite:///`` URL is SQLite;
``postgresql://`` / ``postgresql+psycopg://`` is PostgreSQL. Failures raise ``StoreError`` naming
the database (never its password).
"""

from __future__ import annotations

from alembic.util.exc import CommandError
from sqlalchemy import Engine

from threatscape.errors import StoreError
from threatscape.store.base import AddResult, AddStatus, ArticleState, Fuse, QuerySource, Store, StoryLinker
from threatscape.store.engine import BUSY_LIMIT_S, connect_engine, database_errors, display_name, parse_url
from threatscape.store.migrate import current_revision, head_revision, upgrade
from threatscape.store.sql import SQLStore

__all__ = [
    "AddResult",
    "AddStatus",
    "ArticleState",
    "Fuse",
    "QuerySource",
    "SQLStore",
    "Store",
    "StoryLinker",
    "open_store",
]


def open_store(url_or_path: str, busy_limit: float = BUSY_LIMIT_S, *, read_only: bool = False) -> SQLStore:
    """Open the database at ``url_or_path``, bringing its schema up to date.

    ``busy_limit``: seconds a write waits while another process holds SQLite's write lock.
    ``read_only``: the database refuses every write through this store (a ``StoreError``); its
    schema is not upgraded but must already be the package's (else a ``StoreError`` saying so).
    """
    url = parse_url(url_or_path)
    name = display_name(url)
    engine = connect_engine(url, busy_limit, read_only=read_only)
    try:
        with database_errors(name, "opening the database", url.password):
            if read_only:
                _require_head(engine, name)
            else:
                upgrade(engine)
    except CommandError as exc:
        engine.dispose()
        raise StoreError(f"cannot upgrade the schema (made by a newer threatscape?): {exc}", source=name) from exc
    except BaseException:
        engine.dispose()
        raise
    return SQLStore(engine, url)


def _require_head(engine: Engine, name: str) -> None:
    found, head = current_revision(engine), head_revision()
    if found != head:
        raise StoreError(
            f"its schema is at {found or 'nothing'}, this threatscape reads {head}: open it once for writing"
            " (threatscape ingest, or threatscape serve, which upgrades it before it reads)",
            source=name,
        )
