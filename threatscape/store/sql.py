"""``SQLStore``: the one ``Store`` implementation, SQLAlchemy Core over SQLite or PostgreSQL.

Every write is one transaction (one per article), so an ingest that fails half-way keeps what it
stored. The near-duplicate index (``threatscape.resolve.duplicates.StoryIndex``) is built lazily
from the signatures stored with the articles and topped up from newer rows before each lookup, so
several processes writing one database still see each other's stories.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from datetime import UTC, datetime
from types import TracebackType
from typing import Any, Self

from sqlalchemy import Connection, Engine, func, insert, select, update
from sqlalchemy.engine import URL, Row
from sqlalchemy.exc import IntegrityError

from threatscape.errors import ConfigError, StoreError
from threatscape.model import Article, Caption, Extraction, IngestFailure
from threatscape.resolve.duplicates import StoryIndex, fingerprint, signature_from_bytes, signature_to_bytes
from threatscape.store import schema as t
from threatscape.store.base import AddResult
from threatscape.store.engine import database_errors, display_name, write_begin
from threatscape.store.facts import read_facts, write_facts
from threatscape.store.search import search_clause

__all__ = ["MIN_PREFIX", "SQLStore"]

MIN_PREFIX = 6  # shortest id prefix get_article accepts
_DATE_BOUND = re.compile(r"\d{4}(-\d{2}(-\d{2})?)?")
_ARTICLE_COLUMNS = [c for c in t.articles.columns if c.name not in ("minhash", "seq", "added_at")]


def _article(row: Row[Any]) -> Article:
    m = row._mapping
    return Article(
        id=m["id"],
        title=m["title"],
        body=m["body"],
        source_id=m["source_id"],
        url=m["url"],
        source=m["source"],
        published=m["published"],
        updated=m["updated"],
        dateline=m["dateline"],
        byline=m["byline"],
        summary=tuple(m["summary"] or ()),
        captions=tuple(Caption(c.get("text", ""), c.get("credit")) for c in m["captions"] or ()),
        origin=m["origin"],
    )


def _article_row(a: Article, story_id: str, minhash: bytes | None) -> dict[str, Any]:
    return {
        "id": a.id,
        "story_id": story_id,
        "source_id": a.source_id,
        "title": a.title,
        "body": a.body,
        "url": a.url,
        "source": a.source,
        "published": a.published,
        "updated": a.updated,
        "date": a.date,
        "dateline": a.dateline,
        "byline": a.byline,
        "summary": list(a.summary),
        "captions": [{"text": c.text, "credit": c.credit} for c in a.captions],
        "origin": a.origin,
        "minhash": minhash,
        "added_at": datetime.now(UTC),
    }


def _date_bound(name: str, value: str | None) -> str | None:
    if value is not None and not _DATE_BOUND.fullmatch(value):
        raise ConfigError(f"{name} must be a date YYYY, YYYY-MM or YYYY-MM-DD, not {value!r}")
    return value


class SQLStore:
    """A ``Store`` on a SQLAlchemy engine whose schema is already at the newest revision."""

    def __init__(self, engine: Engine, url: URL) -> None:
        self._engine = engine
        self._url = url
        self._index: StoryIndex | None = None
        self._index_seq = 0

    @property
    def name(self) -> str:
        return display_name(self._url)

    @property
    def dialect(self) -> str:
        return self._engine.dialect.name

    @property
    def engine(self) -> Engine:
        """The SQLAlchemy engine, for query modules that read the same tables (events, report)."""
        return self._engine

    @property
    def url(self) -> URL:
        return self._url

    def __repr__(self) -> str:
        return f"SQLStore({self.name!r})"

    def __enter__(self) -> Self:
        return self

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.close()

    def close(self) -> None:
        self._engine.dispose()

    @contextmanager
    def _errors(self, action: str) -> Iterator[None]:
        with database_errors(self.name, action, self._url.password):
            yield

    @contextmanager
    def _write(self, action: str) -> Iterator[Connection]:
        with self._errors(action), self._engine.connect() as conn:
            write_begin(conn)
            with conn.begin():
                yield conn

    # -- articles and stories ------------------------------------------------------------

    def _sync_index(self, conn: Connection) -> StoryIndex:
        index = self._index or StoryIndex()
        rows = conn.execute(
            select(t.articles.c.seq, t.articles.c.id, t.articles.c.story_id, t.articles.c.minhash)
            .where(t.articles.c.seq > self._index_seq, t.articles.c.minhash.is_not(None))
            .order_by(t.articles.c.seq)
        )
        for seq, article_id, story_id, minhash in rows:
            index.add(article_id, signature_from_bytes(minhash), story_id)
            self._index_seq = seq
        self._index = index
        return index

    def add_article(self, article: Article) -> AddResult:
        """Store ``article`` unless its id is stored; join the story of a near-duplicate if any."""
        sig = fingerprint(article.body)
        try:
            with self._write(f"adding article {article.id}") as conn:
                stored = self._story(conn, article.id)
                if stored is not None:
                    return AddResult(article.id, "duplicate", stored)
                story = self._sync_index(conn).query(sig) if sig is not None else None
                minhash = signature_to_bytes(sig) if sig is not None else None
                conn.execute(insert(t.articles).values(_article_row(article, story or article.id, minhash)))
        except StoreError as exc:
            if not isinstance(exc.__cause__, IntegrityError):
                raise
            stored = self.story_of(article.id)  # another process stored the same text meanwhile
            if stored is None:
                raise
            return AddResult(article.id, "duplicate", stored)
        if sig is not None and self._index is not None:
            self._index.add(article.id, sig, story or article.id)
        return AddResult(article.id, "near_duplicate" if story else "new", story or article.id)

    @staticmethod
    def _story(conn: Connection, article_id: str) -> str | None:
        query = select(t.articles.c.story_id).where(t.articles.c.id == article_id)
        return conn.execute(query).scalar_one_or_none()

    def story_of(self, article_id: str) -> str | None:
        with self._errors("reading a story"), self._engine.connect() as conn:
            return self._story(conn, article_id)

    def articles(
        self,
        *,
        search: str | None = None,
        since: str | None = None,
        until: str | None = None,
        limit: int | None = None,
    ) -> list[Article]:
        """Newest first (published, else updated); ``since``/``until`` are inclusive date bounds."""
        since, until = _date_bound("since", since), _date_bound("until", until)
        if limit is not None and limit < 0:
            raise ConfigError(f"limit must not be negative, not {limit}")
        query = select(*_ARTICLE_COLUMNS)
        if search is not None and search.strip():
            clause = search_clause(self.dialect, search)
            if clause is None:
                return []
            query = query.where(clause)
        if since:
            query = query.where(t.articles.c.date >= since)
        if until:
            query = query.where(func.substr(t.articles.c.date, 1, len(until)) <= until)
        query = query.order_by(t.articles.c.date.desc().nulls_last(), t.articles.c.seq.desc())
        if limit is not None:
            query = query.limit(limit)
        with self._errors("listing articles"), self._engine.connect() as conn:
            return [_article(r) for r in conn.execute(query)]

    def get_article(self, id_or_prefix: str) -> Article | None:
        """The article with this id, or the one whose id starts with it (``MIN_PREFIX`` chars or more).

        Raises ``StoreError`` when a prefix fits several articles.
        """
        key = id_or_prefix.strip()
        if not key:
            return None
        with self._errors("reading an article"), self._engine.connect() as conn:
            row = conn.execute(select(*_ARTICLE_COLUMNS).where(t.articles.c.id == key)).first()
            if row is None and len(key) >= MIN_PREFIX:
                query = select(*_ARTICLE_COLUMNS).where(t.articles.c.id.startswith(key, autoescape=True))
                rows = conn.execute(query.limit(2)).all()
                if len(rows) > 1:
                    raise StoreError(f"id prefix {key!r} is ambiguous; give more characters", source=self.name)
                row = rows[0] if rows else None
        return _article(row) if row is not None else None

    def count_articles(self) -> int:
        with self._errors("counting articles"), self._engine.connect() as conn:
            return int(conn.execute(select(func.count()).select_from(t.articles)).scalar_one())

    # -- ingest failures -------------------------------------------------------------------

    def record_failure(self, origin: str, reason: str) -> None:
        with self._write(f"recording a failure of {origin}") as conn:
            row = {"origin": origin, "reason": reason, "at": datetime.now(UTC)}
            conn.execute(insert(t.ingest_failures).values(row))

    def failures(self) -> list[IngestFailure]:
        """Recorded failures, oldest first."""
        query = select(t.ingest_failures.c.origin, t.ingest_failures.c.reason).order_by(t.ingest_failures.c.seq)
        with self._errors("reading failures"), self._engine.connect() as conn:
            return [IngestFailure(origin, reason) for origin, reason in conn.execute(query)]

    # -- extracted facts -------------------------------------------------------------------

    def save_extraction(self, ex: Extraction) -> None:
        """Replace the facts stored for ``ex.article`` (adding the article first if it is not stored)."""
        if self.story_of(ex.article.id) is None:
            self.add_article(ex.article)
        with self._write(f"saving the facts of article {ex.article.id}") as conn:
            write_facts(conn, ex)

    def set_contested(self, links: Mapping[str, Sequence[str]]) -> int:
        """Mark stored relations contested (relation id -> ids of the statements that deny it).

        Links found across articles after an ingest; idempotent. Returns how many rows changed."""
        changed = 0
        with self._write("marking contested relations") as conn:
            for rel_id, by in links.items():
                rows = conn.execute(select(t.relations.c.seq, t.relations.c.data).where(t.relations.c.id == rel_id))
                for seq, data in rows.all():
                    data = dict(data or {})
                    merged = sorted(set(data.get("contested_by") or ()) | set(by))
                    if data.get("contested") and merged == sorted(data.get("contested_by") or ()):
                        continue
                    data.update(contested=True, contested_by=merged)
                    conn.execute(update(t.relations).where(t.relations.c.seq == seq).values(contested=True, data=data))
                    changed += 1
        return changed

    def extraction(self, article_id: str) -> dict[str, Any] | None:
        """The stored article in the export shape (plus ``story_id``) with its facts; ``None`` if unknown."""
        query = select(*_ARTICLE_COLUMNS).where(t.articles.c.id == article_id)
        with self._errors(f"reading the facts of article {article_id}"), self._engine.connect() as conn:
            row = conn.execute(query).first()
            if row is None:
                return None
            m = row._mapping
            keys = (
                "id",
                "story_id",
                "source_id",
                "title",
                "url",
                "source",
                "published",
                "updated",
                "dateline",
                "byline",
                "summary",
                "captions",
                "body",
            )
            return {k: m[k] for k in keys} | read_facts(conn, article_id)
