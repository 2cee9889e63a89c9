"""``threatscape load``: a batch folder's Parquet output merged into the store, then fusion.

Partitions are read in their order and each article's extraction goes through the last step of
``ingest`` (``pipeline.save_extractions``: sanctions screening against the store's lists, then
``Store.save_extraction`` with the batch's extractor versions and near-duplicate linking), so the
store ends as ``ingest`` of the same inputs leaves it. An article stored already with those
versions is left alone, a failure already recorded is not recorded again and fusion only runs
when something was written: loading twice changes nothing.

Fusion runs once at the end (``pipeline.refresh``) in this process, over every stored event, as
after ``ingest``; it is not distributed.
"""

from __future__ import annotations

import io
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from threatscape.batch.files import DONE, done_partitions, read_file
from threatscape.batch.plan import MANIFEST, Manifest, Partition, read_manifest
from threatscape.batch.tables import TABLES, extractions, failures
from threatscape.errors import InputError
from threatscape.model import Extraction, IngestFailure
from threatscape.pipeline import IngestReport, Refreshed, Resources, refresh, save_extractions
from threatscape.store import Store
from threatscape.versions import versions_key

if TYPE_CHECKING:
    import pyarrow as pa

    from threatscape.store.base import Fuse

__all__ = ["LoadReport", "load_batch"]


@dataclass
class LoadReport:
    """What ``load_batch`` did: partitions loaded of those planned, ``missing`` (not done), what
    was stored (``ingest``'s counts and failures) and what ``refresh`` did (``None``: nothing new)."""

    partitions: int = 0
    loaded: int = 0
    missing: list[str] = field(default_factory=list)
    stored: IngestReport = field(default_factory=IngestReport)
    refreshed: Refreshed | None = None


def _tables(out: str, part: Partition) -> dict[str, pa.Table]:
    import pyarrow.parquet as pq

    return {name: pq.read_table(io.BytesIO(read_file(out, f"{part.name}/{name}.parquet"))) for name in TABLES}


def _manifest(out: str) -> Manifest:
    manifest = read_manifest(out)
    if manifest is None:
        raise InputError(f"no {MANIFEST}: not the output of threatscape batch", source=out)
    return manifest


def load_batch(
    out: str,
    store: Store,
    resources: Resources,
    *,
    partial: bool = False,
    progress: Callable[[int, int], None] | None = None,
    fuse: Fuse | None = None,
) -> LoadReport:
    """Merge the done partitions of the batch folder ``out`` into ``store``, then refresh fused
    events (with ``fuse``, by default in this process) and contested links. Partitions not done
    are an ``InputError`` unless ``partial``."""
    manifest = _manifest(out)
    finished = done_partitions(out, DONE)
    report = LoadReport(partitions=len(manifest.partitions))
    report.missing = [p.name for p in manifest.partitions if p.name not in finished]
    if report.missing and not partial:
        raise InputError(
            f"{len(report.missing)} of {report.partitions} partitions are not done (first {report.missing[0]}): "
            "run threatscape batch again, or load what is done with --partial",
            source=out,
        )
    key = versions_key(manifest.versions)
    stored = report.stored

    def record(failure: IngestFailure) -> None:
        stored.failures.append(failure)
        store.record_failure(failure.origin, failure.reason)

    def new(found: Iterator[Extraction]) -> Iterator[Extraction]:
        for ex in found:
            state = store.article_state(ex.article.id)
            if state is not None and state.versions_key == key:
                stored.duplicates += 1
            else:
                yield ex

    for failure in manifest.failures:
        record(failure)
    for part in manifest.partitions:
        if part.name not in finished:
            continue
        tables = _tables(out, part)
        for failed in failures(tables["failures"]):
            record(IngestFailure(failed.origin, failed.error))
        save_extractions(new(extractions(tables)), store, stored, manifest.versions, resources)
        report.loaded += 1
        if progress is not None:
            progress(report.loaded, report.partitions - len(report.missing))
    report.refreshed = refresh(store, lexicon=resources.relation_lexicon, fuse=fuse)
    return report
