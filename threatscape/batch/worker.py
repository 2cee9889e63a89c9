"""What runs on a Dask worker: the plugin holding the pipeline's resources, and one partition.

``ResourcesPlugin`` builds a worker's ``Resources`` once, when the worker starts (or joins the
cluster later): the spaCy pipeline, the learned layer's session, gazetteer and lexicons are
loaded on first use and kept for the worker's life, however many partitions it runs.

``process_partition`` reads the partition's records, structures them and extracts their facts
with the same functions as ``ingest`` (``pipeline.structure_documents``, the spec's ``run``:
``pipeline.extract_in_worker``), writes its tables (``batch.tables``) and then, last, its done
marker ``part-NNNNN/_DONE``. A partition whose marker is there is not done again, so a task
run twice (its worker died after writing, the scheduler ran it elsewhere) or a re-run of the
batch does nothing more. When extracting the partition raises, each article is extracted alone
and those that still raise are recorded in ``failures`` with the error; the rest is written.
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable, Iterable
from dataclasses import asdict, dataclass
from typing import Any

from distributed import WorkerPlugin, get_worker

from threatscape.batch.files import DONE, exists, put_file, read_file
from threatscape.batch.plan import Partition
from threatscape.batch.read import read_partition
from threatscape.batch.tables import TABLES, Failure, partition_tables
from threatscape.errors import ConfigError, ThreatscapeError
from threatscape.model import Article, Extraction, IngestFailure
from threatscape.pipeline import structure_documents
from threatscape.versions import extractor_versions, versions_key
from threatscape.workers import WorkerSpec

__all__ = ["PLUGIN", "PartitionDone", "PartitionJob", "ResourcesPlugin", "process_partition", "run_partition"]

PLUGIN = "threatscape-resources"

Run = Callable[[list[Article], Any], Iterable[Extraction]]


class ResourcesPlugin(WorkerPlugin):
    """Builds the worker's resources from ``spec`` (``WorkerSpec``: its factory and settings) once."""

    name = PLUGIN

    def __init__(self, spec: WorkerSpec) -> None:
        self.spec = spec
        self.resources: Any = None

    def setup(self, worker: Any) -> None:
        self.resources = _resources(self.spec)


_LOADED: dict[tuple[Any, ...], Any] = {}  # this worker's resources by what builds them


def _resources(spec: WorkerSpec) -> Any:
    """The resources ``spec`` describes, built once per worker process: a plugin registered again
    (the next batch on the same cluster) finds the pipeline loaded."""
    if spec.factory is None or spec.run is None:
        raise ConfigError("the batch worker spec names no resources factory or extraction")
    key = (spec.factory, spec.batch_size, spec.rules_only, spec.event_model)
    if key not in _LOADED:
        _LOADED[key] = spec.factory(
            batch_size=spec.batch_size, rules_only=spec.rules_only, event_model=spec.event_model
        )
    return _LOADED[key]


@dataclass(frozen=True)
class PartitionJob:
    """One partition to do, the batch folder ``out``, and what the driver expects of the worker."""

    partition: Partition
    out: str
    max_bytes: int
    versions_key: str


@dataclass(frozen=True)
class PartitionDone:
    """What one partition holds (``skipped``: it was done before this task)."""

    number: int
    articles: int
    failures: int
    seconds: float
    skipped: bool = False


def run_partition(job: PartitionJob) -> PartitionDone:
    """The Dask task: ``process_partition`` with this worker's plugin's resources."""
    plugin = get_worker().plugins.get(PLUGIN)
    if not isinstance(plugin, ResourcesPlugin) or plugin.spec.run is None:
        raise ConfigError(f"this worker has no {PLUGIN} plugin: run partitions through threatscape.batch.run_batch")
    return process_partition(job, plugin.resources, plugin.spec.run)


def _read(part: Partition, max_bytes: int) -> tuple[list[Article], list[Failure]]:
    articles: list[Article] = []
    failures: list[Failure] = []
    try:
        for item in structure_documents(read_partition(part, max_bytes)):
            if isinstance(item, IngestFailure):
                failures.append(Failure(part.url, item.origin, item.reason))
            else:
                articles.append(item)
    except (ThreatscapeError, OSError, ValueError) as exc:
        failures.append(Failure(part.url, f"{part.url} ({part.name})", f"cannot read: {type(exc).__name__}: {exc}"))
    return articles, failures


def _error(exc: BaseException) -> str:
    return f"extraction failed: {type(exc).__name__}: {exc}".splitlines()[0]


def _extract(articles: list[Article], res: Any, run: Run, part: Partition) -> tuple[list[Extraction], list[Failure]]:
    """Every article's facts; when that raises, article by article, the ones that raise failed."""
    try:
        return list(run(articles, res)), []
    except Exception:  # noqa: BLE001 - any error of an extractor: find the articles that cause it
        pass
    done: list[Extraction] = []
    failed: list[Failure] = []
    for article in articles:
        try:
            done += run([article], res)
        except Exception as exc:  # noqa: BLE001 - recorded with its reason; the others go on
            failed.append(Failure(part.url, article.origin or part.url, _error(exc), article.id))
    return done, failed


def process_partition(job: PartitionJob, res: Any, run: Run) -> PartitionDone:
    """Do ``job``'s partition (unless its marker says it is done) and write its tables, then the marker."""
    part, out = job.partition, job.out
    marker = f"{part.name}/{DONE}"
    if exists(out, marker):
        return _done(out, marker)
    started = time.monotonic()
    here = versions_key(extractor_versions(rules_only=bool(getattr(res, "rules_only", False))))
    if here != job.versions_key:
        raise ConfigError(
            f"this worker's extractors ({here}) are not the driver's ({job.versions_key}): "
            "install the same threatscape on the driver and every worker"
        )
    articles, failures = _read(part, job.max_bytes)
    extracted, failed = _extract(articles, res, run, part)
    tables = partition_tables(extracted, [*failures, *failed])
    for name in TABLES:
        put_file(out, f"{part.name}/{name}.parquet", tables.parquet(name))
    done = PartitionDone(part.number, len(extracted), len(failures) + len(failed), round(time.monotonic() - started, 3))
    put_file(out, marker, json.dumps(asdict(done) | {"versions_key": job.versions_key}).encode())
    return done


def _done(out: str, marker: str) -> PartitionDone:
    data = json.loads(read_file(out, marker))
    return PartitionDone(data["number"], data["articles"], data["failures"], data["seconds"], skipped=True)
