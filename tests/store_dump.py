"""A canonical dump of a whole SQLite store, for tests that compare two databases.

Every table (the sanctions tables, fused events and whatever a later migration adds included)
becomes a sorted list of its rows as JSON text. What may differ between two runs that stored the
same things is left out: ``seq`` (row numbers), timestamps, and the FTS5 index tables (checked
instead with FTS5's own integrity check, so a broken index still fails).
"""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path
from typing import Any

__all__ = ["dump_store", "dump_tables"]

_VOLATILE_TYPES = ("DATETIME", "TIMESTAMP")
_SKIPPED = ("alembic_version", "sqlite_")


def _value(value: Any) -> Any:
    return value.hex() if isinstance(value, bytes) else value


def dump_store(path: str | Path) -> dict[str, list[str]]:
    """Table name -> its rows (JSON objects without row numbers or timestamps), sorted."""
    conn = sqlite3.connect(path)  # read-write: the FTS5 check is an INSERT that writes nothing
    try:
        names = [r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name")]
        if "articles_fts" in names:
            conn.execute("INSERT INTO articles_fts(articles_fts, rank) VALUES ('integrity-check', 1)")
        out: dict[str, list[str]] = {}
        for name in names:
            if name.startswith(_SKIPPED) or name.startswith("articles_fts"):
                continue
            info = conn.execute(f'PRAGMA table_info("{name}")').fetchall()
            cols = [c[1] for c in info if c[1] != "seq" and not str(c[2]).upper().startswith(_VOLATILE_TYPES)]
            rows = conn.execute("SELECT " + ", ".join(f'"{c}"' for c in cols) + f' FROM "{name}"').fetchall()
            out[name] = sorted(
                json.dumps(dict(zip(cols, map(_value, r), strict=True)), sort_keys=True, ensure_ascii=False)
                for r in rows
            )
        return out
    finally:
        conn.close()


def dump_tables(url: str) -> dict[str, list[str]]:
    """Every table the store's schema declares, on any backend (SQLite or PostgreSQL), as
    ``dump_store`` dumps it: rows as sorted JSON, without row numbers or timestamps; JSON columns
    compared by value, so two backends that stored the same things give the same dump."""
    from sqlalchemy import DateTime, select

    from threatscape.store import events, open_store, sanctions, schema

    store = open_store(url)
    out: dict[str, list[str]] = {}
    try:
        with store._read("dumping the store") as conn:  # type: ignore[attr-defined]
            for metadata in (schema.metadata, events.metadata, sanctions.metadata):
                for table in metadata.sorted_tables:
                    cols = [c for c in table.columns if c.name != "seq" and not isinstance(c.type, DateTime)]
                    rows = conn.execute(select(*cols))
                    out[table.name] = sorted(
                        json.dumps(dict(zip([c.name for c in cols], map(_value, r), strict=True)), sort_keys=True,
                                   ensure_ascii=False, default=str)
                        for r in rows
                    )  # fmt: skip
    finally:
        store.close()
    return out
