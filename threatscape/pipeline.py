"""The main job, stage by stage: inputs -> raw documents -> articles -> extractions -> store.

This is the one place that knows the order of the stages; the CLI, the report and the batch
adapter call it. Heavy resources (the spaCy pipeline, the actor knowledge base, the gazetteer,
the extractors' lexicons, the learned event layer) are loaded once by ``Resources`` and passed
to the extractors.

    ingest(inputs, store, settings)   read, structure, extract, store; then refresh
    reextract(store)                  extract stored articles again after an upgrade; then refresh
    refresh(store)                    fused events, and contested links around what changed
    extract_articles(articles)        the extractions alone, in memory (``threatscape extract``)

With ``Resources.processes`` above 1, ``ingest`` and ``reextract`` send each batch to worker
processes (``workers.ExtractionPool``) for parsing and extraction and do everything else here, in
this process, in the same order: the stored result is the same as with one process.

Near-duplicate linking (``resolve.duplicates``) and fusion (``resolve.fusion``) are called from
here and written through the store, which runs them inside its write transactions.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from functools import cached_property, lru_cache
from typing import TYPE_CHECKING, Any, BinaryIO
from weakref import WeakKeyDictionary

from threatscape.errors import ThreatscapeError
from threatscape.ingest import iter_documents
from threatscape.model import Article, Extraction, IngestFailure, RawDocument
from threatscape.settings import Settings
from threatscape.structure import structure_document
from threatscape.versions import extractor_versions, versions_key

if TYPE_CHECKING:
    from threatscape.extract.actors.lexicon import RoleLexicon
    from threatscape.extract.claims.learned import StanceJoin
    from threatscape.extract.claims.lexicon import CueLexicon
    from threatscape.extract.dates.lexicon import DateLexicon
    from threatscape.extract.events.learned import LearnedThresholds
    from threatscape.extract.events.lexicon import EventLexicon, PloverLexicon
    from threatscape.extract.money.lexicon import MoneyLexicon
    from threatscape.extract.nlp.encoder import EventEncoder
    from threatscape.extract.quantities.lexicon import QuantityLexicon
    from threatscape.extract.relations.lexicon import RelationLexicon
    from threatscape.store import AddResult, Store, StoryLinker
    from threatscape.store.base import Fuse
    from threatscape.workers import ExtractionPool

__all__ = [
    "IngestReport",
    "ReextractReport",
    "Refreshed",
    "Resources",
    "extract_articles",
    "extract_facts",
    "ingest",
    "link_contested",
    "read_articles",
    "reextract",
    "refresh",
    "save_extractions",
    "screener_for",
    "story_linker",
    "structure_documents",
]


def read_articles(
    inputs: Sequence[str], settings: Settings, *, stdin: BinaryIO | None = None
) -> Iterator[Article | IngestFailure]:
    """Articles from every input, in order; an unreadable input or document yields a failure."""
    yield from structure_documents(iter_documents(inputs, settings, stdin=stdin))


def structure_documents(items: Iterable[RawDocument | IngestFailure]) -> Iterator[Article | IngestFailure]:
    """The articles of each raw document, in order; failures pass through, and a document that
    cannot be structured or holds no article text yields one (what ``threatscape batch`` runs on
    the documents of a partition)."""
    for item in items:
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

    Each lexicon (``*_lexicon``) is the typed object its extractor takes, read from the package's
    data files once; a bad data file raises ``ConfigError`` when it is first needed.

    ``sanctions`` names what actors are screened against: a list file, a database (path or URL)
    holding loaded lists, or ``None`` for no screening. Matches needing review collect in
    ``reviews``.

    ``event_encoder`` is the learned event layer (``threatscape/data/models/events/``, or the
    artefact folder ``event_model`` names), ``None`` with ``rules_only``.

    ``processes``: how many worker processes ``ingest`` and ``reextract`` extract in (each loads
    its own pipeline and model once); 1 extracts in this process.
    """

    batch_size: int = 32
    sanctions: str | None = None
    reviews: list[Any] = field(default_factory=list)
    rules_only: bool = False
    event_model: str | None = None
    processes: int = 1

    @classmethod
    def from_settings(cls, settings: Settings, *, sanctions: str | None = None) -> Resources:
        return cls(
            batch_size=settings.batch_size,
            sanctions=sanctions,
            rules_only=settings.rules_only,
            event_model=settings.event_model or None,
            processes=settings.processes,
        )

    @cached_property
    def event_encoder(self) -> EventEncoder | None:
        if self.rules_only:
            return None
        from pathlib import Path

        from threatscape.extract.nlp.encoder import EventEncoder, default_model_dir

        if self.event_model:
            return EventEncoder(Path(self.event_model))
        packaged = default_model_dir()
        if not (packaged / "manifest.json").exists():
            return None  # a source tree without the artefact (make train writes it): the rules alone
        return EventEncoder(packaged)

    @cached_property
    def event_thresholds(self) -> LearnedThresholds | None:
        """The thresholds joining the model to the rules, from the artefact's manifest."""
        if self.event_encoder is None:
            return None
        from threatscape.extract.events.learned import thresholds_from_manifest

        return thresholds_from_manifest(self.event_encoder.manifest)

    @cached_property
    def stance_join(self) -> StanceJoin | None:
        """How the model's stance head joins the rules' stance, from the artefact's manifest."""
        if self.event_encoder is None:
            return None
        from threatscape.extract.claims.learned import join_from_manifest

        return join_from_manifest(self.event_encoder.manifest)

    @cached_property
    def gazetteer(self) -> Any:
        from threatscape.resolve.gazetteer import load_gazetteer

        return load_gazetteer()

    @cached_property
    def screener(self) -> Any:
        return screener_for(self.sanctions) if self.sanctions else None

    @cached_property
    def nlp(self) -> Any:
        from threatscape.extract.nlp import load_nlp

        return load_nlp()

    @cached_property
    def actor_kb(self) -> Any:
        from threatscape.resolve.actors import load_actor_kb

        return load_actor_kb()

    @cached_property
    def role_lexicon(self) -> RoleLexicon:
        from threatscape.extract.actors.lexicon import load_role_lexicon

        return load_role_lexicon()

    @cached_property
    def cue_lexicon(self) -> CueLexicon:
        from threatscape.extract.claims.lexicon import load_cues

        return load_cues()

    @cached_property
    def quantity_lexicon(self) -> QuantityLexicon:
        from threatscape.extract.quantities.lexicon import load_quantity_lexicon

        return load_quantity_lexicon()

    @cached_property
    def date_lexicon(self) -> DateLexicon:
        from threatscape.extract.dates.lexicon import load_date_lexicon

        return load_date_lexicon()

    @cached_property
    def relation_lexicon(self) -> RelationLexicon:
        from threatscape.extract.relations.lexicon import load_relation_lexicon

        return load_relation_lexicon()

    @cached_property
    def event_lexicon(self) -> EventLexicon:
        from threatscape.extract.events.lexicon import load_event_lexicon

        return load_event_lexicon()

    @cached_property
    def money_lexicon(self) -> MoneyLexicon:
        from threatscape.extract.money.lexicon import load_money_lexicon

        return load_money_lexicon()

    @cached_property
    def plover_lexicon(self) -> PloverLexicon:
        from threatscape.extract.events.lexicon import load_plover_lexicon

        return load_plover_lexicon()


