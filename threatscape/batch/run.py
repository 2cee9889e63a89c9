"""The driver of ``threatscape batch``: plan, send each partition not yet done to the cluster,
follow them as they finish.

Every partition is one task with a key of its own (the partition's name and a token of this
run): never ``pure=True``, which would let Dask take two identical partitions for one. The
scheduler gives a task whose worker died to another worker (``distributed.scheduler.allowed-failures``
times, then ``KilledWorker``); the task finds the partition's done marker if the dead worker had
written it, so no partition is written twice. Partitions left undone (a task failed for good)
are named in ``BatchReport.errors``; running the batch again does them and skips the rest.
"""

from __future__ import annotations

import logging
import time
import uuid
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from threatscape.batch.files import DONE, done_partitions, folder
from threatscape.batch.plan import Manifest, plan_batch, read_manifest, write_manifest
from threatscape.batch.worker import PLUGIN, PartitionDone, PartitionJob, ResourcesPlugin, run_partition
from threatscape.errors import ConfigError
from threatscape.versions import extractor_versions, versions_key
from threatscape.workers import WorkerSpec

if TYPE_CHECKING:
    from distributed import Client

DASHBOARD = "127.0.0.1:8787"  # a local cluster's dashboard listens on loopback only (another port if taken)

__all__ = ["BatchProgress", "BatchReport", "open_client", "run_batch", "worker_peak_memory"]


@dataclass(frozen=True)
class BatchProgress:
    """Where a run is: partitions ``done`` of ``total`` (skipped ones included), the articles and
    failures of the partitions done in this run, and their rate."""

    done: int
    total: int
    articles: int
    failures: int
    seconds: float

    @property
    def rate(self) -> float:
        return self.articles / self.seconds if self.seconds > 0 else 0.0


@dataclass
class BatchReport:
    """What a run did: ``partitions`` in the plan, ``skipped`` (done before), ``done`` now, the
    articles and failures (the plan's included) written now; ``errors``: partitions left undone."""

    partitions: int = 0
    skipped: int = 0
    done: int = 0
    articles: int = 0
    failures: int = 0
    seconds: float = 0.0
    errors: list[str] = field(default_factory=list)


def _manifest(out: str, inputs: Sequence[str], size: int, max_bytes: int, versions: dict[str, str]) -> Manifest:
    """The plan in ``out`` if it is this run's, else a new one (written there); another run's is an error."""
    found = read_manifest(out)
    wanted = Manifest(tuple(inputs), size, max_bytes, dict(versions))
    if found is not None:
        if not found.same_run(wanted):
            raise ConfigError(
                f"{out} holds a batch of other inputs, partition size or extractor versions; "
                "give another --out or remove it"
            )
        return found
    manifest = plan_batch(inputs, size, max_bytes=max_bytes, versions=versions)
    write_manifest(out, manifest)
    return manifest


def run_batch(
    inputs: Sequence[str],
    out: str,
    client: Client,
    *,
    spec: WorkerSpec,
    partition_size: int = 500,
    max_bytes: int = 50_000_000,
    progress: Callable[[BatchProgress], None] | None = None,
) -> BatchReport:
    """Extract every partition of ``inputs`` not yet done in ``out`` on ``client``'s cluster."""
    from distributed import as_completed

    started = time.monotonic()
    versions = extractor_versions(rules_only=spec.rules_only)
    fs, root = folder(out)
    fs.makedirs(root, exist_ok=True)
    manifest = _manifest(out, inputs, partition_size, max_bytes, versions)
    report = BatchReport(partitions=len(manifest.partitions), failures=len(manifest.failures))
    finished = done_partitions(out, DONE)
    todo = [p for p in manifest.partitions if p.name not in finished]
    report.skipped = report.partitions - len(todo)

    def tell() -> None:
        if progress is not None:
            done = report.skipped + report.done
            progress(
                BatchProgress(done, report.partitions, report.articles, report.failures, time.monotonic() - started)
            )

    tell()
    if todo:
        client.register_plugin(ResourcesPlugin(spec), name=PLUGIN)
        key, token = versions_key(versions), uuid.uuid4().hex[:8]
        futures = {
            client.submit(
                run_partition, PartitionJob(p, out, max_bytes, key), key=f"threatscape-{p.name}-{token}", pure=False
            ): p
            for p in todo
        }
        for future in as_completed(futures):
            part = futures[future]
            try:
                result: PartitionDone = future.result()
            except Exception as exc:  # noqa: BLE001 - a task that failed for good: named, the rest goes on
                report.errors.append(f"{part.name} ({part.url}): {type(exc).__name__}: {exc}".splitlines()[0])
                continue
            report.done += 1
            report.articles += result.articles
            report.failures += result.failures
            tell()
    report.seconds = time.monotonic() - started
    return report


def _peak_rss() -> int:
    import resource
    import sys

    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return int(peak if sys.platform == "darwin" else peak * 1024)  # bytes on macOS, KiB on Linux


def worker_peak_memory(client: Client) -> dict[str, int]:
    """Each worker process's peak resident memory so far, in bytes, by worker address."""
    return {str(k): int(v) for k, v in client.run(_peak_rss).items()}


@contextmanager
def open_client(scheduler: str | None, workers: int | None) -> Iterator[Client]:
    """A client of the scheduler at ``scheduler``, or of a local cluster (``None``/``local``) of
    ``workers`` processes with one thread each, listening on loopback. On a scheduler, ``workers``
    is how many to wait for."""
    from distributed import Client, LocalCluster

    if scheduler in (None, "", "local"):
        cluster = LocalCluster(
            n_workers=workers,
            threads_per_worker=1,
            processes=True,
            dashboard_address=DASHBOARD,
            silence_logs=logging.ERROR,
        )
        with cluster, Client(cluster) as client:
            yield client
        return
    with Client(scheduler) as client:
        if workers:
            client.wait_for_workers(workers)
        yield client
