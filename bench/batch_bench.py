"""``threatscape batch`` on a local Dask cluster of 1 and of 2 workers, against spaCy's own
``nlp.pipe`` in one process, in the same run; then ``load`` and fusion in blocks; then a
projection to 16 and 64 workers from what was measured.

The corpus is ``tests/batch_corpus.py``'s (the demo corpus's articles with other places, names
and dates), ``ARTICLES`` articles (``THREATSCAPE_BENCH_BATCH_ARTICLES``) in partitions of
``PARTITION``. Measured, for each cluster size: the wall time; the time until the first partition
starts (cluster start and every worker loading the pipeline); each partition's compute time from
Dask's task stream, hence a warm worker's rate (articles per second of compute) and the overhead a
partition adds beyond it (scheduling, reading its byte range, writing its Parquet); each worker's
peak resident memory. ``load`` into SQLite runs on the driver (one process): its rate is measured.
Fusion: the stored events cut into blocks by country and date window (``fusion_blocks``): blocks,
events sent (replication) and the bytes they weigh pickled (the shuffle's volume), and the
scoring's rate.

The projection (printed with its formula) is for an archive of ``PROJECT`` articles:
``start + partitions x overhead / W + articles / (W x rate x efficiency)`` for the batch, where
``efficiency`` is the 2-worker per-worker rate over the 1-worker one (two workers sharing one
machine of 2 cores, as ``dask worker --nworkers CORES`` runs them), partitions of 500 (the
default), plus ``load`` (one process on the driver, unchanged by W) and fusion's scoring divided
by W. It assumes W/2 machines like this one and a scheduler that keeps up, and says where the
driver's single-process ``load`` becomes the bottleneck.
"""

from __future__ import annotations

import logging
import os
import pickle
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
ARTICLES = int(os.environ.get("THREATSCAPE_BENCH_BATCH_ARTICLES", "160"))
PARTITION = 20
PROJECT = 1_000_000


def _cluster_run(corpus: Path, out: Path, workers: int) -> dict[str, Any]:
    from distributed import Client, LocalCluster, get_task_stream

    from threatscape import pipeline
    from threatscape.batch.run import run_batch, worker_peak_memory
    from threatscape.settings import Settings
    from threatscape.workers import WorkerSpec

    spec = WorkerSpec.of(pipeline.Resources.from_settings(Settings()), pipeline.extract_in_worker)
    started = time.perf_counter()
    cluster = LocalCluster(
        n_workers=workers, threads_per_worker=1, processes=True, dashboard_address=None, silence_logs=logging.ERROR
    )
    with cluster, Client(cluster) as client, get_task_stream(client) as stream:
        report = run_batch([str(corpus)], str(out), client, spec=spec, partition_size=PARTITION)
        wall = time.perf_counter() - started
        peak = worker_peak_memory(client)
    tasks = [t for t in stream.data if str(t.get("key", "")).startswith("threatscape-")]
    computes = [(s["start"], s["stop"]) for t in tasks for s in t.get("startstops", ()) if s.get("action") == "compute"]
    if not computes or report.done != len(tasks):
        raise RuntimeError(f"batch on {workers} workers: {report.done} partitions done, {len(tasks)} tasks seen")
    first = min(a for a, _ in computes)
    compute = sum(b - a for a, b in computes)
    span = max(b for _, b in computes) - first
    return {
        "workers": workers,
        "wall": wall,
        "articles": report.articles,
        "partitions": report.done,
        "rate": report.articles / wall,
        "worker_rate": report.articles / compute,  # a warm worker, per second of compute
        "overhead": max(0.0, (span * workers - compute) / report.done),  # per partition, beyond compute
        "start": wall - span,  # cluster start, pipeline loads, planning, closing
        "peak": max(peak.values()),
    }


def _nlp_pipe_rate(corpus: Path) -> float:
    import json

    from threatscape.extract.nlp.spacy_pipeline import load_nlp

    texts = [json.loads(line)["text"] for line in corpus.read_text(encoding="utf-8").splitlines() if line.strip()]
    texts = [t for t in texts if t]
    nlp = load_nlp()
    started = time.perf_counter()
    for _ in nlp.pipe(texts, batch_size=32):
        pass
    return len(texts) / (time.perf_counter() - started)


