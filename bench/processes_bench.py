"""``threatscape ingest`` with one process against all of them (``--processes``), end to end.

The demo corpus (examples/) is read and structured once, then repeated until it holds
``ARTICLES`` articles, each copy's body given one more numbered sentence so every article has its
own id (copies are near-duplicates of each other, linked as such, and extracted like any other).
They are written to one JSONL file, and the console script ingests it into a new database once
with ``--processes 1`` and once with ``--processes N`` (``N``: the cores, at least 2), each in a
fresh process, so both pay for loading spaCy and the model (the workers each load their own).

Printed: articles per second for each, and the ratio (N processes / 1; above 1.0 is faster);
both stores are compared table by table and must be equal.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
ARTICLES = 300


def write_corpus(path: Path, n: int = ARTICLES) -> int:
    """``n`` articles as JSONL at ``path``: the demo corpus repeated, each body numbered."""
    from threatscape.model import Article
    from threatscape.pipeline import read_articles
    from threatscape.settings import Settings

    base = [a for a in read_articles([str(ROOT / "examples")], Settings()) if isinstance(a, Article)]
    with path.open("w", encoding="utf-8") as out:
        for i in range(n):
            a = base[i % len(base)]
            text = f"{a.body}\n\nThis is copy number {i} of the report."
            record = {"id": f"bench-{i}", "title": a.title, "text": text, "published": a.published, "source": a.source}
            out.write(json.dumps(record) + "\n")
    return n


def ingest_seconds(corpus: Path, db: Path, processes: int) -> float:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    argv = [sys.executable, "-m", "threatscape", "ingest", str(corpus), "--db", str(db), "--processes", str(processes)]
    started = time.perf_counter()
    done = subprocess.run(argv, env=env, capture_output=True, text=True, check=False)
    seconds = time.perf_counter() - started
    if done.returncode != 0:
        raise RuntimeError(f"ingest --processes {processes} failed: {done.stderr}")
    return seconds


def run(n: int = ARTICLES) -> dict[str, Any]:
    sys.path.insert(0, str(ROOT / "tests"))
    from store_dump import dump_store

    cores = max(2, os.cpu_count() or 1)
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        corpus = folder / "corpus.jsonl"
        write_corpus(corpus, n)
        one = ingest_seconds(corpus, folder / "one.db", 1)
        many = ingest_seconds(corpus, folder / "many.db", cores)
        same = dump_store(folder / "one.db") == dump_store(folder / "many.db")
    figures = {"articles": n, "processes": cores, "one": n / one, "many": n / many, "ratio": one / many, "same": same}
    print(f"ingest of {n} articles (demo corpus repeated), end to end with loading:")
    print(f"  --processes 1: {figures['one']:.2f} articles/s ({one:.1f} s)")
    print(f"  --processes {cores}: {figures['many']:.2f} articles/s ({many:.1f} s)")
    print(f"  ratio {figures['ratio']:.2f}; stores equal: {same}")
    if not same:
        raise AssertionError("the stores differ")
    return figures


if __name__ == "__main__":
    run()
