"""Extraction in worker processes: every core of one machine (``--processes N``).

The parent process reads and structures the articles, screens actors against sanctions lists and
stores; it sends batches of articles to ``ExtractionPool``, whose workers parse and extract them
and send the extractions back in input order. Each worker builds its own ``Resources`` once, when
it starts (the spaCy pipeline, the learned layer's ONNX session, the gazetteer, the actor
knowledge base and the lexicons, each loaded on first use and kept for the worker's life), so a
worker costs one load however many batches it extracts. Workers are started with the ``spawn``
method: nothing of the parent's state (onnxruntime's threads, open databases) is copied into them.

What needs the whole batch or the database stays in the parent: sanctions screening (its review
list and the stored lists), near-duplicate linking, contested links, the store's transactions.

A worker that dies (killed, out of memory) stops the run with ``WorkerError`` naming the batch it
was extracting; what was stored before stays. Workers ignore SIGINT: on Ctrl-C the parent stops
them and raises ``KeyboardInterrupt`` as a single process would.
"""

from __future__ import annotations

import math
import multiprocessing
import signal
from collections.abc import Callable, Iterable, Sequence
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass
from types import TracebackType
from typing import TYPE_CHECKING, Any

from threatscape.errors import WorkerError
from threatscape.model import Article, Extraction

if TYPE_CHECKING:
    from threatscape.pipeline import Resources

__all__ = ["TASKS_PER_PROCESS", "ExtractionPool", "WorkerSpec"]

TASKS_PER_PROCESS = 2  # a batch is cut into this many pieces per worker, so a long article delays less


@dataclass(frozen=True)
class WorkerSpec:
    """What a worker needs: the settings extraction depends on, the ``factory`` that builds its
    resources from them (``pipeline.Resources``) and ``run``, what extracts with them
    (``pipeline.extract_facts``). Passed by reference (pickled by name), so this module needs
    nothing of the pipeline, which uses it."""

    batch_size: int = 32
    rules_only: bool = False
    event_model: str | None = None
    factory: Callable[..., Any] | None = None
    run: Callable[[list[Article], Any], Iterable[Extraction]] | None = None

    @classmethod
    def of(cls, res: Resources, run: Callable[[list[Article], Any], Iterable[Extraction]]) -> WorkerSpec:
        return cls(res.batch_size, res.rules_only, res.event_model, factory=type(res), run=run)


Task = Callable[[list[Article]], list[Extraction]]

_resources: Any = None  # a worker process's own, set once by _start
_run: Callable[[list[Article], Any], Iterable[Extraction]] | None = None


def _start(spec: WorkerSpec) -> None:
    """Worker initializer: ignore Ctrl-C (the parent stops the pool) and build the resources."""
    global _resources, _run
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    if spec.factory is not None:
        _resources = spec.factory(batch_size=spec.batch_size, rules_only=spec.rules_only, event_model=spec.event_model)
    _run = spec.run


def extract_in_worker(articles: list[Article]) -> list[Extraction]:
    """The default task: every extractor over ``articles`` with the worker's resources, unscreened."""
    if _run is None or _resources is None:
        raise RuntimeError("extract_in_worker runs in an ExtractionPool worker whose spec names a factory and run")
    return list(_run(articles, _resources))


def _pieces(articles: Sequence[Article], n: int) -> list[list[Article]]:
    """``articles`` cut into at most ``n`` consecutive pieces of (nearly) equal length."""
    size = max(1, math.ceil(len(articles) / n))
    return [list(articles[i : i + size]) for i in range(0, len(articles), size)]


def _describe(piece: list[Article]) -> str:
    first = piece[0]
    where = first.origin or first.url or first.id
    more = f" and {len(piece) - 1} more" if len(piece) > 1 else ""
    return f"{len(piece)} article(s) starting with {first.id} ({where}){more}"


class ExtractionPool:
    """``processes`` worker processes extracting batches of articles; started on first use.

    ``extract(articles)`` returns their extractions in the same order, as ``extract_facts`` in one
    process would. Use it as a context manager (or call ``close``) so the workers end with the run.
    ``task`` is what a worker runs on each piece (a module-level function; tests swap it)."""

    def __init__(self, processes: int, spec: WorkerSpec, *, task: Task = extract_in_worker) -> None:
        if processes < 1:
            raise ValueError("processes must be at least 1")
        self.processes = processes
        self.spec = spec
        self.task = task
        self._executor: ProcessPoolExecutor | None = None

    def _pool(self) -> ProcessPoolExecutor:
        if self._executor is None:
            self._executor = ProcessPoolExecutor(
                max_workers=self.processes,
                mp_context=multiprocessing.get_context("spawn"),
                initializer=_start,
                initargs=(self.spec,),
            )
        return self._executor

    def extract(self, articles: Sequence[Article]) -> list[Extraction]:
        if not articles:
            return []
        pool = self._pool()
        pieces = _pieces(articles, self.processes * TASKS_PER_PROCESS)
        futures: list[Future[list[Extraction]]] = [pool.submit(self.task, piece) for piece in pieces]
        out: list[Extraction] = []
        try:
            for piece, future in zip(pieces, futures, strict=True):
                try:
                    out.extend(future.result())
                except BrokenProcessPool as exc:
                    raise WorkerError(
                        f"an extraction worker process stopped while extracting {_describe(piece)}"
                    ) from exc
        except BaseException:
            self.close(stop=True)
            raise
        return out

    def close(self, *, stop: bool = False) -> None:
        """End the workers: after their work (default), or at once (``stop``: Ctrl-C, an error)."""
        executor, self._executor = self._executor, None
        if executor is None:
            return
        if stop:
            # The executor has no public way to end busy workers; terminate them so a batch that
            # takes minutes does not hold up the stop, then let it reap them.
            for proc in list((getattr(executor, "_processes", None) or {}).values()):
                proc.terminate()
        executor.shutdown(wait=True, cancel_futures=True)

    def __enter__(self) -> ExtractionPool:
        return self

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.close(stop=exc is not None)