def _load_and_fuse(out: Path, db: Path) -> dict[str, Any]:
    from threatscape import pipeline
    from threatscape.batch.load import load_batch
    from threatscape.resolve.fusion import _Item
    from threatscape.resolve.fusion_blocks import BlockStats, block_items, fuse_blocked
    from threatscape.settings import Settings
    from threatscape.store import events as fused
    from threatscape.store import open_store

    store = open_store(str(db))
    resources = pipeline.Resources.from_settings(Settings())
    started = time.perf_counter()
    report = load_batch(str(out), store, resources, partial=False)
    load_seconds = time.perf_counter() - started
    with store._read("reading events") as conn:  # type: ignore[attr-defined]
        items = list(fused.stored_events(conn))
    store.close()
    stats = BlockStats()
    started = time.perf_counter()
    fuse_blocked(items, stats=stats)
    fuse_seconds = time.perf_counter() - started
    wrapped = [_Item(a, s or a, e) for a, s, e in items]
    shipped = sum(len(pickle.dumps(list(members))) for _, members in block_items(wrapped))
    return {
        "load": load_seconds,
        "loaded": report.stored.new + report.stored.near_duplicates,
        "events": stats.events,
        "blocks": stats.blocks,
        "replication": stats.replication,
        "bytes_per_event": shipped / max(1, stats.events),
        "fuse": fuse_seconds,
    }


def run(n: int = ARTICLES) -> dict[str, Any]:
    sys.path.insert(0, str(ROOT / "tests"))
    from batch_corpus import write_corpus

    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        corpus = write_corpus(folder / "corpus.jsonl", n, bad_lines=False)
        runs = [_cluster_run(corpus, folder / f"out-{w}", w) for w in (1, 2)]
        pipe = _nlp_pipe_rate(corpus)
        fusion = _load_and_fuse(folder / "out-2", folder / "store.db")
    one, two = runs
    print(f"batch of {n} articles ({-(-n // PARTITION)} partitions of {PARTITION}), local cluster:")
    for r in runs:
        print(
            f"  {r['workers']} worker(s): {r['rate']:.2f} articles/s end to end ({r['wall']:.0f} s; "
            f"{r['start']:.0f} s before and after the partitions), a warm worker {r['worker_rate']:.2f} articles/s, "
            f"{r['overhead']:.2f} s overhead a partition, peak worker memory {r['peak'] / 2**20:.0f} MiB"
        )
    print(f"  spaCy nlp.pipe alone, one process: {pipe:.2f} articles/s")
    print(
        f"  ratios: 2 workers / 1 {two['rate'] / one['rate']:.2f}; 1 worker / nlp.pipe {one['rate'] / pipe:.2f}; "
        f"2 workers / nlp.pipe {two['rate'] / pipe:.2f}"
    )
    efficiency = two["worker_rate"] / one["worker_rate"]
    load_rate = fusion["loaded"] / fusion["load"]
    events_per_article = fusion["events"] / max(1, fusion["loaded"])
    fuse_rate = fusion["events"] / fusion["fuse"]
    print(
        f"load into SQLite (one process): {load_rate:.1f} articles/s; fusion: {fusion['events']} events in "
        f"{fusion['blocks']} blocks, {fusion['replication']:.2f} copies an event, "
        f"{fusion['bytes_per_event']:.0f} bytes sent an event, scored at {fuse_rate:.0f} events/s in one process"
    )
    print(
        f"projection for {PROJECT:,} articles: batch = {one['start']:.0f} s + partitions x "
        f"{one['overhead']:.2f} s / W + articles / (W x {one['worker_rate']:.2f} x {efficiency:.2f}); "
        f"load {PROJECT / load_rate / 3600:.1f} h whatever W; fusion sends "
        f"{PROJECT * events_per_article * fusion['bytes_per_event'] / 2**30:.2f} GiB"
    )
    partitions = PROJECT / 500
    for w in (16, 64):
        batch = one["start"] + partitions * one["overhead"] / w + PROJECT / (w * one["worker_rate"] * efficiency)
        fuse = PROJECT * events_per_article / (w * fuse_rate)
        print(
            f"  {w} workers: batch {batch / 3600:.1f} h ({PROJECT / batch:.0f} articles/s), "
            f"fusion scoring {fuse / 60:.1f} min, load {PROJECT / load_rate / 3600:.1f} h"
            + (" (load is the bottleneck)" if PROJECT / load_rate > batch else "")
        )
    return {"runs": runs, "nlp_pipe": pipe, "fusion": fusion, "efficiency": efficiency}


if __name__ == "__main__":
    run()
