"""A batch's plan: its inputs cut into numbered partitions, and the manifest that records it.

Inputs are JSONL or Parquet files, named as paths (folders and globs expanded as ``ingest`` does,
so the articles keep the origins ``ingest`` gives them) or as fsspec URLs (``s3://bucket/*.jsonl``,
``gs://``, ``file://``, ``memory://``: whatever protocol fsspec has installed). A JSONL file is
cut into runs of ``size`` lines, found by scanning it for newlines once here, so each worker reads
only its own byte range and still numbers its lines as in the whole file; a Parquet file into runs
of ``size`` rows. Partitions are numbered in input order; the plan is written to
``DIR/manifest.json`` with the extractor versions, and a re-run goes on with the plan it finds
there (the same inputs, partition size and versions, else ``ConfigError``).
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator, Sequence
from dataclasses import asdict, dataclass, field
from typing import Any, BinaryIO

from threatscape.errors import ConfigError
from threatscape.ingest.formats import HEAD_BYTES, format_from_name, sniff_format
from threatscape.ingest.inputs import Source, expand_inputs
from threatscape.model import IngestFailure

__all__ = ["MANIFEST", "Manifest", "Partition", "plan_batch", "read_manifest", "write_manifest"]

MANIFEST = "manifest.json"
SCAN_CHUNK = 8 << 20  # bytes read at a time while counting lines
_SCHEME = re.compile(r"^[a-zA-Z][a-zA-Z0-9+.-]*://")
_PARQUET = (".parquet", ".pq")


@dataclass(frozen=True)
class Partition:
    """One piece of work: lines (``jsonl``: bytes ``start`` to ``stop``, the first numbered
    ``first``) or rows (``parquet``: rows ``start`` to ``stop``) of the input ``url``."""

    number: int
    url: str
    kind: str
    start: int
    stop: int
    first: int

    @property
    def name(self) -> str:
        return f"part-{self.number:05d}"


@dataclass(frozen=True)
class Manifest:
    """What a batch reads and with which extractors: ``failures`` are the inputs that could not
    be planned (recorded in the store by ``threatscape load``, as ``ingest`` records them)."""

    inputs: tuple[str, ...]
    partition_size: int
    max_bytes: int
    versions: dict[str, str]
    partitions: tuple[Partition, ...] = ()
    failures: tuple[IngestFailure, ...] = field(default=())

    def same_run(self, other: Manifest) -> bool:
        return (self.inputs, self.partition_size, self.versions) == (other.inputs, other.partition_size, other.versions)


def _files(arg: str) -> Iterator[Source | IngestFailure]:
    if not _SCHEME.match(arg):
        yield from expand_inputs([arg])
        return
    import fsspec

    try:
        fs, _, paths = fsspec.core.get_fs_token_paths(arg)
    except (ImportError, ValueError, OSError) as exc:
        yield IngestFailure(arg, f"cannot open: {type(exc).__name__}: {exc}".splitlines()[0])
        return
    if not paths:
        yield IngestFailure(arg, "glob matched no files")
    for path in sorted(paths):
        yield Source("url", fs.unstrip_protocol(path))


def _open(url: str) -> BinaryIO:
    import fsspec

    return fsspec.open(url, "rb").open()  # type: ignore[no-any-return]


def _line_ranges(stream: BinaryIO, size: int) -> Iterator[tuple[int, int, int]]:
    """(start byte, stop byte, first line number) of each run of ``size`` lines."""
    offset = start = lines = 0
    first = 1
    while chunk := stream.read(SCAN_CHUNK):
        pos = 0
        while chunk.count(b"\n", pos) >= size - lines:
            for _ in range(size - lines):
                pos = chunk.index(b"\n", pos) + 1
            yield start, offset + pos, first
            start, first, lines = offset + pos, first + size, 0
        lines += chunk.count(b"\n", pos)
        offset += len(chunk)
    if offset > start:
        yield start, offset, first


def _row_ranges(rows: int, size: int) -> Iterator[tuple[int, int, int]]:
    for start in range(0, rows, size):
        yield start, min(rows, start + size), start + 1


def _ranges(url: str, size: int) -> tuple[str, list[tuple[int, int, int]]]:
    with _open(url) as stream:
        if url.lower().endswith(_PARQUET):
            import pyarrow.parquet as pq

            return "parquet", list(_row_ranges(pq.ParquetFile(stream).metadata.num_rows, size))
        head = stream.read(HEAD_BYTES)
        fmt = format_from_name(url) or sniff_format(head)
        if fmt != "jsonl":
            raise ValueError(f"batch reads JSONL and Parquet files; this looks like {fmt}")
        stream.seek(0)
        return "jsonl", list(_line_ranges(stream, size))


def plan_batch(inputs: Sequence[str], size: int, *, max_bytes: int, versions: dict[str, str]) -> Manifest:
    """The partitions of ``size`` lines or rows of every input, in order."""
    if size < 1:
        raise ConfigError(f"partition size must be at least 1, not {size}")
    partitions: list[Partition] = []
    failures: list[IngestFailure] = []
    for arg in inputs:
        for source in _files(arg):
            if isinstance(source, IngestFailure):
                failures.append(source)
                continue
            try:
                kind, ranges = _ranges(source.ref, size)
            except (OSError, ValueError) as exc:
                failures.append(IngestFailure(source.ref, f"cannot read: {exc}".splitlines()[0]))
                continue
            for start, stop, first in ranges:
                partitions.append(Partition(len(partitions), source.ref, kind, start, stop, first))
    return Manifest(tuple(inputs), size, max_bytes, dict(versions), tuple(partitions), tuple(failures))


def _manifest_from(data: dict[str, Any]) -> Manifest:
    return Manifest(
        inputs=tuple(data["inputs"]),
        partition_size=int(data["partition_size"]),
        max_bytes=int(data["max_bytes"]),
        versions=dict(data["versions"]),
        partitions=tuple(Partition(**p) for p in data["partitions"]),
        failures=tuple(IngestFailure(**f) for f in data["failures"]),
    )


def read_manifest(out: str) -> Manifest | None:
    """The manifest in the batch folder ``out``, or ``None`` when there is none."""
    import fsspec

    fs, root = fsspec.core.url_to_fs(out)
    path = f"{root.rstrip('/')}/{MANIFEST}"
    if not fs.exists(path):
        return None
    try:
        return _manifest_from(json.loads(fs.cat_file(path)))
    except (ValueError, KeyError, TypeError) as exc:
        raise ConfigError(f"{out}/{MANIFEST} is not a threatscape batch manifest ({exc})") from exc


def write_manifest(out: str, manifest: Manifest) -> None:
    from threatscape.batch.files import put_file

    put_file(out, MANIFEST, json.dumps(asdict(manifest), indent=1).encode())
