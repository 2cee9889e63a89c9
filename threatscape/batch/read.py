"""A partition's records -> raw documents, with the origins ``ingest`` gives them.

A JSONL partition is its byte range of the file, read through fsspec and parsed by the ingest
stage's own line reader (``iter_jsonl``) numbering from the partition's first line, so a record
is ``file:LINE`` as ``ingest`` names it and a bad line fails with the same reason. A Parquet
partition is its rows (``file:ROW``, from 1), each taken as a JSON record of the same fields
(``id``, ``text``, ``title``, ``url``, ``published``, ``source``, ``byline``).
"""

from __future__ import annotations

import io
from collections.abc import Iterator
from typing import Any

from threatscape.batch.plan import Partition
from threatscape.ingest.records import iter_jsonl, record_to_document
from threatscape.model import IngestFailure, RawDocument

__all__ = ["RECORD_FIELDS", "read_partition"]

RECORD_FIELDS = ("id", "text", "title", "url", "published", "source", "byline", "author")


def _jsonl(part: Partition, max_bytes: int) -> Iterator[RawDocument | IngestFailure]:
    import fsspec

    with fsspec.open(part.url, "rb") as f:
        f.seek(part.start)
        data = f.read(part.stop - part.start)
    yield from iter_jsonl(io.BytesIO(data), part.url, max_bytes, first_line=part.first)


def _parquet_rows(part: Partition) -> Iterator[dict[str, Any]]:
    import fsspec
    import pyarrow.parquet as pq

    with fsspec.open(part.url, "rb") as f:
        pf = pq.ParquetFile(f)
        columns = [c for c in RECORD_FIELDS if c in pf.schema_arrow.names]
        row = 0
        for group in range(pf.num_row_groups):
            rows = pf.metadata.row_group(group).num_rows
            if row + rows > part.start and row < part.stop:
                table = pf.read_row_group(group, columns=columns)
                lo, hi = max(part.start - row, 0), min(part.stop - row, rows)
                yield from table.slice(lo, hi - lo).to_pylist()
            row += rows


def _parquet(part: Partition) -> Iterator[RawDocument | IngestFailure]:
    for n, record in enumerate(_parquet_rows(part), start=part.first):
        yield record_to_document(record, f"{part.url}:{n}")


def read_partition(part: Partition, max_bytes: int) -> Iterator[RawDocument | IngestFailure]:
    """The raw documents (or failures) of ``part``'s records, in order."""
    yield from _jsonl(part, max_bytes) if part.kind == "jsonl" else _parquet(part)
