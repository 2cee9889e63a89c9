"""The store interface every backend implements, and what its methods return.

One implementation exists (``threatscape.store.sql.SQLStore``, SQLite and PostgreSQL through
SQLAlchemy Core); callers depend on ``Store`` only. Every method raises ``StoreError`` when the
database refuses or cannot be reached.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from types import TracebackType
from typing import Any, Literal, Protocol, Self, runtime_checkable

from threatscape.model import Article, Extraction, IngestFailure

__all__ = ["AddResult", "AddStatus", "Store"]

AddStatus = Literal["new", "duplicate", "near_duplicate"]


@dataclass(frozen=True)
class AddResult:
    """What ``Store.add_article`` did.

    ``new``: stored, starting its own story (``story_id == article_id``); ``near_duplicate``:
    stored, joined to the story of a similar earlier article; ``duplicate``: the same text (same
    id) was already stored, nothing was written.
    """

    article_id: str
    status: AddStatus
    story_id: str


@runtime_checkable
class Store(Protocol):
    """Articles, their stories, extracted facts and ingest failures.

    Usable as a context manager that closes the store on exit.
    """

    @property
    def name(self) -> str:
        """The database, for messages (a path, or a URL without its password)."""
        ...

    def add_article(self, article: Article) -> AddResult: ...

    def articles(
        self,
        *,
        search: str | None = None,
        since: str | None = None,
        until: str | None = None,
        limit: int | None = None,
    ) -> list[Article]:
        """Newest first; ``since``/``until`` (``YYYY[-MM[-DD]]``, inclusive) bound the article date."""
        ...

    def get_article(self, id_or_prefix: str) -> Article | None: ...

    def story_of(self, article_id: str) -> str | None: ...

    def count_articles(self) -> int: ...

    def record_failure(self, origin: str, reason: str) -> None: ...

    def failures(self) -> list[IngestFailure]: ...

    def save_extraction(self, ex: Extraction) -> None: ...

    def extraction(self, article_id: str) -> dict[str, Any] | None: ...

    def set_contested(self, links: Mapping[str, Sequence[str]]) -> int: ...

    def close(self) -> None: ...

    def __enter__(self) -> Self: ...

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None: ...