def screener_for(source: str) -> Any:
    """A sanctions screener over a list file, or over the newest lists loaded into a database (a
    path or URL), with its reviewers' decisions (``resolve.sanctions``)."""
    from threatscape.resolve.sanctions import load_screener, stored_screener
    from threatscape.store.engine import is_database

    return stored_screener(_sanctions_db(source)) if is_database(source) else load_screener(source)


@lru_cache(maxsize=4)
def _sanctions_db(url_or_path: str) -> Any:
    from threatscape.store.sanctions import SanctionsDB

    return SanctionsDB.open(url_or_path)


def extract_articles(
    articles: Iterable[Article],
    resources: Resources | None = None,
    *,
    contested: bool = True,
    pool: ExtractionPool | None = None,
) -> Iterator[Extraction]:
    """Run every extractor over the articles; spaCy processes the bodies in batches (in ``pool``'s
    worker processes, if given). With ``contested``, all are extracted first and relations denied
    among them are marked (here: it needs them all)."""
    from threatscape.resolve.contested import mark_contested

    res = resources or Resources()
    extractions = _extract_each(articles, res, pool)
    yield from mark_contested(list(extractions), lexicon=res.relation_lexicon) if contested else extractions


def _extract_each(
    articles: Iterable[Article], res: Resources, pool: ExtractionPool | None = None
) -> Iterator[Extraction]:
    """Every extractor over the articles (here, or in ``pool``'s workers), then sanctions screening
    here: the screener's review list and stored lists belong to this process."""
    found = pool.extract(list(articles)) if pool is not None else extract_facts(articles, res)
    for ex in found:
        yield _screened(ex, res)


