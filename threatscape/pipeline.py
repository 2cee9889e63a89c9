"""The main job, stage by stage: inputs -> raw documents -> articles -> extractions -> store.

This is the one place that knows the order of the stages; the CLI, the report and the batch
adapter call it. Heavy resources (the spaCy pipeline, the actor knowledge base, the gazetteer)
are loaded once by ``Resources`` and passed to the extractors.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field, replace
from functools import cached_property
from typing import TYPE_CHECKING, Any, BinaryIO

from threatscape.errors import ThreatscapeError
from threatscape.ingest import iter_documents
from threatscape.model import Article, Extraction, IngestFailure
from threatscape.settings import Settings
from threatscape.structure import structure_document

if TYPE_CHECKING:
    from threatscape.store import Store

__all__ = ["IngestReport", "Resources", "extract_articles", "ingest", "read_articles"]


def read_articles(
    inputs: Sequence[str], settings: Settings, *, stdin: BinaryIO | None = None
) -> Iterator[Article | IngestFailure]:
    """Articles from every input, in order; an unreadable input or document yields a failure."""
    for item in iter_documents(inputs, settings, stdin=stdin):
        if isinstance(item, IngestFailure):
            yield item
            continue
        try:
            articles = structure_document(item)
        except ThreatscapeError as exc:
            yield IngestFailure(item.origin, str(exc.args[0]) if exc.args else type(exc).__name__)
            continue
        if not articles:
            yield IngestFailure(item.origin, "no article text found")
        yield from articles


@dataclass
class Resources:
    """Heavy, read-only resources shared by the extractors, loaded on first use.

    ``sanctions`` names what actors are screened against: a list file, a database (path or URL)
    holding loaded lists, or ``None`` for no screening. Matches needing review collect in
    ``reviews``.
    """

    batch_size: int = 32
    sanctions: str | None = None
    reviews: list[Any] = field(default_factory=list)

    @cached_property
    def gazetteer(self) -> Any:
        from threatscape.resolve.gazetteer import load_gazetteer

        return load_gazetteer()

    @cached_property
    def screener(self) -> Any:
        if not self.sanctions:
            return None
        from threatscape.resolve.sanctions import load_screener

        return load_screener(self.sanctions)

    @cached_property
    def nlp(self) -> Any:
        from threatscape.extract.nlp import load_nlp

        return load_nlp()

    @cached_property
    def actor_kb(self) -> Any:
        from threatscape.resolve.actors import load_actor_kb

        return load_actor_kb()


def extract_articles(
    articles: Iterable[Article], resources: Resources | None = None, *, contested: bool = True
) -> Iterator[Extraction]:
    """Run every extractor over the articles; spaCy processes the bodies in batches. With
    ``contested``, all are extracted first and relations denied among them are marked."""
    from threatscape.resolve.contested import mark_contested

    extractions = _extract_each(articles, resources or Resources())
    yield from mark_contested(list(extractions)) if contested else extractions


def _extract_each(articles: Iterable[Article], res: Resources) -> Iterator[Extraction]:
    """Bodies parsed in batches; one longer than the parser takes goes in chunks (extract/chunks.py)."""
    from threatscape.extract.chunks import extract_each
    from threatscape.extract.document import extract_document

    def extract(doc: Any, article: Article) -> Extraction:
        return extract_document(doc, article, res)

    for ex in extract_each(articles, res.nlp, extract, batch_size=res.batch_size):
        if res.screener is not None:
            from threatscape.resolve.sanctions import screen_actors

            ex = replace(ex, actors=tuple(screen_actors(ex.actors, res.screener, res.reviews)))
        yield ex


@dataclass
class IngestReport:
    new: int = 0
    duplicates: int = 0
    near_duplicates: int = 0
    failures: list[IngestFailure] = field(default_factory=list)


def ingest(
    inputs: Sequence[str],
    store: Store,
    settings: Settings,
    *,
    extract: bool = True,
    stdin: BinaryIO | None = None,
    on_item: Callable[[Article | IngestFailure], None] | None = None,
    resources: Resources | None = None,
    batch: int = 32,
) -> IngestReport:
    """Read, structure, deduplicate, extract and store. One article failing never loses others."""
    report = IngestReport()
    pending: list[Article] = []

    stored: list[Article] = []

    def flush() -> None:
        if extract and pending:
            for ex in extract_articles(pending, resources):
                store.save_extraction(ex)
            stored.extend(pending)
        pending.clear()

    for item in read_articles(inputs, settings, stdin=stdin):
        if on_item:
            on_item(item)
        if isinstance(item, IngestFailure):
            report.failures.append(item)
            store.record_failure(item.origin, item.reason)
            continue
        result = store.add_article(item)
        if result.status == "duplicate":
            report.duplicates += 1
            continue
        report.new += result.status == "new"
        report.near_duplicates += result.status == "near_duplicate"
        pending.append(item)
        if len(pending) >= batch:
            flush()
    flush()
    if extract:
        from threatscape.store.events import refresh_fused_events

        link_contested(store, stored)
        refresh_fused_events(store)
    return report


def link_contested(store: Store, new: Sequence[Article], *, limit: int = 5000) -> int:
    """Mark relations denied across articles in the store, around the dates of the ``new`` ones.

    ``extract_articles`` marks denials inside one batch; this pass reads back the stored facts of
    the articles dated within the lexicon's window of the new ones (at most ``limit``) and stores
    the links it finds between them. Returns how many relations it newly marked."""
    import datetime as dt

    from threatscape.extract.relation_lexicon import load_relation_lexicon
    from threatscape.resolve.contested import contested_links, extraction_from_export

    if not new:
        return 0
    dates = sorted(d for d in (a.date for a in new) if d)
    window = dt.timedelta(days=load_relation_lexicon().window_days)
    since = (dt.date.fromisoformat(dates[0]) - window).isoformat() if dates else None
    until = (dt.date.fromisoformat(dates[-1]) + window).isoformat() if dates else None
    nearby = store.articles(since=since, until=until, limit=limit)
    ids = {a.id for a in nearby} | {a.id for a in new}
    records = [r for r in (store.extraction(i) for i in sorted(ids)) if r is not None]
    return store.set_contested(contested_links([extraction_from_export(r) for r in records]))
