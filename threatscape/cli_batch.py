"""``threatscape batch`` and ``threatscape load``: the pipeline on a Dask cluster, and its output
merged into the store.

Attached to the main group with ``cli.add_command``. Thin commands over ``threatscape.batch``;
errors are ``ThreatscapeError`` (the main entry point prints them). Messages and progress on
stderr; exit code 3 when some inputs failed (each recorded), 1 when partitions were left undone.
"""

from __future__ import annotations

import sys
from collections.abc import Sequence
from typing import Any

import click

from threatscape.cli_sanctions import queue_found_reviews, stored_lists
from threatscape.settings import load_settings

__all__ = ["batch", "load"]

EXIT_PARTIAL = 3


def _err(message: str) -> None:
    click.echo(message, err=True)


def _bar(description: str) -> Any:
    if not sys.stderr.isatty():
        return None
    from threatscape.cli_output import ProgressBar

    return ProgressBar(description)


@click.command()
@click.argument("inputs", nargs=-1, required=True)
@click.option("--out", "out", required=True, help="Folder (or fsspec URL) the Parquet tables are written to.")
@click.option("--scheduler", default="local", show_default=True, help="Dask scheduler address, or 'local'.")
@click.option("--workers", type=int, help="Local workers (default: one per core); on a scheduler, wait for this many.")
@click.option("--partition-size", type=int, default=500, show_default=True, help="Lines or rows per partition.")
@click.option(
    "--rules-only", is_flag=True, default=None, help="Events from the rules alone, without the learned layer."
)
@click.pass_context
def batch(
    ctx: click.Context,
    inputs: Sequence[str],
    out: str,
    scheduler: str,
    workers: int | None,
    partition_size: int,
    rules_only: bool | None,
) -> None:
    """Extract JSONL or Parquet inputs (paths, globs or fsspec URLs) on a Dask cluster into Parquet
    tables under OUT, partition by partition; a re-run skips the partitions done."""
    from threatscape import pipeline
    from threatscape.batch.run import BatchProgress, open_client, run_batch, worker_peak_memory
    from threatscape.workers import WorkerSpec

    settings = load_settings((ctx.obj or {}).get("config"), rules_only=rules_only)
    spec = WorkerSpec.of(pipeline.Resources.from_settings(settings), pipeline.extract_in_worker)
    bar = _bar("partitions")
    with open_client(scheduler, workers or (settings.processes if scheduler == "local" else None)) as client:
        _err(f"dask dashboard: {client.dashboard_link}")

        def progress(p: BatchProgress) -> None:
            if bar is not None:
                bar.update(p.done, p.total, note=f"{p.articles} articles, {p.rate:.1f}/s, {p.failures} failed")

        try:
            report = run_batch(
                inputs,
                out,
                client,
                spec=spec,
                partition_size=partition_size,
                max_bytes=settings.max_bytes,
                progress=progress,
            )
        finally:
            if bar is not None:
                bar.stop()
        peak = max(worker_peak_memory(client).values(), default=0)
    for error in report.errors:
        _err(f"error: {error}")
    rate = report.articles / report.seconds if report.seconds else 0.0
    _err(
        f"{report.done + report.skipped} of {report.partitions} partitions done ({report.skipped} before this run), "
        f"{report.articles} articles at {rate:.1f}/s, {report.failures} failed -> {out} "
        f"(peak worker memory {peak / 2**20:.0f} MiB)"
    )
    if report.errors:
        sys.exit(1)
    if report.failures:
        sys.exit(EXIT_PARTIAL)


@click.command()
@click.argument("out")
@click.option("--db", help="Database path or URL (default ./threatscape.db, or THREATSCAPE_DB).")
@click.option("--partial", is_flag=True, help="Load the partitions done even if others are not.")
@click.option(
    "--scheduler",
    help="Fuse on this Dask cluster ('local': a local one), blocked by country and date window; "
    "by default fusion runs in this process.",
)
@click.option("--workers", type=int, help="With --scheduler: local workers, or how many to wait for.")
@click.pass_context
def load(
    ctx: click.Context, out: str, db: str | None, partial: bool, scheduler: str | None, workers: int | None
) -> None:
    """Merge the output of threatscape batch (the folder OUT) into the database, then fuse events
    across reports; loading again changes nothing."""
    from threatscape.store import open_store

    settings = load_settings((ctx.obj or {}).get("config"), db=db)
    store = open_store(settings.db, settings.db_busy_limit)
    if scheduler is None:
        sys.exit(_load(settings, store, out, partial, None))
    from threatscape.batch.run import open_client
    from threatscape.resolve.fusion_blocks import BlockStats, dask_map, fuse_blocked

    stats = BlockStats()
    with open_client(scheduler, workers or (settings.processes if scheduler == "local" else None)) as client:
        _err(f"dask dashboard: {client.dashboard_link}")
        code = _load(settings, store, out, partial, lambda items: fuse_blocked(items, dask_map(client), stats))
    if stats.blocks:
        _err(
            f"fusion on the cluster: {stats.events} events in {stats.blocks} blocks "
            f"({stats.copies} sent, {stats.replication:.2f} per event), {stats.pairs} matching pairs"
        )
    sys.exit(code)


def _load(settings: Any, store: Any, out: str, partial: bool, fuse: Any) -> int:
    """Load ``out`` into ``store`` and report; the exit code."""
    from threatscape import pipeline
    from threatscape.batch.load import load_batch

    where = store.name
    lists = stored_lists(settings)
    resources = pipeline.Resources.from_settings(settings, sanctions=settings.db if lists else None)
    bar = _bar("loading partitions")
    try:
        report = load_batch(out, store, resources, partial=partial, progress=bar.update if bar else None, fuse=fuse)
    finally:
        if bar is not None:
            bar.stop()
        store.close()
    queue_found_reviews(lists, resources)
    s = report.stored
    missing = f", {len(report.missing)} not done and left out" if report.missing else ""
    _err(
        f"{report.loaded} of {report.partitions} partitions loaded{missing}: {s.new} new, "
        f"{s.near_duplicates} near-duplicate, {s.duplicates} already stored, {len(s.failures)} failed -> {where}"
    )
    if report.refreshed is not None:
        _err(f"{report.refreshed.fused} fused events, {report.refreshed.contested} relations newly contested")
    return EXIT_PARTIAL if s.failures else 0