def extract_facts(articles: Iterable[Article], res: Resources) -> Iterator[Extraction]:
    """Every extractor over the articles, each fact stamped with its extractor's version; no
    screening. Bodies are parsed in batches; one longer than the parser takes goes in chunks
    (extract/chunks.py). What a worker process runs (``workers``)."""
    from threatscape.extract.chunks import extract_each
    from threatscape.extract.document import extract_document
    from threatscape.versions import stamp

    def extract(doc: Any, article: Article) -> Extraction:
        return extract_document(doc, article, res)

    for chunked in extract_each(articles, res.nlp, extract, batch_size=res.batch_size):
        yield stamp(chunked)


def extract_in_worker(articles: list[Article], res: Resources) -> list[Extraction]:
    """What each worker process runs on its piece of a batch (``workers.WorkerSpec.run``): the
    facts of ``extract_facts``, as a list to send back."""
    return list(_EXTRACT_FACTS(articles, res))


_EXTRACT_FACTS = extract_facts  # bound here: a test that replaces extract_facts in the parent leaves workers alone


def _screened(ex: Extraction, res: Resources) -> Extraction:
    """``ex`` with its actors screened against the sanctions lists (if any) and its flows flagged."""
    if res.screener is None:
        return ex
    from threatscape.extract.money import flag_sanctioned
    from threatscape.resolve.sanctions import screen_actors

    return flag_sanctioned(replace(ex, actors=tuple(screen_actors(ex.actors, res.screener, res.reviews))))


@contextmanager
def _extraction_pool(res: Resources | None) -> Iterator[ExtractionPool | None]:
    """Worker processes for ``res.processes`` above 1 (started on first use, ended on leaving),
    else ``None``: extraction in this process."""
    if res is None or res.processes <= 1:
        yield None
        return
    from threatscape.workers import ExtractionPool, WorkerSpec

    with ExtractionPool(res.processes, WorkerSpec.of(res, extract_in_worker)) as pool:
        yield pool


def _rules_only(resources: Resources | None) -> bool:
    return resources is not None and resources.rules_only


@dataclass
class IngestReport:
    """What ``ingest`` did; ``updated``: articles stored before without facts, or with facts from
    other extractor versions, extracted now."""

    new: int = 0
    duplicates: int = 0
    near_duplicates: int = 0
    updated: int = 0
    failures: list[IngestFailure] = field(default_factory=list)

    def count(self, result: AddResult) -> None:
        self.new += result.status == "new"
        self.near_duplicates += result.status == "near_duplicate"
        self.updated += result.status == "updated"
        self.duplicates += result.status == "duplicate"


_LINKERS: WeakKeyDictionary[Store, StoryLinker] = WeakKeyDictionary()


def story_linker(store: Store) -> StoryLinker:
    """The near-duplicate index for ``store`` (``resolve.duplicates.StoryIndex``), one per open
    store: built from the stored signatures on first use, topped up by the store as it adds."""
    if store not in _LINKERS:
        from threatscape.resolve.duplicates import StoryIndex

        _LINKERS[store] = StoryIndex()
    return _LINKERS[store]


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
    """Read, structure, deduplicate, extract and store; then refresh what depends on the whole
    store (fused events, contested links across articles).

    Each article is stored with its facts and their extractor versions in one transaction, so a
    run that is killed loses nothing it committed, and the next run completes the rest: articles
    already stored with the installed extractor versions are skipped (``duplicates``), those stored
    without facts or with other versions are extracted again (``updated``). One article failing
    never loses others."""
    report = IngestReport()
    versions = extractor_versions(rules_only=_rules_only(resources)) if extract else None
    key = versions_key(versions) if versions is not None else None
    pending: list[Article] = []

    def flush(pool: ExtractionPool | None) -> None:
        if pending:
            res = resources or Resources()
            found = pool.extract(list(pending)) if pool is not None else extract_facts(pending, res)
            save_extractions(found, store, report, versions, res)
        pending.clear()

    with _extraction_pool(resources if extract else None) as pool:
        for item in read_articles(inputs, settings, stdin=stdin):
            if on_item:
                on_item(item)
            if isinstance(item, IngestFailure):
                report.failures.append(item)
                store.record_failure(item.origin, item.reason)
                continue
            state = store.article_state(item.id)
            if state is not None and (not extract or state.versions_key == key):
                report.duplicates += 1
            elif not extract:
                report.count(store.add_article(item, linker=story_linker(store)))
            else:
                pending.append(item)
                if len(pending) >= batch:
                    flush(pool)
        flush(pool)
    if extract:
        refresh(store, lexicon=resources.relation_lexicon if resources else None)
    return report


