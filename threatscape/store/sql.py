"""``SQLStore``: the one ``Store`` implementation, SQLAlchemy Core over SQLite or PostgreSQL.

Every write is one transaction. ``save_extraction`` stores an article, its facts and the
extractor versions they come from together, so a run killed at any moment leaves each article
either stored with its facts or not stored at all; an article stored without facts (``add_article``,
``ingest --no-extract``) says so (``ArticleState.versions is None``) and the next ingest completes it.

Near-duplicates: the caller's ``StoryLinker`` (``threatscape.resolve.duplicates.StoryIndex``) is
topped up from the signatures stored since it last looked, inside the transaction that adds the
article, so several processes writing one database still see each other's stories.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from datetime import UTC, datetime
from types import TracebackType
from typing import Any, Self

from sqlalchemy import Connection, Engine, func, insert, or_, select, text, update
from sqlalchemy.engine import URL
from sqlalchemy.exc import IntegrityError

from threatscape.errors import ConfigError, StoreError
from threatscape.model import Article, Extraction, IngestFailure
from threatscape.store import events as fused
from threatscape.store import schema as t
from threatscape.store.base import AddResult, ArticleState, Fuse, StoryLinker
from threatscape.store.corrections import Correction, add_correction, apply_to_events, read_corrections
from threatscape.store.engine import database_errors, display_name, write_begin
from threatscape.store.facts import read_facts, write_facts
from threatscape.store.rows import ARTICLE_COLUMNS, EXPORT_KEYS, article_from_row, article_row, date_bound
from threatscape.store.search import search_clause
from threatscape.versions import versions_key

__all__ = ["MIN_PREFIX", "SQLStore"]

MIN_PREFIX = 6  # shortest id prefix get_article accepts
_FUSE_LOCK_KEY = 0x6675736564  # serialises concurrent refreshes of one PostgreSQL database


class _Raced(Exception):
    """Another process stored the same article between our check and our insert."""


def _same_id(exc: IntegrityError) -> bool:
    """Whether the insert was refused because an article with its id is stored."""
    orig = exc.orig
    if getattr(orig, "sqlstate", None) == "23505":  # PostgreSQL unique_violation
        return "articles_id" in str(orig) or "(id)" in str(orig)
    return str(orig).startswith("UNIQUE constraint failed: articles.id")


class SQLStore:
    """A ``Store`` (and a ``QuerySource``) on an engine whose schema is at the newest revision."""

    def __init__(self, engine: Engine, url: URL) -> None:
        self._engine = engine
        self._url = url

    @property
    def name(self) -> str:
        return display_name(self._url)

    @property
    def dialect(self) -> str:
        return self._engine.dialect.name

    @property
    def url(self) -> URL:
        return self._url

    @property
    def in_memory(self) -> bool:
        """An SQLite database in memory: a second store opened on its URL would be another database."""
        return self.dialect == "sqlite" and (not self._url.database or self._url.database == ":memory:")

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
    def _read(self, action: str) -> Iterator[Connection]:
        with self._errors(action), self._engine.connect() as conn:
            yield conn

    @contextmanager
    def _write(self, action: str) -> Iterator[Connection]:
        with self._errors(action), self._engine.connect() as conn:
            write_begin(conn)
            with conn.begin():
                yield conn

    @contextmanager
    def reading(self) -> Iterator[Connection]:
        """A connection for query modules; its transaction is rolled back, never committed."""
        with self._read("reading the database") as conn:
            try:
                yield conn
            finally:
                conn.rollback()

    # -- articles and stories ------------------------------------------------------------

    @staticmethod
    def _catch_up(conn: Connection, linker: StoryLinker) -> None:
        """Give the linker the signatures stored since it last looked (by this or another process)."""
        a = t.articles.c
        rows = conn.execute(
            select(a.seq, a.id, a.story_id, a.minhash)
            .where(a.seq > linker.seen, a.minhash.is_not(None))
            .order_by(a.seq)
        )
        for seq, article_id, story_id, minhash in rows:
            linker.remember(article_id, minhash, story_id)
            linker.seen = seq

    def _insert(self, conn: Connection, article: Article, linker: StoryLinker | None, sig: bytes | None) -> AddResult:
        story = None
        if linker is not None and sig is not None:
            self._catch_up(conn, linker)
            story = linker.story_for(sig)
        try:
            conn.execute(insert(t.articles).values(article_row(article, story or article.id, sig)))
        except IntegrityError as exc:
            if _same_id(exc):
                raise _Raced from exc
            raise
        return AddResult(article.id, "near_duplicate" if story else "new", story or article.id)

    def _add(
        self,
        article: Article,
        action: str,
        write: Callable[[Connection], AddResult],
        linker: StoryLinker | None,
        sig: bytes | None,
    ) -> AddResult:
        try:
            with self._write(action) as conn:
                result = write(conn)
        except _Raced as raced:
            stored = self.story_of(article.id)
            if stored is None:  # stored and deleted again meanwhile: report the refusal as it was
                with self._errors(action):
                    raise raced.__cause__ from None  # type: ignore[misc]
            return AddResult(article.id, "duplicate", stored)
        if linker is not None and sig is not None and result.status in ("new", "near_duplicate"):
            linker.remember(article.id, sig, result.story_id)
        return result

    def add_article(self, article: Article, *, linker: StoryLinker | None = None) -> AddResult:
        """Store ``article`` without facts unless its id is stored; join the story ``linker`` finds."""
        sig = linker.signature(article.body) if linker is not None else None

        def write(conn: Connection) -> AddResult:
            stored = self._story(conn, article.id)
            if stored is not None:
                return AddResult(article.id, "duplicate", stored)
            return self._insert(conn, article, linker, sig)

        return self._add(article, f"adding article {article.id}", write, linker, sig)

    def save_extraction(
        self, ex: Extraction, versions: Mapping[str, str] | None = None, *, linker: StoryLinker | None = None
    ) -> AddResult:
        """Store the article (when new) and replace its facts, with the extractor ``versions``, in
        one transaction; nothing is written when its facts already come from these ``versions``."""
        article = ex.article
        recorded = dict(versions or {})
        key = versions_key(recorded)
        sig = linker.signature(article.body) if linker is not None else None

        def write(conn: Connection) -> AddResult:
            a = t.articles.c
            row = conn.execute(select(a.story_id, a.versions_key).where(a.id == article.id)).first()
            if row is not None and versions is not None and row.versions_key == key:
                return AddResult(article.id, "duplicate", row.story_id)
            if row is None:
                result = self._insert(conn, article, linker, sig)
            else:
                result = AddResult(article.id, "updated", row.story_id)
            write_facts(conn, ex, replacing=row is not None)
            values = {"extracted_with": recorded, "versions_key": key, "links_pending": True}
            conn.execute(update(t.articles).where(a.id == article.id).values(values))
            return result

        return self._add(article, f"saving the facts of article {article.id}", write, linker, sig)

    def article_state(self, article_id: str) -> ArticleState | None:
        a = t.articles.c
        with self._read("reading an article") as conn:
            query = select(a.story_id, a.extracted_with, a.versions_key).where(a.id == article_id)
            row = conn.execute(query).first()
        if row is None:
            return None
        versions = dict(row.extracted_with) if row.extracted_with is not None else None
        return ArticleState(row.story_id, versions, row.versions_key if versions is not None else None)

    @staticmethod
    def _story(conn: Connection, article_id: str) -> str | None:
        query = select(t.articles.c.story_id).where(t.articles.c.id == article_id)
        return conn.execute(query).scalar_one_or_none()

    def story_of(self, article_id: str) -> str | None:
        with self._read("reading a story") as conn:
            return self._story(conn, article_id)

    @staticmethod
    def _dated(query: Any, since: str | None, until: str | None) -> Any:
        since, until = date_bound("since", since), date_bound("until", until)
        if since:
            query = query.where(t.articles.c.date >= since)
        if until:
            query = query.where(func.substr(t.articles.c.date, 1, len(until)) <= until)
        return query

    def articles(
        self,
        *,
        search: str | None = None,
        since: str | None = None,
        until: str | None = None,
        limit: int | None = None,
        offset: int = 0,
    ) -> list[Article]:
        """Newest first (published, else updated); ``since``/``until`` are inclusive date bounds;
        ``offset`` skips that many of them (for paging)."""
        query = self._dated(select(*ARTICLE_COLUMNS), since, until)
        if limit is not None and limit < 0:
            raise ConfigError(f"limit must not be negative, not {limit}")
        if offset < 0:
            raise ConfigError(f"offset must not be negative, not {offset}")
        if search is not None and search.strip():
            clause = search_clause(self.dialect, search)
            if clause is None:
                return []
            query = query.where(clause)
        query = query.order_by(t.articles.c.date.desc().nulls_last(), t.articles.c.seq.desc())
        if limit is not None:
            query = query.limit(limit)
        if offset:
            query = query.offset(offset)
        with self._read("listing articles") as conn:
            return [article_from_row(r) for r in conn.execute(query)]

    @staticmethod
    def _outdated_clause(key: str) -> Any:
        return or_(t.articles.c.versions_key.is_(None), t.articles.c.versions_key != key)

    def outdated(
        self,
        versions_key: str,
        *,
        since: str | None = None,
        until: str | None = None,
        after: str | None = None,
        limit: int | None = None,
    ) -> list[Article]:
        """Articles not extracted with the versions of ``versions_key`` in the order they were
        stored (so that shared rows such as ``actors`` end as a fresh ingest leaves them), those
        stored after the article ``after``."""
        a = t.articles.c
        query = self._dated(select(*ARTICLE_COLUMNS), since, until).where(self._outdated_clause(versions_key))
        if after is not None:
            query = query.where(a.seq > select(a.seq).where(a.id == after).scalar_subquery())
        query = query.order_by(a.seq)
        with self._read("listing articles to extract again") as conn:
            return [article_from_row(r) for r in conn.execute(query if limit is None else query.limit(limit))]

    def count_outdated(self, versions_key: str, *, since: str | None = None, until: str | None = None) -> int:
        query = self._dated(select(func.count()).select_from(t.articles), since, until)
        with self._read("counting articles to extract again") as conn:
            return int(conn.execute(query.where(self._outdated_clause(versions_key))).scalar_one())

    def get_article(self, id_or_prefix: str) -> Article | None:
        """The article with this id, or the one whose id starts with it (``MIN_PREFIX`` chars or more).

        Raises ``StoreError`` when a prefix fits several articles.
        """
        key = id_or_prefix.strip()
        if not key:
            return None
        with self._read("reading an article") as conn:
            row = conn.execute(select(*ARTICLE_COLUMNS).where(t.articles.c.id == key)).first()
            if row is None and len(key) >= MIN_PREFIX:
                query = select(*ARTICLE_COLUMNS).where(t.articles.c.id.startswith(key, autoescape=True))
                rows = conn.execute(query.limit(2)).all()
                if len(rows) > 1:
                    raise StoreError(f"id prefix {key!r} is ambiguous; give more characters", source=self.name)
                row = rows[0] if rows else None
        return article_from_row(row) if row is not None else None

    def count_articles(self, *, search: str | None = None) -> int:
        """How many articles are stored; with ``search``, how many ``articles(search=...)`` finds."""
        query = select(func.count()).select_from(t.articles)
        if search is not None and search.strip():
            clause = search_clause(self.dialect, search)
            if clause is None:
                return 0
            query = query.where(clause)
        with self._read("counting articles") as conn:
            return int(conn.execute(query).scalar_one())

    # -- ingest failures -------------------------------------------------------------------

    def record_failure(self, origin: str, reason: str) -> None:
        """Record a failure once: the same origin failing for the same reason again adds nothing."""
        f = t.ingest_failures.c
        with self._write(f"recording a failure of {origin}") as conn:
            if conn.execute(select(f.seq).where(f.origin == origin, f.reason == reason).limit(1)).first():
                return
            conn.execute(insert(t.ingest_failures).values(origin=origin, reason=reason, at=datetime.now(UTC)))

    def failures(self) -> list[IngestFailure]:
        """Recorded failures, oldest first."""
        query = select(t.ingest_failures.c.origin, t.ingest_failures.c.reason).order_by(t.ingest_failures.c.seq)
        with self._read("reading failures") as conn:
            return [IngestFailure(origin, reason) for origin, reason in conn.execute(query)]

    # -- facts, contested links, fused events ----------------------------------------------

    def extraction(self, article_id: str) -> dict[str, Any] | None:
        """The stored article in the export shape (plus ``story_id``) with its facts; ``None`` if unknown."""
        query = select(*ARTICLE_COLUMNS).where(t.articles.c.id == article_id)
        with self._read(f"reading the facts of article {article_id}") as conn:
            row = conn.execute(query).first()
            if row is None:
                return None
            return {k: row._mapping[k] for k in EXPORT_KEYS} | read_facts(conn, article_id)

    def mentions(self, article_id: str) -> list[tuple[int, int, str]]:
        """(start, end, actor id) of every actor mention with a span in the article, in order."""
        m = t.article_actors.c
        query = (
            select(m.ev_start, m.ev_end, m.actor_id)
            .where(m.article_id == article_id, m.ev_start.is_not(None), m.ev_end.is_not(None))
            .order_by(m.ev_start)
        )
        with self._read(f"reading the mentions of article {article_id}") as conn:
            return [(int(a), int(b), str(actor)) for a, b, actor in conn.execute(query)]

    def pending_links(self) -> list[Article]:
        """Articles whose facts were written since their contested links were last worked out."""
        query = select(*ARTICLE_COLUMNS).where(t.articles.c.links_pending.is_(True)).order_by(t.articles.c.id)
        with self._read("listing articles to link") as conn:
            return [article_from_row(r) for r in conn.execute(query)]

    def set_contested(self, links: Mapping[str, Sequence[str]], *, done: Sequence[str] = ()) -> int:
        """Mark stored relations contested (relation id -> ids of the statements that deny it) and
        take the articles ``done`` off ``pending_links``, in one transaction.

        Idempotent: links already there change nothing. Returns how many relation rows changed."""
        changed = 0
        r = t.relations.c
        with self._write("marking contested relations") as conn:
            for rel_id, by in links.items():
                for seq, data in conn.execute(select(r.seq, r.data).where(r.id == rel_id)).all():
                    data = dict(data or {})
                    merged = sorted(set(data.get("contested_by") or ()) | set(by))
                    if data.get("contested") and merged == sorted(data.get("contested_by") or ()):
                        continue
                    data.update(contested=True, contested_by=merged)
                    conn.execute(update(t.relations).where(r.seq == seq).values(contested=True, data=data))
                    changed += 1
            if done:
                ids = sorted(set(done))
                conn.execute(update(t.articles).where(t.articles.c.id.in_(ids)).values(links_pending=False))
        return changed

    def refresh_fused_events(self, fuse: Fuse) -> int:
        """Replace the fused events with ``fuse`` of every stored event, in one transaction (on
        PostgreSQL under an advisory lock): idempotent, and concurrent refreshes do not interleave.
        Returns how many fused events there are now."""
        with self._write("fusing events") as conn:
            if conn.dialect.name == "postgresql":
                conn.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": _FUSE_LOCK_KEY})
            fixes = read_corrections(conn, "event")
            return fused.replace_fused(conn, fuse(apply_to_events(fused.stored_events(conn), fixes)))

    def add_correction(self, **correction: Any) -> None:
        """Store an analyst's correction (``threatscape.store.corrections.add_correction``)."""
        with self._write("saving a correction") as conn:
            add_correction(conn, **correction)

    def corrections(self, kind: str | None = None) -> list[Correction]:
        """Every stored correction (of ``kind``), oldest first."""
        with self._read("reading corrections") as conn:
            return read_corrections(conn, kind)

    def query_events(
        self,
        *,
        type: str | None = None,  # the CLI option's name
        actor: str | None = None,
        country: str | None = None,
        admin1: str | None = None,
        since: str | None = None,
        until: str | None = None,
        aggregate: bool = False,
        limit: int | None = None,
        offset: int = 0,
        event_id: str | None = None,
        sort: str = "date",
        **extra: Any,
    ) -> list[dict[str, Any]]:
        """Fused events, oldest first, filtered (see ``threatscape.store.events.query_fused``)."""
        with self._read("querying events") as conn:
            return fused.query_fused(
                conn, type=type, actor=actor, country=country, admin1=admin1, since=since, until=until,
                aggregate=aggregate, limit=limit, offset=offset, event_id=event_id, sort=sort, **extra,
            )  # fmt: skip

    def iter_events(self, chunk: int, **filters: Any) -> Iterator[list[dict[str, Any]]]:
        """Every fused event ``query_events`` with ``filters`` (no limit, no offset) gives, in lists of
        at most ``chunk``, from one query in one read transaction (``threatscape.store.events.iter_fused``)."""
        with self._read("streaming events") as conn:
            yield from fused.iter_fused(conn, chunk, **filters)

    def fused_id_of(self, article_id: str, event_id: str) -> str | None:
        """The id of the fused event that holds the article's event now (after a refresh it may differ)."""
        s = fused.fused_event_sources.c
        query = select(s.fused_id).where(s.article_id == article_id, s.event_id == event_id).limit(1)
        with self._read("finding a fused event") as conn:
            return conn.execute(query).scalar_one_or_none()

    def count_events(self, **filters: Any) -> int:
        """How many fused events ``query_events`` with these filters (no limit) gives."""
        with self._read("counting events") as conn:
            return fused.count_fused(conn, **filters)

    def tally_events(self, by: Sequence[str] = (), **filters: Any) -> list[fused.Tally]:
        """Fused events and fatalities per value of ``by`` (see ``threatscape.store.events.tally_fused``)."""
        with self._read("tallying events") as conn:
            return fused.tally_fused(conn, by, **filters)

    def tally_actors(
        self, limit: int | None = None, keys: Sequence[str] | None = None, **filters: Any
    ) -> list[fused.Tally]:
        """Fused events per actor on either side (``threatscape.store.events.tally_fused_actors``)."""
        with self._read("tallying events") as conn:
            return fused.tally_fused_actors(conn, limit, keys, **filters)

    def count_event_articles(self, **filters: Any) -> int:
        """Distinct articles behind the filtered fused events (``threatscape.store.events.count_fused_articles``)."""
        with self._read("counting articles") as conn:
            return fused.count_fused_articles(conn, **filters)

    def event_points(self, **filters: Any) -> list[fused.Point]:
        """The filtered fused events with coordinates, one point a spot (``threatscape.store.events.fused_points``)."""
        with self._read("reading event points") as conn:
            return fused.fused_points(conn, **filters)

    def tally_windows(self, windows: Sequence[tuple[str, str]], **filters: Any) -> list[fused.Tally]:
        """Fused events and fatalities in each window (``threatscape.store.events.tally_fused_windows``)."""
        with self._read("tallying events") as conn:
            return fused.tally_fused_windows(conn, windows, **filters)
