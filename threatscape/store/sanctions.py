"""Sanctions lists in the database: every loaded version, reviewer decisions, the review queue.

``SanctionsDB.open(url_or_path)`` opens the same database as ``open_store`` (same engine setup,
same migrations) and keeps to the ``sanctions_*`` tables. It stores plain rows: a list version's
entries as JSON data (``save_list`` returns False for a version already there; ``entries`` reads
one version back, the newest by default), reviewer decisions (``decide``) and queued reviews
(``queue`` takes anything shaped like ``ReviewRow``). Turning those rows into screeners is
``threatscape.resolve.sanctions.stored``; neither side imports the other.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any, Protocol

from sqlalchemy import (
    JSON,
    Column,
    Connection,
    DateTime,
    Engine,
    Float,
    Integer,
    MetaData,
    String,
    Table,
    Text,
    delete,
    func,
    insert,
    select,
)
from sqlalchemy.engine import URL

from threatscape.errors import InputError
from threatscape.model import Actor
from threatscape.store.engine import BUSY_LIMIT_S, connect_engine, database_errors, display_name, parse_url, write_begin
from threatscape.store.migrate import upgrade
from threatscape.store.schema import actors as actors_table

__all__ = ["DECISIONS", "ListVersion", "PendingReview", "ReviewRow", "SanctionsDB"]

DECISIONS = ("accept", "reject")
metadata = MetaData()
lists_table = Table(
    "sanctions_lists", metadata,
    Column("seq", Integer, primary_key=True, autoincrement=True),
    Column("name", String(128), nullable=False), Column("version", String(64), nullable=False),
    Column("loaded_at", DateTime(timezone=True), nullable=False), Column("source", Text, nullable=False),
    Column("entries", Integer, nullable=False),
)  # fmt: skip
entries_table = Table(
    "sanctions_entries", metadata,
    Column("seq", Integer, primary_key=True, autoincrement=True),
    Column("list", String(128), nullable=False), Column("version", String(64), nullable=False),
    Column("ref", String(256), nullable=False), Column("type", String(32), nullable=False),
    Column("name", Text, nullable=False), Column("aliases", JSON, nullable=False),
    Column("data", JSON, nullable=False),
)  # fmt: skip
decisions_table = Table(
    "sanctions_decisions", metadata,
    Column("seq", Integer, primary_key=True, autoincrement=True),
    Column("query_norm", Text, nullable=False), Column("list", String(128), nullable=False),
    Column("ref", String(256), nullable=False), Column("decision", String(16), nullable=False),
    Column("decided_at", DateTime(timezone=True), nullable=False),
)  # fmt: skip
reviews_table = Table(
    "sanctions_reviews", metadata,
    Column("seq", Integer, primary_key=True, autoincrement=True),
    Column("query", Text, nullable=False), Column("query_norm", Text, nullable=False),
    Column("list", String(128), nullable=False), Column("ref", String(256), nullable=False),
    Column("name", Text, nullable=False), Column("score", Float, nullable=False),
    Column("explanation", Text, nullable=False), Column("seen_at", DateTime(timezone=True), nullable=False),
)  # fmt: skip


@dataclass(frozen=True)
class ListVersion:
    name: str
    version: str
    loaded_at: datetime
    source: str
    entries: int


class ReviewRow(Protocol):
    """A match to queue for review (``threatscape.resolve.sanctions.stored.Review``)."""

    @property
    def query(self) -> str: ...
    @property
    def query_norm(self) -> str: ...
    @property
    def list(self) -> str: ...
    @property
    def ref(self) -> str: ...
    @property
    def name(self) -> str: ...
    @property
    def score(self) -> float: ...
    @property
    def explanation(self) -> str: ...


@dataclass(frozen=True)
class PendingReview:
    id: int
    query: str
    list: str
    ref: str
    name: str
    score: float
    explanation: str

    def row(self) -> dict[str, Any]:
        """The match as one row, in the order the review queue lists it (CLI and web UI)."""
        keys = ("id", "query", "score", "list", "ref", "name", "explanation")
        return {k: getattr(self, k) for k in keys}


class SanctionsDB:
    """The ``sanctions_*`` tables of one database."""

    def __init__(self, engine: Engine, url: URL) -> None:
        self._engine = engine
        self._url = url
        self.name = display_name(url)

    @classmethod
    def open(cls, url_or_path: str, busy_limit: float = BUSY_LIMIT_S) -> SanctionsDB:
        url = parse_url(url_or_path)
        engine = connect_engine(url, busy_limit)
        try:
            with database_errors(display_name(url), "opening the database", url.password):
                upgrade(engine)
        except BaseException:
            engine.dispose()
            raise
        return cls(engine, url)

    def close(self) -> None:
        self._engine.dispose()

    def __enter__(self) -> SanctionsDB:
        return self

    def __exit__(self, *_exc: object) -> None:
        self.close()

    @contextmanager
    def _read(self, action: str) -> Iterator[Connection]:
        with database_errors(self.name, action, self._url.password), self._engine.connect() as conn:
            yield conn

    @contextmanager
    def _write(self, action: str) -> Iterator[Connection]:
        with database_errors(self.name, action, self._url.password), self._engine.connect() as conn:
            write_begin(conn)
            with conn.begin():
                yield conn

    def save_list(self, name: str, version: str, source: str, entries: Sequence[Mapping[str, Any]]) -> bool:
        """Store one version of a list (each entry's data with ``ref``, ``type``, ``name`` and
        ``aliases``, a list of ``{"name": ...}``); False when that version is already stored."""
        with self._write(f"saving list {name} {version}") as conn:
            known = conn.execute(
                select(lists_table.c.seq).where(lists_table.c.name == name, lists_table.c.version == version)
            ).first()
            if known is not None:
                return False
            conn.execute(
                insert(lists_table).values(
                    name=name, version=version, loaded_at=datetime.now(UTC), source=source, entries=len(entries)
                )
            )
            rows = [
                {
                    "list": name,
                    "version": version,
                    "ref": e["ref"],
                    "type": e["type"],
                    "name": e["name"],
                    "aliases": [a["name"] for a in e.get("aliases") or ()],
                    "data": dict(e),
                }
                for e in entries
            ]
            if rows:
                conn.execute(insert(entries_table), rows)
        return True

    def versions(self, name: str | None = None) -> list[ListVersion]:
        """Stored versions, oldest first."""
        query = select(lists_table).order_by(lists_table.c.seq)
        if name:
            query = query.where(lists_table.c.name == name)
        with self._read("listing sanctions lists") as conn:
            return [ListVersion(r.name, r.version, r.loaded_at, r.source, r.entries) for r in conn.execute(query)]

    def latest(self) -> list[ListVersion]:
        """The newest stored version of every list."""
        newest: dict[str, ListVersion] = {}
        for v in self.versions():
            newest[v.name] = v
        return list(newest.values())

    def entries(self, name: str, version: str | None = None) -> list[dict[str, Any]]:
        """The entries' data of one version of a list (the newest by default), in list order."""
        if version is None:
            found = [v for v in self.versions(name)]
            if not found:
                raise InputError(f"no sanctions list {name!r} in {self.name} (load one with `sanctions load`)")
            version = found[-1].version
        query = (
            select(entries_table.c.data)
            .where(entries_table.c.list == name, entries_table.c.version == version)
            .order_by(entries_table.c.seq)
        )
        with self._read(f"reading list {name} {version}") as conn:
            rows = [dict(r.data) for r in conn.execute(query)]
        if not rows and version not in {v.version for v in self.versions(name)}:
            raise InputError(f"no version {version!r} of list {name!r} in {self.name}")
        return rows

    def decisions(self) -> dict[tuple[str, str, str], str]:
        with self._read("reading review decisions") as conn:
            return {(r.query_norm, r.list, r.ref): r.decision for r in conn.execute(select(decisions_table))}

    def decide(self, query_norm: str, list_name: str, ref: str, decision: str) -> None:
        """Record (or replace) a reviewer's decision and take the item off the queue."""
        if decision not in DECISIONS:
            raise InputError(f"a decision is accept or reject, not {decision!r}")
        key = (
            decisions_table.c.query_norm == query_norm,
            decisions_table.c.list == list_name,
            decisions_table.c.ref == ref,
        )
        with self._write("recording a review decision") as conn:
            conn.execute(delete(decisions_table).where(*key))
            conn.execute(
                insert(decisions_table).values(
                    query_norm=query_norm, list=list_name, ref=ref, decision=decision, decided_at=datetime.now(UTC)
                )
            )

    def queue(self, items: Iterable[ReviewRow]) -> int:
        """Add matches to the review queue (once per query, list and ref); returns how many were new."""
        added = 0
        with self._write("queueing matches for review") as conn:
            for m in items:
                seen = conn.execute(
                    select(reviews_table.c.seq).where(
                        reviews_table.c.query_norm == m.query_norm,
                        reviews_table.c.list == m.list,
                        reviews_table.c.ref == m.ref,
                    )
                ).first()
                if seen is None:
                    conn.execute(
                        insert(reviews_table).values(
                            query=m.query,
                            query_norm=m.query_norm,
                            list=m.list,
                            ref=m.ref,
                            name=m.name,
                            score=m.score,
                            explanation=m.explanation,
                            seen_at=datetime.now(UTC),
                        )
                    )
                    added += 1
        return added

    def pending(self) -> list[PendingReview]:
        """Queued matches without a decision, best score first."""
        decided = self.decisions()
        with self._read("reading the review queue") as conn:
            rows = conn.execute(select(reviews_table).order_by(reviews_table.c.score.desc(), reviews_table.c.seq))
            return [
                PendingReview(r.seq, r.query, r.list, r.ref, r.name, r.score, r.explanation)
                for r in rows
                if (r.query_norm, r.list, r.ref) not in decided
            ]

    def review_item(self, item_id: int) -> tuple[str, str, str] | None:
        """(query_norm, list, ref) of a queued item."""
        with self._read("reading the review queue") as conn:
            row = conn.execute(select(reviews_table).where(reviews_table.c.seq == item_id)).first()
        return (row.query_norm, row.list, row.ref) if row else None

    def actors(self) -> list[Actor]:
        """The actors the extraction stored (``actors`` table), for screening."""
        actors = actors_table
        with self._read("reading actors") as conn:
            return [
                Actor(
                    id=r.id,
                    name=r.name,
                    type=r.type,
                    country=r.country,
                    aliases=tuple(r.aliases or ()),
                    affiliation=r.affiliation,
                )
                for r in conn.execute(select(actors).order_by(actors.c.id))
            ]

    def count_entries(self) -> int:
        with self._read("counting sanctions entries") as conn:
            return int(conn.execute(select(func.count()).select_from(entries_table)).scalar_one())
