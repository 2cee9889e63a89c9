"""The store interface every backend implements, and what its methods take and return.

One implementation exists (``threatscape.store.sql.SQLStore``, SQLite and PostgreSQL through
SQLAlchemy Core); callers depend on ``Store`` only. Every method raises ``StoreError`` when the
database refuses or cannot be reached.

The store does no domain work. Near-duplicate detection and event fusion are the pipeline's
(``threatscape.resolve.duplicates``, ``threatscape.resolve.fusion``), handed to the store as a
``StoryLinker`` or a ``Fuse`` function that it calls inside its write transaction: what they read
and what is written from it are then one transaction, so two processes writing one database never
interleave between the two.

``QuerySource`` is the read side for query modules (the report): a connection in a transaction
that is rolled back, never committed.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import AbstractContextManager
from dataclasses import dataclass
from types import TracebackType
from typing import TYPE_CHECKING, Any, Literal, Protocol, Self, runtime_checkable

from threatscape.model import Article, Event, Extraction, FusedEvent, IngestFailure

if TYPE_CHECKING:
    from sqlalchemy import Connection

    from threatscape.store.events import Tally

__all__ = ["AddResult", "AddStatus", "ArticleState", "Fuse", "QuerySource", "Store", "StoryLinker"]

AddStatus = Literal["new", "duplicate", "near_duplicate", "updated"]
Fuse = Callable[[Sequence[tuple[str, str | None, Event]]], Sequence[FusedEvent]]
"""``(article_id, story_id, event)`` for every stored event -> the fused events."""


@dataclass(frozen=True)
class AddResult:
    """What ``Store.add_article`` or ``Store.save_extraction`` did.

    ``new``: stored, starting its own story (``story_id == article_id``); ``near_duplicate``:
    stored, joined to the story of a similar earlier article; ``updated``: the article was stored,
    its facts were (re)written; ``duplicate``: nothing was written (the article was stored, and
    for ``save_extraction`` with facts from the same extractor versions).
    """

    article_id: str
    status: AddStatus
    story_id: str


@dataclass(frozen=True)
class ArticleState:
    """What the store holds for one article: its story and what its facts were extracted with.

    ``versions`` is ``None`` for an article stored without facts (``ingest --no-extract``, a run
    of an older threatscape); ``{}`` for facts whose extractor versions are unknown.
    """

    story_id: str
    versions: dict[str, str] | None
    versions_key: str | None


class StoryLinker(Protocol):
    """Near-duplicate detection, run by the store when it adds an article.

    The store gives it every stored signature it has not seen (``seen`` is the highest ``seq``
    given so far; the store advances it) and asks which story a new article joins. One linker
    serves one database.
    """

    seen: int

    def signature(self, body: str) -> bytes | None:
        """The stored form of the body's signature; ``None`` when it is too short to compare."""
        ...

    def remember(self, article_id: str, signature: bytes, story_id: str) -> None: ...

    def story_for(self, signature: bytes) -> str | None:
        """The story a new article with this signature joins, or ``None`` for a story of its own."""
        ...


@runtime_checkable
class QuerySource(Protocol):
    """Read-only SQL access for query modules over the store's tables (``threatscape.store.schema``)."""

    @property
    def name(self) -> str: ...

    def reading(self) -> AbstractContextManager[Connection]:
        """A connection in a transaction that is rolled back at the end: whatever a query
        writes (temporary tables) never reaches the database."""
        ...


@runtime_checkable
class Store(Protocol):
    """Articles, their stories, extracted facts, fused events and ingest failures.

    Usable as a context manager that closes the store on exit.
    """

    @property
    def name(self) -> str:
        """The database, for messages (a path, or a URL without its password)."""
        ...

    # -- articles ------------------------------------------------------------------------

    def add_article(self, article: Article, *, linker: StoryLinker | None = None) -> AddResult:
        """Store ``article`` without facts unless its id is stored (then: ``duplicate``)."""
        ...

    def save_extraction(
        self, ex: Extraction, versions: Mapping[str, str] | None = None, *, linker: StoryLinker | None = None
    ) -> AddResult:
        """Store the article (if new) and replace its facts with ``ex``'s, in one transaction,
        recording the extractor ``versions`` (``None``: unknown). Nothing is written when the
        article's facts come from these versions already."""
        ...

    def article_state(self, article_id: str) -> ArticleState | None: ...

    def articles(
        self,
        *,
        search: str | None = None,
        since: str | None = None,
        until: str | None = None,
        limit: int | None = None,
        offset: int = 0,
    ) -> list[Article]:
        """Newest first; ``since``/``until`` (``YYYY[-MM[-DD]]``, inclusive) bound the article date;
        ``offset`` skips that many (for paging)."""
        ...

    def outdated(
        self,
        versions_key: str,
        *,
        since: str | None = None,
        until: str | None = None,
        after: str | None = None,
        limit: int | None = None,
    ) -> list[Article]:
        """Articles whose facts were not extracted with the versions of ``versions_key``, in the
        order they were stored; those stored after the article ``after`` (to go on from one batch
        to the next)."""
        ...

    def count_outdated(self, versions_key: str, *, since: str | None = None, until: str | None = None) -> int: ...

    def get_article(self, id_or_prefix: str) -> Article | None: ...

    def story_of(self, article_id: str) -> str | None: ...

    def count_articles(self, *, search: str | None = None) -> int:
        """How many articles are stored; with ``search``, how many ``articles(search=...)`` finds."""
        ...

    # -- failures --------------------------------------------------------------------------

    def record_failure(self, origin: str, reason: str) -> None:
        """Record that ``origin`` failed for ``reason`` (once: the same failure again adds nothing)."""
        ...

    def failures(self) -> list[IngestFailure]: ...

    # -- facts, links, fused events --------------------------------------------------------

    def extraction(self, article_id: str) -> dict[str, Any] | None: ...

    def pending_links(self) -> list[Article]:
        """Articles whose facts were written since contested links were last worked out for them."""
        ...

    def set_contested(self, links: Mapping[str, Sequence[str]], *, done: Sequence[str] = ()) -> int:
        """Mark relations contested and take the articles ``done`` off ``pending_links``."""
        ...

    def refresh_fused_events(self, fuse: Fuse) -> int: ...

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
        """Fused events, oldest first; every filter case-insensitive, dates inclusive."""
        ...

    def iter_events(self, chunk: int, **filters: Any) -> Iterator[list[dict[str, Any]]]:
        """Every event ``query_events`` with these filters gives, ``chunk`` at a time, in one snapshot."""
        ...

    def count_events(self, **filters: Any) -> int:
        """How many fused events ``query_events`` with these filters gives."""
        ...

    def tally_events(self, by: Sequence[str] = (), **filters: Any) -> list[Tally]:
        """Those events and their fatalities per value of the ``by`` columns."""
        ...

    def tally_windows(self, windows: Sequence[tuple[str, str]], **filters: Any) -> list[Tally]:
        """Those events and their fatalities in each ``(since, until)`` window, in one query."""
        ...

    def close(self) -> None: ...

    def __enter__(self) -> Self: ...

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None: ...