def save_extractions(
    extractions: Iterable[Extraction],
    store: Store,
    report: IngestReport,
    versions: Mapping[str, str] | None,
    resources: Resources,
) -> None:
    """Screen each extraction's actors (``resources.screener``) and store it with its extractor
    ``versions``, near-duplicates linked, in order; counted in ``report``. The last step of
    ``ingest``, and of ``threatscape load`` for facts extracted by ``threatscape batch``."""
    linker = story_linker(store)
    for ex in extractions:
        report.count(store.save_extraction(_screened(ex, resources), versions, linker=linker))


@dataclass
class ReextractReport:
    """What ``reextract`` did: ``outdated`` articles found (within the dates), ``extracted`` again,
    and what ``refresh`` did after (``None``: nothing was pending)."""

    outdated: int = 0
    extracted: int = 0
    refreshed: Refreshed | None = None


def reextract(
    store: Store,
    *,
    since: str | None = None,
    until: str | None = None,
    resources: Resources | None = None,
    batch: int = 32,
    progress: Callable[[int, int], None] | None = None,
) -> ReextractReport:
    """Extract again the stored articles whose facts do not come from the installed extractor
    versions (or that have none), ``since``/``until`` bounding the article date; then refresh
    fused events and contested links.

    What a user runs after upgrading threatscape or its model. Articles go in batches, each
    committed with its facts, so a run that is killed loses nothing and the next one goes on with
    what is left; a run with nothing left writes nothing. ``progress(done, total)`` is called
    before the first article and after each one."""
    versions = extractor_versions(rules_only=_rules_only(resources))
    key = versions_key(versions)
    report = ReextractReport(outdated=store.count_outdated(key, since=since, until=until))
    if progress:
        progress(0, report.outdated)
    after: str | None = None
    with _extraction_pool(resources if report.outdated else None) as pool:
        while articles := store.outdated(key, since=since, until=until, after=after, limit=batch):
            for ex in extract_articles(articles, resources, contested=False, pool=pool):
                report.extracted += store.save_extraction(ex, versions).status == "updated"
                if progress:
                    progress(report.extracted, report.outdated)
            after = articles[-1].id
    report.refreshed = refresh(store, lexicon=resources.relation_lexicon if resources else None)
    return report


@dataclass(frozen=True)
class Refreshed:
    """What ``refresh`` did: how many fused events there are, how many relations it marked."""

    fused: int
    contested: int


def refresh(
    store: Store, *, force: bool = False, lexicon: RelationLexicon | None = None, fuse: Fuse | None = None
) -> Refreshed | None:
    """Fuse the stored events again and work out contested links around the articles whose facts
    were written since the last time (``Store.pending_links``); ``None`` when there were none
    (unless ``force``). Fusion comes first: the links pass takes the articles off the pending list,
    so a run killed in between leaves them pending and the next run does both again. ``fuse``:
    how (default ``fuse_events``, in this process; ``threatscape load`` on a cluster passes
    ``fusion_blocks.fuse_blocked`` scoring on the workers)."""
    from threatscape.resolve.fusion import fuse_events

    pending = store.pending_links()
    if not pending and not force:
        return None
    fused = store.refresh_fused_events(fuse or fuse_events)
    return Refreshed(fused, link_contested(store, pending, lexicon=lexicon))


def link_contested(
    store: Store, new: Sequence[Article], *, limit: int = 5000, lexicon: RelationLexicon | None = None
) -> int:
    """Mark relations denied across articles in the store, around the dates of the ``new`` ones,
    and take ``new`` off the store's pending list.

    Reads back the stored facts of the articles dated within the lexicon's window of the new ones
    (at most ``limit``) and stores the links it finds between them (denials inside one article
    included; ``lexicon``: the relation lexicon, by default the packaged one). Returns how many
    relations it newly marked."""
    import datetime as dt

    from threatscape.extract.relations.lexicon import load_relation_lexicon
    from threatscape.resolve.contested import contested_links, extraction_from_export

    if not new:
        return 0
    dates = sorted(d for d in (a.date for a in new) if d)
    lex = lexicon or load_relation_lexicon()
    window = dt.timedelta(days=lex.window_days)
    since = (dt.date.fromisoformat(dates[0]) - window).isoformat() if dates else None
    until = (dt.date.fromisoformat(dates[-1]) + window).isoformat() if dates else None
    nearby = store.articles(since=since, until=until, limit=limit)
    ids = {a.id for a in nearby} | {a.id for a in new}
    records = [r for r in (store.extraction(i) for i in sorted(ids)) if r is not None]
    links = contested_links([extraction_from_export(r) for r in records], lexicon=lex)
    return store.set_contested(links, done=[a.id for a in new])
